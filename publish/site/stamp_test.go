package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestRelToAgreesWithFilepathRel(t *testing.T) {
	tests := []struct{ root, p string }{
		{"/srv/situs", "/srv/situs/releases/a.md"},
		{"/srv/situs", "/srv/situs"},
		{"/srv/situs", "/srv/situs2/releases/a.md"},
		{"/srv/situs/", "/srv/situs/releases/a.md"},
		{"/", "/releases/a.md"},
		{".", "releases/a.md"},
		{".", "."},
		{".", "../luar/a.md"},
		{"./situs", "situs/releases/a.md"},
		{"situs", "situs/releases/a.md"},
		{"situs/../situs", "situs/releases/a.md"},
	}
	for _, tt := range tests {
		t.Run(tt.root+" "+tt.p, func(t *testing.T) {
			want, err := filepath.Rel(tt.root, tt.p)
			if err != nil {
				want = ""
			}
			if got := relTo(tt.root, tt.p); got != want {
				t.Errorf("relTo = %q, filepath.Rel = %q", got, want)
			}
		})
	}
}

func TestUpToDateCountsTheStandingBuildWithOrWithoutTheRecordedCount(t *testing.T) {
	in := newTestProject(t)
	stamp, _, _ := upToDate(in, Options{}, testNow)
	mustBuild(t, in, fixtureReleases(), Options{Stamp: stamp})
	record := in.manifestPath(Options{}, in.output(Options{}))
	full := readManifest(record)
	want := len(full.Articles) + len(full.Pages)
	if want == 0 || full.Entries != want {
		t.Fatalf("manifest records %d entries, has %d", full.Entries, want)
	}
	if _, n, ok := upToDate(in, Options{}, testNow); !ok || n != want {
		t.Errorf("upToDate = %d, %v; want %d, true", n, ok, want)
	}
	// A manifest written before the count was recorded is counted by decoding it.
	full.Entries = 0
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(record, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, n, ok := upToDate(in, Options{}, testNow); !ok || n != want {
		t.Errorf("upToDate on an older manifest = %d, %v; want %d, true", n, ok, want)
	}
}
