package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline/retry"
)

// releaseRun is one job being published: its record, shared by its targets' goroutines.
type releaseRun struct {
	job     Job
	mode    Mode
	sending map[string]bool // ledger keys of the targets this run sends
	mu      sync.Mutex      // guards rec and orders its saves
	rec     *ledger.Record
}

// update changes the ledger target of t under the lock and saves the record.
func (r *releaseRun) update(p *Pipeline, t Target, change func(*ledger.Target)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	lt := r.rec.Ensure(t.Account, t.Platform)
	change(lt)
	lt.UpdatedAt = p.opts.Now()
	return p.ledger.SaveTarget(r.rec, t.Account, t.Platform)
}

// snapshot returns a copy of the ledger target of account/platform, or nil.
func (r *releaseRun) snapshot(account, platform string) *ledger.Target {
	r.mu.Lock()
	defer r.mu.Unlock()
	if lt := r.rec.Target(account, platform); lt != nil {
		c := *lt
		return &c
	}
	return nil
}

// publish sends the issuer's targets, all at once, then everyone else's, so a
// partner's quote has the issuer's post to point at.
// A target with a hold in holds (aligned with ts) is skipped.
func (p *Pipeline) publish(ctx context.Context, mode Mode, j Job, rec *ledger.Record, ts []Target, holds []hold.Hold) ReleaseResult {
	if j.Document != nil {
		// The release's identity is its record's id, fixed when it was first
		// recorded: a file or slug renamed later keeps it, and so does every
		// Message-ID derived from it. A slug would not: after a rename the same
		// journalist would get a second id for one release, and a new release
		// taking the freed slug would get the first one's ids, which mail programs
		// hide as a message already shown.
		d := *j.Document
		d.ID = rec.ID
		j.Document = &d
	}
	run := &releaseRun{job: j, mode: mode, rec: rec, sending: map[string]bool{}}
	for i, t := range ts {
		if !holds[i].Held() {
			run.sending[ledger.Key(t.Account, t.Platform)] = true
		}
	}
	results := make([]TargetResult, len(ts))
	for _, issuer := range []bool{true, false} {
		// A run stopped while the issuer posted (SIGINT, or SIGTERM when CI
		// cancels or times out) starts no partner's post.
		stopped := ctx.Err() != nil
		var wg sync.WaitGroup
		for i, t := range ts {
			if t.Issuer != issuer {
				continue
			}
			if holds[i].Held() {
				results[i] = base(t)
				results[i].Status, results[i].Error = StatusSkipped, holds[i].Message
				p.report(j.File, results[i])
				continue
			}
			if stopped {
				results[i] = p.target(ctx, run, t) // says it was not sent, and records nothing
				p.report(j.File, results[i])
				continue
			}
			wg.Go(func() {
				results[i] = p.target(ctx, run, t)
				p.report(j.File, results[i])
			})
		}
		wg.Wait()
	}
	return ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: results}
}

