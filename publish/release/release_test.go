package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/media/mediatest"
)

const testConfig = `site:
  base_url: https://humas.balikpapan.go.id
  timezone: Asia/Makassar
accounts:
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
blackout:
  - {from: 2024-02-11T00:00:00+08:00, to: 2024-02-14T13:00:00+08:00, reason: masa tenang Pemilu 2024}
`

func testCfg(t *testing.T, root string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("humas.yaml", []byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Root = root
	return cfg
}

// release builds a release file from front-matter lines and a body.
func release(front, body string) []byte {
	return []byte("---\n" + front + "---\n" + body)
}

const valid = `title: KPU Balikpapan Audiensi ke Diskominfo
date: 2021-06-09T13:00:00+08:00
issuer: kpu
classification: berkala
`

const file = "releases/2021-06-09-audiensi.md"

func TestValidReleaseGetsDefaults(t *testing.T) {
	src := release(valid, "\n# Judul\n\nBALIKPAPAN — KPU **Kota** Balikpapan [beraudiensi](https://x.test/a) ke\n`Diskominfo` &amp; Bakohumas.\n\nParagraf kedua.\n")
	r, diags := Parse(file, src, testCfg(t, t.TempDir()))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", diags)
	}
	if r.Kind != SiaranPers {
		t.Errorf("Kind = %q, want %q", r.Kind, SiaranPers)
	}
	if r.Slug != "audiensi" {
		t.Errorf("Slug = %q, want audiensi", r.Slug)
	}
	if want := "BALIKPAPAN — KPU Kota Balikpapan beraudiensi ke Diskominfo & Bakohumas."; r.Summary != want {
		t.Errorf("Summary = %q, want %q", r.Summary, want)
	}
	if r.BodyLine != 7 || !strings.HasPrefix(string(r.Body), "\n# Judul") {
		t.Errorf("BodyLine = %d, body starts %q", r.BodyLine, r.Body[:10])
	}
	if got := r.Date.Format(time.RFC3339); got != "2021-06-09T13:00:00+08:00" {
		t.Errorf("Date = %s", got)
	}
	if r.Line("issuer") != 4 {
		t.Errorf("Line(issuer) = %d, want 4", r.Line("issuer"))
	}
}

func TestDatesWithoutOffsetAreReadInTheSiteZone(t *testing.T) {
	for _, date := range []string{"2021-06-09 13:00", "2021-06-09"} {
		t.Run(date, func(t *testing.T) {
			front := strings.Replace(valid, "2021-06-09T13:00:00+08:00", date, 1)
			r, diags := Parse(file, release(front, "Isi.\n"), testCfg(t, t.TempDir()))
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics:\n%v", diags)
			}
			if _, off := r.Date.Zone(); off != 8*3600 {
				t.Errorf("offset = %d, want WITA", off)
			}
		})
	}
}

func TestNestedKeysHaveLines(t *testing.T) {
	front := valid + `kind: klarifikasi-hoaks
contact:
  name: Humas
  phone: "+62 542 000000"
posts:
  x: Teks X.
hoax:
  claim: Klaim.
  verdict: HOAKS
  sources:
    - https://kota-balikpapan.kpu.go.id/a
tags: [a, b]
`
	r, diags := Parse(file, release(front, "Isi.\n"), testCfg(t, t.TempDir()))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", diags)
	}
	want := map[string]int{"kind": 6, "contact.name": 8, "contact.phone": 9, "posts.x": 11,
		"hoax.claim": 13, "hoax.verdict": 14, "hoax.sources": 15, "hoax.sources.0": 16, "tags.1": 17}
	for key, line := range want {
		if got := r.Lines[key]; got != line {
			t.Errorf("Lines[%q] = %d, want %d", key, got, line)
		}
	}
	if r.Headline() != "[HOAKS] KPU Balikpapan Audiensi ke Diskominfo" {
		t.Errorf("Headline = %q", r.Headline())
	}
}

