package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/media/mediatest"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var wita = time.FixedZone("WITA", 8*3600)

func testConfig() *config.Config {
	loc, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		loc = wita
	}
	return &config.Config{
		File: "humas.yaml",
		Site: config.Site{Title: "Siaran Pers Kota Balikpapan", BaseURL: "https://humas.balikpapan.go.id/",
			Language: "id", Timezone: "Asia/Makassar", Location: loc, Output: "public"},
		Accounts: []config.Account{
			{Key: "diskominfo", Name: "Diskominfo Kota Balikpapan", Platforms: []platform.Account{
				{Key: "diskominfo", Platform: "x", Settings: map[string]string{"username": "diskominfobpp"}},
				{Key: "diskominfo", Platform: "facebook", Settings: map[string]string{"page_id": "100000000000001"}}},
				Identity: config.Identity{Website: "https://diskominfo.balikpapan.go.id/"}},
			{Key: "kpu", Name: "KPU Kota Balikpapan", Platforms: []platform.Account{
				{Key: "kpu", Platform: "x", Settings: map[string]string{"username": "kpubalikpapan"}},
				{Key: "kpu", Platform: "facebook", Settings: map[string]string{"page_id": "100000000000002"}}},
				Identity: config.Identity{Logo: "assets/kpu.png", LogoData: fixtureLogo, Address: "Jl. Jenderal Sudirman No. 1, Balikpapan",
					Phone: "+62 542 000000", Website: "https://kota-balikpapan.kpu.go.id"}},
		},
		Platforms: all.Platforms(),
	}
}

// testNow is before the embargoed fixture lifts and after every other release.
var testNow = time.Date(2021, 6, 9, 9, 0, 0, 0, wita)

func fixtureReleases() []*release.Release {
	return []*release.Release{
		{
			File: "releases/2021-06-08-sinergi-tangkal-hoaks.md", Title: "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
			Date: time.Date(2021, 6, 8, 13, 0, 0, 0, wita), Issuer: "kpu", Classification: release.Berkala, Kind: release.SiaranPers,
			Number: "012/HM/KPU-BPP/VI/2021", Summary: "KPU dan Diskominfo sepakat saling membagikan klarifikasi hoaks pemilu.",
			Tags: []string{"pemilu-2024", "kehumasan"}, Image: "releases/images/audiensi.jpg", ImageAlt: "Ketua KPU berbicara di depan jajaran Diskominfo",
			Contact: &release.Contact{Name: "Ridwan", Role: "Subbag Teknis dan Hupmas", Phone: "+62 542 000000", Email: "humas@example.go.id"},
			Slug:    "sinergi-tangkal-hoaks",
			Body: []byte("KPU Kota Balikpapan menerima audiensi Diskominfo pada **Selasa** (8/6).\n\n" +
				"# Kesepakatan\n\n| Pihak | Tugas |\n| --- | --- |\n| KPU | data tahapan |\n| Diskominfo | ~~rumor~~ literasi digital |\n\n" +
				"Informasi lengkap di https://kota-balikpapan.kpu.go.id dan [situs Diskominfo](https://diskominfo.balikpapan.go.id/).\n"),
		},
		{
			File: "releases/2021-06-07-ktp-ke-tps.md", Title: "Pemilih Tidak Wajib Membawa Fotokopi KTP ke TPS",
			Date: time.Date(2021, 6, 7, 10, 30, 0, 0, wita), Issuer: "diskominfo", Classification: release.SertaMerta, Kind: release.KlarifikasiHoaks,
			Summary: "Pesan berantai soal fotokopi KTP ke TPS tidak benar.", Tags: []string{"hoaks", "pemilu-2024"},
			Slug: "ktp-ke-tps",
			Hoax: &release.Hoax{Claim: "Beredar pesan berantai bahwa pemilih wajib membawa fotokopi KTP ke TPS.", Verdict: "HOAKS",
				Sources: []string{"https://kota-balikpapan.kpu.go.id/berita/ktp"}},
			Body: []byte("Pemilih cukup membawa KTP-el asli & formulir pemberitahuan.\n"),
		},
		{
			File: "releases/2021-06-09-jadwal-kampanye.md", Title: "Jadwal Kampanye Diumumkan",
			Date: time.Date(2021, 6, 9, 13, 0, 0, 0, wita), Embargo: time.Date(2021, 6, 9, 10, 0, 0, 0, wita),
			Issuer: "kpu", Classification: release.Berkala, Kind: release.Berita, Summary: "Jadwal kampanye resmi diumumkan.",
			Tags: []string{"kampanye"}, Slug: "jadwal-kampanye", Body: []byte("Jadwal kampanye berlaku mulai besok.\n"),
		},
		{
			File: "releases/2021-06-05-draf.md", Title: "Draf", Date: time.Date(2021, 6, 5, 9, 0, 0, 0, wita), Issuer: "kpu",
			Classification: release.Berkala, Slug: "draf", Draft: true, Body: []byte("draf\n"),
		},
		{
			File: "releases/2021-06-04-rahasia.md", Title: "Rahasia", Date: time.Date(2021, 6, 4, 9, 0, 0, 0, wita), Issuer: "kpu",
			Classification: release.Dikecualikan, Slug: "rahasia", Body: []byte("rahasia\n"),
		},
	}
}

