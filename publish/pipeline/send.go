package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline/retry"
)

// releaseRun is one job being published: its record, shared by its targets' goroutines.
type releaseRun struct {
	job     Job
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
func (p *Pipeline) publish(ctx context.Context, j Job, rec *ledger.Record, ts []Target, holds []hold.Hold) ReleaseResult {
	run := &releaseRun{job: j, rec: rec, sending: map[string]bool{}}
	for i, t := range ts {
		if !holds[i].Held() {
			run.sending[ledger.Key(t.Account, t.Platform)] = true
		}
	}
	results := make([]TargetResult, len(ts))
	for _, issuer := range []bool{true, false} {
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
	if t.Collab {
		return p.invited(run, t, tr)
	}
	poster, err := p.poster(t.Account, t.Platform)
	if err != nil {
		// Nothing was sent: the target is failed and a later run with the
		// credentials set posts it. A pending one stays pending, to be looked up
		// first, and a forced re-post keeps its record: the old post still exists.
		if prev == nil || prev.State != ledger.Posted {
			if serr := run.update(p, t, func(lt *ledger.Target) {
				if lt.State != ledger.Pending {
					lt.State = ledger.Failed
				}
				lt.Error = err.Error()
			}); serr != nil {
				err = errors.Join(err, serr)
			}
		}
		return fail(err)
	}

	if m := p.mailer(t.Account, t.Platform); m != nil {
		return p.mail(ctx, run, t, m, tr, link)
	}

	// The last run died between recording pending and recording the answer: the
	// post may exist. Adopt it if the platform has it; never post blind.
	if prev != nil && prev.State == ledger.Pending {
		found, ok, err := poster.Find(ctx, link)
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
	if t.Quote {
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
				tr.Error = "waiting for " + who + ", the issuer's post, which may have gone out: once a later run finds it, or a person says with humas resolve, that run quotes it"
			}
			return tr
		} else {
			tr.Note = "not quoting: the issuer has no post on " + t.Platform
			if t.Fallback != "" {
				post.Text, tr.Text, tr.Length = t.Fallback, t.Fallback, t.FallbackLength
			}
		}
	}

	if err := run.update(p, t, func(lt *ledger.Target) {
		lt.State = ledger.Pending
		lt.Attempts++
	}); err != nil {
		return fail(fmt.Errorf("not sent: the ledger could not record the attempt: %w", err))
	}
	rec, err := poster.Post(ctx, post)
	var pe *publish.Error
	if errors.As(err, &pe) && pe.Duplicate {
		// The platform already holds this very text: the ledger lost its record (or
		// someone posted it by hand). If that post links the article, it is ours.
		if found, ok, ferr := poster.Find(ctx, link); ferr == nil && ok {
			return p.adopt(run, t, tr, found, "adopted: the platform already had this post")
		}
	}
	if err != nil {
		var uncertain *retry.UncertainError
		maybe := errors.As(err, &uncertain)
		if serr := run.update(p, t, func(lt *ledger.Target) {
			// A post that may have gone through stays pending, so the next run
			// looks for it before sending it again.
			if !maybe {
				lt.State = ledger.Failed
			}
			lt.Error = err.Error()
		}); serr != nil {
			err = errors.Join(err, serr)
		}
		return fail(err)
	}
	if err := run.update(p, t, func(lt *ledger.Target) {
		lt.State, lt.ID, lt.URL, lt.Error = ledger.Posted, rec.ID, rec.URL, ""
		lt.Fingerprint = ledger.Fingerprint(post.Text)
		lt.QuoteOf = post.Quote
		lt.PostedAt = p.opts.Now()
	}); err != nil {
		// Still pending on disk, so the next run adopts the post instead of
		// sending it again.
		return fail(fmt.Errorf("posted as %s, but the ledger could not record it: %w", rec.ID, err))
	}
	tr.Status, tr.ID, tr.URL = p.posted(), rec.ID, rec.URL
	return tr
}

// invited records a partner invited as collaborator on the issuer's post as posted
// there, once that post exists; until then it waits, sending nothing.
func (p *Pipeline) invited(run *releaseRun, t Target, tr TargetResult) TargetResult {
	name := p.platformOf(t.Platform).DisplayName
	if name == "" {
		name = t.Platform
	}
	id, url := run.issuerReceipt(t.Platform, t.Account)
	if id == "" {
		tr.Status = StatusSkipped
		tr.Error = fmt.Sprintf("waits for the issuer's %s post, which invites %s as a collaborator", name, t.Account)
		return tr
	}
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
	id, _ := r.issuerReceipt(platform, self)
	return id
}

// issuerReceipt is issuerPost's id and its URL.
func (r *releaseRun) issuerReceipt(platform, self string) (id, url string) {
	for _, t := range r.job.Targets {
		if !t.Issuer || t.Platform != platform || t.Account == self {
			continue
		}
		if lt := r.snapshot(t.Account, t.Platform); lt != nil && lt.State == ledger.Posted {
			return lt.ID, lt.URL
		}
	}
	return "", ""
}
