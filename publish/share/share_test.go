package share

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/templates"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("humas.yaml", []byte("site: {base_url: \"https://humas.balikpapan.go.id/\", timezone: Asia/Makassar}\naccounts:\n  kpu: {name: KPU Kota Balikpapan}\ntags: {pemilu-2024: Pemilu 2024}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var wita = time.FixedZone("WITA", 8*3600)

func TestAReleaseAsAWhatsAppMessage(t *testing.T) {
	r := &release.Release{
		Title: "KPU Balikpapan Buka Pendaftaran Petugas KPPS", Date: time.Date(2024, 1, 22, 9, 0, 0, 0, wita),
		Issuer: "kpu", Kind: release.SiaranPers, Slug: "pendaftaran-kpps", Tags: []string{"pemilu-2024", "kpps"},
		Summary: "KPU Kota Balikpapan membuka pendaftaran petugas KPPS untuk Pemilu 2024.",
	}
	got, err := WhatsApp(testConfig(t), templates.FS, r)
	if err != nil {
		t.Fatal(err)
	}
	want := `*KPU Balikpapan Buka Pendaftaran Petugas KPPS*
_Siaran Pers · KPU Kota Balikpapan · Senin, 22 Januari 2024_

KPU Kota Balikpapan membuka pendaftaran petugas KPPS untuk Pemilu 2024.

Selengkapnya: https://humas.balikpapan.go.id/pendaftaran-kpps/

#Pemilu2024 #KPPS`
	if got != want {
		t.Errorf("message:\n%s\n\nwant:\n%s", got, want)
	}
}

func TestAHoaxClarificationStatesTheClaimAndTheVerdict(t *testing.T) {
	r := &release.Release{
		Title: "Pemilih *Tidak* Wajib Membawa Fotokopi KTP", Date: time.Date(2024, 1, 22, 9, 0, 0, 0, wita),
		Issuer: "kpu", Kind: release.KlarifikasiHoaks, Slug: "hoaks-ktp", Summary: "Cukup KTP-el asli.",
		Hoax: &release.Hoax{Claim: "Pemilih wajib membawa fotokopi KTP.", Verdict: "HOAKS"},
	}
	got, err := WhatsApp(testConfig(t), templates.FS, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"*[HOAKS] Pemilih ∗Tidak∗ Wajib Membawa Fotokopi KTP*\n", // a * of the title cannot end the bold early
		"_Klarifikasi Hoaks · KPU Kota Balikpapan · Senin, 22 Januari 2024_",
		"_Klaim yang beredar:_ Pemilih wajib membawa fotokopi KTP.\n*Faktanya: HOAKS*",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("message lacks %q:\n%s", want, got)
		}
	}
}

func TestTheSummaryIsShortenedAfterASentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Pendek saja.", "Pendek saja."},
		{strings.Repeat("Kalimat pertama yang cukup panjang untuk diuji. ", 3) + "Lalu " + strings.Repeat("kata ", 80),
			strings.TrimSpace(strings.Repeat("Kalimat pertama yang cukup panjang untuk diuji. ", 3))},
		// Jl. and M. are not the end of a sentence; KPU. is.
		{"Kantor di Jl. Sudirman dipimpin M. Rizal dan diawasi KPU. Lalu " + strings.Repeat("lanjut ", 60),
			"Kantor di Jl. Sudirman dipimpin M. Rizal dan diawasi KPU."},
		{strings.Repeat("kata ", 100), strings.TrimSpace(strings.Repeat("kata ", 63)) + "…"},
	}
	for _, tt := range tests {
		got := Shorten(tt.in, 320)
		if got != tt.want {
			t.Errorf("Shorten(%.30q…) = %q, want %q", tt.in, got, tt.want)
		}
		if n := len([]rune(got)); n > 320 {
			t.Errorf("%d characters", n)
		}
	}
}

func TestTheLinkOpensWhatsAppWithTheMessage(t *testing.T) {
	text := "*Judul & Isi*\nSelengkapnya: https://humas.balikpapan.go.id/a/?b=1#c"
	link := Link(text)
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host != "wa.me" || u.Path != "/" {
		t.Fatalf("link %q", link)
	}
	if got := u.Query().Get("text"); got != text {
		t.Errorf("the link carries %q, want %q", got, text)
	}
	if strings.Contains(link, "+") {
		t.Errorf("%q encodes spaces as +, which WhatsApp shows as +", link)
	}
}
