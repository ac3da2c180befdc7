package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/instagram/igfake"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/postertest"
)

// runCtx is social.run with the run's context in the test's hands.
func (s *social) runCtx(t *testing.T, ctx context.Context, root string, j pipeline.Job, mode pipeline.Mode, change ...func(*pipeline.Options)) pipeline.Result {
	t.Helper()
	cfg := s.config(t, false)
	o := pipeline.Options{Root: root, NewPoster: s.factory(cfg, root), Clock: &sleeper{now: time.Now()},
		RequestTimeout: 2 * time.Second, Platforms: cfg.Platforms}
	for _, c := range change {
		c(&o)
	}
	res, err := pipeline.New(o).Run(ctx, mode, []pipeline.Job{j})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// stopWhen cancels the run's context once cond holds, as CI's SIGTERM does.
func stopWhen(t *testing.T, cond func() bool) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		for !cond() && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	return ctx
}

func targetOf(t *testing.T, res pipeline.Result, key string) pipeline.TargetResult {
	t.Helper()
	for _, tr := range res.Releases[0].Targets {
		if tr.Account+"/"+tr.Platform == key {
			return tr
		}
	}
	t.Fatalf("no target %s", key)
	return pipeline.TargetResult{}
}

func TestInstagramContainerIsInTheLedgerBeforeItGoesPublic(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	root := t.TempDir()
	j := s.job(t, s.config(t, false), root, photo)
	only := func(o *pipeline.Options) { o.Only, o.Accounts = []string{"instagram"}, []string{"kpu"} }

	// The run is stopped once the container's id is in the ledger, while
	// media_publish hangs or just before: nothing is public, and the id stays
	// (pending if media_publish may have gone through, failed if it never left).
	s.ig.Fail(igUsers["kpu"], postertest.Hang, 1)
	ctx := stopWhen(t, func() bool {
		data, _ := os.ReadFile(filepath.Join(root, ".humas/ledger/2021-06-09-sinergi/kpu.instagram.json"))
		return strings.Contains(string(data), `"checkpoint"`) && len(s.ig.Containers(igUsers["kpu"])) == 1
	})
	res := s.runCtx(t, ctx, root, j, pipeline.Explicit, only)
	if tr := targetOf(t, res, "kpu/instagram"); tr.Status != pipeline.StatusFailed {
		t.Fatalf("stopped run: %+v", tr)
	}
	lt := recordOf(t, root, "sinergi").Target("kpu", "instagram")
	containers := s.ig.Containers(igUsers["kpu"])
	if lt.State == ledger.Posted || len(containers) != 1 || lt.Checkpoint != containers[0].ID {
		t.Fatalf("ledger %+v, containers %+v: want the container's id kept", lt, containers)
	}
	if n := len(s.ig.Posts(igUsers["kpu"])); n != 0 {
		t.Fatalf("%d posts public after the stopped run, want 0", n)
	}

	// The next run carries on from that container: one container, one post.
	res = s.runCtx(t, context.Background(), root, j, pipeline.Pending, only)
	if tr := targetOf(t, res, "kpu/instagram"); tr.Status != pipeline.StatusPosted {
		t.Fatalf("next run: %+v", tr)
	}
	if c, p := len(s.ig.Containers(igUsers["kpu"])), len(s.ig.Posts(igUsers["kpu"])); c != 1 || p != 1 {
		t.Fatalf("%d containers and %d posts, want 1 and 1", c, p)
	}
	if lt := recordOf(t, root, "sinergi").Target("kpu", "instagram"); lt.State != ledger.Posted || lt.Checkpoint != "" {
		t.Errorf("ledger %+v", lt)
	}
}

func TestASpentInstagramQuotaWaitsInsteadOfFailing(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	s.ig.AddAccount(igfake.Account{UserID: igUsers["kpu"], Username: "kpubalikpapan", Token: "kpu-ig-token-K7", Quota: 1})
	root := t.TempDir()
	cfg := s.config(t, false)
	first := s.job(t, cfg, root, photo)
	only := func(o *pipeline.Options) { o.Only, o.Accounts = []string{"instagram"}, []string{"kpu"} }
	s.runCtx(t, context.Background(), root, first, pipeline.Explicit, only)

	second := first
	second.File, second.Slug, second.Title = "releases/2021-06-10-lagi.md", "lagi", "Lagi"
	res := s.runCtx(t, context.Background(), root, second, pipeline.Explicit, only)
	tr := targetOf(t, res, "kpu/instagram")
	if tr.Status != pipeline.StatusSkipped || !strings.Contains(tr.Error, "once the limit frees at ") || res.Failed() {
		t.Fatalf("result %+v: want skipped, saying when the limit frees", tr)
	}
	lt := recordOf(t, root, "lagi").Target("kpu", "instagram")
	if lt.State != ledger.Failed || lt.Permanent || !lt.NotBefore.After(time.Now().Add(23*time.Hour)) {
		t.Fatalf("ledger %+v: want a wait of about a day, not a failure for good", lt)
	}
	if n := len(s.ig.Containers(igUsers["kpu"])); n != 1 {
		t.Fatalf("%d containers, want only the first post's", n)
	}
	// A scheduled run before then sends nothing, and says why.
	before := s.ig.Requests()
	res = s.runCtx(t, context.Background(), root, second, pipeline.Pending, only)
	if tr := targetOf(t, res, "kpu/instagram"); tr.Status != pipeline.StatusSkipped || s.ig.Requests() != before {
		t.Fatalf("scheduled run before the limit frees: %+v after %d requests", tr, s.ig.Requests()-before)
	}
}

