// Package mdtext turns the text of a Markdown node into what a reader sees, for
// the renderings that are not HTML: the plain-text part of a message and the PDF.
package mdtext

import (
	"bufio"
	"bytes"
	"html"

	ghtml "github.com/yuin/goldmark/renderer/html"
)

// Resolve is Markdown text with its backslash escapes and entity references
// resolved ("\*" is "*", "&amp;" is "&"), as the article shows it. goldmark's own
// writer resolves them as the article's renderer does; the HTML escaping it adds
// is undone. Text in a code span is shown as written instead (CommonMark).
func Resolve(src []byte) string {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	ghtml.DefaultWriter.Write(w, src)
	w.Flush()
	return html.UnescapeString(b.String())
}
