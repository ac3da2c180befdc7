package pipeline_test

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/facebook"
	"github.com/balikpapan/humas/publish/facebook/fbfake"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/x"
	"github.com/balikpapan/humas/publish/x/xfake"
	"github.com/balikpapan/humas/templates"
)

const link = "https://humas.balikpapan.go.id/sinergi/"

// platforms is an xfake and an fbfake holding the two institutions' accounts, and
// the environment that holds their credentials.
type platforms struct {
	x   *xfake.Server
	fb  *fbfake.Server
	env map[string]string
}

var (
	usernames = map[string]string{"kpu": "kpubalikpapan", "diskominfo": "diskominfobpp"}
	pageIDs   = map[string]string{"kpu": "100000000000002", "diskominfo": "100000000000001"}
)

func newPlatforms(t *testing.T) *platforms {
	p := &platforms{x: xfake.New(), fb: fbfake.New(), env: map[string]string{}}
	t.Cleanup(p.x.Close)
	t.Cleanup(p.fb.Close)
	p.env["HUMAS_X_API_URL"], p.env["HUMAS_FACEBOOK_GRAPH_URL"] = p.x.URL, p.fb.URL
	for _, acc := range []string{"kpu", "diskominfo"} {
		a := xfake.Account{Username: usernames[acc], APIKey: acc + "-key-Q1", APISecret: acc + "-secret-Q2", AccessToken: acc + "-token-Q3", AccessSecret: acc + "-access-Q4"}
		p.x.AddAccount(a)
		p.env[publish.EnvName(acc, "X_API_KEY")] = a.APIKey
		p.env[publish.EnvName(acc, "X_API_SECRET")] = a.APISecret
		p.env[publish.EnvName(acc, "X_ACCESS_TOKEN")] = a.AccessToken
		p.env[publish.EnvName(acc, "X_ACCESS_SECRET")] = a.AccessSecret
		p.fb.AddPage(fbfake.Page{ID: pageIDs[acc], Name: acc, Token: acc + "-page-token-Z9"})
		p.env[publish.EnvName(acc, "FACEBOOK_PAGE_TOKEN")] = acc + "-page-token-Z9"
	}
	return p
}

// factory is what the CLI's factory does: build the adapter from the environment,
// through the platform's registry value.
func (p *platforms) factory(account, name string) (publish.Poster, error) {
	getenv := func(k string) string { return p.env[k] }
	switch name {
	case publish.X:
		acc := platform.Account{Key: account, Platform: name, Settings: map[string]string{"username": usernames[account]}}
		return x.Platform.Open(acc, getenv, "")
	case publish.Facebook:
		acc := platform.Account{Key: account, Platform: name, Settings: map[string]string{"page_id": pageIDs[account]}}
		return facebook.Platform.Open(acc, getenv, "")
	}
	return nil, nil
}

func (p *platforms) requests() int { return p.x.Requests() + p.fb.Requests() }

// counts is how many posts each target has on the fakes.
func (p *platforms) counts() map[string]int {
	out := map[string]int{}
	for _, acc := range []string{"kpu", "diskominfo"} {
		out[acc+"/x"] = len(p.x.Posts(usernames[acc]))
		out[acc+"/facebook"] = len(p.fb.Posts(pageIDs[acc]))
	}
	return out
}

var onceEach = map[string]int{"kpu/x": 1, "kpu/facebook": 1, "diskominfo/x": 1, "diskominfo/facebook": 1}

// sleeper is a clock that does not sleep, so retries are instant.
type sleeper struct {
	mu  sync.Mutex
	now time.Time
}

func (s *sleeper) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = s.now.Add(d)
	return ctx.Err()
}

func job() pipeline.Job {
	return pipeline.Job{
		File: "releases/2021-06-09-sinergi.md", Slug: "sinergi", URL: link, Classification: release.Berkala,
		Targets: []pipeline.Target{
			{Account: "kpu", Platform: publish.X, Issuer: true, Text: "KPU dan Diskominfo bersinergi tangkal hoaks pemilu " + link, Length: 75, Limit: 280},
			{Account: "kpu", Platform: publish.Facebook, Issuer: true, Text: "KPU dan Diskominfo bersinergi tangkal hoaks pemilu", Length: 50, Limit: 63206, Link: link},
			{Account: "diskominfo", Platform: publish.X, Text: "Mari tangkal hoaks bersama " + link, Length: 51, Limit: 280, Quote: true,
				Fallback: "KPU dan Diskominfo bersinergi " + link + " Sumber: KPU Kota Balikpapan", FallbackLength: 80},
			{Account: "diskominfo", Platform: publish.Facebook, Text: "KPU dan Diskominfo bersinergi\n\nSumber: KPU Kota Balikpapan", Length: 58, Limit: 63206, Link: link},
		},
	}
}

