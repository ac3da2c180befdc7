package config

import (
	"fmt"
	"strings"
	"testing"
)

const withPartners = `site:
  title: Siaran Pers Diskominfo
  base_url: https://diskominfo.balikpapan.go.id/
accounts:
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
  dprd:
    name: DPRD Kota Balikpapan
    facebook: {page_id: "100000000000009"}
partners:
  kpu:
    name: KPU Kota Balikpapan
    feed: https://kota-balikpapan.kpu.go.id/siaran-pers/feed.json
    repost: [x, facebook]
  bawaslu:
    name: Bawaslu Kota Balikpapan
    feed: http://127.0.0.1:8080/feed.json
    repost: [diskominfo/x]
`

func TestPartnersAreReadInFileOrderWithWhatTheyRepostOn(t *testing.T) {
	c, err := Parse("humas.yaml", []byte(withPartners))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Partners) != 2 {
		t.Fatalf("partners %+v", c.Partners)
	}
	kpu, ok := c.Partner("kpu")
	if !ok || kpu.Name != "KPU Kota Balikpapan" || kpu.Feed != "https://kota-balikpapan.kpu.go.id/siaran-pers/feed.json" || kpu.Line != 13 {
		t.Errorf("kpu = %+v", kpu)
	}
	// "x" is every account of ours on X, "facebook" every one on Facebook.
	if got := fmt.Sprint(kpu.Targets); got != "[{diskominfo x} {diskominfo facebook} {dprd facebook}]" {
		t.Errorf("kpu reposts on %s", got)
	}
	if got := fmt.Sprint(c.Partners[1].Targets); got != "[{diskominfo x}]" {
		t.Errorf("bawaslu reposts on %s", got)
	}
}

func TestPartnerMistakesAreNamedWithTheirLine(t *testing.T) {
	base := strings.SplitAfter(withPartners, "partners:\n")[0]
	for _, tc := range []struct {
		name, partners, want string
	}{
		{"unknown key", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [x]\n    reposts: [x]\n",
			`humas.yaml:17: partners.kpu: unknown key "reposts": did you mean "repost"?`},
		{"no name", "  kpu:\n    feed: https://kpu.example/feed.json\n    repost: [x]\n", "humas.yaml:13: partners.kpu.name: is required"},
		{"no feed", "  kpu:\n    name: KPU\n    repost: [x]\n", "humas.yaml:13: partners.kpu.feed: is required"},
		{"plain http", "  kpu:\n    name: KPU\n    feed: http://kpu.example/feed.json\n    repost: [x]\n",
			`humas.yaml:15: partners.kpu.feed: "http://kpu.example/feed.json" is plain http`},
		{"a password in the address", "  kpu:\n    name: KPU\n    feed: https://u:rahasia@kpu.example/feed.json\n    repost: [x]\n",
			"humas.yaml:15: partners.kpu.feed: \"https://u:rahasia@kpu.example/feed.json\" carries a user name or password"},
		{"our own feed", "  kpu:\n    name: KPU\n    feed: https://diskominfo.balikpapan.go.id/feed.json\n    repost: [x]\n", "is this site's own feed"},
		{"a relative address", "  kpu:\n    name: KPU\n    feed: /feed.json\n    repost: [x]\n", "is not an absolute web address"},
		{"no repost", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n", "humas.yaml:13: partners.kpu.repost: is required"},
		{"repost not a list", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: x\n", "humas.yaml:16: partners.kpu.repost: must be a list"},
		{"empty repost", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: []\n", "lists nothing"},
		{"unknown platform", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [x, facebok]\n",
			`humas.yaml:16: partners.kpu.repost[1]: unknown platform "facebok": did you mean "facebook"?`},
		{"an account we lack", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [kominfo/x]\n", `"kominfo" is not one of our accounts`},
		{"a platform the account lacks", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [dprd/x]\n", "account dprd has no x"},
		{"listed twice", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [x, x]\n", `partners.kpu.repost[1]: "x" is listed twice`},
		{"instagram needs a picture", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [instagram]\n", `"instagram": Instagram posts nothing without a picture`},
		{"the press is ours", "  kpu:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [email]\n", `"email": Email is our press list`},
		{"bad key", "  KPU:\n    name: KPU\n    feed: https://kpu.example/feed.json\n    repost: [x]\n", `partner key "KPU" must be lower case`},
		{"not a mapping", "  - kpu\n", "partners: must be a mapping of partner keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("humas.yaml", []byte(base+tc.partners))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant one containing %q", err, tc.want)
			}
		})
	}
}

func TestFeedAddressesOverPlainHTTPOnlyFromThisMachine(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://kpu.example/feed.json":  true,
		"http://127.0.0.1:8080/f.json":   true,
		"http://127.9.9.9/f.json":        true,
		"http://[::1]:8080/f.json":       true,
		"http://localhost:1313/f.json":   true,
		"http://10.0.0.1/f.json":         false,
		"http://localhost.evil/f.json":   false,
		"ftp://kpu.example/f.json":       false,
		"file:///etc/passwd":             false,
		"https://user@kpu.example/feed":  false,
		"javascript:alert(1)":            false,
		"http://127.0.0.1.nip.io/f.json": false,
	} {
		if got := FeedURLProblem(raw) == ""; got != ok {
			t.Errorf("%s: accepted %v, want %v (%s)", raw, got, ok, FeedURLProblem(raw))
		}
	}
}
