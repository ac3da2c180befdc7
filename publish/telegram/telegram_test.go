package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/telegram"
	"github.com/balikpapan/humas/publish/telegram/tgfake"
)

const (
	botID      = 7000000002
	token      = "7000000002:AAEkpuBotTokenSecretPart0123456789a"
	otherToken = "7000000009:AAErevokedBotTokenSecret0123456789b"
	channelID  = -1001000000002
	article    = "https://humas.balikpapan.go.id/pemilu-damai/"
)

func pngImage(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 80))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fake starts a Bot API with KPU's bot, administrator of @kpubalikpapan allowed
// to post, closed when t ends.
func fake(t testing.TB) *tgfake.Server {
	t.Helper()
	s := tgfake.New()
	t.Cleanup(s.Close)
	s.AddBot(tgfake.Bot{ID: botID, Username: "kpu_humas_bot", FirstName: "Humas KPU", Token: token})
	s.AddBot(tgfake.Bot{ID: 7000000003, Username: "lain_bot", FirstName: "Lain", Token: "7000000003:AAElainBotTokenSecretPart0123456789"})
	s.AddChannel(tgfake.Channel{ID: channelID, Username: "kpubalikpapan", Title: "KPU Kota Balikpapan"})
	s.SetRights(channelID, botID, tgfake.Rights{Status: "administrator", CanPostMessages: true})
	return s
}

func client(s *tgfake.Server, tok string) *telegram.Client {
	return telegram.New(telegram.Config{BaseURL: s.URL, Channel: "@kpubalikpapan", Token: tok,
		TokenVar: "HUMAS_KPU_TELEGRAM_BOT_TOKEN"})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestConformance(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Setup {
		s := fake(t)
		return postertest.Setup{
			Poster:            client(s, token),
			Fake:              s.Fake(channelID),
			Unauthorized:      client(s, otherToken),
			Secrets:           []string{token, otherToken, "AAEkpuBotTokenSecretPart0123456789a"},
			Image:             &publish.Image{Name: "foto.png", Data: pngImage(t), Alt: "Ketua KPU menyerahkan logistik"},
			AcceptsDuplicates: true,
			CannotLook:        true,
			NoAlt:             true,
			Identity:          "@kpubalikpapan",
			// Another office's bot, which is no administrator of this channel.
			OtherAccount: client(s, "7000000003:AAElainBotTokenSecretPart0123456789"),
		}
	})
}

func TestTheChannelShowsTheTextExactlyAsWritten(t *testing.T) {
	s := fake(t)
	text := `Rapat <pleno> & "debat" AT&T, &lt;bukan tag&gt; &amp; 5 > 3 — 🗳️ #Pemilu2024`
	r, err := client(s, token).Post(ctx(t), publish.Post{Text: text, Link: article})
	if err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(channelID)
	if len(msgs) != 1 || msgs[0].Text != text+"\n\n"+article || len(msgs[0].Entities) != 0 {
		t.Fatalf("channel holds %+v; want the text as written, the link after it, no formatting", msgs)
	}
	if msgs[0].Preview != article {
		t.Errorf("link preview %q; want the article", msgs[0].Preview)
	}
	if r.ID != "kpubalikpapan/1" || r.URL != "https://t.me/kpubalikpapan/1" {
		t.Errorf("receipt %+v; want kpubalikpapan/1 and its t.me link", r)
	}
}