func TestBrokenRulesAreReportedAtTheirLine(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		front string
		body  string
		want  []string // "line: field: message fragment", every one must appear
	}{
		{"unknown key suggests the nearest", file, valid + "tittle: x\n", "", []string{`6: unknown key "tittle"`}},
		{"tags must be a list", file, valid + "tags: pemilu\n", "", []string{"6: tags: must be a list, not text"}},
		{"draft must be a boolean", file, valid + "draft: ya\n", "", []string{"6: draft: must be true or false"}},
		{"title must be text", file, strings.Replace(valid, "title: KPU Balikpapan Audiensi ke Diskominfo", "title: [a, b]", 1), "", []string{"2: title: must be text, not a list"}},
		{"date that cannot be parsed", file, strings.Replace(valid, "2021-06-09T13:00:00+08:00", "9 Juni 2021", 1), "", []string{`3: date: cannot parse "9 Juni 2021"`}},
		{"every missing required field", file, "kind: berita\n", "", []string{"1: title: is required", "1: date: is required", "1: issuer: is required", "1: classification: is required"}},
		{"issuer must be an account", file, strings.Replace(valid, "issuer: kpu", "issuer: bawaslu", 1), "", []string{`4: issuer: "bawaslu" is not an account`}},
		{"unknown classification", file, strings.Replace(valid, "berkala", "rahasia", 1), "", []string{`5: classification: unknown classification "rahasia"`}},
		{"dikecualikan is never published", file, strings.Replace(valid, "berkala", "dikecualikan", 1), "", []string{"5: classification: dikecualikan releases are exempted information (UU 14/2008 Pasal 17)"}},
		{"unknown kind", file, valid + "kind: opini\n", "", []string{`6: kind: unknown kind "opini"`}},
		{"target account must exist", file, valid + "targets: [kpu, bawaslu]\n", "", []string{`6: targets: "bawaslu" is not an account`}},
		{"target platform must be configured", file, valid + "targets:\n  - diskominfo/x\n  - kpu/facebook\n", "", []string{`8: targets: account "kpu" has no facebook account`}},
		{"target platform must be known", file, valid + "targets: [kpu/friendster]\n", "", []string{`6: targets: unknown platform "friendster"`}},
		{"posts only for known platforms", file, valid + "posts:\n  x: a\n  tiktok: b\n", "", []string{`8: posts: unknown key "tiktok"`}},
		{"image needs alt text", file, valid + "image: foto.jpg\n", "", []string{"6: image_alt: is required when image is set"}},
		{"image must exist", file, valid + "image: hilang.jpg\nimage_alt: Foto\n", "", []string{"6: image: releases/hilang.jpg does not exist"}},
		{"slug must be lower case", file, valid + "slug: Audiensi_KPU\n", "", []string{`6: slug: "Audiensi_KPU" is not a valid slug`}},
		{"file name must carry the date", "releases/audiensi.md", valid, "", []string{`1: file name "audiensi.md" is not YYYY-MM-DD-slug.md`}},
		{"file name slug must be lower case", "releases/2021-06-09-Audiensi.md", valid, "", []string{`1: file name "2021-06-09-Audiensi.md"`}},
		{"hoax needs claim, verdict, sources", file, valid + "kind: klarifikasi-hoaks\nhoax:\n  claim: \"\"\n", "", []string{"8: hoax.claim: is required", "7: hoax.verdict: is required", "7: hoax.sources: at least one source is required"}},
		{"hoax verdict in capitals", file, valid + "kind: klarifikasi-hoaks\nhoax: {claim: a, verdict: hoaks, sources: [https://a.test/]}\n", "", []string{`7: hoax.verdict: unknown verdict "hoaks"`}},
		{"hoax sources must be https", file, valid + "kind: klarifikasi-hoaks\nhoax:\n  claim: a\n  verdict: HOAKS\n  sources: [http://a.test/, x]\n", "", []string{`10: hoax.sources: "http://a.test/" is not an absolute https URL`, `10: hoax.sources: "x" is not`}},
		{"hoax kind needs a hoax", file, valid + "kind: klarifikasi-hoaks\n", "", []string{"6: hoax: is required for a klarifikasi-hoaks release"}},
		{"hoax only on a hoax clarification", file, valid + "hoax: {claim: a, verdict: HOAKS, sources: [https://a.test/]}\n", "", []string{"6: hoax: only klarifikasi-hoaks releases carry a hoax"}},
		{"NIK in the body at its line", file, valid, "Paragraf.\n\nNIK pelapor 6471054507890003 tercatat.\n", []string{"9: body: 6471xxxxxxxxxxxx looks like a NIK"}},
		{"NIK in the title", file, strings.Replace(valid, "Diskominfo", "6471010101900001", 1), "", []string{"2: title: 6471xxxxxxxxxxxx looks like a NIK"}},
		{"NIK in a post override", file, valid + "posts:\n  x: KK 3171010101010001\n", "", []string{"7: posts.x: 3171xxxxxxxxxxxx looks like a NIK"}},
		{"NIK in a block summary", file, valid + "summary: |\n  Baris satu.\n  NIK 6471010101900001.\n", "", []string{"8: summary: 6471xxxxxxxxxxxx"}},
		{"NIK in the hoax claim", file, valid + "kind: klarifikasi-hoaks\nhoax: {claim: NIK 6471010101900001 bocor, verdict: HOAKS, sources: [https://a.test/]}\n", "", []string{"7: hoax.claim: 6471xxxxxxxxxxxx"}},
		{"NIK in image_alt", file, valid + "image_alt: KTP 6471010101900001\n", "", []string{"6: image_alt: 6471xxxxxxxxxxxx"}},
		{"YAML syntax error at its file line", file, valid + "tags: [a, b\n", "", []string{"6: tags: the list opened with [ is not closed"}},
		{"no front matter", file, "", "Hanya isi.\n", []string{"1: missing front matter"}},
		{"repeated key names the first line", file, valid + "title: Lagi\n", "", []string{`6: front matter: mapping key "title" already defined on line 2`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			_, diags := Parse(tt.file, release(tt.front, tt.body), testCfg(t, root))
			if tt.name == "no front matter" {
				_, diags = Parse(tt.file, []byte(tt.body), testCfg(t, root))
			}
			if !diags.HasErrors() {
				t.Fatalf("no errors, want %q; diagnostics:\n%v", tt.want, diags)
			}
			for _, w := range tt.want {
				if !containsDiag(diags.Errors(), tt.file, w) {
					t.Errorf("missing %q in:\n%v", tt.file+":"+w, diags)
				}
			}
		})
	}
}

