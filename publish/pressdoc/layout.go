package pressdoc

import (
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/balikpapan/humas/publish/internal/fonts"
)

// doc is the document being laid out: the fpdf document, and where the next line goes.
type doc struct {
	f   *fpdf.Fpdf
	rel Release
	y   float64 // top of the next line, in mm from the top of the page

	logo, photo *picture // registered with fpdf as "logo" and "photo"; nil when none

	metrics [4]*metric // per face: regular, bold, italic, bold italic
	added   [4]bool    // faces registered with fpdf so far

	// marker draws a list item's bullet or number beside the first line of the next
	// paragraph set, on its baseline; paragraph clears it.
	marker func(baseline float64)
}

// style is how a piece of text is set.
type style uint8

const (
	bold style = 1 << iota
	italic
	strike
	code
)

func (s style) face() fonts.Style {
	switch s & (bold | italic) {
	case bold:
		return fonts.Bold
	case italic:
		return fonts.Italic
	case bold | italic:
		return fonts.BoldItalic
	}
	return fonts.Regular
}

// family is the name fpdf knows the typeface by; tagSubsets rewrites it in the output.
const family = "hmsLiberationSans" // fpdf lower-cases it into its font key

var fpdfStyles = [...]string{fonts.Regular: "", fonts.Bold: "B", fonts.Italic: "I", fonts.BoldItalic: "BI"}

// colours, as 0–255 RGB
type rgb struct{ r, g, b int }

var (
	ink    = rgb{0x1a, 0x1a, 0x1a} // body text: near black, softer than pure black on paper
	navy   = rgb{0x0b, 0x2d, 0x50} // the letterhead and headings, as on the cards
	grey   = rgb{0x55, 0x55, 0x55} // captions, footers
	linkC  = rgb{0x0b, 0x4f, 0x9c}
	rule   = rgb{0x0b, 0x2d, 0x50}
	paleBG = rgb{0xee, 0xf2, 0xf6} // table header, code
)

// metric gives the advance widths fpdf uses (thousandths of an em, rounded as fpdf
// rounds them), read from the same font file, so the layout measures exactly what fpdf
// draws without switching fpdf's current font to measure.
type metric struct {
	font  *sfnt.Font
	buf   sfnt.Buffer
	upem  float64
	cache map[rune]int
}

func (d *doc) loadMetrics() error {
	for s := range d.metrics {
		f, err := sfnt.Parse(fonts.TTF(fonts.Style(s)))
		if err != nil {
			return err
		}
		d.metrics[s] = &metric{font: f, upem: float64(f.UnitsPerEm()), cache: map[rune]int{}}
	}
	return nil
}

// width of r in thousandths of an em; -1 when the font has no glyph for it.
func (m *metric) width(r rune) int {
	if w, ok := m.cache[r]; ok {
		return w
	}
	w := -1
	if g, err := m.font.GlyphIndex(&m.buf, r); err == nil && g != 0 {
		if adv, err := m.font.GlyphAdvance(&m.buf, g, fixed.I(int(m.upem)), 0); err == nil {
			w = int(float64(adv)/64*1000/m.upem + 0.5)
		}
	}
	m.cache[r] = w
	return w
}

// textWidth is the width in mm of s set in st at size points.
func (d *doc) textWidth(s string, st style, size float64) float64 {
	m := d.metrics[st.face()]
	n := 0
	for _, r := range s {
		if w := m.width(r); w > 0 {
			n += w
		}
	}
	return float64(n) * size / 1000 * ptMM
}

const ptMM = 25.4 / 72 // millimetres in a point

// clean makes text safe to set (fonts.Settable): an emoji, which the typeface lacks,
// shows as a square instead of overprinting its neighbours.
func (d *doc) clean(s string) string {
	m := d.metrics[fonts.Regular]
	return fonts.Settable(s, func(r rune) bool { return m.width(r) >= 0 })
}

// setFont selects a face in fpdf, registering it on first use: a release that never
// uses italics does not pay for parsing the italic font.
func (d *doc) setFont(st style, size float64) {
	face := st.face()
	if !d.added[face] {
		d.f.AddUTF8FontFromBytes(family, fpdfStyles[face], fonts.TTF(face))
		d.added[face] = true
	}
	s := fpdfStyles[face]
	if st&strike != 0 {
		s += "S"
	}
	d.f.SetFont(family, s, size)
}

