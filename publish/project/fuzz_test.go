package project_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/media/mediatest"
	"github.com/balikpapan/humas/publish/preview"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/site"
)

const fuzzConfig = `site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id/
  timezone: Asia/Makassar
accounts:
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    facebook: {page_id: "100000000000002"}
`

// FuzzChain feeds one release through everything humas does with it before it goes
// out: parse and check, compose every post, render the article and the preview.
// None of it may panic or hang, whatever the file holds; a release the check
// passes must compose and render. The corpus (testdata/fuzz/FuzzChain) starts from
// the example releases and the inputs that once broke humas.
func FuzzChain(f *testing.F) {
	root := f.TempDir()
	for name, data := range map[string][]byte{
		"humas.yaml":                 fuzzConfigBytes(),
		"releases/images/foto.jpg":   mediatest.JPEG(64, 48),
		"releases/images/grafik.png": mediatest.PNG(40, 40),
	} {
		full := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	p, err := project.Open(root)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC)
	p.Now = func() time.Time { return now }

	examples, _ := filepath.Glob(filepath.Join("..", "..", "releases", "*.md"))
	for _, name := range examples {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("---\ntitle: A\n\r---\n---\nIsi\n"))
	f.Add([]byte("---\ntitle: KPU #1\ndate: 2024-01-10\nissuer: kpu\nclassification: berkala\nimage: images/foto.jpg\nimage_alt: Foto\n---\n> - [a](b)\n"))

	f.Fuzz(func(t *testing.T, src []byte) {
		r, diags := p.Parse("releases/2024-01-10-fuzz.md", src)
		if r == nil {
			t.Fatal("Parse returned no release")
		}
		if diags.HasErrors() {
			return
		}
		targets, err := compose.Compose(p, r)
		if err != nil && !strings.Contains(err.Error(), r.File) {
			t.Fatalf("compose error does not name the file: %v", err)
		}
		_ = targets
		if err := site.RenderArticle(io.Discard, p, r, nil); err != nil {
			t.Fatalf("a release check passes does not render: %v", err)
		}
		if _, err := preview.Render(io.Discard, p, r, preview.Options{Now: now}); err != nil && !strings.Contains(err.Error(), r.File) {
			t.Fatalf("preview: %v", err)
		}
	})
}

func fuzzConfigBytes() []byte { return []byte(fuzzConfig) }
