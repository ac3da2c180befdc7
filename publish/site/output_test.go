package site

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/feed"
)

// writeTestFile writes data at rel below dir, making its folders.
func writeTestFile(t *testing.T, dir, rel, data string) string {
	t.Helper()
	name := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func mustExist(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := os.Stat(n); err != nil {
			t.Errorf("%s is gone: %v", n, err)
		}
	}
}

func TestBuildRefusesToWriteIntoTheProjectItself(t *testing.T) {
	for _, tt := range []struct{ output, want string }{
		{".", "is the project folder itself"},
		{"..", "holds the project folder"},
		{".humas", "is .humas/, which holds the ledger of what was posted"},
		{"releases", "is releases/"},
		{"templates/site", "is inside templates/"},
		{"link-to-root", "is the project folder itself (through a symbolic link)"},
	} {
		t.Run(tt.output, func(t *testing.T) {
			in := newTestProject(t)
			ledger := writeTestFile(t, in.root, ".humas/ledger/ledger.json", "{}")
			git := writeTestFile(t, in.root, ".git/config", "[core]")
			tmpl := writeTestFile(t, in.root, "templates/site/style.css", "body{}")
			if err := os.Symlink(".", filepath.Join(in.root, "link-to-root")); err != nil {
				t.Fatal(err)
			}
			rels := fixtureReleases()
			rels[0].Slug = "ledger" // as .humas/ledger, were .humas the output
			for _, clean := range []bool{false, true} {
				_, err := build(context.Background(), in, rels, Options{Output: tt.output, Clean: clean, Now: testNow, Links: fixtureLinks})
				var oe *OutputError
				if !errors.As(err, &oe) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("clean=%v: err = %v, want an output error saying %q", clean, err, tt.want)
				}
			}
			mustExist(t, ledger, git, tmpl, filepath.Join(in.root, "releases", "images", "audiensi.jpg"))
			for _, name := range []string{"index.html", ".humas/index.html", ".humas/ledger/index.html", "releases/index.html"} {
				if _, err := os.Stat(filepath.Join(in.root, name)); err == nil {
					t.Errorf("wrote %s", name)
				}
			}
		})
	}
}

func TestCleanRemovesOnlyWhatTheLastBuildWrote(t *testing.T) {
	in := newTestProject(t)
	out := filepath.Join(in.root, "public")
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	foreign := []string{
		writeTestFile(t, out, "CNAME", "humas.balikpapan.go.id"),
		writeTestFile(t, out, "unduhan/laporan.pdf", "%PDF"),
		writeTestFile(t, out, rels[0].Slug+"/catatan.txt", "catatan redaksi"),
	}
	st := mustBuild(t, in, rels, Options{Clean: true})
	if !st.Full || st.Articles != 2 || st.Removed == 0 {
		t.Errorf("stats = %+v, want a full build after removing the old pages", st)
	}
	mustExist(t, foreign...)
	mustExist(t, filepath.Join(out, rels[0].Slug, "index.html"), filepath.Join(out, "index.html"))

	// A folder humas never built is cleaned of nothing.
	other := filepath.Join(in.root, "lain")
	keep := writeTestFile(t, other, "penting.txt", "x")
	mustBuild(t, in, rels, Options{Output: other, Clean: true})
	mustExist(t, keep, filepath.Join(other, "index.html"))
}

func TestARemovedReleaseLeavesFilesHumasDidNotWrite(t *testing.T) {
	in := newTestProject(t)
	out := filepath.Join(in.root, "public")
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	notes := writeTestFile(t, out, rels[0].Slug+"/catatan.txt", "catatan redaksi")
	mustBuild(t, in, rels[1:], Options{})
	mustExist(t, notes)
	for _, name := range []string{"index.html", "audiensi.jpg"} {
		if _, err := os.Stat(filepath.Join(out, rels[0].Slug, name)); err == nil {
			t.Errorf("%s of the removed release is still published", name)
		}
	}
	// With its foreign file gone, the next removal takes the folder too.
	mustBuild(t, in, rels, Options{})
	os.Remove(notes)
	mustBuild(t, in, rels[1:], Options{})
	if _, err := os.Stat(filepath.Join(out, rels[0].Slug)); err == nil {
		t.Error("the empty folder of the removed release stays")
	}
}

