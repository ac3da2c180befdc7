package config

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/platform"
)

const good = `site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id
  timezone: Asia/Jakarta
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: "@kpubalikpapan"}
    facebook: {page_id: 100000000000002}
  diskominfo:
    name: Diskominfo Kota Balikpapan
blackout:
  - {from: 2024-02-11, to: "2024-02-14 13:00", reason: masa tenang}
`

func TestParseFillsDefaultsAndKeepsAccountOrder(t *testing.T) {
	c, err := Parse("humas.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Site.BaseURL != "https://humas.balikpapan.go.id/" {
		t.Errorf("BaseURL = %q, want a trailing slash", c.Site.BaseURL)
	}
	if c.Site.Output != "public" || c.Site.Language != "id" {
		t.Errorf("defaults: output %q, language %q", c.Site.Output, c.Site.Language)
	}
	if c.Site.Location.String() != "Asia/Jakarta" {
		t.Errorf("Location = %v", c.Site.Location)
	}
	if len(c.Accounts) != 2 || c.Accounts[0].Key != "kpu" || c.Accounts[1].Key != "diskominfo" {
		t.Fatalf("accounts not in file order: %+v", c.Accounts)
	}
	x, _ := c.Accounts[0].On("x")
	fb, _ := c.Accounts[0].On("facebook")
	if x.Get("username") != "kpubalikpapan" || fb.Get("page_id") != "100000000000002" || x.Key != "kpu" {
		t.Errorf("kpu = %+v", c.Accounts[0].Platforms)
	}
	if len(c.Accounts[1].Platforms) != 0 {
		t.Errorf("diskominfo has platforms it did not configure: %v", c.Accounts[1].PlatformNames())
	}
	b := c.Blackout[0]
	if b.Line != 13 || b.From.Format(time.RFC3339) != "2024-02-11T00:00:00+07:00" || b.To.Format(time.RFC3339) != "2024-02-14T13:00:00+07:00" {
		t.Errorf("blackout = %+v", b)
	}
	if _, in := c.BlackoutAt(b.To.Add(-time.Minute)); !in {
		t.Error("BlackoutAt a minute before the end is outside")
	}
}

