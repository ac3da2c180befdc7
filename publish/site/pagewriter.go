package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"runtime"
	"strings"
)

// The article page, the list pages and their cards are most of a build's template work, and
// html/template spends most of that calling its escapers through reflection. For
// the embedded templates, unchanged, pages_gen.go writes the same bytes directly:
// it is generated from html/template's own escaped parse trees of templates/site,
// so each value goes through the escaper html/template chose for its context,
// done here by pageWriter. A project that overrides any page template gets
// html/template as always.
//
// After changing templates/site, run go generate: TestGeneratedPagesAreUpToDate
// fails until pages_gen.go is generated from the templates as they are, and
// TestFastPagesMatchTemplates compares both ways of rendering on tricky input.
// (-tags humas_nogen builds the package without pages_gen.go, so a template
// change that leaves it uncompilable can still be regenerated.)

//go:generate go test -tags humas_nogen -run ^TestGeneratedPagesAreUpToDate$ -args -generate

// fastTemplateFiles are the templates whose output pages_gen.go reproduces.
var fastTemplateFiles = []string{"baseof.html", "article.html", "index.html", "tag.html"}

func templatesSum(src map[string]string) string {
	h := sha256.New()
	for _, name := range fastTemplateFiles {
		fmt.Fprintf(h, "%s\x00%d\x00%s", name, len(src[name]), src[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// pageWriter writes HTML with html/template's escaping for each context.
type pageWriter struct{ b *bytes.Buffer }

func (w pageWriter) raw(s string) { w.b.WriteString(s) }

// text escapes s for HTML text and quoted attribute values, as htmlEscaper,
// attrEscaper and rcdataEscaper do for a plain string: the replacements are all
// ASCII, so a byte loop gives the same result as their rune loop.
func (w pageWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if repl := htmlEscapes[s[i]]; repl != "" {
			w.b.WriteString(s[last:i])
			w.b.WriteString(repl)
			last = i + 1
		}
	}
	w.b.WriteString(s[last:])
}

// htmlEscapes is html/template's htmlReplacementTable by byte.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// url writes a whole attribute URL as urlFilter, urlNormalizer and attrEscaper
// do: a scheme other than http, https or mailto becomes #ZgotmplZ unless the
// value is already a template.URL.
func (w pageWriter) url(s string, trusted bool) {
	if !trusted && !safeURL(s) {
		s = "#ZgotmplZ"
	}
	w.urlPart(s)
}

// urlPart writes the rest of a URL attribute after its start (urlNormalizer,
// then attrEscaper).
func (w pageWriter) urlPart(s string) { w.text(normalizeURL(s)) }

func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

// normalizeURL percent-encodes what html/template's urlNormalizer encodes,
// leaving valid escapes and reserved characters alone.
func normalizeURL(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(&b, "%%%02x", c)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// writeArticleFast writes the article page with the generated code.
func writeArticleFast(buf *bytes.Buffer, d *pageData) bool {
	return writeGenerated(buf, func(w pageWriter) { writeArticlePage(w, d) })
}

// writeListFast writes a page of the index, or of one tag, with the generated code.
func writeListFast(buf *bytes.Buffer, d *pageData, tag bool) bool {
	if tag {
		return writeGenerated(buf, func(w pageWriter) { writeTagPage(w, d) })
	}
	return writeGenerated(buf, func(w pageWriter) { writeIndexPage(w, d) })
}

// writeGenerated runs generated page code on buf. A nil pointer on the way (a
// value the templates reach that the view left out) makes html/template fail
// with a message; here it leaves buf as it was and reports false, and the
// caller gives way to html/template.
func writeGenerated(buf *bytes.Buffer, write func(pageWriter)) (ok bool) {
	start := buf.Len()
	defer func() {
		if v := recover(); v != nil {
			if _, isRuntime := v.(runtime.Error); !isRuntime {
				panic(v)
			}
			buf.Truncate(start)
			ok = false
		}
	}()
	write(pageWriter{buf})
	return true
}

// cardHTML is the "card" template executed with c.
func cardHTML(c *card) template.HTML {
	var buf bytes.Buffer
	buf.Grow(256 + len(c.Summary) + len(c.Headline))
	writeCard(pageWriter{&buf}, c)
	return template.HTML(buf.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
