package release

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/internal/yamlnode"
)

// The mistakes people make writing YAML by hand, each reported with the exact line
// to write instead: a press officer cannot act on "mapping value is not allowed in
// this context", and must not find "KPU Gelar Rapat #1 Tahun Ini" posted as
// "KPU Gelar Rapat".

// cutAtComment reports a plain (unquoted) value that YAML cut short because its
// line goes on with " #" and a letter or digit: "#1" and "#PemiluDamai" are text
// to the writer and a comment to YAML. A comment proper ("  # catatan") is left
// alone, as in the file humas new writes.
func (p *parser) cutAtComment(f yamlnode.Field, field string) {
	if p.hashtagged == 0 {
		p.hashtagged = -1
		if hashBeforeWord(p.fm) >= 0 {
			p.hashtagged = 1
		}
	}
	n := f.Value
	if p.hashtagged < 0 || n == nil || n.Block || n.Type == yamlnode.Null {
		return
	}
	line := fmLineText(p.fm, n.Line)
	key, value, ok := keyValue(line)
	if !ok || key != f.Key || value == "" || strings.ContainsRune(`"'[{|>&*!`, rune(value[0])) {
		return
	}
	i := hashBeforeWord([]byte(value))
	if i < 0 {
		return
	}
	whole := strings.TrimRight(value, " \t")
	name := field
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	p.errorf(n.Line+p.fmLine, field, "put the "+name+" in double quotes: "+key+": "+doubleQuoted(whole),
		"reads as %q: YAML takes %q for a comment", strings.TrimRight(value[:i], " \t"), strings.TrimLeft(whole[i:], " "))
}

// hashBeforeWord returns the index of the first " #" followed by a letter or digit
// in b, or -1.
func hashBeforeWord(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(" #"))
		if i < 0 {
			return -1
		}
		j := off + i + 2
		if j < len(b) {
			r, _ := utf8.DecodeRune(b[j:])
			if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f {
				return off + i
			}
		}
		off = j
	}
}

// fmLineText returns line n (1-based) of the front matter, without its line end.
func fmLineText(fm []byte, n int) string {
	for line := range bytes.Lines(fm) {
		if n--; n == 0 {
			return strings.TrimRight(string(line), "\r\n")
		}
	}
	return ""
}

// keyValue splits "  key: value" (indented or not, not a list entry) into its key
// and the value as written, comments and all.
func keyValue(line string) (key, value string, ok bool) {
	t := strings.TrimLeft(line, " ")
	key, value, ok = strings.Cut(t, ":")
	if !ok || key == "" || !isPlainKey(key) {
		return "", "", false
	}
	if value != "" && value[0] != ' ' && value[0] != '\t' {
		return "", "", false
	}
	return key, strings.TrimLeft(value, " \t"), true
}

func isPlainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return k[0] != '-'
}

// doubleQuoted writes s as a YAML double-quoted scalar.
func doubleQuoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// quotedFix writes s quoted the way that needs no escapes when it can: single quotes
// around text holding double quotes, double quotes otherwise.
func quotedFix(s string) string {
	if strings.Contains(s, `"`) && !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return doubleQuoted(s)
}

// yamlMistakes looks at front matter that did not parse for the mistakes above and
// reports each at its line with the fix. It reports whether it found any; if not,
// the parser's own message is the best there is.
func (p *parser) yamlMistakes() bool {
	found := false
	n := 0
	for raw := range bytes.Lines(p.fm) {
		n++
		line := strings.TrimRight(string(raw), "\r\n")
		fileLine := n + p.fmLine
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") {
			p.errorf(fileLine, "", "indent with spaces, two for each level", "a tab indents this line, and YAML takes only spaces")
			found = true
			continue
		}
		key, value, ok := keyValue(line)
		if !ok || value == "" {
			continue
		}
		name := key
		switch c := value[0]; {
		case c == '"' || c == '\'':
			// A value that starts with a quote must end with it: "KPU" Gelar Rapat is
			// read as the quoted "KPU", then text YAML cannot place.
			body := strings.TrimRight(value, " \t")
			if end := closingQuote(body); end >= 0 && end < len(body)-1 && !onlyComment(body[end+1:]) {
				p.errorf(fileLine, key, "put the whole "+name+" in quotes: "+key+": "+quotedFix(body),
					"starts with a quote, so YAML reads only up to the next one")
				found = true
			}
		case strings.ContainsRune("[{|>&*!%@`#", rune(c)):
			// flow collections, block scalars and the rest are YAML proper
		default:
			text := value
			if i := strings.Index(text, " #"); i >= 0 {
				text = text[:i]
			}
			if strings.Contains(text, ": ") || strings.HasSuffix(strings.TrimRight(text, " \t"), ":") {
				p.errorf(fileLine, key, "put the "+name+" in double quotes: "+key+": "+doubleQuoted(strings.TrimRight(value, " \t")),
					"the colon in the value makes YAML read a second key")
				found = true
			}
		}
	}
	return found
}

// closingQuote returns the index of the quote that closes the quoted scalar s
// starts with, or -1.
func closingQuote(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case q == '\'' && s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

// onlyComment reports whether what follows a closing quote is nothing or a comment.
func onlyComment(rest string) bool {
	t := strings.TrimLeft(rest, " \t")
	return t == "" || t[0] == '#' && len(t) < len(rest)
}
