package site

import (
	"bytes"
	"fmt"
	"html"
	"path"
	"sort"

	"github.com/balikpapan/humas/publish/internal/fieldhash"
	"github.com/balikpapan/humas/publish/release"
)

// aliasPages are the pages that keep a renamed article's old addresses answering:
// each sends readers and search engines to the address the article has now
// (rel=canonical and an immediate meta refresh, which a static host serves
// without any redirect rule). An old slug that a live article holds again is that
// article's, never an alias.
func (b *builder) aliasPages(live []*release.Release) []listPage {
	taken := make(map[string]bool, len(live))
	for _, r := range live {
		taken[r.Slug] = true
	}
	olds := make([]string, 0, len(b.opts.Aliases))
	for old := range b.opts.Aliases {
		if !taken[old] && validSlug(old) {
			olds = append(olds, old)
		}
	}
	sort.Strings(olds)
	lang := b.in.cfg.Site.Language
	pages := make([]listPage, 0, len(olds))
	for _, old := range olds {
		to := b.opts.Aliases[old]
		pages = append(pages, listPage{
			path: path.Join(old, "index.html"),
			hash: fieldhash.New(b.r.sum, "alias", old, to, lang).Sum(),
			render: func(buf *bytes.Buffer) error {
				aliasPage(buf, lang, to)
				return nil
			},
		})
	}
	return pages
}

// validSlug is an old slug that names one folder of the output and nothing else.
func validSlug(s string) bool {
	return s != "" && s != "." && s != ".." && path.Base(s) == s && s[0] != '.'
}

func aliasPage(buf *bytes.Buffer, lang, to string) {
	u := html.EscapeString(to)
	fmt.Fprintf(buf, `<!doctype html>
<html lang="%s">
<head>
<meta charset="utf-8">
<title>%s</title>
<link rel="canonical" href="%s">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=%s">
</head>
<body>
<p><a href="%s">%s</a></p>
</body>
</html>
`, html.EscapeString(lang), u, u, u, u, u)
}
