package platform_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

// stub is a Poster that remembers how it was built.
type stub struct{ conn platform.Conn }

func (s *stub) Post(context.Context, publish.Post) (publish.Receipt, error) {
	return publish.Receipt{}, nil
}
func (s *stub) Find(context.Context, string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, nil
}
func (s *stub) Verify(context.Context) (string, error) { return "", nil }

func testPlatform() *platform.Platform {
	return &platform.Platform{
		Name: "mastodon", DisplayName: "Mastodon",
		Account: platform.Schema{Fields: []platform.Field{
			{Key: "handle", Required: true, Hint: "e.g. kpu@mastodon.social", Clean: platform.TrimPrefix("@"),
				Check: platform.Matches(regexp.MustCompile(`^[a-z]+@[a-z.]+$`), "a Mastodon handle")},
			{Key: "visibility", Hint: "public or unlisted"},
		}},
		Credentials: []platform.Credential{
			{Field: "MASTODON_TOKEN", Required: true},
			{Field: "MASTODON_SECRET", Required: true},
			{Field: "MASTODON_EXTRA"},
		},
		Endpoint: platform.Endpoint{Var: "HUMAS_MASTODON_URL", Default: "https://mastodon.social"},
		New:      func(c platform.Conn) (publish.Poster, error) { return &stub{c}, nil },
		Media:    platform.Media{Formats: []string{"jpeg", "png"}, MaxBytes: 5 << 20, MaxAlt: 1000, MinAspect: 0.8, MaxAspect: 1.91},
	}
}

func env(m map[string]string) publish.Getenv { return func(k string) string { return m[k] } }

func TestOpen(t *testing.T) {
	p := testPlatform()
	acc := platform.Account{Key: "kpu-bpp", Platform: "mastodon", Settings: map[string]string{"handle": "kpu@mastodon.social"}}
	t.Run("every missing required variable is named, none of the optional ones", func(t *testing.T) {
		_, err := p.Open(acc, env(map[string]string{"HUMAS_KPU_BPP_MASTODON_SECRET": "s3cr3t"}), "")
		var me *publish.MissingCredentialsError
		if !errors.As(err, &me) || strings.Join(me.Vars, ",") != "HUMAS_KPU_BPP_MASTODON_TOKEN" {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Fatal("a value reached the message")
		}
	})
	t.Run("the adapter gets the credentials, the account and the default endpoint", func(t *testing.T) {
		ps, err := p.Open(acc, env(map[string]string{"HUMAS_KPU_BPP_MASTODON_TOKEN": "t", "HUMAS_KPU_BPP_MASTODON_SECRET": "s"}), "/root")
		if err != nil {
			t.Fatal(err)
		}
		c := publish.Unscrubbed(ps).(*stub).conn
		if c.Secret("MASTODON_TOKEN") != "t" || c.Secret("MASTODON_EXTRA") != "" || c.BaseURL != "https://mastodon.social" ||
			c.Account.Get("handle") != "kpu@mastodon.social" || c.Root != "/root" {
			t.Errorf("conn = %+v", c)
		}
	})
	t.Run("the endpoint variable moves the API", func(t *testing.T) {
		ps, err := p.Open(acc, env(map[string]string{"HUMAS_KPU_BPP_MASTODON_TOKEN": "t", "HUMAS_KPU_BPP_MASTODON_SECRET": "s", "HUMAS_MASTODON_URL": "http://127.0.0.1:9"}), "")
		if err != nil || publish.Unscrubbed(ps).(*stub).conn.BaseURL != "http://127.0.0.1:9" {
			t.Fatalf("Open = %v", err)
		}
	})
}

func TestSchemaParse(t *testing.T) {
	s := testPlatform().Account
	got, problems := s.Parse(map[string]string{"handle": "@kpu@mastodon.social"})
	if len(problems) != 0 || got["handle"] != "kpu@mastodon.social" {
		t.Errorf("Parse = %v, %v; want the @ dropped", got, problems)
	}
	_, problems = s.Parse(map[string]string{"visibility": ""})
	if len(problems) != 2 || problems[0].Message != "is required" || problems[0].Hint != "e.g. kpu@mastodon.social" ||
		problems[1].Key != "visibility" || problems[1].Message != "is empty" {
		t.Errorf("problems = %+v", problems)
	}
	_, problems = s.Parse(map[string]string{"handle": "KPU"})
	if len(problems) != 1 || problems[0].Message != `"KPU" is not a Mastodon handle` {
		t.Errorf("problems = %+v", problems)
	}
}

