package release

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxParagraph is how much of a first paragraph is read as a summary, in bytes of
// Markdown: far more than MaxSummary characters of text need, and small enough that
// reducing it to text is quick whatever it holds.
const maxParagraph = 16 << 10

// FirstParagraphLine is the line of body, counted from 0, where the body's first
// paragraph (firstParagraph) begins, or -1 when there is none: where a summary taken
// from the body is reported.
func FirstParagraphLine(body []byte) int {
	_, n, _ := firstParagraph(body)
	return n
}

// firstParagraph returns the first paragraph of a Markdown body as plain text
// (headings, lists, quotes, code, tables and images before it skipped, inline
// Markdown reduced to its text) and its line; long reports a
// paragraph of more than maxParagraph bytes, of which only the start was read.
// Link reference definitions ([1]: https://…) are not text and are skipped.
func firstParagraph(body []byte) (text string, line int, long bool) {
	var para []string
	size := 0
	fence := ""
	start, n := -1, -1
	for line := range bytes.Lines(body) {
		n++
		t := strings.TrimSpace(string(line))
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			if len(para) > 0 {
				break
			}
			fence = t[:3]
			continue
		}
		if t == "" {
			if len(para) > 0 {
				break
			}
			continue
		}
		if startsBlock(t) || len(para) == 0 && linkDefinition(t) {
			if len(para) > 0 {
				break
			}
			continue
		}
		if len(para) == 0 {
			start = n
		}
		if size += len(t) + 1; size > maxParagraph {
			long = true
			break
		}
		para = append(para, t)
	}
	if len(para) == 0 {
		return "", -1, long
	}
	return PlainText([]byte(strings.Join(para, "\n"))), start, long
}

// linkDefinition reports whether t defines a link reference: "[label]: destination".
func linkDefinition(t string) bool {
	if !strings.HasPrefix(t, "[") {
		return false
	}
	end := strings.Index(t, "]:")
	return end > 1 && !strings.ContainsAny(t[1:end], "[]")
}

// startsBlock reports whether a line begins something other than a paragraph.
func startsBlock(t string) bool {
	switch {
	case strings.HasPrefix(t, "#"), strings.HasPrefix(t, ">"), strings.HasPrefix(t, "|"),
		strings.HasPrefix(t, "<"), strings.HasPrefix(t, "!["),
		strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "), strings.HasPrefix(t, "+ "),
		t == "---", t == "***", t == "___":
		return true
	}
	// an ordered list item: digits then ". " or ") "
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

// PlainText reduces inline Markdown to its text, on one line: links keep their text,
// images, HTML tags and emphasis marks go, escapes and entities are resolved. It is a
// small scanner rather than a Markdown renderer because every release without a
// summary goes through it, and loading 10,000 releases must stay well under a second:
// text between the bytes it looks at is copied a run at a time.
func PlainText(md []byte) string {
	s := string(md)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && !inlineMark[s[j]] {
			j++
		}
		b.WriteString(s[i:j])
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(punctuation, s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i += 2
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if _, end, ok := link(s, i+1); ok {
				i = end // an image says nothing in a summary
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '[':
			if text, end, ok := link(s, i); ok {
				b.WriteString(PlainText([]byte(text)))
				i = end
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 || i+1 >= len(s) || !tagStart(s[i+1]) {
				b.WriteByte(c) // "TPS < 100" is text, not a tag
				i++
				break
			}
			inner := s[i+1 : i+end]
			if strings.HasPrefix(inner, "http://") || strings.HasPrefix(inner, "https://") || strings.Contains(inner, "@") && !strings.ContainsAny(inner, " =") {
				b.WriteString(inner) // an autolink keeps its address
			}
			i += end + 1
		case c == '*' || c == '_' && wordBoundary(s, i) || c == '~' && i+1 < len(s) && s[i+1] == '~' || c == '`':
			i++
			if c == '~' {
				i++
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return oneLine(html.UnescapeString(b.String()))
}

// inlineMark marks the bytes PlainText looks at; it copies the others as they are.
var inlineMark = [256]bool{'\\': true, '!': true, '[': true, '<': true, '*': true, '_': true, '~': true, '`': true}

// oneLine is strings.Join(strings.Fields(s), " "): every run of white space one
// space, none at either end; in one pass, a word at a time.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	word := -1 // where the word being read began; -1 between words
	for i := 0; i < len(s); {
		size, space := 1, false
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && word >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[word:i])
			word = -1
		case !space && word < 0:
			word = i
		}
		i += size
	}
	if word >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[word:])
	}
	return b.String()
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// link reads "[text](dest)" or "[text][ref]" at s[i] == '['.
func link(s string, i int) (text string, end int, ok bool) {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			depth++
		case ']':
			depth--
			if depth > 0 {
				continue
			}
			text = s[i+1 : j]
			if j+1 < len(s) && (s[j+1] == '(' || s[j+1] == '[') {
				close := byte(')')
				if s[j+1] == '[' {
					close = ']'
				}
				if k := strings.IndexByte(s[j+1:], close); k >= 0 {
					return text, j + 1 + k + 1, true
				}
			}
			return "", 0, false
		}
	}
	return "", 0, false
}

// tagStart reports whether c can follow < in an HTML tag or autolink.
func tagStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!'
}

// wordBoundary reports whether the _ at s[i] can be emphasis rather than part of a
// word such as snake_case.
func wordBoundary(s string, i int) bool {
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	return i == 0 || i+1 >= len(s) || !alnum(s[i-1]) || !alnum(s[i+1])
}

// Slugify turns a title into a slug: lower case ASCII letters and digits joined by
// single hyphens, accents folded ("Sosialisasi Pemilu 2024 di Balikpapan" →
// "sosialisasi-pemilu-2024-di-balikpapan"), at most 60 characters, cut at a hyphen.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, c := range norm.NFKD.String(strings.ToLower(title)) {
		switch {
		case unicode.Is(unicode.Mn, c):
			// the accent of a folded letter
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:60]
		if i := strings.LastIndexByte(s, '-'); i > 20 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	return s
}
