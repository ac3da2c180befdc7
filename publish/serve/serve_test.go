package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSite builds a tiny site whose pages say which build they come from.
type fakeSite struct {
	builds atomic.Int32
	fail   atomic.Pointer[string] // the build error, nil for success
}

func (f *fakeSite) build(_ context.Context, dir string) (Previews, error) {
	n := f.builds.Add(1)
	if msg := f.fail.Load(); msg != nil {
		return nil, errors.New(*msg)
	}
	page := "<!DOCTYPE html><html lang=\"id\"><head><title>t</title></head><body><p>build " + string('0'+rune(n)) + "</p></BODY></html>"
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644)
	os.MkdirAll(filepath.Join(dir, "artikel"), 0o755)
	os.WriteFile(filepath.Join(dir, "artikel", "index.html"), []byte(page), 0o644)
	os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "feed.json"), []byte(`{"version":"https://jsonfeed.org/version/1.1"}`), 0o644)
	return pages{"artikel": []byte("<html><body>pratinjau</body></html>")}, nil
}

// pages are previews rendered ahead, by slug.
type pages map[string][]byte

func (m pages) Slugs() []string { return slices.Sorted(maps.Keys(m)) }

func (m pages) Page(slug string) ([]byte, bool, error) {
	p, ok := m[slug]
	return p, ok, nil
}

func newTestServer(t *testing.T, f *fakeSite) *Server {
	t.Helper()
	s, err := New(Options{Build: f.build})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(s.work) })
	s.Rebuild(context.Background())
	return s
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

func TestServesTheBuild(t *testing.T) {
	s := newTestServer(t, &fakeSite{})
	h := s.Handler()
	tests := []struct {
		name, path  string
		status      int
		contains    []string
		lacks       []string
		location    string
		contentType string
	}{
		{name: "index has the reload script before the end of body", path: "/", status: 200,
			contains: []string{"build 1", `const b="1"`, `new EventSource("/_humas/events")`, "</script></BODY>"}},
		{name: "article folder serves its index", path: "/artikel/", status: 200, contains: []string{"build 1", "EventSource"}},
		{name: "folder without slash redirects", path: "/artikel", status: 301, location: "/artikel/"},
		{name: "stylesheet is served untouched", path: "/style.css", status: 200, contains: []string{"body{}"}, lacks: []string{"EventSource"}},
		{name: "the JSON Feed is served as application/feed+json", path: "/feed.json", status: 200, contains: []string{"jsonfeed.org"}, contentType: "application/feed+json"},
		{name: "missing page is 404 with reload", path: "/tidak-ada/", status: 404, contains: []string{"Halaman tidak ditemukan", "EventSource"}},
		{name: "a file outside the build is not found", path: "/etc/passwd", status: 404},
		{name: "preview of a release", path: "/_preview/artikel/", status: 200, contains: []string{"pratinjau", "EventSource"}},
		{name: "preview without slash redirects", path: "/_preview/artikel", status: 301, location: "/_preview/artikel/"},
		{name: "preview of an unknown slug is 404", path: "/_preview/lain/", status: 404, contains: []string{"Pratinjau tidak ditemukan"}},
		{name: "preview list links every preview", path: "/_preview/", status: 200, contains: []string{`href="/_preview/artikel/"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("GET %s: status %d, want %d\n%s", tt.path, rec.Code, tt.status, rec.Body)
			}
			body := rec.Body.String()
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s: body lacks %q:\n%s", tt.path, want, body)
				}
			}
			for _, bad := range tt.lacks {
				if strings.Contains(body, bad) {
					t.Errorf("GET %s: body has %q:\n%s", tt.path, bad, body)
				}
			}
			if tt.contentType != "" && rec.Header().Get("Content-Type") != tt.contentType {
				t.Errorf("GET %s: Content-Type %q, want %q", tt.path, rec.Header().Get("Content-Type"), tt.contentType)
			}
			if tt.location != "" && rec.Header().Get("Location") != tt.location {
				t.Errorf("GET %s: Location %q, want %q", tt.path, rec.Header().Get("Location"), tt.location)
			}
		})
	}
}

func TestAFailedBuildShowsItsDiagnosticsOnEveryPage(t *testing.T) {
	f := &fakeSite{}
	s := newTestServer(t, f)
	msg := "releases/2021-06-09-a.md:3: date: cannot parse \"9 Juni\"\nreleases/b.md:7: image_alt: required <when> image is set"
	f.fail.Store(&msg)
	s.Rebuild(context.Background())
	for _, path := range []string{"/", "/artikel/", "/_preview/artikel/"} {
		rec := get(t, s.Handler(), path)
		body := rec.Body.String()
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("GET %s: status %d, want 500", path, rec.Code)
		}
		for _, want := range []string{
			"Build gagal",
			"<li>releases/2021-06-09-a.md:3: date: cannot parse &#34;9 Juni&#34;</li>",
			"<li>releases/b.md:7: image_alt: required &lt;when&gt; image is set</li>",
			`const b="2"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: error page lacks %q:\n%s", path, want, body)
			}
		}
	}

	f.fail.Store(nil)
	s.Rebuild(context.Background())
	if rec := get(t, s.Handler(), "/"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "build 3") {
		t.Errorf("after the fix: status %d\n%s", rec.Code, rec.Body)
	}
}

