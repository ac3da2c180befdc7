package presskit

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/media/mediatest"
	"github.com/balikpapan/humas/publish/release"
)

var wita = time.FixedZone("WITA", 8*3600)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("humas.yaml", []byte(`site: {base_url: "https://humas.balikpapan.go.id/", timezone: Asia/Makassar}
accounts:
  kpu:
    name: KPU Kota Balikpapan
    address: Jl. Jenderal Sudirman No. 1, Balikpapan
    phone: "+62 542 000000"
    website: https://kota-balikpapan.kpu.go.id
publish: {since: 2021-01-01}
`))
	if err != nil {
		t.Fatal(err)
	}
	// Parsed without a project, the logo is not read: give it as Load would.
	cfg.Accounts[0].Identity.Logo = "assets/kpu.png"
	cfg.Accounts[0].Identity.LogoData = mediatest.PNG(200, 200)
	return cfg
}

func newRelease() *release.Release {
	return &release.Release{
		File: "releases/2021-06-09-audiensi.md", Slug: "audiensi", Title: "KPU Balikpapan Audiensi ke Diskominfo",
		Date: time.Date(2021, 6, 9, 13, 0, 0, 0, wita), Issuer: "kpu", Classification: release.Berkala,
		Kind: release.SiaranPers, Number: "012/HM/KPU-BPP/VI/2021",
		Body:    []byte("BALIKPAPAN — KPU Kota Balikpapan beraudiensi ke Diskominfo.\n"),
		Contact: &release.Contact{Name: "Ridwan", Phone: "+62 542 000000"},
	}
}

// prepare is Plan, then Ensure for every file, as a build does: the whole press
// kit of r in the cache.
func prepare(k *Kit, r *release.Release, image []byte, now time.Time) ([]File, error) {
	files, err := k.Plan(r, image, now)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := k.Ensure(f); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// withImage gives r the picture data, as the release parser would have read it.
func withImage(t *testing.T, root string, r *release.Release, name string, data []byte) {
	t.Helper()
	full := filepath.Join(root, "releases", "images", name)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := media.Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	r.Image, r.ImageInfo, r.ImageAlt = "releases/images/"+name, info, "Audiensi di ruang rapat"
}

func names(fs []File) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return strings.Join(out, " ")
}

func TestAReleaseWithoutAPictureGetsBothCardsAndThePDF(t *testing.T) {
	root := t.TempDir()
	k := New(root, testConfig(t), "humas-test")
	files, err := prepare(k, newRelease(), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := names(files); got != "card.jpg og.png siaran-pers.pdf" {
		t.Fatalf("files %q", got)
	}
	want := map[string]struct {
		format string
		w, h   int
	}{Card: {"jpeg", 1080, 1350}, OG: {"png", 1200, 630}}
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == PDF {
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Errorf("%s is not a PDF: %q", f.Name, data[:min(8, len(data))])
			}
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if w := want[f.Name]; err != nil || format != w.format || cfg.Width != w.w || cfg.Height != w.h {
			t.Errorf("%s: %s %d×%d (%v), want %s %d×%d", f.Name, format, cfg.Width, cfg.Height, err, w.format, w.w, w.h)
		}
		if st, err := os.Stat(f.Path); err != nil || st.Mode().Perm()&0o222 != 0 {
			t.Errorf("%s: cached file is writable (%v): the site links it, and nothing may change it in place", f.Name, st.Mode())
		}
	}
	if k.Drawn() != 3 {
		t.Errorf("drew %d files, want 3", k.Drawn())
	}
}

