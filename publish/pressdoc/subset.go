package pressdoc

import "regexp"

// subsetName finds the names fpdf gives the fonts it embeds: "utf8" and the family key.
var subsetName = regexp.MustCompile(`(/(?:BaseFont|FontName) /)utf8hms(liberationsans(?:BI|B|I)?)\b`)

// tagSubsets marks each embedded font as the subset it is. fpdf embeds only the glyphs
// a document uses but names the font "utf8<family>", without the six-capital tag and
// "+" by which ISO 32000-1 (9.6.4) marks a subset, so pdffonts, preflight and PDF/A
// checkers take it for a whole font. The name is replaced in place by one of the same
// length ("utf8hms" and "HUMASR+" are both seven bytes), so every byte offset in the
// cross-reference table stays right. The names stand in the font dictionaries, which
// fpdf never compresses.
func tagSubsets(pdf []byte) []byte {
	return subsetName.ReplaceAllFunc(pdf, func(m []byte) []byte {
		sub := subsetName.FindSubmatch(m)
		tag := "HUMASR+"
		switch string(sub[2][len("liberationsans"):]) {
		case "B":
			tag = "HUMASB+"
		case "I":
			tag = "HUMASI+"
		case "BI":
			tag = "HUMASX+"
		}
		out := append([]byte{}, sub[1]...)
		out = append(out, tag...)
		return append(out, sub[2]...)
	})
}
