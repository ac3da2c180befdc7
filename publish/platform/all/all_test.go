package all_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/platform/all"
)

// TestEveryPlatformIsComplete holds each registered platform to what the rest of
// humas relies on, so a new platform's package cannot leave a question unanswered.
func TestEveryPlatformIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range all.Platforms() {
		t.Run(p.Name, func(t *testing.T) {
			if !regexp.MustCompile(`^[a-z][a-z0-9]*$`).MatchString(p.Name) || seen[p.Name] {
				t.Errorf("name %q: lower case letters and digits, once in the registry", p.Name)
			}
			seen[p.Name] = true
			if p.DisplayName == "" || p.Length == nil || p.Limit <= 0 {
				t.Errorf("display name %q, length %v, limit %d", p.DisplayName, p.Length != nil, p.Limit)
			}
			if p.Length != nil && p.Length("abc") != 3 {
				t.Errorf("Length(abc) = %d", p.Length("abc"))
			}
			if p.Media.ImageRequired && len(p.Media.Formats) == 0 {
				t.Error("a picture is required but no format is named")
			}
			if len(p.Account.Fields) == 0 || p.Account.Example == "" {
				t.Errorf("account schema: %d fields, example %q", len(p.Account.Fields), p.Account.Example)
			}
			required := 0
			for _, c := range p.Credentials {
				if !regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`).MatchString(c.Field) || c.About == "" {
					t.Errorf("credential %+v: an upper-case variable suffix, and what it is", c)
				}
				if c.Required {
					required++
				}
			}
			if required == 0 {
				t.Error("no required credential: how would Open know the target can post?")
			}
			if e := p.Endpoint; e.Var != "" {
				u, err := url.Parse(e.Default)
				if !strings.HasPrefix(e.Var, "HUMAS_") || err != nil || u.Scheme != "https" {
					t.Errorf("endpoint %+v: HUMAS_ variable and an https default", e)
				}
			}
			if p.New == nil || p.Identity == nil || p.Handle == nil || p.VerifyCall == "" {
				t.Error("New, Identity, Handle and VerifyCall are all needed")
			}
		})
	}
}

// TestOpenSendsNothing builds every platform's adapter from a full environment:
// building one is no request (nothing listens on the endpoint).
func TestOpenSendsNothing(t *testing.T) {
	for _, p := range all.Platforms() {
		env := map[string]string{p.Endpoint.Var: "http://127.0.0.1:1"}
		for _, v := range p.Vars("kpu", true) {
			env[v] = "set"
		}
		settings := map[string]string{}
		if p.Account.Placeholder != nil {
			settings = p.Account.Placeholder("kpu")
		} else {
			// A platform the built-in default leaves out (email, whose list is a
			// file of the project): the settings of its example entry.
			for _, m := range regexp.MustCompile(`(\w+): ("[^"]*"|[^,}]+)`).FindAllStringSubmatch(p.Account.Example, -1) {
				settings[m[1]] = strings.Trim(strings.TrimSpace(m[2]), `"`)
			}
		}
		ps, err := p.Open(platform.Account{Key: "kpu", Platform: p.Name, Settings: settings}, func(k string) string { return env[k] }, t.TempDir())
		if err != nil || ps == nil {
			t.Errorf("%s: Open = %v, %v", p.Name, ps, err)
		}
		// What Open wraps the adapter in keeps what the pipeline asks of it.
		if _, list := publish.Unscrubbed(ps).(publish.Mailer); list {
			if _, ok := ps.(publish.Mailer); !ok {
				t.Errorf("%s: the adapter sends to a list, but Open's result is no publish.Mailer", p.Name)
			}
		}
	}
}
