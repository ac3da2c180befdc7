// Package card draws the pictures a release without its own image is shared with: the
// Instagram card (card.jpg, 1080×1350 JPEG) and the link-preview image (og.png, 1200×630
// PNG), and makes a release's own image into a JPEG Instagram accepts.
//
// Cards are drawn in pure Go from plain data (title, date, issuer name and logo, the
// verdict of a hoax clarification) with the embedded Liberation Sans, so the same input
// gives the same bytes on every machine and a build can cache a card by its content.
package card

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"sync"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"

	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/internal/fonts"
)

// Release is what a card shows.
type Release struct {
	Title string // as written, without the "[HOAKS]" prefix: the verdict has its own stamp
	// Kind is the release kind (siaran-pers, berita, klarifikasi-hoaks); it names the
	// small label above the title.
	Kind string
	Date time.Time
	// Location is the zone the date is shown in (the site's); nil shows Date's own.
	Location *time.Location
	Issuer   string // the issuer's name: "KPU Kota Balikpapan"
	Logo     []byte // the issuer's logo, PNG or JPEG; nil draws the name alone
	Verdict  string // a hoax clarification's verdict: HOAKS, DISINFORMASI, MISINFORMASI or SATIRE
	Website  string // optional, printed at the foot: "humas.balikpapan.go.id"
}

// Sizes of the two cards, in pixels.
const (
	CardWidth, CardHeight = 1080, 1350 // Instagram's 4:5 portrait, the largest share of the feed
	OGWidth, OGHeight     = 1200, 630  // the 1.91:1 that Facebook, X and WhatsApp previews show whole
)

// maxLogoSide bounds a logo's decoded size: a logo is drawn at most 150 pixels wide, and a
// hostile or careless 20000-pixel PNG must not cost a gigabyte of memory.
const maxLogoSide = 4096

// Renderer draws cards. It holds the parsed fonts and the logos it has scaled; make one
// with New and share it: its methods are safe for concurrent use.
type Renderer struct {
	regular, bold *sfnt.Font

	mu    sync.Mutex
	logos map[logoKey]*image.RGBA // a build draws every card of an issuer with one logo
}

// logoKey names a logo scaled to one size: its content and the size.
type logoKey struct {
	sum  [sha256.Size]byte
	size image.Point
}

// maxCachedLogos bounds the cache: an office has a logo or two, a network a dozen.
const maxCachedLogos = 32

// New parses the embedded fonts.
func New() (*Renderer, error) {
	reg, err := sfnt.Parse(fonts.TTF(fonts.Regular))
	if err != nil {
		return nil, fmt.Errorf("card: regular font: %w", err)
	}
	bold, err := sfnt.Parse(fonts.TTF(fonts.Bold))
	if err != nil {
		return nil, fmt.Errorf("card: bold font: %w", err)
	}
	return &Renderer{regular: reg, bold: bold, logos: map[logoKey]*image.RGBA{}}, nil
}

// Card draws card.jpg: 1080×1350, JPEG, for Instagram, which takes JPEG only.
func (r *Renderer) Card(rel Release) ([]byte, error) {
	img, _, err := r.draw(rel, cardLayout)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	// Quality 90: text edges stay clean on the flat ground, and the file stays near
	// 150 KB, far under Instagram's 8 MB.
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("card: %w", err)
	}
	return b.Bytes(), nil
}

// OG draws og.png: 1200×630 PNG, the og:image of the article's link previews.
func (r *Renderer) OG(rel Release) ([]byte, error) {
	img, _, err := r.draw(rel, ogLayout)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	// BestSpeed: the card is a few flat colours, which deflate well at any level, and
	// the default level costs twice the time for a few percent of bytes.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("og: %w", err)
	}
	return b.Bytes(), nil
}

// layout is where things go on one format of card; every length is in pixels.
type layout struct {
	name                 string
	w, h                 int
	margin               int     // left and right, and the gap under the header band
	band                 int     // height of the white header band with the logo and name
	logo                 int     // side of the square the logo is fitted into
	nameMax, nameMin     float64 // issuer name sizes
	label                float64 // the kind label above the title
	stamp                float64 // the verdict's size on its stamp
	titleMax, titleMin   float64
	date                 float64
	web                  float64
	footOneLine          bool // date and website on one line (the wide card) or two
	stripe               int  // the amber stripe at the foot
	gapLabel, gapTitle   int  // under the label, under the stamp
	gapFoot              int  // between the title's box and the footer
	stampPadX, stampPadY int
}

var cardLayout = layout{
	name: "card", w: CardWidth, h: CardHeight,
	margin: 80, band: 220, logo: 150,
	nameMax: 52, nameMin: 34,
	label: 38, stamp: 104,
	titleMax: 120, titleMin: 50,
	date: 44, web: 38,
	stripe: 18, gapLabel: 28, gapTitle: 40, gapFoot: 48,
	stampPadX: 34, stampPadY: 18,
}