// target publishes one target at most once and says what happened.
func (p *Pipeline) target(ctx context.Context, run *releaseRun, t Target) TargetResult {
	tr := base(t)
	fail := func(err error) TargetResult {
		tr.Status, tr.Error = StatusFailed, err.Error()
		return tr
	}
	link := run.job.URL
	if t.Link != "" {
		link = t.Link
	}
	prev := run.snapshot(t.Account, t.Platform)
	if prev != nil && prev.State == ledger.Posted && !p.opts.Force {
		tr.Status, tr.ID, tr.URL, tr.QuoteOf = StatusAlreadyPosted, prev.ID, prev.URL, prev.QuoteOf
		return tr
	}
	if !t.Collab {
		if err := ctx.Err(); err != nil {
			// The run was stopped (SIGINT, SIGTERM from CI) before this target:
			// nothing is sent and nothing recorded, and a re-run posts it.
			return fail(fmt.Errorf("not sent: the run was stopped (%v) before this target; a re-run posts it", context.Cause(ctx)))
		}
	}
	if prev != nil && !p.opts.DryRun {
		if why, needs, held := p.waiting(run, t, prev); held {
			tr.Status, tr.Error, tr.Needs = StatusSkipped, why, needs
			if needs == NeedsDecision {
				tr.Status = run.undecided()
			}
			return tr
		}
	}
	if t.Collab {
		return p.invited(run, t, tr)
	}
	poster, err := p.poster(t.Account, t.Platform)
	if err != nil {
		// Nothing was sent: the target is failed, and it needs a person (a
		// credential to set). A later run with the credentials set posts it. A
		// pending one stays pending, to be looked up first, and a forced re-post
		// keeps its record: the old post still exists.
		if prev == nil || prev.State != ledger.Posted {
			if serr := run.update(p, t, func(lt *ledger.Target) {
				if lt.State != ledger.Pending {
					lt.State = ledger.Failed
					lt.Permanent, lt.Basis, lt.Fix = true, p.basis(run, t), FixOf(err, t.Account)
				}
				lt.Error = err.Error()
			}); serr != nil {
				err = errors.Join(err, serr)
			}
		}
		tr.Needs = NeedsPerson
		return fail(err)
	}

	if m := p.mailer(t.Account, t.Platform); m != nil {
		return p.mail(ctx, run, t, m, tr, link)
	}

	// The last run died between recording pending and recording the answer: the
	// post may exist. Adopt it if the platform has it; never post blind.
	if prev != nil && prev.State == ledger.Pending {
		found, ok, err := p.find(ctx, poster, run, link)
		if errors.Is(err, publish.ErrCannotLook) {
			tr.Status, tr.Needs = run.undecided(), NeedsDecision
			tr.Error = p.decision(run, t)
			if serr := run.update(p, t, func(lt *ledger.Target) { lt.Error = tr.Error }); serr != nil {
				return fail(serr)
			}
			return tr
		}
		if err != nil {
			err = fmt.Errorf("looking for a post left pending by an earlier run: %w", err)
			if serr := run.update(p, t, func(lt *ledger.Target) { lt.Error = err.Error() }); serr != nil {
				err = errors.Join(err, serr)
			}
			return fail(err)
		}
		if ok {
			return p.adopt(run, t, tr, found, "adopted")
		}
	}

	post := publish.Post{Text: t.Text, Link: link, Image: t.Image, Document: run.job.Document, Collaborators: t.Collaborators}
	if t.QuoteOf != "" {
		post.Quote, tr.QuoteOf, tr.Note = t.QuoteOf, t.QuoteOf, "quotes "+t.QuoteOf
	} else if t.Quote {
		if q := run.issuerPost(t.Platform, t.Account); q != "" {
			post.Quote, tr.QuoteOf = q, q
			tr.Note = "quotes " + q
		} else if who, sent := run.issuerWaiting(t.Platform, t.Account); who != "" {
			// A run for some accounts only (CI posts each institution in a job of
			// its own, with only its own secrets): the issuer's post is still to
			// come, from another run. Or this run's attempt may have reached the
			// platform. Quote it once settled rather than repeat it now.
			tr.Status, tr.Error = StatusSkipped, "waiting for "+who+", the issuer's post, which this run does not send: a later run (publish --pending) quotes it"
			if sent {
				tr.Error = "waiting for " + who + ", the issuer's post, which may have gone out: once a later run finds it, or a person says with humas resolve, that run posts this one with it"
			}
			return tr
		} else {
			tr.Note = "not quoting: the issuer has no post on " + t.Platform
			if t.Fallback != "" {
				post.Text, tr.Text, tr.Length = t.Fallback, t.Fallback, t.FallbackLength
			}
		}
	}
	if tr.Note == "" {
		tr.Note = t.Note
	}
	// A post made in two steps (Instagram's container, then media_publish) has
	// its first step's id in the ledger before the second makes it public, and an
	// earlier attempt's id is handed back so the post carries on from it.
	// The checkpoint keeps the fingerprint of the post it was made for: a post
	// edited since is not carried on from it unless it already went out.
	made := madeOf(post)
	if prev != nil {
		post.Checkpoint = &publish.Checkpoint{ID: prev.Checkpoint,
			Stale: prev.Checkpoint != "" && prev.Fingerprint != "" && prev.Fingerprint != made}
	} else {
		post.Checkpoint = &publish.Checkpoint{}
	}
	post.Checkpoint.Save = func(id string) error {
		return run.update(p, t, func(lt *ledger.Target) { lt.Checkpoint, lt.Fingerprint = id, made })
	}

	if err := run.update(p, t, func(lt *ledger.Target) {
		lt.State = ledger.Pending
		lt.Attempts++
		lt.Permanent, lt.Basis, lt.Fix, lt.NotBefore, lt.Resolved = false, "", "", time.Time{}, ""
	}); err != nil {
		return fail(fmt.Errorf("not sent: the ledger could not record the attempt: %w", err))
	}
	rec, err := poster.Post(ctx, post)
	var pe *publish.Error
	if errors.As(err, &pe) && pe.Duplicate {
		if prev != nil && prev.State == ledger.Posted {
			// --force met the platform's duplicate check: nothing was sent again,
			// and the post made before is still the target's.
			if serr := run.update(p, t, func(lt *ledger.Target) { *lt = *prev; lt.UpdatedAt = p.opts.Now() }); serr != nil {
				return fail(errors.Join(err, serr))
			}
			tr.Status, tr.ID, tr.URL, tr.QuoteOf = StatusAlreadyPosted, prev.ID, prev.URL, prev.QuoteOf
			tr.Note = "not sent again: " + p.platformOf(t.Platform).DisplayName + " refused the same text as a duplicate; the post made before stays"
			return tr
		}
		// The platform already holds this very text: the ledger lost its record (or
		// someone posted it by hand). If that post links the article, it is ours.
		if found, ok, ferr := p.find(ctx, poster, run, link); ferr == nil && ok {
			return p.adopt(run, t, tr, found, "adopted: the platform already had this post")
		}
	}
	if err != nil {
		return p.failed(run, t, tr, prev, err)
	}
	if err := run.update(p, t, func(lt *ledger.Target) {
		lt.State, lt.ID, lt.URL, lt.Error = ledger.Posted, rec.ID, rec.URL, ""
		lt.Fingerprint = ledger.Fingerprint(post.Text)
		lt.QuoteOf = post.Quote
		lt.Invited = post.Collaborators
		lt.PostedAt = p.opts.Now()
		lt.Checkpoint = ""
	}); err != nil {
		// Still pending on disk, so the next run adopts the post instead of
		// sending it again.
		return fail(fmt.Errorf("posted as %s, but the ledger could not record it: %w", rec.ID, err))
	}
	tr.Status, tr.ID, tr.URL = p.posted(), rec.ID, rec.URL
	if pl := p.platformOf(t.Platform); p.opts.DryRun && pl.Sent != nil {
		tr.Text = pl.Sent(post)
		if pl.Length != nil {
			tr.Length = pl.Length(tr.Text)
		}
	}
	return tr
}

