package card

import (
	"image"
	"image/color"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// block is text laid out in lines at one size, ready to draw.
type block struct {
	face  font.Face
	size  float64
	lines []string
	lineH int // baseline to baseline
	asc   int // top of the block to the first baseline
}

// height is how tall the block stands, from the top of its first line to the bottom of
// its last line's descenders.
func (b block) height() int {
	if len(b.lines) == 0 {
		return 0
	}
	d := b.face.Metrics().Descent.Ceil()
	return b.asc + (len(b.lines)-1)*b.lineH + d
}

// draw writes the block with its top-left corner at (x, y), each line aligned as asked.
func (b block) draw(dst *image.RGBA, x, y, width int, c color.Color, center bool) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: b.face}
	for i, l := range b.lines {
		lx := x
		if center {
			lx += (width - d.MeasureString(l).Round()) / 2
		}
		d.Dot = fixed.P(lx, y+b.asc+i*b.lineH)
		d.DrawString(l)
	}
}

// spec is what a piece of text must fit into.
type spec struct {
	font             *sfnt.Font
	width, height    int
	maxSize, minSize float64 // pixels per em
	maxLines         int     // 0: as many as the height allows
	leading          float64 // line height as a multiple of the size
}

// face makes a face of f at size pixels per em. Hinting stays off: it would snap glyphs to
// the pixel grid differently at each size, and the layout measures unhinted advances.
func face(f *sfnt.Font, size float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}

// fit lays s out as large as it fits: the largest size, from maxSize down to minSize, at
// which the words wrap into the box without breaking any of them. A word too long for the
// box at every size (a pasted link, a hashtag) is then broken between letters, at the
// largest size where it needs at most three pieces; and text too long for the box even at
// minSize is cut at the last line that fits and ends in an ellipsis, so a card is always
// drawn and nothing spills out of it.
func fit(s string, sp spec) (block, error) {
	words := strings.Fields(s)
	const step = 0.94 // about 6% a step: a dozen tries from the largest size to the smallest
	for _, breakWords := range []bool{false, true} {
		for size := sp.maxSize; ; size = max(size*step, sp.minSize) {
			b, err := newBlock(sp, size)
			if err != nil {
				return block{}, err
			}
			lines, pieces, ok := wrap(b.face, words, sp.width, breakWords)
			if ok && pieces <= 3 && len(lines) <= b.maxLines(sp) {
				b.lines = lines
				return b, nil
			}
			if size <= sp.minSize {
				break
			}
		}
	}
	b, err := newBlock(sp, sp.minSize)
	if err != nil {
		return block{}, err
	}
	lines, _, _ := wrap(b.face, words, sp.width, true)
	b.lines = truncate(b.face, lines, b.maxLines(sp), sp.width)
	return b, nil
}

func newBlock(sp spec, size float64) (block, error) {
	f, err := face(sp.font, size)
	if err != nil {
		return block{}, err
	}
	return block{
		face:  f,
		size:  size,
		lineH: int(math.Ceil(size * sp.leading)),
		asc:   f.Metrics().Ascent.Ceil(),
	}, nil
}

// maxLines is how many lines of the block's size the box holds.
func (b block) maxLines(sp spec) int {
	d := b.face.Metrics().Descent.Ceil()
	n := 0
	if sp.height >= b.asc+d {
		n = 1 + (sp.height-b.asc-d)/b.lineH
	}
	if sp.maxLines > 0 && n > sp.maxLines {
		n = sp.maxLines
	}
	return max(n, 1)
}

// wrap fills lines greedily, word by word. Without breakWords it reports false when a
// word is wider than the line; with it, such a word is cut into pieces that fit, and
// pieces is the most pieces any word was cut into (1 when none was).
func wrap(f font.Face, words []string, width int, breakWords bool) (lines []string, pieces int, ok bool) {
	pieces = 1
	line := ""
	for _, w := range words {
		if font.MeasureString(f, w).Ceil() > width {
			if !breakWords {
				return nil, 0, false
			}
			if line != "" {
				lines = append(lines, line)
			}
			ps := breakWord(f, w, width)
			pieces = max(pieces, len(ps))
			lines = append(lines, ps[:len(ps)-1]...)
			line = ps[len(ps)-1]
			continue
		}
		switch {
		case line == "":
			line = w
		case font.MeasureString(f, line+" "+w).Ceil() <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines, pieces, true
}

// breakWord cuts a word too wide for a line into pieces that fit, each as long as it can
// be, but ending where a reader expects a break when there is one in its second half:
// after a hyphen, slash, dot or underscore, or before the capital of a CamelCase hashtag.
func breakWord(f font.Face, w string, width int) []string {
	var pieces []string
	for w != "" {
		n := 0 // bytes of w that fit
		for i, r := range w {
			end := i + utf8.RuneLen(r)
			if font.MeasureString(f, w[:end]).Ceil() > width {
				break
			}
			n = end
		}
		if n == 0 { // not even one letter fits: take it anyway rather than loop
			_, n = utf8.DecodeRuneInString(w)
		}
		if n < len(w) {
			if k := breakPoint(w, n); k >= n/2 {
				n = k
			}
		}
		pieces = append(pieces, w[:n])
		w = w[n:]
	}
	return pieces
}

// breakPoint is the last byte offset in (0, n] of w where a piece may end gracefully, or 0;
// n < len(w).
func breakPoint(w string, n int) int {
	best := 0
	prev := rune(0)
	for i, r := range w {
		if i > n {
			break
		}
		if i > 0 && (strings.ContainsRune("-/._", prev) || unicode.IsUpper(r) && unicode.IsLower(prev)) {
			best = i
		}
		prev = r
	}
	return best
}

// truncate keeps the first n lines and ends the last with an ellipsis that fits.
func truncate(f font.Face, lines []string, n, width int) []string {
	if len(lines) <= n {
		return lines
	}
	lines = append([]string(nil), lines[:n]...)
	last := lines[n-1]
	for {
		cand := strings.TrimRight(last, " ,.;:–—-") + "…"
		if font.MeasureString(f, cand).Ceil() <= width || last == "" {
			lines[n-1] = cand
			return lines
		}
		_, size := utf8.DecodeLastRuneInString(last)
		last = last[:len(last)-size]
		if i := strings.LastIndexByte(last, ' '); i > 0 && len(last)-i < 12 {
			last = last[:i] // prefer to cut at a word
		}
	}
}

// spaced draws s in one line with extra room between letters, as a small label wants,
// starting at the baseline point (x, y); it returns the width drawn.
func spaced(dst *image.RGBA, f font.Face, s string, x, y, extra int, c color.Color) int {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			d.Dot.X += f.Kern(prev, r) + fixed.I(extra)
		}
		d.DrawString(string(r))
		prev = r
	}
	return d.Dot.X.Round() - x
}

// measureSpaced is the width spaced would draw.
func measureSpaced(f font.Face, s string, extra int) int {
	w := fixed.Int26_6(0)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			w += f.Kern(prev, r) + fixed.I(extra)
		}
		a, _ := f.GlyphAdvance(r)
		w += a
		prev = r
	}
	return w.Ceil()
}

// text draws one line with its baseline at y and returns its width.
func text(dst *image.RGBA, f font.Face, s string, x, y int, c color.Color) int {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Round() - x
}
