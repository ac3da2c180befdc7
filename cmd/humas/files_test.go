package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/balikpapan/humas/publish/media/mediatest"
)

// cmdImage writes a real picture, as humas checks images by content:
//
//	image FILE WIDTHxHEIGHT
//
// The format follows the extension (.jpg/.jpeg, .png or .gif).
func cmdImage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: image FILE WIDTHxHEIGHT")
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
