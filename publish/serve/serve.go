// Package serve serves a project's site on the local machine, rebuilds it whenever a
// release, a template or humas.yaml changes, and makes every open page reload itself.
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish/feed"
)

// EventsPath is where pages listen for rebuilds (server-sent events).
const EventsPath = "/_humas/events"

// PreviewPrefix is where the preview page of each release is served: /_preview/<slug>/.
const PreviewPrefix = "/_preview/"

// Builder renders the whole site into dir and returns the previews of its releases.
// dir is empty or holds the build before the last one, so a builder that only
// rewrites what changed (as site.Build does) stays fast. An error fails the build: its text, one
// `file:line: message` a line, is shown in the browser instead of the site.
type Builder func(ctx context.Context, dir string) (Previews, error)

// Previews are the preview pages of one build. They are rendered when asked for,
// not with the build, so a save costs the same with ten releases or a thousand.
type Previews interface {
	Slugs() []string // sorted
	// Page renders the preview of the release with slug; ok is false when there is
	// none. An error is shown in the browser like a failed build.
	Page(slug string) (page []byte, ok bool, err error)
}

// Deferred is implemented by the Previews of a build that leaves files out of its
// folder because they are slow to make (the press kits), to make each the first
// time it is asked for.
type Deferred interface {
	// File returns the site's file at urlPath ("/<slug>/siaran-pers.pdf"); ok is
	// false when the build has none there. An error is shown like a failed build.
	File(urlPath string) (data []byte, ok bool, err error)
}

// Options configure a Server.
type Options struct {
	Build Builder
	// Watch lists the files and folders whose changes trigger a rebuild; folders are
	// watched with everything below them, and a listed path that does not exist yet is
	// picked up when it is created.
	Watch []string
	// Debounce is how long the server waits after a change for more changes before it
	// rebuilds, so an editor's save (often several writes) costs one build.
	Debounce time.Duration
	// Log receives one line per build and per failure.
	Log io.Writer
	// Built, when set, is called after every build is served, failed or not, from
	// the goroutine that built it: a caller (a test, an editor integration) waits
	// on it instead of polling or sleeping. It must return quickly.
	Built func(Event)
}

// Event is one finished build.
type Event struct {
	Gen int   // the build's number, as the events stream announces it
	Err error // nil when the build succeeded; a panic in the builder is an error too
	// Changed are the watched files and folders whose change started the build,
	// sorted; empty for the first build and for a Rebuild call.
	Changed []string
}

// Server serves the latest build and pushes each new build to the open pages.
type Server struct {
	opts Options
	work string // parent of every build folder

	building sync.Mutex // one build at a time

	mu      sync.RWMutex
	current *build
	changed chan struct{} // closed and replaced when current changes
}

// build is one attempt to build the site.
type build struct {
	gen      int // increases with every build, failed or not
	dir      string
	previews Previews
	err      error
	took     time.Duration
}

// New returns a server that has not built anything yet; Run builds and serves.
func New(opts Options) (*Server, error) {
	if opts.Build == nil {
		return nil, errors.New("serve: no builder")
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 100 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	work, err := os.MkdirTemp("", "humas-serve-")
	if err != nil {
		return nil, err
	}
	return &Server{opts: opts, work: work, changed: make(chan struct{})}, nil
}

// Run builds the site, serves it on ln and rebuilds on every change until ctx is done;
// then it stops accepting requests, lets those under way finish, removes its build
// folders and returns nil. ready is called with the address once the first build is
// done and the server accepts requests.
func (s *Server) Run(ctx context.Context, ln net.Listener, ready func(url string)) error {
	defer os.RemoveAll(s.work)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	w, err := newWatcher(s.opts.Watch)
	if err != nil {
		ln.Close()
		return err
	}
	defer w.Close()

	s.rebuild(ctx, nil)

	// stop ends the event streams first: http.Server.Shutdown waits for every
	// request, and an event stream never ends by itself.
	stop := make(chan struct{})
	handler := s.handler(stop)
	if isLoopback(ln.Addr()) {
		handler = loopbackOnly(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(URL(ln.Addr()))
	}

	watching := make(chan struct{})
	go func() {
		defer close(watching)
		w.Run(ctx, s.opts.Debounce, func(changed []string) { s.rebuild(ctx, changed) })
	}()
	// A build under way when ctx ends must finish before its folder is removed.
	defer func() { <-watching }()

	select {
	case err := <-served:
		cancel() // stops the watcher, which the deferred wait needs
		return err
	case <-ctx.Done():
	}
	close(stop)
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}

func isLoopback(addr net.Addr) bool {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackOnly refuses requests addressed to any host name but this machine's. A
// server on loopback is out of other computers' reach, but a web page open in the
// same browser can point its own domain at 127.0.0.1 (DNS rebinding) and read
// embargoed releases and drafts unless the Host header is checked.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		ip := net.ParseIP(host)
		if host == "localhost" || strings.HasSuffix(host, ".localhost") || (ip != nil && ip.IsLoopback()) {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "humas serve answers only to localhost and 127.0.0.1", http.StatusMisdirectedRequest)
	})
}

