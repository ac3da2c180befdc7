package compose

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hashtags turns tags into hashtags as a press officer would write them. A tag
// named in humas.yaml's tags: is its name as written there, without spaces
// ("Pemilu 2024" gives "#Pemilu2024"). Any other tag is split into words at every character that is
// not a letter or digit, and each word starts with a capital: "cek-fakta" gives
// "#CekFakta". A word that is an acronym of Indonesian public life is all capitals
// ("kpu" gives "#KPU", "pemilu-2024" "#Pemilu2024"), and a word written with
// capitals keeps them ("KPUBalikpapan"). Tags that leave no letter are dropped
// ("2024" would be "#2024", which X, Facebook and Instagram show as plain text:
// twitter-text's "DO NOT Extract an all-numeric hashtag"), and so are repeats.
func Hashtags(tags []string, names map[string]string) []string {
	var out []string
	for _, tag := range tags {
		h := hashtag(tag, names)
		if strings.ContainsFunc(h, unicode.IsLetter) && !slices.Contains(out, "#"+h) {
			out = append(out, "#"+h)
		}
	}
	return out
}

func hashtag(tag string, names map[string]string) string {
	if name, ok := names[strings.ToLower(strings.TrimSpace(tag))]; ok {
		return strings.Join(strings.Fields(name), "")
	}
	var b strings.Builder
	for w := range strings.FieldsFuncSeq(tag, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		switch {
		case acronyms[strings.ToLower(w)]:
			b.WriteString(strings.ToUpper(w))
		default:
			b.WriteString(capitalise(w))
		}
	}
	return b.String()
}

// capitalise upper-cases the first letter of w and leaves the rest as written.
func capitalise(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[size:]
}

// acronyms are initialisms of Indonesian government and elections, written in
// capitals in every official text. Acronyms read as words (Pemilu, Bawaslu,
// Diskominfo, Pilkada) are written as words, so they are not here. A project
// adds its own with humas.yaml's tags: ("dprd-bpp: DPRD Balikpapan").
var acronyms = setOf(
	// elections
	"kpu", "kpud", "kpps", "ppk", "pps", "ppdp", "pkpu", "tps", "dpt", "dps", "dpk", "dpshp",
	"psu", "paw",
	// legislatures and courts
	"dpr", "dprd", "dpd", "mpr", "mk", "ma", "ky", "kpk",
	// information and government
	"ppid", "kip", "kim", "jdih", "lpse", "spbe", "sakip", "opd", "skpd", "asn", "pns",
	"pppk", "cpns", "bkn", "bkd", "apbd", "apbn", "umkm", "bumn", "bumd", "pdam", "rsud",
	"bpbd", "bnpb", "bps", "bnn", "bpjs", "tni", "ri", "nkri", "uu", "pp",
	"ktp", "kk", "nik", "rt", "rw", "hut", "ham", "ite", "ikn", "blt", "pkh", "kis",
	"sd", "smp", "sma", "smk", "pkk", "ojk", "bi",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
