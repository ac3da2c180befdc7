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

// PreviewResult is the page and what it warns about.
type PreviewResult struct {
	Page        []byte
	Slug        string
	Warnings    []preview.Warning
	Diagnostics release.Diagnostics
}

// Preview renders the page that shows the release as its article and as every
// post it becomes. A release with errors gets no page.
func Preview(p *project.Project, req PreviewRequest) (PreviewResult, error) {
	var res PreviewResult
	r, diags := p.Load(req.File)
	res.Diagnostics = diags
	if diags.HasErrors() {
		return res, ErrInvalid
	}
	o := PreviewOptions(p, r, req.Getenv, req.Now)
	o.Only, o.Accounts = req.Only, req.Accounts
	var page bytes.Buffer
	ws, err := preview.Render(&page, p, r, o)
	if err != nil {
		return res, err
	}
	res.Page, res.Slug, res.Warnings = page.Bytes(), r.Slug, ws
	return res, nil
}

// PreviewOptions gives a preview the clock, the environment (for the names of
// missing credentials) and where the release was already cross-posted.
func PreviewOptions(p *project.Project, r *release.Release, getenv publish.Getenv, now time.Time) preview.Options {
	o := preview.Options{Getenv: getenv, Now: now}
	if recs, err := ledger.Open(p.Root).All(); err == nil {
		o.Links = site.LedgerLinks(p.Config, recs)(r.Slug)
	}
	return o
}