func TestTheCacheDrawsEachContentOnce(t *testing.T) {
	root := t.TempDir()
	cfg := testConfig(t)
	r := newRelease()
	if _, err := prepare(New(root, cfg, "humas-test"), r, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	drawn := func(build string, r *release.Release) int {
		t.Helper()
		k := New(root, cfg, build)
		if _, err := prepare(k, r, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		return k.Drawn()
	}
	if n := drawn("humas-test", r); n != 0 {
		t.Errorf("the same release drew %d files again", n)
	}
	body := *r
	body.Body = []byte("Isi yang lain.\n")
	if n := drawn("humas-test", &body); n != 1 {
		t.Errorf("a new body drew %d files, want 1 (the PDF; the cards do not show it)", n)
	}
	title := *r
	title.Title = "Judul Baru"
	if n := drawn("humas-test", &title); n != 3 {
		t.Errorf("a new title drew %d files, want 3", n)
	}
	if n := drawn("humas-other", r); n != 3 {
		t.Errorf("another humas drew %d files, want 3: what a different humas drew is drawn again", n)
	}
	logo := testConfig(t)
	logo.Accounts[0].Identity.LogoData = mediatest.PNG(300, 300)
	k := New(root, logo, "humas-test")
	if _, err := prepare(k, r, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	if k.Drawn() != 3 {
		t.Errorf("a new logo drew %d files, want 3", k.Drawn())
	}
}

func TestAPictureInstagramRefusesGetsAJPEGRendition(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"jpeg within 4:5 to 1.91:1", mediatest.JPEG(800, 600), "siaran-pers.pdf"},
		{"png", mediatest.PNG(800, 600), "instagram.jpg siaran-pers.pdf"},
		{"jpeg too tall", mediatest.JPEG(400, 800), "instagram.jpg siaran-pers.pdf"},
		{"jpeg too wide", mediatest.JPEG(1000, 400), "instagram.jpg siaran-pers.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			cfg := testConfig(t)
			r := newRelease()
			name := "foto.jpg"
			if strings.HasPrefix(tt.name, "png") {
				name = "foto.png"
			}
			withImage(t, root, r, name, tt.data)
			files, err := prepare(New(root, cfg, "humas-test"), r, tt.data, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if got := names(files); got != tt.want {
				t.Fatalf("files %q, want %q", got, tt.want)
			}
			if strings.Contains(tt.want, Instagram) {
				data, err := os.ReadFile(files[0].Path)
				if err != nil {
					t.Fatal(err)
				}
				info, err := media.Inspect(data)
				ratio := float64(info.Width) / float64(info.Height)
				if err != nil || info.Format != media.JPEG || ratio < 0.8 || ratio > 1.91 {
					t.Errorf("rendition %+v (%v): want a JPEG from 4:5 to 1.91:1", info, err)
				}
			}
		})
	}
}

func TestThePressKitFollowsTheHoldPolicy(t *testing.T) {
	cfg := testConfig(t)
	pol := hold.PolicyOf(cfg)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, wita)
	tests := []struct {
		name string
		edit func(r *release.Release)
		want bool
	}{
		{"a release", func(*release.Release) {}, true},
		{"the archive, dated before publish.since", func(r *release.Release) { r.Date = time.Date(2020, 12, 1, 0, 0, 0, 0, wita) }, false},
		{"a draft", func(r *release.Release) { r.Draft = true }, false},
		{"exempted", func(r *release.Release) { r.Classification = release.Dikecualikan }, false},
		{"under embargo: the press gets it first", func(r *release.Release) { r.Embargo = now.Add(time.Hour) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRelease()
			tt.edit(r)
			if got := For(pol, r, now); got != tt.want {
				t.Errorf("For = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestThePDFIsTheCachedOneAndSaysEmbargoWhileItHolds(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is missing")
		}
		t.Skip("NOT TESTED: pdftotext (poppler-utils) is missing")
	}
	root := t.TempDir()
	cfg := testConfig(t)
	r := newRelease()
	r.Embargo = time.Date(2021, 6, 9, 10, 0, 0, 0, wita)
	before := r.Embargo.Add(-time.Hour)
	k := New(root, cfg, "humas-test")
	pdf, err := k.PDF(r, before)
	if err != nil {
		t.Fatal(err)
	}
	again, err := New(root, cfg, "humas-test").PDF(r, before)
	if err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("the second PDF differs (%v)", err)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "EMBARGO") || !strings.Contains(text, "Jl. Jenderal Sudirman No. 1, Balikpapan") {
		t.Errorf("before the embargo the PDF does not say EMBARGO, or has no letterhead:\n%s", text)
	}
	after, err := k.PDF(r, r.Embargo.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, after); strings.Contains(text, "EMBARGO") {
		t.Errorf("after the embargo the PDF still says EMBARGO:\n%s", text)
	}
	if _, err := k.Bytes(r, Instagram, before); err == nil {
		t.Error("Bytes gave an Instagram rendition to a release without a picture")
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "siaran-pers.pdf")
	if err := os.WriteFile(name, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", name, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestPruneKeepsOnlyWhatIsListed(t *testing.T) {
	root := t.TempDir()
	cfg := testConfig(t)
	k := New(root, cfg, "humas-test")
	old, err := prepare(k, newRelease(), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := newRelease()
	r.Title = "Judul Baru"
	cur, err := prepare(k, r, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, f := range cur {
		keep[f.Key] = true
	}
	n, err := k.Prune(keep)
	if err != nil || n != len(old) {
		t.Errorf("pruned %d (%v), want %d", n, err, len(old))
	}
	for _, f := range old {
		if _, err := os.Stat(f.Path); err == nil {
			t.Errorf("%s is still cached", f.Key)
		}
	}
	for _, f := range cur {
		if _, err := os.Stat(f.Path); err != nil {
			t.Errorf("%s was pruned: %v", f.Key, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, Dir, ".gitignore")); err != nil {
		t.Errorf("the cache's .gitignore: %v", err)
	}
}

// A run killed while drawing leaves the temp file it was writing in the cache;
// the next build that prunes removes it once no run can still be writing it, and
// nothing else of the cache's own or a person's.
func TestPruneRemovesTempFilesAKilledRunLeft(t *testing.T) {
	root := t.TempDir()
	cfg := testConfig(t)
	dir := filepath.Join(root, Dir)
	put := func(name string, age time.Duration) string {
		t.Helper()
		full := filepath.Join(dir, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("half a card"), 0o644); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		if err := os.Chtimes(full, at, at); err != nil {
			t.Fatal(err)
		}
		return full
	}
	killed := put(".tmp-2718281828", 3*time.Hour)
	writing := put(".tmp-3141592653", time.Second) // another run's, being written now
	recent := put(".tmp-1618033988", 10*time.Minute)
	mine := put(".tmp-notes", 3*time.Hour) // a person's: not a name humas makes
	folder := filepath.Join(dir, ".tmp-1414213562")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	os.Chtimes(folder, old, old)

	k := New(root, cfg, "humas-test")
	files, err := prepare(k, newRelease(), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Key] = true
	}
	n, err := k.Prune(keep)
	if err != nil || n != 1 {
		t.Errorf("pruned %d (%v), want 1: the killed run's temp file", n, err)
	}
	if _, err := os.Stat(killed); err == nil {
		t.Errorf("%s, left by a run killed hours ago, is still there", filepath.Base(killed))
	}
	for _, keep := range []string{writing, recent, mine, folder, filepath.Join(dir, ".gitignore")} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(keep), err)
		}
	}
	for _, f := range files {
		if _, err := os.Stat(f.Path); err != nil {
			t.Errorf("%s was pruned: %v", f.Key, err)
		}
	}
}

// BenchmarkPlan is what a build from a warm cache spends on each release's kit
// before linking its files: the keys, from the release, its 6 KB body and the
// issuer's identity.
func BenchmarkPlan(b *testing.B) {
	cfg := testConfig(&testing.T{})
	k := New(b.TempDir(), cfg, "humas-test")
	r := newRelease()
	r.Body = []byte(strings.Repeat("Kalimat isi siaran pers yang cukup panjang untuk diuji. ", 110))
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Plan(r, nil, now); err != nil {
			b.Fatal(err)
		}
	}
}
