package fonts

import (
	"bytes"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// indonesian is every character a release is likely to hold: the alphabet, digits, the
// punctuation of news writing (curly quotes, dashes, ellipsis), the letters of loanwords
// and names (é, ü), the rupiah and degree signs, and the bullet and arrow of lists.
const indonesian = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" +
	" .,;:!?'\"()[]{}/\\-_+=*&%$#@<>|~^`" +
	"‘’“”–—…•·×→°±§©®™€£Rp" +
	"éèêëÉáàâäíîïóôöúûüçñÑ"

func TestEveryFaceCoversIndonesianText(t *testing.T) {
	for s, name := range names {
		f, err := sfnt.Parse(TTF(Style(s)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var b sfnt.Buffer
		for _, r := range indonesian {
			if g, err := f.GlyphIndex(&b, r); err != nil || g == 0 {
				t.Errorf("%s has no glyph for %q", name, r)
			}
		}
	}
}

func TestLicenceTravelsWithTheFonts(t *testing.T) {
	// In files, the embed.FS TTF reads: the binary carries it with the fonts.
	licence, err := files.ReadFile("LICENSE")
	if err != nil || !bytes.Contains(licence, []byte("SIL Open Font License")) {
		t.Error("the embedded LICENSE is not the OFL the fonts need beside them")
	}
}

func TestTTFIsACopy(t *testing.T) {
	a := TTF(Regular)
	a[0] ^= 0xff
	if b := TTF(Regular); b[0] == a[0] {
		t.Error("changing one caller's bytes changed the next caller's")
	}
}

func TestSettable(t *testing.T) {
	f, err := sfnt.Parse(TTF(Regular))
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	has := func(r rune) bool { g, err := f.GlyphIndex(&b, r); return err == nil && g != 0 }
	if !has(Missing) {
		t.Fatal("the typeface has no glyph for Missing")
	}
	for in, want := range map[string]string{
		"Pemilu “damai” — 2024…":             "Pemilu “damai” — 2024…",
		"Ayo memilih 🗳️ di TPS":              "Ayo memilih □ di TPS", // ballot box and its variation selector: one square
		"Jempol 👍🏽 dan keluarga 👨‍👩‍👧 hadir": "Jempol □ dan keluarga □□□ hadir",
		"baris\tpertama\x00":                 "baris pertama ",
		"swa\u00adsembada\ufeff":             "swasembada",
	} {
		if got := Settable(in, has); got != want {
			t.Errorf("Settable(%q) = %q, want %q", in, got, want)
		}
	}
}
