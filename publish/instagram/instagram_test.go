package instagram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/facebook"
	"github.com/balikpapan/humas/publish/instagram"
	"github.com/balikpapan/humas/publish/instagram/igfake"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/postertest"
)

const (
	userID    = "17841400000000002"
	username  = "kpubalikpapan"
	token     = "EAAGkpuInstagramTokenSecret123"
	appSecret = "kpu-ig-app-secret-9a8b7c"
	otherID   = "17841400000000001"
	otherTok  = "EAAGdiskominfoInstagramToken456"
	article   = "https://humas.balikpapan.go.id/pemilu-damai/"
)

// encodeJPEG draws a w×h JPEG.
func encodeJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, h/2, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// site serves images as the live site would: a 4:5 card, a 2:1 photo, a PNG, one
// over 8 MB, and 404 for anything else.
type site struct {
	*httptest.Server
	card []byte
}

func newSite(t testing.TB) *site {
	t.Helper()
	card := encodeJPEG(t, 320, 400)
	wide := encodeJPEG(t, 400, 200)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 320, 400))); err != nil {
		t.Fatal(err)
	}
	big := append(append([]byte{}, card...), make([]byte, 8<<20)...)
	files := map[string][]byte{"/card.jpg": card, "/lebar.jpg": wide, "/foto.png": pngBuf.Bytes(), "/besar.jpg": big}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", http.DetectContentType(b))
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return &site{Server: srv, card: card}
}

// fake starts a fake Graph with KPU's account (app secret required) and
// Diskominfo's, closed when t ends.
func fake(t testing.TB) *igfake.Server {
	t.Helper()
	s := igfake.New()
	t.Cleanup(s.Close)
	s.AddAccount(igfake.Account{UserID: userID, Username: username, Token: token, AppSecret: appSecret})
	s.AddAccount(igfake.Account{UserID: otherID, Username: "diskominfobpp", Token: otherTok})
	return s
}

func config(s *igfake.Server, tok, secret string) instagram.Config {
	return instagram.Config{
		BaseURL: s.URL, UserID: userID, Username: username, Token: tok, AppSecret: secret,
		Poll: instagram.Poll{Initial: time.Millisecond, Max: 4 * time.Millisecond, For: 5 * time.Second},
		Now:  s.Now,
	}
}

func client(s *igfake.Server, tok, secret string) *instagram.Client {
	return instagram.New(config(s, tok, secret))
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func post(st *site, text string) publish.Post {
	return publish.Post{Text: text, Link: article,
		Image: &publish.Image{Name: "card.jpg", URL: st.URL + "/card.jpg", Data: st.card, Alt: "Kartu siaran pers KPU"}}
}

func TestConformance(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Setup {
		s, st := fake(t), newSite(t)
		return postertest.Setup{
			Poster:            client(s, token, appSecret),
			Fake:              s.Fake(userID),
			Unauthorized:      client(s, "EAAGrevokedToken789", appSecret),
			Secrets:           []string{token, appSecret, "EAAGrevokedToken789", igfake.Proof(token, appSecret)},
			Image:             &publish.Image{Name: "card.jpg", URL: st.URL + "/card.jpg", Data: st.card, Alt: "Ketua KPU menyerahkan logistik"},
			NeedsImage:        true,
			AcceptsDuplicates: true,
			Checkpoints:       true,
			Identity:          "@" + username,
			// Diskominfo's token set up as KPU's.
			OtherAccount: client(s, otherTok, ""),
		}
	})
}

func TestPostSendsWhatInstagramExpects(t *testing.T) {
	s, st := fake(t), newSite(t)
	s.Processing(3)
	p := post(st, "Rapat pleno terbuka #PemiluDamai")
	p.Collaborators = []string{"@diskominfobpp"}
	r, err := client(s, token, appSecret).Post(ctx(t), p)
	if err != nil {
		t.Fatal(err)
	}
	posts := s.Posts(userID)
	if len(posts) != 1 {
		t.Fatalf("fake holds %d posts; want 1", len(posts))
	}
	got := posts[0]
	if want := "Rapat pleno terbuka #PemiluDamai\n\nhumas.balikpapan.go.id/pemilu-damai"; got.Caption != want {
		t.Errorf("caption %q; want the text and the article's address %q", got.Caption, want)
	}
	if got.AltText != "Kartu siaran pers KPU" || got.ImageURL != st.URL+"/card.jpg" {
		t.Errorf("alt text %q, image %q; want the image's alt text and URL", got.AltText, got.ImageURL)
	}
	if len(got.Collaborators) != 1 || got.Collaborators[0] != "diskominfobpp" {
		t.Errorf("collaborators %q; want [diskominfobpp], without the @", got.Collaborators)
	}
	if r.ID != got.ID || r.URL != got.Permalink {
		t.Errorf("receipt %+v; want id %s and permalink %s", r, got.ID, got.Permalink)
	}
	if cs := s.Containers(userID); len(cs) != 1 || cs[0].Status != "PUBLISHED" {
		t.Errorf("containers %+v; want one, published", cs)
	}
}

