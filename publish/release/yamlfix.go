package release

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
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
	var lines []string
	for raw := range bytes.Lines(p.fm) {
		lines = append(lines, strings.TrimRight(string(raw), "\r\n"))
	}
	for n, line := range lines {
		fileLine := n + 1 + p.fmLine
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") {
			p.errorf(fileLine, "", "indent with spaces, two for each level", "a tab indents this line, and YAML takes only spaces")
			found = true
			continue
		}
		key, value, ok := keyValue(line)
		if !ok {
			found = p.glued(fileLine, line) || found
			continue
		}
		if indent != "" && topLevelOnly(key) && n > 0 && parentless(lines[:n]) {
			p.errorf(fileLine, key, "start "+key+": at the beginning of the line, without spaces",
				"this line starts with a space, so YAML reads it as part of the line above")
			found = true
			continue
		}
		if value == "" {
			continue
		}
		name := key
		switch c := value[0]; {
		case c == '"' || c == '\'':
			// A value that starts with a quote must end with it: "KPU" Gelar Rapat is
			// read as the quoted "KPU", then text YAML cannot place.
			body := strings.TrimRight(value, " \t")
			end := closingQuote(body)
			if end >= 0 && end < len(body)-1 && !onlyComment(body[end+1:]) {
				p.errorf(fileLine, key, "put the whole "+name+" in quotes: "+key+": "+quotedFix(body),
					"starts with a quote, so YAML reads only up to the next one")
				found = true
			}
			if end < 0 && endsValue(lines[n+1:]) {
				p.errorf(fileLine, key, "end the "+name+" with the same quote: "+key+": "+body+string(c),
					"the quote that starts the %s is never closed", name)
				found = true
			}
		case c == '[' || c == '{':
			found = p.flowMistakes(fileLine, key, value, lines[n+1:]) || found
		case strings.ContainsRune("|>&*!%@`#", rune(c)):
			// block scalars and the rest are YAML proper
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

// glued reports a key whose colon is not followed by a space ("issuer:kpu"), which
// YAML reads as one word, or by a non-breaking space, as Word, WhatsApp and web
// pages copy it, which YAML does not take for a space.
func (p *parser) glued(fileLine int, line string) bool {
	t := strings.TrimLeft(line, " ")
	key, rest, ok := strings.Cut(t, ":")
	if !ok || key == "" || !isPlainKey(key) || !knownKey(key) || rest == "" {
		return false
	}
	r, size := utf8.DecodeRuneInString(rest)
	if unicode.IsSpace(r) && r != ' ' && r != '\t' {
		p.errorf(fileLine, key, "type the space after "+key+": again, as an ordinary space: "+key+": "+strings.TrimSpace(rest[size:]),
			"the space after the colon is a non-breaking space (as Word or a web page copies it), which YAML does not read as a space")
		return true
	}
	if strings.HasPrefix(rest, "//") {
		return false // a web address, not a key
	}
	p.errorf(fileLine, key, "put a space after the colon: "+key+": "+strings.TrimSpace(rest),
		"no space after the colon, so YAML reads %q as one word", strings.TrimSpace(t))
	return true
}

// flowMistakes reports a list or mapping written on one line ("tags: [a, b]") that
// a # cut short, or that is never closed.
func (p *parser) flowMistakes(fileLine int, key, value string, after []string) bool {
	open, closing := value[0], byte(']')
	what := "list"
	if open == '{' {
		closing, what = '}', "braces"
	}
	if open == '[' && (strings.Contains(value, "[#") || strings.Contains(value, ", #") || strings.Contains(value, ",#")) {
		fixed := strings.TrimRight(strings.ReplaceAll(value, "#", ""), " \t")
		if !strings.HasSuffix(fixed, "]") {
			fixed += "]"
		}
		p.errorf(fileLine, key, "write the "+key+" without #, humas makes the hashtags: "+key+": "+fixed,
			"a # starts a YAML comment, so the %s is cut at the first one", what)
		return true
	}
	body := strings.TrimRight(value, " \t")
	if strings.Count(body, string(open)) > strings.Count(body, string(closing)) && endsValue(after) {
		opened := "list opened with [ is"
		if open == '{' {
			opened = "braces opened with { are"
		}
		p.errorf(fileLine, key, "close it on the same line: "+key+": "+body+string(closing),
			"the %s not closed", opened)
		return true
	}
	return false
}

// endsValue reports whether the value of a line ends there: nothing follows it but
// blank lines, or the next line is a key of its own at the start of the line.
func endsValue(after []string) bool {
	for _, l := range after {
		if strings.TrimSpace(l) == "" {
			continue
		}
		k, _, ok := keyValue(l)
		return ok && l[0] != ' ' && knownKey(k)
	}
	return true
}

// parentless reports whether the last non-blank line of before is a key at the
// start of its line with a value of its own, so the line after it cannot belong
// to it.
func parentless(before []string) bool {
	for i := len(before) - 1; i >= 0; i-- {
		l := before[i]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if l[0] == ' ' {
			return false
		}
		_, v, ok := keyValue(l)
		return ok && v != "" && !strings.HasPrefix(v, "#") && v[0] != '|' && v[0] != '>'
	}
	return false
}

// knownKey reports whether k is a key a release's front matter may have, at any level.
func knownKey(k string) bool {
	return slices.Contains(frontKeys, k) || slices.Contains(contactKeys, k) || slices.Contains(hoaxKeys, k)
}

// topLevelOnly reports whether k is a key that lives only at the top of the front
// matter, never inside contact, hoax or posts.
func topLevelOnly(k string) bool {
	return slices.Contains(frontKeys, k) && !slices.Contains(contactKeys, k) && !slices.Contains(hoaxKeys, k)
}
