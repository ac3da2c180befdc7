package project

import (
	"os"
	"testing"
)

// BenchmarkLoadAll loads a generated corpus: HUMAS_BENCH_CORPUS names a project made
// by /work/shared/bench/gen-releases (e.g. gen-releases /tmp/c10k 10000).
func BenchmarkLoadAll(b *testing.B) {
	root := os.Getenv("HUMAS_BENCH_CORPUS")
	if root == "" {
		b.Skip("set HUMAS_BENCH_CORPUS to a corpus made by gen-releases")
	}
	p, err := Open(root)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rs, diags := p.LoadAll()
		if diags.HasErrors() {
			b.Fatalf("corpus has errors:\n%v", diags.Errors()[:1])
		}
		if len(rs) == 0 {
			b.Fatal("no releases")
		}
	}
}

// BenchmarkLoadOne is what humas check FILE costs in a large repository.
func BenchmarkLoadOne(b *testing.B) {
	root := os.Getenv("HUMAS_BENCH_CORPUS")
	if root == "" {
		b.Skip("set HUMAS_BENCH_CORPUS to a corpus made by gen-releases")
	}
	p, err := Open(root)
	if err != nil {
		b.Fatal(err)
	}
	files, err := releaseFiles(root)
	if err != nil || len(files) == 0 {
		b.Fatal("no releases", err)
	}
	for b.Loop() {
		if _, diags := p.Load(files[0]); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkLoadFilesOne is humas check FILE and publish FILE in a large repository:
// one release, checked against every other release's slug.
func BenchmarkLoadFilesOne(b *testing.B) {
	root := os.Getenv("HUMAS_BENCH_CORPUS")
	if root == "" {
		b.Skip("set HUMAS_BENCH_CORPUS to a corpus made by gen-releases")
	}
	p, err := Open(root)
	if err != nil {
		b.Fatal(err)
	}
	files, err := releaseFiles(root)
	if err != nil || len(files) == 0 {
		b.Fatal("no releases", err)
	}
	for b.Loop() {
		if _, diags := p.LoadFiles(files[:1]); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
