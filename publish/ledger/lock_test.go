package ledger

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary hold a lock in a process of its own, to be killed.
func TestMain(m *testing.M) {
	if root := os.Getenv("HUMAS_LEDGER_TEST_HOLD"); root != "" {
		l, err := TakeLock(context.Background(), root, LockOptions{Command: "humas publish --pending"})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		l.Unlock()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestLock(t *testing.T) {
	ctx := context.Background()

	t.Run("a second run waits its time, then names who holds the lock and since when", func(t *testing.T) {
		root := t.TempDir()
		first, err := TakeLock(ctx, root, LockOptions{Command: "humas publish releases/a.md"})
		if err != nil {
			t.Fatal(err)
		}
		defer first.Unlock()
		var heard []Holder
		start := time.Now()
		_, err = TakeLock(ctx, root, LockOptions{Wait: 300 * time.Millisecond, Poll: 20 * time.Millisecond, Waiting: func(h Holder) { heard = append(heard, h) }})
		var be *BusyError
		if !errors.As(err, &be) {
			t.Fatalf("second lock: %v, want a busy error", err)
		}
		if d := time.Since(start); d < 300*time.Millisecond {
			t.Fatalf("gave up after %v, want the 300ms it was given", d)
		}
		host, _ := os.Hostname()
		msg := err.Error()
		for _, want := range []string{".humas/lock: the ledger is in use by ", `"humas publish releases/a.md"`, fmt.Sprintf("pid %d on %s", os.Getpid(), host), " since 20", "run again once it is done"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
		if len(heard) != 1 || heard[0].PID != os.Getpid() {
			t.Errorf("waiting heard %+v, want the holder once", heard)
		}
	})

	t.Run("the busy message names the wait the run was given, however late the machine woke it", func(t *testing.T) {
		// A loaded machine wakes the waiting run late: it once said "waited 300ms"
		// for --lock-wait 200ms (a flaky scenario), and "waited 0s" for 30ms.
		root := t.TempDir()
		first, err := TakeLock(ctx, root, LockOptions{Command: "humas publish releases/a.md"})
		if err != nil {
			t.Fatal(err)
		}
		defer first.Unlock()
		_, err = TakeLock(ctx, root, LockOptions{Wait: 30 * time.Millisecond, Poll: 10 * time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "; waited 30ms: run again") {
			t.Errorf("second lock: %v, want it to say it waited 30ms", err)
		}
	})

	t.Run("a waiting run goes ahead as soon as the first lets go", func(t *testing.T) {
		root := t.TempDir()
		first, err := TakeLock(ctx, root, LockOptions{})
		if err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(100*time.Millisecond, func() { first.Unlock() })
		second, err := TakeLock(ctx, root, LockOptions{Wait: 10 * time.Second, Poll: 10 * time.Millisecond})
		if err != nil {
			t.Fatalf("second lock: %v", err)
		}
		second.Unlock()
	})

	t.Run("the lock of a killed run is gone with it", func(t *testing.T) {
		if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
			t.Skip("kills a process with SIGKILL")
		}
		root := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "HUMAS_LEDGER_TEST_HOLD="+root)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line != "locked\n" {
			t.Fatalf("helper said %q", line)
		}
		_, err = TakeLock(ctx, root, LockOptions{})
		var be *BusyError
		if !errors.As(err, &be) || be.Holder.PID != cmd.Process.Pid || be.Holder.Command != "humas publish --pending" {
			t.Fatalf("lock beside the helper: %v, want busy naming pid %d", err, cmd.Process.Pid)
		}
		cmd.Process.Kill()
		cmd.Wait()
		l, err := TakeLock(ctx, root, LockOptions{})
		if err != nil {
			t.Fatalf("lock after the holder was killed: %v", err)
		}
		l.Unlock()
	})

	t.Run("the lock is never committed", func(t *testing.T) {
		root := t.TempDir()
		l, err := TakeLock(ctx, root, LockOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l.Unlock()
		if got := readFile(t, root, ".humas/.gitignore"); !strings.Contains(got, "\n/lock\n") {
			t.Fatalf(".humas/.gitignore = %q", got)
		}
	})
}
