package compose

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/instagram"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/telegram"
	"github.com/balikpapan/humas/templates"
)

// socialYAML is the two institutions on the four social platforms; collab turns on
// KPU's Collab invitations.
func socialConfig(t *testing.T, collab bool) *config.Config {
	t.Helper()
	c := ""
	if collab {
		c = ", collab: true"
	}
	src := `site:
  base_url: https://humas.balikpapan.go.id/
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    facebook: {page_id: "100000000000002"}
    instagram: {user_id: "17841400000000002", username: kpubalikpapan` + c + `}
    telegram: {channel: "@kpubalikpapan"}
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
    instagram: {user_id: "17841400000000001", username: diskominfobpp}
    telegram: {channel: "@diskominfobpp"}
`
	cfg, err := config.Parse("humas.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func composeSocial(t *testing.T, r *release.Release, collab bool) []Target {
	t.Helper()
	ts, err := ComposeWith(socialConfig(t, collab), templates.FS, r)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestEightTargetsOnFourPlatforms(t *testing.T) {
	got := keysOf(composeSocial(t, testRelease(), false))
	want := []string{"kpu/x", "kpu/facebook", "kpu/instagram", "kpu/telegram",
		"diskominfo/x", "diskominfo/facebook", "diskominfo/instagram", "diskominfo/telegram"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("targets %q, want %q", got, want)
	}
}

func TestInstagramCaptionNamesTheAddress(t *testing.T) {
	r := testRelease()
	ig := find(t, composeSocial(t, r, false), "kpu", instagram.Name)
	want := r.Title + "\n\n" + r.Summary + "\n\nSelengkapnya: humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks\n\n#Pemilu2024 #Kehumasan"
	if ig.Text != want {
		t.Errorf("caption:\n%s\nwant:\n%s", ig.Text, want)
	}
	// The adapter adds nothing: the caption names the article as Find looks for it.
	if !instagram.CaptionNames(ig.Text, articleURL) || strings.Contains(ig.Text, "https://") {
		t.Errorf("the caption should name the article without its scheme: %q", ig.Text)
	}
	if ig.Limit != 2200 || ig.Length != utf8.RuneCountInString(ig.Text) {
		t.Errorf("length %d / %d", ig.Length, ig.Limit)
	}
	partner := find(t, composeSocial(t, r, false), "diskominfo", instagram.Name)
	if partner.Quote || partner.Collab || !strings.HasSuffix(partner.Text, "\n\nSumber: KPU Kota Balikpapan") {
		t.Errorf("a partner's caption credits the issuer: %+v", partner)
	}
}

func TestInstagramPicture(t *testing.T) {
	withImage := func(format string, w, h int) *release.Release {
		r := testRelease()
		r.Image, r.ImageAlt = "releases/images/audiensi."+format, "Ketua KPU berbicara"
		r.ImageInfo = media.Info{Format: format, Width: w, Height: h, Bytes: 300 << 10}
		return r
	}
	tests := []struct {
		name                 string
		r                    *release.Release
		path, url, alt, made string
	}{
		{"no image: the card", testRelease(), "", articleURL + "card.jpg",
			"Siaran pers KPU Kota Balikpapan: KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu. Rabu, 9 Juni 2021", MadeCard},
		{"a JPEG it takes: the site's copy", withImage("jpeg", 1200, 800), "releases/images/audiensi.jpeg", articleURL + "audiensi.jpeg", "Ketua KPU berbicara", ""},
		{"a PNG: the rendition", withImage("png", 1200, 800), "releases/images/audiensi.png", articleURL + "instagram.jpg", "Ketua KPU berbicara", MadeRendition},
		{"a tall JPEG: the rendition", withImage("jpeg", 800, 1600), "releases/images/audiensi.jpeg", articleURL + "instagram.jpg", "Ketua KPU berbicara", MadeRendition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Date = testDate()
			ts := composeSocial(t, tt.r, false)
			img := find(t, ts, "kpu", instagram.Name).Image
			if img == nil || img.Path != tt.path || img.URL != tt.url || img.Alt != tt.alt || img.Made != tt.made {
				t.Fatalf("image = %+v, want path %q url %q alt %q made %q", img, tt.path, tt.url, tt.alt, tt.made)
			}
			// Other platforms upload the release's own image, or none.
			if tg := find(t, ts, "kpu", telegram.Name); (tg.Image == nil) != (tt.r.Image == "") || tg.Image != nil && (tg.Image.URL != "" || tg.Image.Path != tt.r.Image) {
				t.Errorf("telegram image = %+v", tg.Image)
			}
		})
	}
}

func TestInstagramKeepsThirtyHashtags(t *testing.T) {
	r := testRelease()
	r.Tags = nil
	for i := range 33 {
		r.Tags = append(r.Tags, "tag"+string(rune('a'+i%26))+strings.Repeat("x", i/26))
	}
	r.Lines["tags"] = 9
	ts := composeSocial(t, r, false)
	ig := find(t, ts, "kpu", instagram.Name)
	if n := instagram.Hashtags(ig.Text); n != 30 {
		t.Errorf("%d hashtags in the caption, want 30", n)
	}
	if err := instagram.CheckCaption(ig.Text); err != nil {
		t.Error(err)
	}
	if len(ig.Warnings) != 1 || !strings.Contains(ig.Warnings[0].Message, "#Tagex #Tagfx #Taggx left out: Instagram takes at most 30 hashtags") || ig.Warnings[0].Line != 9 {
		t.Errorf("warnings %v", ig.Warnings)
	}
	if fb := find(t, ts, "kpu", "facebook"); strings.Count(fb.Text, "#") != 33 {
		t.Errorf("facebook keeps every hashtag: %q", fb.Text)
	}
}

func TestInstagramCollab(t *testing.T) {
	ts := composeSocial(t, testRelease(), true)
	issuer := find(t, ts, "kpu", instagram.Name)
	partner := find(t, ts, "diskominfo", instagram.Name)
	if strings.Join(issuer.Collaborators, ",") != "@diskominfobpp" || issuer.Collab {
		t.Errorf("the issuer's post invites the partner: %+v", issuer)
	}
	if !partner.Collab || partner.Text != issuer.Text || partner.Length != issuer.Length || partner.Image != issuer.Image {
		t.Errorf("the partner is invited on the issuer's post: %+v", partner)
	}
	// Only on Instagram.
	if fb := find(t, ts, "diskominfo", "facebook"); fb.Collab || !strings.Contains(fb.Text, "Sumber:") {
		t.Errorf("facebook partner %+v", fb)
	}
	// A partner alone, without the issuer's Instagram post, posts its own.
	r := testRelease()
	r.Targets = []string{"kpu/x", "diskominfo/instagram"}
	if p := find(t, composeSocial(t, r, true), "diskominfo", instagram.Name); p.Collab || !strings.Contains(p.Text, "Sumber: KPU Kota Balikpapan") {
		t.Errorf("without the issuer's post: %+v", p)
	}
}

func TestTelegram(t *testing.T) {
	r := testRelease()
	ts := composeSocial(t, r, false)
	issuer := find(t, ts, "kpu", telegram.Name)
	want := r.Title + "\n\n" + r.Summary + "\n\n" + articleURL + "\n\n#Pemilu2024 #Kehumasan"
	if issuer.Text != want || issuer.Limit != telegram.MessageLimit {
		t.Errorf("kpu/telegram (limit %d):\n%s\nwant:\n%s", issuer.Limit, issuer.Text, want)
	}
	partner := find(t, ts, "diskominfo", telegram.Name)
	// The partner names the issuer and the adapter links the issuer's message on
	// the line after: the text leaves room for it.
	room := utf8.RuneCountInString("\nhttps://t.me/kpubalikpapan/1234567890")
	if !partner.Quote || !strings.HasSuffix(partner.Text, "\n\nSumber: KPU Kota Balikpapan") || partner.Limit != telegram.MessageLimit-room {
		t.Errorf("diskominfo/telegram = %+v", partner)
	}
	if !strings.HasSuffix(partner.Fallback, "Sumber: KPU Kota Balikpapan") {
		t.Errorf("fallback %q", partner.Fallback)
	}
}

func TestTelegramCaptionFitsAPhoto(t *testing.T) {
	r := testRelease()
	r.Image, r.ImageAlt = "releases/images/a.jpg", "Foto"
	r.ImageInfo = media.Info{Format: "jpeg", Width: 1200, Height: 800, Bytes: 1000}
	r.Summary = strings.Repeat("Kalimat yang cukup panjang untuk mengisi keterangan foto. ", 30)
	r.Lines["summary"] = 5
	ts := composeSocial(t, r, false)
	photo := find(t, ts, "kpu", telegram.Name)
	if photo.Limit != telegram.CaptionLimit || photo.Length > telegram.CaptionLimit || !strings.Contains(photo.Text, articleURL) {
		t.Errorf("caption %d / %d: %q", photo.Length, photo.Limit, photo.Text)
	}
	if !strings.Contains(photo.Warnings.Error(), "summary: kpu/telegram: shortened to fit 1024 characters") {
		t.Errorf("warnings %v", photo.Warnings)
	}
	// The text is cut after a whole sentence.
	if i := strings.Index(photo.Text, articleURL); !strings.HasSuffix(strings.TrimSpace(photo.Text[:i]), "foto.") {
		t.Errorf("not cut after a sentence: %q", photo.Text)
	}
}

func testDate() time.Time {
	return time.Date(2021, 6, 9, 13, 0, 0, 0, time.FixedZone("WITA", 8*3600))
}