func TestProblemsAreReportedWithTheirLine(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key in a platform", "site: {base_url: https://a.test/}\naccounts:\n  kpu:\n    name: KPU\n    x:\n      usrname: kpu\n",
			[]string{`humas.yaml:6: accounts.kpu.x: unknown key "usrname": did you mean "username"?`}},
		{"base_url must be absolute", "site: {base_url: humas.go.id}\naccounts: {kpu: {name: KPU}}\n",
			[]string{`humas.yaml:1: site.base_url: "humas.go.id" is not an absolute http(s) URL`}},
		{"base_url is required", "site: {title: A}\naccounts: {kpu: {name: KPU}}\n", []string{"humas.yaml:1: site.base_url: is required"}},
		{"timezone must load", "site:\n  base_url: https://a.test/\n  timezone: Asia/Balikpapan\naccounts: {kpu: {name: KPU}}\n",
			[]string{`humas.yaml:3: site.timezone: unknown time zone "Asia/Balikpapan"`}},
		{"account keys are lower case", "site: {base_url: https://a.test/}\naccounts:\n  KPU_Bpp: {name: KPU}\n",
			[]string{`humas.yaml:3: accounts: account key "KPU_Bpp" must be lower case letters, digits and -`}},
		{"account needs a name", "site: {base_url: https://a.test/}\naccounts:\n  kpu: {x: {username: kpu}}\n", []string{"humas.yaml:3: accounts.kpu.name: is required"}},
		{"page id is digits", "site: {base_url: https://a.test/}\naccounts:\n  kpu:\n    name: KPU\n    facebook: {page_id: kpubpp}\n",
			[]string{`humas.yaml:5: accounts.kpu.facebook.page_id: "kpubpp" is not a Page id`}},
		{"blackout dates parse and are ordered", "site: {base_url: https://a.test/}\naccounts: {kpu: {name: KPU}}\nblackout:\n  - {from: besok, to: 2024-01-01}\n  - {from: 2024-02-14, to: 2024-02-11}\n",
			[]string{`humas.yaml:4: blackout[0].from: cannot parse "besok"`, "humas.yaml:5: blackout[1]: from must be before to"}},
		{"at least one account", "site: {base_url: https://a.test/}\naccounts: {}\n", []string{"accounts: at least one account is required"}},
		{"syntax error", "site: [\n", []string{"humas.yaml:1: "}},
		{"tags is a mapping of names", "site: {base_url: https://a.test/}\naccounts: {kpu: {name: KPU}}\ntags: [kpu]\n",
			[]string{"humas.yaml:3: tags: must be a mapping of tag to name, not a list"}},
		{"a tag's name is text that makes a hashtag", "site: {base_url: https://a.test/}\naccounts: {kpu: {name: KPU}}\ntags:\n  kpu: {name: KPU}\n  tps: \"#TPS\"\n  dpt: \"\"\n",
			[]string{"humas.yaml:4: tags.kpu: must be text", "humas.yaml:5: tags.tps: \"#TPS\" cannot be a hashtag", "humas.yaml:6: tags.dpt: needs a name"}},
		{"an account name with a bidirectional override", "site: {base_url: https://a.test/}\naccounts:\n  kpu: {name: \"KPU \\u202eKota\"}\n",
			[]string{"humas.yaml:3: accounts.kpu.name: bidirectional control U+202E, which makes text show in another order than it is written"}},
		{"an ESC in the site title, written as it is", "site: {base_url: https://a.test/, title: \"Siaran \x1b[31mPers\"}\naccounts: {kpu: {name: KPU}}\n",
			[]string{"humas.yaml:1: site.title: invisible control character U+001B"}},
		{"a tag is named once", "site: {base_url: https://a.test/}\naccounts: {kpu: {name: KPU}}\ntags:\n  kpu: KPU\n  KPU: Kpu\n",
			[]string{"humas.yaml:5: tags: tag \"KPU\" is listed twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("humas.yaml", []byte(tt.yaml))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in:\n%v", w, err)
				}
			}
		})
	}
}

