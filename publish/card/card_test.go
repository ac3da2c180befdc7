package card

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
)

var update = flag.Bool("update", false, "rewrite the golden cards in testdata/golden")

var wita = time.FixedZone("WITA", 8*3600)

func testLogo(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/logo.png") // a made-up emblem, no institution's logo
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// title200 is a 200-character title of ordinary words.
const title200 = "Pemerintah Kota Balikpapan dan KPU Kota Balikpapan Menggelar Rapat Koordinasi " +
	"Persiapan Pemungutan Suara, Distribusi Logistik, dan Pengamanan TPS di Enam Kecamatan Menjelang Pemilu Serentak Tahun 2024"

// word60 is a single 60-character word, as a pasted link or a hashtag can be.
const word60 = "#PemiluDamaiBalikpapanBersatuMelawanHoaksDanUjaranKebencian1"

func goldenCases(t testing.TB) []struct {
	name string
	rel  Release
} {
	logo := testLogo(t)
	return []struct {
		name string
		rel  Release
	}{
		{"siaran-pers", Release{
			Title: "KPU Balikpapan Audiensi ke Diskominfo, Sepakati Koordinasi Kehumasan Pemilu",
			Kind:  "siaran-pers", Date: time.Date(2021, 6, 9, 5, 0, 0, 0, time.UTC), Location: wita,
			Issuer: "KPU Kota Balikpapan", Logo: logo, Website: "humas.balikpapan.go.id",
		}},
		{"hoaks", Release{
			Title: "Pemilih Wajib Bawa Fotokopi KTP ke TPS",
			Kind:  "klarifikasi-hoaks", Date: time.Date(2024, 1, 22, 15, 0, 0, 0, wita),
			Issuer: "KPU Kota Balikpapan", Logo: logo, Verdict: "HOAKS", Website: "humas.balikpapan.go.id",
		}},
		{"long-title-no-logo", Release{
			Title: title200,
			Kind:  "berita", Date: time.Date(2024, 2, 1, 9, 0, 0, 0, wita),
			Issuer: "Dinas Komunikasi dan Informatika Kota Balikpapan",
		}},
		{"long-word", Release{
			Title: word60,
			Kind:  "siaran-pers", Date: time.Date(2024, 2, 1, 9, 0, 0, 0, wita),
			Issuer: "Diskominfo Kota Balikpapan", Logo: logo, Website: "humas.balikpapan.go.id",
		}},
	}
}

// TestCardsMatchGolden draws each card and compares it with its golden file: format,
// size, and the decoded pixels within a tolerance that survives a new Go release's
// JPEG encoder or rasteriser but not a moved, recoloured or missing element.
func TestCardsMatchGolden(t *testing.T) {
	r := newRenderer(t)
	for _, c := range goldenCases(t) {
		for _, f := range []struct {
			ext    string
			format string
			w, h   int
			draw   func(Release) ([]byte, error)
		}{
			{"card.jpg", "jpeg", CardWidth, CardHeight, r.Card},
			{"og.png", "png", OGWidth, OGHeight, r.OG},
		} {
			t.Run(c.name+"/"+f.ext, func(t *testing.T) {
				got, err := f.draw(c.rel)
				if err != nil {
					t.Fatal(err)
				}
				cfg, format, err := image.DecodeConfig(bytes.NewReader(got))
				if err != nil {
					t.Fatal(err)
				}
				if format != f.format || cfg.Width != f.w || cfg.Height != f.h {
					t.Fatalf("got a %d×%d %s, want a %d×%d %s", cfg.Width, cfg.Height, format, f.w, f.h, f.format)
				}
				again, err := f.draw(c.rel)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, again) {
					t.Error("the same release drew different bytes: a build cannot cache cards by content")
				}
				golden := filepath.Join("testdata", "golden", c.name+"."+f.ext)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				comparePixels(t, decode(t, got), decode(t, want))
			})
		}
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// comparePixels fails when more than 0.2% of the pixels differ by more than 24 of 255 in
// any channel. A word that moves, a colour that changes or a logo that goes missing
// changes several percent; a JPEG encoder's rounding changes a few units.
func comparePixels(t *testing.T, got, want image.Image) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("bounds %v, golden %v", got.Bounds(), want.Bounds())
	}
	b := got.Bounds()
	diff := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if far(got.At(x, y), want.At(x, y), 24) {
				diff++
			}
		}
	}
	if limit := b.Dx() * b.Dy() / 500; diff > limit {
		t.Errorf("%d pixels differ from the golden file (at most %d may); look at the card, and run go test -update if the change is wanted", diff, limit)
	}
}

func far(a, b color.Color, tol int32) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) bool { v := int32(x>>8) - int32(y>>8); return v > tol || v < -tol }
	return d(r1, r2) || d(g1, g2) || d(b1, b2)
}

