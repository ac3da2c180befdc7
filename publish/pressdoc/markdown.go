package pressdoc

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/balikpapan/humas/publish/internal/mdtext"
)

// Body text: 11 pt with generous leading, as a letter is read on paper and on a phone.
const (
	bodySize    = 11.0
	bodyLeading = 1.45
	paraGap     = 2.6 // mm between paragraphs
)

// box is the column blocks are set in: narrower inside a list or a quotation.
type box struct {
	x, w float64
	st   style // the style text starts in: italic inside a quotation
}

// body sets the Markdown body, parsed as the site parses it (CommonMark and GFM). Raw
// HTML is left out, as the site leaves it out.
func (d *doc) body(src []byte) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(text.NewReader(src))
	d.blocks(root, src, box{x: marginL, w: textW})
}

// indent narrows a box by mm at the left, unless it is already narrow: lists and
// quotations nested without end still leave their text a column to stand in.
func (b box) indent(mm float64) box {
	if b.w-mm < 50 {
		return b
	}
	b.x, b.w = b.x+mm, b.w-mm
	return b
}

func (d *doc) blocks(parent ast.Node, src []byte, b box) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		d.block(n, src, b)
	}
}

func (d *doc) bodyPara(b box) para {
	return para{size: bodySize, leading: bodyLeading, x: b.x, w: b.w, align: 'J', colour: ink}
}

func (d *doc) block(n ast.Node, src []byte, b box) {
	switch n := n.(type) {
	case *ast.Heading:
		size := 12.5
		if n.Level > 2 {
			size = 11.5
		}
		p := para{size: size, leading: 1.3, x: b.x, w: b.w, align: 'L', colour: navy}
		d.space(2.4)
		// Keep a heading with the first two lines of what follows it.
		d.need(p.lineH()*float64(d.countLines(d.inlines(n, src, bold), p)) + 2*d.bodyPara(b).lineH())
		d.paragraph(d.inlines(n, src, bold), p)
		d.space(1)
	case *ast.Paragraph:
		d.paragraph(d.inlines(n, src, b.st), d.bodyPara(b))
		d.space(paraGap)
	case *ast.TextBlock: // a tight list item's text
		d.paragraph(d.inlines(n, src, b.st), d.bodyPara(b))
		d.space(0.6)
	case *ast.List:
		d.list(n, src, b)
		if _, nested := n.Parent().(*ast.ListItem); !nested {
			d.space(paraGap - 0.6)
		}
	case *ast.Blockquote:
		page, y := d.f.PageNo(), d.y
		in := b.indent(6)
		in.st |= italic
		d.blocks(n, src, in)
		if in.x > b.x {
			d.bar(page, y, b.x+1.5)
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		d.codeBlock(n, src, b)
	case *ast.ThematicBreak:
		d.need(6)
		d.space(2)
		d.f.SetDrawColor(grey.r, grey.g, grey.b)
		d.f.SetLineWidth(0.2)
		d.f.Line(b.x+b.w/3, d.y, b.x+2*b.w/3, d.y)
		d.space(4)
	case *east.Table:
		d.table(n, src, b)
	case *ast.HTMLBlock:
		// raw HTML never reaches a reader, here as on the site
	default:
		d.blocks(n, src, b)
	}
}

// countLines is how many lines pieces take in p.
func (d *doc) countLines(ps []piece, p para) int {
	return len(d.lines(d.words(ps, p.size), p.w, p.size))
}

// bar draws a quotation's rule down the left, from where it began to where it ended,
// across pages.
func (d *doc) bar(startPage int, startY, x float64) {
	end := d.f.PageNo()
	d.f.SetDrawColor(0xc8, 0xd0, 0xda)
	d.f.SetLineWidth(0.8)
	for p := startPage; p <= end; p++ {
		d.f.SetPage(p)
		top, bottom := marginT, pageH-marginB
		if p == startPage {
			top = startY
		}
		if p == end {
			bottom = d.y - paraGap
		}
		if bottom > top {
			d.f.Line(x, top, x, bottom)
		}
	}
}

func (d *doc) list(l *ast.List, src []byte, b box) {
	const indent = 7.0
	n := l.Start // goldmark's parse of the first number: 1, or what the writer wrote
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "•"
		if l.IsOrdered() {
			marker = strconv.Itoa(n) + string(l.Marker)
			n++
		}
		in := b.indent(indent)
		x := in.x - indent
		d.marker = func(base float64) {
			d.textLine(marker, b.st&^italic, bodySize, x, indent-2, 'R', ink, base)
		}
		d.blocks(item, src, in)
		d.marker = nil
	}
}

