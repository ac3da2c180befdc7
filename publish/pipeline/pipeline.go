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
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline/dryrun"
	"github.com/balikpapan/humas/publish/pipeline/retry"
	"github.com/balikpapan/humas/publish/platform"
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
	// Issuer and Title, with Date, are how the ledger knows the release again
	// when its file is renamed.
	Issuer, Title string
	Targets       []Target
	// Document is the whole release, for a platform that sends it entire (email);
	// nil when none is needed.
	Document *publish.Document
	// Partner: a partner office's release (humas repost), held by our rules as
	// hold.Facts.Partner says. Its ledger record is LedgerID when first made.
	Partner  bool
	LedgerID string
}

// NewJob is the job for a parsed release whose article lives at url.
func NewJob(r *release.Release, url string, targets []Target) Job {
	return Job{File: r.File, Slug: r.Slug, URL: url, Classification: r.Classification, Date: r.Date, Embargo: r.Embargo,
		Issuer: r.Issuer, Title: r.Title, Targets: targets}
}

// Facts are what the ledger knows j's release by.
func (j Job) Facts() ledger.Facts {
	return ledger.Facts{File: j.File, Slug: j.Slug, URL: j.URL, Issuer: j.Issuer, Title: j.Title, Date: j.Date, ID: j.LedgerID}
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
	// Collaborators are the partners invited to co-author the post, by handle
	// (publish.Post.Collaborators: an Instagram Collab post).
	Collaborators []string
	// Collab: a partner invited on the issuer's post on the same platform. It
	// posts nothing: once the issuer's post exists it is this target's post too,
	// which the partner accepts in the app.
	Collab bool
	// Invitee is a Collab target's handle on the platform, which the issuer's
	// post must have invited.
	Invitee string
	// QuoteOf is the remote id of a post this one quotes that our ledger does not
	// hold: a partner office's post, named by its feed (humas repost).
	QuoteOf string
	// Note is said of the post when it is sent (or a dry run shows it) and the
	// pipeline has nothing to say of its own: a repost that does not quote says
	// why ("not quoting: …").
	Note string
}

// Factory makes the Poster of one account on one platform, reading its credentials;
// a *publish.MissingCredentialsError fails just that target.
type Factory func(account, platform string) (publish.Poster, error)

// Options configure a Pipeline. Root and NewPoster are required unless DryRun.
type Options struct {
	Root      string        // project root; the ledger is Root/.humas/ledger
	Ledger    *ledger.Store // default ledger.Open(Root)
	NewPoster Factory

	DryRun bool // no network, no ledger change: every target reports dry-run
	Force  bool // post again what the ledger says is posted
	// RetryFailed tries again, in a run chosen by --changed or --pending, targets
	// that failed for good (a refused token, text or picture); without it they wait
	// until the post, the account's settings or its credentials change.
	RetryFailed bool
	Only        []string // platforms to post on; empty means all
	Accounts    []string // accounts to post on; empty means all

	// Policy is what may go out when (publish.since, blackout windows): the one
	// every command asks, hold.PolicyOf(cfg).
	Policy hold.Policy
	// Platforms are the platforms targets name (config's registry); a platform
	// missing from it is held by the general rules.
	Platforms platform.Registry
	Now       func() time.Time // default time.Now

	// Identity is who the credentials of account/platform must belong to, as the
	// platform's Verify says it (platform.Identity of the account humas.yaml
	// names): checked once a run before the first post there. nil checks nothing;
	// "" leaves the comparison to the adapter's Verify.
	Identity func(account, platform string) string
	// Basis fingerprints the settings and credentials of account/platform, so a
	// failure for good is tried again once they change. nil: nothing but the post.
	Basis func(account, platform string) string

	RetryFor       time.Duration // default retry.DefaultFor
	RequestTimeout time.Duration // default retry.DefaultRequestTimeout
	Clock          retry.Clock   // sleeping for retries and WaitLive; default wall clock
	Jitter         func() float64

	HTTPClient *http.Client // for WaitLive; default a plain client
	// ImageWait bounds the wait for a picture a platform fetches from the site
	// (publish.Image.URL) to answer 200 before it is asked to: default
	// DefaultImageWait.
	ImageWait time.Duration

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
	// mailer is the adapter itself when it sends to a list one recipient at a
	// time (publish.Mailer); the pipeline then records each recipient.
	mailer publish.Mailer
}