// humas.yaml is edited by hand too, in Notepad as often as anywhere: its mistakes
// get the line to write, as a release's do, and a byte order mark is no mistake.
func TestHandWritingMistakesGetTheLineToWrite(t *testing.T) {
	const head = "site:\n  title: Siaran Pers Kota Balikpapan\n  base_url: https://a.test/\naccounts:\n  kpu:\n    name: KPU Kota Balikpapan\n"
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"a colon in the title", "title: Siaran Pers Kota Balikpapan", "title: Siaran Pers: Kota Balikpapan",
			`humas.yaml:2: title: the colon in the value makes YAML read a second key: put the title in double quotes: title: "Siaran Pers: Kota Balikpapan"`},
		{"a tab", "    name:", "\tname:", "humas.yaml:6: a tab indents this line, and YAML takes only spaces: indent with spaces, two for each level"},
		{"no space after a colon", "base_url: https", "base_url:https",
			`humas.yaml:3: base_url: no space after the colon, so YAML reads "base_url:https://a.test/" as one word: put a space after the colon: base_url: https://a.test/`},
		{"Windows-1252", "Kota Balikpapan\n  base", "Kota Balikpapan \x96 Humas\n  base",
			`humas.yaml:2: the file is not UTF-8 text: it looks like Windows-1252 (as Word and older Notepad save): byte 0x96 would be "–" there: save the file as UTF-8`},
		{"UTF-16", "site:", "\xff\xfes\x00i\x00", "humas.yaml:1: the file is not UTF-8 text: it looks like UTF-16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(head, tc.from, tc.to, 1)
			if src == head {
				t.Fatalf("%q is not in the file", tc.from)
			}
			_, err := Parse("humas.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			for _, jargon := range []string{"mapping value", "context", "token", "specified"} {
				if strings.Contains(err.Error(), jargon) {
					t.Errorf("the parser's words leak: %v", err)
				}
			}
		})
	}
	for name, src := range map[string]string{
		"a UTF-8 byte order mark": "\xef\xbb\xbf" + head,
		"CRLF line ends":          strings.ReplaceAll("\xef\xbb\xbf"+head, "\n", "\r\n"),
	} {
		if _, err := Parse("humas.yaml", []byte(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestLoadWithoutFileUsesTheEmbeddedDefault(t *testing.T) {
	root := t.TempDir()
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || c.Root != root {
		t.Errorf("File = %q, Root = %q", c.File, c.Root)
	}
	if len(c.Accounts) != 1 || c.Accounts[0].Key != "humas" || c.Accounts[0].Name != "Humas" {
		t.Errorf("accounts = %+v", c.Accounts)
	}
	if c.Site.BaseURL != "https://example.go.id/" || c.Site.Location == nil {
		t.Errorf("site = %+v", c.Site)
	}
}

func TestLoadReadsTheProjectFile(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, FileName), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != FileName || c.Accounts[0].Key != "kpu" {
		t.Errorf("File = %q, accounts = %+v", c.File, c.Accounts)
	}
}

func TestParseTime(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	tests := []struct{ in, want string }{
		{"2021-06-09T13:00:00+08:00", "2021-06-09T13:00:00+08:00"},
		{"2021-06-09T13:00:00Z", "2021-06-09T13:00:00Z"},
		{"2021-06-09 13:00", "2021-06-09T13:00:00+08:00"},
		{"2021-06-09", "2021-06-09T00:00:00+08:00"},
		{"9 Juni 2021", ""},
		{"2021-13-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in, wita)
			if tt.want == "" {
				if err == nil {
					t.Errorf("ParseTime = %v, want an error", got)
				}
				return
			}
			if err != nil || got.Format(time.RFC3339) != tt.want {
				t.Errorf("ParseTime = %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestTheRepositoryConfigIsValid(t *testing.T) {
	c, err := Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{c.Accounts[0].Key, c.Accounts[1].Key}; got[0] != "diskominfo" || got[1] != "kpu" {
		t.Errorf("accounts = %v", got)
	}
}

// TestAccountsFollowTheRegistry: a platform is known to humas.yaml only through the
// registry, its fields only through its schema.
func TestAccountsFollowTheRegistry(t *testing.T) {
	reg := platform.Registry{{Name: "mastodon", DisplayName: "Mastodon", Account: platform.Schema{
		Fields: []platform.Field{{Key: "handle", Required: true, Hint: "e.g. kpu@mastodon.social"}},
	}}}
	src := "site: {base_url: https://a.go.id/}\naccounts:\n  kpu:\n    name: KPU\n    mastodon: {handle: kpu@mastodon.social}\n  bawaslu:\n    name: Bawaslu\n    mastodon: {}\n    x: {username: bawaslu}\n"
	_, err := ParseWith(FileName, []byte(src), reg)
	want := []string{
		`humas.yaml:8: accounts.bawaslu.mastodon.handle: is required: e.g. kpu@mastodon.social`,
		`humas.yaml:9: accounts.bawaslu: unknown key "x": known keys: name, logo, address, phone, website, mastodon`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("err = %v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	c, err := ParseWith(FileName, []byte(src[:strings.Index(src, "  bawaslu:")]), reg)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := c.Accounts[0].On("mastodon"); !ok || m.Get("handle") != "kpu@mastodon.social" || c.Platforms.List() != "mastodon" {
		t.Errorf("kpu = %+v", c.Accounts[0])
	}
}

func TestTagsNameTheirHashtags(t *testing.T) {
	cfg, err := Parse("humas.yaml", []byte("site: {base_url: https://a.test/}\naccounts: {kpu: {name: KPU}}\ntags:\n  Pemilu-2024: Pemilu 2024\n  ppid: PPID\n"))
	if err != nil {
		t.Fatal(err)
	}
	// Keys are matched without regard to case, as release tags are written either way.
	if want := map[string]string{"pemilu-2024": "Pemilu 2024", "ppid": "PPID"}; !maps.Equal(cfg.Tags, want) {
		t.Errorf("Tags = %v, want %v", cfg.Tags, want)
	}
}