// codeBlock sets preformatted lines on a pale ground, breaking only lines too long for
// the column.
func (d *doc) codeBlock(n ast.Node, src []byte, b box) {
	p := para{size: 9.5, leading: 1.35, x: b.x + 2, w: b.w - 4, align: 'L', colour: ink}
	lh := p.lineH()
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		s := strings.TrimRight(string(seg.Value(src)), "\n")
		// Indentation is part of what a code block says: keep it as no-break spaces,
		// which the line breaker does not split at.
		trimmed := strings.TrimLeft(s, " ")
		s = strings.Repeat("\u00a0", len(s)-len(trimmed)) + trimmed
		for _, l := range d.lines(d.words([]piece{{text: s}}, p.size), p.w, p.size) {
			d.need(lh)
			d.f.SetFillColor(paleBG.r, paleBG.g, paleBG.b)
			d.f.Rect(b.x, d.y, b.w, lh, "F")
			d.drawLine(l, p, d.baseline(d.y, lh, p.size), lh)
			d.y += lh
		}
	}
	d.space(paraGap)
}

// inlines collects a block's text into pieces, starting in style st.
func (d *doc) inlines(n ast.Node, src []byte, st style) []piece {
	var out []piece
	d.collect(n, src, st, "", &out)
	return out
}

func (d *doc) collect(parent ast.Node, src []byte, st style, link string, out *[]piece) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			t := string(c.Value(src))
			if st&code == 0 {
				t = mdtext.Resolve(c.Value(src))
			}
			*out = append(*out, piece{text: t, st: st, link: link})
			switch {
			case c.HardLineBreak():
				*out = append(*out, piece{text: "\n"})
			case c.SoftLineBreak():
				*out = append(*out, piece{text: " ", st: st})
			}
		case *ast.String:
			*out = append(*out, piece{text: string(c.Value), st: st, link: link})
		case *ast.CodeSpan:
			d.collect(c, src, st|code, link, out)
		case *ast.Emphasis:
			if c.Level >= 2 {
				d.collect(c, src, st|bold, link, out)
			} else {
				d.collect(c, src, st^italic, link, out) // emphasis in a quotation stands upright
			}
		case *ast.Link:
			u := d.resolve(mdtext.Resolve(c.Destination))
			start := len(*out)
			d.collect(c, src, st, u, out)
			// On paper a link is only as good as its printed address: print it when the
			// text does not already say it.
			if u != "" && !strings.Contains(piecesText((*out)[start:]), shortURL(u)) {
				*out = append(*out, piece{text: " (" + shortURL(u) + ")", st: st, link: u})
			}
		case *ast.AutoLink:
			label := string(c.Label(src))
			u := string(c.URL(src))
			if c.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
				u = "mailto:" + u
			}
			*out = append(*out, piece{text: label, st: st, link: d.resolve(u)})
		case *ast.Image:
			var alt []piece
			d.collect(c, src, st, "", &alt)
			*out = append(*out, piece{text: "[Gambar: " + piecesText(alt) + "]", st: st ^ italic})
		case *ast.RawHTML:
			// left out, as on the site
		case *east.Strikethrough:
			d.collect(c, src, st|strike, link, out)
		case *east.TaskCheckBox:
			box := "[ ] "
			if c.IsChecked {
				box = "[x] "
			}
			*out = append(*out, piece{text: box, st: st})
		default:
			d.collect(c, src, st, link, out)
		}
	}
}

func piecesText(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

// shortURL is an address as people write it: no scheme, no trailing slash.
func shortURL(u string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "mailto:")
	return strings.TrimSuffix(s, "/")
}

// resolve makes a link's destination an address a reader of the PDF can follow:
// web, mail and phone links as they are, a relative link against the article's
// address. Anything else (javascript:, a relative link with no article address) is
// set as plain text, not a link.
func (d *doc) resolve(dest string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil || dest == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto", "tel":
		return u.String()
	case "":
		if d.rel.URL == "" {
			return ""
		}
		base, err := url.Parse(d.rel.URL)
		if err != nil || base.Scheme == "" {
			return ""
		}
		return base.ResolveReference(u).String()
	}
	return ""
}

