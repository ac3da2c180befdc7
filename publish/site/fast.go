package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"strings"
)

// The article page and the list card are most of a build's template work, and
// html/template spends most of that calling its escapers through reflection. For
// the embedded templates, unchanged, these functions write the same bytes
// directly, escaping as html/template's escapers do in each context. A project
// that overrides any page template gets html/template as always.
//
// fastTemplatesSum is the hash of the templates this file reproduces. After
// changing baseof.html, article.html, index.html or tag.html, update the code
// below and this sum: TestFastPagesMatchTemplates says when they disagree.
const fastTemplatesSum = "d48a66347125f9bbc016901057ab12dc10ce47e186f64e21d7c5d1c0e923490d"

// fastTemplateFiles are the templates whose output the fast path reproduces.
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

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// writeArticle is article.html executed through baseof.html with d.
func writeArticle(buf *bytes.Buffer, d *pageData) {
	w := pageWriter{buf}
	a := d.A
	w.raw("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if d.Title != "" {
		w.text(d.Title)
		w.raw(" · ")
	}
	w.text(d.Site.Title)
	w.raw("</title>")
	if d.Description != "" {
		w.raw("\n<meta name=\"description\" content=\"")
		w.text(d.Description)
		w.raw("\">")
	}
	w.raw("\n<link rel=\"canonical\" href=\"")
	w.url(d.Canonical, false)
	w.raw("\">")

	// block "meta"
	w.raw("\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:locale\" content=\"id_ID\">\n<meta property=\"og:site_name\" content=\"")
	w.text(d.Site.Title)
	w.raw("\">\n<meta property=\"og:title\" content=\"")
	w.text(a.Headline)
	w.raw("\">\n<meta property=\"og:description\" content=\"")
	w.text(a.Summary)
	w.raw("\">\n<meta property=\"og:url\" content=\"")
	w.text(d.Canonical)
	w.raw("\">")
	if a.ImageURL != "" {
		w.raw("\n<meta property=\"og:image\" content=\"")
		w.text(a.ImageURL)
		w.raw("\">\n<meta property=\"og:image:alt\" content=\"")
		w.text(a.Image.Alt)
		w.raw("\">")
	}
	w.raw("\n<meta property=\"article:published_time\" content=\"")
	w.text(a.ISODate)
	w.raw("\">")
	for _, t := range a.Tags {
		w.raw("\n<meta property=\"article:tag\" content=\"")
		w.text(t.Name)
		w.raw("\">")
	}
	if a.ImageURL != "" {
		w.raw("\n<meta name=\"twitter:card\" content=\"summary_large_image\">")
	} else {
		w.raw("\n<meta name=\"twitter:card\" content=\"summary\">")
	}
	if a.TwitterSite != "" {
		w.raw("\n<meta name=\"twitter:site\" content=\"@")
		w.text(a.TwitterSite)
		w.raw("\">")
	}
	w.raw("\n<meta name=\"twitter:title\" content=\"")
	w.text(a.Headline)
	w.raw("\">\n<meta name=\"twitter:description\" content=\"")
	w.text(a.Summary)
	w.raw("\">")
	if a.ImageURL != "" {
		w.raw("\n<meta name=\"twitter:image\" content=\"")
		w.text(a.ImageURL)
		w.raw("\">\n<meta name=\"twitter:image:alt\" content=\"")
		w.text(a.Image.Alt)
		w.raw("\">")
	}
	// template.JS goes into a script unchanged (jsValEscaper).
	w.raw("\n<script type=\"application/ld+json\">")
	w.raw(string(a.NewsArticleLD))
	w.raw("</script>")
	if a.ClaimReviewLD != "" {
		w.raw("\n<script type=\"application/ld+json\">")
		w.raw(string(a.ClaimReviewLD))
		w.raw("</script>")
	}
	w.raw("\n")

	w.raw("\n")
	w.raw(string(d.Chrome.Head))
	w.raw("\n</head>\n<body>\n")
	w.raw(string(d.Chrome.Header))
	w.raw("\n<main id=\"isi\" tabindex=\"-1\">")

	// block "main"
	w.raw("\n<article class=\"release")
	if a.Hoax != nil {
		w.raw(" hoax")
	}
	w.raw("\">\n<header>")
	if a.Embargo != "" {
		w.raw("\n<p class=\"embargo\" role=\"note\"><strong>EMBARGO:</strong> tidak untuk disiarkan sebelum ")
		w.text(a.Embargo)
		w.raw("</p>")
	}
	w.raw("\n<p class=\"kind\">")
	w.text(a.KindLabel)
	w.raw("</p>\n<h1>")
	w.text(a.Headline)
	w.raw("</h1>\n<dl class=\"meta\">\n<div><dt>Tanggal</dt><dd><time datetime=\"")
	w.text(a.ISODate)
	w.raw("\">")
	w.text(a.Date)
	w.raw("</time></dd></div>")
	if a.Number != "" {
		w.raw("\n<div><dt>Nomor</dt><dd>")
		w.text(a.Number)
		w.raw("</dd></div>")
	}
	w.raw("\n<div><dt>Penerbit</dt><dd>")
	w.text(a.IssuerName)
	w.raw("</dd></div>\n</dl>\n</header>")
	if h := a.Hoax; h != nil {
		w.raw("\n<section class=\"verdict\" aria-labelledby=\"putusan\">\n<h2 id=\"putusan\">Putusan: <span class=\"label\">")
		w.text(h.Verdict)
		w.raw("</span></h2>\n<p><strong>Klaim yang beredar:</strong> ")
		w.text(h.Claim)
		w.raw("</p>\n<p><strong>Faktanya:</strong> klaim tersebut <strong>")
		w.text(h.Verdict)
		w.raw("</strong>. Rujuk sumber resmi berikut.</p>\n<h3>Sumber resmi</h3>\n<ul>")
		for _, s := range h.Sources {
			w.raw("\n<li><a href=\"")
			w.url(s, false)
			w.raw("\">")
			w.text(s)
			w.raw("</a></li>")
		}
		w.raw("\n</ul>\n</section>")
	}
	if img := a.Image; img != nil {
		w.raw("\n<figure>\n<img src=\"")
		w.url(img.Src, false)
		w.raw("\" alt=\"")
		w.text(img.Alt)
		w.raw("\">\n<figcaption>")
		w.text(img.Alt)
		w.raw("</figcaption>\n</figure>")
	}
	w.raw("\n<div class=\"body\">\n")
	w.raw(string(a.Body))
	w.raw("\n</div>")
	if c := a.Contact; c != nil {
		w.raw("\n<aside class=\"contact\" aria-labelledby=\"narahubung\">\n<h2 id=\"narahubung\">Narahubung</h2>\n<p>")
		w.text(c.Name)
		if c.Role != "" {
			w.raw(", ")
			w.text(c.Role)
		}
		w.raw("</p>")
		if a.Tel != "" {
			w.raw("\n<p>Telepon: <a href=\"")
			w.url(string(a.Tel), true)
			w.raw("\">")
			w.text(c.Phone)
			w.raw("</a></p>")
		}
		if c.Email != "" {
			w.raw("\n<p>Surel: <a href=\"mailto:")
			w.urlPart(c.Email)
			w.raw("\">")
			w.text(c.Email)
			w.raw("</a></p>")
		}
		w.raw("\n</aside>")
	}
	if len(a.Tags) > 0 {
		w.raw("\n<nav class=\"tags\" aria-labelledby=\"label\">\n<h2 id=\"label\">Label</h2>\n<ul>")
		for _, t := range a.Tags {
			w.raw("\n<li><a href=\"")
			w.url(d.Root, false)
			w.raw("tags/")
			w.urlPart(t.Slug)
			w.raw("/\">")
			w.text(t.Name)
			w.raw("</a></li>")
		}
		w.raw("\n</ul>\n</nav>")
	}
	if len(a.Links) > 0 {
		w.raw("\n<section class=\"shared\" aria-labelledby=\"dibagikan\">\n<h2 id=\"dibagikan\">Dibagikan di</h2>\n<ul>")
		for _, l := range a.Links {
			w.raw("\n<li><a href=\"")
			w.url(l.URL, false)
			w.raw("\">")
			w.text(l.PlatformName)
			w.raw(": ")
			w.text(l.AccountName)
			w.raw("</a></li>")
		}
		w.raw("\n</ul>\n</section>")
	}
	w.raw("\n</article>\n")

	w.raw("\n</main>\n")
	w.raw(string(d.Chrome.Footer))
	w.raw("\n</body>\n</html>")
}

// cardHTML is the "card" template executed with c.
func cardHTML(c card) template.HTML {
	var buf bytes.Buffer
	buf.Grow(256 + len(c.Summary) + len(c.Headline))
	w := pageWriter{&buf}
	w.raw("\n<li>\n<article>\n<h2><a href=\"")
	w.url(c.Href, false)
	w.raw("\">")
	w.text(c.Headline)
	w.raw("</a></h2>\n<p class=\"byline\"><time datetime=\"")
	w.text(c.ISODate)
	w.raw("\">")
	w.text(c.Date)
	w.raw("</time> · ")
	w.text(c.IssuerName)
	w.raw("</p>")
	if c.Summary != "" {
		w.raw("\n<p>")
		w.text(c.Summary)
		w.raw("</p>")
	}
	w.raw("\n</article>\n</li>")
	return template.HTML(buf.String())
}
