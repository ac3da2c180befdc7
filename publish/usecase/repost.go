package usecase

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/repost"
)

// RepostRequest says which partners to read and how to repost their releases.
type RepostRequest struct {
	Partners       []string // --partner: only these partner keys; empty means all
	Only, Accounts []string // --only, --account
	DryRun         bool     // read the feeds, post nothing, write nothing
	RetryFor       time.Duration

	Getenv publish.Getenv
	Now    func() time.Time
	// HTTPClient reads the feeds; nil is a client of repost's own. Posting goes
	// through each platform's adapter, as publish does.
	HTTPClient *http.Client
	// FeedTimeout and FeedLimit bound each feed (0: repost's defaults).
	FeedTimeout time.Duration
	FeedLimit   int64

	// LockWait, Command and LockWaiting are publish's (ledger.TakeLock): one run
	// at a time writes the ledger, publish or repost.
	LockWait    time.Duration
	Command     string
	LockWaiting func(ledger.Holder)

	Progress func(file string, t pipeline.TargetResult)
	Retrying func(account, platform string, err error, wait time.Duration)
}

// RepostResult is what repost did. Result has the publish shape, file being each
// item's URL; a partner whose feed could not be read is an entry whose error
// names the partner, with no targets.
type RepostResult struct {
	Result   pipeline.Result
	Partners []PartnerRead
}

// PartnerRead is how one partner's feed answered.
type PartnerRead struct {
	Key, Name, Feed string
	Items           int    // items the feed holds
	NotModified     bool   // it answered 304: the items of the last run stand
	Error           string // why it could not be read, "" when it was
}

// Failed reports whether the run exits 1: a target failed, or a partner's feed
// could not be read.
func (r RepostResult) Failed() bool {
	for _, p := range r.Partners {
		if p.Error != "" {
			return true
		}
	}
	return r.Result.Failed()
}

