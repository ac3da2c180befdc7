package release

import (
	"bytes"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

// summary sets the summary from the first paragraph when the front matter has none,
// and holds either to MaxSummary characters: every post carries it, and reading a
// 400 KB paragraph as a summary cost gigabytes downstream.
func (p *parser) summary() {
	r := p.r
	// A text of at most MaxSummary bytes has at most as many characters: only a
	// longer one is counted.
	if r.Summary != "" {
		if n := len(r.Summary); n > MaxSummary && utf8.RuneCountInString(r.Summary) > MaxSummary {
			n = utf8.RuneCountInString(r.Summary)
			p.errorf(p.line("summary"), "summary", "a summary is a sentence or two; the body holds the rest",
				"is %s characters, more than %s", thousands(n), thousands(MaxSummary))
			r.Summary = cut(r.Summary, MaxSummary)
		}
		return
	}
	text, line, long := firstParagraph(r.Body)
	r.Summary = text
	if !long && len(text) <= MaxSummary {
		return
	}
	n := utf8.RuneCountInString(text)
	if !long && n <= MaxSummary {
		return
	}
	size := thousands(n) + " characters, more than " + thousands(MaxSummary)
	if long {
		size = "more than " + thousands(MaxSummary) + " characters"
	}
	p.errorf(r.BodyLine+max(line, 0), "body", "write summary: with a sentence or two in the front matter, or break the paragraph",
		"the first paragraph, which is the summary of every post, is %s", size)
	r.Summary = cut(text, MaxSummary)
}

// cut returns the first n characters of s.
func cut(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// thousands writes n with its thousands grouped: 3,000.
func thousands(n int) string {
	digits := strconv.Itoa(n)
	var b strings.Builder
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// markdownDepth refuses a body nested deeper than any release needs: quotes and
// lists inside each other, and [ inside [. Rendering takes time more than linear in
// the depth (100,000 > took seconds, 50,000 "- " fifteen), so the limit is checked
// before anything renders, on the line where it is passed.
func (p *parser) markdownDepth() {
	r := p.r
	body := r.Body
	// Every release comes here: a line is looked at only when it starts with what
	// can open a quote or list, and brackets only when there are enough of them.
	checkBrackets := bytes.Count(body, []byte("[")) > MaxBrackets
	brackets := 0
	for n, i := 0, 0; i < len(body); n++ {
		end := bytes.IndexByte(body[i:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += i + 1
		}
		line := body[i:end]
		i = end
		if c := line[0]; c == ' ' || c == '\t' || c == '>' || c == '-' || c == '*' || c == '+' || c >= '0' && c <= '9' {
			if d := containerDepth(line); d > MaxNesting {
				p.errorf(r.BodyLine+n, "body", "a release needs two or three levels of quotes and lists at most",
					"quotes and lists nested %d levels deep, more than %d", d, MaxNesting)
				return
			}
		}
		if !checkBrackets {
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			brackets = 0 // links do not span paragraphs
			continue
		}
		if brackets == 0 && bytes.IndexByte(line, '[') < 0 {
			continue
		}
		for j := 0; j < len(line); j++ {
			switch line[j] {
			case '\\':
				j++
			case '[':
				if brackets++; brackets > MaxBrackets {
					p.errorf(r.BodyLine+n, "body", "close each [ with ] before opening another",
						"more than %d [ inside one another", MaxBrackets)
					return
				}
			case ']':
				if brackets > 0 {
					brackets--
				}
			}
		}
	}
}

// containerDepth is how many quotes and lists a line opens at its start, counting
// every two spaces of indentation as a level of a nested list.
func containerDepth(line []byte) int {
	depth, spaces := 0, 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ':
			spaces++
			i++
		case c == '\t':
			spaces += 4
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j + 2
				continue
			}
			return depth + spaces/2
		default:
			return depth + spaces/2
		}
	}
	return depth + spaces/2
}

// email keeps the address of contact.email and nothing else: a display name is
// dropped, and anything that would add to a mailto: link (?cc=, &body=) is refused.
func (p *parser) email(v string, line int) string {
	if v == "" {
		return ""
	}
	const hint = "write the address only, e.g. email: humas@example.go.id"
	a, err := mail.ParseAddress(v)
	if err != nil {
		p.errorf(line, "contact.email", hint, "%q is not an email address", v)
		return ""
	}
	local, domain, _ := strings.Cut(a.Address, "@")
	if !plainLocal(local) || !hostname(domain) {
		p.errorf(line, "contact.email", hint, "%q is not a plain email address", v)
		return ""
	}
	return a.Address
}

// plainLocal accepts the local part of an address as offices write them: letters,
// digits and . _ + -; nothing a mailto: URL gives a meaning to.
func plainLocal(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._+-", c) >= 0) {
			return false
		}
	}
	return true
}

// hostname accepts a DNS name with at least one dot: labels of letters, digits and
// inner hyphens.
func hostname(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// ReservedSlug reports whether slug names a top-level path of the site (its paged
// index, its tag pages, the office's assets, the partners' releases we reposted): an
// article there would replace it.
func ReservedSlug(slug string) bool {
	switch slug {
	case "page", "tags", "assets", "mitra":
		return true
	}
	return false
}