// recorder is the part of the ledger the pipeline uses. A dry run gets readOnly,
// whose saves cannot write, so no code path of a dry run can change .humas/.
type recorder interface {
	All() ([]*ledger.Record, error)
	SaveTarget(r *ledger.Record, account, platform string) error
	SaveRelease(r *ledger.Record) error
}

type readOnly struct{ store *ledger.Store }

func (r readOnly) All() ([]*ledger.Record, error)                { return r.store.All() }
func (readOnly) SaveTarget(*ledger.Record, string, string) error { return nil }
func (readOnly) SaveRelease(*ledger.Record) error                { return nil }

// Records finds the ledger record of each job (ledger.Match): by its file, or, for
// a file renamed after it was posted, the record of the release it was. It reads
// and never writes.
func (p *Pipeline) Records(jobs []Job) ([]ledger.Found, error) {
	all, err := p.ledger.All()
	if err != nil {
		return nil, err
	}
	facts := make([]ledger.Facts, len(jobs))
	for i, j := range jobs {
		facts[i] = j.Facts()
	}
	return ledger.Match(all, facts, ledger.Gone(p.opts.Root)), nil
}

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
	if o.ImageWait <= 0 {
		o.ImageWait = DefaultImageWait
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

func (j Job) facts() hold.Facts {
	return hold.Facts{Classification: j.Classification, Date: j.Date, Embargo: j.Embargo, Partner: j.Partner}
}

// holdOf says what keeps target t of j back at now (hold.Policy.Check); a dry run
// asks the same question, so that what it previews says what the real run will do.
func (p *Pipeline) holdOf(j Job, t Target, now time.Time) hold.Hold {
	return p.opts.Policy.Check(j.facts(), now, p.platformOf(t.Platform))
}

// held says what keeps every one of ts back, or nothing when one of them may go:
// a release only the press may receive before its embargo still goes to the press.
func (p *Pipeline) held(j Job, ts []Target, now time.Time) hold.Hold {
	pls := make([]*platform.Platform, len(ts))
	for i, t := range ts {
		pls[i] = p.platformOf(t.Platform)
	}
	return p.opts.Policy.Posts(j.facts(), now, pls)
}

// platformOf is the registry's platform called name; one the registry lacks is
// held by the rules every platform shares.
func (p *Pipeline) platformOf(name string) *platform.Platform {
	if pl, ok := p.opts.Platforms.Lookup(name); ok {
		return pl
	}
	return &platform.Platform{Name: name}
}

// Refused returns, for releases named one by one (Explicit mode), a *RefusedError
// for each that may not go out now, joined; nil when all may. A dry run is never
// refused but for dikecualikan: it previews, and says what holds the release back.
func (p *Pipeline) Refused(jobs []Job) error {
	now := p.opts.Now()
	var refused []error
	for _, j := range jobs {
		h := p.held(j, p.filter(j.Targets), now)
		if h.Held() && (!p.opts.DryRun || h.Reason == hold.Exempted) {
			refused = append(refused, &RefusedError{File: j.File, Reason: h.Message})
		}
	}
	return errors.Join(refused...)
}

// Run publishes jobs in order, each target at most once. Every ledger is read before
// anything is sent, so a damaged one stops the run with nothing posted; so does, in
// Explicit mode, a release that may not go out (a *RefusedError). Failures of single
// targets are in the Result, not the error.
func (p *Pipeline) Run(ctx context.Context, mode Mode, jobs []Job) (Result, error) {
	now := p.opts.Now()
	found, err := p.Records(jobs)
	if err != nil {
		return Result{Releases: []ReleaseResult{}}, err
	}
	if mode == Explicit {
		if err := p.Refused(jobs); err != nil {
			return Result{Releases: []ReleaseResult{}}, err
		}
	}
	recs := make([]*ledger.Record, len(jobs))
	for i, f := range found {
		recs[i] = f.Record
		// A release renamed after it was posted, or recorded by an older humas:
		// the ledger follows it now, even when nothing is sent (not in a dry run).
		if f.Changed && !f.New {
			if err := p.ledger.SaveRelease(f.Record); err != nil {
				return Result{Releases: []ReleaseResult{}}, err
			}
		}
	}
	res := Result{Releases: []ReleaseResult{}}
	for i, j := range jobs {
		targets := p.filter(j.Targets)
		if mode == Pending && !p.opts.Force && Done(recs[i], targets) {
			continue
		}
		h := p.held(j, targets, now)
		if h.Held() && mode != Explicit {
			res.Releases = append(res.Releases, p.skip(j, targets, h.Message))
			continue
		}
		// Targets held while others go (the press before an embargo) are skipped;
		// a dry run of a release named one by one previews every target, and says
		// what holds the release back.
		holds := make([]hold.Hold, len(targets))
		if !h.Held() {
			for k, t := range targets {
				holds[k] = p.holdOf(j, t, now)
			}
		}
		rr := p.publish(ctx, mode, j, recs[i], targets, holds)
		rr.Held = h.Message
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

// Done reports whether rec holds every one of ts as posted.
func Done(rec *ledger.Record, ts []Target) bool {
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
	found, err := p.Records(jobs)
	if err != nil {
		return nil, err
	}
	var out []Job
	for i, j := range jobs {
		if !Done(found[i].Record, p.filter(j.Targets)) {
			out = append(out, j)
		}
	}
	return out, nil
}

// Status is what the ledger says of each job's targets; it sends nothing.
func (p *Pipeline) Status(jobs []Job) (Result, error) {
	res := Result{Releases: []ReleaseResult{}}
	found, err := p.Records(jobs)
	if err != nil {
		return res, err
	}
	for i, j := range jobs {
		rec := found[i].Record
		rr := ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: []TargetResult{}}
		// What keeps an unposted target waiting, if anything: it is the answer to
		// "why is this still pending?".
		now := p.opts.Now()
		for _, t := range p.filter(j.Targets) {
			lt := rec.Target(t.Account, t.Platform)
			tr := fromLedger(base(t), lt)
			if h := p.holdOf(j, t, now); tr.Status == StatusPending && h.Held() {
				tr.Status, tr.Error = StatusSkipped, h.Message
			}
			switch {
			case lt == nil:
			case lt.State == ledger.Pending && p.platformOf(t.Platform).CannotLook:
				tr.Needs, tr.Note = NeedsDecision, ""
				tr.Error = DecisionNote(j.File, t.Account, t.Platform, p.platformOf(t.Platform).DisplayName)
			case lt.State == ledger.Failed && lt.Permanent:
				tr.Needs, tr.Error = NeedsPerson, PersonNote(j.File, lt)
			case lt.State == ledger.Failed && lt.NotBefore.After(now):
				tr.Status = StatusSkipped
				tr.Error = limitNote(lt.Error, lt.NotBefore)
			}
			if t.Collab && tr.Status == StatusPosted {
				// The partner's part is in the app: say so until it is done.
				tr.Note = InvitedNote(p.opts.Platforms.DisplayName(t.Platform))
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
		pe.p = &dryrun.Poster{Account: account, Platform: platform, Refuse: p.platformOf(platform).CheckText}
	case p.opts.NewPoster == nil:
		pe.err = fmt.Errorf("%s: no poster factory", k)
	default:
		inner, err := p.opts.NewPoster(account, platform)
		if err != nil {
			pe.err = err
		} else {
			next := inner
			if p.opts.Identity != nil {
				next = &identified{next: inner, want: p.opts.Identity(account, platform), account: account, platform: platform}
			}
			pe.p = imageLive{next: retry.New(next, p.retryOptions(account, platform)), p: p}
			pe.mailer, _ = inner.(publish.Mailer)
		}
	}
	p.posters[k] = pe
	return pe.p, pe.err
}

// retryOptions are the retry bounds of account/platform's requests.
func (p *Pipeline) retryOptions(account, platform string) retry.Options {
	ro := retry.Options{
		For: p.opts.RetryFor, RequestTimeout: p.opts.RequestTimeout,
		Clock: p.opts.Clock, Jitter: p.opts.Jitter,
	}
	if hear := p.opts.Retrying; hear != nil {
		ro.OnRetry = func(err error, wait time.Duration) { hear(account, platform, err, wait) }
	}
	return ro
}

// mailer is account/platform's adapter when it sends to a list, else nil.
func (p *Pipeline) mailer(account, platform string) publish.Mailer {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.posters[ledger.Key(account, platform)].mailer
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