// URL is the address a person opens for a listener's address: a wildcard bind is
// shown as 127.0.0.1, which works in every browser.
func URL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// Rebuild builds the site and makes the new build the one served; open pages
// reload. A failed build is served too, as a page that shows its error. It is safe to
// call from several goroutines; builds run one at a time.
func (s *Server) Rebuild(ctx context.Context) { s.rebuild(ctx, nil) }

func (s *Server) rebuild(ctx context.Context, changed []string) {
	s.building.Lock()
	defer s.building.Unlock()
	s.mu.RLock()
	gen := 1
	if s.current != nil {
		gen = s.current.gen + 1
	}
	s.mu.RUnlock()

	start := time.Now()
	// Two folders take turns: the one served stays whole while the other is updated.
	b := &build{gen: gen, dir: filepath.Join(s.work, "build-"+strconv.Itoa(gen%2))}
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		b.err = err
	} else {
		b.previews, b.err = s.runBuilder(ctx, b.dir)
	}
	b.took = time.Since(start)
	if b.err != nil {
		fmt.Fprintf(s.opts.Log, "humas: build failed:\n%s\n", indent(b.err.Error()))
	} else {
		fmt.Fprintf(s.opts.Log, "humas: built in %s\n", b.took.Round(time.Millisecond))
	}

	s.mu.Lock()
	s.current = b
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if s.opts.Built != nil {
		s.opts.Built(Event{Gen: b.gen, Err: b.err, Changed: changed})
	}
}

// runBuilder runs the builder, turning a panic into the build's error: a release
// or humas.yaml that crashes a parser must show up in the browser like any other
// mistake, and the server must stay up to serve the fix.
func (s *Server) runBuilder(ctx context.Context, dir string) (p Previews, err error) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(s.opts.Log, "humas: the build crashed: %v\n%s", v, debug.Stack())
			p, err = nil, crashError("building the site", v)
		}
	}()
	return s.opts.Build(ctx, dir)
}

// crashError is what the browser shows of a panic: what crashed, and what to do.
func crashError(doing string, v any) error {
	return fmt.Errorf("humas crashed while %s: %v\n"+
		"this is a bug in humas: the terminal shows where it happened; undo your last change to go on, and please report it with that change", doing, v)
}

// Gen is the number of the build served now, 0 before the first.
func (s *Server) Gen() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.current == nil {
		return 0
	}
	return s.current.gen
}

func (s *Server) snapshot() (*build, <-chan struct{}) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current, s.changed
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

// Handler serves the current build; it is Run's handler, exposed for tests.
func (s *Server) Handler() http.Handler { return s.handler(nil) }

func (s *Server) handler(stop <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+EventsPath, func(w http.ResponseWriter, r *http.Request) { s.events(w, r, stop) })
	mux.HandleFunc("GET "+PreviewPrefix+"{$}", s.previewIndex)
	mux.HandleFunc("GET "+PreviewPrefix+"{slug}/{$}", s.preview)
	mux.HandleFunc("GET "+PreviewPrefix+"{slug}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, PreviewPrefix+r.PathValue("slug")+"/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /", s.site)
	return mux
}

// events streams the number of every new build; the page reloads when the number
// differs from the build it was served from. The current number is sent at once, so
// a build that finished between serving a page and its connecting here is not missed.
func (s *Server) events(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, "retry: 300\n\n")
	for {
		b, changed := s.snapshot()
		if b != nil {
			fmt.Fprintf(w, "data: %d\n\n", b.gen)
		}
		flusher.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-stop:
			return
		}
	}
}

