package card

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/instagram"
)

var (
	photoRed = color.RGBA{0xb0, 0x1c, 0x2e, 0xff}
	padGreen = color.RGBA{0x20, 0x80, 0x40, 0xff}
)

// photo is a w×h picture: red inside, with a green frame 4 pixels wide, so a test can
// tell the picture from the padding around it and see whether its edges were cut.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(padGreen), image.Point{}, draw.Src)
	draw.Draw(img, img.Rect.Inset(4), image.NewUniform(photoRed), image.Point{}, draw.Src)
	return img
}

func encJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestInstagramTakesAFittingJPEGAsItIs(t *testing.T) {
	for _, size := range []image.Point{{1080, 1080}, {1080, 1350}, {1910, 1000}, {400, 500}} {
		src := encJPEG(t, photo(size.X, size.Y))
		if p := InstagramProblem(src); p != "" {
			t.Errorf("%v: problem %q", size, p)
		}
		out, converted, err := ForInstagram(src)
		if err != nil || converted || !bytes.Equal(out, src) {
			t.Errorf("%v: converted=%v err=%v, want the JPEG itself", size, converted, err)
		}
	}
}

func TestInstagramRenditions(t *testing.T) {
	oversized := append(encJPEG(t, photo(1080, 1080)), make([]byte, instagram.Platform.Media.MaxBytes)...)
	for _, c := range []struct {
		name    string
		src     []byte
		problem string
		w, h    int
		padded  string // "sides", "top and bottom" or "" when cropped or whole
	}{
		{"png", encPNG(t, photo(1080, 1080)), "Instagram takes jpeg, not png", 1080, 1080, ""},
		{"over 8 MB", oversized, "Instagram takes pictures up to 8 MB; this one is 8.1 MB", 1080, 1080, ""},
		{"a little too tall is cropped", encJPEG(t, photo(1000, 1300)), "Instagram takes pictures from 0.8:1 to 1.91:1 (width:height); this one is 0.77:1", 1000, 1250, ""},
		{"a tall poster is padded", encJPEG(t, photo(1000, 2000)), "Instagram takes pictures from 0.8:1 to 1.91:1 (width:height); this one is 0.50:1", 1440, 1800, "sides"},
		{"a little too wide is cropped", encJPEG(t, photo(2000, 1000)), "Instagram takes pictures from 0.8:1 to 1.91:1 (width:height); this one is 2.00:1", 1440, 754, ""},
		{"a banner is padded", encJPEG(t, photo(3000, 1000)), "Instagram takes pictures from 0.8:1 to 1.91:1 (width:height); this one is 3.00:1", 1440, 754, "top and bottom"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := InstagramProblem(c.src); got != c.problem {
				t.Errorf("problem %q, want %q", got, c.problem)
			}
			out, converted, err := ForInstagram(c.src)
			if err != nil || !converted {
				t.Fatalf("converted=%v err=%v", converted, err)
			}
			if p := InstagramProblem(out); p != "" {
				t.Fatalf("the rendition %s", p)
			}
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Dx() != c.w || b.Dy() != c.h {
				t.Errorf("rendition is %d×%d, want %d×%d", b.Dx(), b.Dy(), c.w, c.h)
			}
			mid := img.At(b.Dx()/2, b.Dy()/2)
			if far(mid, photoRed, 12) {
				t.Errorf("the middle is %v, want the picture's red", mid)
			}
			left, top := img.At(1, b.Dy()/2), img.At(b.Dx()/2, 1)
			switch c.padded {
			case "sides":
				// padding in the edge colour (the frame's green), and the picture whole inside
				if far(left, padGreen, 12) || far(img.At(b.Dx()/2, 1), padGreen, 12) {
					t.Errorf("left %v, top %v: want the green frame and padding", left, img.At(b.Dx()/2, 1))
				}
			case "top and bottom":
				if far(top, padGreen, 12) || far(left, padGreen, 12) {
					t.Errorf("top %v, left %v: want padding and frame in green", top, left)
				}
			}
		})
	}
}

func TestInstagramLaysTransparencyOnWhite(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 600, 600)) // all transparent
	out, converted, err := ForInstagram(encPNG(t, src))
	if err != nil || !converted {
		t.Fatalf("converted=%v err=%v", converted, err)
	}
	img, _ := jpeg.Decode(bytes.NewReader(out))
	if c := img.At(300, 300); far(c, color.White, 4) {
		t.Errorf("a transparent pixel became %v, want white", c)
	}
}

func TestInstagramRefusesWhatItCannotRead(t *testing.T) {
	if _, _, err := ForInstagram([]byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")); err == nil ||
		!strings.HasPrefix(err.Error(), "instagram image: not a JPEG, PNG, GIF or WebP image") {
		t.Errorf("got %v", err)
	}
	// A PNG header claiming 10000×6000 pixels is refused before any pixel is decoded.
	if _, _, err := ForInstagram(pngHeader(10000, 6000)); err == nil ||
		err.Error() != "instagram image: 10000×6000 pixels: at most 50 megapixels, make it smaller" {
		t.Errorf("got %v", err)
	}
}

// pngHeader is the signature and IHDR chunk of a w×h 8-bit grey PNG, without pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}
