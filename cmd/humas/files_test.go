package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/balikpapan/humas/publish/media/mediatest"
)

// cmdImage writes a real picture, as humas checks images by content:
//
//	image FILE WIDTHxHEIGHT [MEGABYTES]
//
// The format follows the extension (.jpg/.jpeg, .png or .gif); MEGABYTES pads the
// file to that size.
func cmdImage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: image FILE WIDTHxHEIGHT [MEGABYTES]")
	}
	ws, hs, ok := strings.Cut(args[1], "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		ts.Fatalf("image: size %q is not WIDTHxHEIGHT", args[1])
	}
	var data []byte
	switch strings.ToLower(filepath.Ext(args[0])) {
	case ".jpg", ".jpeg":
		data = mediatest.JPEG(w, h)
	case ".png":
		data = mediatest.PNG(w, h)
	case ".gif":
		data = mediatest.GIF(w, h)
	default:
		ts.Fatalf("image: %s: name it .jpg, .png or .gif", args[0])
	}
	if len(args) == 3 {
		// A file this many megabytes long: the picture, then bytes after its end,
		// which decoders ignore, as a camera's or an export's extra data is.
		mb, err := strconv.ParseFloat(args[2], 64)
		if err != nil || mb <= 0 {
			ts.Fatalf("image: %q is not a size in megabytes", args[2])
		}
		if size := int(mb * (1 << 20)); size > len(data) {
			data = append(data, make([]byte, size-len(data))...)
		}
	}
	name := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(name), 0o755))
	ts.Check(os.WriteFile(name, data, 0o644))
}

// cmdMkfifo makes a named pipe, which a hostile project could hold (git cannot
// store one, but a checkout can be tampered with): mkfifo FILE.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo FILE")
	}
	ts.Check(mkfifo(ts.MkAbs(args[0])))
}

// cmdUnescape turns \xHH and \u{HHHH} in files into the bytes and characters they
// name, so scenarios can hold control characters and other encodings readably:
//
//	unescape FILE…
func cmdUnescape(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: unescape FILE…")
	}
	for _, name := range args {
		path := ts.MkAbs(name)
		src, err := os.ReadFile(path)
		ts.Check(err)
		var out []byte
		for i := 0; i < len(src); i++ {
			switch {
			case bytes.HasPrefix(src[i:], []byte(`\x`)) && i+4 <= len(src):
				b, err := strconv.ParseUint(string(src[i+2:i+4]), 16, 8)
				ts.Check(err)
				out = append(out, byte(b))
				i += 3
			case bytes.HasPrefix(src[i:], []byte(`\u{`)):
				end := bytes.IndexByte(src[i:], '}')
				if end < 0 {
					ts.Fatalf("unescape: unclosed \\u{ in %s", name)
				}
				r, err := strconv.ParseUint(string(src[i+3:i+end]), 16, 32)
				ts.Check(err)
				out = utf8.AppendRune(out, rune(r))
				i += end
			default:
				out = append(out, src[i])
			}
		}
		ts.Check(os.WriteFile(path, out, 0o644))
	}
}

// cmdEncode rewrites a UTF-8 file in another encoding, as Word and Notepad save:
//
//	encode windows-1252|utf-16le FILE
func cmdEncode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: encode windows-1252|utf-16le FILE")
	}
	path := ts.MkAbs(args[1])
	src, err := os.ReadFile(path)
	ts.Check(err)
	var out []byte
	switch args[0] {
	case "windows-1252":
		out, err = charmap.Windows1252.NewEncoder().Bytes(src)
	case "utf-16le":
		out, err = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(src)
	default:
		ts.Fatalf("encode: unknown encoding %q", args[0])
	}
	ts.Check(err)
	ts.Check(os.WriteFile(path, out, 0o644))
}
