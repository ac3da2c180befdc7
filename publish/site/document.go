package site

import (
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// Document is r whole as of now, for a platform that sends a release entire (the
// press, by email): the body as the article renders it, and the PDF the article
// links, with the issuer's letterhead, from the press kit's cache when the build
// drew it. Its embargo is set only while it holds. Publish sends it and the
// preview shows it, so both are made here. Its ID, the release's stable identity,
// is the ledger's to give (the pipeline sets it).
func Document(p *project.Project, r *release.Release, now time.Time) (*publish.Document, error) {
	html, err := ArticleHTML(p, r)
	if err != nil {
		return nil, err
	}
	issuer := r.Issuer
	if a, ok := p.Config.Account(r.Issuer); ok && a.Name != "" {
		issuer = a.Name
	}
	d := &publish.Document{
		Headline: r.Headline(), Number: r.Number, Date: r.Date,
		Issuer: issuer, IssuerKey: r.Issuer, Location: p.Config.Site.Location,
		HTML: string(html), Markdown: r.Body,
	}
	if now.Before(r.Embargo) {
		d.Embargo = r.Embargo
	}
	if h := r.Hoax; h != nil {
		d.Hoax = &publish.Hoax{Claim: h.Claim, Verdict: h.Verdict, Sources: h.Sources}
	}
	if c := r.Contact; c != nil {
		d.Contact = &publish.Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
	}
	// The PDF is drawn when the first message asks for it, once however many
	// lists send it: a run that sends no mail draws nothing.
	kit := PressKit(p)
	d.PDF = sync.OnceValues(func() ([]byte, error) { return kit.PDF(r, now) })
	return d, nil
}
