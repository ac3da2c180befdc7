// Package feedtest checks a document against the rules of JSON Feed 1.1
// (https://www.jsonfeed.org/version/1.1/), read from the specification and not from
// the feed package, so a test of what the site writes does not ask the writer
// whether it wrote well.
package feedtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Version is the version URL a JSON Feed 1.1 document carries.
const Version = "https://jsonfeed.org/version/1.1"

// Validate returns every way data breaks the JSON Feed 1.1 rules, none for a valid
// feed. Keys the specification does not define are reported too, unless they are
// extensions ("_" then a letter): a feed we write has no stray keys.
func Validate(data []byte) []string {
	v := &validator{}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return []string{"the document is not a JSON object"}
	}
	v.top(top)
	return v.problems
}

type validator struct{ problems []string }

func (v *validator) add(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// Top-level keys and their kinds: "version (required, string)" and so on.
var topKeys = map[string]kind{
	"version": text, "title": text, "home_page_url": link, "feed_url": link, "description": text,
	"user_comment": text, "next_url": link, "icon": link, "favicon": link, "authors": authors,
	"author": author, "language": text, "expired": boolean, "hubs": hubs, "items": items,
}

var itemKeys = map[string]kind{
	"id": text, "url": link, "external_url": link, "title": text, "content_html": text, "content_text": text,
	"summary": text, "image": link, "banner_image": link, "date_published": date, "date_modified": date,
	"authors": authors, "author": author, "tags": tags, "language": text, "attachments": attachments,
}

type kind int

const (
	text kind = iota
	link
	date
	boolean
	authors
	author
	hubs
	items
	tags
	attachments
)

func (v *validator) top(m map[string]any) {
	switch ver, ok := m["version"].(string); {
	case !ok:
		v.add("version: required, a string")
	case ver != Version:
		v.add("version: %q, want %q", ver, Version)
	}
	if _, ok := m["title"].(string); !ok {
		v.add("title: required, a string")
	}
	if _, ok := m["items"].([]any); !ok {
		v.add("items: required, an array")
	}
	if next, ok := m["next_url"].(string); ok && next == m["feed_url"] {
		v.add("next_url: must not be the same as feed_url")
	}
	v.object("", m, topKeys)
}

// object checks every key of m against keys, and extensions by the naming rules.
func (v *validator) object(at string, m map[string]any, keys map[string]kind) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if strings.HasPrefix(k, "_") {
			v.extension(at+k, k, m[k])
			continue
		}
		kd, ok := keys[k]
		if !ok {
			v.add("%s%s: not a JSON Feed 1.1 key (an extension's name starts with _)", at, k)
			continue
		}
		v.value(at+k, m[k], kd)
	}
}

func (v *validator) value(at string, x any, kd kind) {
	switch kd {
	case text:
		if _, ok := x.(string); !ok {
			v.add("%s: must be a string", at)
		}
	case link:
		s, ok := x.(string)
		if !ok {
			v.add("%s: must be a string", at)
			return
		}
		if u, err := url.Parse(s); err != nil || !u.IsAbs() || u.Host == "" && u.Scheme != "mailto" {
			v.add("%s: %q is not an absolute URL", at, s)
		}
	case date:
		s, ok := x.(string)
		if !ok {
			v.add("%s: must be a string", at)
			return
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			v.add("%s: %q is not an RFC 3339 date", at, s)
		}
	case boolean:
		if _, ok := x.(bool); !ok {
			v.add("%s: must be true or false", at)
		}
	case author:
		v.author(at, x)
	case authors:
		arr, ok := x.([]any)
		if !ok {
			v.add("%s: must be an array of objects", at)
			return
		}
		for i, a := range arr {
			v.author(fmt.Sprintf("%s[%d]", at, i), a)
		}
	case hubs:
		arr, ok := x.([]any)
		if !ok {
			v.add("%s: must be an array of objects", at)
			return
		}
		for i, h := range arr {
			m, ok := h.(map[string]any)
			if !ok {
				v.add("%s[%d]: must be an object", at, i)
				continue
			}
			for _, k := range []string{"type", "url"} {
				if _, ok := m[k].(string); !ok {
					v.add("%s[%d].%s: required, a string", at, i, k)
				}
			}
		}
	case tags:
		arr, ok := x.([]any)
		if !ok {
			v.add("%s: must be an array of strings", at)
			return
		}
		for i, t := range arr {
			if _, ok := t.(string); !ok {
				v.add("%s[%d]: must be a string", at, i)
			}
		}
	case attachments:
		arr, ok := x.([]any)
		if !ok {
			v.add("%s: must be an array of objects", at)
			return
		}
		for i, a := range arr {
			m, ok := a.(map[string]any)
			if !ok {
				v.add("%s[%d]: must be an object", at, i)
				continue
			}
			for _, k := range []string{"url", "mime_type"} {
				if _, ok := m[k].(string); !ok {
					v.add("%s[%d].%s: required, a string", at, i, k)
				}
			}
			for _, k := range []string{"size_in_bytes", "duration_in_seconds"} {
				if n, ok := m[k]; ok {
					if _, isNum := n.(float64); !isNum {
						v.add("%s[%d].%s: must be a number", at, i, k)
					}
				}
			}
		}
	case items:
		arr, ok := x.([]any)
		if !ok {
			return // reported by top
		}
		ids := map[string]int{}
		for i, it := range arr {
			m, ok := it.(map[string]any)
			where := fmt.Sprintf("items[%d]", i)
			if !ok {
				v.add("%s: must be an object", where)
				continue
			}
			id, ok := m["id"].(string)
			switch {
			case !ok:
				v.add("%s.id: required, a string", where)
			case id == "":
				v.add("%s.id: must not be empty", where)
			default:
				if j, dup := ids[id]; dup {
					v.add("%s.id: %q is also the id of items[%d]: ids are unique", where, id, j)
				}
				ids[id] = i
			}
			_, hasHTML := m["content_html"]
			_, hasText := m["content_text"]
			if !hasHTML && !hasText {
				v.add("%s: content_html or content_text: one must be present", where)
			}
			v.object(where+".", m, itemKeys)
		}
	}
}

// author: "if you provide an author object, then at least one is required" of
// name, url and avatar.
func (v *validator) author(at string, x any) {
	m, ok := x.(map[string]any)
	if !ok {
		v.add("%s: must be an object", at)
		return
	}
	n := 0
	for _, k := range []string{"name", "url", "avatar"} {
		if val, ok := m[k]; ok {
			n++
			if _, isText := val.(string); !isText {
				v.add("%s.%s: must be a string", at, k)
			}
		}
	}
	if n == 0 {
		v.add("%s: an author needs a name, url or avatar", at)
	}
}

// extension checks the naming rules: "_" then a letter, no "." in its name or
// member keys, and only the extension's own name starts with "_".
func (v *validator) extension(at, name string, x any) {
	if len(name) < 2 || !unicode.IsLetter([]rune(name)[1]) {
		v.add("%s: an extension's name is _ followed by a letter", at)
	}
	if strings.Contains(name, ".") {
		v.add("%s: an extension's name has no '.'", at)
	}
	v.members(at, x)
}

func (v *validator) members(at string, x any) {
	switch t := x.(type) {
	case map[string]any:
		for k, val := range t {
			if strings.Contains(k, ".") || strings.HasPrefix(k, "_") {
				v.add("%s.%s: an extension's member keys have no '.' and do not start with _", at, k)
			}
			v.members(at+"."+k, val)
		}
	case []any:
		for i, val := range t {
			v.members(fmt.Sprintf("%s[%d]", at, i), val)
		}
	}
}
