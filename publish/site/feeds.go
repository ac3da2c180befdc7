package site

import (
	"bytes"
	"encoding/xml"
	"time"
)

// Feeds and the sitemap are written element by element, in the layout
// encoding/xml gives with Indent("", " "); every title, summary and address
// goes through xml.EscapeText, the encoder's own escaping, never by hand. The
// encoder's reflection cost more than the rest of a feed.

// xmlWriter writes indented XML to a buffer.
type xmlWriter struct{ b *bytes.Buffer }

func newXML(buf *bytes.Buffer) xmlWriter {
	buf.WriteString(xml.Header)
	return xmlWriter{buf}
}

func (w xmlWriter) indent(depth int) {
	if depth < 0 {
		return // the root element follows the header line directly
	}
	w.b.WriteByte('\n')
	for range depth {
		w.b.WriteByte(' ')
	}
}

// text writes s escaped. Most values need no escaping at all: printable ASCII
// without &, <, >, " and ' goes out as it is, anything else through
// xml.EscapeText.
func (w xmlWriter) text(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			_ = xml.EscapeText(w.b, []byte(s))
			return
		}
	}
	w.b.WriteString(s)
}

// start writes <tag a="v"…>; attrs are name, value pairs and an empty value is
// left out (every optional attribute here is omitempty).
func (w xmlWriter) start(depth int, tag string, attrs ...string) {
	w.indent(depth)
	w.b.WriteByte('<')
	w.b.WriteString(tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.b.WriteByte(' ')
		w.b.WriteString(attrs[i])
		w.b.WriteString(`="`)
		w.text(attrs[i+1])
		w.b.WriteByte('"')
	}
	w.b.WriteByte('>')
}

func (w xmlWriter) end(depth int, tag string) {
	w.indent(depth)
	w.b.WriteString("</")
	w.b.WriteString(tag)
	w.b.WriteByte('>')
}

// elem writes <tag>text</tag> on a line of its own.
func (w xmlWriter) elem(depth int, tag, text string) {
	w.start(depth, tag)
	w.text(text)
	w.b.WriteString("</")
	w.b.WriteString(tag)
	w.b.WriteByte('>')
}

// optional is elem left out when text is empty (omitempty).
func (w xmlWriter) optional(depth int, tag, text string) {
	if text != "" {
		w.elem(depth, tag, text)
	}
}

// empty writes <tag a="v"…></tag>.
func (w xmlWriter) empty(depth int, tag string, attrs ...string) {
	w.start(depth, tag, attrs...)
	w.b.WriteString("</")
	w.b.WriteString(tag)
	w.b.WriteByte('>')
}

func (w xmlWriter) finish(tag string) {
	w.end(0, tag)
	w.b.WriteByte('\n')
}

// rss lists every article, newest first; the channel date is the newest article's,
// not the clock's, so an unchanged site gives unchanged bytes.
func (r *renderer) rss(buf *bytes.Buffer, cards []card) {
	base := r.cfg.Site.BaseURL
	w := newXML(buf)
	w.start(-1, "rss", "version", "2.0", "xmlns:atom", "http://www.w3.org/2005/Atom")
	w.start(1, "channel")
	w.elem(2, "title", r.cfg.Site.Title)
	w.elem(2, "link", base)
	w.elem(2, "description", r.cfg.Site.Title)
	w.elem(2, "language", r.language())
	if len(cards) > 0 {
		w.optional(2, "lastBuildDate", cards[0].Time.Format(time.RFC1123Z))
	}
	w.empty(2, "atom:link", "href", base+"index.xml", "rel", "self", "type", "application/rss+xml")
	for _, c := range cards {
		w.start(2, "item")
		w.elem(3, "title", c.Headline)
		w.elem(3, "link", c.URL)
		w.start(3, "guid", "isPermaLink", "true")
		w.text(c.URL)
		w.b.WriteString("</guid>")
		w.elem(3, "pubDate", c.Time.Format(time.RFC1123Z))
		w.optional(3, "description", c.Summary)
		for _, t := range c.Tags {
			w.elem(3, "category", t)
		}
		w.end(2, "item")
	}
	w.end(1, "channel")
	w.finish("rss")
}

func (r *renderer) atom(buf *bytes.Buffer, cards []card) {
	base := r.cfg.Site.BaseURL
	updated := time.Unix(0, 0).UTC().Format(time.RFC3339)
	if len(cards) > 0 {
		updated = cards[0].ISODate
	}
	w := newXML(buf)
	w.start(-1, "feed", "xmlns", "http://www.w3.org/2005/Atom", "xml:lang", r.language())
	w.elem(1, "title", r.cfg.Site.Title)
	w.elem(1, "id", base)
	w.elem(1, "updated", updated)
	w.empty(1, "link", "href", base+"atom.xml", "rel", "self", "type", "application/atom+xml")
	w.empty(1, "link", "href", base, "rel", "alternate", "type", "text/html")
	w.start(1, "author")
	w.elem(2, "name", r.cfg.Site.Title)
	w.end(1, "author")
	for _, c := range cards {
		w.start(1, "entry")
		w.elem(2, "title", c.Headline)
		w.elem(2, "id", c.URL)
		w.empty(2, "link", "href", c.URL, "rel", "alternate", "type", "text/html")
		w.elem(2, "published", c.ISODate)
		w.elem(2, "updated", c.ISODate)
		w.start(2, "author")
		w.elem(3, "name", c.IssuerName)
		w.end(2, "author")
		w.optional(2, "summary", c.Summary)
		for _, t := range c.Tags {
			w.empty(2, "category", "term", t)
		}
		w.end(1, "entry")
	}
	w.finish("feed")
}

// sitemap lists every article, index page, tag page and the tag list.
func (r *renderer) sitemap(buf *bytes.Buffer, cards []card, pages []string) {
	base := r.cfg.Site.BaseURL
	w := newXML(buf)
	w.start(-1, "urlset", "xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
	for _, p := range pages {
		w.start(1, "url")
		w.elem(2, "loc", base+p)
		w.end(1, "url")
	}
	for _, c := range cards {
		w.start(1, "url")
		w.elem(2, "loc", c.URL)
		w.optional(2, "lastmod", c.ISODate)
		w.end(1, "url")
	}
	if len(pages)+len(cards) == 0 {
		w.b.WriteString("</urlset>\n") // the encoder closes an empty element on its line
		return
	}
	w.finish("urlset")
}