func TestUnclosedFrontMatter(t *testing.T) {
	_, diags := Parse(file, []byte("---\ntitle: A\n"), testCfg(t, t.TempDir()))
	if !containsDiag(diags, file, "1: front matter is not closed") {
		t.Errorf("diagnostics:\n%v", diags)
	}
}

func containsDiag(diags Diagnostics, file, want string) bool {
	for _, d := range diags {
		if strings.Contains(d.String(), file+":"+want) {
			return true
		}
	}
	return false
}

func TestEveryProblemOfAFileIsReported(t *testing.T) {
	front := "title: [x]\ndate: kemarin\nissuer: bawaslu\nclassification: rahasia\nsumary: x\n"
	_, diags := Parse(file, release(front, ""), testCfg(t, t.TempDir()))
	if got := len(diags.Errors()); got != 5 {
		t.Fatalf("got %d errors, want 5:\n%v", got, diags)
	}
	for i := 1; i < len(diags); i++ {
		if diags[i].Line < diags[i-1].Line {
			t.Errorf("diagnostics not in line order:\n%v", diags)
		}
	}
	if !strings.Contains(diags.Error(), `did you mean "summary"?`) {
		t.Errorf("no hint for sumary:\n%v", diags)
	}
}

func TestNIKShape(t *testing.T) {
	tests := []struct {
		name string
		text string
		nik  bool
	}{
		{"man born 1 January", "6471010101900001", true},
		{"woman: day plus 40", "6471014101900001", true},
		{"woman born on the 31st", "6471017112900001", true},
		{"Papua province", "9471010101900001", true},
		{"masked with x", "6471xxxxxxxxxxxx", false},
		{"masked with stars", "6471**********01", false},
		{"month 13", "6471010113900001", false},
		{"day 32", "6471013201900001", false},
		{"day 72", "6471017201900001", false},
		{"day 00", "6471010001900001", false},
		{"serial 0000", "6471010101900000", false},
		{"province 10 does not exist", "1071010101900001", false},
		{"province 20 does not exist", "2071010101900001", false},
		{"17 digits in a row", "64710101019000011", false},
		{"15 digits", "647101010190001", false},
		{"inside words", "NIK:6471010101900001,", true},
		{"in groups of four, as on the card", "NIK 6471 0101 0190 0001 terdaftar", true},
		{"split by dots", "6471.0101.0190.0001", true},
		{"split by hyphens", "6471-010101-900001", true},
		{"after a year in the same run", "Tahun 2024 6471010101900001", true},
		{"masked in groups", "6471 xxxx xxxx 0001", false},
		{"a list of years", "2021 2022 2023 2024", false},
		{"a phone number", "+62 542 000000", false},
		{"17 digits in groups", "6471 0101 0190 00011", false},
		{"two separators in a row are not one number", "6471  0101  0190  0001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(FindNIK([]byte(tt.text))) > 0; got != tt.nik {
				t.Errorf("FindNIK(%q) found = %v, want %v", tt.text, got, tt.nik)
			}
		})
	}
}

