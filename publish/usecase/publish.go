package usecase

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// PublishRequest says which releases to publish and how.
type PublishRequest struct {
	// Exactly one of Files, Changed (a git range "A..B", as CI on merge) and
	// Pending (every release not yet fully posted, as CI on a schedule).
	Files   []string
	Changed string
	Pending bool

	DryRun, Force bool // no network and no ledger change; post again what is posted
	// RetryFailed tries again targets that failed for good, which runs chosen by
	// Changed or Pending otherwise leave to a person.
	RetryFailed    bool
	Only, Accounts []string // --only, --account
	WaitLive       time.Duration
	RetryFor       time.Duration

	Getenv publish.Getenv // credentials and endpoints
	Now    func() time.Time

	// LockWait is how long to wait for another run that holds the ledger
	// (ledger.TakeLock) before giving up; Command names this run to the next.
	LockWait time.Duration
	Command  string
	// LockWaiting, if set, hears that another run holds the ledger and this one waits.
	LockWaiting func(ledger.Holder)

	// Progress hears of each finished target; Retrying of each transient failure.
	Progress func(file string, t pipeline.TargetResult)
	Retrying func(account, platform string, err error, wait time.Duration)
	// Tune, if set, is given the releases before the site is rendered (the CLI
	// sizes the process's memory limit to them).
	Tune func([]*release.Release)
}

// PublishResult is what publish did.
type PublishResult struct {
	// Result is the --json document. On invalid input it lists the invalid
	// releases with their errors.
	Result      pipeline.Result
	Diagnostics release.Diagnostics
	// Builds are the site builds done around the posts: before (the article
	// exists before anything links to it) and after (it lists where it went).
	Builds []BuildResult
}

