package yamlnode

import (
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"

	"github.com/balikpapan/humas/publish/internal/ascii"
)

// parseFast reads the plain subset of YAML humas files are written in. ok is false
// for anything outside it (anchors, block scalars, multi-line values, repeated keys,
// tabs, …): the caller then parses with goccy/go-yaml, which also words the errors.
func parseFast(src string) (n *Node, ok bool) {
	if !plainText(src) {
		return nil, false
	}
	var lines []fastLine
	num := 0
	for len(src) > 0 {
		num++
		var l string
		l, src, _ = strings.Cut(src, "\n")
		l = strings.TrimRight(l, " \r")
		if strings.IndexByte(l, '\t') >= 0 {
			return nil, false
		}
		t := strings.TrimLeft(l, " ")
		if t == "" || t[0] == '#' {
			continue
		}
		if t == "---" || t == "..." || strings.HasPrefix(t, "--- ") || t[0] == '%' {
			return nil, false
		}
		lines = append(lines, fastLine{num: num, indent: len(l) - len(t), text: t})
	}
	if len(lines) == 0 {
		return nil, true
	}
	if lines[0].indent != 0 {
		return nil, false
	}
	p := &fast{lines: lines}
	n, ok = p.block(0)
	if !ok || p.i != len(lines) {
		return nil, false
	}
	return n, true
}

// plainText reports whether src is valid UTF-8 without control characters or the
// Unicode line and byte-order marks YAML gives meaning to.
func plainText(src string) bool {
	for i := 0; i < len(src); {
		if i += ascii.PlainString(src[i:]); i >= len(src) {
			break
		}
		switch c := src[i]; {
		case c == '\n':
			i++
		case c == '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				return false // a lone CR breaks lines for YAML, not for us
			}
			i += 2
		case c < 0x80:
			return false
		default:
			r, size := utf8.DecodeRuneInString(src[i:])
			switch r {
			case utf8.RuneError, 0x85, 0x2028, 0x2029, 0xfeff:
				return false
			}
			i += size
		}
	}
	return true
}

type fastLine struct {
	num    int
	indent int
	text   string // without indentation and trailing spaces
}

type fast struct {
	lines []fastLine
	i     int
}

func isEntry(t string) bool { return t == "-" || strings.HasPrefix(t, "- ") }

func (p *fast) block(indent int) (*Node, bool) {
	if isEntry(p.lines[p.i].text) {
		return p.sequence(indent)
	}
	return p.mapping(indent)
}

func (p *fast) mapping(indent int) (*Node, bool) {
	n := &Node{Type: Mapping, Line: p.lines[p.i].num}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent {
		l := p.lines[p.i]
		if isEntry(l.text) {
			return nil, false
		}
		key, rest, ok := splitKey(l.text)
		if !ok {
			return nil, false
		}
		for _, f := range n.Fields {
			if f.Key == key {
				return nil, false
			}
		}
		p.i++
		f := Field{Key: key, Line: l.num}
		if rest == "" {
			if p.i < len(p.lines) {
				next := p.lines[p.i]
				switch {
				case next.indent > indent:
					if f.Value, ok = p.block(next.indent); !ok {
						return nil, false
					}
				case next.indent == indent && isEntry(next.text):
					if f.Value, ok = p.sequence(indent); !ok {
						return nil, false
					}
				}
			}
		} else {
			v, ok := inline(rest, l.num)
			if !ok || p.i < len(p.lines) && p.lines[p.i].indent > indent {
				return nil, false // a value continued on the next line
			}
			if v.Type != Null {
				f.Value = v
			}
		}
		n.Fields = append(n.Fields, f)
	}
	if p.i < len(p.lines) && p.lines[p.i].indent > indent {
		return nil, false
	}
	return n, true
}

func (p *fast) sequence(indent int) (*Node, bool) {
	n := &Node{Type: Sequence, Line: p.lines[p.i].num}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && isEntry(p.lines[p.i].text) {
		l := p.lines[p.i]
		rest := strings.TrimLeft(l.text[1:], " ")
		if rest == "" || rest[0] == '#' {
			return nil, false
		}
		if _, _, isKey := splitKey(rest); isKey {
			// "- from: …" starts a mapping at the column of its first key.
			p.lines[p.i] = fastLine{num: l.num, indent: l.indent + len(l.text) - len(rest), text: rest}
			item, ok := p.mapping(p.lines[p.i].indent)
			if !ok {
				return nil, false
			}
			n.Items = append(n.Items, item)
			continue
		}
		p.i++
		v, ok := inline(rest, l.num)
		if !ok || p.i < len(p.lines) && p.lines[p.i].indent > indent {
			return nil, false
		}
		n.Items = append(n.Items, v)
	}
	return n, true
}