func fixtureLinks(slug string) []Link {
	if slug != "sinergi-tangkal-hoaks" {
		return nil
	}
	return []Link{
		{Account: "kpu", AccountName: "KPU Kota Balikpapan", Platform: "x", URL: "https://x.com/kpubalikpapan/status/1403000000000000001", ID: "1403000000000000001"},
		{Account: "diskominfo", Platform: "facebook", URL: "https://www.facebook.com/100000000000001/posts/2", ID: "100000000000001_2"},
	}
}

// fixtureLogo is KPU's logo.
var fixtureLogo = mediatest.PNG(64, 64)

// fixtureJPEG is the fixture release's photo.
var fixtureJPEG = mediatest.JPEG(40, 30)

// newTestProject writes the fixture's image into a fresh project root.
func newTestProject(t *testing.T) input {
	t.Helper()
	root := t.TempDir()
	img := filepath.Join(root, "releases", "images", "audiensi.jpg")
	if err := os.MkdirAll(filepath.Dir(img), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, fixtureJPEG, 0o644); err != nil {
		t.Fatal(err)
	}
	return input{root: root, cfg: testConfig(), fsys: templates.FS}
}

// newCorpusProject is newTestProject for a generated corpus, which is the archive
// (dated before publish.since): these tests look at the pages, and drawing a
// press kit for hundreds of releases would take most of their time. The press
// kit has tests of its own (presskit_test.go).
func newCorpusProject(t *testing.T) input {
	t.Helper()
	in := newTestProject(t)
	in.cfg.Publish.Since = time.Date(2100, 1, 1, 0, 0, 0, 0, wita)
	return in
}

func mustBuild(t *testing.T, in input, rels []*release.Release, opts Options) Stats {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	if opts.Links == nil {
		opts.Links = fixtureLinks
	}
	st, err := build(context.Background(), in, rels, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return st
}

func readOut(t *testing.T, in input, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(in.root, "public", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRenderedPagesMatchGoldenFiles(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{Embargoed: true} /* the embargoed article keeps its golden page */)
	for _, name := range []string{
		"sinergi-tangkal-hoaks/index.html", "ktp-ke-tps/index.html", "jadwal-kampanye/index.html",
		"index.html", "tags/pemilu-2024/index.html", "tags/index.html", "index.xml", "atom.xml", "sitemap.xml", "feed.json",
	} {
		t.Run(name, func(t *testing.T) {
			got := readOut(t, in, name)
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "_"))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run go test -update after checking the change):\n%s", name, golden, firstDiff(string(want), got))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, w, g)
		}
	}
	return ""
}

