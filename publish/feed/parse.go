package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/internal/textenc"
	"github.com/balikpapan/humas/publish/release"
)

// Limits on what one item may carry. A release is a page of text; a field far
// longer than any release is a feed gone wrong, and reading it is bounded work.
const (
	maxTitle   = 1000   // bytes
	maxText    = 64_000 // summary, content_text
	maxHTML    = 1 << 20
	maxTags    = 50
	maxPosts   = 50
	maxSources = 20
	maxItems   = 1000
)

// Parse reads a JSON Feed that another humas site published, strictly: the JSON
// Feed 1.1 rules (version, title, items, each with an id and content, dates in
// RFC 3339), and a version 1 _humas object on every item with every field humas
// relies on. Partner text is plain text: a value holding a script element, or
// characters that hide or reorder text (controls, bidirectional overrides), makes
// the whole feed invalid, since a site that serves them has gone wrong. The error
// names the item and field.
func Parse(data []byte) (*Feed, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 text")
	}
	var raw struct {
		Version     *string    `json:"version"`
		Title       *string    `json:"title"`
		HomePageURL string     `json:"home_page_url"`
		FeedURL     string     `json:"feed_url"`
		Description string     `json:"description"`
		Language    string     `json:"language"`
		Authors     []Author   `json:"authors"`
		Items       *[]rawItem `json:"items"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the feed object")
	}
	switch {
	case raw.Version == nil:
		return nil, errors.New("version: is required")
	case *raw.Version != Version && *raw.Version != "https://jsonfeed.org/version/1":
		return nil, fmt.Errorf("version: %q is not a JSON Feed version (want %s)", *raw.Version, Version)
	case raw.Title == nil || strings.TrimSpace(*raw.Title) == "":
		return nil, errors.New("title: is required")
	case raw.Items == nil:
		return nil, errors.New("items: is required")
	case len(*raw.Items) > maxItems:
		return nil, fmt.Errorf("items: %d items, more than the %d a feed may hold", len(*raw.Items), maxItems)
	}
	f := &Feed{Version: *raw.Version, Title: *raw.Title, HomePageURL: raw.HomePageURL, FeedURL: raw.FeedURL,
		Description: raw.Description, Language: raw.Language, Authors: raw.Authors, Items: make([]Item, 0, len(*raw.Items))}
	if err := plain("title", f.Title, maxTitle); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(*raw.Items))
	for i, ri := range *raw.Items {
		it, err := ri.item()
		if err != nil {
			where := fmt.Sprintf("items[%d]", i)
			if ri.URL != "" && utf8.RuneCountInString(ri.URL) < 200 && !strings.ContainsFunc(ri.URL, hidden) {
				where += " (" + ri.URL + ")"
			}
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if seen[it.ID] {
			return nil, fmt.Errorf("items[%d]: id %q: is used twice", i, it.ID)
		}
		seen[it.ID] = true
		f.Items = append(f.Items, it)
	}
	return f, nil
}

// rawItem is an item as sent: optional fields are pointers where absent and
// empty differ, and _humas is read on its own, strictly.
type rawItem struct {
	ID            *string          `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	ContentHTML   *string          `json:"content_html"`
	ContentText   *string          `json:"content_text"`
	Summary       string           `json:"summary"`
	Image         string           `json:"image"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Authors       []Author         `json:"authors"`
	Tags          []string         `json:"tags"`
	Language      string           `json:"language"`
	Humas         *json.RawMessage `json:"_humas"`
}

func (ri rawItem) item() (Item, error) {
	it := Item{URL: ri.URL, Title: ri.Title, Summary: ri.Summary, Image: ri.Image,
		DatePublished: ri.DatePublished, DateModified: ri.DateModified, Authors: ri.Authors, Tags: ri.Tags, Language: ri.Language}
	switch {
	case ri.ID == nil || *ri.ID == "":
		return it, errors.New("id: is required")
	case ri.ContentHTML == nil && ri.ContentText == nil:
		return it, errors.New("content_html or content_text: one of them is required")
	}
	it.ID = *ri.ID
	if ri.ContentHTML != nil {
		it.ContentHTML = *ri.ContentHTML
	}
	if ri.ContentText != nil {
		it.ContentText = *ri.ContentText
	}
	if ri.URL == "" {
		return it, errors.New("url: is required: humas links the partner's article")
	}
	if _, err := WebURL(ri.URL); err != nil {
		return it, fmt.Errorf("url: %w", err)
	}
	if ri.Image != "" {
		if _, err := WebURL(ri.Image); err != nil {
			return it, fmt.Errorf("image: %w", err)
		}
	}
	if ri.DatePublished == "" {
		return it, errors.New("date_published: is required: humas holds partner releases to publish.since")
	}
	for _, d := range []struct{ name, v string }{{"date_published", ri.DatePublished}, {"date_modified", ri.DateModified}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.RFC3339, d.v); err != nil {
			return it, fmt.Errorf("%s: %q is not an RFC 3339 date", d.name, d.v)
		}
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"id", it.ID, maxTitle}, {"title", it.Title, maxTitle}, {"summary", it.Summary, maxText}, {"content_text", it.ContentText, maxText}} {
		if err := plain(f.name, f.v, f.max); err != nil {
			return it, err
		}
	}
	if len(it.ContentHTML) > maxHTML {
		return it, fmt.Errorf("content_html: %d bytes, more than %d", len(it.ContentHTML), maxHTML)
	}
	if script(it.ContentHTML) {
		return it, errors.New("content_html: carries a script element")
	}
	if len(it.Tags) > maxTags {
		return it, fmt.Errorf("tags: %d tags, more than %d", len(it.Tags), maxTags)
	}
	for i, t := range it.Tags {
		if err := plain(fmt.Sprintf("tags[%d]", i), t, maxTitle); err != nil {
			return it, err
		}
	}
	if ri.Humas == nil {
		return it, errors.New("_humas: is required: the feed is not one a humas site publishes")
	}
	h, err := parseHumas(*ri.Humas)
	if err != nil {
		return it, fmt.Errorf("_humas.%w", err)
	}
	it.Humas = h
	return it, nil
}

var (
	classifications = []string{release.Berkala, release.SertaMerta, release.SetiapSaat, release.Dikecualikan}
	kinds           = []string{release.SiaranPers, release.Berita, release.KlarifikasiHoaks}
	verdicts        = []string{"HOAKS", "DISINFORMASI", "MISINFORMASI", "SATIRE"}
	// postIDRE is what a platform's post id looks like: X and Facebook ids are
	// digits and underscores, a Telegram message is its t.me path
	// ("kpubalikpapan/123", "c/1234567890/123"). No dots, so no "..", and no
	// query: nothing that could change a request's path or query.
	postIDRE = regexp.MustCompile(`^[A-Za-z0-9_:-]{1,100}(?:/[A-Za-z0-9_:-]{1,100}){0,2}$`)
	keyRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
)

func parseHumas(data []byte) (*Humas, error) {
	// A field this humas does not know is left alone, as JSON Feed asks of the
	// extensions a reader does not understand: a newer humas adds fields within
	// version 1 (awaiting came so), and a partner that has not upgraded yet still
	// reads the rest. A change an older humas must not misread is a new version,
	// which it refuses below.
	var h Humas
	if err := json.Unmarshal(data, &h); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field != "" {
			return nil, fmt.Errorf("%s: must be %s, not %s", ute.Field, typeName(ute.Type), ute.Value)
		}
		return nil, fmt.Errorf("version: %v", err)
	}
	switch {
	case h.Version != HumasVersion:
		return nil, fmt.Errorf("version: %d: this humas reads version %d", h.Version, HumasVersion)
	case !keyRE.MatchString(h.Issuer):
		return nil, fmt.Errorf("issuer: %q is not an account key", h.Issuer)
	case strings.TrimSpace(h.IssuerName) == "":
		return nil, errors.New("issuer_name: is required")
	case !oneOf(h.Classification, classifications):
		return nil, fmt.Errorf("classification: %q is not one of %s", h.Classification, strings.Join(classifications, ", "))
	case !oneOf(h.Kind, kinds):
		return nil, fmt.Errorf("kind: %q is not one of %s", h.Kind, strings.Join(kinds, ", "))
	}
	for _, f := range []struct{ name, v string }{{"issuer_name", h.IssuerName}, {"number", h.Number}} {
		if err := plain(f.name, f.v, maxTitle); err != nil {
			return nil, err
		}
	}
	if h.Embargo != "" {
		if _, err := time.Parse(time.RFC3339, h.Embargo); err != nil {
			return nil, fmt.Errorf("embargo: %q is not an RFC 3339 date", h.Embargo)
		}
	}
	if (h.Kind == release.KlarifikasiHoaks) != (h.Hoax != nil) {
		return nil, fmt.Errorf("hoax: is required for kind %s, and only for it", release.KlarifikasiHoaks)
	}
	if x := h.Hoax; x != nil {
		if !oneOf(x.Verdict, verdicts) {
			return nil, fmt.Errorf("hoax.verdict: %q is not one of %s", x.Verdict, strings.Join(verdicts, ", "))
		}
		if strings.TrimSpace(x.Claim) == "" {
			return nil, errors.New("hoax.claim: is required")
		}
		if err := plain("hoax.claim", x.Claim, maxText); err != nil {
			return nil, err
		}
		if len(x.Sources) > maxSources {
			return nil, fmt.Errorf("hoax.sources: %d sources, more than %d", len(x.Sources), maxSources)
		}
		for i, s := range x.Sources {
			if _, err := WebURL(s); err != nil {
				return nil, fmt.Errorf("hoax.sources[%d]: %w", i, err)
			}
		}
	}
	if h.Posts == nil {
		return nil, errors.New("posts: is required (an empty list when nothing was posted)")
	}
	if len(h.Posts) > maxPosts {
		return nil, fmt.Errorf("posts: %d posts, more than %d", len(h.Posts), maxPosts)
	}
	for i, p := range h.Posts {
		switch {
		case !keyRE.MatchString(p.Account):
			return nil, fmt.Errorf("posts[%d].account: %q is not an account key", i, p.Account)
		case !keyRE.MatchString(p.Platform):
			return nil, fmt.Errorf("posts[%d].platform: %q is not a platform name", i, p.Platform)
		case !postIDRE.MatchString(p.ID):
			return nil, fmt.Errorf("posts[%d].id: %q is not a post id", i, p.ID)
		}
		if _, err := WebURL(p.URL); err != nil {
			return nil, fmt.Errorf("posts[%d].url: %w", i, err)
		}
	}
	if len(h.Awaiting) > maxPosts {
		return nil, fmt.Errorf("awaiting: %d targets, more than %d", len(h.Awaiting), maxPosts)
	}
	for i, t := range h.Awaiting {
		switch {
		case !keyRE.MatchString(t.Account):
			return nil, fmt.Errorf("awaiting[%d].account: %q is not an account key", i, t.Account)
		case !keyRE.MatchString(t.Platform):
			return nil, fmt.Errorf("awaiting[%d].platform: %q is not a platform name", i, t.Platform)
		}
	}
	return &h, nil
}

// WebURL parses an absolute http or https address with a host and no user
// information (a password in a feed would end up in messages).
func WebURL(raw string) (*url.URL, error) {
	if len(raw) > 2000 || strings.ContainsFunc(raw, hidden) {
		return nil, errors.New("not a web address")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%q is not a web address", raw)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("%q is not an http(s) address", raw)
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("%q has no host", raw)
	case u.User != nil:
		return nil, errors.New("an address with user information is refused")
	}
	return u, nil
}

// Refused is why Parse refuses a whole feed because one of its items carries s as
// the plain-text field named ("title", "summary", "tags[0]", "number",
// "hoax.claim"), or nil: for the issuer's own check, so that what its site
// publishes is what its partners accept.
func Refused(field, s string) error {
	max := maxTitle
	if field == "summary" || field == "content_text" || field == "hoax.claim" {
		max = maxText
	}
	return plain(field, s, max)
}

// plain checks a plain-text value: no longer than max bytes, no script element,
// no control character (but tab and line ends) or bidirectional control.
func plain(field, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%s: %d bytes, more than %d", field, len(s), max)
	}
	if script(s) {
		return fmt.Errorf("%s: carries a script element", field)
	}
	if i := strings.IndexFunc(s, hidden); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("%s: invisible character U+%04X", field, r)
	}
	return nil
}

// script reports whether s holds the start of a script element, in any case.
func script(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		rest := s[i+1:]
		rest = strings.TrimLeft(rest, "/ \t\n")
		if len(rest) >= 6 && strings.EqualFold(rest[:6], "script") {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// hidden reports the characters that hide text or show it in another order than
// it is written (textenc.Invisible). A carriage return is a line end a partner's
// site may write; repost makes it a line feed (repost.ItemOf).
func hidden(r rune) bool { return r != '\r' && textenc.Invisible(r) != "" }

func oneOf(s string, set []string) bool { return slices.Contains(set, s) }

// typeName is how a message names the JSON type a Go type reads.
func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// jsonError says where the document stops being JSON, or which value has the
// wrong type, without quoting the document.
func jsonError(err error) error {
	var se *json.SyntaxError
	var ute *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("empty document")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("not JSON: the document ends early")
	case errors.As(err, &se):
		return fmt.Errorf("not JSON: %v at byte %d", se, se.Offset)
	case errors.As(err, &ute):
		if ute.Field == "" {
			return fmt.Errorf("not a JSON Feed: the document is %s, not an object", ute.Value)
		}
		return fmt.Errorf("%s: must be %s, not %s", ute.Field, typeName(ute.Type), ute.Value)
	}
	return fmt.Errorf("not a JSON Feed: %v", err)
}
