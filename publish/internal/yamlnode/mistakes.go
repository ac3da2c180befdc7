package yamlnode

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The mistakes people make writing YAML by hand (a release's front matter, or
// humas.yaml), each reported with the exact line to write instead: a press officer
// cannot act on "mapping value is not allowed in this context".

// Mistake is one hand-writing mistake found in YAML that did not parse.
type Mistake struct {
	Line    int    // counted from the firstLine given to Mistakes
	Key     string // the key of the line, "" when the line has none
	Message string
	Hint    string // the line to write instead
}

// Keys says which keys a file may have, so that only lines that are surely keys are
// taken for keys.
type Keys struct {
	// Known reports whether k is a key the file may have, at any level.
	Known func(k string) bool
	// TopLevelOnly reports whether k lives only at the top of the file, never
	// inside another key: such a key indented is a mistake.
	TopLevelOnly func(k string) bool
}

// Mistakes looks at src, YAML that did not parse, for the mistakes people make: a
// tab indenting a line, a colon inside a plain value, a value that starts with a
// quote and goes on after it, a quote, list or braces left open, hashtags in a list
// (a # starts a comment), no space or a non-breaking space after a colon, a key
// indented by a space. Lines count from firstLine. None found means the parser's
// own message is the best there is.
func Mistakes(src []byte, firstLine int, keys Keys) []Mistake {
	var out []Mistake
	add := func(n int, key, hint, format string, args ...any) {
		out = append(out, Mistake{Line: n + firstLine, Key: key, Message: fmt.Sprintf(format, args...), Hint: hint})
	}
	var lines []string
	for raw := range bytes.Lines(src) {
		lines = append(lines, strings.TrimRight(string(raw), "\r\n"))
	}
	for n, line := range lines {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") {
			add(n, "", "indent with spaces, two for each level", "a tab indents this line, and YAML takes only spaces")
			continue
		}
		key, value, ok := KeyValue(line)
		if !ok {
			if m, ok := glued(line, keys); ok {
				m.Line = n + firstLine
				out = append(out, m)
			}
			continue
		}
		if indent != "" && keys.TopLevelOnly(key) && n > 0 && parentless(lines[:n]) {
			add(n, key, "start "+key+": at the beginning of the line, without spaces",
				"this line starts with a space, so YAML reads it as part of the line above")
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
				add(n, key, "put the whole "+name+" in quotes: "+key+": "+quotedFix(body),
					"starts with a quote, so YAML reads only up to the next one")
			}
			if end < 0 && endsValue(lines[n+1:], keys) {
				add(n, key, "end the "+name+" with the same quote: "+key+": "+body+string(c),
					"the quote that starts the %s is never closed", name)
			}
		case c == '[' || c == '{':
			if m, ok := flowMistake(key, value, lines[n+1:], keys); ok {
				m.Line = n + firstLine
				out = append(out, m)
			}
		case strings.ContainsRune("|>&*!%@`#", rune(c)):
			// block scalars and the rest are YAML proper
		default:
			text := value
			if i := strings.Index(text, " #"); i >= 0 {
				text = text[:i]
			}
			if strings.Contains(text, ": ") || strings.HasSuffix(strings.TrimRight(text, " \t"), ":") {
				add(n, key, "put the "+name+" in double quotes: "+key+": "+DoubleQuoted(strings.TrimRight(value, " \t")),
					"the colon in the value makes YAML read a second key")
			}
		}
	}
	return out
}

// glued finds a key whose colon is not followed by a space ("issuer:kpu"), which
// YAML reads as one word, or by a non-breaking space, as Word, WhatsApp and web
// pages copy it, which YAML does not take for a space.
func glued(line string, keys Keys) (Mistake, bool) {
	t := strings.TrimLeft(line, " ")
	key, rest, ok := strings.Cut(t, ":")
	if !ok || key == "" || !isPlainKey(key) || !keys.Known(key) || rest == "" {
		return Mistake{}, false
	}
	r, size := utf8.DecodeRuneInString(rest)
	if unicode.IsSpace(r) && r != ' ' && r != '\t' {
		return Mistake{Key: key, Hint: "type the space after " + key + ": again, as an ordinary space: " + key + ": " + strings.TrimSpace(rest[size:]),
			Message: "the space after the colon is a non-breaking space (as Word or a web page copies it), which YAML does not read as a space"}, true
	}
	if strings.HasPrefix(rest, "//") {
		return Mistake{}, false // a web address, not a key
	}
	return Mistake{Key: key, Hint: "put a space after the colon: " + key + ": " + strings.TrimSpace(rest),
		Message: fmt.Sprintf("no space after the colon, so YAML reads %q as one word", strings.TrimSpace(t))}, true
}

// flowMistake finds a list or mapping written on one line ("tags: [a, b]") that a
// # cut short, or that is never closed.
func flowMistake(key, value string, after []string, keys Keys) (Mistake, bool) {
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
		return Mistake{Key: key, Hint: "write the " + key + " without #, humas makes the hashtags: " + key + ": " + fixed,
			Message: fmt.Sprintf("a # starts a YAML comment, so the %s is cut at the first one", what)}, true
	}
	body := strings.TrimRight(value, " \t")
	if strings.Count(body, string(open)) > strings.Count(body, string(closing)) && endsValue(after, keys) {
		opened := "list opened with [ is"
		if open == '{' {
			opened = "braces opened with { are"
		}
		return Mistake{Key: key, Hint: "close it on the same line: " + key + ": " + body + string(closing),
			Message: fmt.Sprintf("the %s not closed", opened)}, true
	}
	return Mistake{}, false
}

// endsValue reports whether the value of a line ends there: nothing follows it but
// blank lines, or the next line is a key of its own at the start of the line.
func endsValue(after []string, keys Keys) bool {
	for _, l := range after {
		if strings.TrimSpace(l) == "" {
			continue
		}
		k, _, ok := KeyValue(l)
		return ok && l[0] != ' ' && keys.Known(k)
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
		_, v, ok := KeyValue(l)
		return ok && v != "" && !strings.HasPrefix(v, "#") && v[0] != '|' && v[0] != '>'
	}
	return false
}

// KeyValue splits "  key: value" (indented or not, not a list entry) into its key
// and the value as written, comments and all.
func KeyValue(line string) (key, value string, ok bool) {
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

// DoubleQuoted writes s as a YAML double-quoted scalar.
func DoubleQuoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// quotedFix writes s quoted the way that needs no escapes when it can: single quotes
// around text holding double quotes, double quotes otherwise.
func quotedFix(s string) string {
	if strings.Contains(s, `"`) && !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return DoubleQuoted(s)
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