// madeOf fingerprints what a two-step post's first step is made of (its text and
// picture), kept with the checkpoint while the target is pending.
func madeOf(post publish.Post) string {
	s := post.Text + "\x00"
	if post.Image != nil {
		s += ledger.Fingerprint(string(post.Image.Data)) + "\x00" + post.Image.Alt + "\x00" + post.Image.URL
	}
	return ledger.Fingerprint(s)
}

// find looks on the account for the post of a target that may have gone out: one
// linking the article's address, or an address it had before its slug changed,
// which is what a post sent before the rename links.
func (p *Pipeline) find(ctx context.Context, poster publish.Poster, run *releaseRun, link string) (publish.Receipt, bool, error) {
	for _, l := range run.formerLinks(link) {
		if r, ok, err := poster.Find(ctx, l); err != nil || ok {
			return r, ok, err
		}
	}
	return publish.Receipt{}, false, nil
}

// formerLinks is link, then the article's address under each of the release's
// earlier slugs (the record's aliases) when link is the article's.
func (r *releaseRun) formerLinks(link string) []string {
	out := []string{link}
	r.mu.Lock()
	defer r.mu.Unlock()
	base, ok := strings.CutSuffix(link, "/"+r.job.Slug+"/")
	if !ok || r.job.Slug == "" {
		return out
	}
	for _, a := range r.rec.Aliases {
		out = append(out, base+"/"+a+"/")
	}
	return out
}

