package site

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/templates"
)

// archiveConfig is the test configuration with the corpus as its archive (dated
// before publish.since): no press kit, so these measure the pages alone.
func archiveConfig() *config.Config {
	cfg := testConfig()
	cfg.Publish.Since = time.Date(2100, 1, 1, 0, 0, 0, 0, wita)
	return cfg
}

// BenchmarkFullBuild renders a generated 2,000-release corpus into an empty folder
// each iteration: the cost of a first build or --clean (releases already parsed).
func BenchmarkFullBuild(b *testing.B) {
	in := input{root: b.TempDir(), cfg: archiveConfig(), fsys: templates.FS}
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
	in := input{root: b.TempDir(), cfg: archiveConfig(), fsys: templates.FS}
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
	in := input{root: b.TempDir(), cfg: archiveConfig(), fsys: templates.FS}
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

// BenchmarkFullBuildWarmPressKit is BenchmarkFullBuild with a press kit for every
// release, drawn before the timing starts: the build CI runs, with the cache it
// kept and a fresh output folder. 200 releases keep the drawing beforehand short.
func BenchmarkFullBuildWarmPressKit(b *testing.B) {
	in := input{root: b.TempDir(), cfg: testConfig(), fsys: templates.FS}
	rels := corpus(200, in.cfg.Site.Location)
	st, err := build(context.Background(), in, rels, Options{Now: testNow})
	if err != nil || st.Drawn != 3*len(rels) {
		b.Fatalf("drew %d files (%v), want %d", st.Drawn, err, 3*len(rels))
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(in.root, "public")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if st, err := build(context.Background(), in, rels, Options{Now: testNow}); err != nil || st.Drawn != 0 {
			b.Fatalf("drew %d files (%v) from a warm cache", st.Drawn, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/200, "µs/article")
}
