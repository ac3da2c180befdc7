package usecase

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
)

// ResolveRequest is a person's answer about one target: whether its post went out
// (SPEC section 9). Exactly one of PostedURL and NotPosted.
type ResolveRequest struct {
	File      string
	Target    string // "kpu/telegram"
	PostedURL string // the post as the platform shows it
	NotPosted bool

	Now      func() time.Time
	LockWait time.Duration
	Command  string
}

// ResolveResult is what was recorded.
type ResolveResult struct {
	File, Account, Platform string
	Posted                  bool
	ID, URL                 string
	Was                     ledger.State // the target's state before; "" when it had none
}

// Resolve records a person's answer for a target whose post may or may not have
// gone out: posted, at the address they found, or not posted, so the next publish
// sends it. It is how a target left pending on a platform that cannot be asked
// (Telegram) goes on; it also records a post made by hand. It takes the ledger
// lock, like publish.
func Resolve(ctx context.Context, p *project.Project, req ResolveRequest) (ResolveResult, error) {
	res := ResolveResult{File: req.File}
	if (req.PostedURL != "") == req.NotPosted {
		return res, &InputError{Err: errors.New("resolve: say --posted URL or --not-posted (one of them)"),
			Hint: "look on the account: if the post is there, copy its link and give it to --posted"}
	}
	account, name, ok := strings.Cut(req.Target, "/")
	if !ok || account == "" || name == "" || strings.Contains(name, "/") {
		return res, Input(fmt.Errorf("resolve: %q: want ACCOUNT/PLATFORM, such as kpu/telegram", req.Target))
	}
	res.Account, res.Platform = account, name
	// A partner's release we repost (humas repost) is named by its article's
	// address, as status and the decision note name it: its record is found by it.
	partner := strings.HasPrefix(req.File, "https://") || strings.HasPrefix(req.File, "http://")
	var job pipeline.Job
	var target *pipeline.Target
	if !partner {
		rels, diags, invalid := load(p, []string{req.File})
		if invalid != nil {
			return res, &InputError{Err: diags.Err()}
		}
		jobs, err := Jobs(p, rels)
		if err != nil {
			return res, err
		}
		if len(jobs) != 1 {
			return res, Input(fmt.Errorf("resolve: %s is a draft: it is never published", req.File))
		}
		job = jobs[0]
		res.File = job.File
		var names []string
		for i, t := range job.Targets {
			names = append(names, t.Account+"/"+t.Platform)
			if t.Account == account && t.Platform == name {
				target = &job.Targets[i]
			}
		}
		if target == nil {
			return res, Input(fmt.Errorf("resolve: %s is not a target of %s: its targets are %s", req.Target, job.File, strings.Join(names, ", ")))
		}
	}
	if partner {
		// Said before the address given is judged, which is judged for the target.
		if _, err := partnerRecord(p.Root, req.File, req.Target); err != nil {
			return res, err
		}
	}
	pl, _ := p.Config.Platforms.Lookup(name)
	if req.PostedURL != "" {
		u, err := url.Parse(req.PostedURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return res, Input(fmt.Errorf("resolve: --posted %q: want the post's address, https://…", req.PostedURL))
		}
		res.URL, res.ID = req.PostedURL, req.PostedURL
		var acct platform.Account
		if a, ok := p.Config.Account(account); ok {
			acct, _ = a.On(name)
		}
		if pl != nil && pl.PostID != nil {
			if res.ID, err = pl.PostID(acct, req.PostedURL); err != nil {
				return res, Input(fmt.Errorf("resolve: --posted: %w", err))
			}
		}
		res.Posted = true
	}

	now := req.Now
	if now == nil {
		now = time.Now
	}
	lock, err := ledger.TakeLock(ctx, p.Root, ledger.LockOptions{Wait: req.LockWait, Command: req.Command, Now: now})
	if err != nil {
		return res, err
	}
	defer lock.Unlock()
	var rec *ledger.Record
	if partner {
		if rec, err = partnerRecord(p.Root, req.File, req.Target); err != nil {
			return res, err
		}
	} else {
		pipe := pipeline.New(pipeline.Options{Root: p.Root, Policy: hold.PolicyOf(p.Config), Platforms: p.Config.Platforms, Now: now})
		found, err := pipe.Records([]pipeline.Job{job})
		if err != nil {
			return res, ledgerError(err)
		}
		rec = found[0].Record
	}
	lt := rec.Target(account, name)
	if lt != nil {
		res.Was = lt.State
	}
	switch {
	case lt != nil && lt.State == ledger.Posted:
		return res, Input(fmt.Errorf("resolve: %s %s is already recorded as posted: %s", res.File, req.Target, lt.URL))
	case req.NotPosted && (lt == nil || lt.State != ledger.Pending):
		return res, Input(fmt.Errorf("resolve: %s %s is not waiting for an answer: nothing was sent that may have gone out (publish sends it)", res.File, req.Target))
	}
	t := rec.Ensure(account, name)
	t.UpdatedAt = now()
	if res.Posted {
		t.State, t.ID, t.URL, t.PostedAt = ledger.Posted, res.ID, res.URL, now()
		t.Resolved, t.Error, t.Checkpoint = ledger.ResolvedPosted, "", ""
		t.Permanent, t.Basis, t.Fix, t.NotBefore = false, "", "", time.Time{}
		if target != nil {
			t.Fingerprint = ledger.Fingerprint(target.Text)
		}
	} else {
		t.State, t.Resolved = ledger.Failed, ledger.ResolvedNotPosted
		t.Error = "not posted, as a person recorded with humas resolve: the next publish sends it"
	}
	if err := ledger.Open(p.Root).SaveTarget(rec, account, name); err != nil {
		return res, err
	}
	return res, nil
}

// partnerRecord is the ledger record of our reposts of the partner's release at
// url, which must hold target ("diskominfo/telegram").
func partnerRecord(root, url, target string) (*ledger.Record, error) {
	all, err := ledger.Open(root).All()
	if err != nil {
		return nil, ledgerError(err)
	}
	for _, r := range all {
		if r.File != url || !strings.HasPrefix(r.ID, ledger.PartnerPrefix) {
			continue
		}
		if r.Targets[target] == nil {
			names := slices.Sorted(maps.Keys(r.Targets))
			return nil, Input(fmt.Errorf("resolve: %s is not a target of %s: its targets are %s", target, url, strings.Join(names, ", ")))
		}
		return r, nil
	}
	return nil, Input(fmt.Errorf("resolve: %s: no repost of this partner's release is in the ledger (humas status lists reposts by their address)", url))
}
