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

// goldmarkGFM is newMarkdown with goldmark's own GFM extension: what the pages
// were before quickLinkify, and must stay.
func goldmarkGFM() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{}, 100))),
	)
}

// autolinkCases have links where goldmark finds them and text that only looks
// like one: every way the autolink parser starts, an @ at each distance from a
// space around the 65 bytes it looks ahead, and the characters that trigger it.
func autolinkCases() []string {
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
	}
	for _, n := range []int{1, 63, 64, 65, 66, 70} {
		local := strings.Repeat("a", n)
		cases = append(cases, "kata "+local+"@kpu.go.id kata", "*"+local+"@kpu.go.id*", "("+local+"@x.id)", local+"@x.id di awal")
		cases = append(cases, "kata "+strings.Repeat("b", n)+" @x.id", "kata "+strings.Repeat(".", n)+"@x.id")
	}
	return cases
}

func TestQuickLinkifyRendersAsGoldmarksGFM(t *testing.T) {
	cases := autolinkCases()
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

func FuzzQuickLinkify(f *testing.F) {
	for _, c := range autolinkCases() {
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
