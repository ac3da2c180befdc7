package site

import (
	"bytes"

	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/internal/fieldhash"
	"github.com/balikpapan/humas/publish/release"
)

// jsonFeed is feed.json: the newest releases on the site as JSON Feed 1.1, each
// with the _humas object a partner office reposts by (SPEC section 11). live is
// newest first. It lists only what the site publishes now: a preview build
// (Options.Embargoed) puts embargoed articles on the pages, never in the feed.
func (b *builder) jsonFeed(live []*release.Release, cards []card) listPage {
	pol := hold.PolicyOf(b.in.cfg)
	var idx []int
	for i, r := range live {
		if len(idx) == feed.MaxItems {
			break
		}
		if pol.Check(hold.Of(r), b.now, nil).Held() {
			continue
		}
		idx = append(idx, i)
	}
	h := fieldhash.New(b.r.sum, feed.FileName)
	for _, i := range idx {
		links := b.links(live[i].Slug)
		h.Str(b.articleHash(live[i], links)).Str(cardHash(&cards[i]))
		for _, l := range links {
			h.Str(l.ID)
		}
	}
	return listPage{path: feed.FileName, hash: h.Sum(), render: func(buf *bytes.Buffer) error {
		md := newMarkdown()
		var body bodyBuffer
		f := &feed.Feed{
			Version:     feed.Version,
			Title:       b.in.cfg.Site.Title,
			HomePageURL: b.in.cfg.Site.BaseURL,
			FeedURL:     b.in.cfg.Site.BaseURL + feed.FileName,
			Language:    b.r.language(),
			Items:       make([]feed.Item, 0, len(idx)),
		}
		for _, i := range idx {
			r, c := live[i], &cards[i]
			html, err := articleHTML(md, &body, r)
			if err != nil {
				return err
			}
			it := feed.Item{
				ID: c.URL, URL: c.URL, Title: c.Headline, Summary: c.Summary, ContentHTML: string(html),
				DatePublished: c.ISODate, Authors: []feed.Author{{Name: c.IssuerName}}, Tags: r.Tags,
			}
			if name := imageName(r); name != "" {
				it.Image = c.URL + name
			}
			it.Humas = &feed.Humas{
				Version: feed.HumasVersion, Issuer: r.Issuer, IssuerName: c.IssuerName,
				Classification: r.Classification, Kind: r.Kind, Number: r.Number, Posts: []feed.Post{},
			}
			if !r.Embargo.IsZero() {
				it.Humas.Embargo = feed.Date(r.Embargo.In(b.r.location()))
			}
			if x := r.Hoax; x != nil {
				it.Humas.Hoax = &feed.Hoax{Claim: x.Claim, Verdict: x.Verdict, Sources: x.Sources}
			}
			for _, l := range b.links(r.Slug) {
				if l.ID != "" {
					it.Humas.Posts = append(it.Humas.Posts, feed.Post{Account: l.Account, Platform: l.Platform, ID: l.ID, URL: l.URL})
				}
			}
			f.Items = append(f.Items, it)
		}
		data, err := feed.Encode(f)
		if err != nil {
			return err
		}
		buf.Write(data)
		return nil
	}}
}
