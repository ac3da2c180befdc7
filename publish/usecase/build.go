package usecase

import (
	"context"
	"errors"
	"time"

	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/repost"
	"github.com/balikpapan/humas/publish/site"
)

// BuildRequest says how to render the site.
type BuildRequest struct {
	Clean  bool
	Output string // an absolute folder instead of site.output; "" for site.output
	Now    time.Time
	// Quiet leaves the warnings out: publish builds around its posts and has
	// shown the warnings of the releases it publishes already.
	Quiet bool
	// Tune, if set, is given the releases before they are rendered.
	Tune func([]*release.Release)
}

// BuildResult is what a build did.
type BuildResult struct {
	Stats       site.Stats
	Took        time.Duration
	Diagnostics release.Diagnostics
}

// Build renders every release that may be on the site (hold.Policy) into the
// output folder, only what changed since the last build unless Clean.
func Build(ctx context.Context, p *project.Project, req BuildRequest) (BuildResult, error) {
	start := time.Now()
	var res BuildResult
	sopts := site.Options{Clean: req.Clean, Now: req.Now, Output: req.Output}
	stamp, unchanged, ok := site.UpToDate(p, sopts)
	if ok {
		res.Stats = site.Stats{Unchanged: unchanged}
		res.Took = time.Since(start)
		return res, nil
	}
	sopts.Stamp = stamp

	rels, diags := p.LoadAll()
	if req.Quiet {
		diags = diags.Errors()
	}
	res.Diagnostics = diags
	if diags.HasErrors() {
		return res, ErrInvalid
	}
	recs, found, err := ledgerOf(p, rels)
	if err != nil {
		// A damaged ledger must not take the site down; the links come back once it is fixed.
		res.Diagnostics = append(res.Diagnostics, release.Diagnostic{File: ledger.Dir,
			Message: "cross-post links and old addresses left out: " + err.Error(), Warning: true})
	}
	sopts.Links = site.LedgerLinks(p.Config, recs)
	if err == nil {
		sopts.Targets = site.LedgerTargets(recs)
	}
	sopts.Aliases = aliases(found)
	var problems []error
	sopts.FromPartners, problems = repost.FromPartners(p.Config, p.Root, recs)
	for _, err := range problems {
		res.Diagnostics = append(res.Diagnostics, release.Diagnostic{File: repost.StateDir, Warning: true,
			Message: "left out of the Dari mitra page: " + err.Error()})
	}
	if req.Tune != nil {
		req.Tune(rels)
	}
	st, err := site.Build(ctx, p, rels, sopts)
	if oe := (*site.OutputError)(nil); errors.As(err, &oe) {
		return res, Input(err) // a folder named by --output: bad usage, nothing written
	}
	if err != nil {
		return res, err
	}
	res.Stats = st
	res.Took = time.Since(start)
	return res, nil
}
