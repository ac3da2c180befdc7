package serve

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/site"
)

// kitProject is a project of one shared release and one draft, both without a
// picture, so the shared one's kit is both cards and the PDF.
func kitProject(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "releases"), 0o755)
	os.WriteFile(filepath.Join(root, "humas.yaml"), []byte(`site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id/
  timezone: Asia/Makassar
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    address: Jl. Jenderal Sudirman No. 1, Balikpapan
`), 0o644)
	for name, src := range map[string]string{
		"2021-06-09-sinergi.md": "---\ntitle: KPU dan Diskominfo Bersinergi\ndate: 2021-06-09T13:00:00+08:00\nissuer: kpu\nclassification: berkala\n---\nBALIKPAPAN — Isi siaran pers.\n",
		"2021-06-10-konsep.md":  "---\ntitle: Konsep yang Belum Selesai\ndate: 2021-06-10T13:00:00+08:00\nissuer: kpu\nclassification: berkala\ndraft: true\n---\nBALIKPAPAN — Masih ditulis.\n",
	} {
		os.WriteFile(filepath.Join(root, "releases", name), []byte(src), 0o644)
	}
	return root
}

// cached lists the files in the project's press kit cache.
func cached(t *testing.T, root string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(root, filepath.FromSlash(presskit.Dir)))
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

// humas serve shows the pages without drawing a press kit first (a large project
// with an empty cache would wait minutes), and draws each file of a kit when it
// is asked for, into the cache humas build then links from: the same bytes.
func TestServeShowsPagesAtOnceAndDrawsEachPressKitFileWhenAsked(t *testing.T) {
	root := kitProject(t)
	s, err := New(Options{Build: ProjectBuilder(root, renderPreview, io.Discard)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(s.work) })
	s.Rebuild(context.Background())
	if s.current.err != nil {
		t.Fatal(s.current.err)
	}
	if got := cached(t, root); len(got) != 0 {
		t.Errorf("the first build drew %v before showing a page", got)
	}
	for _, name := range []string{presskit.Card, presskit.OG, presskit.Instagram, presskit.PDF} {
		if _, err := os.Stat(filepath.Join(s.current.dir, "sinergi", name)); err == nil {
			t.Errorf("the build placed sinergi/%s", name)
		}
	}

	h := s.Handler()
	if rec := get(t, h, "/sinergi/"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `href="siaran-pers.pdf"`) {
		t.Fatalf("the article: %d, want it to link its PDF\n%s", rec.Code, rec.Body)
	}
	served := map[string][]byte{}
	for name, want := range map[string]string{presskit.PDF: "application/pdf", presskit.OG: "image/png", presskit.Card: "image/jpeg"} {
		rec := get(t, h, "/sinergi/"+name)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != want || rec.Body.Len() == 0 {
			t.Errorf("GET /sinergi/%s: %d %q, want 200 %s", name, rec.Code, rec.Header().Get("Content-Type"), want)
		}
		served[name] = rec.Body.Bytes()
	}
	if !bytes.HasPrefix(served[presskit.PDF], []byte("%PDF-")) {
		t.Errorf("siaran-pers.pdf is not a PDF: %.20q", served[presskit.PDF])
	}
	if got := cached(t, root); len(got) != 3 {
		t.Errorf("after the three requests the cache holds %v, want the three files drawn", got)
	}
	for _, path := range []string{
		"/sinergi/" + presskit.Instagram, // a kit without a picture has no rendition
		"/konsep/" + presskit.PDF,        // a draft has no kit
		"/tidak-ada/" + presskit.PDF,
		"/sinergi/lain.pdf",
	} {
		if rec := get(t, h, path); rec.Code != 404 {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}

	// humas build is as before: it places the whole kit, and finds in the cache
	// what serve drew, to the byte.
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	rels, diags := p.LoadAll()
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	st, err := site.Build(context.Background(), p, rels, site.Options{Output: out})
	if err != nil {
		t.Fatal(err)
	}
	if st.Drawn != 0 {
		t.Errorf("humas build drew %d files serve had drawn", st.Drawn)
	}
	for name, data := range served {
		built, err := os.ReadFile(filepath.Join(out, "sinergi", name))
		if err != nil || !bytes.Equal(built, data) {
			t.Errorf("humas build's sinergi/%s differs from what serve served (%v)", name, err)
		}
	}
}
