// Package textenc names the encoding a file that is not UTF-8 was saved in, so that
// humas can say how to save it again: the files a press office edits come from
// Notepad and Word as often as from a code editor.
package textenc

import (
	"bytes"
	"unicode/utf8"
)

// SaveAsUTF8 is how to save a file as UTF-8 in the editors offices use.
const SaveAsUTF8 = "save the file as UTF-8: in Notepad, File > Save As… and choose Encoding: UTF-8; in Word, save as Plain Text and choose Unicode (UTF-8); in VS Code, Save with Encoding > UTF-8"

// UTF16 names the UTF-16 encoding src is in, "" when it is not: Notepad saves
// "Unicode" as UTF-16 with a byte order mark; without one, every other byte of
// ASCII text is NUL. A UTF-8 byte order mark is fine, and is the caller's to drop.
func UTF16(src []byte) string {
	switch {
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}):
		return "UTF-16 (little-endian, as Notepad saves \"Unicode\")"
	case bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		return "UTF-16 (big-endian)"
	case len(src) >= 4 && (src[1] == 0 && src[3] == 0 && src[0] != 0 || src[0] == 0 && src[2] == 0 && src[1] != 0):
		return "UTF-16 without a byte order mark"
	}
	return ""
}

// Windows1252 is the character b stands for in Windows-1252 ("ANSI", which Word
// and older Notepad save), the encoding any other text that is not UTF-8 is taken for.
func Windows1252(b byte) string {
	if b >= 0x80 && b < 0xa0 {
		return string(cp1252[b-0x80])
	}
	return string(rune(b))
}

// cp1252 are the characters Windows-1252 puts at 0x80–0x9F; above, it is Latin-1.
var cp1252 = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}

// NotUTF8 says, of src that is not UTF-8 text, on which line (from 1) and what it
// looks like instead; what is "" for UTF-8 text.
func NotUTF8(src []byte) (line int, what string) {
	if enc := UTF16(src); enc != "" {
		return 1, enc
	}
	if utf8.Valid(src) {
		return 0, ""
	}
	line = 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			return line, "Windows-1252 (as Word and older Notepad save): byte 0x" + hex(src[i]) + " would be \"" + Windows1252(src[i]) + "\" there"
		}
		if src[i] == '\n' {
			line++
		}
		i += size
	}
	return line, ""
}

func hex(b byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[b>>4], digits[b&15]})
}

// Invisible names what r is when it must never reach a page or a post, "" when it
// is text: a C0 or C1 control character but tab and line feed, or a bidirectional
// control, which makes text show in another order than it is written.
func Invisible(r rune) string {
	switch {
	case r == '\t' || r == '\n':
		return ""
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return "invisible control character"
	case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
		return "bidirectional control"
	}
	return ""
}
