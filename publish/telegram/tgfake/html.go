package tgfake

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Entity is a formatting entity the fake parsed from a message's HTML, with offsets
// and lengths in UTF-16 code units as the Bot API gives them (MessageEntity).
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	URL    string `json:"url,omitempty"`
}

// tagTypes are the tags parse_mode HTML supports (Bot API, "Formatting options",
// HTML style) and the entity each makes.
var tagTypes = map[string]string{
	"b": "bold", "strong": "bold", "i": "italic", "em": "italic",
	"u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
	"del": "strikethrough", "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link",
	"tg-emoji": "custom_emoji", "tg-time": "date_time", "code": "code", "pre": "pre",
	"blockquote": "blockquote",
}

// parseError is the description after "Bad Request: can't parse entities: ".
type parseError string

// parseHTML turns a parse_mode HTML text into the text readers see and its
// entities, as Telegram does (TDLib's parse_html; its test/message_entities.cpp
// cases are the reference for the error texts and offsets, which are byte offsets
// into the HTML). Only <, > and & must be escaped; a & that starts no entity stays a
// &; the named entities are &lt; &gt; &amp; &quot; only, the ; may be left out, and
// numeric ones (&#39; &#x27;) decode when they name a valid character.
func parseHTML(s string) (string, []Entity, parseError) {
	type open struct {
		tag    string
		offset int // in UTF-16 units of the text so far
		url    string
		kind   string
	}
	var (
		out      strings.Builder
		units    int // UTF-16 length of out
		stack    []open
		entities []Entity
	)
	write := func(r rune) {
		out.WriteRune(r)
		units += utf16.RuneLen(r)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '&':
			r, n, bad := decodeEntity(s[i:])
			if bad {
				return "", nil, "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"
			}
			if n == 0 {
				write('&')
				i++
				continue
			}
			write(r)
			i += n
			continue
		case '<':
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			write(r)
			i += size
			continue
		}
		begin := i
		i++
		if i < len(s) && s[i] == '/' {
			if len(stack) == 0 {
				return "", nil, parseError(fmt.Sprintf("Unexpected end tag at byte offset %d", begin))
			}
			i++
			nameStart := i
			for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
				i++
			}
			name := strings.ToLower(s[nameStart:i])
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) || s[i] != '>' {
				return "", nil, parseError(fmt.Sprintf("Unclosed end tag at byte offset %d", begin))
			}
			i++
			top := stack[len(stack)-1]
			if name != "" && name != top.tag {
				return "", nil, parseError(fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.tag, name))
			}
			stack = stack[:len(stack)-1]
			if length := units - top.offset; length > 0 && top.kind != "" {
				entities = append(entities, Entity{Type: top.kind, Offset: top.offset, Length: length, URL: top.url})
			}
			continue
		}
		nameStart := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
			i++
		}
		if i >= len(s) {
			return "", nil, parseError(fmt.Sprintf("Unclosed start tag at byte offset %d", begin))
		}
		tag := strings.ToLower(s[nameStart:i])
		kind, ok := tagTypes[tag]
		if !ok {
			return "", nil, parseError(fmt.Sprintf("Unsupported start tag %q at byte offset %d", tag, begin))
		}
		attrs := map[string]string{}
		for {
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", nil, parseError(fmt.Sprintf("Unclosed start tag at byte offset %d", begin))
			}
			if s[i] == '>' {
				i++
				break
			}
			attrStart := i
			for i < len(s) && !isSpace(s[i]) && s[i] != '=' && s[i] != '>' {
				i++
			}
			attr := strings.ToLower(s[attrStart:i])
			if attr == "" {
				return "", nil, parseError(fmt.Sprintf("Empty attribute name in the tag %q at byte offset %d", tag, begin))
			}
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) || s[i] != '=' {
				attrs[attr] = ""
				continue
			}
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", nil, parseError(fmt.Sprintf("Unclosed start tag %q at byte offset %d", tag, begin))
			}
			var value string
			if q := s[i]; q == '"' || q == '\'' {
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					return "", nil, parseError(fmt.Sprintf("Unclosed start tag at byte offset %d", begin))
				}
				value = decodeAttr(s[i+1 : i+1+end])
				i += end + 2
			} else {
				tokenStart := i
				for i < len(s) && (isAlnum(s[i]) || s[i] == '.' || s[i] == '-') {
					i++
				}
				if i >= len(s) || !isSpace(s[i]) && s[i] != '>' {
					return "", nil, parseError(fmt.Sprintf("Unexpected end of name token at byte offset %d", tokenStart))
				}
				value = s[tokenStart:i]
			}
			attrs[attr] = value
		}
		o := open{tag: tag, offset: units, kind: kind}
		switch tag {
		case "a":
			o.url = attrs["href"]
			if o.url == "" {
				o.kind = "" // an <a> without href makes no entity
			}
		case "span":
			if attrs["class"] != "tg-spoiler" {
				return "", nil, parseError(fmt.Sprintf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin))
			}
		case "blockquote":
			if _, ok := attrs["expandable"]; ok {
				o.kind = "expandable_blockquote"
			}
		}
		stack = append(stack, o)
	}
	if len(stack) > 0 {
		return "", nil, parseError(fmt.Sprintf("Can't find end tag corresponding to start tag %q", stack[len(stack)-1].tag))
	}
	return out.String(), entities, ""
}

// decodeEntity decodes the character reference s starts with. n is how many bytes
// it takes (0: none, the & is a &); bad reports a surrogate, which Telegram refuses.
func decodeEntity(s string) (r rune, n int, bad bool) {
	if len(s) < 2 {
		return 0, 0, false
	}
	if s[1] == '#' {
		i, base := 2, 10
		if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
			i, base = 3, 16
		}
		start := i
		for i < len(s) && isDigitIn(s[i], base) {
			i++
		}
		if i == start || i-start > 8 {
			return 0, 0, false
		}
		v, err := strconv.ParseUint(s[start:i], base, 32)
		if err != nil || v == 0 || v > utf8.MaxRune {
			return 0, 0, false
		}
		if v >= 0xD800 && v <= 0xDFFF {
			return 0, 0, true
		}
		if i < len(s) && s[i] == ';' {
			i++
		}
		return rune(v), i, false
	}
	i := 1
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	var ch rune
	switch s[1:i] {
	case "lt":
		ch = '<'
	case "gt":
		ch = '>'
	case "amp":
		ch = '&'
	case "quot":
		ch = '"'
	default:
		return 0, 0, false
	}
	if i < len(s) && s[i] == ';' {
		i++
	}
	return ch, i, false
}

// decodeAttr decodes the character references in a quoted attribute value.
func decodeAttr(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		if v[i] == '&' {
			if r, n, bad := decodeEntity(v[i:]); n > 0 && !bad {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteByte(v[i])
		i++
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigitIn(c byte, base int) bool {
	if base == 16 {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
	}
	return c >= '0' && c <= '9'
}
