package release

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// maxTextProblems is how many invisible characters one file reports: a file full
// of them says so in a few lines, not thousands.
const maxTextProblems = 10

// cleanText reports what in src must not reach a page or a post: text that is not
// UTF-8 (one error naming the likely encoding, after which nothing else is read),
// NUL and other control characters, a carriage return that does not end a line, and
// the bidirectional controls that make text display in another order than it is
// written (U+202A–U+202E, U+2066–U+2069). Tabs and line ends are text.
//
// Every release of every command comes here, so it skips eight plain ASCII bytes at
// a time and looks closer only at words holding something else.
func (p *parser) cleanText(src []byte) (ok bool) {
	if enc, line, sample := encoding(src); enc != "" {
		p.errorf(line, "", "save the file as UTF-8: in Notepad, File > Save As… and choose Encoding: UTF-8; in Word, save as Plain Text and choose Unicode (UTF-8); in VS Code, Save with Encoding > UTF-8",
			"the file is not UTF-8 text: it looks like %s%s", enc, sample)
		return false
	}
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	found, moreAt := 0, 0
	line := 1
	lineStart := 0
	for i := 0; i < len(src); {
		if i+8 <= len(src) {
			w := binary.LittleEndian.Uint64(src[i:])
			// No byte with the high bit, below 0x20 or equal to 0x7f: plain text.
			if w&high == 0 && (w-0x20*ones)&^w&high == 0 && ((w^0x7f*ones)-ones)&^(w^0x7f*ones)&high == 0 {
				i += 8
				continue
			}
		}
		c := src[i]
		switch {
		case c == '\n':
			line++
			lineStart = i + 1
			i++
			continue
		case c == '\t' || c >= 0x20 && c < 0x7f:
			i++
			continue
		case c == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
				continue
			}
			if found++; found == maxTextProblems+1 {
				moreAt = line
			}
			if found <= maxTextProblems {
				p.errorf(line, p.fieldAt(line), "save the file with LF or CRLF line ends (any editor's line-ending setting)",
					"a carriage return (CR) alone breaks the line for YAML but not for the page")
			}
			i++
			continue
		case c < 0x80:
			if found++; found == maxTextProblems+1 {
				moreAt = line
			}
			if found <= maxTextProblems {
				p.errorf(line, p.fieldAt(line), "delete it: it was probably pasted from another program",
					"invisible control character %s at column %d", runeName(rune(c)), utf8.RuneCount(src[lineStart:i])+1)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if bad := runeName(r); r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			if found++; found == maxTextProblems+1 {
				moreAt = line
			}
			if found <= maxTextProblems {
				what := "invisible control character"
				if r > 0x9f {
					what = "bidirectional control"
				}
				p.errorf(line, p.fieldAt(line), "delete it: it makes text show in another order than it is written, or hides it",
					"%s %s at column %d", what, bad, utf8.RuneCount(src[lineStart:i])+1)
			}
		}
		i += size
	}
	if found > maxTextProblems {
		p.errorf(moreAt, "", "", "and %d more invisible characters", found-maxTextProblems)
	}
	return true
}

// fieldAt names what a line of the file is part of, as far as the parser knows yet.
func (p *parser) fieldAt(line int) string {
	if p.bodyStart > 0 && line >= p.bodyStart {
		return "body"
	}
	return ""
}

var controlNames = map[rune]string{
	0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0b: "VT", 0x0c: "FF", 0x1b: "ESC", 0x7f: "DEL",
	0x85: "NEL", 0x202a: "LEFT-TO-RIGHT EMBEDDING", 0x202b: "RIGHT-TO-LEFT EMBEDDING",
	0x202c: "POP DIRECTIONAL FORMATTING", 0x202d: "LEFT-TO-RIGHT OVERRIDE", 0x202e: "RIGHT-TO-LEFT OVERRIDE",
	0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
}

// runeName is "U+001B (ESC)".
func runeName(r rune) string {
	if n, ok := controlNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

// encoding names the likely encoding of src when it is not UTF-8 ("" when it is),
// with the line of the first byte that is not, and what that byte would be.
// Word and Notepad save Windows-1252 ("ANSI") and UTF-16 ("Unicode"); a UTF-8 byte
// order mark is fine and was already dropped.
func encoding(src []byte) (name string, line int, sample string) {
	switch {
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}):
		return "UTF-16 (little-endian, as Notepad saves \"Unicode\")", 1, ""
	case bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		return "UTF-16 (big-endian)", 1, ""
	case len(src) >= 4 && (src[1] == 0 && src[3] == 0 && src[0] != 0 || src[0] == 0 && src[2] == 0 && src[1] != 0):
		return "UTF-16 without a byte order mark", 1, ""
	}
	if utf8.Valid(src) {
		return "", 0, ""
	}
	i := 0
	for i < len(src) {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	line = 1 + bytes.Count(src[:i], []byte("\n"))
	return "Windows-1252 (as Word and older Notepad save)", line, fmt.Sprintf(": byte 0x%02X would be %q there", src[i], windows1252(src[i]))
}

// cp1252 are the characters Windows-1252 puts at 0x80–0x9F; above, it is Latin-1.
var cp1252 = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}

func windows1252(b byte) string {
	if b >= 0x80 && b < 0xa0 {
		return string(cp1252[b-0x80])
	}
	return string(rune(b))
}
