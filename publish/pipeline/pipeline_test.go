package pipeline

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/release"
)

func TestPublishOnce(t *testing.T) {
	t.Run("every target is posted once, the issuer first, and the ledger says so", func(t *testing.T) {
		w := newWorld(t)
		var progress []string
		res, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) {
			o.Progress = func(file string, tr TargetResult) { progress = append(progress, tr.Account+"/"+tr.Platform) }
		})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, onceEach)
		for k, s := range statuses(res) {
			if s != StatusPosted {
				t.Errorf("%s: %s, want posted", k, s)
			}
		}
		if res.Failed() {
			t.Error("result says failed")
		}
		last := max(w.on("kpu", "x").sentAt[0], w.on("kpu", "facebook").sentAt[0])
		for _, k := range []string{"x", "facebook"} {
			if first := w.on("diskominfo", k).sentAt[0]; first < last {
				t.Errorf("diskominfo/%s sent as call %d, before the issuer finished (%d)", k, first, last)
			}
		}
		if len(progress) != 4 || !strings.HasPrefix(progress[0], "kpu/") || !strings.HasPrefix(progress[1], "kpu/") {
			t.Errorf("progress %v: want four lines, the issuer's first", progress)
		}

		rec := w.record("sinergi")
		kx := rec.Target("kpu", "x")
		if kx.State != ledger.Posted || kx.ID != "kpu-x-1" || kx.Attempts != 1 || kx.Fingerprint != ledger.Fingerprint(sinergi().Targets[2].Text) || kx.PostedAt.IsZero() {
			t.Errorf("ledger kpu/x = %+v", kx)
		}
		if rec.File != "releases/2021-06-09-sinergi.md" || rec.URL != articleURL {
			t.Errorf("ledger record %s %s", rec.File, rec.URL)
		}
	})

	t.Run("a partner's X post quotes the issuer's X post", func(t *testing.T) {
		w := newWorld(t)
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		if q := w.on("diskominfo", "x").quoteSeen; len(q) != 1 || q[0] != "kpu-x-1" {
			t.Fatalf("diskominfo/x quoted %v, want kpu-x-1", q)
		}
		if q := w.on("diskominfo", "facebook").quoteSeen; q[0] != "" {
			t.Errorf("facebook post quotes %q, want no quote", q[0])
		}
		if got := w.record("sinergi").Target("diskominfo", "x").QuoteOf; got != "kpu-x-1" {
			t.Errorf("ledger quote_of = %q", got)
		}
		if tr := target(t, res, "diskominfo/x"); tr.Text != sinergi().Targets[0].Text {
			t.Errorf("text %q, want the quote comment", tr.Text)
		}
	})

	t.Run("a repost quotes the partner office's post its feed names", func(t *testing.T) {
		w := newWorld(t)
		j := sinergi()
		j.Targets = j.Targets[:1]
		j.Targets[0].Quote, j.Targets[0].QuoteOf = false, "1403000000000000001"
		res, err := w.run(Pending, []Job{j})
		if err != nil {
			t.Fatal(err)
		}
		if q := w.on("diskominfo", "x").quoteSeen; len(q) != 1 || q[0] != "1403000000000000001" {
			t.Fatalf("diskominfo/x quoted %v", q)
		}
		if got := w.record("sinergi").Target("diskominfo", "x").QuoteOf; got != "1403000000000000001" {
			t.Errorf("ledger quote_of = %q", got)
		}
		if tr := target(t, res, "diskominfo/x"); tr.Status != StatusPosted || tr.Text != j.Targets[0].Text {
			t.Errorf("result %+v", tr)
		}
	})

	t.Run("a partner quotes an issuer post made by an earlier run", func(t *testing.T) {
		w := newWorld(t)
		if _, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Accounts = []string{"kpu"} }); err != nil {
			t.Fatal(err)
		}
		if _, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Accounts = []string{"diskominfo"} }); err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, onceEach)
		if q := w.on("diskominfo", "x").quoteSeen; q[0] != "kpu-x-1" {
			t.Fatalf("quoted %q, want kpu-x-1", q[0])
		}
	})

	t.Run("a partner run before the issuer's waits for the issuer's post instead of repeating it", func(t *testing.T) {
		// CI posts each institution in a job of its own, with only its own secrets:
		// the partner's job may come first.
		w := newWorld(t)
		res, err := w.run(Changed, []Job{sinergi()}, func(o *Options) { o.Accounts = []string{"diskominfo"} })
		if err != nil {
			t.Fatal(err)
		}
		if tr := target(t, res, "diskominfo/x"); tr.Status != StatusSkipped || !strings.Contains(tr.Error, "waiting for kpu/x") || res.Failed() {
			t.Fatalf("diskominfo/x = %+v, want skipped waiting for kpu/x", tr)
		}
		if n := len(w.on("diskominfo", "x").posts); n != 0 {
			t.Fatalf("diskominfo/x posted %d times before the issuer", n)
		}
		if got := w.record("sinergi").Target("diskominfo", "x"); got != nil {
			t.Errorf("ledger diskominfo/x = %+v, want no record: nothing was sent", got)
		}
		if tr := target(t, res, "diskominfo/facebook"); tr.Status != StatusPosted {
			t.Errorf("diskominfo/facebook = %+v: a post that quotes nothing need not wait", tr)
		}
		for _, accounts := range []string{"kpu", "diskominfo"} {
			if _, err := w.run(Pending, []Job{sinergi()}, func(o *Options) { o.Accounts = []string{accounts} }); err != nil {
				t.Fatal(err)
			}
		}
		w.wantPosts(t, onceEach)
		if q := w.on("diskominfo", "x").quoteSeen; len(q) != 1 || q[0] != "kpu-x-1" {
			t.Fatalf("quoted %v, want kpu-x-1", q)
		}
	})

	t.Run("when the issuer's X post failed the partner posts the crediting text unquoted", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "x").script = []fault{{err: expired}}
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		dx := w.on("diskominfo", "x")
		if len(dx.posts) != 1 || dx.posts[0].Quote != "" || dx.posts[0].Text != sinergi().Targets[0].Fallback {
			t.Fatalf("diskominfo/x posted %+v, want the fallback text without a quote", dx.posts)
		}
		tr := target(t, res, "diskominfo/x")
		if tr.Status != StatusPosted || tr.Text != sinergi().Targets[0].Fallback || tr.Length != 80 {
			t.Errorf("result %+v: want posted with the fallback text and its length", tr)
		}
		if got := w.record("sinergi").Target("diskominfo", "x"); got.Fingerprint != ledger.Fingerprint(sinergi().Targets[0].Fallback) {
			t.Errorf("fingerprint is not of the text sent")
		}
	})

	t.Run("a second run sends nothing and reports already-posted", func(t *testing.T) {
		w := newWorld(t)
		if _, err := w.run(Explicit, []Job{sinergi()}); err != nil {
			t.Fatal(err)
		}
		before := w.tree()
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, onceEach)
		for k, s := range statuses(res) {
			if s != StatusAlreadyPosted {
				t.Errorf("%s: %s, want already-posted", k, s)
			}
		}
		if tr := target(t, res, "kpu/x"); tr.ID != "kpu-x-1" || tr.URL == "" {
			t.Errorf("already-posted kpu/x = %+v, want its id and url", tr)
		}
		if !maps.Equal(before, w.tree()) {
			t.Error("a run that sent nothing changed the ledger")
		}
	})

	t.Run("force posts again what is already posted", func(t *testing.T) {
		w := newWorld(t)
		if _, err := w.run(Explicit, []Job{sinergi()}); err != nil {
			t.Fatal(err)
		}
		res, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Force = true; o.Only = []string{publish.X} })
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {2, 2}, "diskominfo/facebook": {1, 1}, "kpu/x": {2, 2}, "kpu/facebook": {1, 1}})
		if q := w.on("diskominfo", "x").quoteSeen[1]; q != "kpu-x-2" {
			t.Errorf("forced partner quotes %q, want the new issuer post kpu-x-2", q)
		}
		if len(res.Releases[0].Targets) != 2 {
			t.Errorf("--only x gave %d targets, want 2", len(res.Releases[0].Targets))
		}
	})

	t.Run("only and account filters leave other targets alone", func(t *testing.T) {
		w := newWorld(t)
		res, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Only = []string{publish.Facebook}; o.Accounts = []string{"kpu"} })
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"kpu/facebook": {1, 1}})
		if got := statuses(res); len(got) != 1 || got["sinergi:kpu/facebook"] != StatusPosted {
			t.Errorf("statuses %v", got)
		}
	})
}