func TestAPartnersPostLinksTheIssuersMessage(t *testing.T) {
	s := fake(t)
	p := publish.Post{Text: "Rapat pleno terbuka.\nSumber: KPU Kota Balikpapan", Link: article, Quote: "kpubalikpapan/41"}
	if _, err := client(s, token).Post(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	m := s.Messages(channelID)[0]
	if want := p.Text + "\n\n" + article + "\nhttps://t.me/kpubalikpapan/41"; m.Text != want {
		t.Fatalf("text %q; want %q", m.Text, want)
	}
	if m.Preview != article {
		t.Fatalf("preview %q; want the article, not the issuer's message", m.Preview)
	}
	t.Run("a reference that is no Telegram message is refused", func(t *testing.T) {
		p.Quote = "1403000000000000000"
		if _, err := client(s, token).Post(ctx(t), p); err == nil || publish.IsTransient(err) {
			t.Fatalf("err = %v; want a permanent refusal", err)
		}
	})
}

func TestAPhotoCarriesTheTextAsItsCaption(t *testing.T) {
	s := fake(t)
	img := &publish.Image{Name: "foto.png", Data: pngImage(t), Alt: "foto"}
	if _, err := client(s, token).Post(ctx(t), publish.Post{Text: "Logistik <tiba>", Link: article, Image: img}); err != nil {
		t.Fatal(err)
	}
	m := s.Messages(channelID)[0]
	if !m.Photo || m.Text != "Logistik <tiba>\n\n"+article {
		t.Fatalf("message %+v; want a photo captioned with the text and link", m)
	}
}

func TestLengthsAreCountedAfterEntityParsing(t *testing.T) {
	img := &publish.Image{Name: "foto.png", Data: pngImage(t)}
	tests := []struct {
		name  string
		text  string
		image *publish.Image
		ok    bool
	}{
		// 4,096 '<' are 16,384 bytes once escaped, and 4,096 characters to Telegram.
		{"4,096 characters that all need escaping", strings.Repeat("<", 4096), nil, true},
		{"4,097 characters", strings.Repeat("a", 4097), nil, false},
		{"4,096 emoji", strings.Repeat("🗳", 4096), nil, true},
		{"a caption of 1,024 characters", strings.Repeat("&", 1024), img, true},
		{"a caption of 1,025 characters", strings.Repeat("a", 1025), img, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fake(t)
			_, err := client(s, token).Post(ctx(t), publish.Post{Text: tt.text, Image: tt.image})
			if tt.ok && err != nil {
				t.Fatalf("err = %v; want it sent", err)
			}
			if !tt.ok && (err == nil || publish.IsTransient(err) || s.Requests() != 0) {
				t.Fatalf("err = %v after %d requests; want a permanent refusal before any request", err, s.Requests())
			}
		})
	}
}