func TestLongTitleShrinksAndWrapsWhole(t *testing.T) {
	if n := len([]rune(title200)); n != 200 {
		t.Fatalf("title200 has %d characters", n)
	}
	r := newRenderer(t)
	for _, l := range []layout{cardLayout, ogLayout} {
		t.Run(l.name, func(t *testing.T) {
			_, b, err := r.draw(Release{Title: title200, Issuer: "KPU Kota Balikpapan", Date: time.Now()}, l)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(b.lines, " "); got != title200 {
				t.Errorf("the title was not shown whole:\n got %q\nwant %q", got, title200)
			}
			if b.size >= l.titleMax {
				t.Errorf("a 200-character title kept the largest size %v", b.size)
			}
			if b.size < l.titleMin {
				t.Errorf("size %v is under the legible minimum %v", b.size, l.titleMin)
			}
			checkLinesFit(t, b, l.w-2*l.margin)
		})
	}
}

func TestShortTitleIsLarge(t *testing.T) {
	r := newRenderer(t)
	_, b, err := r.draw(Release{Title: "Pemilih Wajib Bawa Fotokopi KTP ke TPS", Issuer: "KPU", Date: time.Now()}, cardLayout)
	if err != nil {
		t.Fatal(err)
	}
	if b.size != cardLayout.titleMax {
		t.Errorf("a short title was drawn at %v, want the largest size %v", b.size, cardLayout.titleMax)
	}
}

func TestLongWordBreaksInsideTheCard(t *testing.T) {
	if n := len([]rune(word60)); n != 60 {
		t.Fatalf("word60 has %d characters", n)
	}
	r := newRenderer(t)
	for _, l := range []layout{cardLayout, ogLayout} {
		t.Run(l.name, func(t *testing.T) {
			img, b, err := r.draw(Release{Title: word60, Issuer: "KPU Kota Balikpapan", Date: time.Now()}, l)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(b.lines, ""); got != word60 {
				t.Errorf("the word was not shown whole: %q", b.lines)
			}
			if len(b.lines) < 2 {
				t.Errorf("a 60-character word on one line of %v pixels", l.w-2*l.margin)
			}
			checkLinesFit(t, b, l.w-2*l.margin)
			// Nothing but navy in the right margin between the band and the foot.
			for y := l.band; y < l.h-l.stripe-3*l.margin; y++ {
				for x := l.w - l.margin + 4; x < l.w; x++ {
					if c := img.RGBAAt(x, y); c != navy {
						t.Fatalf("ink at (%d,%d) in the right margin: %v", x, y, c)
					}
				}
			}
		})
	}
}

func TestEndlessTitleEndsInEllipsis(t *testing.T) {
	r := newRenderer(t)
	long := strings.Repeat("Informasi resmi pemilu dari KPU Kota Balikpapan. ", 20)
	_, b, err := r.draw(Release{Title: long, Issuer: "KPU", Date: time.Now()}, cardLayout)
	if err != nil {
		t.Fatal(err)
	}
	last := b.lines[len(b.lines)-1]
	if !strings.HasSuffix(last, "…") {
		t.Errorf("a title that cannot fit ends %q, want an ellipsis", last)
	}
	if b.size != cardLayout.titleMin {
		t.Errorf("size %v, want the smallest %v before cutting", b.size, cardLayout.titleMin)
	}
	checkLinesFit(t, b, cardLayout.w-2*cardLayout.margin)
}

func checkLinesFit(t *testing.T, b block, width int) {
	t.Helper()
	for _, l := range b.lines {
		if w := font.MeasureString(b.face, l).Ceil(); w > width {
			t.Errorf("line %q is %d pixels, wider than %d", l, w, width)
		}
	}
}

func TestTextColoursMeetWCAGContrast(t *testing.T) {
	for _, p := range textPairs() {
		if c := contrast(p.fg, p.bg); c < p.minRatio {
			t.Errorf("%s: contrast %.2f:1, WCAG asks at least %.1f:1", p.name, c, p.minRatio)
		}
	}
	// The formula itself, on the two values WCAG's definition fixes.
	if c := contrast(color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}); c < 20.99 || c > 21.01 {
		t.Errorf("black on white: %v, want 21", c)
	}
	if c := contrast(color.RGBA{0x76, 0x76, 0x76, 255}, color.RGBA{255, 255, 255, 255}); c < 4.5 || c > 4.6 {
		t.Errorf("#767676 on white: %v, want 4.54", c)
	}
}