func TestInjectReloadWithoutBodyAppendsTheScript(t *testing.T) {
	got := string(InjectReload([]byte("<p>x"), 4))
	if !strings.HasPrefix(got, "<p>x<script>") || !strings.Contains(got, `const b="4"`) {
		t.Errorf("got %q", got)
	}
}

// readEvent returns the data of the next server-sent event.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read event: %v", err)
		}
		if data, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "data: "); ok {
			return data
		}
	}
}

func TestEventsAnnounceEveryBuild(t *testing.T) {
	s := newTestServer(t, &fakeSite{})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	if got := readEvent(t, r); got != "1" {
		t.Errorf("first event %q, want the current build 1", got)
	}
	s.Rebuild(context.Background())
	if got := readEvent(t, r); got != "2" {
		t.Errorf("event after rebuild %q, want 2", got)
	}
}

// builds collects the server's build events for a test to wait on.
type builds chan Event

func (b builds) record(e Event) { b <- e }

// waitFor returns the first build whose change list holds path (or a path below
// it); a build started by other changes is passed over.
func (b builds) waitFor(t *testing.T, path string, seen *[]Event) Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e := <-b:
			*seen = append(*seen, e)
			for _, c := range e.Changed {
				if c == path || strings.HasPrefix(c, path+string(filepath.Separator)) {
					return e
				}
			}
		case <-timeout:
			t.Fatalf("no build for a change of %s; builds so far: %+v", path, *seen)
		}
	}
}

