package x_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/x"
	"github.com/balikpapan/humas/publish/x/xfake"
)

const link = "https://humas.balikpapan.go.id/2026/11/27/rapat-pleno/"

// account has credentials distinctive enough that finding one in an error means it leaked.
var account = xfake.Account{
	Username:     "kpubalikpapan",
	APIKey:       "key-Zq7Wp2Lm9Xv4",
	APISecret:    "apisecret-Hh3Jk8Nn2Rr6Tt0Yy",
	AccessToken:  "1400-token-Bb5Dd7Ff9",
	AccessSecret: "accesssecret-Cc4Ee6Gg8Ii0",
}

func secrets(a xfake.Account) []string {
	return []string{a.APIKey, a.APISecret, a.AccessToken, a.AccessSecret}
}

func client(s *xfake.Server, a xfake.Account) *x.Client {
	return x.New(x.Config{BaseURL: s.URL, Username: a.Username, APIKey: a.APIKey, APISecret: a.APISecret,
		AccessToken: a.AccessToken, AccessSecret: a.AccessSecret})
}

func newFake(t *testing.T) *xfake.Server {
	t.Helper()
	s := xfake.New()
	t.Cleanup(s.Close)
	s.AddAccount(account)
	return s
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fakeAccount is the postertest control side for the account under test.
type fakeAccount struct {
	s        *xfake.Server
	username string
}

func (f fakeAccount) Fail(fault postertest.Fault, n int) { f.s.Fail(f.username, fault, n) }
func (f fakeAccount) PostCount() int                     { return len(f.s.Posts(f.username)) }

func (f fakeAccount) NewestAlt() string {
	posts := f.s.Posts(f.username)
	if len(posts) == 0 || len(posts[len(posts)-1].AltTexts) == 0 {
		return ""
	}
	return posts[len(posts)-1].AltTexts[0]
}

func TestConformance(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Setup {
		s := newFake(t)
		wrong := account
		wrong.AccessSecret = "wrong-secret-Kk1Mm3"
		// A personal account's keys, set up as if they were KPU's.
		personal := xfake.Account{Username: "pribadi", APIKey: "key-Pp1", APISecret: "apisecret-Pp2Qq3",
			AccessToken: "1500-token-Pp4", AccessSecret: "accesssecret-Pp5Qq6"}
		s.AddAccount(personal)
		asKPU := personal
		asKPU.Username = account.Username
		return postertest.Setup{
			Poster:       client(s, account),
			Fake:         fakeAccount{s, account.Username},
			Unauthorized: client(s, wrong),
			Secrets:      append(append(secrets(account), wrong.AccessSecret), secrets(personal)...),
			Image:        &publish.Image{Name: "foto.png", Data: pngImage(t), Alt: "Rapat pleno KPU"},
			Identity:     "@" + account.Username,
			OtherAccount: client(s, asKPU),
		}
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestPost(t *testing.T) {
	t.Run("the receipt links to the post under the account's handle", func(t *testing.T) {
		s := newFake(t)
		r, err := client(s, account).Post(ctx(t), publish.Post{Text: "Rapat pleno " + link, Link: link})
		if err != nil {
			t.Fatal(err)
		}
		if want := "https://x.com/kpubalikpapan/status/" + r.ID; r.URL != want {
			t.Errorf("receipt URL %q, want %q", r.URL, want)
		}
		if posts := s.Posts(account.Username); len(posts) != 1 || posts[0].ID != r.ID || posts[0].Text != "Rapat pleno "+link {
			t.Errorf("fake holds %+v", posts)
		}
	})
	t.Run("a quote post carries the quoted post's id", func(t *testing.T) {
		s := newFake(t)
		c := client(s, account)
		first, err := c.Post(ctx(t), publish.Post{Text: "Pengumuman " + link, Link: link})
		if err != nil {
			t.Fatal(err)
		}
		second, err := c.Post(ctx(t), publish.Post{Text: "Baca juga", Quote: first.ID})
		if err != nil {
			t.Fatal(err)
		}
		posts := s.Posts(account.Username)
		if len(posts) != 2 || posts[1].ID != second.ID || posts[1].QuoteID != first.ID || posts[0].QuoteID != "" {
			t.Errorf("fake holds %+v; want the second quoting %s", posts, first.ID)
		}
	})
	t.Run("quoting a post that does not exist is a permanent refusal", func(t *testing.T) {
		s := newFake(t)
		_, err := client(s, account).Post(ctx(t), publish.Post{Text: "Baca juga", Quote: "42"})
		var pe *publish.Error
		if !errors.As(err, &pe) || pe.Status != 400 || publish.IsTransient(err) {
			t.Fatalf("err = %v; want a permanent 400", err)
		}
		if !strings.Contains(err.Error(), "quoted") {
			t.Errorf("err = %v; want X's reason", err)
		}
	})
	t.Run("an image is uploaded and its alt text set before the post", func(t *testing.T) {
		s := newFake(t)
		img := &publish.Image{Name: "foto.png", Data: pngImage(t), Alt: "Ketua KPU membuka rapat pleno"}
		if _, err := client(s, account).Post(ctx(t), publish.Post{Text: "Bergambar " + link, Image: img}); err != nil {
			t.Fatal(err)
		}
		posts := s.Posts(account.Username)
		if len(posts) != 1 || len(posts[0].MediaIDs) != 1 || posts[0].AltTexts[0] != img.Alt {
			t.Fatalf("fake holds %+v; want one post with the image and its alt text", posts)
		}
	})
	t.Run("an image without alt text is posted without metadata", func(t *testing.T) {
		s := newFake(t)
		img := &publish.Image{Name: "foto.png", Data: pngImage(t)}
		if _, err := client(s, account).Post(ctx(t), publish.Post{Text: "Tanpa alt", Image: img}); err != nil {
			t.Fatal(err)
		}
		if n := s.Requests(); n != 2 {
			t.Errorf("%d requests, want upload and post only", n)
		}
		if posts := s.Posts(account.Username); len(posts) != 1 || posts[0].AltTexts[0] != "" {
			t.Errorf("fake holds %+v", posts)
		}
	})
	t.Run("a file that is not an image is refused at upload and nothing is posted", func(t *testing.T) {
		s := newFake(t)
		img := &publish.Image{Name: "foto.png", Data: []byte("bukan gambar"), Alt: "x"}
		_, err := client(s, account).Post(ctx(t), publish.Post{Text: "Rusak", Image: img})
		var pe *publish.Error
		if !errors.As(err, &pe) || pe.Op != "upload" || publish.IsTransient(err) {
			t.Fatalf("err = %v; want a permanent upload refusal", err)
		}
		if n := len(s.Posts(account.Username)); n != 0 {
			t.Errorf("fake holds %d posts", n)
		}
	})
}

func TestFind(t *testing.T) {
	s := newFake(t)
	c := client(s, account)
	var want publish.Receipt
	for i, text := range []string{"Lama https://humas.balikpapan.go.id/lama/", "Rapat pleno " + link, "Baru https://humas.balikpapan.go.id/baru"} {
		r, err := c.Post(ctx(t), publish.Post{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			want = r
		}
	}
	cases := []struct {
		name, link string
		found      bool
	}{
		{"the post linking to the article is found", link, true},
		{"a link without its trailing slash still matches", strings.TrimSuffix(link, "/"), true},
		{"a link no post carries is not found", "https://humas.balikpapan.go.id/2026/11/27/lain/", false},
		{"a link that only prefixes another is not found", "https://humas.balikpapan.go.id/2026/11/27/", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := c.Find(ctx(t), tc.link)
			if err != nil || ok != tc.found {
				t.Fatalf("find = %+v, %v, %v; want found %v", got, ok, err, tc.found)
			}
			if ok && got != want {
				t.Errorf("found %+v, want %+v", got, want)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	s := newFake(t)
	name, err := client(s, account).Verify(ctx(t))
	if err != nil || name != "@kpubalikpapan" {
		t.Fatalf("verify = %q, %v; want @kpubalikpapan", name, err)
	}
}

// open builds the kpu account's client as the pipeline does, through the registry
// value, from the environment env.
func open(env map[string]string) (publish.Poster, error) {
	acc := platform.Account{Key: "kpu", Platform: "x", Settings: map[string]string{"username": "kpubalikpapan"}}
	return x.Platform.Open(acc, func(k string) string { return env[k] }, "")
}

func TestOpenFromTheEnvironment(t *testing.T) {
	env := account.Env("kpu")
	if len(env) != 4 || env["HUMAS_KPU_X_ACCESS_SECRET"] != account.AccessSecret {
		t.Fatalf("xfake's Env gives %v", env)
	}
	t.Run("the credentials and HUMAS_X_API_URL in the environment are used", func(t *testing.T) {
		s := newFake(t)
		withURL := maps.Clone(env)
		withURL["HUMAS_X_API_URL"] = s.URL
		c, err := open(withURL)
		if err != nil {
			t.Fatal(err)
		}
		if name, err := c.Verify(ctx(t)); err != nil || name != "@kpubalikpapan" {
			t.Fatalf("verify = %q, %v", name, err)
		}
		if id := x.Platform.Identity(platform.Account{Settings: map[string]string{"username": "kpubalikpapan"}}); id != "@kpubalikpapan" {
			t.Errorf("Identity = %q: doctor would compare Verify's answer with something else", id)
		}
	})
	t.Run("every missing variable is named", func(t *testing.T) {
		_, err := open(nil)
		var me *publish.MissingCredentialsError
		if !errors.As(err, &me) {
			t.Fatalf("err = %v; want missing credentials", err)
		}
		want := []string{"HUMAS_KPU_X_API_KEY", "HUMAS_KPU_X_API_SECRET", "HUMAS_KPU_X_ACCESS_TOKEN", "HUMAS_KPU_X_ACCESS_SECRET"}
		if strings.Join(me.Vars, " ") != strings.Join(want, " ") || me.Platform != "x" || me.Account != "kpu" {
			t.Errorf("missing %+v, want %v", me, want)
		}
	})
	t.Run("only the missing variable is named", func(t *testing.T) {
		partial := maps.Clone(env)
		delete(partial, "HUMAS_KPU_X_ACCESS_SECRET")
		_, err := open(partial)
		if err == nil || err.Error() != "kpu/x: HUMAS_KPU_X_ACCESS_SECRET is not set" {
			t.Errorf("err = %v", err)
		}
	})
}

func TestNoSecretInAnyError(t *testing.T) {
	wrong := account
	wrong.APISecret = "apisecret-wrong-Pp2Ss4"
	cases := []struct {
		name  string
		setup func(s *xfake.Server)
		call  func(c *x.Client) error
		as    xfake.Account
	}{
		{"wrong secret on post", nil, func(c *x.Client) error {
			_, err := c.Post(ctx(t), publish.Post{Text: "a"})
			return err
		}, wrong},
		{"wrong secret on find", nil, func(c *x.Client) error {
			_, _, err := c.Find(ctx(t), link)
			return err
		}, wrong},
		{"wrong secret on upload", nil, func(c *x.Client) error {
			_, err := c.Post(ctx(t), publish.Post{Text: "a", Image: &publish.Image{Data: pngImage(t), Alt: "a"}})
			return err
		}, wrong},
		{"server error", func(s *xfake.Server) { s.FailStatus(account.Username, 500, 1) }, func(c *x.Client) error {
			_, err := c.Post(ctx(t), publish.Post{Text: "a"})
			return err
		}, account},
		{"dropped connection", func(s *xfake.Server) { s.Fail(account.Username, postertest.DropAfterRecord, 1) }, func(c *x.Client) error {
			_, err := c.Post(ctx(t), publish.Post{Text: "a"})
			return err
		}, account},
		{"server gone", func(s *xfake.Server) { s.Close() }, func(c *x.Client) error {
			_, err := c.Verify(ctx(t))
			return err
		}, account},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			err := tc.call(client(s, tc.as))
			if err == nil {
				t.Fatal("no error")
			}
			for _, sec := range append(secrets(account), wrong.APISecret) {
				if strings.Contains(err.Error(), sec) {
					t.Fatalf("error %q contains a credential", err)
				}
			}
		})
	}
}

func BenchmarkPost(b *testing.B) {
	s := xfake.New()
	defer s.Close()
	s.AddAccount(account)
	c := client(s, account)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.Post(ctx, publish.Post{Text: fmt.Sprintf("Rilis %d %s", i, link)}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	s := xfake.New()
	defer s.Close()
	s.AddAccount(account)
	c := client(s, account)
	ctx := context.Background()
	for i := range 100 {
		if _, err := c.Post(ctx, publish.Post{Text: fmt.Sprintf("Rilis %d https://humas.balikpapan.go.id/%d/", i, i)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, ok, err := c.Find(ctx, "https://humas.balikpapan.go.id/0/"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