// Publish builds the articles, then posts every release's targets not yet posted,
// each exactly once (SPEC section 6). A failed target is in the result, not the
// error: the error is for input that is invalid (InputError: nothing was posted),
// a damaged ledger, or a site that cannot be built.
func Publish(ctx context.Context, p *project.Project, req PublishRequest) (PublishResult, error) {
	var res PublishResult
	modes := 0
	for _, on := range []bool{len(req.Files) > 0, req.Changed != "", req.Pending} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		return res, Input(errors.New("publish: name release files, or give --changed RANGE or --pending (one of them)"))
	}
	now := req.Now
	if now == nil {
		now = time.Now
	}
	mode, files := pipeline.Explicit, req.Files
	var err error
	switch {
	case req.Changed != "":
		mode = pipeline.Changed
		if files, err = pipeline.ChangedReleases(ctx, p.Root, req.Changed); err != nil {
			return res, Input(err)
		}
	case req.Pending:
		mode = pipeline.Pending
		if files, err = release.Glob(p.Root); err != nil {
			return res, err
		}
	}
	rels, diags, invalid := load(p, files)
	res.Diagnostics = diags
	if invalid != nil {
		res.Result.Releases = invalid
		return res, ErrInvalid
	}
	pol := hold.PolicyOf(p.Config)
	if mode == pipeline.Explicit {
		for _, r := range rels {
			// A draft named one by one is refused outright: there is nothing to preview.
			if h := pol.Check(hold.Of(r), now(), nil); h.Reason == hold.Draft {
				return res, &InputError{Err: fmt.Errorf("%s:%d: %s", r.File, r.Line("draft"), h.Message), Hint: h.Hint}
			}
		}
	}
	jobs, err := Jobs(p, rels)
	if err != nil {
		return res, err
	}
	// A picture a targeted platform would refuse is never sent. Named one by one,
	// the run is refused with nothing posted; chosen by --changed or --pending,
	// that release fails and the others go ahead. check refuses it before merge.
	var unsendable []pipeline.ReleaseResult
	kept := make([]pipeline.Job, 0, len(jobs))
	for _, j := range jobs {
		r := jobRelease(rels, j)
		var names []string
		for _, t := range j.Targets {
			if keep(req.Only, req.Accounts, t.Account, t.Platform) {
				names = append(names, t.Platform)
			}
		}
		pls := platformsOf(p.Config.Platforms, names)
		bad := mediaProblems(r, pls)
		if len(bad) == 0 || pol.Posts(hold.Of(r), now(), pls).Held() {
			kept = append(kept, j)
			continue
		}
		res.Diagnostics = append(res.Diagnostics, bad...)
		unsendable = append(unsendable, failAll(j, req.Only, req.Accounts, bad))
	}
	if mode == pipeline.Explicit && len(unsendable) > 0 {
		return res, ErrInvalid
	}
	jobs = kept
	pl := pipeline.New(pipeline.Options{
		Root:      p.Root,
		NewPoster: Posters(p, req.Getenv),
		DryRun:    req.DryRun,
		Force:     req.Force,
		Only:      req.Only,
		Accounts:  req.Accounts,
		Policy:    pol,
		Platforms: p.Config.Platforms,
		Now:       now,
		RetryFor:  req.RetryFor,
		Identity:  Identities(p),
		Basis:     Bases(p, req.Getenv),

		RetryFailed: req.RetryFailed,
		ImageWait:   req.WaitLive,
		Progress:    req.Progress,
		Retrying:    req.Retrying,
	})
	if !req.DryRun && len(jobs) > 0 {
		// One run at a time may write the ledger: a second waits, then gives up
		// saying who holds it. A dry run writes nothing and never waits.
		lock, err := ledger.TakeLock(ctx, p.Root, ledger.LockOptions{Wait: req.LockWait, Command: req.Command, Now: now, Waiting: req.LockWaiting})
		if err != nil {
			return res, err
		}
		defer lock.Unlock()
	}
	// The ledger is read before anything is built or sent: a damaged one stops
	// the run with nothing done.
	if mode == pipeline.Pending {
		if jobs, err = pl.Unfinished(jobs); err != nil {
			return res, ledgerError(err)
		}
	} else if _, err := pl.Records(jobs); err != nil {
		return res, ledgerError(err)
	}
	if mode == pipeline.Explicit {
		// Refuse before building: a release that may not go out is not put on the
		// site either.
		if err := pl.Refused(jobs); err != nil {
			return res, Input(err)
		}
	}
	// A dry run too: what it shows of the press's message (its subject marked
	// EMBARGO) comes from the document; the PDF is drawn only when a message is sent.
	if err := withDocuments(p, jobs, rels, now()); err != nil {
		return res, err
	}
	build := func() error {
		b, err := Build(ctx, p, BuildRequest{Now: now(), Quiet: true, Tune: req.Tune})
		res.Builds = append(res.Builds, b)
		res.Diagnostics = append(res.Diagnostics, b.Diagnostics...)
		return err
	}
	if !req.DryRun && len(jobs) > 0 {
		if err := build(); err != nil {
			return res, err
		}
		if req.WaitLive > 0 {
			for _, j := range jobs {
				if err := pl.WaitLive(ctx, j.URL, req.WaitLive); err != nil {
					return res, fmt.Errorf("--wait-live: %w", err)
				}
			}
		}
	}
	res.Result, err = pl.Run(ctx, mode, jobs)
	if err != nil {
		var re *pipeline.RefusedError
		if errors.As(err, &re) {
			return res, Input(err)
		}
		return res, ledgerError(err)
	}
	res.Result.Releases = append(res.Result.Releases, unsendable...)
	if !req.DryRun && len(jobs) > 0 && ctx.Err() == nil {
		// Rebuild so the articles list where they were cross-posted; only they change.
		// Not for a run that was stopped: the person (or CI) asked it to end, and
		// the result must still say what went out; the next run rebuilds.
		if err := build(); err != nil {
			return res, err
		}
	}
	return res, nil
}

// failAll reports every target of j (after --only and --account) failed with
// the first of problems, none of them sent.
func failAll(j pipeline.Job, only, accounts []string, problems release.Diagnostics) pipeline.ReleaseResult {
	rr := pipeline.ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: []pipeline.TargetResult{}}
	for _, t := range j.Targets {
		if keep(only, accounts, t.Account, t.Platform) {
			rr.Targets = append(rr.Targets, pipeline.TargetResult{Account: t.Account, Platform: t.Platform,
				Status: pipeline.StatusFailed, Text: t.Text, Length: t.Length, Limit: t.Limit, Error: problems[0].String() + " (nothing was sent)"})
		}
	}
	return rr
}

