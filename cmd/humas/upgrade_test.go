package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdUpgrade puts a newly installed humas first on PATH: a copy of the one the
// scenario runs, its Go build ID changed, as a release built from other sources
// would have. Only the ID's bytes differ, so the copy runs as the original does.
//
//	upgrade-humas
func cmdUpgrade(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: upgrade-humas")
	}
	old, err := exec.LookPath("humas")
	ts.Check(err)
	data, err := os.ReadFile(old)
	ts.Check(err)
	id := goBuildID(ts, old, data)
	next := bytes.Clone(id)
	next[len(next)-1] ^= 1
	data = bytes.ReplaceAll(data, id, next)
	dir := ts.MkAbs(".upgraded-bin")
	ts.Check(os.MkdirAll(dir, 0o755))
	ts.Check(os.WriteFile(filepath.Join(dir, "humas"), data, 0o755))
	ts.Setenv("PATH", dir+string(os.PathListSeparator)+ts.Getenv("PATH"))
}

// goBuildID finds the Go build ID of the executable data read from name: in its
// ELF note, or on other formats at the start of its text, where the linker puts it.
func goBuildID(ts *testscript.TestScript, name string, data []byte) []byte {
	if f, err := elf.NewFile(bytes.NewReader(data)); err == nil {
		if s := f.Section(".note.go.buildid"); s != nil {
			note, err := s.Data()
			ts.Check(err)
			// namesz, descsz, type (4 bytes each), then "Go\0\0" and the ID.
			namesz, descsz := f.ByteOrder.Uint32(note[0:]), f.ByteOrder.Uint32(note[4:])
			start := 12 + (namesz+3)&^3
			return bytes.Clone(note[start : start+descsz])
		}
	}
	marker := []byte("\xff Go build ID: \"")
	i := bytes.Index(data, marker)
	if i < 0 {
		ts.Fatalf("upgrade-humas: %s has no Go build ID", name)
	}
	id, _, ok := bytes.Cut(data[i+len(marker):], []byte(`"`))
	if !ok || len(id) == 0 {
		ts.Fatalf("upgrade-humas: %s: unterminated Go build ID", name)
	}
	return bytes.Clone(id)
}
