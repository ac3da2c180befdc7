package preview

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	humasconfig "github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

const config = `site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id/
  timezone: Asia/Makassar
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    facebook: {page_id: "100000000000002"}
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
blackout:
  - {from: 2024-02-11T00:00:00+08:00, to: 2024-02-14T13:00:00+08:00, reason: masa tenang Pemilu 2024}
`

const sinergi = `---
title: KPU dan Diskominfo Bersinergi
date: 2021-06-09T13:00:00+08:00
issuer: kpu
classification: berkala
tags: [pemilu-2024]
image: foto.png
image_alt: Ketua KPU berbicara di depan jajaran Diskominfo
embargo: 2021-06-09T10:00:00+08:00
---
KPU Kota Balikpapan dan Diskominfo sepakat saling membagikan klarifikasi hoaks.
`

// png is a 1×1 picture.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

// load writes a project with one release and returns it parsed.
func load(t *testing.T, src string) (*project.Project, *release.Release) {
	t.Helper()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "releases"), 0o755)
	os.WriteFile(filepath.Join(root, "humas.yaml"), []byte(config), 0o644)
	os.WriteFile(filepath.Join(root, "releases", "foto.png"), png, 0o644)
	file := "releases/2021-06-09-sinergi.md"
	os.WriteFile(filepath.Join(root, file), []byte(src), 0o644)
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	r, diags := p.Load(file)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p, r
}

func render(t *testing.T, p *project.Project, r *release.Release, opts Options) (string, Report) {
	t.Helper()
	var b bytes.Buffer
	rep, err := Render(&b, p, r, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), rep
}

var wita = time.FixedZone("WITA", 8*3600)

func allSet(string) string { return "set" }