// What a target that cannot go on by itself needs, for TargetResult.Needs.
const (
	// NeedsDecision: a post may have gone out on a platform that cannot be asked
	// (Telegram); a person looks and says (humas resolve).
	NeedsDecision = "decision"
	// NeedsPerson: the target failed for good (a refused token, text or picture,
	// a missing credential, another account's credentials); a person fixes the
	// cause, and the next run after the fix, or publish --retry-failed, posts it.
	NeedsPerson = "person"
)

// failed records a post that did not go through, by what its error says of it:
// only an answer from the platform changes pending, so a request that may have
// left (a run stopped mid-request, a deadline, a broken connection) stays pending,
// to be looked for, or decided by a person, before anything is sent again.
func (p *Pipeline) failed(run *releaseRun, t Target, tr TargetResult, prev *ledger.Target, err error) TargetResult {
	var uncertain *retry.UncertainError
	maybe := errors.As(err, &uncertain) || publish.MayHavePosted(err)
	frees, quota := publish.QuotaFrees(err)
	permanent := !maybe && !quota && !publish.IsTransient(err)
	cannotLook := maybe && (p.platformOf(t.Platform).CannotLook || errors.Is(err, publish.ErrCannotLook))
	msg := err.Error()
	if cannotLook {
		msg += "; " + p.decision(run, t)
	}
	serr := run.update(p, t, func(lt *ledger.Target) {
		lt.Error = msg
		switch {
		case maybe:
			// Stays pending.
		case prev != nil && prev.State == ledger.Posted:
			// A forced re-post that did not go: the post made before still
			// exists and is still the target's.
			*lt = *prev
			lt.Error = msg
		case quota:
			lt.State, lt.NotBefore = ledger.Failed, frees
		case permanent:
			lt.State, lt.Permanent, lt.Basis, lt.Fix = ledger.Failed, true, p.basis(run, t), FixOf(err, t.Account)
		default:
			lt.State = ledger.Failed
		}
	})
	if serr != nil {
		tr.Status, tr.Error = StatusFailed, errors.Join(err, serr).Error()
		return tr
	}
	switch {
	case quota:
		// Not a failure: the platform allows no more posts for now.
		tr.Status = StatusSkipped
		tr.Error = limitNote(msg, frees)
		return tr
	case cannotLook:
		tr.Needs = NeedsDecision
	case permanent:
		tr.Needs, tr.Fix = NeedsPerson, FixOf(err, t.Account)
	}
	tr.Status, tr.Error = StatusFailed, msg
	return tr
}

// waiting says why a target is left alone this run, if it is: a post that may have
// gone out where the platform cannot be asked (a person decides), a failure for
// good in a run a person did not start for it (it needs a person first), or a
// spent publishing quota that has not freed yet.
func (p *Pipeline) waiting(run *releaseRun, t Target, prev *ledger.Target) (why, needs string, held bool) {
	now := p.opts.Now()
	switch {
	case prev.State == ledger.Pending && p.platformOf(t.Platform).CannotLook:
		return p.decision(run, t), NeedsDecision, true
	case prev.State == ledger.Failed && prev.Permanent && !p.opts.RetryFailed && run.mode != Explicit && prev.Basis == p.basis(run, t):
		return PersonNote(run.job.File, prev), NeedsPerson, true
	case prev.State == ledger.Failed && prev.NotBefore.After(now):
		return limitNote(prev.Error, prev.NotBefore), "", true
	}
	return "", "", false
}

// limitNote is what a target left waiting for a spent publishing quota says: what
// the platform said (msg), and when a later run posts it.
func limitNote(msg string, frees time.Time) string {
	return fmt.Sprintf("%s; a later publish --pending posts it once the limit frees at %s", msg, frees.UTC().Format(time.RFC3339))
}

