package site

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// binaryIdentity names the humas binary that is running, for the build record:
// pages another build of humas rendered (an upgrade, a fix, a local build) are
// rendered again, though no release, template or setting changed. It is the
// module's version and VCS revision as Go recorded them, and Go's build ID of
// the executable, a hash of everything that went into it, so two binaries of one
// dirty checkout differ too. Reading the build ID costs a few kilobytes of the
// executable; where it cannot be found, the executable's content is hashed.
func binaryIdentity() string {
	var b strings.Builder
	if info, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(info.GoVersion + " " + info.Main.Path + "@" + info.Main.Version)
		for _, s := range info.Settings {
			if strings.HasPrefix(s.Key, "vcs.") {
				b.WriteString(" " + s.Key + "=" + s.Value)
			}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return b.String()
	}
	if id := goBuildID(exe); id != "" {
		return b.String() + " buildid=" + id
	}
	f, err := os.Open(exe)
	if err != nil {
		return b.String()
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return b.String()
	}
	return b.String() + " sha256=" + hex.EncodeToString(h.Sum(nil))
}

// goBuildID reads the Go build ID of the executable at name, as `go tool buildid`
// prints it: from its ELF note, or else from the start of its text, where the
// linker puts it on every other format.
func goBuildID(name string) string {
	if f, err := elf.Open(name); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if data, err := s.Data(); err == nil && len(data) > 16 {
				// namesz, descsz, type (4 bytes each), then "Go\0\0" and the ID.
				namesz := f.ByteOrder.Uint32(data[0:])
				descsz := f.ByteOrder.Uint32(data[4:])
				start := 12 + (uint64(namesz)+3)&^3
				if start+uint64(descsz) <= uint64(len(data)) {
					return string(data[start : start+uint64(descsz)])
				}
			}
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(head, []byte(prefix))
	if i < 0 {
		return ""
	}
	rest := head[i+len(prefix):]
	j := bytes.Index(rest, []byte(suffix))
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}
