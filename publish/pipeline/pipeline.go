// Package pipeline publishes releases to their targets exactly once: it consults and
// updates the ledger around every send, posts the issuer first, and keeps going when
// one target fails.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline/dryrun"
	"github.com/balikpapan/humas/publish/pipeline/retry"
	"github.com/balikpapan/humas/publish/release"
)

// Mode is how the releases were chosen, which decides what an embargo means.
type Mode int

const (
	// Explicit is `publish FILE…`: a release that may not go out yet is a usage
	// error (exit 2) and nothing is posted.
	Explicit Mode = iota
	// Changed is `publish --changed`: such a release is skipped.
	Changed
	// Pending is `publish --pending`: such a release is skipped, and releases
	// already fully posted are left out of the result.
	Pending
)

// Job is one release to publish and its composed targets.
type Job struct {
	File           string // as shown in messages and JSON
	Slug           string
	URL            string // the article; adapters find a post by it
	Classification string
	Date           time.Time // the release's date, for Options.Since
	Embargo        time.Time // zero when none
	Targets        []Target
}

// NewJob is the job for a parsed release whose article lives at url.
func NewJob(r *release.Release, url string, targets []Target) Job {
	return Job{File: r.File, Slug: r.Slug, URL: url, Classification: r.Classification, Date: r.Date, Embargo: r.Embargo, Targets: targets}
}

// Target is one composed post.
type Target struct {
	Account, AccountName, Platform string
	Issuer                         bool // the issuer's targets are posted before anyone else's
	Text                           string
	Length, Limit                  int
	Link                           string // the article URL, sent as Facebook's link
	Image                          *publish.Image
	// Quote asks for a quote of the issuer's post on the same platform (X). When the
	// issuer has no such post (it failed, or is not targeted), Fallback is posted
	// instead, without a quote; it should credit the issuer ("Sumber: …") and
	// link the article. An empty Fallback posts Text without a quote.
	Quote          bool
	Fallback       string
	FallbackLength int
}

// Factory makes the Poster of one account on one platform, reading its credentials;
// a *publish.MissingCredentialsError fails just that target.
type Factory func(account, platform string) (publish.Poster, error)

// Options configure a Pipeline. Root and NewPoster are required unless DryRun.
type Options struct {
	Root      string        // project root; the ledger is Root/.humas/ledger
	Ledger    *ledger.Store // default ledger.Open(Root)
	NewPoster Factory

	DryRun   bool     // no network, no ledger change: every target reports dry-run
	Force    bool     // post again what the ledger says is posted
	Only     []string // platforms to post on; empty means all
	Accounts []string // accounts to post on; empty means all

	Blackout config.Blackouts // windows in which only serta-merta releases go out
	// Since is humas.yaml's publish.since: releases dated before it are the archive,
	// never cross-posted. Zero means every release.
	Since time.Time
	Now   func() time.Time // default time.Now

	RetryFor       time.Duration // default retry.DefaultFor
	RequestTimeout time.Duration // default retry.DefaultRequestTimeout
	Clock          retry.Clock   // sleeping for retries and WaitLive; default wall clock
	Jitter         func() float64

	HTTPClient *http.Client // for WaitLive; default a plain client

	// Progress is called once per finished target, never concurrently.
	Progress func(file string, t TargetResult)
	// Retrying, if set, hears of each transient failure of account/platform that
	// will be tried again after wait. It may be called concurrently.
	Retrying func(account, platform string, err error, wait time.Duration)
}

// Pipeline publishes jobs. Make one per command run: it caches posters.
type Pipeline struct {
	opts   Options
	ledger recorder

	mu       sync.Mutex
	posters  map[string]posterOrErr
	progress sync.Mutex
}

type posterOrErr struct {
	p   publish.Poster
	err error
}

// recorder is the part of the ledger the pipeline uses. A dry run gets readOnly,
// whose Save cannot write, so no code path of a dry run can change .humas/.
type recorder interface {
	Load(slug string) (*ledger.Record, error)
	Save(*ledger.Record) error
}

type readOnly struct{ store *ledger.Store }