func TestRefusalsAreClassifiedWithTheirFix(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*tgfake.Server)
		tok   string
		want  string
		trans bool
	}{
		{"a bot that is not in the channel", func(s *tgfake.Server) { s.SetRights(channelID, botID, tgfake.Rights{Status: "left"}) },
			token, "add the bot to @kpubalikpapan as an administrator", false},
		{"a kicked bot", func(s *tgfake.Server) { s.SetRights(channelID, botID, tgfake.Rights{Status: "kicked"}) },
			token, "bot was kicked", false},
		{"an administrator that may not post", func(s *tgfake.Server) {
			s.SetRights(channelID, botID, tgfake.Rights{Status: "administrator"})
		}, token, "need administrator rights", false},
		{"a revoked token", func(*tgfake.Server) {}, otherToken, "HUMAS_KPU_TELEGRAM_BOT_TOKEN", false},
		{"a malformed token", func(*tgfake.Server) {}, "bukan-token", "invalid token specified", false},
		{"a chat that moved", func(s *tgfake.Server) { s.Migrate("@kpubalikpapan", -1009999999999) },
			token, `set telegram.channel to "-1009999999999"`, false},
		{"a server error", func(s *tgfake.Server) { s.FailWith(channelID, 500, "Internal Server Error", 1) },
			token, "Internal Server Error", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fake(t)
			tt.setup(s)
			_, err := client(s, tt.tok).Post(ctx(t), publish.Post{Text: "Uji", Link: article})
			if err == nil || publish.IsTransient(err) != tt.trans || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want transient %v and %q", err, tt.trans, tt.want)
			}
			if n := len(s.Messages(channelID)); n != 0 {
				t.Fatalf("channel holds %d messages; want none", n)
			}
		})
	}
	t.Run("an unknown channel names the setting to fix", func(t *testing.T) {
		s := fake(t)
		c := telegram.New(telegram.Config{BaseURL: s.URL, Channel: "@kpu_salah", Token: token})
		_, err := c.Post(ctx(t), publish.Post{Text: "Uji"})
		if err == nil || !strings.Contains(err.Error(), "chat not found") || !strings.Contains(err.Error(), "telegram.channel (@kpu_salah)") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFloodControlIsHonoured(t *testing.T) {
	s := fake(t)
	c := client(s, token)
	for i := range 20 {
		if _, err := c.Post(ctx(t), publish.Post{Text: fmt.Sprint("Pesan ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Post(ctx(t), publish.Post{Text: "Pesan 21"})
	if d := publish.RetryAfter(err); !publish.IsTransient(err) || d <= 0 || d > time.Minute {
		t.Fatalf("err = %v, retry after %v; want a transient 429 within a minute", err, d)
	}
}

func TestVerify(t *testing.T) {
	t.Run("the channel, as humas.yaml spells it", func(t *testing.T) {
		s := fake(t)
		c := telegram.New(telegram.Config{BaseURL: s.URL, Channel: "@KPUBalikpapan", Token: token})
		if name, err := c.Verify(ctx(t)); err != nil || name != "@KPUBalikpapan" {
			t.Fatalf("verify = %q, %v", name, err)
		}
	})
	t.Run("a private channel by id answers its title", func(t *testing.T) {
		s := fake(t)
		s.AddChannel(tgfake.Channel{ID: -1001000000007, Title: "Humas Internal"})
		s.SetRights(-1001000000007, botID, tgfake.Rights{Status: "administrator", CanPostMessages: true})
		c := telegram.New(telegram.Config{BaseURL: s.URL, Channel: "-1001000000007", Token: token})
		if name, err := c.Verify(ctx(t)); err != nil || name != "Humas Internal" {
			t.Fatalf("verify = %q, %v", name, err)
		}
		r, err := c.Post(ctx(t), publish.Post{Text: "Internal"})
		if err != nil || r.URL != "https://t.me/c/1000000007/1" {
			t.Fatalf("post = %+v, %v; want the t.me/c/ link", r, err)
		}
	})
	for _, rights := range []tgfake.Rights{{Status: "administrator"}, {Status: "left"}, {Status: "kicked"}} {
		t.Run("a bot that is "+rights.Status+" without the right to post", func(t *testing.T) {
			s := fake(t)
			s.SetRights(channelID, botID, rights)
			_, err := client(s, token).Verify(ctx(t))
			if err == nil || publish.IsTransient(err) || !strings.Contains(err.Error(), "@kpu_humas_bot") ||
				!strings.Contains(err.Error(), "administrator allowed to post messages") {
				t.Fatalf("verify = %v; want a permanent error naming the bot and the fix", err)
			}
		})
	}
}

// errorTree is every error reachable from err by unwrapping: whoever prints any
// of them must not see the token.
func errorTree(err error) []error {
	if err == nil {
		return nil
	}
	out := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		out = append(out, errorTree(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, errorTree(e)...)
		}
	}
	return out
}

func TestNoErrorEverShowsTheToken(t *testing.T) {
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
	drop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(drop.Close)
	// A server that puts the request's path, token and all, into its answer.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"ok":false,"error_code":400,"description":"Bad Request: no such path %s"}`, r.URL.Path)
	}))
	t.Cleanup(echo.Close)
	// A redirect to a server that is gone: Go's error names the URL it followed.
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, goneURL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirect.Close)
	f := fake(t)

	calls := map[string]func(context.Context, *telegram.Client) error{
		"post": func(c context.Context, tg *telegram.Client) error {
			_, err := tg.Post(c, publish.Post{Text: "x"})
			return err
		},
		"photo": func(c context.Context, tg *telegram.Client) error {
			_, err := tg.Post(c, publish.Post{Text: "x", Image: &publish.Image{Data: pngImage(t)}})
			return err
		},
		"find":   func(c context.Context, tg *telegram.Client) error { _, _, err := tg.Find(c, article); return err },
		"verify": func(c context.Context, tg *telegram.Client) error { _, err := tg.Verify(c); return err },
	}
	bases := []struct{ name, url string }{
		{"a refused connection", goneURL}, {"a hanging server", hang.URL}, {"a dropped connection", drop.URL},
		{"an answer that echoes the path", echo.URL}, {"a redirect to a gone server", redirect.URL},
		{"a base that is not a URL", "http://[::1:bad"}, {"the fake, refusing the token", f.URL},
	}
	for _, b := range bases {
		for name, call := range calls {
			t.Run(name+" against "+b.name, func(t *testing.T) {
				tok := token
				if b.url == f.URL {
					tok = otherToken
				}
				c := telegram.New(telegram.Config{BaseURL: b.url, Channel: "@kpubalikpapan", Token: tok})
				cx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
				defer cancel()
				err := call(cx, c)
				if err == nil {
					t.Fatal("want an error")
				}
				_, secret, _ := strings.Cut(tok, ":")
				for _, e := range errorTree(err) {
					for _, s := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e.Error())} {
						if strings.Contains(s, secret) {
							t.Fatalf("error %q shows the token", s)
						}
					}
				}
			})
		}
	}
}

