package release

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/internal/yamlnode"
)

// The mistakes people make writing YAML by hand, each reported with the exact line
// to write instead: a press officer cannot act on "mapping value is not allowed in
// this context", and must not find "KPU Gelar Rapat #1 Tahun Ini" posted as
// "KPU Gelar Rapat". The mistakes that stop the parse are found by
// yamlnode.Mistakes, which humas.yaml shares.

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
	key, value, ok := yamlnode.KeyValue(line)
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
	p.errorf(n.Line+p.fmLine, field, "put the "+name+" in double quotes: "+key+": "+yamlnode.DoubleQuoted(whole),
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

// yamlMistakes looks at front matter that did not parse for the mistakes people
// make (yamlnode.Mistakes) and reports each at its line with the fix. It reports
// whether it found any; if not, the parser's own message is the best there is.
func (p *parser) yamlMistakes() bool {
	ms := yamlnode.Mistakes(p.fm, p.fmLine+1, yamlnode.Keys{Known: knownKey, TopLevelOnly: topLevelOnly})
	for _, m := range ms {
		p.errorf(m.Line, m.Key, m.Hint, "%s", m.Message)
	}
	return len(ms) > 0
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