// Repost reads every partner's feed and reposts each new item onto our accounts its
// repost: names, exactly once, through the publish pipeline and ledger (keyed by the
// item's URL): on a platform that quotes (X), a quote of the partner's own post
// when its feed names one; elsewhere our own post naming the partner and linking
// its article. Our rules hold for its items (hold.Policy with Facts.Partner). A
// partner whose feed is down or invalid fails alone; the error is for bad input
// (InputError: nothing was posted) or a damaged ledger.
func Repost(ctx context.Context, p *project.Project, req RepostRequest) (RepostResult, error) {
	res := RepostResult{Result: pipeline.Result{Releases: []pipeline.ReleaseResult{}}}
	cfg := p.Config
	partners, err := selectPartners(cfg, req.Partners)
	if err != nil {
		return res, err
	}
	now := req.Now
	if now == nil {
		now = time.Now
	}
	f := &repost.Fetcher{Client: req.HTTPClient, Timeout: req.FeedTimeout, Limit: req.FeedLimit, UserAgent: "humas (+" + cfg.Site.BaseURL + ")"}
	sources := f.Read(ctx, p.Root, partners, now())
	if err := ctx.Err(); err != nil {
		return res, err // stopped while reading: nothing was posted
	}
	if !req.DryRun {
		// Taken once the feeds are read, which may take their whole deadline: a
		// publish waiting on us waits only for the ledger work.
		lock, err := ledger.TakeLock(ctx, p.Root, ledger.LockOptions{Wait: req.LockWait, Command: req.Command, Now: now, Waiting: req.LockWaiting})
		if err != nil {
			return res, err
		}
		defer lock.Unlock()
	}
	pol := hold.PolicyOf(cfg)
	pl := pipeline.New(pipeline.Options{
		Root:      p.Root,
		NewPoster: Posters(p, req.Getenv),
		DryRun:    req.DryRun,
		Only:      req.Only,
		Accounts:  req.Accounts,
		Policy:    pol,
		Platforms: cfg.Platforms,
		Now:       now,
		RetryFor:  req.RetryFor,
		Progress:  req.Progress,
		Retrying:  req.Retrying,
	})
	var items []partnerItem
	for _, s := range sources {
		read := PartnerRead{Key: s.Partner.Key, Name: s.Partner.Name, Feed: s.Partner.Feed, Items: len(s.Items), NotModified: s.Fetched.NotModified}
		if s.Err != nil {
			read.Error = s.Err.Error()
			res.Result.Releases = append(res.Result.Releases, pipeline.ReleaseResult{
				File: s.Partner.Feed, URL: s.Partner.Feed, Targets: []pipeline.TargetResult{},
				Error: fmt.Sprintf("partner %s (%s): %v", s.Partner.Key, s.Partner.Name, s.Err),
			})
		}
		res.Partners = append(res.Partners, read)
		if s.Err == nil {
			items = append(items, itemsOf(cfg, s, req)...)
		}
	}
	// The ledger is read once for every partner's items: it is most of the work
	// of a run with nothing new.
	bare := make([]pipeline.Job, len(items))
	for i, it := range items {
		bare[i] = it.job
	}
	found, err := pl.Records(bare)
	if err != nil {
		return res, ledgerError(err)
	}
	if !req.DryRun {
		// An item the partner renamed: its record follows the new address now,
		// even when nothing is to be posted of it.
		for _, f := range found {
			if f.Changed && !f.New {
				if err := ledger.Open(p.Root).SaveRelease(f.Record); err != nil {
					return res, ledgerError(err)
				}
			}
		}
	}
	var jobs []pipeline.Job
	// waiting are the targets of a job that wait for the issuer's post they
	// would quote: they are not in the job, and are shown beside its targets.
	var waiting map[string][]pipeline.TargetResult
	for i, it := range items {
		if pipeline.Done(found[i].Record, it.job.Targets) {
			continue
		}
		j, skipped, waits, err := it.compose(p, pol, now())
		if err != nil {
			return res, err
		}
		if skipped != nil {
			res.Result.Releases = append(res.Result.Releases, *skipped)
			continue
		}
		if len(waits) > 0 {
			if len(j.Targets) == 0 {
				res.Result.Releases = append(res.Result.Releases, pipeline.ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: waits})
				continue
			}
			if waiting == nil {
				waiting = map[string][]pipeline.TargetResult{}
			}
			waiting[j.File] = waits
		}
		jobs = append(jobs, j)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	recs := make([]*ledger.Record, len(found))
	for i, f := range found {
		recs[i] = f.Record
	}
	if len(jobs) > 0 {
		posted, err := pl.Run(ctx, pipeline.Pending, jobs)
		if err != nil {
			return res, ledgerError(err)
		}
		for i := range posted.Releases {
			rr := &posted.Releases[i]
			if w, ok := waiting[rr.File]; ok {
				rr.Targets = append(rr.Targets, w...)
				delete(waiting, rr.File)
			}
		}
		res.Result.Releases = append(res.Result.Releases, posted.Releases...)
		recs = nil // read again: there are new posts
	}
	// A job whose other targets were posted before is not in the pipeline's
	// result: its waiting targets still say what they wait for.
	for _, j := range jobs {
		if w, ok := waiting[j.File]; ok {
			res.Result.Releases = append(res.Result.Releases, pipeline.ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: w})
		}
	}
	if req.DryRun {
		return res, nil
	}
	return res, saveStates(p.Root, sources, recs)
}

// selectPartners returns the partners --partner names, all without it.
func selectPartners(cfg *config.Config, keys []string) ([]config.Partner, error) {
	if len(keys) == 0 {
		return cfg.Partners, nil
	}
	var out []config.Partner
	for _, k := range keys {
		pt, ok := cfg.Partner(k)
		if !ok {
			known := make([]string, len(cfg.Partners))
			for i, p := range cfg.Partners {
				known[i] = p.Key
			}
			hint := "add it under partners: in " + config.FileName
			if len(known) > 0 {
				hint = "use " + strings.Join(known, ", ")
			}
			return nil, &InputError{Err: fmt.Errorf("--partner: %q is not a partner in %s", k, config.FileName), Hint: hint}
		}
		out = append(out, *pt)
	}
	return out, nil
}

