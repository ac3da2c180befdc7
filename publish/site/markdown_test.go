package site

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// goldmarkGFM is newMarkdown with goldmark's own GFM extension and HTML writer:
// what the pages were before quickLinkify and textWriter, and must stay.
func goldmarkGFM() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{}, 100))),
	)
}

// markdownCases have links where goldmark finds them and text that only looks
// like one: every way the autolink parser starts, an @ at each distance from a
// space around the 65 bytes it looks ahead, and the characters that trigger it;
// and text with everything the HTML writer escapes or resolves.
func markdownCases() []string {
	cases := []string{
		"Lihat https://kpu.go.id/a?b=c&d=(e) dan http://x.id, ftp://arsip.go.id/f.pdf atau www.balikpapan.go.id.",
		"Surel humas@kpu.go.id, (humas@kpu.go.id) *humas@kpu.go.id* _a@b.id_ ~a@b.id~ a@b tanpa titik.",
		"HTTPS://KPU.GO.ID dan WWW.X.ID dan Www.x.id bukan tautan, hTtp://x.id juga; http:/x; https:x; www.; ftp:.",
		"[tautan https://a.id dan b@c.id](https://d.id) ![gambar www.e.id](f.png) `kode https://g.id`",
		"satu@dua.tiga-empat_lima.id. nama.belakang+tag@sub.domain.go.id? @awal @ tengah@ akhir@.",
		"&amp; https://a.id/&amp;b &copy; <https://c.id> <a@b.id> \\*https://d.id\\* www.e.id/f_(g)",
		"- butir https://a.id\n- butir b@c.id\n\n| kolom | https://t.id |\n| --- | --- |\n| c@d.id | www.e.id |\n",
		"~~https://coret.id~~ **www.tebal.id** __a@b.id__ *http://x.id*: ok",
		"Ha\nhttps://baris-baru.id\nwww.x.id\nb@c.id\n  https://inden.id\n\n    kode https://x.id\n",
		"\"kutip\" 'satu' <b>tebal</b> a < b > c & d &amp; &copy; &#169; &#xA9; &#x; &bukan; &#99999999; \x00 nul \\ \\* \\& \\\\ \\\n",
		"# Judul & <x>\n\n> kutip \"a\" & b\n\n```go\nkode <a> & \"b\" \x00\n```\n\n[teks & <x>](https://a.id/?a=1&b=\"2\" \"judul & <x>\")\n",
		"![alt & \"x\" <y>](gambar.png \"t&<>\") `a<b>&\"c\"` \xff\xfe rusak é 😀",
	}
	for _, n := range []int{1, 63, 64, 65, 66, 70} {
		local := strings.Repeat("a", n)
		cases = append(cases, "kata "+local+"@kpu.go.id kata", "*"+local+"@kpu.go.id*", "("+local+"@x.id)", local+"@x.id di awal")
		cases = append(cases, "kata "+strings.Repeat("b", n)+" @x.id", "kata "+strings.Repeat(".", n)+"@x.id")
	}
	return cases
}

func TestMarkdownRendersAsGoldmarksGFM(t *testing.T) {
	cases := markdownCases()
	for _, r := range append(append(fixtureReleases(), trickyReleases()...), corpus(300, wita)...) {
		cases = append(cases, string(r.Body))
	}
	ours, theirs := newMarkdown(), goldmarkGFM()
	for _, src := range cases {
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(src), &a); err != nil {
			t.Fatal(err)
		}
		if err := theirs.Convert([]byte(src), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Fatalf("%q renders\n%s\nwhere goldmark's GFM renders\n%s", src, a.String(), b.String())
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, c := range markdownCases() {
		f.Add(c)
	}
	ours, theirs := newMarkdown(), goldmarkGFM()
	f.Fuzz(func(t *testing.T, src string) {
		var a, b bytes.Buffer
		errA, errB := ours.Convert([]byte(src), &a), theirs.Convert([]byte(src), &b)
		if (errA == nil) != (errB == nil) || a.String() != b.String() {
			t.Fatalf("%q renders\n%s (%v)\nwhere goldmark's GFM renders\n%s (%v)", src, a.String(), errA, b.String(), errB)
		}
	})
}

func TestHTMLSpecialIsGoldmarks(t *testing.T) {
	for c := range 256 {
		if got, want := htmlSpecial[c], util.EscapeHTMLByte(byte(c)) != nil; got != want {
			t.Errorf("htmlSpecial[%#x] = %v, goldmark escapes it: %v", c, got, want)
		}
	}
}