// undecided is the status of a target that waits for a person's decision: failed
// when a person named the release (publish FILE: what was asked was not done),
// pending in a run CI chose (--changed, --pending), which has done all it may and
// lists the target in the job summary instead of failing every scheduled run.
func (r *releaseRun) undecided() string {
	if r.mode == Explicit {
		return StatusFailed
	}
	return StatusPending
}

// decision is what a person is asked to do about a post that may have gone out on
// a platform that cannot be asked.
func (p *Pipeline) decision(run *releaseRun, t Target) string {
	return DecisionNote(run.job.File, t.Account, t.Platform, p.platformOf(t.Platform).DisplayName)
}

// DecisionNote asks a person to say whether a post went out (SPEC section 9).
func DecisionNote(file, account, platform, name string) string {
	if name == "" {
		name = platform
	}
	return fmt.Sprintf("needs a decision: the post may have gone out (the run stopped, or no answer came), and %s cannot be asked whether it did: look on the account, then humas resolve %s %s/%s --posted URL, or --not-posted",
		name, file, account, platform)
}

// PersonNote says what a target that failed for good needs.
func PersonNote(file string, lt *ledger.Target) string {
	fix := oneLine(lt.Fix)
	if fix == "" {
		fix = "fix what the error says"
	}
	return fmt.Sprintf("needs a person: failed for good on %s: %s; %s, then humas publish --retry-failed %s (scheduled runs try again by themselves once the post, the account or its credentials change)",
		lt.UpdatedAt.UTC().Format("2006-01-02"), oneLine(lt.Error), fix, file)
}

// FixOf is what a person can do about a failure for good of account's target. An
// adapter that does not know the account names its variables HUMAS_<ACCOUNT>_…;
// the fix names them as they are.
func FixOf(err error, account string) string {
	var me *publish.MissingCredentialsError
	if errors.As(err, &me) {
		return "set " + strings.Join(me.Vars, ", ") + " (CI secrets, or the environment)"
	}
	var pe *publish.Error
	if errors.As(err, &pe) && pe.Fix != "" {
		return strings.ReplaceAll(pe.Fix, "HUMAS_<ACCOUNT>_", strings.TrimSuffix(publish.EnvName(account, ""), "_")+"_")
	}
	return ""
}

// basis fingerprints what a failure for good met: the post, and the account's
// settings and credentials (Options.Basis). A change to any makes it worth another
// try without a person asking.
func (p *Pipeline) basis(run *releaseRun, t Target) string {
	var b strings.Builder
	for _, s := range []string{t.Text, t.Fallback, run.job.URL, t.Link, strings.Join(t.Collaborators, ",")} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	if t.Image != nil {
		b.WriteString(ledger.Fingerprint(string(t.Image.Data)))
		b.WriteString(t.Image.Alt)
		b.WriteString(t.Image.URL)
	}
	b.WriteByte(0)
	if p.opts.Basis != nil {
		b.WriteString(p.opts.Basis(t.Account, t.Platform))
	}
	return ledger.Fingerprint(b.String())[:len("sha256:")+16]
}