func TestATelegramMessageAStoppedRunMayHaveSentWaitsForAPerson(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	root := t.TempDir()
	j := s.job(t, s.config(t, false), root, photo)
	only := func(o *pipeline.Options) { o.Only, o.Accounts = []string{"telegram"}, []string{"kpu"} }

	s.tg.Fail(tgChannels["kpu"], postertest.RecordAndHang, 1)
	ctx := stopWhen(t, func() bool { return len(s.tg.Messages(tgChannels["kpu"])) == 1 })
	res := s.runCtx(t, ctx, root, j, pipeline.Explicit, only)
	tr := targetOf(t, res, "kpu/telegram")
	if tr.Status != pipeline.StatusFailed || tr.Needs != pipeline.NeedsDecision || !strings.Contains(tr.Error, "humas resolve releases/2021-06-09-sinergi.md kpu/telegram --posted URL, or --not-posted") {
		t.Fatalf("stopped run: %+v", tr)
	}
	if lt := recordOf(t, root, "sinergi").Target("kpu", "telegram"); lt.State != ledger.Pending {
		t.Fatalf("ledger %+v: want pending", lt)
	}
	// Named one by one, the release is not done: failed. Chosen by CI, it waits
	// without failing every scheduled run.
	for mode, want := range map[pipeline.Mode]string{pipeline.Explicit: pipeline.StatusFailed,
		pipeline.Changed: pipeline.StatusPending, pipeline.Pending: pipeline.StatusPending} {
		res := s.runCtx(t, context.Background(), root, j, mode, only)
		if tr := targetOf(t, res, "kpu/telegram"); tr.Status != want || tr.Needs != pipeline.NeedsDecision || res.Failed() != (want == pipeline.StatusFailed) {
			t.Fatalf("mode %d: %+v, want %s", mode, tr, want)
		}
	}
	if n := len(s.tg.Messages(tgChannels["kpu"])); n != 1 {
		t.Fatalf("the channel holds %d messages, want 1: never sent again blindly", n)
	}
}

func TestAStoppedRunLeavesWhatMayHaveGoneOutPendingAndStartsNoPartner(t *testing.T) {
	p := newPlatforms(t)
	root := t.TempDir()
	p.fb.Fail(pageIDs["kpu"], postertest.RecordAndHang, 1)
	ctx := stopWhen(t, func() bool { return len(p.fb.Posts(pageIDs["kpu"])) == 1 })
	res, err := pipeline.New(pipeline.Options{Root: root, NewPoster: p.factory, Clock: &sleeper{now: time.Now()}, RequestTimeout: 10 * time.Second}).
		Run(ctx, pipeline.Explicit, []pipeline.Job{job()})
	if err != nil {
		t.Fatal(err)
	}
	rec := recordOf(t, root, "sinergi")
	if lt := rec.Target("kpu", "facebook"); lt == nil || lt.State != ledger.Pending {
		t.Fatalf("kpu/facebook %+v: the post may have gone out, so pending", lt)
	}
	for _, k := range []string{"diskominfo/x", "diskominfo/facebook"} {
		a, pl := ledger.SplitKey(k)
		if tr := targetOf(t, res, k); tr.Status != pipeline.StatusFailed || !strings.Contains(tr.Error, "not sent: the run was stopped") {
			t.Errorf("%s: %+v", k, tr)
		}
		if lt := rec.Target(a, pl); lt != nil {
			t.Errorf("%s recorded %+v, want nothing: it was never started", k, lt)
		}
	}
	res = run(t, p, root)
	if got := p.counts(); got["kpu/facebook"] != 1 || got["diskominfo/facebook"] != 1 || got["diskominfo/x"] != 1 || got["kpu/x"] != 1 {
		t.Fatalf("after the next run: %v, want one each", got)
	}
	if tr := targetOf(t, res, "kpu/facebook"); tr.Note != "adopted" {
		t.Errorf("kpu/facebook %+v: want the post adopted", tr)
	}
}