func TestRefusals(t *testing.T) {
	r := newRenderer(t)
	huge := image.NewGray(image.Rect(0, 0, maxLogoSide+1, 1))
	var hugePNG bytes.Buffer
	if err := png.Encode(&hugePNG, huge); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		rel  Release
		want string
	}{
		{"empty title", Release{Title: "  ", Issuer: "KPU"}, "card: the title is empty"},
		{"unknown verdict", Release{Title: "x", Verdict: "PALSU"}, `card: verdict "PALSU": want one of HOAKS, DISINFORMASI, MISINFORMASI, SATIRE`},
		{"logo not an image", Release{Title: "x", Logo: []byte("<svg/>")}, "card: logo: not a PNG or JPEG image"},
		{"logo too large", Release{Title: "x", Logo: hugePNG.Bytes()}, "card: logo: 4097×1 pixels is too large for a logo: at most 4096 on a side"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.Card(c.rel)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestJPEGLogoDraws(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 300, 100))
	draw.Draw(src, src.Rect, image.NewUniform(color.RGBA{0xb0, 0x1c, 0x2e, 0xff}), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, src, nil); err != nil {
		t.Fatal(err)
	}
	r := newRenderer(t)
	img, _, err := r.draw(Release{Title: "Judul", Issuer: "KPU", Logo: b.Bytes(), Date: time.Now()}, cardLayout)
	if err != nil {
		t.Fatal(err)
	}
	// The 3:1 logo is fitted into the 150-pixel square: 150×50, centred on the band.
	l := cardLayout
	mid := img.RGBAAt(l.margin+l.logo/2, l.band/2)
	if far(mid, color.RGBA{0xb0, 0x1c, 0x2e, 0xff}, 8) {
		t.Errorf("the middle of the logo is %v, want the logo's red", mid)
	}
	if above := img.RGBAAt(l.margin+l.logo/2, l.band/2-40); above != white {
		t.Errorf("above a 150×50 logo is %v, want the band's white", above)
	}
}

// BenchmarkCard is a card in a build: one Renderer, the issuer's logo already scaled.
func BenchmarkCard(b *testing.B) {
	r := newRenderer(b)
	rel := goldenCases(b)[1].rel // the hoax card, with logo and stamp: the most to draw
	for b.Loop() {
		if _, err := r.Card(rel); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCardFirst is the first card of a build: fonts parsed, the 512-pixel logo
// decoded and scaled.
func BenchmarkCardFirst(b *testing.B) {
	rel := goldenCases(b)[1].rel
	for b.Loop() {
		r, err := New()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Card(rel); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOG(b *testing.B) {
	r := newRenderer(b)
	rel := goldenCases(b)[1].rel
	for b.Loop() {
		if _, err := r.OG(rel); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEmojiShowsAsASquare(t *testing.T) {
	r := newRenderer(t)
	_, b, err := r.draw(Release{Title: "Ayo memilih 🗳️ di TPS", Issuer: "KPU", Date: time.Now()}, cardLayout)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.lines, " "); got != "Ayo memilih □ di TPS" {
		t.Errorf("title set as %q", got)
	}
}

// FuzzTitle: whatever the title, a card is drawn and its lines stay inside the card.
func FuzzTitle(f *testing.F) {
	for _, s := range []string{title200, word60, "Ayo memilih 🗳️ di TPS", "a\u200db\ufe0f\x00 \t\n", strings.Repeat("W", 500)} {
		f.Add(s)
	}
	r := newRenderer(f)
	f.Fuzz(func(t *testing.T, title string) {
		_, b, err := r.draw(Release{Title: title, Issuer: "KPU", Date: time.Now()}, ogLayout)
		if strings.TrimSpace(r.settable(strings.Join(strings.Fields(title), " "))) == "" {
			if err == nil {
				t.Fatal("an empty title drew a card")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkLinesFit(t, b, ogLayout.w-2*ogLayout.margin)
	})
}

func TestLogoCacheKeysOnContent(t *testing.T) {
	r := newRenderer(t)
	red, blue := solidJPEG(t, color.RGBA{0xc0, 0, 0, 0xff}), solidJPEG(t, color.RGBA{0, 0, 0xc0, 0xff})
	l := cardLayout
	for _, c := range []struct {
		logo []byte
		want color.RGBA
	}{{red, color.RGBA{0xc0, 0, 0, 0xff}}, {blue, color.RGBA{0, 0, 0xc0, 0xff}}, {red, color.RGBA{0xc0, 0, 0, 0xff}}} {
		img, _, err := r.draw(Release{Title: "Judul", Issuer: "KPU", Logo: c.logo, Date: time.Now()}, l)
		if err != nil {
			t.Fatal(err)
		}
		if got := img.RGBAAt(l.margin+l.logo/2, l.band/2); far(got, c.want, 10) {
			t.Errorf("logo drawn as %v, want %v: a cached logo of another issuer?", got, c.want)
		}
	}
}

func solidJPEG(t *testing.T, c color.RGBA) []byte {
	t.Helper()
	src := image.NewRGBA(image.Rect(0, 0, 200, 200))
	draw.Draw(src, src.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