// invited records a partner invited as collaborator on the issuer's post as posted
// there, once that post exists; until then it waits, sending nothing. An issuer's
// post made without inviting the partner (collab was turned on after it went out)
// is not the partner's: that is a failure a person settles, since a published
// post's collaborators cannot be added through the API.
func (p *Pipeline) invited(run *releaseRun, t Target, tr TargetResult) TargetResult {
	name := p.platformOf(t.Platform).DisplayName
	if name == "" {
		name = t.Platform
	}
	issuer := run.issuerRecord(t.Platform, t.Account)
	if issuer == nil {
		tr.Status = StatusSkipped
		tr.Error = fmt.Sprintf("waits for the issuer's %s post, which invites %s as a collaborator", name, t.Account)
		return tr
	}
	if !slices.Contains(issuer.Invited, t.Invitee) {
		prev := run.snapshot(t.Account, t.Platform)
		return p.failed(run, t, tr, prev, &publish.Error{
			Platform: name, Op: "invite", Kind: publish.Permanent, Delivery: publish.NotSent,
			Message: fmt.Sprintf("the issuer's post %s went out without inviting %s (collab was turned on after it was posted), and a published post's collaborators cannot be added through the API", issuer.ID, t.Invitee),
			Fix:     fmt.Sprintf("invite %s from the %s app, or remove collab: true from the issuer's %s entry in humas.yaml so that %s posts its own post", t.Invitee, name, t.Platform, t.Account),
		})
	}
	id, url := issuer.ID, issuer.URL
	if err := run.update(p, t, func(lt *ledger.Target) {
		lt.State, lt.ID, lt.URL, lt.Error = ledger.Posted, id, url, ""
		lt.Fingerprint = ledger.Fingerprint(t.Text)
		lt.PostedAt = p.opts.Now()
	}); err != nil {
		tr.Status, tr.Error = StatusFailed, fmt.Sprintf("invited on post %s, but the ledger could not record it: %v", id, err)
		return tr
	}
	tr.Status, tr.ID, tr.URL, tr.Note = p.posted(), id, url, InvitedNote(name)
	return tr
}

// InvitedNote is what status says of a partner invited as collaborator.
func InvitedNote(platform string) string {
	return "invited as collaborator on the issuer's post: accept the invitation in the " + platform + " app"
}

// adopt records a post found on the platform as this target's post.
func (p *Pipeline) adopt(run *releaseRun, t Target, tr TargetResult, found publish.Receipt, note string) TargetResult {
	if err := run.update(p, t, func(lt *ledger.Target) {
		lt.State, lt.ID, lt.URL, lt.Error = ledger.Posted, found.ID, found.URL, ""
		lt.Fingerprint = ledger.Fingerprint(t.Text)
		// A post found after a send that may have gone out was made by that send.
		lt.Invited = t.Collaborators
		lt.PostedAt = p.opts.Now()
	}); err != nil {
		tr.Status, tr.Error = StatusFailed, fmt.Sprintf("adopted post %s, but the ledger could not record it: %v", found.ID, err)
		return tr
	}
	tr.Status, tr.ID, tr.URL, tr.Note = p.posted(), found.ID, found.URL, note
	return tr
}

func (p *Pipeline) posted() string {
	if p.opts.DryRun {
		return StatusDryRun
	}
	return StatusPosted
}

// issuerWaiting names the issuer's target on platform ("kpu/x") while no run has
// settled it: this run does not send it and it has no record or is pending, or this
// run sent it and it is still pending (the post may exist: a later run finds it, or
// a person says with humas resolve). sent says which. "" when it is settled: once
// the issuer's post has failed, its partners post their credited text.
func (r *releaseRun) issuerWaiting(platform, self string) (who string, sent bool) {
	for _, t := range r.job.Targets {
		if !t.Issuer || t.Platform != platform || t.Account == self {
			continue
		}
		key := ledger.Key(t.Account, t.Platform)
		lt := r.snapshot(t.Account, t.Platform)
		if lt != nil && lt.State == ledger.Pending || lt == nil && !r.sending[key] {
			return t.Account + "/" + t.Platform, r.sending[key]
		}
	}
	return "", false
}

// issuerPost is the remote id of the issuer's post on platform, from this run or an
// earlier one, or "" when there is none. The issuer is whichever account the
// job marks as issuer on that platform.
func (r *releaseRun) issuerPost(platform, self string) string {
	if lt := r.issuerRecord(platform, self); lt != nil {
		return lt.ID
	}
	return ""
}

// issuerRecord is the ledger's record of the issuer's post on platform, or nil
// while there is none.
func (r *releaseRun) issuerRecord(platform, self string) *ledger.Target {
	for _, t := range r.job.Targets {
		if !t.Issuer || t.Platform != platform || t.Account == self {
			continue
		}
		if lt := r.snapshot(t.Account, t.Platform); lt != nil && lt.State == ledger.Posted {
			return lt
		}
	}
	return nil
}
