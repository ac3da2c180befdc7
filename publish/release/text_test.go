package release

import (
	"html"
	"strings"
	"testing"
)

// plainTextBefore is PlainText as it was written first, a byte at a time: the
// reference the faster one must agree with.
func plainTextBefore(md []byte) string {
	s := string(md)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(punctuation, s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i += 2
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if _, end, ok := link(s, i+1); ok {
				i = end // an image says nothing in a summary
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '[':
			if text, end, ok := link(s, i); ok {
				b.WriteString(plainTextBefore([]byte(text)))
				i = end
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 || i+1 >= len(s) || !tagStart(s[i+1]) {
				b.WriteByte(c) // "TPS < 100" is text, not a tag
				i++
				break
			}
			inner := s[i+1 : i+end]
			if strings.HasPrefix(inner, "http://") || strings.HasPrefix(inner, "https://") || strings.Contains(inner, "@") && !strings.ContainsAny(inner, " =") {
				b.WriteString(inner) // an autolink keeps its address
			}
			i += end + 1
		case c == '*' || c == '_' && wordBoundary(s, i) || c == '~' && i+1 < len(s) && s[i+1] == '~' || c == '`':
			i++
			if c == '~' {
				i++
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// plainTextCases are inline Markdown with every mark PlainText treats, in
// every position, and white space of every kind.
var plainTextCases = []string{
	"",
	"Teks biasa saja.",
	"  spasi\t\tdi\n\nmana-mana \u00a0 dan\u2003em\u3000ideografis\u0085nel  ",
	"*tebal* _miring_ __dua__ snake_case_nama ~~coret~~ ~satu `kode` \\*bukan\\* \\_x\\_ \\a \\\\",
	"[teks](https://a.id) [ref][1] [tanpa] ![gambar](a.png) ![alt][r] [[dalam]](x) [a\\]b](c) ! [ !",
	"<b>tag</b> <https://a.id> <a@b.id> <a @b> <a=b@c> TPS < 100 dan > 5 <1> <",
	"&amp; &lt;x&gt; &copy; &#169; &#xA9; &bukan; &",
	"\xff\xfe rusak \xc3 é 😀 \u200b",
	"akhir\\",
	"_",
	"a_b _c_ d_ _e",
}

func TestPlainTextAgreesWithItsReference(t *testing.T) {
	for _, s := range plainTextCases {
		if got, want := PlainText([]byte(s)), plainTextBefore([]byte(s)); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", s, got, want)
		}
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	}
	if got, want := oneLine(html.UnescapeString("a&nbsp;b")), "a b"; got != want {
		t.Errorf("a no-break space from an entity is a space: %q", got)
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range plainTextCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := PlainText([]byte(s)), plainTextBefore([]byte(s)); got != want {
			t.Fatalf("PlainText(%q) = %q, want %q", s, got, want)
		}
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("oneLine(%q) = %q, want %q", s, got, want)
		}
	})
}
