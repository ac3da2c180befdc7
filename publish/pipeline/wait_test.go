package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitLive(t *testing.T) {
	t.Run("polls until the article answers 200", func(t *testing.T) {
		var hits atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) < 3 {
				http.NotFound(w, r)
			}
		}))
		defer srv.Close()
		w := newWorld(t)
		if err := New(w.options()).WaitLive(context.Background(), srv.URL+"/sinergi/", time.Minute); err != nil {
			t.Fatal(err)
		}
		if hits.Load() != 3 || len(w.clock.slept()) != 2 {
			t.Errorf("%d requests, %d waits; want 3 and 2", hits.Load(), len(w.clock.slept()))
		}
	})

	t.Run("gives up after the timeout saying what it last saw", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		w := newWorld(t)
		err := New(w.options()).WaitLive(context.Background(), srv.URL+"/sinergi/", 30*time.Second)
		if err == nil || !strings.Contains(err.Error(), "not live after 30s: last answer HTTP 404") {
			t.Fatalf("err = %v", err)
		}
		var total time.Duration
		for _, d := range w.clock.slept() {
			total += d
		}
		if total > 30*time.Second {
			t.Errorf("waited %v, beyond the 30s asked", total)
		}
	})
}

func TestChangedReleases(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for --changed and is not installed")
	}
	root := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", root}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("releases/2021-06-01-lama.md", "lama")
	write("releases/2021-06-02-ubah.md", "v1")
	write("releases/2021-06-03-hapus.md", "hapus")
	write("releases/2021-06-04-pindah.md", "pindah isi yang cukup panjang agar dikenali sebagai rename")
	git("add", ".")
	git("commit", "-qm", "a")
	write("releases/2021-06-02-ubah.md", "v2")
	write("releases/2021-06-05-baru.md", "baru")
	write("releases/images/foto.jpg", "jpeg")
	write("humas.yaml", "site: {}")
	os.Remove(filepath.Join(root, "releases/2021-06-03-hapus.md"))
	os.Rename(filepath.Join(root, "releases/2021-06-04-pindah.md"), filepath.Join(root, "releases/2021-06-06-pindah.md"))
	git("add", "-A")
	git("commit", "-qm", "b")

	got, err := ChangedReleases(context.Background(), root, "HEAD~1..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"releases/2021-06-02-ubah.md", "releases/2021-06-05-baru.md", "releases/2021-06-06-pindah.md"}
	if !slices.Equal(got, want) {
		t.Errorf("changed = %v, want %v", got, want)
	}

	for _, bad := range []string{"", "--output=/tmp/x", "nosuchrev..HEAD"} {
		if _, err := ChangedReleases(context.Background(), root, bad); err == nil {
			t.Errorf("range %q: no error", bad)
		}
	}
}
