// Package media tells what an image file really is, from its bytes: format, size in
// pixels and bytes, without decoding the pixels.
//
// Only JPEG, PNG, GIF and WebP go out: they are what every platform humas posts to
// and every browser takes. Anything else (an SVG that can carry script, a HEIC from a
// phone, a Word file or a web page renamed .jpg) is refused with what it is and how to
// make a photo of it, because the name of a file says nothing about its content.
package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"unicode/utf8"
)

// Formats humas publishes.
const (
	JPEG = "jpeg"
	PNG  = "png"
	GIF  = "gif"
	WebP = "webp"
)

// Info is what an image is.
type Info struct {
	Format string // JPEG, PNG, GIF or WebP
	Width  int    // in pixels, as stored (a JPEG's EXIF rotation is not applied)
	Height int
	Bytes  int // size of the file
}

// MIME is the media type of the format, e.g. "image/jpeg".
func (i Info) MIME() string { return "image/" + i.Format }

// Name is the format as people write it: "JPEG", "WebP".
func (i Info) Name() string { return formatName(i.Format) }

func formatName(f string) string {
	switch f {
	case JPEG:
		return "JPEG"
	case PNG:
		return "PNG"
	case GIF:
		return "GIF"
	case WebP:
		return "WebP"
	}
	return f
}

// Error is an image humas will not publish: Is says what the file is ("an SVG
// drawing"), Hint how to make a publishable image of it.
type Error struct {
	Is   string
	Hint string
}

func (e *Error) Error() string {
	return e.Is + ", not a JPEG, PNG, GIF or WebP image"
}

// Inspect reads the format and dimensions of an image from its header. It never
// decodes pixels, so a huge or hostile file costs no more than its header. The error
// is an *Error for a file that is not a publishable image.
func Inspect(data []byte) (Info, error) {
	info := Info{Bytes: len(data)}
	var cfg image.Config
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		info.Format = JPEG
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		info.Format = PNG
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		info.Format = GIF
		cfg, err = gif.DecodeConfig(bytes.NewReader(data))
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		info.Format = WebP
		cfg, err = webpConfig(data)
	default:
		return info, identify(data)
	}
	if err == nil && (cfg.Width <= 0 || cfg.Height <= 0) {
		err = errors.New("no width or height")
	}
	if err != nil {
		return info, &Error{
			Is:   fmt.Sprintf("a damaged %s file (%v)", formatName(info.Format), err),
			Hint: "open it in an image editor and save it again as JPEG",
		}
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	return info, nil
}

// webpConfig reads the canvas size of a WebP file from its first chunk (RIFF
// container, then VP8X, VP8 or VP8L: https://developers.google.com/speed/webp/docs/riff_container).
func webpConfig(data []byte) (image.Config, error) {
	if len(data) < 30 {
		return image.Config{}, errors.New("truncated")
	}
	chunk := data[12:]
	le24 := func(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }
	switch string(chunk[:4]) {
	case "VP8X":
		// Flags (4 bytes), then canvas width-1 and height-1, 24 bits each.
		return image.Config{Width: le24(chunk[12:15]) + 1, Height: le24(chunk[15:18]) + 1}, nil
	case "VP8 ":
		// Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
		f := chunk[8:]
		if f[3] != 0x9d || f[4] != 0x01 || f[5] != 0x2a {
			return image.Config{}, errors.New("bad VP8 start code")
		}
		w := int(binary.LittleEndian.Uint16(f[6:8]) & 0x3fff)
		h := int(binary.LittleEndian.Uint16(f[8:10]) & 0x3fff)
		return image.Config{Width: w, Height: h}, nil
	case "VP8L":
		// Signature 0x2f, then 14 bits of width-1 and 14 of height-1.
		f := chunk[8:]
		if f[0] != 0x2f {
			return image.Config{}, errors.New("bad VP8L signature")
		}
		bits := binary.LittleEndian.Uint32(f[1:5])
		return image.Config{Width: int(bits&0x3fff) + 1, Height: int(bits>>14&0x3fff) + 1}, nil
	}
	return image.Config{}, fmt.Errorf("unknown chunk %q", chunk[:4])
}

// identify names what a file that is not a publishable image is, as precisely as its
// first bytes tell, with the way to turn it into one.
func identify(data []byte) error {
	const exportJPEG = "open it and export or save it as JPEG (a photo) or PNG (a graphic)"
	head := data[:min(len(data), 512)]
	switch {
	case len(data) == 0:
		return &Error{Is: "an empty file", Hint: "copy the image into the repository again"}
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return isoMedia(string(data[8:12]))
	case bytes.HasPrefix(data, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")), bytes.HasPrefix(data, []byte("\xff\x0a")):
		return &Error{Is: "a JPEG XL image", Hint: exportJPEG}
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return &Error{Is: "a TIFF image (or a camera's RAW file)", Hint: exportJPEG}
	case bytes.HasPrefix(data, []byte("BM")) && len(data) > 26:
		return &Error{Is: "a BMP image", Hint: "open it in Paint and save it as PNG or JPEG"}
	case bytes.HasPrefix(data, []byte("\x00\x00\x01\x00")):
		return &Error{Is: "an icon (.ico)", Hint: exportJPEG}
	case bytes.HasPrefix(data, []byte("8BPS")):
		return &Error{Is: "a Photoshop document", Hint: "in Photoshop, File > Export > Export As… JPEG"}
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return &Error{Is: "a PDF document", Hint: "export the page you want as a JPEG or PNG image"}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return &Error{Is: "a ZIP archive (or a Word, Excel or PowerPoint file)", Hint: "save the picture itself as JPEG, not the document it is in"}
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return &Error{Is: "an old Office document (.doc, .xls, .ppt)", Hint: "save the picture itself as JPEG, not the document it is in"}
	case bytes.HasPrefix(data, []byte("RIFF")):
		return &Error{Is: "a RIFF file (audio or video, not WebP)", Hint: "use a photo in JPEG"}
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	lower := bytes.ToLower(text)
	switch {
	case bytes.HasPrefix(lower, []byte("<svg")), bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(bytes.ToLower(data[:min(len(data), 4096)]), []byte("<svg")):
		return &Error{Is: "an SVG drawing (it can carry script, and platforms refuse it)", Hint: "export it as PNG"}
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")), bytes.HasPrefix(lower, []byte("<head")), bytes.HasPrefix(lower, []byte("<!--")):
		return &Error{Is: "a web page (HTML), perhaps saved from a browser instead of the picture", Hint: "open the picture itself and save it as JPEG"}
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return &Error{Is: "an XML document", Hint: exportJPEG}
	case utf8.Valid(head) && !bytes.ContainsAny(head, "\x00"):
		return &Error{Is: "a text file", Hint: "the file holds text, not a picture: copy the image itself into the repository"}
	}
	return &Error{Is: "not an image humas recognises", Hint: exportJPEG}
}

// isoMedia names an ISO base media file (HEIC, AVIF, MP4, …) by its major brand.
func isoMedia(brand string) error {
	switch brand {
	case "heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1":
		return &Error{Is: "a HEIC photo (as iPhones save them)",
			Hint: "export it as JPEG (on the iPhone: Settings > Camera > Formats > Most Compatible, or share it as JPEG)"}
	case "avif", "avis":
		return &Error{Is: "an AVIF image", Hint: "open it and export it as JPEG"}
	case "crx ":
		return &Error{Is: "a Canon RAW photo (CR3)", Hint: "export it from the camera software as JPEG"}
	}
	return &Error{Is: "a video or audio file (" + brand + ")", Hint: "use a photo in JPEG; take a frame of the video as a picture if needed"}
}