// splitKey reads "key: rest" or "key:" with a plain key of letters, digits, _ . and -.
func splitKey(t string) (key, rest string, ok bool) {
	i := 0
	for i < len(t) && isKeyChar(t[i]) {
		i++
	}
	if i == 0 || i >= len(t) || t[i] != ':' || i+1 < len(t) && t[i+1] != ' ' || t[0] == '-' || t[0] == '.' {
		return "", "", false
	}
	key = t[:i]
	switch key {
	case "null", "Null", "NULL", "-":
		return "", "", false
	}
	rest = strings.TrimLeft(t[i+1:], " ")
	if strings.HasPrefix(rest, "#") {
		rest = ""
	}
	return key, rest, true
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// inline reads a value written on one line after "key: " or "- ".
func inline(s string, line int) (*Node, bool) {
	switch s[0] {
	case '"', '\'':
		v, rest, ok := quoted(s)
		if !ok || !onlyComment(rest) {
			return nil, false
		}
		return &Node{Type: String, Text: v, Line: line}, true
	case '[':
		return flowSequence(s, line)
	case '{':
		return flowMapping(s, line)
	}
	v := s
	if i := strings.Index(s, " #"); i >= 0 {
		v = strings.TrimRight(s[:i], " ")
	}
	if !plainOK(v, false) {
		return nil, false
	}
	return plain(v, line), true
}

// plainOK accepts a plain scalar that means the same in every reading: no indicator
// first, no ": " or " #" inside, and in flow context none of ,[]{}.
func plainOK(v string, flow bool) bool {
	if v == "" || strings.IndexByte("&*!|>%@`?,[]{}#'\"", v[0]) >= 0 || isEntry(v) {
		return false
	}
	if strings.Contains(v, ": ") || strings.HasSuffix(v, ":") || strings.Contains(v, " #") {
		return false
	}
	return !flow || !strings.ContainsAny(v, ",[]{}#")
}

// plain types a plain scalar exactly as goccy/go-yaml does.
func plain(v string, line int) *Node {
	n := &Node{Type: String, Text: v, Line: line}
	switch token.New(v, v, &token.Position{}).Type {
	case token.NullType:
		n.Type, n.Text = Null, ""
	case token.BoolType:
		n.Type, n.Bool = Boolean, v[0] == 't' || v[0] == 'T'
	case token.IntegerType, token.FloatType, token.BinaryIntegerType, token.OctetIntegerType,
		token.HexIntegerType, token.InfinityType, token.NanType:
		n.Type = Number
	}
	return n
}

// quoted reads a single- or double-quoted scalar at the start of s, on one line.
func quoted(s string) (value, rest string, ok bool) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == q:
			return b.String(), s[i+1:], true
		case c == '\\' && q == '"':
			if i+1 >= len(s) {
				return "", "", false
			}
			i++
			switch s[i] {
			case '"', '\\', '/':
				b.WriteByte(s[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				return "", "", false
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}

func onlyComment(rest string) bool {
	t := strings.TrimLeft(rest, " ")
	return t == "" || t[0] == '#' && len(t) < len(rest)
}

// flowItems splits "[a, b]" or "{a: 1}" written on one line into its raw items; the
// items are quoted scalars (kept with their quotes) or plain text.
func flowItems(s string, open, close byte) (items []string, ok bool) {
	i := 1
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			return nil, false
		}
		if s[i] == close && len(items) == 0 {
			i++
			break
		}
		start := i
		for i < len(s) && s[i] != ',' && s[i] != close {
			if s[i] == '"' || s[i] == '\'' {
				_, rest, ok := quoted(s[i:])
				if !ok {
					return nil, false
				}
				i = len(s) - len(rest)
				continue
			}
			if s[i] == open || s[i] == '[' || s[i] == '{' {
				return nil, false
			}
			i++
		}
		if i >= len(s) {
			return nil, false
		}
		item := strings.TrimRight(s[start:i], " ")
		if item == "" {
			return nil, false
		}
		items = append(items, item)
		if s[i] == close {
			i++
			break
		}
		i++ // the comma
	}
	if !onlyComment(s[i:]) {
		return nil, false
	}
	return items, true
}

func flowScalar(item string, line int) (*Node, bool) {
	if item[0] == '"' || item[0] == '\'' {
		v, rest, ok := quoted(item)
		if !ok || rest != "" {
			return nil, false
		}
		return &Node{Type: String, Text: v, Line: line}, true
	}
	if !plainOK(item, true) {
		return nil, false
	}
	return plain(item, line), true
}

func flowSequence(s string, line int) (*Node, bool) {
	items, ok := flowItems(s, '[', ']')
	if !ok {
		return nil, false
	}
	n := &Node{Type: Sequence, Line: line, Items: make([]*Node, 0, len(items))}
	for _, it := range items {
		v, ok := flowScalar(it, line)
		if !ok {
			return nil, false
		}
		n.Items = append(n.Items, v)
	}
	return n, true
}

func flowMapping(s string, line int) (*Node, bool) {
	items, ok := flowItems(s, '{', '}')
	if !ok {
		return nil, false
	}
	n := &Node{Type: Mapping, Line: line, Fields: make([]Field, 0, len(items))}
	for _, it := range items {
		key, rest, ok := splitKey(it)
		if !ok || rest == "" {
			return nil, false
		}
		for _, f := range n.Fields {
			if f.Key == key {
				return nil, false
			}
		}
		v, ok := flowScalar(rest, line)
		if !ok {
			return nil, false
		}
		if v.Type == Null {
			v = nil
		}
		n.Fields = append(n.Fields, Field{Key: key, Line: line, Value: v})
	}
	return n, true
}
