package repost

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/feed"
)

// feedFor is a valid humas feed of n items whose articles live under base.
func feedFor(base string, n int) []byte {
	f := &feed.Feed{Version: feed.Version, Title: "Siaran Pers KPU"}
	for i := range n {
		u := fmt.Sprintf("%s/rilis-%d/", base, i)
		f.Items = append(f.Items, feed.Item{ID: u, URL: u, Title: fmt.Sprintf("Rilis %d", i), ContentText: "isi",
			DatePublished: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour).Format(time.RFC3339),
			Humas:         &feed.Humas{Version: 1, Issuer: "kpu", IssuerName: "KPU Kota Balikpapan", Classification: "berkala", Kind: "siaran-pers", Posts: []feed.Post{}}})
	}
	b, _ := feed.Encode(f)
	return b
}

// partnerSite serves a feed as a static host does: an ETag, 304 to If-None-Match.
type partnerSite struct {
	srv      *httptest.Server
	body     atomic.Pointer[[]byte]
	requests atomic.Int32
	conds    atomic.Int32 // requests that came with If-None-Match
}

func newPartnerSite(t *testing.T) *partnerSite {
	s := &partnerSite{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		body := *s.body.Load()
		etag := fmt.Sprintf(`"%x"`, len(body))
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			s.conds.Add(1)
			if inm == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(s.srv.Close)
	b := feedFor(s.srv.URL, 3)
	s.body.Store(&b)
	return s
}

func TestAnUnchangedFeedAnswers304AndItsItemsStand(t *testing.T) {
	site := newPartnerSite(t)
	root := t.TempDir()
	f := &Fetcher{}
	partners := []config.Partner{{Key: "kpu", Name: "KPU", Feed: site.srv.URL + "/feed.json"}}
	now := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)

	first := f.Read(context.Background(), root, partners, now)[0]
	if first.Err != nil || len(first.Items) != 3 || first.Fetched.NotModified {
		t.Fatalf("first read: %+v", first)
	}
	if err := SaveState(root, "kpu", first.State); err != nil {
		t.Fatal(err)
	}
	second := f.Read(context.Background(), root, partners, now)[0]
	if second.Err != nil || !second.Fetched.NotModified || len(second.Items) != 3 || second.Items[0].URL != first.Items[0].URL {
		t.Fatalf("second read: %+v", second)
	}
	if site.conds.Load() != 1 {
		t.Errorf("%d conditional requests, want 1", site.conds.Load())
	}
	// A changed feed answers 200 to the same validators.
	b := feedFor(site.srv.URL, 5)
	site.body.Store(&b)
	third := f.Read(context.Background(), root, partners, now)[0]
	if third.Err != nil || third.Fetched.NotModified || len(third.Items) != 5 {
		t.Fatalf("third read: %+v", third)
	}
}

func TestAStateSavedTwiceUnchangedIsNotRewritten(t *testing.T) {
	root := t.TempDir()
	st := &State{Feed: "https://kpu.example/feed.json", ETag: `"1"`, Items: []Item{{URL: "https://kpu.example/a/", Title: "A"}}}
	if err := SaveState(root, "kpu", st); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(root, filepath.FromSlash(StatePath("kpu")))
	old := time.Now().Add(-time.Hour)
	os.Chtimes(name, old, old)
	if err := SaveState(root, "kpu", st); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(name); !fi.ModTime().Equal(old) {
		t.Error("an unchanged state was written again")
	}
	back, err := LoadState(root, "kpu")
	if err != nil || back.ETag != `"1"` || back.Items[0].Title != "A" {
		t.Fatalf("read back %+v, %v", back, err)
	}
	os.WriteFile(name, []byte(`{"feed": `), 0o644)
	var de *DamagedError
	if _, err := LoadState(root, "kpu"); !errors.As(err, &de) || !strings.Contains(err.Error(), "git checkout -- .humas/partners/kpu.json") {
		t.Fatalf("damaged state: %v", err)
	}
}

func TestFetchRefusals(t *testing.T) {
	valid := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", feed.MediaType)
		w.Write(feedFor("http://"+r.Host, 1))
	}
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		url     func(base string) string
		limit   int64
		want    string
	}{
		{"a valid feed", valid, nil, 0, ""},
		{"down", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "x", http.StatusServiceUnavailable) }, nil, 0, "HTTP 503 Service Unavailable"},
		{"not found", http.NotFound, nil, 0, "HTTP 404 Not Found"},
		{"an HTML page (a captive portal, an error page)", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>"))
		}, nil, 0, `served a web page (text/html), not a JSON Feed`},
		{"larger than the limit, announced", valid, nil, 100, "more than the 100 bytes a feed may be"},
		{"larger than the limit, unannounced", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", feed.MediaType)
			for range 20 {
				w.Write([]byte(strings.Repeat(" ", 64)))
				w.(http.Flusher).Flush()
			}
		}, nil, 1000, "more than the 1000 bytes"},
		{"malformed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"version": 1`)) }, nil, 0, "not a valid humas feed: not JSON"},
		{"plain http to another host, before any request", valid, func(string) string { return "http://kpu.example/feed.json" }, 0, "is plain http"},
		{"a redirect to plain http elsewhere", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://kpu.example/feed.json", http.StatusFound)
		}, nil, 0, "redirected to an address that is plain http"},
		{"an item linking another site", func(w http.ResponseWriter, r *http.Request) {
			w.Write(feedFor("https://evil.example", 1))
		}, nil, 0, "not on the feed's site"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			u := srv.URL + "/feed.json"
			if tc.url != nil {
				u = tc.url(srv.URL)
			}
			f := &Fetcher{Limit: tc.limit}
			got := f.Read(context.Background(), t.TempDir(), []config.Partner{{Key: "kpu", Feed: u}}, time.Now())[0]
			switch {
			case tc.want == "" && got.Err != nil:
				t.Fatal(got.Err)
			case tc.want != "" && (got.Err == nil || !strings.Contains(got.Err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", got.Err, tc.want)
			}
		})
	}
}