func TestACaptionThatNamesTheArticleIsSentAsWritten(t *testing.T) {
	s, st := fake(t), newSite(t)
	text := "Rapat pleno. Selengkapnya: humas.balikpapan.go.id/pemilu-damai"
	if _, err := client(s, token, appSecret).Post(ctx(t), post(st, text)); err != nil {
		t.Fatal(err)
	}
	if got := s.Posts(userID)[0].Caption; got != text {
		t.Fatalf("caption %q; want %q unchanged", got, text)
	}
}

func TestWhatInstagramWouldRefuseIsRefusedBeforeAnyCall(t *testing.T) {
	st := newSite(t)
	many := func(n int, f string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf(f, i)
		}
		return out
	}
	tests := []struct {
		name   string
		change func(*publish.Post)
		want   string
	}{
		{"no image", func(p *publish.Post) { p.Image = nil }, "without an image"},
		{"an image without its public URL", func(p *publish.Post) { p.Image.URL = "" }, "public URL"},
		{"an image URL that is a file path", func(p *publish.Post) { p.Image.URL = "public/x/card.jpg" }, "http(s)"},
		{"a PNG", func(p *publish.Post) {
			var b bytes.Buffer
			_ = png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 5)))
			p.Image.Data = b.Bytes()
		}, "takes jpeg, not png"},
		{"a 2:1 photo", func(p *publish.Post) { p.Image.Data = encodeJPEG(t, 400, 200) }, "this one is 2.00:1"},
		{"a caption over 2,200 characters", func(p *publish.Post) { p.Text = strings.Repeat("é", 2201) }, "characters: Instagram takes at most 2200"},
		{"31 hashtags", func(p *publish.Post) { p.Text = strings.Join(many(31, "#tag%d"), " ") }, "31 hashtags"},
		{"21 mentions", func(p *publish.Post) { p.Text = strings.Join(many(21, "@akun%d"), " ") }, "21 accounts"},
		{"four collaborators", func(p *publish.Post) { p.Collaborators = many(4, "akun%d") }, "4 collaborators"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fake(t)
			p := post(st, "Teks")
			img := *p.Image
			p.Image = &img
			tt.change(&p)
			_, err := client(s, token, appSecret).Post(ctx(t), p)
			var pe *publish.Error
			if !errors.As(err, &pe) || pe.Kind != publish.Permanent || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want a permanent refusal saying %q", err, tt.want)
			}
			if n := s.Requests(); n != 0 {
				t.Fatalf("the fake got %d requests; want none", n)
			}
		})
	}
}

func TestImagesInstagramFetchesAreCheckedAsInstagramChecksThem(t *testing.T) {
	st := newSite(t)
	tests := []struct {
		name    string
		path    string
		subcode string
		kind    publish.Kind
	}{
		{"an image the site does not serve yet is tried again", "/belum-ada.jpg", "2207052", publish.Transient},
		{"a 2:1 photo is refused", "/lebar.jpg", "2207009", publish.Permanent},
		{"a PNG is refused", "/foto.png", "2207005", publish.Permanent},
		{"an image over 8 MB is refused", "/besar.jpg", "2207004", publish.Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fake(t)
			p := post(st, "Gambar")
			p.Image = &publish.Image{URL: st.URL + tt.path, Alt: "foto"} // no Data: only Instagram sees it
			_, err := client(s, token, appSecret).Post(ctx(t), p)
			var pe *publish.Error
			if !errors.As(err, &pe) || pe.Kind != tt.kind || !strings.Contains(pe.Message, "subcode "+tt.subcode) {
				t.Fatalf("err = %v; want kind %v with subcode %s", err, tt.kind, tt.subcode)
			}
			if len(s.Posts(userID))+len(s.Containers(userID)) != 0 {
				t.Fatal("the fake made a container or a post")
			}
		})
	}
}

