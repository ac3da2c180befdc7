package usecase

import (
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/site"
)

// withDocuments gives each job the whole release it comes from, for a platform
// that sends a release entire (the press, by email). It is done for the jobs a
// run is about to send only: the body is rendered as the article renders it, and
// the PDF is drawn when the first message asks for it.
func withDocuments(p *project.Project, jobs []pipeline.Job, rels []*release.Release, now time.Time) error {
	byFile := make(map[string]*release.Release, len(rels))
	for _, r := range rels {
		byFile[r.File] = r
	}
	for i := range jobs {
		r := byFile[jobs[i].File]
		if r == nil {
			continue
		}
		d, err := document(p, r, now)
		if err != nil {
			return err
		}
		jobs[i].Document = d
	}
	return nil
}

// document is r whole, as of now: its embargo is set only while it holds.
func document(p *project.Project, r *release.Release, now time.Time) (*publish.Document, error) {
	html, err := site.ArticleHTML(p, r)
	if err != nil {
		return nil, err
	}
	issuer := r.Issuer
	if a, ok := p.Config.Account(r.Issuer); ok && a.Name != "" {
		issuer = a.Name
	}
	// ID, the release's stable identity, is its ledger record's: the pipeline
	// sets it once it has found the record.
	d := &publish.Document{
		Headline: r.Headline(), Number: r.Number, Date: r.Date,
		Issuer: issuer, IssuerKey: r.Issuer, Location: p.Config.Site.Location,
		HTML: string(html), Markdown: r.Body,
	}
	if now.Before(r.Embargo) {
		d.Embargo = r.Embargo
	}
	if c := r.Contact; c != nil {
		d.Contact = &publish.Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
	}
	// The PDF the press receives is the one the site links: drawn with the
	// issuer's letterhead, from the press kit's cache when the build drew it.
	kit := PressKit(p)
	d.PDF = sync.OnceValues(func() ([]byte, error) { return kit.PDF(r, now) })
	return d, nil
}