func (d *doc) color(c rgb) { d.f.SetTextColor(c.r, c.g, c.b) }

// need starts a new page unless h more millimetres fit on this one.
func (d *doc) need(h float64) {
	if d.y+h > pageH-marginB {
		d.f.AddPage()
		d.y = marginT
	}
}

// piece is a stretch of text in one style, perhaps a link.
type piece struct {
	text string
	st   style
	link string
}

// word is what a line breaks between: one or more pieces with no space between them
// ("**KPU**," is a bold piece and a regular comma). A hard break is a word of its own.
type word struct {
	pieces []piece
	w      float64 // mm
	hard   bool
}

// para is text to set in a box.
type para struct {
	size    float64 // points
	leading float64 // line height as a multiple of the size
	x, w    float64 // the box, mm
	align   byte    // 'L', 'C', 'R' or 'J'
	colour  rgb
}

func (p para) lineH() float64 { return p.size * p.leading * ptMM }

// words splits pieces into words at spaces, measuring each.
func (d *doc) words(ps []piece, size float64) []word {
	var out []word
	var cur word
	flush := func() {
		if len(cur.pieces) > 0 {
			out = append(out, cur)
		}
		cur = word{}
	}
	for _, p := range ps {
		if p.text == "\n" {
			flush()
			out = append(out, word{hard: true})
			continue
		}
		t := d.clean(p.text)
		for i, part := range strings.Split(t, " ") {
			if i > 0 {
				flush()
			}
			if part == "" {
				continue
			}
			q := p
			q.text = part
			cur.pieces = append(cur.pieces, q)
			cur.w += d.textWidth(part, p.st, size)
		}
	}
	flush()
	return out
}

// lines breaks words into lines no wider than w, greedily; a word wider than a line
// is cut between letters. A line ends a paragraph or a hard break when last is set.
type line struct {
	words []word
	last  bool
}

func (d *doc) lines(ws []word, w, size float64) []line {
	space := d.textWidth(" ", 0, size)
	var out []line
	var cur []word
	curW := 0.0
	for _, x := range ws {
		if x.hard {
			out = append(out, line{words: cur, last: true})
			cur, curW = nil, 0
			continue
		}
		if x.w > w {
			if len(cur) > 0 {
				out = append(out, line{words: cur})
			}
			parts := d.cutWord(x, w, size)
			for _, p := range parts[:len(parts)-1] {
				out = append(out, line{words: []word{p}})
			}
			cur, curW = []word{parts[len(parts)-1]}, parts[len(parts)-1].w
			continue
		}
		if len(cur) > 0 && curW+space+x.w > w+1e-6 {
			out = append(out, line{words: cur})
			cur, curW = nil, 0
		}
		if len(cur) > 0 {
			curW += space
		}
		cur = append(cur, x)
		curW += x.w
	}
	if len(cur) > 0 || len(out) == 0 {
		out = append(out, line{words: cur, last: true})
	} else {
		out[len(out)-1].last = true
	}
	return out
}

// cutWord cuts a word too wide for a line (a long link) into pieces that fit.
func (d *doc) cutWord(x word, w, size float64) []word {
	var out []word
	cur := word{}
	for _, p := range x.pieces {
		start := 0
		for i, r := range p.text {
			rw := d.textWidth(string(r), p.st, size)
			if cur.w+rw > w && (cur.w > 0 || i > start) {
				if i > start {
					q := p
					q.text = p.text[start:i]
					cur.pieces = append(cur.pieces, q)
				}
				out = append(out, cur)
				cur = word{}
				start = i
			}
			cur.w += rw
		}
		if start < len(p.text) {
			q := p
			q.text = p.text[start:]
			cur.pieces = append(cur.pieces, q)
		}
	}
	if len(cur.pieces) > 0 {
		out = append(out, cur)
	}
	return out
}

// paragraph sets pieces in the box p, breaking pages between lines.
func (d *doc) paragraph(ps []piece, p para) {
	ls := d.lines(d.words(ps, p.size), p.w, p.size)
	lh := p.lineH()
	// No orphan (a paragraph's first line alone at the foot of a page) and no widow (its
	// last line alone at the top of the next): break a line earlier instead.
	breakAt := -1
	if n, fit := len(ls), int((pageH-marginB-d.y)/lh+1e-9); n >= 2 && fit < n {
		switch {
		case fit == 1:
			breakAt = 0
		case fit == n-1 && n >= 3:
			breakAt = n - 2
		}
	}
	for i, l := range ls {
		if i == breakAt {
			d.f.AddPage()
			d.y = marginT
		}
		d.need(lh)
		base := d.baseline(d.y, lh, p.size)
		if i == 0 && d.marker != nil {
			d.marker(base)
			d.marker = nil
		}
		d.drawLine(l, p, base, lh)
		d.y += lh
	}
}