func TestAContainerThatFailsIsClassifiedByItsSubcode(t *testing.T) {
	st := newSite(t)
	for _, tt := range []struct {
		subcode int
		kind    publish.Kind
	}{{2207052, publish.Transient}, {2207009, publish.Permanent}} {
		t.Run(fmt.Sprint(tt.subcode), func(t *testing.T) {
			s := fake(t)
			s.FailContainer(userID, tt.subcode)
			_, err := client(s, token, appSecret).Post(ctx(t), post(st, "Gagal"))
			var pe *publish.Error
			if !errors.As(err, &pe) || pe.Kind != tt.kind || pe.Code != fmt.Sprint(tt.subcode) {
				t.Fatalf("err = %v; want kind %v, code %d", err, tt.kind, tt.subcode)
			}
			if n := len(s.Posts(userID)); n != 0 {
				t.Fatalf("fake holds %d posts; want 0", n)
			}
		})
	}
}

func TestASpentQuotaSaysWhenItFrees(t *testing.T) {
	s, st := fake(t), newSite(t)
	s.AddAccount(igfake.Account{UserID: userID, Username: username, Token: token, AppSecret: appSecret, Quota: 2})
	c := client(s, token, appSecret)
	if _, err := c.Post(ctx(t), post(st, "Satu")); err != nil {
		t.Fatal(err)
	}
	first := s.Posts(userID)[0].Published
	s.Advance(5 * time.Hour)
	if _, err := c.Post(ctx(t), post(st, "Dua")); err != nil {
		t.Fatal(err)
	}
	s.Advance(time.Hour)
	containers := len(s.Containers(userID))

	_, err := c.Post(ctx(t), post(st, "Tiga"))
	frees, ok := publish.QuotaFrees(err)
	if !ok || !publish.IsTransient(err) {
		t.Fatalf("err = %v; want a transient spent quota", err)
	}
	// The first post leaves the 24-hour window first: the slot frees then, and
	// humas may say so a little late (one search step) but never early.
	earliest := first.Add(24 * time.Hour)
	if frees.Before(earliest) || frees.After(earliest.Add(6*time.Minute)) {
		t.Fatalf("frees at %v; want within six minutes after %v", frees, earliest)
	}
	if n := len(s.Containers(userID)); n != containers {
		t.Fatalf("%d containers after the refusal; want %d: nothing may be sent", n, containers)
	}
	if n := len(s.Posts(userID)); n != 2 {
		t.Fatalf("fake holds %d posts; want 2", n)
	}
	s.Advance(frees.Sub(s.Now()))
	if _, err := c.Post(ctx(t), post(st, "Tiga")); err != nil {
		t.Fatalf("post when the quota frees: %v", err)
	}
}

func TestAPublishRefusedForTheLimitWhileTheLimitReadSaysOtherwiseIsTransient(t *testing.T) {
	s, st := fake(t), newSite(t)
	s.FailCode(userID, http.StatusBadRequest, 9, 2207042, 1)
	_, err := client(s, token, appSecret).Post(ctx(t), post(st, "Balapan"))
	if !publish.IsTransient(err) || !strings.Contains(err.Error(), "2207042") {
		t.Fatalf("err = %v; want the transient refusal", err)
	}
}