var ogLayout = layout{
	name: "og", w: OGWidth, h: OGHeight,
	margin: 60, band: 132, logo: 100,
	nameMax: 40, nameMin: 28,
	label: 28, stamp: 56,
	titleMax: 72, titleMin: 34,
	date: 30, web: 30, footOneLine: true,
	stripe: 12, gapLabel: 16, gapTitle: 22, gapFoot: 26,
	stampPadX: 22, stampPadY: 10,
}

// draw lays out one card: a white band with the logo and the issuer's name, then on navy
// the label, the verdict stamp of a hoax clarification, the title as large as it fits,
// and at the foot the date and the website over an amber stripe.
// It returns the title's block too, for tests to check the fitting.
func (r *Renderer) draw(rel Release, l layout) (*image.RGBA, block, error) {
	title := r.settable(strings.Join(strings.Fields(rel.Title), " "))
	if strings.TrimSpace(title) == "" {
		return nil, block{}, fmt.Errorf("%s: the title is empty", l.name)
	}
	if rel.Verdict != "" && !slices.Contains(verdicts(), rel.Verdict) {
		return nil, block{}, fmt.Errorf("%s: verdict %q: want one of %s", l.name, rel.Verdict, strings.Join(verdicts(), ", "))
	}
	var logo *image.RGBA
	if len(rel.Logo) > 0 {
		var err error
		if logo, err = r.scaledLogo(rel.Logo, image.Pt(l.logo, l.logo)); err != nil {
			return nil, block{}, fmt.Errorf("%s: logo: %w", l.name, err)
		}
	}

	img := image.NewRGBA(image.Rect(0, 0, l.w, l.h))
	fill(img, img.Rect, navy)
	fill(img, image.Rect(0, 0, l.w, l.band), white)
	fill(img, image.Rect(0, l.h-l.stripe, l.w, l.h), amber)

	// The header band: logo, then the name beside it, both centred on the band.
	x := l.margin
	if logo != nil {
		at := image.Pt(x+(l.logo-logo.Rect.Dx())/2, (l.band-logo.Rect.Dy())/2)
		draw.Draw(img, logo.Rect.Add(at), logo, image.Point{}, draw.Over)
		x += l.logo + l.margin/2
	}
	name, err := fit(r.settable(rel.Issuer), spec{font: r.bold, width: l.w - l.margin - x, height: l.band - 2*l.margin/3,
		maxSize: l.nameMax, minSize: l.nameMin, maxLines: 2, leading: 1.15})
	if err != nil {
		return nil, block{}, err
	}
	name.draw(img, x, (l.band-name.height())/2, 0, navy, false)

	// The foot, from the bottom up: the website, then the date.
	date := idtime.Date(rel.Date)
	if rel.Location != nil {
		date = idtime.In(rel.Location).Date(rel.Date)
	}
	dateFace, err := face(r.regular, l.date)
	if err != nil {
		return nil, block{}, err
	}
	webFace, err := face(r.bold, l.web)
	if err != nil {
		return nil, block{}, err
	}
	base := l.h - l.stripe - l.margin*2/3 - dateFace.Metrics().Descent.Ceil()
	if l.footOneLine {
		w := text(img, dateFace, date, l.margin, base, mist)
		if rel.Website != "" {
			text(img, webFace, r.settable(rel.Website), l.margin+w+l.margin/2, base, amber)
		}
	} else {
		if rel.Website != "" {
			text(img, webFace, r.settable(rel.Website), l.margin, base, amber)
			base -= int(l.web * 1.5)
		}
		text(img, dateFace, date, l.margin, base, mist)
	}
	footTop := base - dateFace.Metrics().Ascent.Ceil() - l.gapFoot

	// The label, the verdict stamp and the title stand as one group in what is left,
	// set a little above the middle, where the eye puts the centre of a poster.
	top := l.band + l.margin*2/3
	labelFace, err := face(r.bold, l.label)
	if err != nil {
		return nil, block{}, err
	}
	labelAsc := labelFace.Metrics().Ascent.Ceil()
	head := labelAsc + labelFace.Metrics().Descent.Ceil() + l.gapLabel
	var st stamp
	if rel.Verdict != "" {
		if st, err = r.newStamp(rel.Verdict, l); err != nil {
			return nil, block{}, err
		}
		head += st.box.Dy() + l.gapTitle
	}
	t, err := fit(title, spec{font: r.bold, width: l.w - 2*l.margin, height: footTop - top - head,
		maxSize: l.titleMax, minSize: l.titleMin, leading: 1.12})
	if err != nil {
		return nil, block{}, err
	}
	y := top + max(0, footTop-top-head-t.height())*2/5
	spaced(img, labelFace, kindLabel(rel), l.margin, y+labelAsc, int(l.label/8), amber)
	y += labelAsc + labelFace.Metrics().Descent.Ceil() + l.gapLabel
	if rel.Verdict != "" {
		st.draw(img, l.margin, y)
		y += st.box.Dy() + l.gapTitle
	}
	t.draw(img, l.margin, y, 0, white, false)
	return img, t, nil
}