func TestTheTopSaysWhatHoldsItBackAndWhatToFix(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(string) string
		now    time.Time
		getenv func(string) string
		want   []string // kind: text, in order: holds, then the preview's own warnings
	}{
		{
			name: "nothing to report", now: time.Date(2021, 6, 9, 12, 0, 0, 0, wita), getenv: allSet,
		},
		{
			name: "embargo still in force says when it lifts", now: time.Date(2021, 6, 9, 8, 0, 0, 0, wita), getenv: allSet,
			want: []string{"embargo: Embargo: tidak diterbitkan sebelum Rabu, 9 Juni 2021 pukul 10.00 WITA"},
		},
		{
			name: "missing credentials are one line, naming every target and variable",
			now:  time.Date(2021, 6, 9, 12, 0, 0, 0, wita),
			getenv: func(k string) string {
				if strings.HasPrefix(k, "HUMAS_KPU_") && k != "HUMAS_KPU_X_ACCESS_SECRET" {
					return "set"
				}
				return ""
			},
			want: []string{
				"credentials: Kredensial belum diatur untuk 3 target (X KPU Kota Balikpapan, X Diskominfo Kota Balikpapan, Facebook Diskominfo Kota Balikpapan): publish akan gagal di target itu" +
					" (setel HUMAS_KPU_X_ACCESS_SECRET, HUMAS_DISKOMINFO_X_API_KEY, HUMAS_DISKOMINFO_X_API_SECRET, HUMAS_DISKOMINFO_X_ACCESS_TOKEN, HUMAS_DISKOMINFO_X_ACCESS_SECRET, HUMAS_DISKOMINFO_FACEBOOK_PAGE_TOKEN; humas doctor memeriksanya)",
			},
		},
		{
			name: "a draft under embargo is held by both", now: time.Date(2021, 6, 9, 8, 0, 0, 0, wita), getenv: allSet,
			edit: func(s string) string { return strings.Replace(s, "issuer: kpu", "issuer: kpu\ndraft: true", 1) },
			want: []string{
				"draft: Draf: siaran pers ini tidak dibangun dan tidak diterbitkan sampai draft: false",
				"embargo: Embargo: tidak diterbitkan sebelum Rabu, 9 Juni 2021 pukul 10.00 WITA",
			},
		},
		{
			name: "a blackout for anything but serta-merta", now: time.Date(2024, 2, 12, 9, 0, 0, 0, wita), getenv: allSet,
			want: []string{"blackout: Masa larangan (masa tenang Pemilu 2024) sampai Rabu, 14 Februari 2024 pukul 13.00 WITA: hanya siaran pers serta-merta yang diterbitkan"},
		},
		{
			name: "no blackout for serta-merta", now: time.Date(2024, 2, 12, 9, 0, 0, 0, wita), getenv: allSet,
			edit: func(s string) string { return strings.Replace(s, "berkala", "serta-merta", 1) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := sinergi
			if tt.edit != nil {
				src = tt.edit(src)
			}
			p, r := load(t, src)
			page, rep := render(t, p, r, Options{Now: tt.now, Getenv: tt.getenv})
			var got []string
			for _, h := range rep.Holds {
				got = append(got, string(h.Reason)+": "+h.Teks)
				if !strings.Contains(page, `<li class="`+string(h.Reason)+`">`) || !strings.Contains(page, h.Teks) {
					t.Errorf("page does not list the %s hold", h.Reason)
				}
			}
			for _, w := range rep.Warnings {
				got = append(got, w.Kind+": "+w.Text+" ("+w.Hint+")")
				if !strings.Contains(page, `<li class="`+w.Kind+`">`) {
					t.Errorf("page does not list the %s warning", w.Kind)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(tt.want) == 0 && !strings.Contains(page, "Tidak ada peringatan") {
				t.Errorf("page does not say there is nothing to report")
			}
		})
	}
}

func TestCheckDiagnosticsLeadThePage(t *testing.T) {
	p, r := load(t, sinergi)
	diags := release.Diagnostics{
		{File: r.File, Line: 4, Field: "kpu/x", Message: "301 characters, over the limit of 280"},
		{File: r.File, Line: 6, Field: "tags", Message: "kpu/x: #Pemilu2024 left out to fit 280 characters", Hint: "keep fewer tags", Warning: true},
	}
	page, rep := render(t, p, r, Options{Getenv: allSet, Now: time.Date(2021, 6, 9, 12, 0, 0, 0, wita), Diagnostics: diags})
	if !reflect.DeepEqual(rep.Diagnostics, diags) {
		t.Errorf("report diagnostics = %v", rep.Diagnostics)
	}
	for _, want := range []string{
		`<li class="error"><span class="where">releases/2021-06-09-sinergi.md:4</span> <span class="what">kpu/x: 301 characters, over the limit of 280</span></li>`,
		`<li class="warning"><span class="where">releases/2021-06-09-sinergi.md:6</span> <span class="what">tags: kpu/x: #Pemilu2024 left out to fit 280 characters</span> <span class="hint">Perbaikan: keep fewer tags</span></li>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Index(page, `class="report"`) > strings.Index(page, `class="posts"`) {
		t.Error("the report comes after the posts")
	}
}

// compose fits every text it writes, so an over-long post can only come from a
// template of the project's own; the meter is red for that case.
func TestTextOverTheLimitIsShownRed(t *testing.T) {
	p, _ := load(t, sinergi)
	target := compose.Target{Account: "kpu", AccountName: "KPU Kota Balikpapan", Platform: publish.X,
		Issuer: true, Text: "teks", Length: 301, Limit: 280}
	v := &view{Posts: []*postView{newPost(p, "kpu", target, linkCard{}, imageInliner{root: p.Root, release: &release.Release{}})}}
	var b bytes.Buffer
	if err := writePage(&b, p.Templates, v); err != nil {
		t.Fatal(err)
	}
	if want := `<p class="meter over"><span class="count">301 / 280</span> karakter · <strong>melebihi batas</strong>`; !strings.Contains(b.String(), want) {
		t.Errorf("page lacks %s", want)
	}
}

func TestLinksShowAsThePlatformShowsThem(t *testing.T) {
	x := platform.Look{LinkChars: 27}
	for u, want := range map[string]string{
		"https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/": "humas.balikpapan.go.id/kpu-…",
		"https://www.kpu.go.id/": "kpu.go.id/",
		"http://a.id/b":          "a.id/b",
	} {
		if got := DisplayURL(u, x); got != want {
			t.Errorf("X shows %s as %q, want %q", u, got, want)
		}
		if got := DisplayURL(u, platform.Look{}); got != u {
			t.Errorf("a platform that shows links whole shows %s as %q", u, got)
		}
	}
	if got := DisplayText("Baca https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/ #Pemilu", x); got != "Baca humas.balikpapan.go.id/kpu-… #Pemilu" {
		t.Errorf("DisplayText = %q", got)
	}
}

func TestPageNeedsNothingFromTheNetwork(t *testing.T) {
	p, r := load(t, sinergi)
	page, _ := render(t, p, r, Options{Getenv: allSet})
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<link[^>]+stylesheet`),
		regexp.MustCompile(`(?:src|srcset)="(?:https?:)?//`),
		regexp.MustCompile(`src=&#34;(?:https?:)?//`), // inside the article's srcdoc
		regexp.MustCompile(`src="foto\.png"|src=&#34;foto\.png&#34;`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("page loads something from outside: %s", m)
		}
	}
	if n := strings.Count(page, `src="data:image/png;base64,`); n != 4 {
		t.Errorf("%d posts show the picture inline, want 4", n)
	}
	if !strings.Contains(page, `src=&#34;data:image/png;base64,`) {
		t.Errorf("the article's picture is not inline")
	}
}

// A picture saved as "Rapat KPU.png" (a camera's or Word's name, spaces kept) is
// addressed "Rapat%20KPU.png" by the article; the preview shows it all the same.
func TestAPictureNamedWithSpacesIsInline(t *testing.T) {
	p, r := load(t, sinergi)
	if err := os.Rename(filepath.Join(p.Root, r.Image), filepath.Join(p.Root, "releases", "Rapat KPU.png")); err != nil {
		t.Fatal(err)
	}
	r.Image = "releases/Rapat KPU.png"
	page, _ := render(t, p, r, Options{Getenv: allSet})
	if !strings.Contains(page, `src=&#34;data:image/png;base64,`) {
		t.Errorf("the article's picture is not inline: the preview shows it broken")
	}
}

