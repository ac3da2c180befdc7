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

// License is the fonts' copyright notice and licence.
func License() []byte {
	b, err := files.ReadFile("LICENSE")
	if err != nil {
		panic("fonts: embedded LICENSE missing: " + err.Error())
	}
	return b
}
