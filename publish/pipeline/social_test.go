package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/instagram/igfake"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/telegram/tgfake"
	"github.com/balikpapan/humas/templates"
)

// social is the two institutions on the four social platforms: X and Facebook from
// platforms, Instagram and Telegram on their fakes, and the office's website, which
// serves the release's picture once it is "deployed".
type social struct {
	*platforms
	ig   *igfake.Server
	tg   *tgfake.Server
	site *httptest.Server

	mu      sync.Mutex
	missing int // the site answers 404 to this many more requests
}

var (
	igUsers    = map[string]string{"kpu": "17841400000000002", "diskominfo": "17841400000000001"}
	tgChannels = map[string]int64{"kpu": -1001000000002, "diskominfo": -1001000000001}
)

func newSocial(t *testing.T, photo []byte) *social {
	s := &social{platforms: newPlatforms(t), ig: igfake.New(), tg: tgfake.New()}
	t.Cleanup(s.ig.Close)
	t.Cleanup(s.tg.Close)
	s.ig.Processing(0)
	s.site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.missing > 0 || r.URL.Path != "/sinergi/foto.jpg" {
			s.missing--
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(photo)
	}))
	t.Cleanup(s.site.Close)
	s.env["HUMAS_INSTAGRAM_GRAPH_URL"], s.env["HUMAS_TELEGRAM_API_URL"] = s.ig.URL, s.tg.URL
	for i, acc := range []string{"kpu", "diskominfo"} {
		a := igfake.Account{UserID: igUsers[acc], Username: usernames[acc], Token: acc + "-ig-token-K7"}
		s.ig.AddAccount(a)
		maps.Copy(s.env, a.Env(acc))
		id := int64(7000000001 + i)
		bot := tgfake.Bot{ID: id, Username: acc + "_humas_bot", FirstName: "Humas",
			Token: fmt.Sprintf("%d:AAE%s%s", id, acc, strings.Repeat("x", 32-len(acc)))}
		s.tg.AddBot(bot)
		s.tg.AddChannel(tgfake.Channel{ID: tgChannels[acc], Username: usernames[acc], Title: acc})
		s.tg.SetRights(tgChannels[acc], bot.ID, tgfake.Rights{Status: "administrator", CanPostMessages: true})
		maps.Copy(s.env, bot.Env(acc))
	}
	return s
}

func (s *social) counts() map[string]int {
	out := s.platforms.counts()
	for _, acc := range []string{"kpu", "diskominfo"} {
		out[acc+"/instagram"] = len(s.ig.Posts(igUsers[acc]))
		out[acc+"/telegram"] = len(s.tg.Messages(tgChannels[acc]))
	}
	return out
}

