package compose

import (
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/xtext"
	"github.com/balikpapan/humas/templates"
)

const partnerURL = "https://kota-balikpapan.kpu.go.id/siaran-pers/audiensi/"

func partnerRelease() Repost {
	return Repost{
		Partner: "KPU Kota Balikpapan",
		Title:   "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
		Summary: "KPU Kota Balikpapan beraudiensi dengan Diskominfo untuk menangkal hoaks menjelang Pemilu 2024.",
		URL:     partnerURL,
		Tags:    []string{"pemilu-2024"},
	}
}

func noQuote(string) (string, bool) { return "", false }

var ours = []config.Target{{Account: "diskominfo", Platform: "x"}, {Account: "diskominfo", Platform: "facebook"}}

func TestARepostQuotesThePartnersXPostAndCreditsItElsewhere(t *testing.T) {
	ts, err := ComposeRepost(testConfig(t), templates.FS, partnerRelease(), ours, func(p string) (string, bool) { return "https://x.com/kpubalikpapan/status/1", p == "x" })
	if err != nil {
		t.Fatal(err)
	}
	x, fb := ts[0], ts[1]
	if !x.Quote || x.Issuer || !strings.Contains(x.Text, "Dibagikan ulang dari KPU Kota Balikpapan. "+partnerURL) {
		t.Errorf("x: quote %v, text %q", x.Quote, x.Text)
	}
	if fb.Quote || !strings.HasSuffix(fb.Text, "Sumber: KPU Kota Balikpapan") || !strings.Contains(fb.Text, "Selengkapnya: "+partnerURL) || fb.Link != partnerURL {
		t.Errorf("facebook: %q link %q", fb.Text, fb.Link)
	}
	if !strings.Contains(fb.Text, "#Pemilu2024") {
		t.Errorf("facebook: no hashtag from the partner's tags: %q", fb.Text)
	}
}

// Without a post of the partner's on X to quote, our X post credits the partner.
func TestARepostWithoutAPartnerPostToQuoteCreditsThePartner(t *testing.T) {
	ts, err := ComposeRepost(testConfig(t), templates.FS, partnerRelease(), ours[:1], noQuote)
	if err != nil {
		t.Fatal(err)
	}
	if ts[0].Quote || !strings.HasSuffix(ts[0].Text, "Sumber: KPU Kota Balikpapan") || !strings.Contains(ts[0].Text, partnerURL) {
		t.Fatalf("x: %q", ts[0].Text)
	}
}

func TestARepostedHoaxClarificationKeepsItsVerdict(t *testing.T) {
	r := partnerRelease()
	r.Verdict = "HOAKS"
	for _, title := range []string{"Pemilih Tidak Wajib Membawa Fotokopi KTP", "[HOAKS] Pemilih Tidak Wajib Membawa Fotokopi KTP"} {
		r.Title = title
		ts, err := ComposeRepost(testConfig(t), templates.FS, r, ours, noQuote)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range ts {
			if !strings.HasPrefix(tg.Text, "[HOAKS] Pemilih Tidak Wajib") {
				t.Errorf("%s, title %q: %q", tg.Platform, title, tg.Text)
			}
		}
	}
}

// A partner's text is text: its markup is not interpreted, and a long summary
// is fitted to X like ours, the article address and the credit kept whole.
func TestAPartnersTextIsFittedAsPlainText(t *testing.T) {
	r := partnerRelease()
	r.Summary = strings.Repeat("Sosialisasi <b>tahapan</b> [pemilu](https://evil.example) di kelurahan. ", 20)
	ts, err := ComposeRepost(testConfig(t), templates.FS, r, ours, noQuote)
	if err != nil {
		t.Fatal(err)
	}
	x := ts[0]
	if n := xtext.Length(x.Text); n > 280 || n != x.Length {
		t.Errorf("x length %d (reported %d)", n, x.Length)
	}
	if !strings.HasSuffix(x.Text, "Sumber: KPU Kota Balikpapan") || !strings.Contains(x.Text, partnerURL) || len(x.Shortened) == 0 {
		t.Errorf("x: %q cuts %v", x.Text, x.Shortened)
	}
	if !strings.Contains(ts[1].Text, "<b>tahapan</b> [pemilu](https://evil.example)") {
		t.Errorf("facebook text changed the partner's characters: %q", ts[1].Text)
	}
}

func TestARepostOnAnAccountWeDoNotHaveIsRefused(t *testing.T) {
	if _, err := ComposeRepost(testConfig(t), templates.FS, partnerRelease(), []config.Target{{Account: "bawaslu", Platform: "x"}}, nil); err == nil {
		t.Fatal("no error")
	}
}

// On Telegram the adapter adds the link to the partner's message after our text:
// the text leaves room for it.
func TestARepostOnTelegramLeavesRoomForTheLinkToThePartnersMessage(t *testing.T) {
	cfg, err := config.Parse("humas.yaml", []byte("site: {base_url: https://diskominfo.example/}\naccounts:\n  diskominfo:\n    name: Diskominfo\n    telegram: {channel: \"@diskominfobpp\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := partnerRelease()
	r.Summary = strings.Repeat("Kalimat panjang tentang tahapan pemilu di kota. ", 200)
	msg := "https://t.me/kpubalikpapan/123"
	ts, err := ComposeRepost(cfg, templates.FS, r, []config.Target{{Account: "diskominfo", Platform: "telegram"}}, func(string) (string, bool) { return msg, true })
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := cfg.Platforms.Lookup("telegram")
	if !ts[0].Quote || ts[0].Length+pl.Length("\n"+msg) > pl.Limit || !strings.Contains(ts[0].Text, "Sumber: KPU Kota Balikpapan") {
		t.Fatalf("telegram: quote %v, %d + link > %d: %q", ts[0].Quote, ts[0].Length, pl.Limit, ts[0].Text)
	}
}