// The token is in the path of every request, and net/http, following a redirect,
// sends the address it left as Referer: a Bot API server (or a proxy named by
// HUMAS_TELEGRAM_API_URL) that redirects must not hand the token to where it points.
func TestARedirectNeverCarriesTheTokenElsewhere(t *testing.T) {
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.String(), fmt.Sprint(r.Header))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true,"result":{"id":7000000002,"is_bot":true,"first_name":"x","username":"x_bot"}}`)
	}))
	t.Cleanup(other.Close)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirect.Close)
	c := telegram.New(telegram.Config{BaseURL: redirect.URL, Channel: "@kpubalikpapan", Token: token})
	if _, err := c.Verify(ctx(t)); err == nil {
		t.Error("verify through a redirect: want an error, the Bot API never redirects")
	}
	if _, err := c.Post(ctx(t), publish.Post{Text: "x"}); err == nil {
		t.Error("post through a redirect: want an error")
	}
	_, secret, _ := strings.Cut(token, ":")
	for _, s := range seen {
		if strings.Contains(s, secret) {
			t.Fatalf("the server redirected to received the token: %s", s)
		}
	}
}

func TestPlatformOpen(t *testing.T) {
	env := func(m map[string]string) publish.Getenv { return func(k string) string { return m[k] } }
	acc := platform.Account{Key: "kpu", Platform: "telegram", Settings: map[string]string{"channel": "@kpubalikpapan"}}
	t.Run("a missing token names its variable", func(t *testing.T) {
		_, err := telegram.Platform.Open(acc, env(nil), "")
		if err == nil || err.Error() != "kpu/telegram: HUMAS_KPU_TELEGRAM_BOT_TOKEN is not set" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("token and endpoint reach the channel", func(t *testing.T) {
		s := fake(t)
		e := tgfake.Bot{Token: token}.Env("kpu")
		e["HUMAS_TELEGRAM_API_URL"] = s.URL
		p, err := telegram.Platform.Open(acc, env(e), "")
		if err != nil {
			t.Fatal(err)
		}
		if name, err := p.Verify(ctx(t)); err != nil || name != telegram.Platform.Identity(acc) {
			t.Fatalf("verify = %q, %v; want %q", name, err, telegram.Platform.Identity(acc))
		}
	})
	t.Run("humas.yaml's channel is checked and cleaned", func(t *testing.T) {
		got, problems := telegram.Platform.Account.Parse(map[string]string{"channel": "kpubalikpapan"})
		if len(problems) != 0 || got["channel"] != "@kpubalikpapan" {
			t.Fatalf("parse = %v, %+v; want @kpubalikpapan", got, problems)
		}
		for _, bad := range []string{"@kpu", "https://t.me/kpubalikpapan", "-42"} {
			if _, problems := telegram.Platform.Account.Parse(map[string]string{"channel": bad}); len(problems) != 1 {
				t.Errorf("channel %q accepted", bad)
			}
		}
	})
}

func TestFindSaysItCannotLook(t *testing.T) {
	_, ok, err := client(fake(t), token).Find(ctx(t), article)
	if ok || !errors.Is(err, publish.ErrCannotLook) || publish.IsTransient(err) || !strings.Contains(err.Error(), "humas resolve") {
		t.Fatalf("find = %v, %v; want a permanent ErrCannotLook pointing at humas resolve", ok, err)
	}
}