func (r readOnly) Load(slug string) (*ledger.Record, error) { return r.store.Load(slug) }
func (readOnly) Save(*ledger.Record) error                  { return nil }

// New returns a pipeline with o's defaults filled in.
func New(o Options) *Pipeline {
	if o.Ledger == nil {
		o.Ledger = ledger.Open(o.Root)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Clock == nil {
		o.Clock = retry.RealClock{}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.DryRun {
		o.HTTPClient = dryrun.Client()
	}
	p := &Pipeline{opts: o, posters: map[string]posterOrErr{}}
	if o.DryRun {
		p.ledger = readOnly{o.Ledger}
	} else {
		p.ledger = o.Ledger
	}
	return p
}

// RefusedError is a release that may not be published now, or ever. The CLI exits 2.
type RefusedError struct {
	File   string
	Reason string // "embargo lifts at …", "blackout: masa tenang … until …"
}

func (e *RefusedError) Error() string { return e.File + ": " + e.Reason }

// refusal says why j may not go out at now, or "" when it may. A dry run asks the
// same question, so that what it previews says what the real run will do.
func (p *Pipeline) refusal(j Job, now time.Time) string {
	if j.Classification == release.Dikecualikan {
		return "classification dikecualikan: exempted information is never published"
	}
	if !p.opts.Since.IsZero() && j.Date.Before(p.opts.Since) {
		return "archive: dated before publish.since (" + idtime.Date(p.opts.Since) + " in humas.yaml), so it is on the site but never cross-posted"
	}
	if !j.Embargo.IsZero() && now.Before(j.Embargo) {
		return "embargo lifts at " + when(j.Embargo)
	}
	if j.Classification != release.SertaMerta {
		if b, ok := p.opts.Blackout.At(now); ok {
			return fmt.Sprintf("blackout: %s until %s", b.Reason, when(b.To))
		}
	}
	return ""
}

// Refused returns, for releases named one by one (Explicit mode), a *RefusedError
// for each that may not go out now, joined; nil when all may. A dry run is never
// refused but for dikecualikan: it previews, and says what holds the release back.
func (p *Pipeline) Refused(jobs []Job) error {
	now := p.opts.Now()
	var refused []error
	for _, j := range jobs {
		why := p.refusal(j, now)
		if why != "" && (!p.opts.DryRun || j.Classification == release.Dikecualikan) {
			refused = append(refused, &RefusedError{File: j.File, Reason: why})
		}
	}
	return errors.Join(refused...)
}

// when is an instant as the press officer reads it, and as a script parses it.
func when(t time.Time) string {
	return idtime.DateTime(t) + " (" + t.Format(time.RFC3339) + ")"
}

// Run publishes jobs in order, each target at most once. Every ledger is read before
// anything is sent, so a damaged one stops the run with nothing posted; so does, in
// Explicit mode, a release that may not go out (a *RefusedError). Failures of single
// targets are in the Result, not the error.
func (p *Pipeline) Run(ctx context.Context, mode Mode, jobs []Job) (Result, error) {
	now := p.opts.Now()
	recs := make([]*ledger.Record, len(jobs))
	for i, j := range jobs {
		rec, err := p.ledger.Load(j.Slug)
		if err != nil {
			return Result{Releases: []ReleaseResult{}}, err
		}
		recs[i] = rec
	}
	if mode == Explicit {
		if err := p.Refused(jobs); err != nil {
			return Result{Releases: []ReleaseResult{}}, err
		}
	}
	res := Result{Releases: []ReleaseResult{}}
	for i, j := range jobs {
		targets := p.filter(j.Targets)
		if mode == Pending && !p.opts.Force && done(recs[i], targets) {
			continue
		}
		why := p.refusal(j, now)
		if why != "" && mode != Explicit {
			res.Releases = append(res.Releases, p.skip(j, targets, why))
			continue
		}
		rr := p.publish(ctx, j, recs[i], targets)
		rr.Held = why // a dry run of a release named one by one: previewed, and why it waits
		res.Releases = append(res.Releases, rr)
	}
	return res, nil
}

func (p *Pipeline) filter(ts []Target) []Target {
	var out []Target
	for _, t := range ts {
		if len(p.opts.Only) > 0 && !slices.Contains(p.opts.Only, t.Platform) {
			continue
		}
		if len(p.opts.Accounts) > 0 && !slices.Contains(p.opts.Accounts, t.Account) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// done reports whether every target is posted.
func done(rec *ledger.Record, ts []Target) bool {
	for _, t := range ts {
		if lt := rec.Target(t.Account, t.Platform); lt == nil || lt.State != ledger.Posted {
			return false
		}
	}
	return true
}

// Unfinished returns the jobs with a target (after the Only and Accounts filters)
// that the ledger does not hold as posted.
func (p *Pipeline) Unfinished(jobs []Job) ([]Job, error) {
	var out []Job
	for _, j := range jobs {
		rec, err := p.ledger.Load(j.Slug)
		if err != nil {
			return nil, err
		}
		if !done(rec, p.filter(j.Targets)) {
			out = append(out, j)
		}
	}
	return out, nil
}

// Status is what the ledger says of each job's targets; it sends nothing.
func (p *Pipeline) Status(jobs []Job) (Result, error) {
	res := Result{Releases: []ReleaseResult{}}
	for _, j := range jobs {
		rec, err := p.ledger.Load(j.Slug)
		if err != nil {
			return res, err
		}
		rr := ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: []TargetResult{}}
		// What keeps an unposted target waiting, if anything: it is the answer to
		// "why is this still pending?".
		why := p.refusal(j, p.opts.Now())
		for _, t := range p.filter(j.Targets) {
			tr := fromLedger(base(t), rec.Target(t.Account, t.Platform))
			if tr.Status == StatusPending && why != "" {
				tr.Status, tr.Error = StatusSkipped, why
			}
			rr.Targets = append(rr.Targets, tr)
		}
		res.Releases = append(res.Releases, rr)
	}
	return res, nil
}

func base(t Target) TargetResult {
	tr := TargetResult{Account: t.Account, Platform: t.Platform, Text: t.Text, Length: t.Length, Limit: t.Limit}
	if t.Image != nil {
		tr.Image = t.Image.Name
	}
	return tr
}

func (p *Pipeline) skip(j Job, ts []Target, why string) ReleaseResult {
	rr := ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: []TargetResult{}}
	for _, t := range ts {
		tr := base(t)
		tr.Status, tr.Error = StatusSkipped, why
		rr.Targets = append(rr.Targets, tr)
		p.report(j.File, tr)
	}
	return rr
}

func (p *Pipeline) report(file string, tr TargetResult) {
	if p.opts.Progress == nil {
		return
	}
	p.progress.Lock()
	defer p.progress.Unlock()
	p.opts.Progress(file, tr)
}

// poster returns the (retrying, or dry-run) poster of account/platform, made once.
func (p *Pipeline) poster(account, platform string) (publish.Poster, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := ledger.Key(account, platform)
	if pe, ok := p.posters[k]; ok {
		return pe.p, pe.err
	}
	var pe posterOrErr
	switch {
	case p.opts.DryRun:
		pe.p = &dryrun.Poster{Account: account, Platform: platform}
	case p.opts.NewPoster == nil:
		pe.err = fmt.Errorf("%s: no poster factory", k)
	default:
		inner, err := p.opts.NewPoster(account, platform)
		if err != nil {
			pe.err = err
		} else {
			ro := retry.Options{
				For: p.opts.RetryFor, RequestTimeout: p.opts.RequestTimeout,
				Clock: p.opts.Clock, Jitter: p.opts.Jitter,
			}
			if hear := p.opts.Retrying; hear != nil {
				ro.OnRetry = func(err error, wait time.Duration) { hear(account, platform, err, wait) }
			}
			pe.p = retry.New(inner, ro)
		}
	}
	p.posters[k] = pe
	return pe.p, pe.err
}

// Verify proves the credentials of account/platform with a read-only call and
// returns the name the platform knows the account by (humas doctor).
func (p *Pipeline) Verify(ctx context.Context, account, platform string) (string, error) {
	ps, err := p.poster(account, platform)
	if err != nil {
		return "", err
	}
	return ps.Verify(ctx)
}
