package usecase

import (
	"bytes"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/preview"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/site"
)

// PreviewRequest names the release to preview.
type PreviewRequest struct {
	File           string
	Only, Accounts []string
	Getenv         publish.Getenv // asked only which credentials are set
	Now            time.Time
}

// PreviewResult is the page and what leads it.
type PreviewResult struct {
	// Page is nil when the release cannot be shown at all (it does not parse,
	// or its posts cannot be composed).
	Page   []byte
	Slug   string
	Report preview.Report
	// Diagnostics are check's for the release: the page lists the same.
	Diagnostics release.Diagnostics
	// Holds are every hold of the release's posts, at their lines.
	Holds []Held
}

// Preview renders the page that shows the release as its article and as every
// post it becomes, led by what holds it back, its errors and its warnings, the
// same list check gives. With errors the page is still written when it can be,
// and the error is ErrInvalid.
func Preview(p *project.Project, req PreviewRequest) (PreviewResult, error) {
	var res PreviewResult
	chk, seen, err := check(p, CheckRequest{Files: []string{req.File}, Only: req.Only, Accounts: req.Accounts, Now: req.Now})
	if err != nil {
		return res, err
	}
	res.Diagnostics = chk.Diagnostics
	rels, found := seen.valid, seen.found // the release and its record as check read them
	if len(rels) == 0 {
		// An error check finds beyond the file itself (a slug another release has
		// too) still leaves a page to draw.
		one, loaded := p.Load(req.File)
		if loaded.HasErrors() {
			return res, ErrInvalid
		}
		rels = []*release.Release{one}
		_, found, _ = ledgerOf(p, rels)
	}
	r := rels[0]
	o := preview.Options{Getenv: req.Getenv, Now: req.Now}
	if found != nil {
		// Where the release was already cross-posted.
		o.Links = site.LedgerLinks(p.Config, []*ledger.Record{found[0].Record})(r.Slug)
	}
	o.Only, o.Accounts, o.Diagnostics = req.Only, req.Accounts, chk.Diagnostics
	var page bytes.Buffer
	rep, err := preview.Render(&page, p, r, o)
	if err != nil {
		if chk.Diagnostics.HasErrors() {
			return res, ErrInvalid // the diagnostics say why it cannot be drawn
		}
		return res, err
	}
	res.Page, res.Slug, res.Report = page.Bytes(), r.Slug, rep
	for _, h := range rep.Holds {
		res.Holds = append(res.Holds, Held{File: r.File, Line: line(r, h.Field), Hold: h})
	}
	return res, chk.Err()
}

// PreviewPage is the page alone, for humas serve: a release with errors is an
// error that lists them.
func PreviewPage(p *project.Project, file string, getenv publish.Getenv, now time.Time) ([]byte, error) {
	res, err := Preview(p, PreviewRequest{File: file, Getenv: getenv, Now: now})
	if res.Page != nil {
		return res.Page, nil
	}
	if err == ErrInvalid {
		return nil, res.Diagnostics.Err()
	}
	return nil, err
}
