// Package feed is the JSON Feed 1.1 every humas site publishes as feed.json, with
// the _humas object a partner office needs to repost an item by its own rules:
// written by the site, read strictly by humas repost.
package feed

import (
	"bytes"
	"encoding/json"
	"time"
)

// The document and how it is served (https://www.jsonfeed.org/version/1.1/).
const (
	Version   = "https://jsonfeed.org/version/1.1"
	MediaType = "application/feed+json"
	// FileName is where a site publishes it, at the root: base_url + "feed.json".
	FileName = "feed.json"
	// HumasVersion is the version of the _humas object this humas writes and reads.
	HumasVersion = 1
	// MaxItems is how many releases, the newest, a site's feed lists. The spec asks
	// for practical limits ("under 100K is ideal, and 250K is fine"); a partner
	// reposting every quarter of an hour needs only the last few.
	MaxItems = 50
)

// Feed is a JSON Feed document. Field order is the order written, version first
// as the spec asks.
type Feed struct {
	Version     string   `json:"version"`
	Title       string   `json:"title"`
	HomePageURL string   `json:"home_page_url,omitempty"`
	FeedURL     string   `json:"feed_url,omitempty"`
	Description string   `json:"description,omitempty"`
	Language    string   `json:"language,omitempty"`
	Authors     []Author `json:"authors,omitempty"`
	Items       []Item   `json:"items"`
}

// Author is a feed's or an item's author.
type Author struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Item is one release. Title, Summary and ContentText are plain text; ContentHTML
// is the article body as the site renders it (no raw HTML of the release, no
// script).
type Item struct {
	ID            string   `json:"id"`
	URL           string   `json:"url,omitempty"`
	Title         string   `json:"title,omitempty"`
	ContentHTML   string   `json:"content_html,omitempty"`
	ContentText   string   `json:"content_text,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	Image         string   `json:"image,omitempty"`
	DatePublished string   `json:"date_published,omitempty"` // RFC 3339
	DateModified  string   `json:"date_modified,omitempty"`  // RFC 3339
	Authors       []Author `json:"authors,omitempty"`
	Tags          []string `json:"tags,omitempty"`
	Language      string   `json:"language,omitempty"`
	Humas         *Humas   `json:"_humas,omitempty"`
}

// Humas is what a partner's humas needs to apply its own rules to an item and to
// quote the issuer's posts (SPEC section 11).
type Humas struct {
	Version        int    `json:"version"`
	Issuer         string `json:"issuer"`      // the issuer's account key on its own site
	IssuerName     string `json:"issuer_name"` // "KPU Kota Balikpapan"
	Classification string `json:"classification"`
	Kind           string `json:"kind"`
	Number         string `json:"number,omitempty"`
	Embargo        string `json:"embargo,omitempty"` // RFC 3339; absent when none
	Hoax           *Hoax  `json:"hoax,omitempty"`
	Posts          []Post `json:"posts"`
	// Awaiting are the targets the issuer's humas still means to post: neither
	// posted, nor failed for good, nor held back for good. A partner that would
	// quote one of them waits for it instead of posting without the quote (the
	// site is deployed before the posts are made, and again once they are). Read
	// as none when absent, as in a feed an older humas wrote.
	Awaiting []Target `json:"awaiting"`
}

// Target is one of the issuer's targets, named as in Post.
type Target struct {
	Account  string `json:"account"`
	Platform string `json:"platform"`
}

// Hoax is the claim a hoax clarification answers, and its verdict.
type Hoax struct {
	Claim   string   `json:"claim"`
	Verdict string   `json:"verdict"`
	Sources []string `json:"sources"`
}

// Post is one post the issuer's ledger holds for the item.
type Post struct {
	Account  string `json:"account"`
	Platform string `json:"platform"`
	ID       string `json:"id"`
	URL      string `json:"url"`
}

// Date formats t as the feed writes dates: RFC 3339 in t's own zone.
func Date(t time.Time) string { return t.Format(time.RFC3339) }

// Encode writes f as indented JSON. HTML-significant characters are escaped
// (\u003c), so no value can close a script element a page embeds the feed in.
func Encode(f *Feed) ([]byte, error) {
	if f.Items == nil {
		f.Items = []Item{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