// jobRelease is the release j was made from.
func jobRelease(rels []*release.Release, j pipeline.Job) *release.Release {
	for _, r := range rels {
		if r.File == j.File {
			return r
		}
	}
	return &release.Release{}
}

// load parses files. With any error it returns the invalid releases, each with
// its errors and no targets, for the --json document.
func load(p *project.Project, files []string) ([]*release.Release, release.Diagnostics, []pipeline.ReleaseResult) {
	if len(files) == 0 {
		return nil, nil, nil
	}
	rels, diags := p.LoadFiles(files)
	if !diags.HasErrors() {
		return rels, diags, nil
	}
	return nil, diags, invalidReleases(p, rels, diags)
}

// Jobs composes every target's post of each release; drafts are left out, as
// they are never published.
func Jobs(p *project.Project, rels []*release.Release) ([]pipeline.Job, error) {
	var jobs []pipeline.Job
	for _, r := range rels {
		if r.Draft {
			continue
		}
		cts, err := compose.Compose(p, r)
		if err != nil {
			return nil, Input(err) // compose errors name the file
		}
		ts, err := pipeline.FromCompose(p.Root, cts)
		if err != nil {
			return nil, Input(fmt.Errorf("%s: %w", r.File, err))
		}
		jobs = append(jobs, pipeline.NewJob(r, p.Config.ArticleURL(r.Slug), ts))
	}
	return jobs, nil
}

// Posters builds each target's adapter through its platform's registry value,
// from the environment; a missing credential fails that target alone.
func Posters(p *project.Project, getenv publish.Getenv) pipeline.Factory {
	cfg := p.Config
	return func(account, platform string) (publish.Poster, error) {
		acc, ok := cfg.Account(account)
		if !ok {
			return nil, fmt.Errorf("%s: not an account in humas.yaml", account)
		}
		pa, on := acc.On(platform)
		pl, known := cfg.Platforms.Lookup(platform)
		if !on || !known {
			return nil, fmt.Errorf("%s/%s: no such account in humas.yaml", account, platform)
		}
		return pl.Open(pa, getenv, p.Root)
	}
}

// Identities says, per account and platform, who the credentials must belong to
// (platform.Identity of the account humas.yaml names): the pipeline checks it
// before the first post of a run, and doctor with every check.
func Identities(p *project.Project) func(account, platform string) string {
	cfg := p.Config
	return func(account, name string) string {
		acc, ok := cfg.Account(account)
		if !ok {
			return ""
		}
		pa, on := acc.On(name)
		pl, known := cfg.Platforms.Lookup(name)
		if !on || !known || pl.Identity == nil {
			return ""
		}
		return pl.Identity(pa)
	}
}

// Bases fingerprints each account's settings on a platform, its endpoint and its
// credentials, so a target that failed for good is tried again once one changes.
// Only a short hash of the credentials is kept: enough to see a change, nothing to
// recover a secret from, and the ledger it goes in is committed to git.
func Bases(p *project.Project, getenv publish.Getenv) func(account, platform string) string {
	cfg := p.Config
	return func(account, name string) string {
		h := sha256.New()
		acc, _ := cfg.Account(account)
		pa, _ := acc.On(name)
		keys := make([]string, 0, len(pa.Settings))
		for k := range pa.Settings {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(h, "%s=%s\x00", k, pa.Settings[k])
		}
		if pl, ok := cfg.Platforms.Lookup(name); ok {
			if pl.Endpoint.Var != "" {
				fmt.Fprintf(h, "%s=%s\x00", pl.Endpoint.Var, getenv(pl.Endpoint.Var))
			}
			for _, c := range pl.Credentials {
				v := publish.EnvName(account, c.Field)
				fmt.Fprintf(h, "%s=%s\x00", v, getenv(v))
			}
		}
		return hex.EncodeToString(h.Sum(nil))[:16]
	}
}

// ledgerError makes a damaged ledger an input error: nothing was posted, and the
// message says how to repair it.
func ledgerError(err error) error {
	var de *ledger.DamagedError
	if errors.As(err, &de) {
		return Input(err)
	}
	return err
}
