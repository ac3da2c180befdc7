package usecase

import (
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/pressdoc"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/projfile"
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
	url := p.Config.ArticleURL(r.Slug)
	d := &publish.Document{
		ID: r.Slug, Headline: r.Headline(), Number: r.Number, Date: r.Date,
		Issuer: issuer, IssuerKey: r.Issuer, Location: p.Config.Site.Location,
		HTML: string(html), Markdown: r.Body,
	}
	if now.Before(r.Embargo) {
		d.Embargo = r.Embargo
	}
	if c := r.Contact; c != nil {
		d.Contact = &publish.Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
	}
	doc := pressdoc.Release{
		Issuer: pressdoc.Identity{Name: issuer}, Title: r.Title, Number: r.Number, Date: r.Date,
		Embargo: r.Embargo, Location: p.Config.Site.Location, Body: r.Body, ImageAlt: r.ImageAlt, URL: url,
		Language: p.Config.Site.Language,
	}
	if c := r.Contact; c != nil {
		doc.Contact = &pressdoc.Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
	}
	if h := r.Hoax; h != nil {
		doc.Hoax = &pressdoc.Hoax{Claim: h.Claim, Verdict: h.Verdict, Sources: h.Sources}
	}
	root, image := p.Root, r.Image
	d.PDF = sync.OnceValues(func() ([]byte, error) {
		if image != "" {
			data, err := projfile.Read(root, image, projfile.Image)
			if err != nil {
				return nil, err
			}
			doc.Image = data
		}
		return pressdoc.Render(doc)
	})
	return d, nil
}
