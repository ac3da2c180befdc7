package email

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/balikpapan/humas/publish/internal/mdtext"
)

// PlainText renders a release body, Markdown, as the plain-text part of a message:
// paragraphs and headings separated by blank lines, list items with their marks,
// table rows with their cells between " | ", links as "text (address)". Raw HTML
// says nothing to a reader of plain text and is left out, as the article leaves it
// out.
func PlainText(md []byte) string {
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(md))
	w := &plain{src: md}
	w.blocks(doc, "")
	return strings.TrimSpace(w.b.String())
}

type plain struct {
	src []byte
	b   strings.Builder
}

// blocks writes the block children of n, each line after indent.
func (w *plain) blocks(n ast.Node, indent string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c, indent)
	}
}

func (w *plain) para(indent, s string) {
	if s = strings.TrimSpace(s); s == "" {
		return
	}
	if w.b.Len() > 0 {
		w.b.WriteString("\n")
	}
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.b.WriteString("\n")
		}
		w.b.WriteString(indent)
		w.b.WriteString(strings.TrimRight(line, " "))
	}
	w.b.WriteString("\n")
}

func (w *plain) block(n ast.Node, indent string) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		w.para(indent, w.inline(n))
	case *ast.ThematicBreak:
		w.para(indent, "* * *")
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			b.WriteString("    ")
			b.Write(seg.Value(w.src))
		}
		w.para(indent, strings.TrimRight(b.String(), "\n"))
	case *ast.Blockquote:
		w.blocks(n, indent+"> ")
	case *ast.List:
		num := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			mark := "- "
			if n.IsOrdered() {
				mark = strconv.Itoa(num) + ". "
				num++
			}
			var sub plain
			sub.src = w.src
			sub.blocks(item, "")
			body := strings.TrimSpace(sub.b.String())
			lines := strings.Split(body, "\n")
			var b strings.Builder
			for i, l := range lines {
				if i == 0 {
					b.WriteString(mark + l)
				} else if l != "" {
					b.WriteString("\n" + strings.Repeat(" ", len(mark)) + l)
				}
			}
			if w.b.Len() > 0 && item == n.FirstChild() {
				w.b.WriteString("\n")
			}
			for _, l := range strings.Split(b.String(), "\n") {
				w.b.WriteString(indent + l + "\n")
			}
		}
	case *east.Table:
		var rows []string
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			var cells []string
			for c := r.FirstChild(); c != nil; c = c.NextSibling() {
				cells = append(cells, strings.TrimSpace(w.inline(c)))
			}
			rows = append(rows, strings.Join(cells, " | "))
		}
		w.para(indent, strings.Join(rows, "\n"))
	case *ast.HTMLBlock:
		// left out, as on the article
	default:
		w.blocks(n, indent)
	}
}

// inline is the text of n's inline children on as many lines as it has hard breaks.
func (w *plain) inline(n ast.Node) string {
	var b bytes.Buffer
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				if _, code := c.Parent().(*ast.CodeSpan); code {
					b.Write(c.Value(w.src))
				} else {
					b.WriteString(mdtext.Resolve(c.Value(w.src)))
				}
				switch {
				case c.HardLineBreak():
					b.WriteByte('\n')
				case c.SoftLineBreak():
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				walk(c)
			case *ast.Link:
				start := b.Len()
				walk(c)
				label := b.String()[start:]
				dest := mdtext.Resolve(c.Destination)
				if dest != "" && dest != label && "mailto:"+label != dest && safeLink(dest) {
					b.WriteString(" (" + dest + ")")
				}
			case *ast.AutoLink:
				b.Write(c.URL(w.src))
			case *ast.Image:
				// The picture is in the PDF and on the article; its words stay.
				walk(c)
			case *ast.RawHTML:
				// left out, as on the article
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// safeLink reports whether a link's address may be shown to a reader: the
// article drops javascript: and other schemes, and so does the mail.
func safeLink(dest string) bool {
	l := strings.ToLower(dest)
	if i := strings.IndexByte(l, ':'); i >= 0 && !strings.ContainsAny(l[:i], "/?#") {
		scheme := l[:i]
		return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel"
	}
	return true
}