func TestRunRebuildsOnChangeAndStopsCleanly(t *testing.T) {
	root := t.TempDir()
	releases := filepath.Join(root, "releases")
	os.Mkdir(releases, 0o755)
	f := &fakeSite{}
	events := make(builds, 100)
	s, err := New(Options{
		Build:    f.build,
		Watch:    []string{releases, filepath.Join(root, "templates"), filepath.Join(root, "humas.yaml")},
		Debounce: 20 * time.Millisecond,
		Built:    events.record,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, ln, func(u string) { ready <- u }) }()
	url := <-ready
	if want := "http://" + ln.Addr().String() + "/"; url != want {
		t.Errorf("ready with %q, want %q", url, want)
	}
	if first := <-events; first.Gen != 1 || len(first.Changed) != 0 || first.Err != nil {
		t.Errorf("first build: %+v, want build 1 with no change", first)
	}

	// An open event stream must not hold up the shutdown.
	resp, err := http.Get(url + strings.TrimPrefix(EventsPath, "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()

	var seen []Event
	release := filepath.Join(releases, "2021-06-09-a.md")
	images := filepath.Join(releases, "images")
	photo := filepath.Join(images, "2021", "a.jpg")
	steps := []struct {
		name, path string
		change     func() error
	}{
		{"a release is written", release, func() error { return os.WriteFile(release, []byte("a"), 0o644) }},
		{"a folder is created", images, func() error { return os.MkdirAll(filepath.Dir(photo), 0o755) }},
		// Written at once, maybe before the watch on the new folder is in place:
		// then the folder's walk finds it.
		{"a file in a folder created after the start", photo, func() error { return os.WriteFile(photo, []byte("jpg"), 0o644) }},
		{"templates folder created", filepath.Join(root, "templates"), func() error {
			return os.MkdirAll(filepath.Join(root, "templates", "site"), 0o755)
		}},
		{"humas.yaml written", filepath.Join(root, "humas.yaml"), func() error {
			return os.WriteFile(filepath.Join(root, "humas.yaml"), []byte("site: {}"), 0o644)
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.change(); err != nil {
				t.Fatal(err)
			}
			if e := events.waitFor(t, st.path, &seen); s.Gen() < e.Gen {
				t.Errorf("build %d announced before it was served (serving %d)", e.Gen, s.Gen())
			}
		})
	}
	t.Run("an unwatched file changes nothing", func(t *testing.T) {
		readme := filepath.Join(root, "README.md")
		os.WriteFile(readme, []byte("x"), 0o644)
		// A watched change after it: once its build is in, README.md's event has
		// been read, and no build may have named it.
		os.WriteFile(release, []byte("b"), 0o644)
		events.waitFor(t, release, &seen)
		for _, e := range seen {
			if slices.Contains(e.Changed, readme) {
				t.Errorf("README.md started build %d", e.Gen)
			}
		}
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, err := os.Stat(s.work); !os.IsNotExist(err) {
		t.Errorf("build folder %s left behind", s.work)
	}
	io.Copy(io.Discard, resp.Body) // the stream ended
}

func TestAPanickingBuildShowsAnErrorPageAndTheNextBuildServes(t *testing.T) {
	f := &fakeSite{}
	events := make(builds, 10)
	panicking := atomic.Bool{}
	s, err := New(Options{Build: func(ctx context.Context, dir string) (Previews, error) {
		if panicking.Load() {
			panic("yamlnode: index out of range [3] with length 3") // as a parser bug would
		}
		return f.build(ctx, dir)
	}, Built: events.record})
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(s.work)
	s.Rebuild(context.Background())
	<-events

	panicking.Store(true)
	s.Rebuild(context.Background())
	if e := <-events; e.Err == nil || !strings.Contains(e.Err.Error(), "humas crashed while building the site: yamlnode: index out of range [3] with length 3") {
		t.Errorf("event of the crashed build: %+v", e)
	}
	for _, path := range []string{"/", "/artikel/", "/_preview/artikel/"} {
		rec := get(t, s.Handler(), path)
		if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "humas crashed while building the site") {
			t.Errorf("GET %s after a crash: status %d\n%s", path, rec.Code, rec.Body)
		}
	}

	panicking.Store(false)
	s.Rebuild(context.Background())
	if e := <-events; e.Err != nil {
		t.Errorf("build after the crash: %v", e.Err)
	}
	if rec := get(t, s.Handler(), "/"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "build 2") {
		t.Errorf("after the crash: status %d\n%s", rec.Code, rec.Body)
	}
}

// panickingPreviews has one release whose preview crashes.
type panickingPreviews struct{}

func (panickingPreviews) Slugs() []string { return []string{"rusak"} }
func (panickingPreviews) Page(string) ([]byte, bool, error) {
	var r *struct{ Title string }
	return []byte(r.Title), true, nil
}

func TestAPanickingPreviewShowsAnErrorPage(t *testing.T) {
	s, err := New(Options{Build: func(context.Context, string) (Previews, error) { return panickingPreviews{}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(s.work)
	s.Rebuild(context.Background())
	rec := get(t, s.Handler(), "/_preview/rusak/")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "humas crashed while rendering the preview of rusak: runtime error: invalid memory address") {
		t.Errorf("status %d\n%s", rec.Code, rec.Body)
	}
}

// failingPreviews has one release whose preview cannot be rendered.
type failingPreviews struct{}

func (failingPreviews) Slugs() []string { return []string{"rusak"} }
func (failingPreviews) Page(string) ([]byte, bool, error) {
	return nil, true, errors.New("releases/2021-06-09-rusak.md: preview: template: preview.html:3: bad")
}

func TestAPreviewThatCannotRenderShowsWhy(t *testing.T) {
	s, err := New(Options{Build: func(context.Context, string) (Previews, error) { return failingPreviews{}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(s.work)
	s.Rebuild(context.Background())
	rec := get(t, s.Handler(), "/_preview/rusak/")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "<li>releases/2021-06-09-rusak.md: preview: template: preview.html:3: bad</li>") {
		t.Errorf("status %d\n%s", rec.Code, rec.Body)
	}
}

func TestOnLoopbackOnlyRequestsForThisMachineAreAnswered(t *testing.T) {
	s := newTestServer(t, &fakeSite{})
	h := loopbackOnly(s.Handler())
	for host, want := range map[string]int{
		"127.0.0.1:1313":        200,
		"localhost:1313":        200,
		"[::1]:1313":            200,
		"humas.localhost":       200,
		"attacker.example:1313": http.StatusMisdirectedRequest,
		"192.168.1.10:1313":     http.StatusMisdirectedRequest,
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: status %d, want %d", host, rec.Code, want)
		}
	}
}
