package preview

import (
	"encoding/base64"
	"html"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/card"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// loadSocial writes a project of both institutions on all four platforms.
func loadSocial(t *testing.T, src string, collab bool) (*project.Project, *release.Release) {
	t.Helper()
	c := ""
	if collab {
		c = ", collab: true"
	}
	cfg := strings.Replace(config, `    facebook: {page_id: "100000000000002"}`, `    facebook: {page_id: "100000000000002"}
    instagram: {user_id: "17841400000000002", username: kpubalikpapan`+c+`}
    telegram: {channel: "@kpubalikpapan"}`, 1)
	cfg = strings.Replace(cfg, `    facebook: {page_id: "100000000000001"}`, `    facebook: {page_id: "100000000000001"}
    instagram: {user_id: "17841400000000001", username: diskominfobpp}
    telegram: {channel: "@diskominfobpp"}`, 1)
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "releases"), 0o755)
	os.WriteFile(filepath.Join(root, "humas.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(root, "releases", "foto.png"), png, 0o644)
	file := "releases/2021-06-09-sinergi.md"
	os.WriteFile(filepath.Join(root, file), []byte(src), 0o644)
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	r, diags := p.Load(file)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p, r
}

var postRE = regexp.MustCompile(`(?s)<article class="post ([a-z]+)" aria-labelledby="[^"]*">.*?</article>`)

// posts are the mock-ups of the page by "platform · account name".
func posts(t *testing.T, page string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range postRE.FindAllStringSubmatch(page, -1) {
		name := regexp.MustCompile(`</span> ([^<]*)</h3>`).FindStringSubmatch(m[0])
		if name == nil {
			t.Fatalf("no heading in %s", m[0])
		}
		out[name[1]] = m[0]
	}
	return out
}

func TestInstagramAndTelegramMockups(t *testing.T) {
	noImage := strings.Replace(strings.Replace(sinergi, "image: foto.png\n", "", 1), "image_alt: Ketua KPU berbicara di depan jajaran Diskominfo\n", "", 1)
	p, r := loadSocial(t, noImage, false)
	page, _ := render(t, p, r, Options{})
	ps := posts(t, page)
	if len(ps) != 8 {
		t.Fatalf("%d mock-ups, want 8: %v", len(ps), ps)
	}

	ig := ps["Instagram · KPU Kota Balikpapan"]
	// The card, drawn as the build draws it, above the caption; the caption's
	// address is plain text, and there is no link card.
	m := regexp.MustCompile(`<img src="data:image/jpeg;base64,([^"]+)" alt="Siaran pers KPU Kota Balikpapan: KPU dan Diskominfo Bersinergi. Rabu, 9 Juni 2021">`).FindStringSubmatch(ig)
	if m == nil {
		t.Fatalf("no card in the Instagram mock-up:\n%s", ig)
	}
	b, _ := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(string(b))); err != nil || cfg.Width != card.CardWidth || cfg.Height != card.CardHeight {
		t.Errorf("the card is %+v, %v: want a %d×%d JPEG", cfg, err, card.CardWidth, card.CardHeight)
	}
	if strings.Index(ig, "<img") > strings.Index(ig, `<p class="text">`) {
		t.Error("Instagram draws the picture above the caption")
	}
	if !strings.Contains(ig, "Selengkapnya: humas.balikpapan.go.id/sinergi\n") || strings.Contains(ig, `class="link"`) || strings.Contains(ig, "linkcard") {
		t.Errorf("the address is plain text and there is no link card:\n%s", ig)
	}
	if !strings.Contains(ig, "card.jpg") {
		t.Error("the mock-up should say the build makes the card")
	}

	tg := ps["Telegram · Diskominfo Kota Balikpapan"]
	if !strings.Contains(tg, `<span class="link">https://t.me/kpubalikpapan/…</span>`) || !strings.Contains(tg, "Sumber: KPU Kota Balikpapan") {
		t.Errorf("the partner's Telegram post names the issuer and links its message:\n%s", tg)
	}
	if !strings.Contains(tg, `class="linkcard"`) || strings.Contains(tg, `class="quoted"`) {
		t.Errorf("a Telegram message shows the article's link preview, not an embedded quote:\n%s", tg)
	}
}

func TestInstagramCollabMockup(t *testing.T) {
	p, r := loadSocial(t, sinergi, true)
	page, _ := render(t, p, r, Options{})
	ps := posts(t, page)
	issuer, partner := ps["Instagram · KPU Kota Balikpapan"], ps["Instagram · Diskominfo Kota Balikpapan"]
	if !strings.Contains(issuer, "mengundang @diskominfobpp sebagai kolaborator") {
		t.Errorf("issuer:\n%s", issuer)
	}
	if !strings.Contains(partner, "terima undangan di aplikasi Instagram") || !strings.Contains(partner, "@kpubalikpapan dan @diskominfobpp") {
		t.Errorf("partner:\n%s", partner)
	}
	// The release's PNG reaches Instagram as the JPEG rendition.
	if !strings.Contains(issuer, `<img src="data:image/jpeg;base64,`) || !strings.Contains(issuer, "instagram.jpg") {
		t.Errorf("the rendition:\n%s", issuer)
	}
}

// Telegram keeps no alt text for a photo: its mock-up says so instead of showing
// the release's alt text as if it went out with the picture.
func TestTelegramPhotoHasNoAltText(t *testing.T) {
	p, r := loadSocial(t, sinergi, false)
	page, _ := render(t, p, r, Options{})
	ps := posts(t, page)
	tg := ps["Telegram · KPU Kota Balikpapan"]
	if !strings.Contains(tg, "<figure") || strings.Contains(tg, "Ketua KPU berbicara di depan jajaran Diskominfo</figcaption>") ||
		!strings.Contains(tg, "tidak ikut terkirim") {
		t.Errorf("the Telegram photo shows alt text Telegram does not keep:\n%s", tg)
	}
	if ig := ps["Instagram · KPU Kota Balikpapan"]; !strings.Contains(ig, "Ketua KPU berbicara di depan jajaran Diskominfo</figcaption>") {
		t.Errorf("Instagram keeps the alt text; its mock-up shows it:\n%s", ig)
	}
}
