// Package fonts holds the typeface humas draws its cards and PDFs with: Liberation Sans,
// embedded so that every machine draws the same pixels and the same PDF bytes.
//
// Liberation Sans has Arial's metrics, the face Indonesian government letters (tata naskah
// dinas) are customarily set in, covers all of Indonesian and the punctuation releases
// use (curly quotes, dashes), and is free under the SIL Open Font License 1.1 (LICENSE,
// embedded beside the fonts so the binary carries its licence as the OFL asks).
package fonts

import (
	"embed"
	"fmt"
	"strings"
	"unicode"
)

//go:embed *.ttf LICENSE
var files embed.FS

// Style is one of the four faces of the family.
type Style int

// The four faces.
const (
	Regular Style = iota
	Bold
	Italic
	BoldItalic
)

var names = [...]string{
	Regular:    "LiberationSans-Regular.ttf",
	Bold:       "LiberationSans-Bold.ttf",
	Italic:     "LiberationSans-Italic.ttf",
	BoldItalic: "LiberationSans-BoldItalic.ttf",
}

// TTF returns a fresh copy of the TrueType file of the face, which the caller may keep
// or change.
func TTF(s Style) []byte {
	if s < Regular || s > BoldItalic {
		panic(fmt.Sprintf("fonts: no style %d", s))
	}
	b, err := files.ReadFile(names[s])
	if err != nil {
		panic("fonts: embedded font missing: " + err.Error()) // the build embeds them
	}
	return b
}

// Missing stands in for a character the typeface has no glyph for (an emoji): a white
// square, which Liberation Sans has, so the reader sees that something stood there.
const Missing = '\u25A1'

// Settable returns s as it can be set with a face whose glyphs has reports: control
// characters become spaces, invisible format characters (variation selectors, joiners,
// soft hyphens, byte-order marks) go, and any other character without a glyph becomes
// Missing, one square for what a reader sees as one character.
func Settable(s string, has func(rune) bool) string {
	clean := true
	for _, r := range s {
		if r < ' ' || r == 0x7f || invisible(r) || !has(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < ' ' || r == 0x7f:
			b.WriteByte(' ')
		case invisible(r):
		case !has(r):
			b.WriteRune(Missing)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func invisible(r rune) bool {
	return unicode.Is(unicode.Variation_Selector, r) || unicode.Is(unicode.Join_Control, r) ||
		r == 0x00ad || r == 0x200b || r == 0x2060 || r == 0xfeff ||
		(r >= 0x1f3fb && r <= 0x1f3ff) // skin-tone modifiers, which only colour the emoji before them
}
