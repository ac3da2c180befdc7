package feedtest

import (
	"strings"
	"testing"
)

// The example of the specification's own introduction, in version 1.1.
const specExample = `{
	"version": "https://jsonfeed.org/version/1.1",
	"title": "My Example Feed",
	"home_page_url": "https://example.org/",
	"feed_url": "https://example.org/feed.json",
	"items": [
		{"id": "2", "content_text": "This is a second item.", "url": "https://example.org/second-item"},
		{"id": "1", "content_html": "<p>Hello, world!</p>", "url": "https://example.org/initial-post"}
	]
}`

func TestTheSpecificationsExampleIsValid(t *testing.T) {
	if p := Validate([]byte(specExample)); len(p) > 0 {
		t.Fatalf("problems in the specification's example: %q", p)
	}
}

func TestEachRuleOfTheSpecificationIsChecked(t *testing.T) {
	item := `{"id": "1", "content_text": "x"}`
	feed := func(top, items string) string {
		return `{"version": "https://jsonfeed.org/version/1.1", "title": "T"` + top + `, "items": [` + items + `]}`
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not JSON", `{"version":`, "not JSON"},
		{"an array", `[]`, "not a JSON object"},
		{"no version", `{"title": "T", "items": []}`, "version: required"},
		{"version 1.0", `{"version": "https://jsonfeed.org/version/1", "title": "T", "items": []}`, `want "https://jsonfeed.org/version/1.1"`},
		{"no title", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, "title: required"},
		{"title a number", `{"version": "https://jsonfeed.org/version/1.1", "title": 3, "items": []}`, "title: required, a string"},
		{"no items", `{"version": "https://jsonfeed.org/version/1.1", "title": "T"}`, "items: required"},
		{"home page not absolute", feed(`, "home_page_url": "/"`, item), `home_page_url: "/" is not an absolute URL`},
		{"next_url is feed_url", feed(`, "feed_url": "https://a/f", "next_url": "https://a/f"`, item), "next_url: must not be the same"},
		{"expired a string", feed(`, "expired": "yes"`, item), "expired: must be true or false"},
		{"empty author", feed(`, "authors": [{}]`, item), "authors[0]: an author needs"},
		{"hub without url", feed(`, "hubs": [{"type": "WebSub"}]`, item), "hubs[0].url: required"},
		{"unknown key", feed(`, "titel": "T"`, item), "titel: not a JSON Feed 1.1 key"},
		{"item id missing", feed("", `{"content_text": "x"}`), "items[0].id: required"},
		{"item id a number", feed("", `{"id": 1, "content_text": "x"}`), "items[0].id: required, a string"},
		{"duplicate ids", feed("", item+","+item), `items[1].id: "1" is also the id of items[0]`},
		{"no content", feed("", `{"id": "1"}`), "content_html or content_text"},
		{"date not RFC 3339", feed("", `{"id": "1", "content_text": "x", "date_published": "9 Juni 2021"}`), "items[0].date_published"},
		{"tags not strings", feed("", `{"id": "1", "content_text": "x", "tags": [1]}`), "items[0].tags[0]: must be a string"},
		{"attachment without type", feed("", `{"id": "1", "content_text": "x", "attachments": [{"url": "https://a/b.mp3"}]}`), "attachments[0].mime_type: required"},
		{"extension name", feed("", `{"id": "1", "content_text": "x", "_1x": {}}`), "_ followed by a letter"},
		{"extension member with a dot", feed("", `{"id": "1", "content_text": "x", "_humas": {"a.b": 1}}`), "member keys have no '.'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Validate([]byte(tc.doc))
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("problems %q, want one containing %q", p, tc.want)
			}
		})
	}
}
