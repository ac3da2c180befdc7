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
	if !bytes.Contains(License(), []byte("SIL Open Font License")) {
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