// servable is the build a page request is served from, or nil when the answer (no
// build yet, or the failed build's error page) has been written already.
func (s *Server) servable(w http.ResponseWriter) *build {
	b, _ := s.snapshot()
	if b == nil {
		http.Error(w, "no build yet", http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	if b.err != nil {
		s.failed(w, b)
		return nil
	}
	return b
}

func (s *Server) site(w http.ResponseWriter, r *http.Request) {
	b := s.servable(w)
	if b == nil {
		return
	}
	name := path.Clean("/" + r.URL.Path)
	file := filepath.Join(b.dir, filepath.FromSlash(name))
	if strings.HasSuffix(r.URL.Path, "/") {
		file = filepath.Join(file, "index.html")
	} else if st, err := os.Stat(file); err == nil && st.IsDir() {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		if !s.deferred(w, r, b, name) {
			s.notFound(w, r, b)
		}
		return
	}
	if !strings.HasSuffix(file, ".html") {
		if name == "/"+feed.FileName {
			// The JSON Feed's own media type, which feed readers look for first.
			w.Header().Set("Content-Type", feed.MediaType)
		}
		http.ServeFile(w, r, file)
		return
	}
	page, err := os.ReadFile(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.writeHTML(w, http.StatusOK, page, b.gen)
}

// notFound serves the site's own 404 page when it has one.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, b *build) {
	if page, err := os.ReadFile(filepath.Join(b.dir, "404.html")); err == nil {
		s.writeHTML(w, http.StatusNotFound, page, b.gen)
		return
	}
	s.writeHTML(w, http.StatusNotFound, s.notice("Halaman tidak ditemukan", "Tidak ada halaman di "+r.URL.Path+".", nil), b.gen)
}

// deferred serves the file at name that the build b left to make on request,
// and reports whether it had one.
func (s *Server) deferred(w http.ResponseWriter, r *http.Request, b *build, name string) bool {
	d, ok := b.previews.(Deferred)
	if !ok {
		return false
	}
	data, ok, err := safely(s.opts.Log, "drawing "+name, func() ([]byte, bool, error) { return d.File(name) })
	if err != nil {
		s.failedWith(w, b, err)
		return true
	}
	if !ok {
		return false
	}
	// Served as the file server serves the build's own files: the type from the
	// name, ranges for a PDF viewer.
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(data))
	return true
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	b := s.servable(w)
	if b == nil {
		return
	}
	page, ok, err := s.previewPage(b, r.PathValue("slug"))
	if err != nil {
		s.failedWith(w, b, err)
		return
	}
	if !ok {
		s.writeHTML(w, http.StatusNotFound, s.notice("Pratinjau tidak ditemukan",
			"Tidak ada siaran pers dengan slug "+r.PathValue("slug")+".", nil), b.gen)
		return
	}
	s.writeHTML(w, http.StatusOK, page, b.gen)
}

// previewPage renders one preview; a panic in it is shown like a failed build
// instead of dropping the connection.
func (s *Server) previewPage(b *build, slug string) (page []byte, ok bool, err error) {
	return safely(s.opts.Log, "rendering the preview of "+slug, func() ([]byte, bool, error) { return b.previews.Page(slug) })
}

// safely runs make, something a build left for a request, turning a panic into
// its error: the server stays up to serve the fix, and logs where it happened.
func safely(log io.Writer, doing string, make func() ([]byte, bool, error)) (data []byte, ok bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(log, "humas: crashed while %s: %v\n%s", doing, v, debug.Stack())
			data, ok, err = nil, true, crashError(doing, v)
		}
	}()
	return make()
}

func (s *Server) previewIndex(w http.ResponseWriter, r *http.Request) {
	b := s.servable(w)
	if b == nil {
		return
	}
	s.writeHTML(w, http.StatusOK, s.notice("Pratinjau siaran pers",
		"Pilih siaran pers untuk melihat artikel dan unggahan media sosialnya.", b.previews.Slugs()), b.gen)
}

// failed shows the build's error in place of every page, so the person editing sees
// it where they look, not only in the terminal.
func (s *Server) failed(w http.ResponseWriter, b *build) { s.failedWith(w, b, b.err) }

func (s *Server) failedWith(w http.ResponseWriter, b *build, err error) {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var buf bytes.Buffer
	if err := errorPage.Execute(&buf, lines); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.writeHTML(w, http.StatusInternalServerError, buf.Bytes(), b.gen)
}

func (s *Server) notice(title, text string, previews []string) []byte {
	var buf bytes.Buffer
	noticePage.Execute(&buf, map[string]any{"Title": title, "Text": text, "Previews": previews, "Prefix": PreviewPrefix})
	return buf.Bytes()
}

func (s *Server) writeHTML(w http.ResponseWriter, status int, page []byte, gen int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(InjectReload(page, gen))
}