func TestCheckImage(t *testing.T) {
	p := testPlatform()
	tests := []struct {
		name string
		img  platform.Image
		want string
	}{
		{"a photo it takes", platform.Image{Format: "jpeg", Width: 1200, Height: 800, Bytes: 900 << 10}, ""},
		{"a 23 MB photo", platform.Image{Format: "jpeg", Width: 6000, Height: 4000, Bytes: 23 << 20}, "Mastodon takes pictures up to 5 MB; this one is 23 MB"},
		{"just over the limit", platform.Image{Format: "jpeg", Width: 6000, Height: 4000, Bytes: 5<<20 + 1}, "Mastodon takes pictures up to 5 MB; this one is 5.1 MB"},
		{"a HEIC", platform.Image{Format: "heic", Width: 1200, Height: 900, Bytes: 1 << 20}, "Mastodon takes jpeg or png, not heic"},
		{"text named .jpg", platform.Image{Bytes: 20}, "Mastodon takes jpeg or png, not a picture it can read"},
		{"too tall", platform.Image{Format: "png", Width: 600, Height: 1200, Bytes: 1 << 20}, "Mastodon takes pictures from 0.8:1 to 1.91:1 (width:height); this one is 0.50:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var msgs []string
			for _, pr := range p.CheckImage(tt.img) {
				msgs = append(msgs, pr.Message)
				if pr.Hint == "" || pr.Field != "image" {
					t.Errorf("%+v: no hint or wrong field", pr)
				}
			}
			if got := strings.Join(msgs, "; "); got != tt.want {
				t.Errorf("CheckImage = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckAlt(t *testing.T) {
	p := testPlatform()
	if pr := p.CheckAlt(strings.Repeat("é", 1000)); pr != nil {
		t.Errorf("1,000 characters (2,000 bytes) refused: %+v", pr)
	}
	pr := p.CheckAlt(strings.Repeat("a", 1600))
	if pr == nil || pr.Field != "image_alt" || pr.Message != "Mastodon takes alt text up to 1,000 characters; this one has 1,600" {
		t.Errorf("CheckAlt = %+v", pr)
	}
}

func TestRegistry(t *testing.T) {
	r := platform.Registry{{Name: "x", DisplayName: "X"}, {Name: "facebook", DisplayName: "Facebook"}, testPlatform()}
	if r.Spoken() != "X, Facebook and Mastodon" || r.List() != "x, facebook, mastodon" || r.DisplayName("gone") != "gone" || !r.Has("mastodon") {
		t.Errorf("registry answers wrong: %q %q", r.Spoken(), r.List())
	}
}

// erring fails every call with a message naming every value it was built with.
type erring struct{ conn platform.Conn }

func (e erring) err() error {
	return errors.New("no answer from " + e.conn.Secret("SMTP_HOST") + " as " + e.conn.Secret("SMTP_PASSWORD"))
}
func (e erring) Post(context.Context, publish.Post) (publish.Receipt, error) {
	return publish.Receipt{}, e.err()
}
func (e erring) Find(context.Context, string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, e.err()
}
func (e erring) Verify(context.Context) (string, error) { return "", e.err() }

// TestOpenRedactsSecretsNotSettings: a mail server's name is a setting that an
// error must show to be understood; its password never shows.
func TestOpenRedactsSecretsNotSettings(t *testing.T) {
	p := testPlatform()
	p.Credentials = []platform.Credential{
		{Field: "SMTP_HOST", Required: true, Public: true, About: "host"},
		{Field: "SMTP_PASSWORD", Required: true, About: "password"},
	}
	p.New = func(c platform.Conn) (publish.Poster, error) { return erring{c}, nil }
	env := map[string]string{"HUMAS_KPU_SMTP_HOST": "smtp.kpu.example.go.id", "HUMAS_KPU_SMTP_PASSWORD": "s3cret-pass"}
	ps, err := p.Open(platform.Account{Key: "kpu", Platform: p.Name, Settings: map[string]string{"handle": "kpu@mastodon.social"}},
		func(k string) string { return env[k] }, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = ps.Verify(context.Background())
	if msg := err.Error(); !strings.Contains(msg, "smtp.kpu.example.go.id") || strings.Contains(msg, "s3cret-pass") {
		t.Errorf("err = %q: want the host named and the password redacted", msg)
	}
}