func TestTheBuildRecordIsKeptOutOfThePublishedSite(t *testing.T) {
	in := newTestProject(t)
	out := filepath.Join(in.root, "public")
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(d.Name(), ".json") && p != filepath.Join(out, feed.FileName) {
			t.Errorf("%s is published", p)
		}
		return nil
	})
	record := in.manifestPath(Options{}, out)
	if rel, _ := filepath.Rel(in.root, record); !strings.HasPrefix(filepath.ToSlash(rel), CacheDir+"/") {
		t.Errorf("record at %s, want it in %s", rel, CacheDir)
	}
	if m := readManifest(record); m == nil || len(m.Articles) != 2 {
		t.Fatalf("record = %+v", m)
	}
	ignore, err := os.ReadFile(filepath.Join(in.root, filepath.FromSlash(CacheDir), ".gitignore"))
	if err != nil || !strings.HasSuffix(string(ignore), "\n*\n") {
		t.Errorf("the cache does not ignore itself in git: %q, %v", ignore, err)
	}
	// The record still makes the next build incremental.
	if st := mustBuild(t, in, rels, Options{}); st.Full || st.Articles != 0 || st.Written != 0 {
		t.Errorf("second build: %+v, want nothing rendered", st)
	}
}

func TestABuildRecordLeftInTheOutputByAnOlderHumasIsRemoved(t *testing.T) {
	in := newTestProject(t)
	out := filepath.Join(in.root, "public")
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	record := in.manifestPath(Options{}, out)
	legacy := filepath.Join(out, legacyManifestName)
	if err := os.Rename(record, legacy); err != nil {
		t.Fatal(err)
	}
	// Its entries count as written by humas: a release removed since goes.
	st := mustBuild(t, in, rels[1:], Options{})
	if st.Full {
		t.Errorf("the old record was not used: %+v", st)
	}
	if _, err := os.Stat(filepath.Join(out, rels[0].Slug, "index.html")); err == nil {
		t.Error("the release removed since the old record is still published")
	}
	if _, err := os.Stat(legacy); err == nil {
		t.Errorf("%s is still published", legacyManifestName)
	}
	mustExist(t, record)
}

func TestABuildRecordCannotRemoveAnythingOutsideTheOutput(t *testing.T) {
	in := newTestProject(t)
	out := filepath.Join(in.root, "public")
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	victims := []string{
		writeTestFile(t, in.root, "releases/2021-06-08-a.md", "---"),
		writeTestFile(t, in.root, "humas.yaml", "site: {}"),
		writeTestFile(t, out, "sub/keep.txt", "x"),
	}
	record := in.manifestPath(Options{}, out)
	m := readManifest(record)
	m.Articles["../releases"] = articleRecord{Hash: "x", Image: "2021-06-08-a.md"}
	m.Articles["sub"] = articleRecord{Hash: "x", Image: "."}
	m.Pages["../humas.yaml"] = "x"
	m.Pages["/etc/hostname"] = "x"
	m.Pages["sub"] = "x"
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(record, b, 0o644); err != nil {
		t.Fatal(err)
	}
	mustBuild(t, in, rels, Options{})
	mustBuild(t, in, rels, Options{Clean: true})
	mustExist(t, victims...)
	mustExist(t, "/etc/hostname")
}

func TestADeletedOutputFolderIsBuiltAnewThoughTheRecordStays(t *testing.T) {
	in := newTestProject(t)
	out := filepath.Join(in.root, "public")
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if st := mustBuild(t, in, rels, Options{}); !st.Full || st.Articles != 2 {
		t.Errorf("stats = %+v, want a full build", st)
	}
	mustExist(t, filepath.Join(out, "index.html"), filepath.Join(out, rels[0].Slug, "audiensi.jpg"))
}