func TestFaults(t *testing.T) {
	t.Run("503 twice then success posts once after two waits", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "x").script = []fault{{err: unavailable}, {err: unavailable}}
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "diskominfo/facebook": {1, 1}, "kpu/x": {3, 1}, "kpu/facebook": {1, 1}})
		if _, _, finds := w.on("kpu", "x").counts(); finds != 0 {
			t.Errorf("%d finds after 503s, want none: 503 is a refusal, not an unknown", finds)
		}
		if s := w.clock.slept(); len(s) != 2 || s[1] <= s[0] {
			t.Errorf("slept %v, want two growing waits", s)
		}
		if target(t, res, "kpu/x").Status != StatusPosted || w.record("sinergi").Target("kpu", "x").Attempts != 1 {
			t.Errorf("kpu/x not recorded as posted in one attempt")
		}
	})

	t.Run("429 waits at least until the reset the platform gave", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "x").script = []fault{{err: &publish.Error{Platform: "x", Op: "post", Status: 429, Kind: publish.Transient, RetryAfter: 7 * time.Second}}}
		if _, err := w.run(Explicit, []Job{sinergi()}); err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "diskominfo/facebook": {1, 1}, "kpu/x": {2, 1}, "kpu/facebook": {1, 1}})
		if s := w.clock.slept(); len(s) != 1 || s[0] < 7*time.Second {
			t.Errorf("slept %v, want one wait of at least 7s", s)
		}
	})

	t.Run("429 with a reset a second away is retried after that second", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "facebook").script = []fault{{err: rateLimited}}
		if _, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Accounts = []string{"kpu"}; o.Only = []string{publish.Facebook} }); err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"kpu/facebook": {2, 1}})
		if s := w.clock.slept(); len(s) != 1 || s[0] < time.Second {
			t.Errorf("slept %v, want one wait of at least 1s", s)
		}
	})

	t.Run("a connection dropped after the platform recorded the post is adopted, not posted twice", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "x").script = []fault{{err: dropped, record: true}}
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, onceEach)
		if _, _, finds := w.on("kpu", "x").counts(); finds != 1 {
			t.Errorf("%d finds, want 1 before trying again", finds)
		}
		if tr := target(t, res, "kpu/x"); tr.Status != StatusPosted || tr.ID != "kpu-x-1" {
			t.Errorf("kpu/x = %+v, want posted as kpu-x-1", tr)
		}
		if q := w.on("diskominfo", "x").quoteSeen[0]; q != "kpu-x-1" {
			t.Errorf("partner quotes %q, want the adopted kpu-x-1", q)
		}
	})

	t.Run("a connection dropped before the platform recorded the post is sent again after looking", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "x").script = []fault{{err: dropped}}
		if _, err := w.run(Explicit, []Job{sinergi()}); err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "diskominfo/facebook": {1, 1}, "kpu/x": {2, 1}, "kpu/facebook": {1, 1}})
		if _, _, finds := w.on("kpu", "x").counts(); finds != 1 {
			t.Errorf("%d finds, want 1", finds)
		}
	})

	t.Run("a post whose fate stays unknown is left pending for the next run to look up", func(t *testing.T) {
		w := newWorld(t)
		kx := w.on("kpu", "x")
		kx.script = slices.Repeat([]fault{{err: dropped}}, 1000)
		res, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Only = []string{publish.X}; o.Accounts = []string{"kpu"} })
		if err != nil {
			t.Fatal(err)
		}
		if tr := target(t, res, "kpu/x"); tr.Status != StatusFailed || !strings.Contains(tr.Error, "may have gone through") {
			t.Errorf("kpu/x = %+v, want failed saying the post may have gone through", tr)
		}
		if !res.Failed() {
			t.Error("result does not say failed")
		}
		if st := w.record("sinergi").Target("kpu", "x").State; st != ledger.Pending {
			t.Errorf("ledger state %s, want pending", st)
		}
		var total time.Duration
		for _, d := range w.clock.slept() {
			total += d
		}
		if total > 2*time.Minute {
			t.Errorf("retried for %v, beyond the default bound of 2m", total)
		}
	})

	t.Run("an expired token fails that target at once and the others still post", func(t *testing.T) {
		w := newWorld(t)
		w.on("kpu", "facebook").script = []fault{{err: expired}}
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "diskominfo/facebook": {1, 1}, "kpu/x": {1, 1}, "kpu/facebook": {1, 0}})
		if s := w.clock.slept(); len(s) != 0 {
			t.Errorf("slept %v before a permanent error, want no retry", s)
		}
		tr := target(t, res, "kpu/facebook")
		if tr.Status != StatusFailed || !strings.Contains(tr.Error, "token expired") || !res.Failed() {
			t.Errorf("kpu/facebook = %+v, want failed with the platform's message", tr)
		}
		lt := w.record("sinergi").Target("kpu", "facebook")
		if lt.State != ledger.Failed || !strings.Contains(lt.Error, "HTTP 401") || lt.Attempts != 1 {
			t.Errorf("ledger kpu/facebook = %+v", lt)
		}

		// Once the token is renewed, a re-run posts only what failed.
		res, err = w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "diskominfo/facebook": {1, 1}, "kpu/x": {1, 1}, "kpu/facebook": {2, 1}})
		if lt := w.record("sinergi").Target("kpu", "facebook"); lt.State != ledger.Posted || lt.Error != "" || lt.Attempts != 2 {
			t.Errorf("ledger after re-run = %+v", lt)
		}
		if res.Failed() {
			t.Error("re-run still failed")
		}
	})

	t.Run("a duplicate refusal is permanent and not retried", func(t *testing.T) {
		w := newWorld(t)
		w.on("diskominfo", "x").script = []fault{{err: duplicate}}
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 0}, "diskominfo/facebook": {1, 1}, "kpu/x": {1, 1}, "kpu/facebook": {1, 1}})
		if tr := target(t, res, "diskominfo/x"); tr.Status != StatusFailed || !strings.Contains(tr.Error, "duplicate") {
			t.Errorf("diskominfo/x = %+v", tr)
		}
		if len(w.clock.slept()) != 0 {
			t.Error("a duplicate was retried")
		}
	})

	t.Run("a duplicate of a post that links the article is adopted, not failed", func(t *testing.T) {
		// The ledger lost its record (deleted by mistake) but the platform has the post.
		w := newWorld(t)
		job := sinergi()
		kx := w.on("kpu", "x")
		kx.posts = append(kx.posts, publish.Post{Text: "sent earlier", Link: job.URL})
		kx.script = []fault{{err: duplicate}}
		res, err := w.run(Explicit, []Job{job})
		if err != nil {
			t.Fatal(err)
		}
		if sends, posts, finds := kx.counts(); sends != 1 || posts != 1 || finds != 1 {
			t.Errorf("kpu/x: %d sends, %d posts, %d finds; want the refused send, the one post, one look", sends, posts, finds)
		}
		if tr := target(t, res, "kpu/x"); tr.Status != StatusPosted || tr.ID != "kpu-x-1" {
			t.Errorf("kpu/x = %+v, want the existing post adopted", tr)
		}
		if lt := w.record("sinergi").Target("kpu", "x"); lt.State != ledger.Posted || lt.ID != "kpu-x-1" {
			t.Errorf("ledger = %+v, want posted as kpu-x-1", lt)
		}
	})

	t.Run("a missing credential fails only its target and names the variable", func(t *testing.T) {
		w := newWorld(t)
		w.missing["diskominfo/facebook"] = true
		res, err := w.run(Explicit, []Job{sinergi()})
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "kpu/x": {1, 1}, "kpu/facebook": {1, 1}})
		tr := target(t, res, "diskominfo/facebook")
		if tr.Status != StatusFailed || tr.Error != "diskominfo/facebook: HUMAS_DISKOMINFO_FACEBOOK_PAGE_TOKEN is not set" {
			t.Errorf("diskominfo/facebook = %+v", tr)
		}
		if lt := w.record("sinergi").Target("diskominfo", "facebook"); lt.State != ledger.Failed || lt.Attempts != 0 {
			t.Errorf("ledger = %+v, want failed with no attempt", lt)
		}
	})
}