func TestArticlePageShowsWhatReadersNeed(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{})
	page := readOut(t, in, "sinergi-tangkal-hoaks/index.html")
	for _, want := range []string{
		`<html lang="id">`,
		`<h1>KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu</h1>`,
		`Selasa, 8 Juni 2021 pukul 13.00 WITA`,
		`<dt>Nomor</dt><dd>012/HM/KPU-BPP/VI/2021</dd>`,
		`KPU Kota Balikpapan`,
		`<img src="audiensi.jpg" alt="Ketua KPU berbicara di depan jajaran Diskominfo">`,
		`<h2 id="narahubung">Narahubung</h2>`,
		`href="tel:&#43;62542000000"`,
		`<a href="../tags/pemilu-2024/">pemilu-2024</a>`,
		`<h2 id="dibagikan">Dibagikan di</h2>`,
		`https://x.com/kpubalikpapan/status/1403000000000000001`,
		`X: KPU Kota Balikpapan`, `Facebook: Diskominfo Kota Balikpapan`,
		`<link rel="canonical" href="https://humas.balikpapan.go.id/sinergi-tangkal-hoaks/">`,
		`<meta property="og:image" content="https://humas.balikpapan.go.id/sinergi-tangkal-hoaks/audiensi.jpg">`,
		`<meta property="og:locale" content="id_ID">`,
		`<meta property="og:type" content="article">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`"@type":"NewsArticle"`,
		`"inLanguage":"id"`,
		`<table>`, `<del>rumor</del>`, `<a href="https://kota-balikpapan.kpu.go.id">`,
		`<h2>Kesepakatan</h2>`, // a body h1 is moved under the title
		`<a class="skip" href="#isi">`, `<main id="isi"`, `<footer class="site">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if strings.Count(page, "<h1") != 1 {
		t.Errorf("article page has %d h1 elements, want 1", strings.Count(page, "<h1"))
	}
	if strings.Contains(page, "EMBARGO") {
		t.Error("article whose embargo is not set shows an embargo line")
	}
	if b, err := os.ReadFile(filepath.Join(in.root, "public", "sinergi-tangkal-hoaks", "audiensi.jpg")); err != nil || !bytes.Equal(b, fixtureJPEG) {
		t.Errorf("image not copied next to the article: %v", err)
	}
}

func TestHoaxClarificationCarriesVerdictAndClaimReview(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{})
	page := readOut(t, in, "ktp-ke-tps/index.html")
	for _, want := range []string{
		`<h1>[HOAKS] Pemilih Tidak Wajib Membawa Fotokopi KTP ke TPS</h1>`,
		`<section class="verdict"`,
		`Beredar pesan berantai bahwa pemilih wajib membawa fotokopi KTP ke TPS.`,
		`<a href="https://kota-balikpapan.kpu.go.id/berita/ktp">`,
		`"@type":"ClaimReview"`,
		`"reviewRating":{"@type":"Rating","alternateName":"HOAKS","ratingValue":1,"bestRating":5,"worstRating":1}`,
		`"itemReviewed":{"@type":"Claim"`,
		`"claimReviewed":"Beredar pesan berantai bahwa pemilih wajib membawa fotokopi KTP ke TPS."`,
		`KTP-el asli &amp; formulir`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("hoax page lacks %q", want)
		}
	}
}

