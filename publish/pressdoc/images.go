package pressdoc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	_ "golang.org/x/image/webp"
	_ "image/gif" // a release's image may be any format a browser shows
	_ "image/jpeg"

	"github.com/go-pdf/fpdf"
)

// maxPixels bounds an image's decoded size: more than any camera a press office uses,
// and a hostile 60000×60000 PNG header is refused before its pixels are read.
const maxPixels = 50_000_000

// picture is an image registered with the document.
type picture struct {
	w, h float64 // pixels
	opts fpdf.ImageOptions
}

// register adds an image to the document under name. A JPEG goes in as it is (its
// compressed data is copied into the PDF); a PNG fpdf reads goes in as it is; anything
// else (16-bit or interlaced PNG, GIF, WebP) is decoded and written as a plain PNG first,
// because fpdf would refuse it and an fpdf error spoils the whole document.
func (d *doc) register(name string, b []byte) (*picture, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a JPEG, PNG, GIF or WebP image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("%d×%d pixels: at most %d megapixels, make it smaller", cfg.Width, cfg.Height, maxPixels/1_000_000)
	}
	typ := "png"
	switch {
	case format == "jpeg" && (cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel):
		typ = "jpg"
	case format == "png" && plainPNG(b):
	default:
		if b, err = reencode(b); err != nil {
			return nil, err
		}
	}
	opts := fpdf.ImageOptions{ImageType: typ}
	d.f.RegisterImageOptionsReader(name, opts, bytes.NewReader(b))
	if err := d.f.Error(); err != nil {
		return nil, err
	}
	return &picture{w: float64(cfg.Width), h: float64(cfg.Height), opts: opts}, nil
}

// plainPNG reports whether fpdf reads this PNG: 8 bits a sample, not interlaced, and
// grey, RGB, or either with alpha (fpdf splits the alpha into a soft mask). Palette
// images are left to reencode, which also handles their transparency.
func plainPNG(b []byte) bool {
	// signature (8), IHDR length and type (8), width, height (8), bit depth, colour
	// type, compression, filter, interlace
	if len(b) < 29 || string(b[12:16]) != "IHDR" || binary.BigEndian.Uint32(b[8:12]) != 13 {
		return false
	}
	depth, ct, interlace := b[24], b[25], b[28]
	return depth == 8 && interlace == 0 && (ct == 0 || ct == 2 || ct == 4 || ct == 6)
}

// reencode decodes any image Go reads and writes it as an 8-bit, non-interlaced PNG.
func reencode(b []byte) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var out image.Image = img
	switch img.(type) {
	case *image.NRGBA, *image.RGBA, *image.Gray:
	default:
		n := image.NewNRGBA(img.Bounds())
		draw.Draw(n, n.Rect, img, img.Bounds().Min, draw.Src)
		out = n
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, err
	}
	if !plainPNG(buf.Bytes()) {
		return nil, errors.New("cannot convert the image to a PNG the PDF library reads")
	}
	return buf.Bytes(), nil
}
