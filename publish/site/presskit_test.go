package site

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/media/mediatest"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/release"
)

// kitProject is the fixture project with publish.since set, and one more release
// dated before it: the archive, which is on the site but never shared.
func kitProject(t *testing.T) (input, []*release.Release) {
	t.Helper()
	in := newTestProject(t)
	in.cfg.Publish.Since = time.Date(2021, 6, 6, 0, 0, 0, 0, wita)
	rels := append(fixtureReleases(), &release.Release{
		File: "releases/2021-06-01-arsip.md", Title: "Rilis Lama dari Arsip", Date: time.Date(2021, 6, 1, 9, 0, 0, 0, wita),
		Issuer: "kpu", Classification: release.Berkala, Kind: release.SiaranPers, Slug: "arsip", Body: []byte("Lama.\n"),
	})
	for _, r := range rels {
		if r.Image != "" {
			info, err := media.Inspect(fixtureJPEG)
			if err != nil {
				t.Fatal(err)
			}
			r.ImageInfo = info
		}
	}
	return in, rels
}

func outFile(in input, elem ...string) string {
	return filepath.Join(append([]string{in.root, "public"}, elem...)...)
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

func TestTheBuildWritesThePressKitOfEveryReleaseItShares(t *testing.T) {
	in, rels := kitProject(t)
	st := mustBuild(t, in, rels, Options{})
	if st.Drawn != 4 {
		t.Errorf("drew %d files, want 4: the cards and PDF of the hoax clarification, the PDF of the release with a photo", st.Drawn)
	}
	tests := []struct {
		slug      string
		has, hasn []string
		og        string // og:image, "" for none
	}{
		{"ktp-ke-tps", []string{presskit.Card, presskit.OG, presskit.PDF}, []string{presskit.Instagram},
			"https://humas.balikpapan.go.id/ktp-ke-tps/og.png"},
		// Its photo is a JPEG Instagram takes: no cards, no rendition.
		{"sinergi-tangkal-hoaks", []string{presskit.PDF}, []string{presskit.Card, presskit.OG, presskit.Instagram},
			"https://humas.balikpapan.go.id/sinergi-tangkal-hoaks/audiensi.jpg"},
		// The archive is on the site and is never shared.
		{"arsip", nil, []string{presskit.Card, presskit.OG, presskit.Instagram, presskit.PDF}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			for _, name := range tt.has {
				if !exists(outFile(in, tt.slug, name)) {
					t.Errorf("%s/%s is missing", tt.slug, name)
				}
			}
			for _, name := range tt.hasn {
				if exists(outFile(in, tt.slug, name)) {
					t.Errorf("%s/%s was written", tt.slug, name)
				}
			}
			page := readOut(t, in, tt.slug+"/index.html")
			if tt.og == "" {
				if strings.Contains(page, `property="og:image"`) || strings.Contains(page, "siaran-pers.pdf") {
					t.Error("the archive's page has an og:image or links a PDF")
				}
				return
			}
			if !strings.Contains(page, `<meta property="og:image" content="`+tt.og+`">`) {
				t.Errorf("og:image is not %s", tt.og)
			}
			if !strings.Contains(page, `<a href="siaran-pers.pdf" type="application/pdf" download>Unduh siaran pers (PDF)</a>`) {
				t.Error("the page does not link its PDF")
			}
		})
	}
	for name, want := range map[string]image.Point{presskit.Card: {1080, 1350}, presskit.OG: {1200, 630}} {
		data, err := os.ReadFile(outFile(in, "ktp-ke-tps", name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != want.X || cfg.Height != want.Y {
			t.Errorf("%s is %d×%d (%v), want %d×%d", name, cfg.Width, cfg.Height, err, want.X, want.Y)
		}
	}
	pdf, err := os.ReadFile(outFile(in, "sinergi-tangkal-hoaks", presskit.PDF))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("siaran-pers.pdf is not a PDF (%v)", err)
	}
	if !exists(outFile(in, "logo-kpu.png")) {
		t.Error("the logo the pages show is not on the site")
	}
}

func TestAWarmCacheDrawsNothingIntoAFreshOutput(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	// CI: a fresh checkout, the cache folder restored, no output folder.
	if err := os.RemoveAll(outFile(in)); err != nil {
		t.Fatal(err)
	}
	st := mustBuild(t, in, rels, Options{})
	if st.Drawn != 0 {
		t.Errorf("drew %d files with every one in the cache", st.Drawn)
	}
	placed, err := os.Stat(outFile(in, "ktp-ke-tps", presskit.Card))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(in.root, filepath.FromSlash(presskit.Dir)))
	if err != nil {
		t.Fatal(err)
	}
	linked := false
	for _, e := range entries {
		if st, err := os.Stat(filepath.Join(in.root, filepath.FromSlash(presskit.Dir), e.Name())); err == nil && os.SameFile(st, placed) {
			linked = true
		}
	}
	if !linked {
		t.Error("card.jpg is a copy, not a link to the cached file: a warm build copies every byte")
	}
}