func TestAFailureForGoodWaitsForAPerson(t *testing.T) {
	p := newPlatforms(t)
	root := t.TempDir()
	for _, f := range []string{"releases"} {
		os.MkdirAll(filepath.Join(root, f), 0o755)
	}
	basis := "token-1"
	opts := func(o *pipeline.Options) {
		o.Only, o.Accounts = []string{"facebook"}, []string{"kpu"}
		o.Basis = func(string, string) string { return basis }
	}
	p.fb.Fail(pageIDs["kpu"], postertest.Unauthorized, 1)
	res := runMode(t, p, root, pipeline.Explicit, opts)
	tr := targetOf(t, res, "kpu/facebook")
	if tr.Status != pipeline.StatusFailed || tr.Needs != pipeline.NeedsPerson {
		t.Fatalf("first run: %+v", tr)
	}
	lt := recordOf(t, root, "sinergi").Target("kpu", "facebook")
	if !lt.Permanent || lt.Basis == "" || !strings.Contains(lt.Fix, "Page token") || !strings.Contains(lt.Error, "(code 190)") {
		t.Fatalf("ledger %+v: want a failure for good with its reason and fix", lt)
	}
	// Scheduled runs leave it alone while nothing changed: no request, no red run.
	before := p.fb.Requests()
	for _, mode := range []pipeline.Mode{pipeline.Pending, pipeline.Changed} {
		res = runMode(t, p, root, mode, opts)
		tr := targetOf(t, res, "kpu/facebook")
		if tr.Status != pipeline.StatusSkipped || tr.Needs != pipeline.NeedsPerson || res.Failed() || !strings.Contains(tr.Error, "needs a person: failed for good on ") {
			t.Fatalf("mode %d: %+v", mode, tr)
		}
	}
	if n := p.fb.Requests() - before; n != 0 {
		t.Fatalf("%d requests while waiting for a person, want 0", n)
	}
	// --retry-failed tries again (and fails again, with the same token).
	p.fb.Fail(pageIDs["kpu"], postertest.Unauthorized, 1)
	res = runMode(t, p, root, pipeline.Pending, opts, func(o *pipeline.Options) { o.RetryFailed = true })
	if tr := targetOf(t, res, "kpu/facebook"); tr.Status != pipeline.StatusFailed {
		t.Fatalf("--retry-failed: %+v", tr)
	}
	// New credentials: the scheduled run tries by itself, and posts.
	basis = "token-2"
	res = runMode(t, p, root, pipeline.Pending, opts)
	if tr := targetOf(t, res, "kpu/facebook"); tr.Status != pipeline.StatusPosted {
		t.Fatalf("after the credentials changed: %+v", tr)
	}
	if n := len(p.fb.Posts(pageIDs["kpu"])); n != 1 {
		t.Fatalf("%d posts, want 1", n)
	}
}

func TestAnotherAccountsCredentialsPostNothing(t *testing.T) {
	p := newPlatforms(t)
	root := t.TempDir()
	// KPU's X variables hold Diskominfo's keys.
	for _, v := range []string{"X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_SECRET"} {
		p.env["HUMAS_KPU_"+v] = p.env["HUMAS_DISKOMINFO_"+v]
	}
	identity := func(account, platform string) string {
		if platform == "x" {
			return "@" + usernames[account]
		}
		return ""
	}
	res := runMode(t, p, root, pipeline.Explicit, func(o *pipeline.Options) { o.Identity = identity })
	tr := targetOf(t, res, "kpu/x")
	if tr.Status != pipeline.StatusFailed || tr.Needs != pipeline.NeedsPerson ||
		!strings.Contains(tr.Error, "the credentials belong to @diskominfobpp, not @kpubalikpapan as accounts.kpu.x says") {
		t.Fatalf("kpu/x: %+v", tr)
	}
	got := p.counts()
	if got["kpu/x"] != 0 || got["diskominfo/x"] != 1 || got["kpu/facebook"] != 1 {
		t.Fatalf("posts %v: want nothing on KPU's X (nor on Diskominfo's by KPU), the others posted", got)
	}
	if lt := recordOf(t, root, "sinergi").Target("kpu", "x"); lt.State != ledger.Failed || !lt.Permanent {
		t.Errorf("ledger %+v", lt)
	}
}

func runMode(t *testing.T, p *platforms, root string, mode pipeline.Mode, change ...func(*pipeline.Options)) pipeline.Result {
	t.Helper()
	o := pipeline.Options{Root: root, NewPoster: p.factory, Clock: &sleeper{now: time.Now()}, RequestTimeout: 2 * time.Second}
	for _, c := range change {
		c(&o)
	}
	res, err := pipeline.New(o).Run(context.Background(), mode, []pipeline.Job{job()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