// baseline puts the em box in the middle of the line box.
func (d *doc) baseline(top, lh, size float64) float64 {
	// Liberation Sans: ascender 0.905 em, descender 0.212 em.
	em := size * ptMM
	return top + (lh-(0.905+0.212)*em)/2 + 0.905*em
}

// drawLine sets one line. Justified lines place each word to spread the slack over the
// spaces; other lines write runs of one style as one string, spaces and all, which
// copies and searches best.
func (d *doc) drawLine(l line, p para, base, lh float64) {
	space := d.textWidth(" ", 0, p.size)
	total := 0.0
	for i, w := range l.words {
		if i > 0 {
			total += space
		}
		total += w.w
	}
	x := p.x
	switch p.align {
	case 'C':
		x += (p.w - total) / 2
	case 'R':
		x += p.w - total
	}
	gap := space
	if p.align == 'J' && !l.last && len(l.words) > 1 {
		gap = space + (p.w-total)/float64(len(l.words)-1)
		for _, w := range l.words {
			d.drawPieces(w.pieces, x, base, p, lh)
			x += w.w + gap
		}
		return
	}
	// Merge the line into runs of one style and link, with the spaces inside them; a
	// space next to a link goes to the text beside it, so that no underline overhangs.
	var runs []piece
	for i, w := range l.words {
		for j, pc := range w.pieces {
			if j == 0 && i > 0 {
				switch prev := &runs[len(runs)-1]; {
				case prev.link == "":
					prev.text += " "
				case pc.link == "":
					pc.text = " " + pc.text
				default:
					runs = append(runs, piece{text: " "})
				}
			}
			if n := len(runs); n > 0 && runs[n-1].st == pc.st && runs[n-1].link == pc.link {
				runs[n-1].text += pc.text
				continue
			}
			runs = append(runs, pc)
		}
	}
	d.drawPieces(runs, x, base, p, lh)
}

// drawPieces writes pieces one after another from x on the baseline. Links are
// coloured, underlined and clickable.
func (d *doc) drawPieces(ps []piece, x, base float64, p para, lh float64) {
	for _, pc := range ps {
		w := d.textWidth(pc.text, pc.st, p.size)
		if pc.st&code != 0 {
			d.f.SetFillColor(paleBG.r, paleBG.g, paleBG.b)
			d.f.Rect(x-0.3, base-p.size*ptMM*0.8, w+0.6, p.size*ptMM*1.05, "F")
		}
		d.setFont(pc.st, p.size)
		if pc.link != "" {
			d.color(linkC)
			d.f.SetFont(family, fpdfStyles[pc.st.face()]+"U", p.size)
			d.f.Text(x, base, pc.text)
			d.f.LinkString(x, base-p.size*ptMM*0.9, w, lh, pc.link)
		} else {
			d.color(p.colour)
			d.f.Text(x, base, pc.text)
		}
		x += w
	}
}

// text is one line of plain text in one style, aligned in the text column, that does
// not wrap: the letterhead, the footer.
func (d *doc) textLine(s string, st style, size float64, x, w float64, align byte, c rgb, base float64) {
	s = d.clean(s)
	tw := d.textWidth(s, st, size)
	switch align {
	case 'C':
		x += (w - tw) / 2
	case 'R':
		x += w - tw
	}
	d.setFont(st, size)
	d.color(c)
	d.f.Text(x, base, s)
}

// plain is text as one piece of one style.
func plain(s string, st style) []piece { return []piece{{text: s, st: st}} }

// space leaves room under a block.
func (d *doc) space(mm float64) { d.y += mm }

// hrule draws a line across the text column at y.
func (d *doc) hrule(y, width float64, c rgb) {
	d.f.SetDrawColor(c.r, c.g, c.b)
	d.f.SetLineWidth(width)
	d.f.Line(marginL, y, pageW-marginR, y)
}
