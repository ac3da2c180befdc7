//go:build unix

package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fifoLink puts, at rel under root, a link to a named pipe no one writes to:
// reading what the name says waits forever, as reading /dev/zero never ends
// (a pipe keeps a test that would hang from filling the machine's memory).
func fifoLink(t *testing.T, root, rel string) {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(fifo, name); err != nil {
		t.Fatal(err)
	}
}

// returns runs f and fails the test if it has not returned in a generous while:
// the code under test would otherwise hang the whole test binary.
func returns(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s is still reading a link to a pipe: a link in .humas/ hangs humas", what)
	}
}

// A release.json swapped for a link after its record was read must neither hang
// the save that compares it nor be replaced unread: it is damaged.
func TestSavingOverALinkedReleaseFileNeitherHangsNorReplacesIt(t *testing.T) {
	root := t.TempDir()
	s := Open(root)
	r := sample()
	if err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	rel := Path(r.ID) + "/" + ReleaseFile
	fifoLink(t, root, rel)
	r.Title = "KPU dan Diskominfo Bersinergi Tangkal Hoaks"
	var err error
	returns(t, "SaveRelease", func() { err = s.SaveRelease(r) })
	var de *DamagedError
	if !errors.As(err, &de) || de.File != rel || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("SaveRelease over a link: %v, want %s damaged", err, rel)
	}
	if st, lerr := os.Lstat(filepath.Join(root, filepath.FromSlash(rel))); lerr != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced (%v): a damaged file is for a person to look at", lerr)
	}
}

// check names the line of a release.json claimed twice; a file swapped for a
// link since it was decoded has no line to give, and must not hang check.
func TestTheLineOfALinkedReleaseFileIsNotRead(t *testing.T) {
	root := t.TempDir()
	s := Open(root)
	r := sample()
	if err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	rel := Path(r.ID) + "/" + ReleaseFile
	if n := s.lineOfFile(rel); n != 3 {
		t.Fatalf("line of file: %d, want 3", n)
	}
	fifoLink(t, root, rel)
	var n int
	returns(t, "lineOfFile", func() { n = s.lineOfFile(rel) })
	if n != 0 {
		t.Errorf("line of a link: %d, want 0", n)
	}
}

// The lock is written to: a link committed in its place must not have humas
// truncate what it points at, nor a pipe hang the run.
func TestTheLockIsNeverALink(t *testing.T) {
	for _, kind := range []string{"a link to a file", "a link to a pipe"} {
		t.Run(kind, func(t *testing.T) {
			root := t.TempDir()
			name := filepath.Join(root, filepath.FromSlash(LockFile))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			victim := filepath.Join(t.TempDir(), "humas.yaml")
			if err := os.WriteFile(victim, []byte("site: {title: Siaran Pers}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(victim, name); err != nil {
				t.Fatal(err)
			}
			if kind == "a link to a pipe" {
				fifoLink(t, root, LockFile)
			}
			var err error
			returns(t, "TakeLock", func() {
				var l *Lock
				if l, err = TakeLock(t.Context(), root, LockOptions{}); err == nil {
					l.Unlock()
				}
			})
			var de *DamagedError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), ".humas/lock: is a symbolic link") {
				t.Fatalf("lock through %s: %v, want it refused as a link", kind, err)
			}
			if data, _ := os.ReadFile(victim); string(data) != "site: {title: Siaran Pers}\n" {
				t.Errorf("the file the link points at was changed: %q", data)
			}
		})
	}
}

// .humas/.gitignore is written once when missing; a link there that leads
// nowhere is not missing, and humas makes no file where it points.
func TestTheLockDoesNotWriteThroughADanglingLink(t *testing.T) {
	root := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.MkdirAll(filepath.Join(root, ".humas"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(root, ".humas", ".gitignore")); err != nil {
		t.Fatal(err)
	}
	l, err := TakeLock(t.Context(), root, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	if _, err := os.Lstat(elsewhere); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("humas made %s through a link: %v", elsewhere, err)
	}
}