func TestMaskedNIKPasses(t *testing.T) {
	body := "Data pelapor 6471xxxxxxxxxxxx dan 6471**********01 sudah disamarkan.\n"
	_, diags := Parse(file, release(valid, body), testCfg(t, t.TempDir()))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", diags)
	}
}

func TestNIKIsNeverRepeatedInMessages(t *testing.T) {
	_, diags := Parse(file, release(valid, "NIK 6471054507890003.\n"), testCfg(t, t.TempDir()))
	if !diags.HasErrors() {
		t.Fatal("NIK not found")
	}
	if strings.Contains(diags.Error(), "6471054507890003") {
		t.Errorf("the number leaks into the message: %v", diags)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name  string
		front string
		want  string // "" for no warning at all
	}{
		{"offset other than the site zone", strings.Replace(valid, "+08:00", "+07:00", 1), "3: date: offset +07:00 is not the site's time zone"},
		{"roman month disagrees", valid + "number: 012/HM/KPU-BPP/VII/2021\n", "6: number: month VII does not match the date (June)"},
		{"two-digit month disagrees", valid + "number: 012/HM/05/2021\n", "6: number: month 05 does not match"},
		{"year disagrees", valid + "number: 012/HM/KPU-BPP/VI/2020\n", "6: number: year 2020 does not match"},
		{"matching number", valid + "number: 012/HM/KPU-BPP/VI/2021\n", ""},
		{"serial only", valid + "number: 012\n", ""},
		{"date in blackout", strings.Replace(valid, "2021-06-09T13:00:00+08:00", "2024-02-12 10:00", 1), `3: date: 2024-02-12 10:00 falls in the blackout "masa tenang Pemilu 2024" (humas.yaml:13)`},
		{"embargo in blackout", valid + "embargo: 2024-02-13 08:00\n", `6: embargo: 2024-02-13 08:00 falls in the blackout`},
		{"serta-merta in blackout", strings.Replace(strings.Replace(valid, "2021-06-09T13:00:00+08:00", "2024-02-12 10:00", 1), "berkala", "serta-merta", 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := file
			if strings.Contains(tt.front, "2024-02-12") {
				f = "releases/2024-02-12-audiensi.md"
			}
			_, diags := Parse(f, release(tt.front, "Isi.\n"), testCfg(t, t.TempDir()))
			if diags.HasErrors() {
				t.Fatalf("unexpected errors:\n%v", diags)
			}
			if tt.want == "" {
				if len(diags) > 0 {
					t.Fatalf("unexpected warnings:\n%v", diags)
				}
				return
			}
			if !containsDiag(diags.Warnings(), f, tt.want) {
				t.Errorf("missing warning %q in:\n%v", tt.want, diags)
			}
		})
	}
}

func TestImageIsStoredRelativeToTheRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "releases", "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "releases", "images", "a.jpg"), mediatest.JPEG(40, 30), 0o644); err != nil {
		t.Fatal(err)
	}
	front := valid + "image: images/a.jpg\nimage_alt: Ketua KPU berbicara\n"
	for _, name := range []string{file, filepath.Join(root, file)} {
		r, diags := Parse(name, release(front, "Isi.\n"), testCfg(t, root))
		if len(diags) > 0 {
			t.Fatalf("%s: unexpected diagnostics:\n%v", name, diags)
		}
		if r.Image != "releases/images/a.jpg" {
			t.Errorf("%s: Image = %q, want releases/images/a.jpg", name, r.Image)
		}
		if r.ImageInfo.Format != media.JPEG || r.ImageInfo.Width != 40 || r.ImageInfo.Height != 30 {
			t.Errorf("%s: ImageInfo = %+v, want a 40×30 JPEG", name, r.ImageInfo)
		}
	}
}

// An embargo without a zone is read in the site's (WITA); what it holds back,
// and until when, is publish/hold's to say.
func TestEmbargoIsReadInTheSiteTimeZone(t *testing.T) {
	r, diags := Parse(file, release(valid+"embargo: 2021-06-09 10:00\n", "Isi.\n"), testCfg(t, t.TempDir()))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", diags)
	}
	lift := time.Date(2021, 6, 9, 2, 0, 0, 0, time.UTC) // 10.00 WITA
	if !r.Embargo.Equal(lift) {
		t.Errorf("embargo %v, want it to lift at %v", r.Embargo, lift)
	}
}

// firstParagraphText is the text of the body's first paragraph, what a summary
// taken from the body starts from.
func firstParagraphText(body []byte) string {
	s, _, _ := firstParagraph(body)
	return s
}

func TestSlugify(t *testing.T) {
	tests := []struct{ title, want string }{
		{"KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks", "kpu-balikpapan-dan-diskominfo-bersinergi-tangkal-hoaks"},
		{"KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu", "kpu-balikpapan-dan-diskominfo-bersinergi-tangkal-hoaks"},
		{"Sosialisasi Pemilu 2024: Café & Résumé!", "sosialisasi-pemilu-2024-cafe-resume"},
		{"  --Hoaks--  ", "hoaks"},
		{"!!!", ""},
		{"Audiensi KPU Kota Balikpapan ke Dinas Komunikasi dan Informatika Kota Balikpapan", "audiensi-kpu-kota-balikpapan-ke-dinas-komunikasi-dan"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			got := Slugify(tt.title)
			if got != tt.want {
				t.Errorf("Slugify = %q, want %q", got, tt.want)
			}
			if got != "" && !slugRE.MatchString(got) {
				t.Errorf("Slugify = %q is not a valid slug", got)
			}
		})
	}
}

func TestFirstParagraphSkipsWhatIsNotAParagraph(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"heading and image first", "# Judul\n\n![foto](a.jpg)\n\nIsi *pertama* di sini.\nBaris dua.\n\nKedua.", "Isi pertama di sini. Baris dua."},
		{"code fence first", "```\nkode\n```\nTeks.", "Teks."},
		{"list first", "- satu\n- dua\n\nTeks.", "Teks."},
		{"escapes and autolinks", `Harga \*bukan\* emphasis, lihat <https://kpu.go.id>.`, "Harga *bukan* emphasis, lihat https://kpu.go.id."},
		{"snake_case survives", "Berkas data_pemilih.csv ~~lama~~ baru.", "Berkas data_pemilih.csv lama baru."},
		{"empty body", "\n\n", ""},
		{"comparisons are not tags", "TPS < 100 dan > 50 <b>tebal</b>.", "TPS < 100 dan > 50 tebal."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstParagraphText([]byte(tt.body)); got != tt.want {
				t.Errorf("FirstParagraph = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGlobListsReleasesSorted(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "releases")
	// A folder named like a release is listed, so that reading it says it is a
	// folder: skipped, it left check saying "checked 0 releases" (issue 9).
	for _, d := range []string{"images", "2021-06-11-c.md"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"2021-06-10-b.md", "2021-06-09-a.md", ".draft.md", "catatan.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Glob(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := "releases/2021-06-09-a.md releases/2021-06-10-b.md releases/2021-06-11-c.md"; strings.Join(got, " ") != want {
		t.Errorf("Glob = %v, want %s", got, want)
	}
	if got, err := Glob(t.TempDir()); err != nil || len(got) != 0 {
		t.Errorf("Glob of a project without releases = %v, %v", got, err)
	}
}