func TestPendingLeftByAKilledRun(t *testing.T) {
	leavePending := func(w *world) {
		rec := &ledger.Record{ID: "2021-06-09-sinergi", File: "releases/2021-06-09-sinergi.md", Slug: "sinergi", URL: articleURL,
			Targets: map[string]*ledger.Target{"kpu/x": {State: ledger.Pending, Attempts: 1, UpdatedAt: now}}}
		if err := ledger.Open(w.root).Save(rec); err != nil {
			w.t.Fatal(err)
		}
	}
	only := func(o *Options) { o.Accounts = []string{"kpu"}; o.Only = []string{publish.X} }

	t.Run("the post the killed run made is found and adopted", func(t *testing.T) {
		w := newWorld(t)
		leavePending(w)
		kx := w.on("kpu", "x")
		kx.posts = []publish.Post{{Text: "sebelumnya", Link: articleURL}}
		res, err := w.run(Explicit, []Job{sinergi()}, only)
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"kpu/x": {0, 1}})
		tr := target(t, res, "kpu/x")
		if tr.Status != StatusPosted || tr.Note != "adopted" || tr.ID != "kpu-x-1" {
			t.Errorf("kpu/x = %+v, want posted, adopted, kpu-x-1", tr)
		}
		if lt := w.record("sinergi").Target("kpu", "x"); lt.State != ledger.Posted || lt.ID != "kpu-x-1" {
			t.Errorf("ledger = %+v", lt)
		}
	})

	t.Run("when the killed run's post never arrived it is posted once", func(t *testing.T) {
		w := newWorld(t)
		leavePending(w)
		if _, err := w.run(Explicit, []Job{sinergi()}, only); err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{"kpu/x": {1, 1}})
		if _, _, finds := w.on("kpu", "x").counts(); finds != 1 {
			t.Errorf("%d finds, want 1", finds)
		}
		if lt := w.record("sinergi").Target("kpu", "x"); lt.Attempts != 2 {
			t.Errorf("attempts %d, want 2", lt.Attempts)
		}
	})

	t.Run("when looking fails nothing is posted blind and the target stays pending", func(t *testing.T) {
		w := newWorld(t)
		leavePending(w)
		w.on("kpu", "x").findErr = &publish.Error{Platform: "x", Op: "find", Status: 403, Message: "forbidden", Kind: publish.Permanent}
		res, err := w.run(Explicit, []Job{sinergi()}, only)
		if err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, map[string][2]int{})
		if tr := target(t, res, "kpu/x"); tr.Status != StatusFailed || !strings.Contains(tr.Error, "pending") {
			t.Errorf("kpu/x = %+v", tr)
		}
		if lt := w.record("sinergi").Target("kpu", "x"); lt.State != ledger.Pending || lt.Error == "" {
			t.Errorf("ledger = %+v, want still pending with the error", lt)
		}
	})
}