func run(t *testing.T, p *platforms, root string, change ...func(*pipeline.Options)) pipeline.Result {
	t.Helper()
	o := pipeline.Options{Root: root, NewPoster: p.factory, Clock: &sleeper{now: time.Now()}, RequestTimeout: 2 * time.Second}
	for _, c := range change {
		c(&o)
	}
	res, err := pipeline.New(o).Run(context.Background(), pipeline.Explicit, []pipeline.Job{job()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func status(res pipeline.Result) map[string]string {
	out := map[string]string{}
	for _, tr := range res.Releases[0].Targets {
		out[tr.Account+"/"+tr.Platform] = tr.Status
	}
	return out
}

func TestAgainstFakePlatforms(t *testing.T) {
	t.Run("both institutions post once and the partner quotes the issuer on X", func(t *testing.T) {
		p := newPlatforms(t)
		root := t.TempDir()
		res := run(t, p, root)
		if got := p.counts(); !maps.Equal(got, onceEach) {
			t.Fatalf("posts %v, want one each; result %+v", got, res)
		}
		issuer := p.x.Posts("kpubalikpapan")[0]
		if q := p.x.Posts("diskominfobpp")[0].QuoteID; q != issuer.ID {
			t.Errorf("diskominfo quotes %q, want the issuer's %s", q, issuer.ID)
		}
		recs, err := ledger.Open(root).All()
		if err != nil || len(recs) != 1 {
			t.Fatalf("ledger: %d records, %v", len(recs), err)
		}
		rec := recs[0]
		if lt := rec.Target("kpu", "x"); lt.ID != issuer.ID || !strings.Contains(lt.URL, "kpubalikpapan/status/"+issuer.ID) {
			t.Errorf("ledger kpu/x = %+v", lt)
		}

		before := p.requests()
		res = run(t, p, root)
		if n := p.requests() - before; n != 0 {
			t.Errorf("a re-run made %d requests, want none", n)
		}
		for k, s := range status(res) {
			if s != pipeline.StatusAlreadyPosted {
				t.Errorf("%s: %s on re-run", k, s)
			}
		}
	})

	faults := []struct {
		name   string
		fault  postertest.Fault
		n      int
		status string
		posts  int
	}{
		{"503 twice then success", postertest.Unavailable, 2, pipeline.StatusPosted, 1},
		{"429 with a reset a second away", postertest.RateLimited, 1, pipeline.StatusPosted, 1},
		{"a connection dropped after the platform recorded the post", postertest.DropAfterRecord, 1, pipeline.StatusPosted, 1},
		{"an expired token", postertest.Unauthorized, 1, pipeline.StatusFailed, 0},
		{"a server that hangs", postertest.Hang, 1, pipeline.StatusPosted, 1},
	}
	for _, platform := range []string{publish.X, publish.Facebook} {
		for _, f := range faults {
			t.Run(platform+": "+f.name+" leaves "+f.status+" and no duplicate", func(t *testing.T) {
				p := newPlatforms(t)
				if platform == publish.X {
					p.x.Fail("kpubalikpapan", f.fault, f.n)
				} else {
					p.fb.Fail(pageIDs["kpu"], f.fault, f.n)
				}
				res := run(t, p, t.TempDir(), func(o *pipeline.Options) { o.RequestTimeout = 300 * time.Millisecond })
				want := maps.Clone(onceEach)
				want["kpu/"+platform] = f.posts
				if got := p.counts(); !maps.Equal(got, want) {
					t.Errorf("posts %v, want %v", got, want)
				}
				st := status(res)
				if st["kpu/"+platform] != f.status {
					t.Errorf("kpu/%s: %s, want %s (%+v)", platform, st["kpu/"+platform], f.status, res.Releases[0].Targets)
				}
				for k, s := range st {
					if k != "kpu/"+platform && s != pipeline.StatusPosted {
						t.Errorf("%s: %s, want posted regardless", k, s)
					}
				}
			})
		}
	}

	t.Run("when the issuer's X post is refused the partner credits it without quoting", func(t *testing.T) {
		p := newPlatforms(t)
		p.x.Fail("kpubalikpapan", postertest.Unauthorized, 1)
		run(t, p, t.TempDir())
		d := p.x.Posts("diskominfobpp")
		if len(d) != 1 || d[0].QuoteID != "" || !strings.Contains(d[0].Text, "Sumber: KPU Kota Balikpapan") {
			t.Errorf("diskominfo posted %+v, want one unquoted post crediting KPU", d)
		}
	})

	t.Run("a missing credential fails its target, names the variable, and the others post", func(t *testing.T) {
		p := newPlatforms(t)
		delete(p.env, "HUMAS_DISKOMINFO_X_ACCESS_SECRET")
		res := run(t, p, t.TempDir())
		want := maps.Clone(onceEach)
		want["diskominfo/x"] = 0
		if got := p.counts(); !maps.Equal(got, want) {
			t.Errorf("posts %v, want %v", got, want)
		}
		for _, tr := range res.Releases[0].Targets {
			if tr.Account == "diskominfo" && tr.Platform == publish.X && tr.Error != "diskominfo/x: HUMAS_DISKOMINFO_X_ACCESS_SECRET is not set" {
				t.Errorf("error %q", tr.Error)
			}
		}
	})

	t.Run("a duplicate refusal is permanent", func(t *testing.T) {
		p := newPlatforms(t)
		p.fb.FailCode(pageIDs["diskominfo"], 400, 506, 1)
		res := run(t, p, t.TempDir())
		if st := status(res); st["diskominfo/facebook"] != pipeline.StatusFailed {
			t.Errorf("statuses %v", st)
		}
		if got := p.counts()["diskominfo/facebook"]; got != 0 {
			t.Errorf("%d posts after a duplicate refusal", got)
		}
	})

	t.Run("a post left pending by a killed run is adopted from the platform", func(t *testing.T) {
		p := newPlatforms(t)
		root := t.TempDir()
		// The killed run got as far as sending.
		c, _ := p.factory("kpu", publish.Facebook)
		sent, err := c.Post(context.Background(), publish.Post{Text: job().Targets[1].Text, Link: link})
		if err != nil {
			t.Fatal(err)
		}
		rec := &ledger.Record{ID: "2021-06-09-sinergi", File: job().File, Slug: "sinergi", Targets: map[string]*ledger.Target{"kpu/facebook": {State: ledger.Pending, Attempts: 1}}}
		if err := ledger.Open(root).Save(rec); err != nil {
			t.Fatal(err)
		}
		res := run(t, p, root)
		if got := p.counts(); !maps.Equal(got, onceEach) {
			t.Errorf("posts %v, want one each", got)
		}
		for _, tr := range res.Releases[0].Targets {
			if tr.Account == "kpu" && tr.Platform == publish.Facebook && (tr.ID != sent.ID || tr.Note != "adopted") {
				t.Errorf("kpu/facebook = %+v, want %s adopted", tr, sent.ID)
			}
		}
	})

	t.Run("a dry run sends no request", func(t *testing.T) {
		p := newPlatforms(t)
		res := run(t, p, t.TempDir(), func(o *pipeline.Options) { o.DryRun = true })
		if n := p.requests(); n != 0 {
			t.Errorf("%d requests in a dry run", n)
		}
		for k, s := range status(res) {
			if s != pipeline.StatusDryRun {
				t.Errorf("%s: %s", k, s)
			}
		}
	})

	t.Run("doctor verifies each account read-only", func(t *testing.T) {
		p := newPlatforms(t)
		pl := pipeline.New(pipeline.Options{Root: t.TempDir(), NewPoster: p.factory})
		for _, platform := range []string{publish.X, publish.Facebook} {
			if name, err := pl.Verify(context.Background(), "kpu", platform); err != nil || name == "" {
				t.Errorf("verify kpu/%s = %q, %v", platform, name, err)
			}
		}
		if got := p.counts(); got["kpu/x"]+got["kpu/facebook"] != 0 {
			t.Error("verify posted")
		}
	})
}

func testAccount(key, name string) config.Account {
	return config.Account{Key: key, Name: name, Platforms: []platform.Account{
		{Key: key, Platform: publish.X, Settings: map[string]string{"username": usernames[key]}},
		{Key: key, Platform: publish.Facebook, Settings: map[string]string{"page_id": pageIDs[key]}},
	}}
}

func TestComposedReleaseAgainstFakePlatforms(t *testing.T) {
	cfg := &config.Config{
		Site:      config.Site{Title: "Siaran Pers", BaseURL: "https://humas.balikpapan.go.id/", Language: "id", Timezone: "Asia/Makassar"},
		Accounts:  []config.Account{testAccount("diskominfo", "Diskominfo Kota Balikpapan"), testAccount("kpu", "KPU Kota Balikpapan")},
		Platforms: all.Platforms(),
	}
	r := &release.Release{
		File: "releases/2021-06-09-sinergi.md", Slug: "sinergi", Title: "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
		Date: time.Date(2021, 6, 9, 13, 0, 0, 0, time.FixedZone("WITA", 8*3600)), Issuer: "kpu",
		Classification: release.Berkala, Kind: release.SiaranPers, Tags: []string{"pemilu-2024", "kehumasan"},
		Summary: strings.Repeat("KPU Kota Balikpapan dan Diskominfo sepakat bekerja sama menangkal hoaks pemilu di media sosial. ", 4),
	}
	composed, err := compose.ComposeWith(cfg, templates.FS, r)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := pipeline.FromCompose(t.TempDir(), composed)
	if err != nil {
		t.Fatal(err)
	}
	publishWith := func(t *testing.T, p *platforms) map[string]string {
		o := pipeline.Options{Root: t.TempDir(), NewPoster: p.factory, Clock: &sleeper{now: time.Now()}}
		job := pipeline.NewJob(r, cfg.ArticleURL(r.Slug), targets)
		res, err := pipeline.New(o).Run(context.Background(), pipeline.Explicit, []pipeline.Job{job})
		if err != nil {
			t.Fatal(err)
		}
		return status(res)
	}

	t.Run("the partner quotes the issuer with the composed repost line", func(t *testing.T) {
		p := newPlatforms(t)
		if got := publishWith(t, p); !maps.Equal(got, map[string]string{"kpu/x": pipeline.StatusPosted, "kpu/facebook": pipeline.StatusPosted, "diskominfo/x": pipeline.StatusPosted, "diskominfo/facebook": pipeline.StatusPosted}) {
			t.Fatalf("statuses %v", got)
		}
		if d := p.x.Posts("diskominfobpp"); len(d) != 1 || d[0].QuoteID != p.x.Posts("kpubalikpapan")[0].ID {
			t.Errorf("diskominfo's X post %+v: want a quote of KPU's", d)
		}
		if fb := p.fb.Posts(pageIDs["diskominfo"]); len(fb) != 1 || fb[0].Link != cfg.ArticleURL("sinergi") || !strings.Contains(fb[0].Message, "Sumber: KPU Kota Balikpapan") {
			t.Errorf("diskominfo's Facebook post %+v: want the article as link and KPU credited", fb)
		}
	})

	t.Run("when the issuer's X post fails the partner posts the composed fallback", func(t *testing.T) {
		p := newPlatforms(t)
		p.x.Fail("kpubalikpapan", postertest.Unauthorized, 1)
		want := map[string]string{"kpu/x": pipeline.StatusFailed, "kpu/facebook": pipeline.StatusPosted, "diskominfo/x": pipeline.StatusPosted, "diskominfo/facebook": pipeline.StatusPosted}
		if got := publishWith(t, p); !maps.Equal(got, want) {
			t.Fatalf("statuses %v, want %v", got, want)
		}
		d := p.x.Posts("diskominfobpp")
		if len(d) != 1 || !strings.Contains(d[0].Text, "Sumber: KPU Kota Balikpapan") || d[0].QuoteID != "" {
			t.Errorf("diskominfo's X post %+v: want the composed fallback crediting KPU", d)
		}
	})
}