func TestAChangedReleaseRedrawsItsOwnPressKitOnly(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	out := outFile(in)
	touchAll(t, out)
	before := mtimes(t, out)
	cacheBefore := cacheFiles(t, in)

	rels[1].Title = "Pemilih Tidak Wajib Membawa Fotokopi KTP"
	st := mustBuild(t, in, rels, Options{})
	if st.Drawn != 3 {
		t.Errorf("drew %d files, want 3: the changed release's cards and PDF", st.Drawn)
	}
	for _, p := range rewritten(t, before, mtimes(t, out)) {
		if strings.HasPrefix(p, "sinergi-tangkal-hoaks/") || strings.HasPrefix(p, "arsip/") {
			t.Errorf("%s was rewritten, though its release did not change", p)
		}
	}
	cacheAfter := cacheFiles(t, in)
	if len(cacheAfter) != len(cacheBefore) {
		t.Errorf("the cache holds %d files, had %d: what no release has any more is pruned", len(cacheAfter), len(cacheBefore))
	}
	st = mustBuild(t, in, rels, Options{})
	if st.Drawn != 0 || st.Articles != 0 {
		t.Errorf("a build with nothing changed drew %d files, rendered %d articles", st.Drawn, st.Articles)
	}
}

func cacheFiles(t *testing.T, in input) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(in.root, filepath.FromSlash(presskit.Dir)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestAReleaseThatGainsAPictureLosesItsCards(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	png := mediatest.PNG(300, 300)
	if err := os.WriteFile(filepath.Join(in.root, "releases", "images", "poster.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	info, _ := media.Inspect(png)
	hoax := rels[1]
	hoax.Image, hoax.ImageInfo, hoax.ImageAlt = "releases/images/poster.png", info, "Poster klarifikasi"
	mustBuild(t, in, rels, Options{})
	for _, name := range []string{presskit.Card, presskit.OG} {
		if exists(outFile(in, "ktp-ke-tps", name)) {
			t.Errorf("%s is still there: og:image is the picture now", name)
		}
	}
	// Instagram takes no PNG: a JPEG rendition goes next to it.
	data, err := os.ReadFile(outFile(in, "ktp-ke-tps", presskit.Instagram))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := media.Inspect(data); err != nil || got.Format != media.JPEG {
		t.Errorf("instagram.jpg is %+v (%v), want a JPEG", got, err)
	}
	if page := readOut(t, in, "ktp-ke-tps/index.html"); !strings.Contains(page, `<meta property="og:image" content="https://humas.balikpapan.go.id/ktp-ke-tps/poster.png">`) {
		t.Error("og:image is not the picture")
	}
}

// The same when the build that sees the picture renders everything anew (a new
// humas, a changed template): what the last build placed is still what goes.
func TestAReleaseThatGainsAPictureInAFullBuildLosesItsCards(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	if err := os.WriteFile(filepath.Join(in.root, "releases", "images", "poster.jpg"), fixtureJPEG, 0o644); err != nil {
		t.Fatal(err)
	}
	info, _ := media.Inspect(fixtureJPEG)
	hoax := rels[1]
	hoax.Image, hoax.ImageInfo, hoax.ImageAlt = "releases/images/poster.jpg", info, "Poster klarifikasi"
	in.binary = "humas-next"
	if st := mustBuild(t, in, rels, Options{}); !st.Full {
		t.Fatal("a new humas did not render everything anew")
	}
	for _, name := range []string{presskit.Card, presskit.OG} {
		if exists(outFile(in, "ktp-ke-tps", name)) {
			t.Errorf("%s is still there: og:image is the picture now", name)
		}
	}
}

func TestADeletedReleaseTakesItsPressKitAlong(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	before := len(cacheFiles(t, in))
	mustBuild(t, in, append(rels[:1:1], rels[2:]...), Options{})
	if exists(outFile(in, "ktp-ke-tps")) {
		t.Error("the deleted release's folder is still on the site")
	}
	if after := len(cacheFiles(t, in)); after != before-3 {
		t.Errorf("the cache holds %d files, want %d", after, before-3)
	}
	mustBuild(t, in, rels, Options{Clean: true})
	mustBuild(t, in, nil, Options{Clean: true})
	if exists(outFile(in, "sinergi-tangkal-hoaks", presskit.PDF)) {
		t.Error("--clean left a PDF the last build wrote")
	}
}

func TestAPictureNamedAsAPressKitFileIsRefused(t *testing.T) {
	in, rels := kitProject(t)
	img := filepath.Join(in.root, "releases", "images", "siaran-pers.pdf")
	if err := os.WriteFile(img, fixtureJPEG, 0o644); err != nil {
		t.Fatal(err)
	}
	rels[0].Image = "releases/images/siaran-pers.pdf"
	_, err := build(t.Context(), in, rels, Options{Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "releases/2021-06-08-sinergi-tangkal-hoaks.md: image: a file named siaran-pers.pdf would replace the press kit's: rename the picture") {
		t.Errorf("err = %v", err)
	}
}

// A build for humas serve (LazyKit) places no kit and prunes nothing from the
// cache humas build fills; a build into the same folder afterwards is a full
// one that places every kit.
func TestALazyKitBuildLeavesTheKitsAndTheCacheAlone(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	cacheBefore := cacheFiles(t, in)
	st := mustBuild(t, in, rels, Options{LazyKit: true})
	if st.Drawn != 0 || !st.Full {
		t.Errorf("lazy build after a full one: drew %d, full %v; want 0 drawn, a full build", st.Drawn, st.Full)
	}
	for _, name := range []string{presskit.Card, presskit.OG, presskit.PDF} {
		if exists(outFile(in, "ktp-ke-tps", name)) {
			t.Errorf("the lazy build left ktp-ke-tps/%s in place", name)
		}
	}
	if got := cacheFiles(t, in); len(got) != len(cacheBefore) {
		t.Errorf("the lazy build pruned the cache: %d files, had %d", len(got), len(cacheBefore))
	}
	st = mustBuild(t, in, rels, Options{})
	if !st.Full {
		t.Error("a build after a lazy one reused its pages, which link kits it did not place")
	}
	for _, name := range []string{presskit.Card, presskit.OG, presskit.PDF} {
		if !exists(outFile(in, "ktp-ke-tps", name)) {
			t.Errorf("ktp-ke-tps/%s is missing after a build that follows a lazy one", name)
		}
	}
}

func TestARenamedReleaseTakesItsPressKitAlong(t *testing.T) {
	in, rels := kitProject(t)
	mustBuild(t, in, rels, Options{})
	if !exists(outFile(in, "ktp-ke-tps", presskit.PDF)) {
		t.Fatal("the release has no PDF to begin with")
	}
	renamed := *rels[1]
	renamed.Slug = "ktp-baru"
	rels[1] = &renamed
	mustBuild(t, in, rels, Options{Aliases: map[string]string{"ktp-ke-tps": in.cfg.ArticleURL("ktp-baru")}})
	if !exists(outFile(in, "ktp-ke-tps", "index.html")) {
		t.Fatal("the old address has no page sending readers on")
	}
	for _, name := range presskit.Files(in.cfg.Platforms, &renamed) {
		if exists(outFile(in, "ktp-ke-tps", name)) {
			t.Errorf("the old address still serves the press kit's %s", name)
		}
		if !exists(outFile(in, "ktp-baru", name)) {
			t.Errorf("the new address has no %s", name)
		}
	}
}
