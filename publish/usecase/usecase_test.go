package usecase_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/usecase"
)

func write(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const humasYAML = "site: {base_url: https://humas.balikpapan.go.id/}\naccounts:\n  kpu:\n    name: KPU Kota Balikpapan\n    x: {username: kpubalikpapan}\npublish: {since: 2026-12-01}\n"

func TestOpen(t *testing.T) {
	t.Run("a folder that is not a project, for a command on the whole project", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := usecase.Open(usecase.Target{Dir: dir, Whole: true})
		var ie *usecase.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "is not a humas project") || ie.Hint == "" {
			t.Fatalf("err = %v", err)
		}
		if _, _, err := usecase.Open(usecase.Target{Dir: dir}); err != nil {
			t.Errorf("a command on a named file is refused outside a project: %v", err)
		}
	})
	t.Run("a missing folder", func(t *testing.T) {
		_, _, err := usecase.Open(usecase.Target{Dir: filepath.Join(t.TempDir(), "hilang")})
		if !usecase.IsInput(err) || !strings.HasSuffix(err.Error(), "hilang: no such folder") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("humas.yaml problems are diagnostics at their lines", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"humas.yaml": "site: {base_url: https://a.go.id/}\naccounts:\n  kpu:\n    name: KPU\n    x: {username: \"not a handle\"}\n"})
		_, diags, err := usecase.Open(usecase.Target{Dir: dir})
		if !errors.Is(err, usecase.ErrInvalid) || len(diags) != 1 || diags[0].Position() != "humas.yaml:5" || diags[0].Field != "accounts.kpu.x.username" {
			t.Fatalf("diags = %v, err = %v", diags, err)
		}
	})
	t.Run("--only and --account must exist", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"humas.yaml": humasYAML})
		if _, _, err := usecase.Open(usecase.Target{Dir: dir, Only: []string{"friendster"}}); !usecase.IsInput(err) || !strings.Contains(err.Error(), "use x, facebook") {
			t.Errorf("--only friendster: %v", err)
		}
		if _, _, err := usecase.Open(usecase.Target{Dir: dir, Accounts: []string{"bawaslu"}}); !usecase.IsInput(err) {
			t.Errorf("--account bawaslu: %v", err)
		}
	})
}

func TestCheckSaysWhatHoldsEachRelease(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"humas.yaml":                   humasYAML,
		"releases/2021-06-09-arsip.md": "---\ntitle: Arsip\ndate: 2021-06-09T13:00:00+08:00\nissuer: kpu\nclassification: berkala\n---\nIsi.\n",
		"releases/2027-01-05-baru.md":  "---\ntitle: Baru\ndate: 2027-01-05T13:00:00+08:00\nissuer: kpu\nclassification: berkala\n---\nIsi.\n",
	})
	p, _, err := usecase.Open(usecase.Target{Dir: dir, Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := usecase.Check(p, usecase.CheckRequest{Now: time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil || res.Err() != nil {
		t.Fatalf("Check: %v, %v", err, res.Diagnostics)
	}
	if len(res.Holds) != 1 || res.Holds[0].Reason != hold.Archive || res.Holds[0].Position() != "releases/2021-06-09-arsip.md:3" {
		t.Fatalf("holds = %+v, want the archive at its date", res.Holds)
	}
	if len(res.Releases) != 2 || res.Releases[0].Held == "" || res.Releases[1].Held != "" || len(res.Releases[1].Targets) != 1 {
		t.Errorf("releases = %+v", res.Releases)
	}
}
