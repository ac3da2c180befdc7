package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// LockFile is the file a run holds locked while it may write the ledger, relative
// to the project root. It is not committed: it lies outside Dir, and .humas's own
// .gitignore names it.
const LockFile = ".humas/lock"

// Holder says who holds the lock: enough for a person to find the run.
type Holder struct {
	Command string    `json:"command"` // "humas publish --pending"
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Since   time.Time `json:"since"` // when the run took the lock
}

func (h Holder) String() string {
	if h.PID == 0 {
		return "another humas run"
	}
	cmd := h.Command
	if cmd == "" {
		cmd = "humas"
	}
	return fmt.Sprintf("%q (pid %d on %s) since %s", cmd, h.PID, h.Host, h.Since.UTC().Format(time.RFC3339))
}

// BusyError is a lock another run held for longer than this one would wait.
type BusyError struct {
	Holder Holder
	// Waited is the wait the run was given (--lock-wait), not the time it took: a
	// loaded machine wakes the run late, and the message stays what was asked.
	Waited time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%s: the ledger is in use by %s; waited %s: run again once it is done", LockFile, e.Holder, e.Waited)
}

// Lock is the ledger held by this run. The operating system holds the lock on the
// open file (flock, LockFileEx) and lets it go when the process ends however it
// ends, so a run that was killed never leaves a stale lock behind: the holder
// written in the file is only to name the run to a person.
type Lock struct {
	f *os.File
}

// LockOptions say how to take the lock.
type LockOptions struct {
	Wait    time.Duration    // how long to wait for another run; 0 tries once
	Command string           // what this run is, for the holder a waiting run names
	Now     func() time.Time // default time.Now
	// Waiting, if set, hears once that another run holds the lock and this one waits.
	Waiting func(Holder)
	// Poll is how often the lock is tried again while waiting; default 200ms.
	Poll time.Duration
}

// TakeLock takes the ledger of the project at root for this run, waiting up to
// o.Wait for another run to let it go; past that it is a *BusyError naming the
// holder. Release it with Unlock.
func TakeLock(ctx context.Context, root string, o LockOptions) (*Lock, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Poll <= 0 {
		o.Poll = 200 * time.Millisecond
	}
	name := filepath.Join(root, filepath.FromSlash(LockFile))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	ignoreLock(filepath.Dir(name))
	f, err := openLock(name)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", LockFile, err)
		}
		if ok {
			break
		}
		h := readHolder(f)
		waited := time.Since(start)
		if waited >= o.Wait {
			f.Close()
			return nil, &BusyError{Holder: h, Waited: o.Wait}
		}
		if !told && o.Waiting != nil {
			o.Waiting(h)
			told = true
		}
		t := time.NewTimer(min(o.Poll, o.Wait-waited))
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	host, _ := os.Hostname()
	h := Holder{Command: o.Command, Host: host, PID: os.Getpid(), Since: o.Now().UTC().Truncate(time.Second)}
	if err := writeHolder(f, h); err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("%s: %w", LockFile, err)
	}
	return &Lock{f: f}, nil
}

// Unlock lets the next run in. The file stays: removing it would let a run that
// opened it a moment before lock a file no one else can see.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func writeHolder(f *os.File, h Holder) error {
	data, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return f.Sync()
}

// openLock opens the lock file, making it when missing. It is written to, so it
// must be the project's own file: a link committed in its place (a pull request
// can add one, ignored or not) would have humas truncate what it points at, and a
// device or a pipe is no file to lock.
func openLock(name string) (*os.File, error) {
	notOurs := func(st fs.FileInfo) error {
		what := "not a regular file"
		if st.Mode()&fs.ModeSymlink != 0 {
			what = "a symbolic link"
		}
		return &DamagedError{File: LockFile, Err: errors.New("is " + what + ", which humas will not write to"),
			Fix: "delete it (git rm " + LockFile + " if it was committed): humas makes the lock itself"}
	}
	if st, err := os.Lstat(name); err == nil && !st.Mode().IsRegular() {
		return nil, notOurs(st)
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", LockFile, err)
	}
	// What was opened is what was looked at: nothing swapped it for a link since.
	opened, err := f.Stat()
	if err == nil {
		var now fs.FileInfo
		if now, err = os.Lstat(name); err == nil && (!now.Mode().IsRegular() || !os.SameFile(opened, now)) {
			err = notOurs(now)
		}
	}
	if err != nil {
		f.Close()
		var de *DamagedError
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", LockFile, err)
	}
	return f, nil
}

// readHolder reads who holds the lock; the zero Holder when the file does not say
// (the holder is between taking the lock and writing its name).
func readHolder(f *os.File) Holder {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<16))
	var h Holder
	if err != nil || json.Unmarshal(data, &h) != nil {
		return Holder{}
	}
	return h
}

// ignoreLock writes .humas/.gitignore naming the lock, once, so `git add -A` never
// commits a file that only means something on this machine.
func ignoreLock(dir string) {
	name := filepath.Join(dir, ".gitignore")
	// Lstat: a link that leads nowhere is something there too, and writing
	// through it would make a file wherever it points.
	if _, err := os.Lstat(name); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	_ = os.WriteFile(name, []byte("# humas: the lock a run holds on this machine; never committed\n/lock\n"), 0o644)
}
