package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/release"
)

// fault is what the fake platform does with one Post call.
type fault struct {
	err    error
	record bool // the platform keeps the post even though the caller gets err
}

var (
	unavailable = &publish.Error{Platform: "x", Op: "post", Status: 503, Message: "service unavailable", Kind: publish.Transient}
	rateLimited = &publish.Error{Platform: "x", Op: "post", Status: 429, Message: "too many requests", Kind: publish.Transient, RetryAfter: time.Second}
	expired     = &publish.Error{Platform: "x", Op: "post", Status: 401, Message: "token expired", Kind: publish.Permanent}
	duplicate   = &publish.Error{Platform: "x", Op: "post", Status: 403, Code: "187", Message: "status is a duplicate", Kind: publish.Permanent, Duplicate: true}
	dropped     = &publish.Error{Platform: "x", Op: "post", Message: "connection reset by peer", Kind: publish.Transient}
)

// fakePoster is one account on an in-memory platform.
type fakePoster struct {
	key   string
	clock *sequence

	mu        sync.Mutex
	script    []fault // consumed one per Post call
	findErr   error
	posts     []publish.Post
	sends     int   // Post calls, successful or not
	finds     int   // Find calls
	sentAt    []int // global sequence number of each Post call
	quoteSeen []string
}

type sequence struct{ n atomic.Int64 }

func (p *fakePoster) Post(ctx context.Context, post publish.Post) (publish.Receipt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sends++
	p.sentAt = append(p.sentAt, int(p.clock.n.Add(1)))
	var f fault
	if len(p.script) > 0 {
		f, p.script = p.script[0], p.script[1:]
	}
	if f.err != nil && !f.record {
		return publish.Receipt{}, f.err
	}
	p.posts = append(p.posts, post)
	p.quoteSeen = append(p.quoteSeen, post.Quote)
	if f.err != nil {
		return publish.Receipt{}, f.err
	}
	return p.receipt(len(p.posts) - 1), nil
}

func (p *fakePoster) receipt(i int) publish.Receipt {
	id := fmt.Sprintf("%s-%d", strings.ReplaceAll(p.key, "/", "-"), i+1)
	return publish.Receipt{ID: id, URL: "https://example.test/" + id}
}

func (p *fakePoster) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finds++
	if p.findErr != nil {
		return publish.Receipt{}, false, p.findErr
	}
	for i, post := range p.posts {
		if post.Link == link {
			return p.receipt(i), true, nil
		}
	}
	return publish.Receipt{}, false, nil
}

func (p *fakePoster) Verify(ctx context.Context) (string, error) { return p.key, nil }

func (p *fakePoster) counts() (sends, posts, finds int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sends, len(p.posts), p.finds
}

// fakeClock advances only when slept on.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// world is a project folder and the platforms it posts to.
type world struct {
	t       testing.TB
	root    string
	clock   *fakeClock
	seq     sequence
	mu      sync.Mutex
	posters map[string]*fakePoster
	missing map[string]bool // account/platform whose credentials are not set
	made    atomic.Int64    // factory calls
}

var now = time.Date(2021, 6, 9, 13, 0, 0, 0, time.FixedZone("WITA", 8*3600))

func newWorld(t testing.TB) *world {
	return &world{t: t, root: t.TempDir(), clock: &fakeClock{now: now}, posters: map[string]*fakePoster{}, missing: map[string]bool{}}
}

// on returns the fake account account/platform, creating it.
func (w *world) on(account, platform string) *fakePoster {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := account + "/" + platform
	if w.posters[k] == nil {
		w.posters[k] = &fakePoster{key: k, clock: &w.seq}
	}
	return w.posters[k]
}

func (w *world) factory(account, platform string) (publish.Poster, error) {
	w.made.Add(1)
	if w.missing[account+"/"+platform] {
		return nil, &publish.MissingCredentialsError{Account: account, Platform: platform,
			Vars: []string{publish.EnvName(account, strings.ToUpper(platform)+"_PAGE_TOKEN")}}
	}
	return w.on(account, platform), nil
}

func (w *world) options() Options {
	return Options{
		Root:      w.root,
		NewPoster: w.factory,
		Now:       w.clock.Now,
		Clock:     w.clock,
		Jitter:    func() float64 { return 0.5 },
	}
}

