package site

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/balikpapan/humas/templates"
)

// BenchmarkFullBuild renders a generated 2,000-release corpus into an empty folder
// each iteration: the cost of a first build or --clean (releases already parsed).
func BenchmarkFullBuild(b *testing.B) {
	in := input{root: b.TempDir(), cfg: testConfig(), fsys: templates.FS}
	rels := corpus(2000, in.cfg.Site.Location)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(in.root, "public")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := build(context.Background(), in, rels, Options{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/2000, "µs/article")
}

// BenchmarkNoChangeBuild is the second build with nothing changed, past the
// UpToDate fast path (every hash checked, nothing rendered).
func BenchmarkNoChangeBuild(b *testing.B) {
	in := input{root: b.TempDir(), cfg: testConfig(), fsys: templates.FS}
	rels := corpus(2000, in.cfg.Site.Location)
	if _, err := build(context.Background(), in, rels, Options{Now: testNow}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		st, err := build(context.Background(), in, rels, Options{Now: testNow})
		if err != nil || st.Articles != 0 {
			b.Fatalf("%+v %v", st, err)
		}
	}
}

// BenchmarkUpToDate is the fast path of a build with nothing changed.
func BenchmarkUpToDate(b *testing.B) {
	in := input{root: b.TempDir(), cfg: testConfig(), fsys: templates.FS}
	rels := corpus(2000, in.cfg.Site.Location)
	stamp, _, _ := upToDate(in, Options{}, testNow)
	if _, err := build(context.Background(), in, rels, Options{Now: testNow, Stamp: stamp}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, ok := upToDate(in, Options{}, testNow); !ok {
			b.Fatal("not up to date")
		}
	}
}