// config is humas.yaml for the two institutions on all four platforms, the site at
// the fake website.
func (s *social) config(t *testing.T, collab bool) *config.Config {
	t.Helper()
	c := ""
	if collab {
		c = ", collab: true"
	}
	src := `site:
  base_url: ` + s.site.URL + `/
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    facebook: {page_id: "100000000000002"}
    instagram: {user_id: "17841400000000002", username: kpubalikpapan` + c + `}
    telegram: {channel: "@kpubalikpapan"}
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
    instagram: {user_id: "17841400000000001", username: diskominfobpp}
    telegram: {channel: "@diskominfobpp"}
`
	cfg, err := config.Parse("humas.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// job composes the release of KPU with its photo, as publish does, from root.
func (s *social) job(t *testing.T, cfg *config.Config, root string, photo []byte) pipeline.Job {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, "releases"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "releases", "foto.jpg"), photo, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := media.Inspect(photo)
	if err != nil {
		t.Fatal(err)
	}
	r := &release.Release{
		File: "releases/2021-06-09-sinergi.md", Title: "KPU dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
		Date: time.Date(2021, 6, 9, 13, 0, 0, 0, time.UTC), Issuer: "kpu", Classification: release.Berkala,
		Summary: "Kedua lembaga sepakat saling membagikan informasi resmi. Warga diminta memeriksa kabar sebelum membagikannya.",
		Tags:    []string{"pemilu-2024"}, Slug: "sinergi",
		Image: "releases/foto.jpg", ImageAlt: "Ketua KPU dan Kepala Diskominfo berjabat tangan", ImageInfo: info,
	}
	cts, err := compose.ComposeWith(cfg, templates.FS, r)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := pipeline.FromCompose(root, cts)
	if err != nil {
		t.Fatal(err)
	}
	return pipeline.NewJob(r, cfg.ArticleURL(r.Slug), ts)
}

// factory opens each target's adapter from humas.yaml and the environment, through
// the registry, as the CLI does.
func (s *social) factory(cfg *config.Config, root string) pipeline.Factory {
	return func(account, name string) (publish.Poster, error) {
		acc, _ := cfg.Account(account)
		pa, _ := acc.On(name)
		pl, _ := cfg.Platforms.Lookup(name)
		return pl.Open(pa, func(k string) string { return s.env[k] }, root)
	}
}

func (s *social) run(t *testing.T, cfg *config.Config, root string, j pipeline.Job, change ...func(*pipeline.Options)) pipeline.Result {
	t.Helper()
	o := pipeline.Options{Root: root, NewPoster: s.factory(cfg, root), Clock: &sleeper{now: time.Now()},
		RequestTimeout: 2 * time.Second, Platforms: cfg.Platforms}
	for _, c := range change {
		c(&o)
	}
	res, err := pipeline.New(o).Run(context.Background(), pipeline.Explicit, []pipeline.Job{j})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func jpegPhoto(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var eachOfEight = map[string]int{
	"kpu/x": 1, "kpu/facebook": 1, "kpu/instagram": 1, "kpu/telegram": 1,
	"diskominfo/x": 1, "diskominfo/facebook": 1, "diskominfo/instagram": 1, "diskominfo/telegram": 1,
}

func TestFourPlatformsTwoInstitutions(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	s.missing = 2 // the deploy is not there yet when Instagram's turn comes
	cfg, root := s.config(t, false), t.TempDir()
	j := s.job(t, cfg, root, photo)

	res := s.run(t, cfg, root, j)
	if got := s.counts(); !maps.Equal(got, eachOfEight) {
		t.Fatalf("posts %v, want one each; result %+v", got, res)
	}
	// Instagram fetched the site's copy of the photo, with its alt text, once it was there.
	ig := s.ig.Posts(igUsers["kpu"])[0]
	if ig.ImageURL != s.site.URL+"/sinergi/foto.jpg" || ig.AltText != "Ketua KPU dan Kepala Diskominfo berjabat tangan" {
		t.Errorf("instagram post %+v", ig)
	}
	if !strings.Contains(ig.Caption, "Selengkapnya: "+strings.TrimPrefix(s.site.URL, "http://")+"/sinergi") {
		t.Errorf("the caption names the article's address: %q", ig.Caption)
	}
	// The partner's Telegram post names the issuer and links the issuer's message.
	issuerMsg := s.tg.Messages(tgChannels["kpu"])[0]
	partnerMsg := s.tg.Messages(tgChannels["diskominfo"])[0]
	if !issuerMsg.Photo || !strings.Contains(partnerMsg.Text, "Sumber: KPU Kota Balikpapan\nhttps://t.me/kpubalikpapan/1") {
		t.Errorf("telegram: issuer %+v, partner %q", issuerMsg, partnerMsg.Text)
	}
	if p := s.ig.Posts(igUsers["diskominfo"])[0]; !strings.Contains(p.Caption, "Sumber: KPU Kota Balikpapan") {
		t.Errorf("the partner's Instagram post credits the issuer: %q", p.Caption)
	}

	res = s.run(t, cfg, root, j)
	if got := s.counts(); !maps.Equal(got, eachOfEight) {
		t.Errorf("a re-run posted: %v", got)
	}
	for k, st := range statusOf(res) {
		if st != pipeline.StatusAlreadyPosted {
			t.Errorf("%s: %s on re-run", k, st)
		}
	}
}

func statusOf(res pipeline.Result) map[string]string {
	out := map[string]string{}
	for _, tr := range res.Releases[0].Targets {
		out[tr.Account+"/"+tr.Platform] = tr.Status
	}
	return out
}

func TestInstagramWaitsForThePictureAndSendsNothingWithoutIt(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	s.missing = 1 << 30 // never deployed
	cfg, root := s.config(t, false), t.TempDir()
	res := s.run(t, cfg, root, s.job(t, cfg, root, photo), func(o *pipeline.Options) {
		o.Only, o.Accounts, o.ImageWait = []string{"instagram"}, []string{"kpu"}, 30*time.Second
	})
	tr := res.Releases[0].Targets[0]
	if tr.Status != pipeline.StatusFailed || !strings.Contains(tr.Error, "not sent: the platform fetches the picture from the site, and "+s.site.URL+"/sinergi/foto.jpg: not live after 30s: last answer HTTP 404") {
		t.Errorf("result %+v", tr)
	}
	if n := len(s.ig.Containers(igUsers["kpu"])); n != 0 {
		t.Errorf("%d containers made, want none", n)
	}
	rec := recordOf(t, root, "sinergi")
	if lt := rec.Target("kpu", "instagram"); lt == nil || lt.State != ledger.Failed {
		t.Errorf("ledger %+v: nothing was sent, so failed and not pending", lt)
	}
}

func TestInstagramCollabInvitesThePartner(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	cfg, root := s.config(t, true), t.TempDir()
	j := s.job(t, cfg, root, photo)

	// The partner's step may run first (CI posts per institution): it waits.
	res := s.run(t, cfg, root, j, func(o *pipeline.Options) { o.Accounts = []string{"diskominfo"}; o.Only = []string{"instagram"} })
	if tr := res.Releases[0].Targets[0]; tr.Status != pipeline.StatusSkipped || !strings.Contains(tr.Error, "waits for the issuer's Instagram post, which invites diskominfo as a collaborator") {
		t.Errorf("before the issuer posted: %+v", tr)
	}

	res = s.run(t, cfg, root, j, func(o *pipeline.Options) { o.Only = []string{"instagram"} })
	posts := s.ig.Posts(igUsers["kpu"])
	if len(posts) != 1 || !slices.Equal(posts[0].Collaborators, []string{"diskominfobpp"}) {
		t.Fatalf("kpu's post %+v: want one, inviting diskominfobpp", posts)
	}
	if n := len(s.ig.Posts(igUsers["diskominfo"])); n != 0 {
		t.Errorf("the invited partner posted %d posts of its own", n)
	}
	partner := res.Releases[0].Targets[1]
	if partner.Status != pipeline.StatusPosted || partner.ID != posts[0].ID || partner.URL != posts[0].Permalink ||
		partner.Note != "invited as collaborator on the issuer's post: accept the invitation in the Instagram app" {
		t.Errorf("partner %+v", partner)
	}
	st, err := pipeline.New(pipeline.Options{Root: root, Platforms: cfg.Platforms}).Status([]pipeline.Job{j})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range st.Releases[0].Targets {
		if tr.Account == "diskominfo" && tr.Platform == "instagram" && !strings.Contains(tr.Note, "accept the invitation in the Instagram app") {
			t.Errorf("status %+v: says the partner accepts in the app", tr)
		}
	}
}

// A Telegram message whose answer was lost may be in the channel, and the Bot API
// cannot say: the issuer's target stays pending for a person to decide, and the
// partner waits to link it rather than post without it.
func TestAPartnerWaitsForAnIssuerMessageThatMayHaveGoneOut(t *testing.T) {
	photo := jpegPhoto(t, 1200, 800)
	s := newSocial(t, photo)
	s.tg.Fail(tgChannels["kpu"], postertest.DropAfterRecord, 1)
	cfg, root := s.config(t, false), t.TempDir()
	res := s.run(t, cfg, root, s.job(t, cfg, root, photo), func(o *pipeline.Options) { o.Only = []string{"telegram"} })
	issuer, partner := res.Releases[0].Targets[0], res.Releases[0].Targets[1]
	if issuer.Status != pipeline.StatusFailed || !strings.Contains(issuer.Error, "humas resolve") {
		t.Errorf("issuer %+v", issuer)
	}
	if partner.Status != pipeline.StatusSkipped || !strings.Contains(partner.Error, "waiting for kpu/telegram, the issuer's post, which may have gone out") {
		t.Errorf("partner %+v", partner)
	}
	if n, m := len(s.tg.Messages(tgChannels["kpu"])), len(s.tg.Messages(tgChannels["diskominfo"])); n != 1 || m != 0 {
		t.Errorf("messages: kpu %d, diskominfo %d; want 1 and 0", n, m)
	}
	rec := recordOf(t, root, "sinergi")
	if lt := rec.Target("kpu", "telegram"); lt == nil || lt.State != ledger.Pending {
		t.Errorf("ledger kpu/telegram %+v, want pending", lt)
	}
}
