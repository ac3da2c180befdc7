package xtext

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestV3MatchesTwitterTextConfig(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "twitter-text", "v3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		MaxWeightedTweetLength int  `json:"maxWeightedTweetLength"`
		Scale                  int  `json:"scale"`
		DefaultWeight          int  `json:"defaultWeight"`
		EmojiParsingEnabled    bool `json:"emojiParsingEnabled"`
		TransformedURLLength   int  `json:"transformedURLLength"`
		Ranges                 []struct {
			Start, End rune
			Weight     int
		} `json:"ranges"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	want := config{
		maxWeightedLength: file.MaxWeightedTweetLength,
		scale:             file.Scale,
		defaultWeight:     file.DefaultWeight,
		urlLength:         file.TransformedURLLength,
		emoji:             file.EmojiParsingEnabled,
	}
	for _, r := range file.Ranges {
		want.ranges = append(want.ranges, weightedRange{r.Start, r.End, r.Weight})
	}
	if got := v3(); !reflect.DeepEqual(got, want) {
		t.Errorf("v3() = %+v, v3.json says %+v", got, want)
	}
}

func TestExtractURLsFindsIndonesianBareDomains(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"bare go.id domain", "Cek DPT di kpu.go.id sekarang", []string{"kpu.go.id"}},
		{"subdomain with path", "Info: kota-balikpapan.kpu.go.id/berita/1.", []string{"kota-balikpapan.kpu.go.id/berita/1"}},
		{"trailing period is not part of a bare domain", "Lihat balikpapan.go.id.", []string{"balikpapan.go.id"}},
		{"parenthesised URL keeps its balanced parens only", "(lihat https://id.wikipedia.org/wiki/Pemilu_(Indonesia))", []string{"https://id.wikipedia.org/wiki/Pemilu_(Indonesia)"}},
		{"unknown TLD without protocol is no URL", "file laporan.docx dan data.xyzabc", nil},
		{"unknown TLD with protocol and slash is no URL either", "http://intranet.local/x", nil},
		{"preceded by @ is no URL", "@balikpapan.go.id", nil},
		{"two URLs", "https://humas.balikpapan.go.id/a/ dan kpu.go.id", []string{"https://humas.balikpapan.go.id/a/", "kpu.go.id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExtractURLs(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("ExtractURLs(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLength(t *testing.T) {
	tests := []struct {
		name, text string
		want       int
	}{
		{"latin counts one", "Pemilu 2024", 11},
		{"bare domain counts 23", "kpu.go.id", 23},
		{"long URL counts 23", "https://humas.balikpapan.go.id/" + strings.Repeat("a", 100) + "/", 23},
		{"CJK counts two", "選挙", 4},
		{"emoji sequence counts two", "👨‍👩‍👧‍👦", 2},
		{"flag counts two", "🇮🇩", 2},
		{"variant emoji in text style is two plain code points of weight two", "\u2764\ufe0e", 4},
		{"variant emoji in emoji style counts two", "\u2764\ufe0f", 2},
		{"decomposed accent is normalised first", "e\u0301", 1},
		{"empty text", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Length(tt.text); got != tt.want {
				t.Errorf("Length(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseValidAtLimit(t *testing.T) {
	at := strings.Repeat("a", Limit)
	if r := Parse(at); !r.Valid || r.WeightedLength != Limit {
		t.Errorf("Parse(280 × a) = %+v, want valid at 280", r)
	}
	if r := Parse(at + "b"); r.Valid || r.ValidRangeEnd != Limit-1 || r.DisplayRangeEnd != Limit {
		t.Errorf("Parse(281 chars) = %+v, want invalid, valid range ending at 279", r)
	}
}

func BenchmarkParse(b *testing.B) {
	text := "[HOAKS] Pemilih Wajib Bawa Fotokopi KTP ke TPS? Tidak benar. KPU Kota Balikpapan menegaskan pemilih cukup membawa KTP-el asli 🗳️ Info: kpu.go.id https://humas.balikpapan.go.id/klarifikasi-fotokopi-ktp/ #Pemilu2024 #CekFakta"
	for b.Loop() {
		Parse(text)
	}
}

func TestEmojiNeedsNonASCII(t *testing.T) {
	re := compiledEmoji()
	for c := range 128 {
		for d := range 128 {
			for _, s := range []string{string(rune(c)), string(rune(c)) + string(rune(d))} {
				if loc := re.anchored.FindStringIndex(s); loc != nil && loc[1] > 0 {
					t.Fatalf("emoji regexp matches ASCII %q: emojiSpans may not skip ASCII", s[:loc[1]])
				}
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Cek kpu.go.id", "http://t.co/abc?x=1", "(https://a.com/b_(c))", "❤\ufe0e❤\ufe0f", "👨‍👩‍👧‍👦 e\u0301",
		"xn--abc.com", "https://twitter.vermögensberater", "@a.com .b.com -c.com", "\uFFFEabc",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip("X takes only valid UTF-8")
		}
		r := Parse(text)
		if r.WeightedLength < 0 || r.ValidRangeEnd > r.DisplayRangeEnd {
			t.Fatalf("Parse(%q) = %+v", text, r)
		}
		if strings.TrimFunc(text, func(r rune) bool { return r <= ' ' }) != "" && r.DisplayRangeEnd != utf16Len(text)-1 {
			t.Fatalf("Parse(%q).DisplayRangeEnd = %d, want %d", text, r.DisplayRangeEnd, utf16Len(text)-1)
		}
		prev := 0
		for _, m := range extractURLs(text) {
			if m.start < prev || m.end > len(text) || m.start >= m.end {
				t.Fatalf("extractURLs(%q): bad span %+v", text, m)
			}
			prev = m.end
		}
	})
}

// BenchmarkParseLongShapes measures texts that would make a naive reading of the
// URL rules quadratic or worse: label chains, long CJK runs, many URLs.
func BenchmarkParseLongShapes(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"label chain", strings.Repeat("a.", 3000)},
		{"CJK run", strings.Repeat("あ", 6000) + "."},
		{"CJK label chain", strings.Repeat("あ.", 3000)},
		{"emoji", strings.Repeat("🙂", 3000)},
		{"URLs", strings.Repeat("https://a.com/b ", 400)},
		{"bare domains", strings.Repeat("kpu.go.id ", 600)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				Parse(bc.text)
			}
		})
	}
}