func (w *world) run(mode Mode, jobs []Job, change ...func(*Options)) (Result, error) {
	w.t.Helper()
	o := w.options()
	for _, c := range change {
		c(&o)
	}
	return New(o).Run(context.Background(), mode, jobs)
}

func (w *world) record(slug string) *ledger.Record {
	w.t.Helper()
	return recordOf(w.t, w.root, slug)
}

// recordOf is the ledger record of the release whose slug is slug, or an empty one.
func recordOf(t testing.TB, root, slug string) *ledger.Record {
	t.Helper()
	recs, err := ledger.Open(root).All()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Slug == slug {
			return r
		}
	}
	return &ledger.Record{Slug: slug, Targets: map[string]*ledger.Target{}}
}

// tree lists every file under .humas with its content, to prove a run changed nothing.
func (w *world) tree() map[string]string {
	w.t.Helper()
	out := map[string]string{}
	dir := filepath.Join(w.root, ".humas")
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(w.root, path)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(path)
		out[rel] = string(data)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		w.t.Fatal(err)
	}
	return out
}

const articleURL = "https://humas.balikpapan.go.id/sinergi/"

// sinergi is a KPU release reposted by Diskominfo, on X and Facebook.
func sinergi() Job {
	return Job{
		File:           "releases/2021-06-09-sinergi.md",
		Slug:           "sinergi",
		URL:            articleURL,
		Classification: release.Berkala,
		Date:           now,
		Targets: []Target{
			{Account: "diskominfo", AccountName: "Diskominfo Kota Balikpapan", Platform: publish.X, Text: "Komentar " + articleURL, Length: 32, Limit: 280, Quote: true,
				Fallback: "KPU dan Diskominfo bersinergi " + articleURL + " Sumber: KPU Kota Balikpapan", FallbackLength: 80},
			{Account: "diskominfo", AccountName: "Diskominfo Kota Balikpapan", Platform: publish.Facebook, Text: "KPU dan Diskominfo bersinergi\n\nSumber: KPU Kota Balikpapan", Length: 55, Limit: 63206, Link: articleURL},
			{Account: "kpu", AccountName: "KPU Kota Balikpapan", Platform: publish.X, Issuer: true, Text: "KPU dan Diskominfo bersinergi " + articleURL, Length: 53, Limit: 280,
				Image: &publish.Image{Name: "audiensi.jpg", Data: []byte("jpeg"), Alt: "Ketua KPU"}},
			{Account: "kpu", AccountName: "KPU Kota Balikpapan", Platform: publish.Facebook, Issuer: true, Text: "KPU dan Diskominfo bersinergi", Length: 29, Limit: 63206, Link: articleURL},
		},
	}
}

var allTargets = []string{"diskominfo/x", "diskominfo/facebook", "kpu/x", "kpu/facebook"}

func statuses(r Result) map[string]string {
	out := map[string]string{}
	for _, rel := range r.Releases {
		for _, t := range rel.Targets {
			out[rel.Slug+":"+t.Account+"/"+t.Platform] = t.Status
		}
	}
	return out
}

func target(t *testing.T, r Result, key string) TargetResult {
	t.Helper()
	for _, rel := range r.Releases {
		for _, tr := range rel.Targets {
			if tr.Account+"/"+tr.Platform == key {
				return tr
			}
		}
	}
	t.Fatalf("no target %s in %+v", key, r)
	return TargetResult{}
}

// wantPosts asserts how many Post calls each account got and how many posts it holds.
func (w *world) wantPosts(t *testing.T, want map[string][2]int) {
	t.Helper()
	for _, k := range allTargets {
		a, p, _ := strings.Cut(k, "/")
		sends, posts, _ := w.on(a, p).counts()
		if got := [2]int{sends, posts}; got != want[k] {
			t.Errorf("%s: %d sends, %d posts on the platform; want %d, %d", k, sends, posts, want[k][0], want[k][1])
		}
	}
}

var onceEach = map[string][2]int{"diskominfo/x": {1, 1}, "diskominfo/facebook": {1, 1}, "kpu/x": {1, 1}, "kpu/facebook": {1, 1}}

var _ = config.Blackout{}
