package card

import (
	"image/color"
	"math"
)

// The palette. Every pair of text and ground a card uses is listed by textPairs, and a
// test holds each to WCAG 2.x's 4.5:1 for normal text, so the card stays legible in
// sunlight on a cheap phone.
var (
	navy  = color.RGBA{0x0b, 0x2d, 0x50, 0xff} // the ground of the card
	white = color.RGBA{0xff, 0xff, 0xff, 0xff} // the title, and the ground of the header band
	amber = color.RGBA{0xf6, 0xb4, 0x0e, 0xff} // the label and the website
	mist  = color.RGBA{0xd5, 0xe1, 0xee, 0xff} // the date
)

// verdictColour is the ground of the verdict stamp; the verdict is written on it in white.
// Reds for the two that deceive, a burnt orange for a mistake, violet for satire, which
// is a joke taken seriously rather than a lie.
func verdictColour(v string) color.RGBA {
	switch v {
	case "HOAKS":
		return color.RGBA{0xc4, 0x12, 0x2f, 0xff}
	case "DISINFORMASI":
		return color.RGBA{0xa3, 0x1b, 0x1b, 0xff}
	case "MISINFORMASI":
		return color.RGBA{0xa6, 0x42, 0x00, 0xff}
	case "SATIRE":
		return color.RGBA{0x6b, 0x2c, 0x91, 0xff}
	}
	return color.RGBA{0x80, 0x80, 0x80, 0xff}
}

// verdicts are the verdicts a hoax clarification may carry (SPEC section 2).
func verdicts() []string { return []string{"HOAKS", "DISINFORMASI", "MISINFORMASI", "SATIRE"} }

// pair is one text colour on one ground, named for the test's message.
type pair struct {
	name     string
	fg, bg   color.RGBA
	minRatio float64
}

// textPairs lists every text-on-ground combination the cards draw.
func textPairs() []pair {
	ps := []pair{
		{"issuer name on header band", navy, white, 4.5},
		{"title on card", white, navy, 4.5},
		{"label on card", amber, navy, 4.5},
		{"website on card", amber, navy, 4.5},
		{"date on card", mist, navy, 4.5},
	}
	for _, v := range verdicts() {
		ps = append(ps, pair{"verdict " + v + " on its stamp", white, verdictColour(v), 4.5})
	}
	return ps
}

// contrast is the WCAG 2.x contrast ratio of two opaque colours, from 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG's relative luminance of an sRGB colour.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