// table sets a GFM table: columns as wide as their content allows, text wrapped in its
// cells, the header repeated on each page the table continues on.
func (d *doc) table(t *east.Table, src []byte, b box) {
	const (
		size = 9.5
		pad  = 1.6
	)
	var rows [][][]piece
	header := -1
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		st := b.st
		if _, ok := r.(*east.TableHeader); ok {
			st |= bold
			header = len(rows)
		}
		var row [][]piece
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			row = append(row, d.inlines(c, src, st))
		}
		rows = append(rows, row)
	}
	ncol := len(t.Alignments)
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	if ncol == 0 {
		return
	}
	// Natural width: each cell on one line; least width: its longest word.
	natural, least := make([]float64, ncol), make([]float64, ncol)
	space := d.textWidth(" ", 0, size)
	for _, r := range rows {
		for i, cell := range r {
			line := 0.0
			for j, w := range d.words(cell, size) {
				if j > 0 {
					line += space
				}
				line += w.w
				least[i] = max(least[i], w.w+2*pad)
			}
			natural[i] = max(natural[i], line+2*pad)
		}
	}
	widths := columnWidths(natural, least, b.w)
	p := func(i int) para {
		align := byte('L')
		if i < len(t.Alignments) {
			switch t.Alignments[i] {
			case east.AlignCenter:
				align = 'C'
			case east.AlignRight:
				align = 'R'
			}
		}
		return para{size: size, leading: 1.3, align: align, colour: ink}
	}
	lh := p(0).lineH()
	layout := func(r [][]piece) ([][]line, float64) {
		cells := make([][]line, ncol)
		h := 0.0
		for i := 0; i < ncol; i++ {
			var ps []piece
			if i < len(r) {
				ps = r[i]
			}
			cells[i] = d.lines(d.words(ps, size), widths[i]-2*pad, size)
			h = max(h, float64(len(cells[i]))*lh+2*pad)
		}
		return cells, h
	}
	drawRow := func(r [][]piece, shaded bool) {
		cells, h := layout(r)
		x := b.x
		for i, c := range cells {
			if shaded {
				d.f.SetFillColor(paleBG.r, paleBG.g, paleBG.b)
				d.f.Rect(x, d.y, widths[i], h, "F")
			}
			d.f.SetDrawColor(0xc8, 0xd0, 0xda)
			d.f.SetLineWidth(0.2)
			d.f.Rect(x, d.y, widths[i], h, "D")
			cp := p(i)
			cp.x, cp.w = x+pad, widths[i]-2*pad
			for k, l := range c {
				top := d.y + pad + float64(k)*lh
				d.drawLine(l, cp, d.baseline(top, lh, size), lh)
			}
			x += widths[i]
		}
		d.y += h
	}
	d.space(0.5)
	for i, r := range rows {
		_, h := layout(r)
		if d.y+h > pageH-marginB {
			d.need(h)
			if header >= 0 && i != header {
				drawRow(rows[header], true)
			}
		}
		drawRow(r, i == header)
	}
	d.space(paraGap + 0.5)
}

// columnWidths shares width w among columns as a browser's automatic table layout
// does: a column whose text fits in its fair share gets what it needs, and the columns
// left share the rest in proportion to their text, never below their longest word
// when the words fit at all. A table narrower than w is widened in proportion, so that
// it spans the column as the body does.
func columnWidths(natural, least []float64, w float64) []float64 {
	n := len(natural)
	out := make([]float64, n)
	sumN, sumL := 0.0, 0.0
	for i := range natural {
		sumN += natural[i]
		sumL += least[i]
	}
	if sumN <= w {
		for i := range out {
			out[i] = natural[i] + (w-sumN)*natural[i]/sumN
		}
		return out
	}
	if sumL > w { // even the longest words do not fit: share in proportion, words will be cut
		for i := range out {
			out[i] = w * least[i] / sumL
		}
		return out
	}
	done := make([]bool, n)
	left, open := w, n
	for changed := true; changed && open > 0; {
		changed = false
		for i := range natural {
			if !done[i] && natural[i] <= left/float64(open) {
				out[i], done[i] = natural[i], true
				left -= natural[i]
				open--
				changed = true
			}
		}
	}
	// The wide columns share what is left by their text, each at least its longest word.
	restN := 0.0
	for i := range natural {
		if !done[i] {
			restN += natural[i]
		}
	}
	for i := range natural {
		if !done[i] {
			out[i] = max(least[i], left*natural[i]/restN)
		}
	}
	// Raising a column to its longest word may overdraw: take it back from the others.
	total := 0.0
	for _, x := range out {
		total += x
	}
	if over := total - w; over > 1e-9 {
		slack := 0.0
		for i := range out {
			slack += out[i] - least[i]
		}
		for i := range out {
			out[i] -= over * (out[i] - least[i]) / slack
		}
	}
	return out
}