func TestAnExpiredContainerIsMadeAgain(t *testing.T) {
	s, st := fake(t), newSite(t)
	c := client(s, token, appSecret)
	s.Fail(userID, postertest.Unavailable, 1)
	p := post(st, "Kedaluwarsa")
	p.Checkpoint = &publish.Checkpoint{}
	if _, err := c.Post(ctx(t), p); !publish.IsTransient(err) {
		t.Fatalf("err = %v; want transient", err)
	}
	first := p.Checkpoint.ID
	s.Advance(25 * time.Hour)
	if _, err := c.Post(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	cs := s.Containers(userID)
	if len(cs) != 2 || cs[0].ID != first || cs[0].Status != "EXPIRED" || cs[1].Status != "PUBLISHED" {
		t.Fatalf("containers %+v; want the expired one and a new published one", cs)
	}
	if p.Checkpoint.ID != cs[1].ID {
		t.Fatalf("checkpoint %s; want the new container %s", p.Checkpoint.ID, cs[1].ID)
	}
}

func TestAPublishedContainerWhosePostCannotBeFoundNeedsAPerson(t *testing.T) {
	s, st := fake(t), newSite(t)
	c := client(s, token, appSecret)
	p := post(st, "Terbit")
	p.Checkpoint = &publish.Checkpoint{}
	if _, err := c.Post(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	// The release's address changed since (a renamed slug): its container was
	// published, and no post names the new address.
	renamed := post(st, "Terbit")
	renamed.Link = "https://humas.balikpapan.go.id/pemilu-damai-2024/"
	renamed.Checkpoint = &publish.Checkpoint{ID: p.Checkpoint.ID}
	_, err := c.Post(ctx(t), renamed)
	if !errors.Is(err, publish.ErrCannotLook) || publish.IsTransient(err) {
		t.Fatalf("err = %v; want a permanent ErrCannotLook", err)
	}
	if n := len(s.Posts(userID)); n != 1 {
		t.Fatalf("fake holds %d posts; want 1", n)
	}
}

func TestVerify(t *testing.T) {
	t.Run("returns the account's handle", func(t *testing.T) {
		s := fake(t)
		if name, err := client(s, token, appSecret).Verify(ctx(t)); err != nil || name != "@"+username {
			t.Fatalf("verify = %q, %v; want @%s", name, err, username)
		}
	})
	t.Run("refuses an account other than humas.yaml's, naming both", func(t *testing.T) {
		s := fake(t)
		cfg := config(s, token, appSecret)
		cfg.Username = "kpu_pribadi"
		_, err := instagram.New(cfg).Verify(ctx(t))
		if err == nil || publish.IsTransient(err) || !strings.Contains(err.Error(), "@kpubalikpapan") ||
			!strings.Contains(err.Error(), "@kpu_pribadi") {
			t.Fatalf("verify = %v; want a permanent error naming both accounts", err)
		}
	})
	t.Run("refuses a token of another account", func(t *testing.T) {
		s := fake(t)
		_, err := client(s, otherTok, "").Verify(ctx(t))
		var pe *publish.Error
		if !errors.As(err, &pe) || pe.Code != "100" || publish.IsTransient(err) || strings.Contains(err.Error(), otherTok) {
			t.Fatalf("verify = %v; want a permanent code 100 without the token", err)
		}
	})
}

func TestAppsecretProof(t *testing.T) {
	st := newSite(t)
	t.Run("a call without the proof its app requires is refused", func(t *testing.T) {
		s := fake(t)
		_, err := client(s, token, "").Post(ctx(t), post(st, "Tanpa bukti"))
		if err == nil || publish.IsTransient(err) || !strings.Contains(err.Error(), "appsecret_proof") {
			t.Fatalf("err = %v; want a permanent refusal naming appsecret_proof", err)
		}
	})
	t.Run("a proof made with another secret is refused", func(t *testing.T) {
		s := fake(t)
		_, err := client(s, token, "rahasia-lain").Verify(ctx(t))
		if err == nil || !strings.Contains(err.Error(), "Invalid appsecret_proof") {
			t.Fatalf("err = %v; want Graph's invalid proof message", err)
		}
	})
}

func TestNoSecretInErrors(t *testing.T) {
	st := newSite(t)
	secrets := []string{token, appSecret, igfake.Proof(token, appSecret)}
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	// Graph's paging links repeat the query string, which carries the token when a
	// client sends it there: drop the connection so net/http names that URL.
	paging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("after") != "" {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		fmt.Fprintf(w, `{"data":[{"id":"1","caption":"lain"}],"paging":{"next":"http://%s%s?access_token=%s&after=x"}}`,
			r.Host, r.URL.Path, token)
	}))
	t.Cleanup(paging.Close)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":{"message":"Malformed access token %s","type":"OAuthException","code":190}}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "OAuth "))
	}))
	t.Cleanup(echo.Close)
	calls := map[string]func(context.Context, *instagram.Client) error{
		"find":   func(c context.Context, ig *instagram.Client) error { _, _, err := ig.Find(c, article); return err },
		"verify": func(c context.Context, ig *instagram.Client) error { _, err := ig.Verify(c); return err },
		"post":   func(c context.Context, ig *instagram.Client) error { _, err := ig.Post(c, post(st, "x")); return err },
	}
	for _, srv := range []struct{ name, url string }{
		{"a refused connection", goneURL}, {"a hanging server", hang.URL},
		{"a paging link with the token in it", paging.URL}, {"an error that echoes the token", echo.URL},
	} {
		for name, call := range calls {
			t.Run(name+" against "+srv.name, func(t *testing.T) {
				c := instagram.New(instagram.Config{BaseURL: srv.url, UserID: userID, Token: token, AppSecret: appSecret})
				cx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
				defer cancel()
				err := call(cx, c)
				if err == nil {
					t.Fatal("want an error")
				}
				for _, sec := range secrets {
					if strings.Contains(err.Error(), sec) || strings.Contains(fmt.Sprintf("%+v", err), sec) {
						t.Fatalf("error %q contains a credential", err)
					}
				}
			})
		}
	}
}