func TestDamagedLedgerStopsEverything(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Only = []string{publish.X} }); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(w.root, ".humas", "ledger", "2021-06-09-sinergi", "kpu.x.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	other := sinergi()
	other.Slug, other.File = "lain", "releases/2021-06-10-lain.md"
	made := w.made.Load()
	_, err = w.run(Explicit, []Job{other, sinergi()})
	var de *ledger.DamagedError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), ".humas/ledger/2021-06-09-sinergi/kpu.x.json:5: unexpected end of JSON input") || !strings.Contains(err.Error(), "git checkout -- .humas/ledger/2021-06-09-sinergi/kpu.x.json") {
		t.Fatalf("err = %v, want the damaged file named with its fix", err)
	}
	w.wantPosts(t, map[string][2]int{"diskominfo/x": {1, 1}, "kpu/x": {1, 1}})
	if w.made.Load() != made {
		t.Error("posters were made although nothing may be sent")
	}
}

func TestDryRun(t *testing.T) {
	w := newWorld(t)
	w.missing["diskominfo/facebook"] = true // a dry run needs no credentials
	if _, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Only = []string{publish.Facebook} }); err != nil {
		t.Fatal(err)
	}
	before := w.tree()
	sends := func() (n int) {
		for _, k := range allTargets {
			a, p, _ := strings.Cut(k, "/")
			s, _, f := w.on(a, p).counts()
			n += s + f
		}
		return n
	}
	calls, made := sends(), w.made.Load()

	job := sinergi()
	job.Embargo = now.Add(time.Hour) // previews work before the embargo
	res, err := w.run(Explicit, []Job{job}, func(o *Options) { o.DryRun = true })
	if err != nil {
		t.Fatal(err)
	}
	if sends() != calls || w.made.Load() != made {
		t.Errorf("a dry run made %d platform calls and %d posters, want none", sends()-calls, w.made.Load()-made)
	}
	if after := w.tree(); !maps.Equal(before, after) {
		t.Errorf(".humas changed in a dry run:\nbefore %v\nafter  %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
	}
	want := map[string]string{"sinergi:kpu/x": StatusDryRun, "sinergi:diskominfo/x": StatusDryRun,
		"sinergi:kpu/facebook": StatusAlreadyPosted, "sinergi:diskominfo/facebook": StatusDryRun}
	if got := statuses(res); !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v: a failed target previews what the next run sends", got, want)
	}
	kx := target(t, res, "kpu/x")
	if kx.Text != job.Targets[2].Text || kx.Length != 53 || kx.Limit != 280 || kx.Image != "audiensi.jpg" {
		t.Errorf("kpu/x preview = %+v, want its text, length, limit and image", kx)
	}
	if dx := target(t, res, "diskominfo/x"); dx.QuoteOf == "" {
		t.Errorf("diskominfo/x preview %+v does not show it would quote the issuer", dx)
	}
	if res.Failed() {
		t.Error("a dry run with nothing wrong says failed")
	}

	t.Run("wait-live does not touch the network", func(t *testing.T) {
		p := New(Options{Root: w.root, DryRun: true})
		if err := p.WaitLive(t.Context(), "http://127.0.0.1:1/", time.Minute); err != nil {
			t.Fatal(err)
		}
	})
}