// partnerItem is one item of a partner's feed and the ledger's view of it.
type partnerItem struct {
	source  *repost.Source
	item    repost.Item
	targets []config.Target
	pls     []*platform.Platform
	job     pipeline.Job // targets with their keys only, until composed
}

// itemsOf lists the items of one partner, oldest first so our accounts pass them
// on in the order they were published, each with our targets after --only and
// --account.
func itemsOf(cfg *config.Config, s *repost.Source, req RepostRequest) []partnerItem {
	var targets []config.Target
	for _, t := range s.Partner.Targets {
		if keep(req.Only, req.Accounts, t.Account, t.Platform) {
			targets = append(targets, t)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	pls := make([]*platform.Platform, len(targets))
	for i, t := range targets {
		pls[i], _ = cfg.Platforms.Lookup(t.Platform)
	}
	out := make([]partnerItem, 0, len(s.Items))
	seen := make(map[string]bool, len(s.Items))
	for i := len(s.Items) - 1; i >= 0; i-- {
		it := s.Items[i]
		if seen[it.URL] {
			continue
		}
		seen[it.URL] = true
		j := itemJob(s.Partner.Key, it)
		for _, t := range targets {
			j.Targets = append(j.Targets, pipeline.Target{Account: t.Account, Platform: t.Platform})
		}
		out = append(out, partnerItem{source: s, item: it, targets: targets, pls: pls, job: j})
	}
	return out
}

// compose makes the job that reposts pi, or, when our rules hold it back (or it
// is one of our own), the result that says so: nothing is composed for it. waits
// are the targets left out of the job because they wait for the issuer's post
// they would quote (quoteWait); nothing is recorded of them, so a later run
// posts them.
func (pi partnerItem) compose(p *project.Project, pol hold.Policy, now time.Time) (pipeline.Job, *pipeline.ReleaseResult, []pipeline.TargetResult, error) {
	cfg, it, j := p.Config, pi.item, pi.job
	why := ""
	if ownArticle(cfg, it) {
		why = "our own release, back from the partner's feed: never reposted"
	} else if h := pol.Posts(it.Facts(), now, pi.pls); h.Held() {
		why = h.Message
	}
	if why != "" {
		rr := pipeline.ReleaseResult{File: j.File, Slug: j.Slug, URL: j.URL, Targets: []pipeline.TargetResult{}}
		for _, t := range j.Targets {
			rr.Targets = append(rr.Targets, pipeline.TargetResult{Account: t.Account, Platform: t.Platform, Status: pipeline.StatusSkipped, Error: why})
		}
		return j, &rr, nil, nil
	}
	var (
		targets []config.Target
		waits   []pipeline.TargetResult
		notes   = map[config.Target]string{}
	)
	for i, t := range pi.targets {
		wait, note := pi.quoteWait(pi.pls[i], now, idtime.In(cfg.Site.Location))
		if wait != "" {
			waits = append(waits, pipeline.TargetResult{Account: t.Account, Platform: t.Platform, Status: pipeline.StatusSkipped, Error: wait})
			continue
		}
		notes[t] = note
		targets = append(targets, t)
	}
	j.Targets = make([]pipeline.Target, 0, len(targets))
	if len(targets) == 0 {
		return j, nil, waits, nil
	}
	cts, err := compose.ComposeRepost(cfg, p.Templates, repost.Composable(pi.source.Partner, it), targets, func(pl string) (string, bool) {
		post, ok := it.IssuerPost(pl)
		return post.URL, ok
	})
	if err != nil {
		return j, nil, nil, Input(fmt.Errorf("%s: %w", it.URL, err))
	}
	for _, ct := range cts {
		t := pipeline.Target{Account: ct.Account, AccountName: ct.AccountName, Platform: ct.Platform,
			Text: ct.Text, Length: ct.Length, Limit: ct.Limit, Link: ct.Link,
			Note: notes[config.Target{Account: ct.Account, Platform: ct.Platform}]}
		if ct.Quote {
			post, _ := it.IssuerPost(ct.Platform)
			t.QuoteOf = post.ID
		}
		j.Targets = append(j.Targets, t)
	}
	return j, nil, waits, nil
}

// quoteWait decides, for our target on pl, what becomes of the quote of the
// issuer's post there (on a platform whose repost quotes it, X, or links it,
// Telegram). When the feed names that post, the target quotes it. When the feed
// says it is still to come, the target waits for it (wait says so), until
// repost.QuoteWait has passed and it goes out without the quote. When the feed
// names neither (the issuer has no account there, or it failed for good), it
// goes out without the quote at once. note says why it does not quote.
func (pi partnerItem) quoteWait(pl *platform.Platform, now time.Time, tell idtime.Formatter) (wait, note string) {
	it := pi.item
	if pl == nil || pl.Repost != platform.Quote {
		return "", ""
	}
	if _, ok := it.IssuerPost(pl.Name); ok {
		return "", ""
	}
	name := pi.source.Partner.Name
	whose := name + "'s " + pl.DisplayName + " post"
	if !it.IssuerAwaits(pl.Name) {
		return "", "not quoting: " + name + "'s feed lists no " + pl.DisplayName + " post of theirs, made or to come"
	}
	deadline := it.QuoteDeadline()
	if now.Before(deadline) {
		return fmt.Sprintf("waits for %s, to quote it; a later repost run quotes it (from %s it goes out without the quote)",
			whose, tell.DateTime(deadline)), ""
	}
	return "", fmt.Sprintf("not quoting: %s is still to come %s after the release was published", whose, durationText(repost.QuoteWait))
}

// durationText is a whole number of hours as a person says it.
func durationText(d time.Duration) string {
	if h := int(d / time.Hour); time.Duration(h)*time.Hour == d {
		if h == 1 {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", h)
	}
	return d.String()
}

// itemJob is the ledger's view of an item: file and URL are the item's URL.
func itemJob(partner string, it repost.Item) pipeline.Job {
	f := it.Facts()
	key := repost.Key(partner, it.URL)
	// The issuer is named within the partner ("mitra.kpu/kpu"), never one of our
	// accounts: a partner's record is never taken for one of our releases
	// renamed, but it is found again when the partner renames its release (a new
	// URL, the same issuer, date and title), which must not be reposted.
	return pipeline.Job{File: it.URL, Slug: key, URL: it.URL, LedgerID: key, Title: it.Title,
		Issuer:         ledger.PartnerPrefix + partner + "/" + it.Humas.Issuer,
		Classification: f.Classification, Date: f.Date, Embargo: f.Embargo, Partner: true}
}

// ownArticle reports whether it is one of our own articles that came back through
// a partner's feed (a partner that reposts us, or hosts our releases too).
func ownArticle(cfg *config.Config, it repost.Item) bool {
	if strings.HasPrefix(it.URL, cfg.Site.BaseURL) {
		return true
	}
	for _, a := range cfg.Accounts {
		if strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(it.Humas.IssuerName)) {
			return true
		}
	}
	return false
}

// saveStates records each partner read this run: its validators and items, and the
// items one of our accounts now holds a post of (from recs, or the ledger read
// again when recs is nil).
func saveStates(root string, sources []*repost.Source, recs []*ledger.Record) error {
	if recs == nil {
		var err error
		if recs, err = ledger.Open(root).All(); err != nil {
			return ledgerError(err)
		}
	}
	byURL := make(map[string]*ledger.Record, len(recs))
	for _, r := range recs {
		byURL[r.File] = r
	}
	var errs []error
	for _, s := range sources {
		if s.Err != nil || s.State == nil {
			continue
		}
		added := s.State.Remember(s.Items, func(it repost.Item) bool {
			if rec := byURL[it.URL]; rec != nil {
				for _, t := range rec.Targets {
					if t.State == ledger.Posted {
						return true
					}
				}
			}
			return false
		})
		if !added && !s.Changed {
			continue // a feed that answered 304 with nothing new reposted
		}
		if err := repost.SaveState(root, s.Partner.Key, s.State); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
