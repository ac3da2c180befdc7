package release

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/internal/ascii"
	"github.com/balikpapan/humas/publish/internal/textenc"
	"github.com/balikpapan/humas/publish/internal/yamlnode"
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
// Every release of every command comes here, so plain ASCII is skipped many bytes
// at a time (ascii.Plain) and only what else there is is looked at closely.
func (p *parser) cleanText(src []byte) (ok bool) {
	const saveAs = textenc.SaveAsUTF8
	if enc := textenc.UTF16(src); enc != "" {
		p.errorf(1, "", saveAs, "the file is not UTF-8 text: it looks like %s", enc)
		return false
	}
	reported := len(p.diags)
	line := 1
	lineStart := 0
	report := p.textProblem
	control := func(r rune) func(int) string {
		return func(col int) string {
			return fmt.Sprintf("invisible control character %s at column %d", runeName(r), col)
		}
	}
	const pasted = "delete it: it was probably pasted from another program"
	for i := 0; i < len(src); {
		if i += ascii.Plain(src[i:]); i >= len(src) {
			break
		}
		switch c := src[i]; {
		case c == '\n':
			line++
			lineStart = i + 1
			i++
		case c == '\t', c == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i++
		case c == '\r':
			report(src, line, lineStart, i, "save the file with LF or CRLF line ends (any editor's line-ending setting)",
				func(int) string { return "a carriage return (CR) alone breaks the line for YAML but not for the page" })
			i++
		case c < 0x80:
			report(src, line, lineStart, i, pasted, control(rune(c)))
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				// Not UTF-8: what else this file holds is beside the point.
				p.diags = p.diags[:reported]
				p.textFound = 0
				p.errorf(line, "", saveAs, "the file is not UTF-8 text: it looks like Windows-1252 (as Word and older Notepad save): byte 0x%02X would be %q there",
					src[i], textenc.Windows1252(src[i]))
				return false
			case r >= 0x80 && r <= 0x9f:
				report(src, line, lineStart, i, pasted, control(r))
			case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
				report(src, line, lineStart, i, "delete it: it makes text show in another order than it is written, or hides it",
					func(col int) string { return fmt.Sprintf("bidirectional control %s at column %d", runeName(r), col) })
			}
			i += size
		}
	}
	if p.textFound > maxTextProblems {
		p.errorf(p.textMoreAt, "", "", "and %d more invisible characters", p.textFound-maxTextProblems)
	}
	return true
}

// textProblem reports a problem at byte at of src, on line (which starts at byte
// lineStart); what words it, given the column. Past maxTextProblems it is counted.
func (p *parser) textProblem(src []byte, line, lineStart, at int, hint string, what func(column int) string) {
	if p.textFound++; p.textFound == maxTextProblems+1 {
		p.textMoreAt = line
	}
	if p.textFound <= maxTextProblems {
		p.errorf(line, p.fieldAt(line), hint, "%s", what(utf8.RuneCount(src[lineStart:at])+1))
	}
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

// escapedText reports what cleanText cannot see: a control or bidirectional
// character written as a YAML escape in a double-quoted value ("\u202e", "\x1b",
// "\0", "\e", "\N"). The file is plain text, but the value YAML reads holds the
// character itself, which would reach the page and every post.
func (p *parser) escapedText(fields []yamlnode.Field) {
	if !bytes.ContainsRune(p.fm, '\\') {
		return // no escape, nothing cleanText has not seen
	}
	for _, f := range fields {
		yamlnode.Strings(f.Key, f.Value, func(field string, n *yamlnode.Node) {
			for _, r := range n.Text {
				if what := textenc.Invisible(r); what != "" {
					p.errorf(n.Line+p.fmLine, field, "delete the \\ escape that writes it: it hides text, or shows it in another order than it is written",
						"%s %s, written as a YAML escape", what, runeName(r))
					return
				}
			}
		})
	}
}
