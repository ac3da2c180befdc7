package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

func encoded(t testing.TB, format string, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	var b bytes.Buffer
	var err error
	switch format {
	case JPEG:
		err = jpeg.Encode(&b, img, nil)
	case PNG:
		err = png.Encode(&b, img)
	case GIF:
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webpLossless is the header of a lossless WebP of w×h (the pixels are not needed).
func webpLossless(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(30))
	b.WriteString("WEBPVP8L")
	binary.Write(&b, binary.LittleEndian, uint32(10))
	b.WriteByte(0x2f)
	binary.Write(&b, binary.LittleEndian, uint32(w-1)|uint32(h-1)<<14)
	b.Write(make([]byte, 5))
	return b.Bytes()
}

func webpExtended(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(30))
	b.WriteString("WEBPVP8X")
	binary.Write(&b, binary.LittleEndian, uint32(10))
	b.Write([]byte{0, 0, 0, 0})
	b.Write([]byte{byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16)})
	b.Write([]byte{byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)})
	return b.Bytes()
}

func webpLossy(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(30))
	b.WriteString("WEBPVP8 ")
	binary.Write(&b, binary.LittleEndian, uint32(10))
	b.Write([]byte{0, 0, 0, 0x9d, 0x01, 0x2a})
	binary.Write(&b, binary.LittleEndian, uint16(w))
	binary.Write(&b, binary.LittleEndian, uint16(h))
	return b.Bytes()
}

func TestInspectReadsFormatAndSizeOfPublishableImages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   []byte
		format string
		w, h   int
	}{
		{"jpeg", encoded(t, JPEG, 120, 80), JPEG, 120, 80},
		{"png", encoded(t, PNG, 64, 48), PNG, 64, 48},
		{"gif", encoded(t, GIF, 10, 20), GIF, 10, 20},
		{"webp lossless", webpLossless(1080, 1350), WebP, 1080, 1350},
		{"webp extended", webpExtended(4000, 3000), WebP, 4000, 3000},
		{"webp lossy", webpLossy(640, 480), WebP, 640, 480},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Inspect(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			want := Info{Format: tc.format, Width: tc.w, Height: tc.h, Bytes: len(tc.data)}
			if info != want {
				t.Errorf("Inspect = %+v, want %+v", info, want)
			}
		})
	}
}

func TestInspectNamesWhatAFileReallyIsAndHowToFixIt(t *testing.T) {
	heic := append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 20)...)
	for _, tc := range []struct {
		name     string
		data     string
		is, hint string
	}{
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "SVG drawing", "export it as PNG"},
		{"svg with xml declaration", "<?xml version=\"1.0\"?>\n<!-- drawn -->\n<svg/>", "SVG drawing", "PNG"},
		{"html", "<!DOCTYPE html><html><script>steal()</script>", "web page", "JPEG"},
		{"heic", string(heic), "HEIC photo", "export it as JPEG"},
		{"text named .jpg", "ini bukan foto\n", "text file", "copy the image"},
		{"pdf", "%PDF-1.7\n...", "PDF document", "JPEG"},
		{"word", "PK\x03\x04rest of a docx", "Word", "JPEG"},
		{"empty", "", "empty file", ""},
		{"binary junk", "\x00\x01\x02\x03\xfe\xfd", "not an image", "JPEG"},
		{"damaged jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", "damaged JPEG", "save it again"},
		{"damaged png", "\x89PNG\r\n\x1a\nshort", "damaged PNG", ""},
		{"truncated webp", "RIFF\x00\x00\x00\x00WEBPVP8L", "damaged WebP", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Inspect([]byte(tc.data))
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Inspect = %v, want a *media.Error", err)
			}
			if !strings.Contains(me.Is, tc.is) || !strings.Contains(me.Hint, tc.hint) {
				t.Errorf("got %q (hint %q), want it to say %q (hint %q)", me.Is, me.Hint, tc.is, tc.hint)
			}
			if !strings.Contains(err.Error(), "not a JPEG, PNG, GIF or WebP") {
				t.Errorf("error %q does not say what humas takes", err)
			}
		})
	}
}

func FuzzInspect(f *testing.F) {
	f.Add(encoded(f, JPEG, 3, 2))
	f.Add(encoded(f, PNG, 3, 2))
	f.Add(encoded(f, GIF, 3, 2))
	f.Add(webpLossless(3, 2))
	f.Add(webpExtended(3, 2))
	f.Add(webpLossy(3, 2))
	f.Add([]byte("<svg/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data)
		if err == nil && (info.Width <= 0 || info.Height <= 0 || info.Format == "") {
			t.Fatalf("accepted %+v", info)
		}
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Is == "" {
				t.Fatalf("error %v is not a *media.Error saying what the file is", err)
			}
		}
	})
}
