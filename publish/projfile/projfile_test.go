package projfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func write(t *testing.T, root, name, text string) {
	t.Helper()
	full := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func wantRefusal(t *testing.T, err error, cause error, words string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *projfile.Error", err)
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Errorf("err = %v, want it to be %v", err, cause)
	}
	if !strings.Contains(err.Error()+": "+pe.Hint, words) {
		t.Errorf("err = %q (hint %q), want it to say %q", err, pe.Hint, words)
	}
}

func TestReadTakesTheProjectsOwnRegularFiles(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/2021-06-09-a.md", "rilis")
	write(t, root, "releases/images/a.jpg", "jpg")
	write(t, root, "assets/kpu.png", "png")
	write(t, root, "templates/posts/x.tmpl", "tmpl")
	write(t, root, "humas.yaml", "site:")
	r := New(root)
	for _, tc := range []struct {
		name string
		kind Kind
		want string
	}{
		{"releases/2021-06-09-a.md", Release, "rilis"},
		{filepath.Join(root, "releases", "2021-06-09-a.md"), Release, "rilis"},
		{"releases/images/a.jpg", Image, "jpg"},
		{"releases/./images/../images/a.jpg", Image, "jpg"},
		{"assets/kpu.png", Image, "png"},
		{"templates/posts/x.tmpl", Template, "tmpl"},
		{"humas.yaml", Config, "site:"},
	} {
		got, err := r.Read(tc.name, tc.kind)
		if err != nil || string(got) != tc.want {
			t.Errorf("Read(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestReadRefusesSymbolicLinksWhereverTheyAre(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	outside := t.TempDir()
	write(t, outside, "secret", "HUMAS_KPU_X_API_KEY=abc")
	write(t, root, "releases/real.md", "rilis")
	symlink(t, "/proc/self/environ", filepath.Join(root, "releases/images/foto.png"))
	symlink(t, "/proc/self/environ", filepath.Join(root, "templates/posts/facebook.tmpl"))
	symlink(t, "/proc/self/environ", filepath.Join(root, "releases/2021-06-09-env.md"))
	symlink(t, "real.md", filepath.Join(root, "releases/2021-06-09-inside.md"))
	symlink(t, outside, filepath.Join(root, "assets"))
	symlink(t, "/proc/self/environ", filepath.Join(root, "humas.yaml"))
	r := New(root)
	for _, tc := range []struct {
		name string
		kind Kind
		say  string
	}{
		{"releases/images/foto.png", Image, `releases/images/foto.png: is a symbolic link to "/proc/self/environ"`},
		{"templates/posts/facebook.tmpl", Template, "/proc/self/environ"},
		{"releases/2021-06-09-env.md", Release, "put the release itself here"},
		{"releases/2021-06-09-inside.md", Release, `is a symbolic link to "real.md"`},
		// The folder that is a link is named: the file itself is not one.
		{"assets/secret", Image, `assets/secret: assets/ is a symbolic link to "` + outside + `"`},
		{"humas.yaml", Config, "symbolic link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := r.Read(tc.name, tc.kind)
			if data != nil {
				t.Errorf("read %q through a link", data)
			}
			wantRefusal(t, err, ErrSymlink, tc.say)
		})
	}
}

func TestReadRefusesFilesOutOfTheirPlace(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".git/config", "[remote]\n\textraheader = AUTHORIZATION: basic c2VjcmV0")
	write(t, root, ".humas/ledger/a.json", "{}")
	write(t, root, "notes/foto.jpg", "jpg")
	write(t, root, "releases/.hidden/a.jpg", "jpg")
	r := New(root)
	for _, tc := range []struct {
		name string
		kind Kind
		say  string
	}{
		{"releases/../.git/config", Image, "inside .git"},
		{".GIT/config", Release, "inside .git"},
		{".humas/ledger/a.json", Image, "not in releases/ or assets/"},
		{"notes/foto.jpg", Image, "keep them in releases/"},
		{"releases/.hidden/a.jpg", Image, "not in releases/ or assets/"},
		{"../outside.md", Release, "is outside the project"},
		{"/etc/passwd", Release, "is outside the project"},
		{"releases/x.tmpl", Template, "not in templates/"},
		{"sub/humas.yaml", Config, "not at the project root"},
		{"releases/x.json", Ledger, "not in .humas/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Read(tc.name, tc.kind)
			wantRefusal(t, err, ErrPlace, tc.say)
		})
	}
	if _, err := r.Read(".humas/ledger/a.json", Ledger); err != nil {
		t.Errorf("the ledger is read as a ledger: %v", err)
	}
}

func TestReadLimitsTheSizeOfEveryKind(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/big.md", strings.Repeat("a", int(Release.Limit())+1))
	write(t, root, "releases/fits.md", strings.Repeat("a", int(Release.Limit())))
	f, err := os.Create(filepath.Join(root, "releases", "foto.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(23 << 20) // a 23 MB photo, sparse
	f.Close()
	r := New(root)
	_, err = r.Read("releases/big.md", Release)
	wantRefusal(t, err, ErrTooLarge, "is 1.1 MB, more than the 1 MB a release may be")
	if data, err := r.Read("releases/fits.md", Release); err != nil || int64(len(data)) != Release.Limit() {
		t.Errorf("a release at the limit: %d bytes, %v", len(data), err)
	}
	_, err = r.Read("releases/foto.jpg", Image)
	wantRefusal(t, err, ErrTooLarge, "is 23.0 MB, more than the 20 MB an image may be")
}

func TestReadHeadReadsOnlyTheStartButChecksTheWholeSize(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/a.jpg", "0123456789")
	r := New(root)
	head, size, err := r.ReadHead("releases/a.jpg", Image, 4)
	if err != nil || string(head) != "0123" || size != 10 {
		t.Errorf("ReadHead = %q, %d, %v", head, size, err)
	}
	head, size, err = r.ReadHead("releases/a.jpg", Image, 100)
	if err != nil || string(head) != "0123456789" || size != 10 {
		t.Errorf("ReadHead past the end = %q, %d, %v", head, size, err)
	}
}

func TestReadKeepsTheSystemsWordsForAMissingFile(t *testing.T) {
	_, err := New(t.TempDir()).Read("releases/hilang.md", Release)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "releases/hilang.md: no such file or directory" {
		t.Errorf("err = %v", err)
	}
}

func TestFSServesTemplatesThroughRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	write(t, root, "templates/posts/x.tmpl", "{{.Title}}")
	symlink(t, "/proc/self/environ", filepath.Join(root, "templates/posts/facebook.tmpl"))
	fsys := New(root).FS("templates", Template)
	if b, err := fs.ReadFile(fsys, "posts/x.tmpl"); err != nil || string(b) != "{{.Title}}" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if st, err := fs.Stat(fsys, "posts/x.tmpl"); err != nil || st.Size() != 10 || st.Name() != "x.tmpl" {
		t.Errorf("Stat = %v, %v", st, err)
	}
	if _, err := fs.ReadFile(fsys, "posts/facebook.tmpl"); !errors.Is(err, ErrSymlink) {
		t.Errorf("a linked template: err = %v", err)
	}
	if _, err := fs.ReadFile(fsys, "posts/none.tmpl"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing template: err = %v, want not-exist so the default serves", err)
	}
	if _, err := fs.ReadFile(fsys, "../humas.yaml"); err == nil {
		t.Error("read outside the folder")
	}
}