func TestTransportErrorsKeepTheirCause(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	c := instagram.New(instagram.Config{BaseURL: hang.URL, UserID: userID, Token: token})
	t.Run("a deadline is transient and still a deadline", func(t *testing.T) {
		cx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.Verify(cx)
		if !errors.Is(err, context.DeadlineExceeded) || !publish.IsTransient(err) {
			t.Fatalf("err = %v; want a transient error wrapping the deadline", err)
		}
	})
	t.Run("a run cancelled mid-request may go through next time", func(t *testing.T) {
		cx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Verify(cx)
		if !errors.Is(err, context.Canceled) || !publish.IsTransient(err) {
			t.Fatalf("err = %v; want a transient error wrapping the cancellation", err)
		}
	})
}

func TestPlatformOpen(t *testing.T) {
	env := func(m map[string]string) publish.Getenv { return func(k string) string { return m[k] } }
	acc := platform.Account{Key: "kpu", Platform: "instagram", Settings: map[string]string{"user_id": userID, "username": username}}
	t.Run("a missing token names its variable", func(t *testing.T) {
		_, err := instagram.Platform.Open(acc, env(nil), "")
		if err == nil || err.Error() != "kpu/instagram: HUMAS_KPU_INSTAGRAM_TOKEN is not set" {
			t.Fatalf("err = %v; want HUMAS_KPU_INSTAGRAM_TOKEN named", err)
		}
	})
	t.Run("token, app secret and endpoint reach the account", func(t *testing.T) {
		s := fake(t)
		e := igfake.Account{Token: token, AppSecret: appSecret}.Env("kpu")
		e["HUMAS_INSTAGRAM_GRAPH_URL"] = s.URL + "/"
		p, err := instagram.Platform.Open(acc, env(e), "")
		if err != nil {
			t.Fatal(err)
		}
		name, err := p.Verify(ctx(t))
		if err != nil || name != instagram.Platform.Identity(acc) {
			t.Fatalf("verify = %q, %v; want the identity humas.yaml gives, %s", name, err, instagram.Platform.Identity(acc))
		}
	})
	t.Run("an expired token's error names the variable to renew", func(t *testing.T) {
		s := fake(t)
		p, err := instagram.Platform.Open(acc, env(map[string]string{
			"HUMAS_KPU_INSTAGRAM_TOKEN": "EAAGkadaluwarsa", "HUMAS_INSTAGRAM_GRAPH_URL": s.URL}), "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Verify(ctx(t))
		if err == nil || !strings.Contains(err.Error(), "HUMAS_KPU_INSTAGRAM_TOKEN") || strings.Contains(err.Error(), "EAAGkadaluwarsa") {
			t.Fatalf("err = %v; want the variable named, never the token", err)
		}
	})
	t.Run("humas.yaml's entry is checked by the schema", func(t *testing.T) {
		_, problems := instagram.Platform.Account.Parse(map[string]string{"user_id": "kpu", "username": "@kpu balikpapan"})
		if len(problems) != 2 {
			t.Fatalf("problems %+v; want the id and the username refused", problems)
		}
		got, problems := instagram.Platform.Account.Parse(map[string]string{"user_id": userID, "username": "@" + username})
		if len(problems) != 0 || got["username"] != username {
			t.Fatalf("parse = %v, %+v; want the handle without @", got, problems)
		}
	})
}

func TestTheGraphVersionIsFacebooksAndPinnedInThePath(t *testing.T) {
	if instagram.GraphVersion != facebook.GraphVersion {
		t.Fatalf("instagram pins %s, facebook %s: one Meta app, one version", instagram.GraphVersion, facebook.GraphVersion)
	}
	var (
		mu    sync.Mutex
		paths []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.URL.Path)
		fmt.Fprintf(w, `{"id":%q,"username":%q}`, userID, username)
	}))
	t.Cleanup(srv.Close)
	for _, base := range []string{srv.URL, srv.URL + "/"} {
		if _, err := instagram.New(instagram.Config{BaseURL: base, UserID: userID, Token: token}).Verify(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := "/" + instagram.GraphVersion + "/" + userID
	if len(paths) != 2 || paths[0] != want || paths[1] != want {
		t.Fatalf("paths %q; want %q twice", paths, want)
	}
}