// What the partner's server says of itself reaches our messages: a name in its TLS
// certificate is printed by Go's error ("certificate is valid for …"), and may
// hold line breaks. A line of the partner's choosing in repost's output is a
// workflow command in the CI log of the job that holds our credentials.
func TestAPartnersWordsStartNoLineOfOurs(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kpu"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"kpu.example\n::error title=humas::every partner read\r::stop-commands::x"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	_, err = (&Fetcher{}).Fetch(context.Background(), "https://localhost:"+port+"/feed.json", nil)
	if err == nil {
		t.Fatal("want the certificate refused")
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("the partner's words start a line of ours: %q", msg)
	}
}

// A carriage return is a line break to some readers and none to others: in a
// terminal it writes over the line (what --dry-run shows is not what is read), and
// the Actions runner starts a line there. Our own releases may hold none; a
// partner's text gets line feeds instead.
func TestAPartnersCarriageReturnsBecomeLineFeeds(t *testing.T) {
	text := "isi\r::error::palsu\r\nbaris dua"
	it := ItemOf(feed.Item{URL: "https://kpu.example/a/", Title: "Judul\rpalsu", Summary: text, Tags: []string{"pemilu\r"},
		DatePublished: "2024-03-01T09:00:00+08:00", Humas: &feed.Humas{Version: 1}})
	for _, s := range append([]string{it.Title, it.Summary}, it.Tags...) {
		if strings.Contains(s, "\r") {
			t.Errorf("%q keeps a carriage return", s)
		}
	}
	if it.Summary != "isi\n::error::palsu\nbaris dua" {
		t.Errorf("summary %q, want its lines kept as line feeds", it.Summary)
	}
	it = ItemOf(feed.Item{URL: "https://kpu.example/a/", ContentText: text, DatePublished: "2024-03-01T09:00:00+08:00", Humas: &feed.Humas{Version: 1}})
	if strings.Contains(it.Summary, "\r") {
		t.Errorf("summary from content_text %q keeps a carriage return", it.Summary)
	}
}

// A partner's validators are kept in .humas/partners, which CI commits every run:
// an ETag or Last-Modified of megabytes (net/http takes headers up to 10 MB), new
// each run, would grow our repository by as much each time. Such validators are
// not kept, and the feed is read unconditionally next time.
func TestHugeValidatorsAreNotKept(t *testing.T) {
	huge := `"` + strings.Repeat("e", 1<<20) + `"`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", huge)
		w.Header().Set("Last-Modified", strings.Repeat("Fri, 01 Mar 2024 ", 1<<15))
		w.Header().Set("Content-Type", feed.MediaType)
		w.Write(feedFor("http://"+r.Host, 1))
	}))
	defer srv.Close()
	root := t.TempDir()
	got := (&Fetcher{}).Read(context.Background(), root, []config.Partner{{Key: "kpu", Feed: srv.URL + "/feed.json"}}, time.Now())[0]
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	if err := SaveState(root, "kpu", got.State); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(root, StateDir, "kpu.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 16<<10 {
		t.Errorf("the state of a one-item feed is %d bytes: the partner's validators were kept", fi.Size())
	}
}

// A feed that never answers is given up at its deadline, and the other partners
// are read meanwhile.
func TestAHangingFeedTimesOutAloneAndTheOthersAreRead(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	good := newPartnerSite(t)
	f := &Fetcher{Timeout: 200 * time.Millisecond}
	got := f.Read(context.Background(), t.TempDir(), []config.Partner{
		{Key: "lambat", Feed: hang.URL + "/feed.json"}, {Key: "kpu", Feed: good.srv.URL + "/feed.json"},
	}, time.Now())
	if got[0].Err == nil || !strings.Contains(got[0].Err.Error(), "no answer within 200ms") {
		t.Errorf("hanging feed: %v", got[0].Err)
	}
	if got[1].Err != nil || len(got[1].Items) != 3 {
		t.Errorf("the other partner: %+v", got[1])
	}
}

func TestKeyNamesALedgerRecordByTheItemsURL(t *testing.T) {
	a, b := Key("kpu", "https://kpu.example/a/"), Key("kpu", "https://kpu.example/b/")
	if a == b || a != Key("kpu", "https://kpu.example/a/") || !strings.HasPrefix(a, "mitra.kpu.") || strings.ContainsAny(a, `/\`) {
		t.Fatalf("keys %q %q", a, b)
	}
}
