package e2e

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write the preview page's screenshot to docs/preview.png")

// chromiumPath is Debian's Chromium, which e2e/setup.sh installs; a browser download
// of the test tool's own is not possible on these machines.
const chromiumPath = "/usr/bin/chromium"

// env is what every test shares: the humas binary built once, the repository root, and
// one browser whose tabs the tests open.
type env struct {
	repo    string // repository root
	bin     string // the humas binary built from ./cmd/humas
	tmp     string
	missing []string // tools e2e/setup.sh installs that are not there

	browserOnce sync.Once
	browser     context.Context
	browserErr  error
	stopBrowser func()
}

var suite *env

func TestMain(m *testing.M) {
	flag.Parse()
	code, err := runMain(m)
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func runMain(m *testing.M) (int, error) {
	repo, err := filepath.Abs("..")
	if err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "humas-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	if err := readSources(repo); err != nil {
		return 0, err
	}
	bin := filepath.Join(tmp, "humas")
	build := exec.Command("go", "build", "-o", bin, "./cmd/humas")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go build ./cmd/humas: %v\n%s", err, out)
	}
	suite = &env{repo: repo, bin: bin, tmp: tmp, missing: missingTools(repo)}
	defer suite.closeBrowser()
	return m.Run(), nil
}

// readSources reads every file the humas binary is built from. go test caches a
// passing run until the test binary or a file the test itself opened changes; the
// binary is built by a child process, so without this a change to cmd/humas would
// be answered from the cache with the result of the old code.
func readSources(repo string) error {
	return filepath.WalkDir(repo, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != repo && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "e2e") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, "_test.go") {
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".html", ".css", ".tmpl", ".md", ".yaml", ".mod", ".sum":
			_, err := os.ReadFile(path)
			return err
		}
		return nil
	})
}

// missingTools names what e2e/setup.sh installs and this machine lacks.
func missingTools(repo string) []string {
	var missing []string
	if _, err := os.Stat(chromiumPath); err != nil {
		missing = append(missing, chromiumPath+" (Debian package chromium)")
	}
	if _, err := exec.LookPath("java"); err != nil {
		missing = append(missing, "java (Debian package default-jre-headless)")
	}
	for _, f := range []string{axePath, vnuPath} {
		if _, err := os.Stat(filepath.Join(repo, f)); err != nil {
			missing = append(missing, f+" (npm ci in e2e/)")
		}
	}
	return missing
}

// requireTools fails the test in CI and skips it elsewhere when a tool is missing: a
// developer without Chromium can still run go test ./..., but CI must never pass
// without having run the browser tests.
func requireTools(t *testing.T) {
	t.Helper()
	if len(suite.missing) == 0 {
		return
	}
	msg := fmt.Sprintf("browser tests need %s: run e2e/setup.sh", strings.Join(suite.missing, ", "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("NOT TESTED: " + msg)
}

// tab opens a new browser tab that closes when the test ends.
func tab(t *testing.T) context.Context {
	t.Helper()
	requireTools(t)
	suite.browserOnce.Do(suite.startBrowser)
	if suite.browserErr != nil {
		t.Fatalf("start chromium: %v", suite.browserErr)
	}
	ctx, cancel := chromedp.NewContext(suite.browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

func (e *env) startBrowser() {
	userData, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		e.browserErr = err
		return
	}
	// The flags keep Chromium off the network: this machine has none, and without
	// them it tries Google's hosts at every start.
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "id-ID"),
		chromedp.UserDataDir(userData),
		chromedp.WindowSize(1280, 900),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	// The first Run starts the browser; it must not carry a timeout, which would
	// stop the browser with it.
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		e.browserErr = err
		return
	}
	e.browser = browser
	e.stopBrowser = func() { cancelBrowser(); cancelAlloc() }
}

func (e *env) closeBrowser() {
	if e.stopBrowser != nil {
		e.stopBrowser()
	}
}

// server is one `humas serve` process on a free port.
type server struct {
	url  string // "http://127.0.0.1:PORT/"
	root string // the project it serves
	cmd  *exec.Cmd
	log  *syncBuffer
}

// serve copies the fixture project into a fresh folder and runs humas serve on it
// until the test ends, when it sends SIGINT and expects a clean exit.
func serve(t *testing.T) *server {
	t.Helper()
	root := copyProject(t)
	cmd := exec.Command(suite.bin, "-C", root, "serve", "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{root: root, cmd: cmd, log: &syncBuffer{}}
	cmd.Stderr = s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			s.log.Write([]byte(line + "\n"))
			if u, ok := strings.CutPrefix(line, "serving "); ok {
				urls <- u
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("humas serve did not stop cleanly on SIGINT: %v\n%s", err, s.log)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("humas serve still running 10s after SIGINT\n%s", s.log)
		}
	})
	select {
	case s.url = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatalf("humas serve printed no address in 30s:\n%s", s.log)
	}
	return s
}

// copyProject copies testdata/project into a temporary folder, so tests may edit it.
func copyProject(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("testdata", "project")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copy project: %v", err)
	}
	return dst
}

// humas runs the binary in dir and returns its stdout; a non-zero exit fails the test.
func humas(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(suite.bin, append([]string{"-C", dir}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("humas %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