func TestADryRunSaysWhatTheRealRunWillDo(t *testing.T) {
	embargoed := sinergi()
	embargoed.Embargo = now.Add(30 * time.Minute)
	dry := func(o *Options) { o.DryRun = true }

	t.Run("a merge or scheduled run shows an embargoed release as skipped", func(t *testing.T) {
		for _, mode := range []Mode{Changed, Pending} {
			w := newWorld(t)
			res, err := w.run(mode, []Job{embargoed}, dry)
			if err != nil {
				t.Fatal(err)
			}
			for k, st := range statuses(res) {
				if st != StatusSkipped {
					t.Errorf("mode %d: %s: %s, want skipped as the real run will", mode, k, st)
				}
			}
		}
	})
	t.Run("a release named one by one is previewed, with what holds it back", func(t *testing.T) {
		w := newWorld(t)
		res, err := w.run(Explicit, []Job{embargoed}, dry)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Releases) != 1 || !strings.HasPrefix(res.Releases[0].Held, "embargo lifts at Rabu, 9 Juni 2021 pukul 13.30 WITA") {
			t.Fatalf("releases = %+v, want one previewed and held by its embargo", res.Releases)
		}
		for k, st := range statuses(res) {
			if st != StatusDryRun {
				t.Errorf("%s: %s, want dry-run", k, st)
			}
		}
	})
	t.Run("Refused lets a dry run through but never an exempted release", func(t *testing.T) {
		w := newWorld(t)
		o := w.options()
		o.DryRun = true
		if err := New(o).Refused([]Job{embargoed}); err != nil {
			t.Errorf("dry run refused: %v", err)
		}
		exempt := sinergi()
		exempt.Classification = release.Dikecualikan
		if err := New(o).Refused([]Job{exempt}); err == nil {
			t.Error("a dry run of a dikecualikan release was not refused")
		}
		o.DryRun = false
		if err := New(o).Refused([]Job{embargoed}); err == nil {
			t.Error("a real run of an embargoed release was not refused")
		}
	})
}