// stamp is the verdict of a hoax clarification in white capitals on its colour, framed
// in white so that it stands off the navy.
type stamp struct {
	face           font.Face
	verdict        string
	box            image.Rectangle // at the origin; draw moves it
	padX, padY     int
	capH, tracking int
}

func (r *Renderer) newStamp(verdict string, l layout) (stamp, error) {
	f, err := face(r.bold, l.stamp)
	if err != nil {
		return stamp{}, err
	}
	m := f.Metrics()
	// Capitals only: the stamp's height is the cap height, not ascent plus descent.
	capH := m.CapHeight.Ceil()
	if capH == 0 {
		capH = m.Ascent.Ceil() * 7 / 10
	}
	tracking := int(l.stamp / 12)
	w := measureSpaced(f, verdict, tracking)
	return stamp{
		face: f, verdict: verdict,
		box:  image.Rect(0, 0, w+2*l.stampPadX, capH+2*l.stampPadY),
		padX: l.stampPadX, padY: l.stampPadY, capH: capH, tracking: tracking,
	}, nil
}

func (s stamp) draw(img *image.RGBA, x, y int) {
	box := s.box.Add(image.Pt(x, y))
	fill(img, box, white)
	fill(img, box.Inset(max(3, s.padY/4)), verdictColour(s.verdict))
	spaced(img, s.face, s.verdict, box.Min.X+s.padX, box.Min.Y+s.padY+s.capH, s.tracking, white)
}

// settable is s as the bold face can draw it: an emoji becomes a square, its variation
// selector and joiners go (fonts.Settable). Regular and bold cover the same characters.
func (r *Renderer) settable(s string) string {
	var b sfnt.Buffer
	return fonts.Settable(s, func(c rune) bool {
		g, err := r.bold.GlyphIndex(&b, c)
		return err == nil && g != 0
	})
}

// kindLabel names the kind of release above the title.
func kindLabel(rel Release) string {
	switch rel.Kind {
	case "", "siaran-pers":
		return "SIARAN PERS"
	case "berita":
		return "BERITA"
	case "klarifikasi-hoaks":
		return "KLARIFIKASI"
	}
	return strings.ToUpper(strings.ReplaceAll(rel.Kind, "-", " "))
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// fitRect is the largest rectangle of size's proportions centred in box.
func fitRect(size image.Point, box image.Rectangle) image.Rectangle {
	bw, bh := box.Dx(), box.Dy()
	w, h := bw, bw*size.Y/max(size.X, 1)
	if h > bh {
		w, h = bh*size.X/max(size.Y, 1), bh
	}
	min := box.Min.Add(image.Pt((bw-w)/2, (bh-h)/2))
	return image.Rectangle{Min: min, Max: min.Add(image.Pt(w, h))}
}

// scaledLogo is the logo fitted into a box of size, with its transparency kept, scaled
// once per logo and size.
func (r *Renderer) scaledLogo(b []byte, size image.Point) (*image.RGBA, error) {
	key := logoKey{sha256.Sum256(b), size}
	r.mu.Lock()
	img, ok := r.logos[key]
	r.mu.Unlock()
	if ok {
		return img, nil
	}
	src, err := decodeLogo(b)
	if err != nil {
		return nil, err
	}
	box := fitRect(src.Bounds().Size(), image.Rectangle{Max: size})
	img = image.NewRGBA(image.Rectangle{Max: box.Size()})
	xdraw.CatmullRom.Scale(img, img.Rect, src, src.Bounds(), xdraw.Src, nil)
	r.mu.Lock()
	if len(r.logos) >= maxCachedLogos {
		clear(r.logos)
	}
	r.logos[key] = img
	r.mu.Unlock()
	return img, nil
}

// decodeLogo reads a PNG or JPEG logo, refusing one too large to be a logo before
// decoding its pixels.
func decodeLogo(b []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a PNG or JPEG image: %w", err)
	}
	if format != "png" && format != "jpeg" {
		return nil, fmt.Errorf("%s image: use a PNG or JPEG logo", format)
	}
	if cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
		return nil, fmt.Errorf("%d×%d pixels is too large for a logo: at most %d on a side", cfg.Width, cfg.Height, maxLogoSide)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return nil, errors.New("the image is empty")
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return img, nil
}
