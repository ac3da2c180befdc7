//go:build linux

package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slugProject is a project of three releases whose slugs all differ, with the
// slug cache keeping whatever it reads (no settling: the files are new).
func slugProject(t *testing.T) (*Project, string) {
	t.Helper()
	root := t.TempDir()
	write(t, root, "releases/2021-06-09-rapat.md", releaseText("A"))
	write(t, root, "releases/2021-06-10-lain.md", releaseText("B"))
	write(t, root, "releases/2021-06-11 dengan spasi.md", releaseText("C"))
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p.slugSettle = 0
	return p, root
}

func slugErrors(t *testing.T, p *Project, file string) string {
	t.Helper()
	_, diags := p.CheckFiles([]string{file})
	return diags.Errors().Error()
}

func TestTheSlugCacheKeepsWhatItRead(t *testing.T) {
	p, root := slugProject(t)
	if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); errs != "" {
		t.Fatalf("unique slugs: %s", errs)
	}
	data, err := os.ReadFile(filepath.Join(root, SlugCache))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 3 || lines[0] != "humas-slugs 1" ||
		!strings.HasPrefix(lines[1], "releases/2021-06-10-lain.md ") || !strings.HasPrefix(lines[2], `"releases/2021-06-11 dengan spasi.md" `) {
		t.Fatalf("the cache holds\n%s", data)
	}
	if _, err := os.Stat(filepath.Join(root, ".humas/cache/.gitignore")); err != nil {
		t.Errorf("the cache folder does not ignore itself: %v", err)
	}

	// What the cache says of a file that is as it was is believed: the file is not read.
	lie := strings.Replace(string(data), lines[1]+"\n", lines[1]+` "rapat"`+"\n", 1)
	if err := os.WriteFile(filepath.Join(root, SlugCache), []byte(lie), 0o644); err != nil {
		t.Fatal(err)
	}
	if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); !strings.Contains(errs, `"rapat" is also the slug of releases/2021-06-10-lain.md`) {
		t.Fatalf("the cache was not used: %q", errs)
	}
}

func TestASlugSetAfterTheCacheSawTheFileIsFound(t *testing.T) {
	p, root := slugProject(t)
	if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); errs != "" {
		t.Fatal(errs)
	}
	// The same size and the same modification time: only the change time tells.
	name := filepath.Join(root, "releases/2021-06-10-lain.md")
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(releaseText("B"), "title: B\n", "slug: rapat\n", 1)
	text = strings.Replace(text, "Isi.", "I", 1) // as long as before
	if len(text) != int(st.Size()) {
		t.Fatalf("%d bytes, want %d", len(text), st.Size())
	}
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(text), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(name, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); !strings.Contains(errs, `"rapat" is also the slug of releases/2021-06-10-lain.md`) {
		t.Fatalf("a slug set in place after the cache saw the file is missed: %q", errs)
	}
}

func TestTheSlugCacheFollowsNewAndGoneReleases(t *testing.T) {
	p, root := slugProject(t)
	slugErrors(t, p, "releases/2021-06-09-rapat.md")
	if err := os.Remove(filepath.Join(root, "releases/2021-06-10-lain.md")); err != nil {
		t.Fatal(err)
	}
	write(t, root, "releases/2021-06-12-baru.md", strings.Replace(releaseText("D"), "title: D\n", "title: D\nslug: rapat\n", 1))
	if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); !strings.Contains(errs, `"rapat" is also the slug of releases/2021-06-12-baru.md`) {
		t.Fatalf("a new release is missed: %q", errs)
	}
	data, err := os.ReadFile(filepath.Join(root, SlugCache))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "lain") || !strings.Contains(string(data), `releases/2021-06-12-baru.md `) || !strings.HasSuffix(string(data), ` "rapat"`+"\n") {
		t.Fatalf("the cache holds\n%s", data)
	}
}

func TestOnlyCheckKeepsTheSlugs(t *testing.T) {
	p, root := slugProject(t)
	if _, diags := p.LoadFiles([]string{"releases/2021-06-09-rapat.md"}); diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, err := os.Lstat(filepath.Join(root, ".humas")); err == nil {
		t.Fatal("LoadFiles (publish --dry-run, preview, status) wrote in .humas")
	}
}

func TestAFileJustWrittenIsNotKept(t *testing.T) {
	p, root := slugProject(t)
	p.slugSettle = time.Hour // as if the file system stamped times by the hour
	slugErrors(t, p, "releases/2021-06-09-rapat.md")
	if data, err := os.ReadFile(filepath.Join(root, SlugCache)); err == nil && strings.Contains(string(data), ".md") {
		t.Fatalf("files written a moment ago are kept:\n%s", data)
	}
}

func TestTheSlugCacheIsNeverReadOrWrittenThroughALink(t *testing.T) {
	t.Run("the cache file", func(t *testing.T) {
		p, root := slugProject(t)
		outside := filepath.Join(t.TempDir(), "slugs")
		lie := "humas-slugs 1\n"
		if err := os.WriteFile(outside, []byte(lie), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, ".humas/cache"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(root, SlugCache)); err != nil {
			t.Fatal(err)
		}
		slugErrors(t, p, "releases/2021-06-09-rapat.md")
		if data, _ := os.ReadFile(outside); string(data) != lie {
			t.Errorf("written through the link: %q", data)
		}
		if st, err := os.Lstat(filepath.Join(root, SlugCache)); err != nil || !st.Mode().IsRegular() {
			t.Errorf("the link is not replaced by the cache: %v", err)
		}
	})
	t.Run("the cache folder", func(t *testing.T) {
		p, root := slugProject(t)
		outside := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, ".humas"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(root, ".humas/cache")); err != nil {
			t.Fatal(err)
		}
		if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); errs != "" {
			t.Fatal(errs)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Errorf("written through the linked folder: %v", entries)
		}
	})
}

func TestADamagedSlugCacheIsNotBelieved(t *testing.T) {
	for name, text := range map[string]string{
		"another format": "humas-slugs 2\nreleases/2021-06-10-lain.md 1 2 3 4 5 \"rapat\"\n",
		"out of order":   "humas-slugs 1\nreleases/b.md 1 2 3 4 5\nreleases/a.md 1 2 3 4 5\n",
		"cut short":      "humas-slugs 1\nreleases/2021-06-10-lain.md 1 2",
		"not a number":   "humas-slugs 1\nreleases/2021-06-10-lain.md 1 2 x 4 5\n",
	} {
		t.Run(name, func(t *testing.T) {
			p, root := slugProject(t)
			write(t, root, SlugCache, text)
			if errs := slugErrors(t, p, "releases/2021-06-09-rapat.md"); errs != "" {
				t.Fatal(errs)
			}
			data, err := os.ReadFile(filepath.Join(root, SlugCache))
			if err != nil || !strings.HasPrefix(string(data), "humas-slugs 1\n") || strings.Contains(string(data), "releases/a.md") {
				t.Errorf("not replaced: %q (%v)", data, err)
			}
		})
	}
}
