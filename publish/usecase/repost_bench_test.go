package usecase_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/repost"
	"github.com/balikpapan/humas/publish/usecase"
)

// network is a city forum served on 127.0.0.1: partners feeds of items each, as
// static hosts serve them (an ETag, 304 to If-None-Match). The first changed
// partners answer 200 every time with a new ETag and the same items, as a site
// rebuilt with nothing new does; the rest answer 304.
type network struct {
	srv            *httptest.Server
	feeds          [][]byte
	changed        int
	ok, notChanged atomic.Int64
}

func newNetwork(tb testing.TB, partners, items, changed int) *network {
	n := &network{changed: changed}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p%d/feed.json", &i); err != nil || i >= len(n.feeds) {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"p%d"`, i)
		if i < n.changed {
			etag = fmt.Sprintf(`"p%d-%d"`, i, time.Now().UnixNano())
		}
		if r.Header.Get("If-None-Match") == etag {
			n.notChanged.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		n.ok.Add(1)
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", feed.MediaType)
		w.Write(n.feeds[i])
	}))
	tb.Cleanup(n.srv.Close)
	for p := range partners {
		f := &feed.Feed{Version: feed.Version, Title: fmt.Sprintf("Kantor %d", p)}
		for i := range items {
			u := fmt.Sprintf("%s/p%d/rilis-%d/", n.srv.URL, p, i)
			f.Items = append(f.Items, feed.Item{ID: u, URL: u, Title: fmt.Sprintf("Siaran pers %d kantor %d tentang tahapan pemilu", i, p),
				Summary: "Ringkasan satu kalimat tentang kegiatan kantor.", ContentHTML: "<p>" + strings.Repeat("Isi siaran pers. ", 60) + "</p>",
				DatePublished: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour).Format(time.RFC3339),
				Tags:          []string{"pemilu-2024", "kehumasan"},
				Humas: &feed.Humas{Version: 1, Issuer: fmt.Sprintf("kantor-%d", p), IssuerName: fmt.Sprintf("Kantor %d", p), Classification: "berkala", Kind: "siaran-pers",
					Posts: []feed.Post{{Account: fmt.Sprintf("kantor-%d", p), Platform: "x", ID: fmt.Sprint(1400000 + i), URL: fmt.Sprintf("https://x.com/k%d/status/%d", p, 1400000+i)}}}})
		}
		b, err := feed.Encode(f)
		if err != nil {
			tb.Fatal(err)
		}
		n.feeds = append(n.feeds, b)
	}
	return n
}

// forum is a Diskominfo project with every partner of n, every item of which its
// ledger already holds as reposted on X and Facebook.
func forum(tb testing.TB, n *network, partners, items int) *project.Project {
	root := tb.TempDir()
	var yaml strings.Builder
	yaml.WriteString("site: {base_url: https://diskominfo.balikpapan.go.id/}\naccounts:\n  diskominfo:\n    name: Diskominfo Kota Balikpapan\n    x: {username: diskominfobpp}\n    facebook: {page_id: \"100000000000001\"}\npartners:\n")
	for p := range partners {
		fmt.Fprintf(&yaml, "  kantor-%d:\n    name: Kantor %d\n    feed: %s/p%d/feed.json\n    repost: [x, facebook]\n", p, p, n.srv.URL, p)
	}
	write(tb, root, map[string]string{"humas.yaml": yaml.String()})
	store := ledger.Open(root)
	for p := range partners {
		for i := range items {
			u := fmt.Sprintf("%s/p%d/rilis-%d/", n.srv.URL, p, i)
			key := repost.Key(fmt.Sprintf("kantor-%d", p), u)
			rec := &ledger.Record{ID: key, Slug: key, File: u, URL: u, Targets: map[string]*ledger.Target{
				"diskominfo/x":        {State: ledger.Posted, ID: fmt.Sprint(9000000 + i), Attempts: 1},
				"diskominfo/facebook": {State: ledger.Posted, ID: fmt.Sprintf("100000000000001_%d", i), Attempts: 1},
			}}
			if err := store.Save(rec); err != nil {
				tb.Fatal(err)
			}
		}
	}
	proj, err := project.Open(root)
	if err != nil {
		tb.Fatal(err)
	}
	return proj
}

// BenchmarkRepostNothingNew is the scheduled run of an office in a forum of 50
// partners whose feeds hold 100 releases each, every one reposted already: 45
// feeds answer 304 to the validators of the last run, 5 were rebuilt with nothing
// new and answer 200. Nothing is posted (no credential is even set).
func BenchmarkRepostNothingNew(b *testing.B) {
	const partners, items, changed = 50, 100, 5
	n := newNetwork(b, partners, items, changed)
	p := forum(b, n, partners, items)
	req := usecase.RepostRequest{Getenv: func(string) string { return "" }}
	run := func() {
		res, err := usecase.Repost(context.Background(), p, req)
		if err != nil || res.Failed() {
			b.Fatalf("repost: %v %+v", err, res.Partners)
		}
		if len(res.Result.Releases) != 0 {
			b.Fatalf("%d releases in the result, want none: %+v", len(res.Result.Releases), res.Result.Releases[0])
		}
	}
	run() // the first run keeps every feed's validators and items
	n.ok.Store(0)
	n.notChanged.Store(0)
	b.ResetTimer()
	for b.Loop() {
		run()
	}
	b.StopTimer()
	if got := n.notChanged.Load(); got != int64(b.N*(partners-changed)) {
		b.Fatalf("%d answers 304, want %d", got, b.N*(partners-changed))
	}
}