func TestEmbargoBlackoutAndExemption(t *testing.T) {
	masaTenang := []config.Blackout{{From: now.Add(-time.Hour), To: now.Add(time.Hour), Reason: "masa tenang Pemilu 2024"}}
	embargoed := func() Job { j := sinergi(); j.Embargo = now.Add(30 * time.Minute); return j }
	tests := []struct {
		name      string
		job       func() Job
		blackout  []config.Blackout
		force     bool
		since     time.Time
		refusal   string // in Explicit mode
		published bool
	}{
		{name: "a release dated before publish.since", job: sinergi, since: now.Add(24 * time.Hour), refusal: "archive: dated before publish.since"},
		{name: "a release dated after publish.since", job: sinergi, since: now.Add(-24 * time.Hour), published: true},
		{name: "an embargoed release", job: embargoed, refusal: "releases/2021-06-09-sinergi.md: embargo lifts at Rabu, 9 Juni 2021 pukul 13.30 WITA (2021-06-09T13:30:00+08:00)"},
		{name: "a release whose embargo passed", job: func() Job { j := sinergi(); j.Embargo = now; return j }, published: true},
		{name: "a berkala release in a blackout", job: sinergi, blackout: masaTenang, refusal: "blackout: masa tenang Pemilu 2024 until Rabu, 9 Juni 2021 pukul 14.00 WITA (2021-06-09T14:00:00+08:00)"},
		{name: "a serta-merta release in a blackout", job: func() Job { j := sinergi(); j.Classification = release.SertaMerta; return j }, blackout: masaTenang, published: true},
		{name: "an exempted release even with force", job: func() Job { j := sinergi(); j.Classification = release.Dikecualikan; return j }, force: true, refusal: "classification dikecualikan"},
	}
	for _, tt := range tests {
		set := func(o *Options) {
			o.Policy = hold.Policy{Blackout: tt.blackout, Since: tt.since, File: "humas.yaml"}
			o.Force = tt.force
		}
		if tt.published {
			t.Run(tt.name+" is published", func(t *testing.T) {
				w := newWorld(t)
				if _, err := w.run(Explicit, []Job{tt.job()}, set); err != nil {
					t.Fatal(err)
				}
				w.wantPosts(t, onceEach)
			})
			continue
		}
		t.Run(tt.name+" is refused when named and nothing else is posted", func(t *testing.T) {
			w := newWorld(t)
			other := sinergi()
			other.Slug = "lain"
			other.Classification = release.SertaMerta
			_, err := w.run(Explicit, []Job{other, tt.job()}, set)
			var re *RefusedError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.refusal) {
				t.Fatalf("err = %v, want a refusal containing %q", err, tt.refusal)
			}
			w.wantPosts(t, map[string][2]int{})
		})
		for _, mode := range []Mode{Changed, Pending} {
			t.Run(tt.name+" is skipped in a scheduled or merge run", func(t *testing.T) {
				w := newWorld(t)
				res, err := w.run(mode, []Job{tt.job()}, set)
				if err != nil {
					t.Fatal(err)
				}
				w.wantPosts(t, map[string][2]int{})
				for k, s := range statuses(res) {
					if s != StatusSkipped {
						t.Errorf("%s: %s, want skipped", k, s)
					}
				}
				if tr := target(t, res, "kpu/x"); !strings.Contains(tr.Error, tt.refusal[strings.LastIndex(tt.refusal, ": ")+2:]) {
					t.Errorf("skip reason %q", tr.Error)
				}
				if res.Failed() {
					t.Error("a skipped release counts as failed")
				}
			})
		}
	}

	t.Run("a later pending run publishes the release once the embargo lifts", func(t *testing.T) {
		w := newWorld(t)
		if _, err := w.run(Pending, []Job{embargoed()}); err != nil {
			t.Fatal(err)
		}
		w.clock.now = now.Add(time.Hour)
		if _, err := w.run(Pending, []Job{embargoed()}); err != nil {
			t.Fatal(err)
		}
		w.wantPosts(t, onceEach)
	})
}