func TestExemptReleaseIsNeverPreviewed(t *testing.T) {
	p, r := load(t, sinergi)
	r.Classification = release.Dikecualikan
	var b bytes.Buffer
	if _, err := Render(&b, p, r, Options{}); err == nil || !strings.Contains(err.Error(), "dikecualikan") {
		t.Errorf("Render: %v, want a refusal naming dikecualikan", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes of a page", b.Len())
	}
}

func TestSegmentsMarkWhatThePlatformLinks(t *testing.T) {
	tests := []struct {
		text string
		want []segment
	}{
		{"Baca https://humas.balikpapan.go.id/a/ #Pemilu2024", []segment{
			{"text", "Baca ", ""}, {"link", "https://humas.balikpapan.go.id/a/", "https://humas.balikpapan.go.id/a/"}, {"text", " ", ""}, {"tag", "#Pemilu2024", ""}}},
		{"#Awal dan @kpubalikpapan.", []segment{{"tag", "#Awal", ""}, {"text", " dan ", ""}, {"mention", "@kpubalikpapan", ""}, {"text", ".", ""}}},
		{"https://x.id/a#bagian tetap satu tautan", []segment{{"link", "https://x.id/a#bagian", "https://x.id/a#bagian"}, {"text", " tetap satu tautan", ""}}},
		{"surel humas@example.go.id bukan sebutan", []segment{{"text", "surel humas@example.go.id bukan sebutan", ""}}},
		{"tanpa apa-apa", []segment{{"text", "tanpa apa-apa", ""}}},
		// twitter-text: "DO NOT Extract an all-numeric hashtag".
		{"Rapat #1 dan #2024 #Pemilu2024", []segment{{"text", "Rapat #1 dan #2024 ", ""}, {"tag", "#Pemilu2024", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := segments(tt.text, platform.Look{})
			var joined strings.Builder
			for _, s := range got {
				joined.WriteString(s.Text)
			}
			if joined.String() != tt.text {
				t.Errorf("segments lose text: %q", joined.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("segments(%q)\n got %v\nwant %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestNumbersUseIndonesianSeparators(t *testing.T) {
	for n, want := range map[int]string{0: "0", 280: "280", 1000: "1.000", 63206: "63.206", 1234567: "1.234.567", -1500: "-1.500"} {
		if got := number(n); got != want {
			t.Errorf("number(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestInitialsStandInForProfilePictures(t *testing.T) {
	for name, want := range map[string]string{"KPU Kota Balikpapan": "KPU", "Diskominfo Kota Balikpapan": "DK", "Humas": "H", "": ""} {
		if got := initials(name); got != want {
			t.Errorf("initials(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestTheLinkCardShowsTheOGCardAndTheArticleItsLogo(t *testing.T) {
	p, r := load(t, strings.Replace(strings.Replace(sinergi, "image: foto.png\n", "", 1), "image_alt: Ketua KPU berbicara di depan jajaran Diskominfo\n", "", 1))
	logo := png
	p.Config.Accounts[0].Identity = humasconfig.Identity{Logo: "assets/kpu.png", LogoData: logo}
	page, _ := render(t, p, r, Options{Getenv: allSet, Now: r.Embargo.Add(time.Hour)})
	// Facebook's card shows og:image, which is the release's og.png: drawn, inline.
	if !regexp.MustCompile(`<div class="linkcard"><img src="data:image/png;base64,[^"]{1000}`).MatchString(page) {
		t.Error("no post's link card shows the og.png card inline")
	}
	if strings.Contains(page, `src=&#34;../logo-kpu.png&#34;`) {
		t.Error("the article's logo is not inline: the preview file would show a broken picture")
	}
}

func TestThePreviewOffersTheWhatsAppMessageToCopy(t *testing.T) {
	p, r := load(t, sinergi)
	page, _ := render(t, p, r, Options{Getenv: allSet})
	m := regexp.MustCompile(`(?s)<pre class="wa-text" id="wa-text">(.*?)</pre>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no WhatsApp message")
	}
	if text := html.UnescapeString(m[1]); !strings.HasPrefix(text, "*KPU dan Diskominfo Bersinergi*\n_Siaran Pers · KPU Kota Balikpapan · ") ||
		!strings.Contains(text, "Selengkapnya: https://humas.balikpapan.go.id/sinergi/") {
		t.Errorf("WhatsApp message:\n%s", text)
	}
	if !strings.Contains(page, `<button type="button" data-salin="wa-text">Salin teks</button> <a href="https://wa.me/?text=%2AKPU%20dan%20Diskominfo%20Bersinergi%2A%0A`) {
		t.Error("no copy button and wa.me link for the message")
	}
}
