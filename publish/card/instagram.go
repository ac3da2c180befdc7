package card

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"strings"

	_ "image/gif" // a release's image may be any format a browser shows
	_ "image/png"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"github.com/balikpapan/humas/publish/instagram"
	"github.com/balikpapan/humas/publish/platform"
)

// What Instagram's content publishing takes as an image_url is instagram.Platform's
// Media (JPEG only, at most 8 MB, an aspect ratio from 4:5 to 1.91:1): check, the
// adapter and these renditions read the one set of rules. Wider than 1440 pixels is
// scaled down by Instagram; we do it ourselves so the file stays small.
const instagramMaxWidth = 1440

// MaxRenditionPixels bounds the images ForInstagram decodes: 50 megapixels is more
// than any camera a press office uses, and the decoded RGBA stays under 200 MB. check
// refuses a larger picture for Instagram, as no rendition can be made of it.
const MaxRenditionPixels = 50_000_000

// InstagramProblem says why Instagram would refuse an image as it is ("Instagram takes
// jpeg, not png"), or returns "" when it takes it. It reads the header only.
func InstagramProblem(img []byte) string {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return "is not an image humas can read (JPEG, PNG, GIF or WebP)"
	}
	problems := instagram.Platform.CheckImage(platform.Image{Format: format, Width: cfg.Width, Height: cfg.Height, Bytes: int64(len(img))})
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// tooTall and tooWide hold a size to Instagram's aspect ratios as CheckImage does.
func tooTall(w, h int) bool { return float64(w)/float64(h) < instagram.Platform.Media.MinAspect }
func tooWide(w, h int) bool { return float64(w)/float64(h) > instagram.Platform.Media.MaxAspect }

// ForInstagram returns img itself when Instagram takes it as it is, and otherwise a JPEG
// rendition it takes, with converted true. A picture a little too wide or tall (at most a
// tenth to lose) is cropped from both sides; one further off is padded instead, with the
// average colour of its edges, because cropping a poster or an infographic would cut off
// what it says. Transparency is laid on white. The rendition is at most 1440 pixels wide.
func ForInstagram(img []byte) (out []byte, converted bool, err error) {
	if InstagramProblem(img) == "" {
		return img, false, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return nil, false, fmt.Errorf("instagram image: not a JPEG, PNG, GIF or WebP image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxRenditionPixels {
		return nil, false, fmt.Errorf("instagram image: %d×%d pixels: at most %d megapixels, make it smaller", cfg.Width, cfg.Height, MaxRenditionPixels/1_000_000)
	}
	src, _, err := image.Decode(bytes.NewReader(img))
	if err != nil {
		return nil, false, fmt.Errorf("instagram image: %w", err)
	}
	frame, place := frameFor(src.Bounds())
	scale := min(1, float64(instagramMaxWidth)/float64(frame.Dx()))
	dw, dh := max(1, int(float64(frame.Dx())*scale+0.5)), max(1, int(float64(frame.Dy())*scale+0.5))
	for tooTall(dw, dh) { // rounding the scaled size may step a pixel past a limit
		dh--
	}
	for tooWide(dw, dh) {
		dw--
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	ground := color.RGBA{0xff, 0xff, 0xff, 0xff}
	if frame != place { // padded
		ground = edgeColour(src)
	}
	draw.Draw(dst, dst.Rect, image.NewUniform(ground), image.Point{}, draw.Src)
	// Map the part of src that shows (place, in frame's coordinates) onto dst.
	show := place.Intersect(src.Bounds())
	to := image.Rect(
		int(float64(show.Min.X-frame.Min.X)*scale+0.5), int(float64(show.Min.Y-frame.Min.Y)*scale+0.5),
		int(float64(show.Max.X-frame.Min.X)*scale+0.5), int(float64(show.Max.Y-frame.Min.Y)*scale+0.5))
	if scale == 1 && to.Size() == show.Size() {
		draw.Draw(dst, to, src, show.Min, draw.Over)
	} else {
		xdraw.CatmullRom.Scale(dst, to, src, show, xdraw.Over, nil)
	}
	for q := 90; q >= 50; q -= 10 {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, dst, &jpeg.Options{Quality: q}); err != nil {
			return nil, false, fmt.Errorf("instagram image: %w", err)
		}
		if int64(b.Len()) <= instagram.Platform.Media.MaxBytes {
			return b.Bytes(), true, nil
		}
	}
	return nil, false, fmt.Errorf("instagram image: still over 8 MB as a JPEG of quality 50")
}

// frameFor chooses the picture Instagram gets, in src's coordinates: frame is the whole
// picture (which may reach past src, where it is padded) and place is where src sits in
// it (src itself when padding, a smaller rectangle of src when cropping).
func frameFor(b image.Rectangle) (frame, place image.Rectangle) {
	w, h := b.Dx(), b.Dy()
	switch {
	case tooTall(w, h):
		want := (4*h + 4) / 5 // pad to at least 4/5 of the height wide, rounded up
		keepH := 5 * w / 4    // or crop to at most 5/4 of the width tall
		if 10*keepH >= 9*h {  // when that loses at most a tenth of the height
			top := b.Min.Y + (h-keepH)/2
			r := image.Rect(b.Min.X, top, b.Max.X, top+keepH)
			return r, r
		}
		left := b.Min.X - (want-w)/2
		return image.Rect(left, b.Min.Y, left+want, b.Max.Y), b
	case tooWide(w, h):
		want := (100*w + 190) / 191 // pad to at least w/1.91 tall, rounded up
		keepW := 191 * h / 100      // or crop to at most 1.91 times the height wide
		if 10*keepW >= 9*w {
			l := b.Min.X + (w-keepW)/2
			r := image.Rect(l, b.Min.Y, l+keepW, b.Max.Y)
			return r, r
		}
		top := b.Min.Y - (want-h)/2
		return image.Rect(b.Min.X, top, b.Max.X, top+want), b
	}
	return b, b
}

// edgeColour is the average colour of an image's outermost pixels, laid on white: the
// padding then continues the picture's own ground (white for most infographics).
func edgeColour(img image.Image) color.RGBA {
	b := img.Bounds()
	var r, g, bl, n uint64
	add := func(x, y int) {
		cr, cg, cb, ca := img.At(x, y).RGBA()
		// Over white: c + (1-a)·white, in 16-bit.
		r += uint64(cr + (0xffff - ca))
		g += uint64(cg + (0xffff - ca))
		bl += uint64(cb + (0xffff - ca))
		n++
	}
	// At most a few thousand samples: a step along each edge.
	step := max(1, max(b.Dx(), b.Dy())/1000)
	for x := b.Min.X; x < b.Max.X; x += step {
		add(x, b.Min.Y)
		add(x, b.Max.Y-1)
	}
	for y := b.Min.Y; y < b.Max.Y; y += step {
		add(b.Min.X, y)
		add(b.Max.X-1, y)
	}
	return color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), 0xff}
}
