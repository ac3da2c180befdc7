package site

import (
	"bytes"

	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/internal/fieldhash"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/release"
)

// jsonFeed is feed.json: the newest releases on the site as JSON Feed 1.1, each
// with the _humas object a partner office reposts by (SPEC section 11). live is
// newest first. It lists only what the site publishes now: a preview build
// (Options.Embargoed) puts embargoed articles on the pages, never in the feed.
// cardSums are the cards' hashes (cardHash), which the lists worked out.
func (b *builder) jsonFeed(live []*release.Release, cards []card, cardSums []string) listPage {
	pol := b.r.policy
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
	awaiting := make([][]feed.Target, len(idx))
	for n, i := range idx {
		links := b.links(live[i].Slug)
		h.Str(b.articleHash(live[i], links)).Str(cardSums[i])
		for _, l := range links {
			h.Str(l.ID)
		}
		awaiting[n] = b.awaiting(live[i], pol)
		for _, t := range awaiting[n] {
			h.Str(t.Account).Str(t.Platform)
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
		for n, i := range idx {
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
				Awaiting: awaiting[n],
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

// awaiting lists the issuer's targets of r that its posting runs are still to
// settle: the targets the publish pipeline composes (compose.Resolve), but for
// those the ledger holds as posted or failed for good, and those our rules hold
// back for good (the archive, a draft). A partner that would quote one of them
// waits for it: the site is deployed before the posts are made (SPEC section 11,
// docs/spec-notes.md). A release whose targets do not resolve has none.
func (b *builder) awaiting(r *release.Release, pol hold.Policy) []feed.Target {
	out := []feed.Target{}
	if b.opts.Targets == nil {
		return out
	}
	keys, err := compose.Resolve(b.in.cfg, r)
	if err != nil {
		return out
	}
	recorded := b.opts.Targets(r.Slug)
	for _, k := range keys {
		if k.Account != r.Issuer {
			continue // the issuer's own posts are the ones a partner quotes
		}
		pl, ok := b.in.cfg.Platforms.Lookup(k.Platform)
		if !ok || pol.Check(hold.Of(r), b.now, pl).Never() {
			continue
		}
		if t := recorded[ledger.Key(k.Account, k.Platform)]; t != nil && (t.State == ledger.Posted || t.State == ledger.Failed && t.Permanent) {
			continue
		}
		out = append(out, feed.Target{Account: k.Account, Platform: k.Platform})
	}
	return out
}