func TestEmbargoLineShowsOnlyBeforeTheEmbargoLifts(t *testing.T) {
	const line = `tidak untuk disiarkan sebelum Rabu, 9 Juni 2021 pukul 10.00 WITA`
	for _, tc := range []struct {
		name string
		now  time.Time
		want bool
	}{
		{"before the embargo", testNow, true},
		{"after the embargo", testNow.Add(2 * time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := newTestProject(t)
			mustBuild(t, in, fixtureReleases(), Options{Now: tc.now, Embargoed: true})
			if got := strings.Contains(readOut(t, in, "jadwal-kampanye/index.html"), line); got != tc.want {
				t.Errorf("embargo line shown = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestThePublishedSiteHoldsAnEmbargoedReleaseBackUntilItLifts(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{Now: testNow})
	if _, err := os.Stat(filepath.Join(in.root, "public", "jadwal-kampanye")); err == nil {
		t.Error("the embargoed article was built before its embargo lifted")
	}
	for _, f := range []string{"index.html", "index.xml", "atom.xml", "sitemap.xml", "tags/kampanye/index.html"} {
		if b, err := os.ReadFile(filepath.Join(in.root, "public", f)); err == nil && strings.Contains(string(b), "jadwal-kampanye") {
			t.Errorf("%s links the embargoed article", f)
		}
	}

	// The next build after the embargo lifts publishes it, without the line.
	mustBuild(t, in, fixtureReleases(), Options{Now: testNow.Add(2 * time.Hour)})
	page := readOut(t, in, "jadwal-kampanye/index.html")
	if strings.Contains(page, "EMBARGO") {
		t.Error("the article still carries its embargo line after the embargo lifted")
	}
	if !strings.Contains(readOut(t, in, "index.xml"), "jadwal-kampanye") {
		t.Error("the feed does not list the article after the embargo lifted")
	}
}

func TestABlackoutHoldsBackWhatWouldFirstAppearInIt(t *testing.T) {
	// Masa tenang from 8 June 12.00 to 9 June 12.00. The berkala release of 8 June
	// 13.00 would first appear inside it; the hoax clarification (serta-merta) and
	// anything published before the window stay.
	in := newTestProject(t)
	in.cfg.Blackout = []config.Blackout{{
		From: time.Date(2021, 6, 8, 12, 0, 0, 0, wita), To: time.Date(2021, 6, 9, 12, 0, 0, 0, wita), Reason: "masa tenang",
	}}
	during := time.Date(2021, 6, 8, 18, 0, 0, 0, wita)
	stamp, _, _ := upToDate(in, Options{}, during)
	mustBuild(t, in, fixtureReleases(), Options{Now: during, Stamp: stamp})
	if _, err := os.Stat(filepath.Join(in.root, "public", "sinergi-tangkal-hoaks")); err == nil {
		t.Error("a berkala release dated inside an open blackout window was built")
	}
	if !strings.Contains(readOut(t, in, "index.html"), "ktp-ke-tps") {
		t.Error("the serta-merta hoax clarification was held back by the blackout")
	}
	// After the embargo of the other release lifted (10.00) the window alone
	// decides: the no-change check must expire when it closes.
	late := time.Date(2021, 6, 9, 10, 30, 0, 0, wita)
	stamp, _, _ = upToDate(in, Options{}, late)
	mustBuild(t, in, fixtureReleases(), Options{Now: late, Stamp: stamp})
	if _, ok := upToDateAt(in, late.Add(time.Hour)); !ok {
		t.Error("not up to date an hour later, with nothing changed and the window still open")
	}
	if _, ok := upToDateAt(in, time.Date(2021, 6, 9, 12, 0, 1, 0, wita)); ok {
		t.Error("still up to date after the window closed: the held release would stay off the site")
	}

	mustBuild(t, in, fixtureReleases(), Options{Now: time.Date(2021, 6, 9, 12, 0, 1, 0, wita)})
	readOut(t, in, "sinergi-tangkal-hoaks/index.html")
}

func upToDateAt(in input, now time.Time) (int, bool) {
	_, n, ok := upToDate(in, Options{}, now)
	return n, ok
}

func TestDraftsAndExemptReleasesAreNeverBuilt(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{})
	for _, slug := range []string{"draf", "rahasia"} {
		if _, err := os.Stat(filepath.Join(in.root, "public", slug)); err == nil {
			t.Errorf("%s was built", slug)
		}
		for _, f := range []string{"index.html", "index.xml", "atom.xml", "sitemap.xml"} {
			if strings.Contains(readOut(t, in, f), "/"+slug+"/") {
				t.Errorf("%s links %s", f, slug)
			}
		}
	}
}

func TestRawHTMLAndDangerousLinksNeverReachThePage(t *testing.T) {
	bodies := map[string]string{
		"script block":       "<script>alert(1)</script>\n",
		"inline html":        "teks <img src=x onerror=alert(1)> teks\n",
		"javascript link":    "[klik](javascript:alert(1))\n",
		"javascript mixed":   "[klik](JaVaScRiPt:alert(1))\n",
		"vbscript link":      "[klik](vbscript:msgbox(1))\n",
		"data link":          "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n",
		"javascript image":   "![x](javascript:alert(1))\n",
		"autolink":           "<javascript:alert(1)>\n",
		"reference link":     "[klik][r]\n\n[r]: javascript:alert(1)\n",
		"iframe":             "<iframe src=\"https://evil.example\"></iframe>\n",
		"html in title text": "biasa\n",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			in := newTestProject(t)
			rel := &release.Release{File: "releases/x.md", Title: `Judul <script>alert(1)</script>`, Date: testNow.Add(-time.Hour),
				Issuer: "kpu", Classification: release.Berkala, Slug: "x", Summary: `ringkas </script><script>alert(1)</script>`,
				Tags: []string{`<b>tag</b>`}, Body: []byte(body)}
			mustBuild(t, in, []*release.Release{rel}, Options{})
			for _, f := range []string{"x/index.html", "index.html", "index.xml", "atom.xml"} {
				page := strings.ToLower(readOut(t, in, f))
				// The page's own script, the share buttons', is the template's.
				page = strings.Replace(page, strings.ToLower(shareScript(t)), "", 1)
				// Visible text may quote a scheme; no attribute may hold one.
				for _, bad := range []string{"<script>", `="javascript:`, `="vbscript:`, `="data:`, "<iframe", "onerror=", "<b>tag"} {
					if strings.Contains(page, bad) {
						t.Errorf("%s contains %q", f, bad)
					}
				}
			}
		})
	}
}

// shareScript is the script of article.html, as a page carries it.
func shareScript(t *testing.T) string {
	t.Helper()
	src, err := fs.ReadFile(templates.FS, "site/article.html")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	i, j := strings.Index(s, "<script>\nfor ("), strings.LastIndex(s, "</script>")
	if i < 0 || j < i {
		t.Fatal("article.html has no share script")
	}
	return s[i : j+len("</script>")]
}

// TestCorpusBuildsEveryArticleAndValidFeeds builds a generated 300-release corpus.
func TestCorpusBuildsEveryArticleAndValidFeeds(t *testing.T) {
	in := newCorpusProject(t)
	rels := corpus(300, testConfig().Site.Location)
	st := mustBuild(t, in, rels, Options{})
	if st.Articles != 300 {
		t.Errorf("built %d articles, want 300", st.Articles)
	}
	wantPages := (300 + PerPage - 1) / PerPage
	for i := 1; i <= wantPages; i++ {
		p := "index.html"
		if i > 1 {
			p = fmt.Sprintf("page/%d/index.html", i)
		}
		if _, err := os.Stat(filepath.Join(in.root, "public", filepath.FromSlash(p))); err != nil {
			t.Errorf("index page %d: %v", i, err)
		}
	}
	for _, r := range rels {
		if _, err := os.Stat(filepath.Join(in.root, "public", r.Slug, "index.html")); err != nil {
			t.Errorf("article %s: %v", r.Slug, err)
		}
	}
	var rss struct {
		Items []struct {
			Link string `xml:"link"`
		} `xml:"channel>item"`
	}
	var atom struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	docs := []struct {
		file string
		v    any
		urls func() []string
	}{
		{"index.xml", &rss, func() (u []string) {
			for _, i := range rss.Items {
				u = append(u, i.Link)
			}
			return
		}},
		{"atom.xml", &atom, func() (u []string) {
			for _, e := range atom.Entries {
				u = append(u, e.ID)
			}
			return
		}},
		{"sitemap.xml", &sm, func() (u []string) {
			for _, e := range sm.URLs {
				u = append(u, e.Loc)
			}
			return
		}},
	}
	for _, d := range docs {
		t.Run(d.file, func(t *testing.T) {
			if err := xml.Unmarshal([]byte(readOut(t, in, d.file)), d.v); err != nil {
				t.Fatalf("%s is not well-formed XML: %v", d.file, err)
			}
			listed := map[string]bool{}
			for _, u := range d.urls() {
				listed[u] = true
			}
			for _, r := range rels {
				if u := in.cfg.ArticleURL(r.Slug); !listed[u] {
					t.Errorf("%s does not list %s", d.file, u)
				}
			}
		})
	}
	for _, want := range []string{in.cfg.Site.BaseURL, in.cfg.Site.BaseURL + "page/2/", in.cfg.Site.BaseURL + "tags/", in.cfg.Site.BaseURL + "tags/hoaks/"} {
		found := false
		for _, u := range sm.URLs {
			found = found || u.Loc == want
		}
		if !found {
			t.Errorf("sitemap.xml does not list %s", want)
		}
	}
}

func TestXMLEscapesTitles(t *testing.T) {
	in := newTestProject(t)
	rel := &release.Release{File: "releases/x.md", Title: `Tom & Jerry <b> "kutip" ]]>`, Date: testNow.Add(-time.Hour),
		Issuer: "kpu", Classification: release.Berkala, Slug: "x", Summary: "a & b < c", Body: []byte("x\n")}
	mustBuild(t, in, []*release.Release{rel}, Options{})
	for _, f := range []string{"index.xml", "atom.xml", "sitemap.xml"} {
		var v struct{}
		if err := xml.Unmarshal([]byte(readOut(t, in, f)), &v); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	var rss struct {
		Title string `xml:"channel>item>title"`
	}
	if err := xml.Unmarshal([]byte(readOut(t, in, "index.xml")), &rss); err != nil || rss.Title != rel.Title {
		t.Errorf("rss title = %q, %v; want %q", rss.Title, err, rel.Title)
	}
}

func mtimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = info.ModTime()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// touchAll sets every output file's mtime to the past, so a rewrite shows.
func touchAll(t *testing.T, dir string) {
	t.Helper()
	past := time.Now().Add(-time.Hour)
	for p := range mtimes(t, dir) {
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(p)), past, past); err != nil {
			t.Fatal(err)
		}
	}
}

func rewritten(t *testing.T, before, after map[string]time.Time) []string {
	var out []string
	for p, m := range after {
		if b, ok := before[p]; !ok || !b.Equal(m) {
			out = append(out, p)
		}
	}
	return out
}

func TestSecondBuildWithNothingChangedRewritesNothing(t *testing.T) {
	in := newCorpusProject(t)
	rels := corpus(60, in.cfg.Site.Location)
	first := mustBuild(t, in, rels, Options{})
	if !first.Full {
		t.Error("first build was not a full build")
	}
	out := filepath.Join(in.root, "public")
	touchAll(t, out)
	before := mtimes(t, out)
	st := mustBuild(t, in, rels, Options{})
	if st.Articles != 0 || st.Pages != 0 || st.Written != 0 || st.Full {
		t.Errorf("second build stats = %+v, want nothing rendered or written", st)
	}
	if st.Unchanged != first.Articles+first.Pages {
		t.Errorf("unchanged = %d, want %d", st.Unchanged, first.Articles+first.Pages)
	}
	if w := rewritten(t, before, mtimes(t, out)); len(w) > 0 {
		t.Errorf("files rewritten: %v", w)
	}
}

func TestChangedReleaseRewritesOnlyItsDependants(t *testing.T) {
	in := newCorpusProject(t)
	rels := corpus(60, in.cfg.Site.Location)
	mustBuild(t, in, rels, Options{})
	out := filepath.Join(in.root, "public")
	touchAll(t, out)
	before := mtimes(t, out)

	// An old release (on index page 3) gets a new title.
	changed := rels[55]
	changed.Title += " (ralat)"
	st := mustBuild(t, in, rels, Options{})
	if st.Articles != 1 || st.Full {
		t.Errorf("stats = %+v, want exactly one article rendered", st)
	}
	got := map[string]bool{}
	for _, p := range rewritten(t, before, mtimes(t, out)) {
		got[p] = true
	}
	page := fmt.Sprintf("page/%d/index.html", indexOf(rels, changed)/PerPage+1)
	// The sitemap shows no titles, so it keeps its bytes.
	want := []string{changed.Slug + "/index.html", page, "index.xml", "atom.xml"}
	for _, tag := range changed.Tags {
		want = append(want, "tags/"+tagSlug(tag)+"/") // one of its pages
	}
	for _, w := range want {
		found := got[w]
		if strings.HasSuffix(w, "/") {
			for p := range got {
				found = found || strings.HasPrefix(p, w)
			}
		}
		if !found {
			t.Errorf("%s was not rewritten", w)
		}
	}
	// feed.json lists the newest releases only.
	inFeed := liveRank(rels, changed) < feed.MaxItems
	if inFeed && !got[feed.FileName] {
		t.Errorf("%s was not rewritten", feed.FileName)
	}
	for p := range got {
		ok := p == want[0] || p == page || p == "index.xml" || p == "atom.xml" || p == feed.FileName && inFeed
		for _, tag := range changed.Tags {
			ok = ok || strings.HasPrefix(p, "tags/"+tagSlug(tag)+"/")
		}
		if !ok {
			t.Errorf("%s was rewritten but does not show the changed release", p)
		}
	}
}

// liveRank is r's place on the site, newest first, as selectLive orders it.
func liveRank(rels []*release.Release, r *release.Release) int {
	n := 0
	for _, x := range rels {
		if x.Date.After(r.Date) || x.Date.Equal(r.Date) && x.Slug < r.Slug {
			n++
		}
	}
	return n
}

func indexOf(rels []*release.Release, r *release.Release) int {
	sorted := append([]*release.Release(nil), rels...)
	// Corpus is generated newest first.
	for i, x := range sorted {
		if x == r {
			return i
		}
	}
	return -1
}

func TestDeletedReleaseIsRemovedFromTheSite(t *testing.T) {
	in := newCorpusProject(t)
	rels := corpus(30, in.cfg.Site.Location)
	mustBuild(t, in, rels, Options{})
	gone := rels[3]
	st := mustBuild(t, in, append(rels[:3:3], rels[4:]...), Options{})
	if _, err := os.Stat(filepath.Join(in.root, "public", gone.Slug)); err == nil {
		t.Errorf("%s still on the site", gone.Slug)
	}
	if st.Removed == 0 {
		t.Errorf("stats = %+v, want a removal", st)
	}
	if strings.Contains(readOut(t, in, "index.xml"), "/"+gone.Slug+"/") {
		t.Error("feed still lists the deleted release")
	}
}

func TestTemplateChangeRebuildsEverything(t *testing.T) {
	in := newCorpusProject(t)
	rels := corpus(30, in.cfg.Site.Location)
	mustBuild(t, in, rels, Options{})
	in.fsys = overrideFS(t, "site/style.css", []byte("body{color:#000}"))
	st := mustBuild(t, in, rels, Options{})
	if !st.Full || st.Articles != 30 {
		t.Errorf("stats = %+v, want a full rebuild of 30 articles", st)
	}
	if !strings.Contains(readOut(t, in, rels[0].Slug+"/index.html"), "body{color:#000}") {
		t.Error("project template override not used")
	}
	// A release deleted while the templates change still leaves the site.
	in.fsys = templates.FS
	mustBuild(t, in, rels[1:], Options{})
	if _, err := os.Stat(filepath.Join(in.root, "public", rels[0].Slug)); err == nil {
		t.Errorf("%s still on the site after a full rebuild without it", rels[0].Slug)
	}
}

func TestMissingManifestMeansFullBuild(t *testing.T) {
	in := newCorpusProject(t)
	rels := corpus(10, in.cfg.Site.Location)
	mustBuild(t, in, rels, Options{})
	if err := os.Remove(in.manifestPath(Options{}, in.output(Options{}))); err != nil {
		t.Fatal(err)
	}
	if st := mustBuild(t, in, rels, Options{}); !st.Full || st.Articles != 10 {
		t.Errorf("stats = %+v, want a full build", st)
	}
}

func TestUpToDateFollowsTheInputFiles(t *testing.T) {
	in := newTestProject(t)
	relFile := filepath.Join(in.root, "releases", "2021-06-08-a.md")
	if err := os.WriteFile(relFile, []byte("isi"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := upToDate(in, Options{}, testNow); ok {
		t.Error("up to date before any build")
	}
	stamp, _, _ := upToDate(in, Options{}, testNow)
	mustBuild(t, in, fixtureReleases(), Options{})
	if _, _, ok := upToDate(in, Options{}, testNow); ok {
		t.Error("up to date after a build given no stamp: an edit made while loading would be missed")
	}
	mustBuild(t, in, fixtureReleases(), Options{Stamp: stamp})
	if _, n, ok := upToDate(in, Options{}, testNow); !ok || n == 0 {
		t.Errorf("not up to date right after a build (n=%d)", n)
	}
	if _, _, ok := upToDate(in, Options{}, testNow.Add(2*time.Hour)); ok {
		t.Error("up to date after an embargo lifted")
	}
	if _, _, ok := upToDate(in, Options{Clean: true}, testNow); ok {
		t.Error("up to date with --clean")
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(relFile, later, later); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := upToDate(in, Options{}, testNow); ok {
		t.Error("up to date after a release file changed")
	}
}

func TestDuplicateSlugIsAnError(t *testing.T) {
	in := newTestProject(t)
	rels := fixtureReleases()[:2]
	rels[1].Slug = rels[0].Slug
	_, err := build(context.Background(), in, rels, Options{Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("err = %v, want duplicate slug error", err)
	}
}

// overrideFS is the embedded templates with one file replaced, as a project's
// templates/ folder would.
func overrideFS(t *testing.T, name string, data []byte) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m[name] = &fstest.MapFile{Data: data}
	return m
}

func TestReplacedImageIsRemoved(t *testing.T) {
	in := newTestProject(t)
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	rels[0].Image = ""
	mustBuild(t, in, rels, Options{})
	if _, err := os.Stat(filepath.Join(in.root, "public", rels[0].Slug, "audiensi.jpg")); err == nil {
		t.Error("the image the release no longer shows is still published")
	}
	if _, err := os.Stat(filepath.Join(in.root, "public", rels[0].Slug, "index.html")); err != nil {
		t.Error(err)
	}
}

func TestEveryPageIsInTheSiteLanguage(t *testing.T) {
	for _, tt := range []struct{ language, locale string }{
		{"id", "id_ID"},
		{"en", "en_US"},
		{"en-GB", "en_GB"},
		{"bjn", ""}, // Banjar: no og:locale rather than a wrong one
	} {
		t.Run(tt.language, func(t *testing.T) {
			in := newTestProject(t)
			in.cfg.Site.Language = tt.language
			mustBuild(t, in, fixtureReleases(), Options{})
			for _, page := range []string{"sinergi-tangkal-hoaks/index.html", "ktp-ke-tps/index.html", "index.html", "tags/index.html", "tags/pemilu-2024/index.html"} {
				if got := readOut(t, in, page); !strings.Contains(got, `<html lang="`+tt.language+`">`) {
					t.Errorf("%s: no <html lang=%q>:\n%.200s", page, tt.language, got)
				}
			}
			article := readOut(t, in, "sinergi-tangkal-hoaks/index.html")
			if tt.locale != "" && !strings.Contains(article, `<meta property="og:locale" content="`+tt.locale+`">`) {
				t.Errorf("no og:locale %s", tt.locale)
			}
			if tt.locale == "" && strings.Contains(article, "og:locale") {
				t.Error("an og:locale for a language without one")
			}
			if !strings.Contains(article, `"inLanguage":"`+tt.language+`"`) {
				t.Error("JSON-LD inLanguage differs")
			}
		})
	}
}

func TestOnlyAPictureIsPublishedAsTheImage(t *testing.T) {
	for name, data := range map[string]string{
		"a web page":     "<!DOCTYPE html><script>alert(document.cookie)</script>",
		"an SVG":         `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		"text":           "HUMAS_KPU_X_API_KEY=rahasia\n",
		"a damaged JPEG": "\xff\xd8\xff fake jpeg",
	} {
		t.Run(name, func(t *testing.T) {
			in := newTestProject(t)
			// Replaced after the release was read and checked, as a build would meet it.
			writeTestFile(t, in.root, "releases/images/audiensi.jpg", data)
			_, err := build(context.Background(), in, fixtureReleases(), Options{Now: testNow})
			if err == nil || !strings.Contains(err.Error(), "releases/2021-06-08-sinergi-tangkal-hoaks.md: image: releases/images/audiensi.jpg: ") ||
				!strings.Contains(err.Error(), "not a JPEG, PNG, GIF or WebP image") {
				t.Fatalf("err = %v", err)
			}
			for _, f := range []string{"audiensi.jpg", "index.html"} {
				if _, err := os.Stat(filepath.Join(in.root, "public", "sinergi-tangkal-hoaks", f)); err == nil {
					t.Errorf("%s published", f)
				}
			}
		})
	}
}
