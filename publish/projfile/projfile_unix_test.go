//go:build unix

// Named pipes and device nodes exist only on Unix file systems.

package projfile

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesFoldersDevicesAndPipesWithoutBlocking(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/folder.md/x", "")
	if err := syscall.Mkfifo(filepath.Join(root, "releases", "fifo.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := New(root)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := r.Read("releases/fifo.md", Release)
		wantRefusal(t, err, ErrNotRegular, "named pipe")
		_, err = r.Read("releases/folder.md", Release)
		wantRefusal(t, err, ErrNotRegular, "is a folder")
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe blocked")
	}
	// A device is only reachable from the project through a link, which is refused
	// first; the descriptor check holds for a device node all the same.
	if _, err := readRegularForTest("/dev/zero", Release); !errors.Is(err, ErrNotRegular) {
		t.Errorf("/dev/zero: err = %v, want a refusal", err)
	} else {
		wantRefusal(t, err, ErrNotRegular, "is a device")
	}
}

func readRegularForTest(full string, kind Kind) ([]byte, error) {
	data, _, err := readRegular(full, full, kind, -1)
	return data, err
}