func TestPendingMode(t *testing.T) {
	w := newWorld(t)
	done := sinergi()
	done.Slug, done.File = "selesai", "releases/2021-06-08-selesai.md"
	if _, err := w.run(Explicit, []Job{done}); err != nil {
		t.Fatal(err)
	}
	half := sinergi()
	if _, err := w.run(Explicit, []Job{half}, func(o *Options) { o.Only = []string{publish.X} }); err != nil {
		t.Fatal(err)
	}
	p := New(w.options())
	left, err := p.Unfinished([]Job{done, half})
	if err != nil || len(left) != 1 || left[0].Slug != "sinergi" {
		t.Fatalf("unfinished = %v, %v; want only sinergi", left, err)
	}
	res, err := w.run(Pending, []Job{done, half})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Releases) != 1 || res.Releases[0].Slug != "sinergi" {
		t.Fatalf("pending run reported %d releases, want only the unfinished one", len(res.Releases))
	}
	want := map[string]string{"sinergi:kpu/x": StatusAlreadyPosted, "sinergi:diskominfo/x": StatusAlreadyPosted,
		"sinergi:kpu/facebook": StatusPosted, "sinergi:diskominfo/facebook": StatusPosted}
	if got := statuses(res); !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}

func TestStatus(t *testing.T) {
	w := newWorld(t)
	w.on("kpu", "facebook").script = []fault{{err: expired}}
	if _, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Accounts = []string{"kpu"} }); err != nil {
		t.Fatal(err)
	}
	calls := w.made.Load()
	res, err := New(w.options()).Status([]Job{sinergi()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"sinergi:kpu/x": StatusPosted, "sinergi:kpu/facebook": StatusFailed,
		"sinergi:diskominfo/x": StatusPending, "sinergi:diskominfo/facebook": StatusPending}
	if got := statuses(res); !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if w.made.Load() != calls {
		t.Error("status made posters")
	}
	rr := StatusOf(w.record("sinergi"))
	if len(rr.Targets) != 2 || rr.Targets[0].Account+"/"+rr.Targets[0].Platform != "kpu/facebook" || rr.Targets[1].ID != "kpu-x-1" {
		t.Errorf("status of the record = %+v", rr)
	}
}

