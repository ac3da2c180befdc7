package site

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"
)

// The feeds are written by hand for speed; these are the encoding/xml structs
// they replaced, kept as the reference they must match byte for byte.

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description,omitempty"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     atomPerson     `xml:"author"`
	Summary    string         `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func encodeXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// refRSS is the feed as encoding/xml wrote it before: the reference the
// hand-written feeds must match byte for byte.
// rss lists every article, newest first; the channel date is the newest article's,
// not the clock's, so an unchanged site gives unchanged bytes.
func refRSS(r *renderer, cards []card) ([]byte, error) {
	base := r.cfg.Site.BaseURL
	ch := rssChannel{
		Title: r.cfg.Site.Title, Link: base, Description: r.cfg.Site.Title,
		Language: r.language(),
		Self:     atomLink{Href: base + "index.xml", Rel: "self", Type: "application/rss+xml"},
		Items:    make([]rssItem, 0, len(cards)),
	}
	if len(cards) > 0 {
		ch.LastBuildDate = cards[0].Time.Format(time.RFC1123Z)
	}
	for _, c := range cards {
		ch.Items = append(ch.Items, rssItem{
			Title: c.Headline, Link: c.URL, GUID: rssGUID{IsPermaLink: true, Value: c.URL},
			PubDate: c.Time.Format(time.RFC1123Z), Description: c.Summary, Categories: c.Tags,
		})
	}
	return encodeXML(rssDoc{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", Channel: ch})
}

func refAtom(r *renderer, cards []card) ([]byte, error) {
	base := r.cfg.Site.BaseURL
	f := atomFeed{
		Lang: r.language(), Title: r.cfg.Site.Title, ID: base,
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Href: base + "atom.xml", Rel: "self", Type: "application/atom+xml"},
			{Href: base, Rel: "alternate", Type: "text/html"},
		},
		Author:  atomPerson{Name: r.cfg.Site.Title},
		Entries: make([]atomEntry, 0, len(cards)),
	}
	if len(cards) > 0 {
		f.Updated = cards[0].ISODate
	}
	for _, c := range cards {
		e := atomEntry{
			Title: c.Headline, ID: c.URL, Link: atomLink{Href: c.URL, Rel: "alternate", Type: "text/html"},
			Published: c.ISODate, Updated: c.ISODate, Author: atomPerson{Name: c.IssuerName}, Summary: c.Summary,
		}
		for _, t := range c.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	return encodeXML(f)
}

// sitemap lists every article, index page, tag page and the tag list.
func refSitemap(r *renderer, cards []card, pages []string) ([]byte, error) {
	base := r.cfg.Site.BaseURL
	s := urlSet{URLs: make([]sitemapURL, 0, len(cards)+len(pages))}
	for _, p := range pages {
		s.URLs = append(s.URLs, sitemapURL{Loc: base + p})
	}
	for _, c := range cards {
		s.URLs = append(s.URLs, sitemapURL{Loc: c.URL, LastMod: c.ISODate})
	}
	return encodeXML(s)
}

func TestFeedsMatchEncodingXML(t *testing.T) {
	when := time.Date(2021, 6, 9, 13, 0, 0, 0, wita)
	tricky := card{
		URL: "https://humas.balikpapan.go.id/a&b/?q=\"x\"", Headline: "Tom & Jerry <b>'kutip'</b>\tdan\nbaris\r",
		Summary: "ctrl \x01 dan \xff rusak, 😀 & \ufffd", IssuerName: "KPU <Kota>", ISODate: "2021-06-09T13:00:00+08:00",
		Time: when, Tags: []string{"a&b", "<tag>", "\"q\""},
	}
	plain := card{URL: "https://humas.balikpapan.go.id/x/", Headline: "Biasa", ISODate: "2021-06-08T13:00:00+08:00", Time: when.Add(-24 * time.Hour)}
	tests := []struct {
		name  string
		cards []card
		pages []string
	}{
		{"no articles", nil, nil},
		{"escaped text, attributes, empty summary and no tags", []card{tricky, plain}, []string{"", "tags/a&b/", "page/2/"}},
	}
	for _, tc := range tests {
		for _, title := range []string{"Siaran Pers", "Siaran & <Pers> \"Kota\""} {
			cfg := testConfig()
			cfg.Site.Title = title
			r := &renderer{cfg: cfg}
			for _, f := range []struct {
				name string
				ref  func() ([]byte, error)
				got  func(*bytes.Buffer)
			}{
				{"rss", func() ([]byte, error) { return refRSS(r, tc.cards) }, func(b *bytes.Buffer) { r.rss(b, tc.cards) }},
				{"atom", func() ([]byte, error) { return refAtom(r, tc.cards) }, func(b *bytes.Buffer) { r.atom(b, tc.cards) }},
				{"sitemap", func() ([]byte, error) { return refSitemap(r, tc.cards, tc.pages) }, func(b *bytes.Buffer) { r.sitemap(b, tc.cards, tc.pages) }},
			} {
				t.Run(tc.name+"/"+f.name+"/"+title, func(t *testing.T) {
					want, err := f.ref()
					if err != nil {
						t.Fatal(err)
					}
					var got bytes.Buffer
					f.got(&got)
					if !bytes.Equal(got.Bytes(), want) {
						t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want)
					}
				})
			}
		}
	}
}