func TestResultJSON(t *testing.T) {
	res := Result{Releases: []ReleaseResult{{File: "releases/x.md", Slug: "x", URL: "https://h/x/", Targets: []TargetResult{
		{Account: "kpu", Platform: "x", Status: StatusPosted, ID: "1", URL: "https://x.com/k/status/1", Text: "t", Length: 1, Limit: 280, Note: "adopted", Image: "a.jpg", QuoteOf: "0"},
	}}}}
	got, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"releases":[{"file":"releases/x.md","slug":"x","url":"https://h/x/","targets":[{"account":"kpu","platform":"x","status":"posted","id":"1","url":"https://x.com/k/status/1","text":"t","length":1,"limit":280,"error":""}]}]}`
	if string(got) != want {
		t.Errorf("json\n got %s\nwant %s", got, want)
	}
	empty, _ := json.Marshal(Result{Releases: []ReleaseResult{}})
	if string(empty) != `{"releases":[]}` {
		t.Errorf("empty result is %s", empty)
	}
}

func TestForcedRepostWithoutCredentialsKeepsTheRecord(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(Explicit, []Job{sinergi()}); err != nil {
		t.Fatal(err)
	}
	w.missing["kpu/x"] = true
	res, err := w.run(Explicit, []Job{sinergi()}, func(o *Options) { o.Force = true })
	if err != nil {
		t.Fatal(err)
	}
	if tr := target(t, res, "kpu/x"); tr.Status != StatusFailed {
		t.Errorf("kpu/x = %+v, want failed", tr)
	}
	if lt := w.record("sinergi").Target("kpu", "x"); lt.State != ledger.Posted || lt.ID != "kpu-x-1" || lt.Error != "" {
		t.Errorf("ledger kpu/x = %+v, want the earlier post still recorded", lt)
	}
}

// TestAPlatformThatMayGoBeforeTheEmbargo: the press (email, SPEC section 9) receives
// an embargoed release while every other target waits; the release is not refused.
func TestAPlatformThatMayGoBeforeTheEmbargo(t *testing.T) {
	j := sinergi()
	j.Embargo = now.Add(30 * time.Minute)
	press := platform.Registry{{Name: publish.Facebook, BeforeEmbargo: true}}
	for _, mode := range []Mode{Explicit, Changed} {
		w := newWorld(t)
		res, err := w.run(mode, []Job{j}, func(o *Options) { o.Platforms = press })
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		w.wantPosts(t, map[string][2]int{"diskominfo/facebook": {1, 1}, "kpu/facebook": {1, 1}})
		if tr := target(t, res, "kpu/x"); tr.Status != StatusSkipped || !strings.HasPrefix(tr.Error, "embargo lifts at") {
			t.Errorf("mode %d: kpu/x = %s %q, want skipped until the embargo lifts", mode, tr.Status, tr.Error)
		}
	}
}
