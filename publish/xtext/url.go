package xtext

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The URL rules follow twitter-text's JavaScript extractor (extractUrlsWithIndices
// and regexp/extractUrl.js at 30e2430), the one written without lookbehind. Go's
// regexp has no lookahead either, so the domain part, where the only lookahead
// sits (after a TLD), is matched by hand in the order a backtracking engine tries
// it; port, path and query have no lookaround and use a regexp, whose
// leftmost-first semantics give the same match a backtracking engine finds.

const (
	maxURLLength     = 4096
	maxTCOSlugLength = 40
	maxLabelLength   = 63
)

// urlMatch is one URL found in a text: start and end are byte offsets.
type urlMatch struct {
	url        string
	start, end int
}

// ExtractURLs returns the URLs X would link in text, in order, including bare
// domains such as kpu.go.id whose top-level domain is known.
func ExtractURLs(text string) []string {
	var urls []string
	for _, m := range extractURLs(text) {
		urls = append(urls, m.url)
	}
	return urls
}

const (
	latinAccents = `\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{FF}\x{0100}-\x{024F}\x{0253}\x{0254}\x{0256}\x{0257}\x{0259}\x{025B}\x{0263}\x{0268}\x{026F}\x{0272}\x{0289}\x{028B}\x{02BB}\x{0300}-\x{036F}\x{1E00}-\x{1EFF}`
	cyrillic     = `\x{0400}-\x{04FF}`
	pathChars    = `[a-zA-Z` + cyrillic + `0-9!*';:=+,.$/%#\[\]\-\x{2013}_~@|&` + latinAccents + `]`
	parens       = `\((?:` + pathChars + `+|(?:` + pathChars + `*\(` + pathChars + `+\)` + pathChars + `*))\)`
	pathEnd      = `[+\-a-zA-Z` + cyrillic + `0-9=_#/` + latinAccents + `]|(?:` + parens + `)`
	path         = `(?:(?:` + pathChars + `*(?:` + parens + pathChars + `*)*(?:` + pathEnd + `))|(?:@` + pathChars + `+/))`
	queryChars   = `[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]`
	queryEnd     = `[a-zA-Z0-9\-_&=#/]`
)

type urlRegexps struct {
	rest, tco *regexp.Regexp
}

var compiledURL = sync.OnceValue(func() urlRegexps {
	return urlRegexps{
		// Everything after the domain: port, path, query. The classes spell out
		// A-Z rather than use (?i), which in Go would also let in U+212A KELVIN
		// SIGN and other letters that fold to ASCII, unlike JavaScript's i flag.
		rest: regexp.MustCompile(`^(?::([0-9]+))?(/(?:` + path + `)*)?(\?` + queryChars + `*` + queryEnd + `)?`),
		tco:  regexp.MustCompile(`^(?i)https?://t\.co/([a-z0-9]+)(?:\?` + queryChars + `*` + queryEnd + `)?`),
	}
})

// rawURL is one match of twitter-text's extractUrl regex, before the checks the
// extractor applies to it. Offsets are in bytes.
type rawURL struct {
	before              string // the preceding character, "" at the start of the text
	start, end          int    // the URL
	protoEnd            int    // == start when there is no protocol
	domainEnd, pathFrom int
	pathTo              int
}

func extractURLs(text string) []urlMatch {
	if !strings.Contains(text, ".") {
		return nil
	}
	var out []urlMatch
	domains := newDomainChains(text)
	for pos := 0; pos < len(text); {
		m, ok := findURL(domains, pos)
		if !ok {
			break
		}
		pos = m.end
		out = appendURL(out, text, m)
	}
	return out
}

// findURL finds the next match at or after from, trying start positions in the
// order the regex does: a valid preceding character then the URL after it, and at
// the very start of the text the URL itself.
func findURL(domains *chains, from int) (rawURL, bool) {
	text := domains.s
	for p := from; p < len(text); {
		r, size := utf8.DecodeRuneInString(text[p:])
		if validPreceding(r) {
			if m, ok := matchURLAt(domains, p+size); ok {
				m.before = text[p : p+size]
				return m, true
			}
		}
		if p == 0 {
			if m, ok := matchURLAt(domains, 0); ok {
				return m, true
			}
		}
		p += size
	}
	return rawURL{}, false
}

func validPreceding(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("@＠$#＃\uFFFE\uFEFF\uFFFF", r)
}

func matchURLAt(domains *chains, u int) (rawURL, bool) {
	text := domains.s
	if u >= len(text) {
		return rawURL{}, false
	}
	for _, proto := range []string{"https://", "http://"} {
		if len(text)-u >= len(proto) && strings.EqualFold(text[u:u+len(proto)], proto) {
			if end, ok := domains.match(u + len(proto)); ok {
				return finishURL(text, u, u+len(proto), end), true
			}
			break
		}
	}
	if end, ok := domains.match(u); ok {
		return finishURL(text, u, u, end), true
	}
	return rawURL{}, false
}

func finishURL(text string, start, protoEnd, domainEnd int) rawURL {
	loc := compiledURL().rest.FindStringSubmatchIndex(text[domainEnd:])
	m := rawURL{start: start, protoEnd: protoEnd, domainEnd: domainEnd, end: domainEnd + loc[1]}
	if loc[4] >= 0 {
		m.pathFrom, m.pathTo = domainEnd+loc[4], domainEnd+loc[5]
	}
	return m
}

// chains matches "label." runs followed by a TLD (validDomain, validAsciiDomain)
// as a backtracking regex does: with as many labels as can be taken. The match
// from a label start is the same wherever a search began, so every answer is
// kept, which keeps texts like "a.a.a.a…" linear instead of cubic.
type chains struct {
	s       string
	isLabel func(rune) bool // characters a label may hold
	// valid says whether a label may stand inside the chain, or, last, right
	// before the TLD.
	valid          func(label string, last bool) bool
	memo           map[int]int // label start → end of the match, -1 for none
	runFrom, runTo int         // the last run of label characters seen
}

// newDomainChains matches validDomain: subdomains (which may hold '_'), a domain
// name, a TLD.
func newDomainChains(s string) *chains {
	return &chains{
		s:       s,
		isLabel: func(r rune) bool { return isDomainChar(r) || r == '-' || r == '_' },
		valid:   func(label string, last bool) bool { return validLabel(label, !last) },
	}
}

// newASCIIChains matches validAsciiDomain: ASCII, Latin letters and '-'.
func newASCIIChains(s string) *chains {
	return &chains{
		s:       s,
		isLabel: isASCIIDomainChar,
		valid:   func(string, bool) bool { return true },
	}
}

func (c *chains) runEnd(q int) int {
	if q >= c.runFrom && q < c.runTo {
		return c.runTo
	}
	e := q
	for e < len(c.s) {
		r, size := utf8.DecodeRuneInString(c.s[e:])
		if !c.isLabel(r) {
			break
		}
		e += size
	}
	c.runFrom, c.runTo = q, e
	return e
}

// match returns the end of the chain match starting at d: the longest chain of
// labels whose last one is followed by a TLD.
func (c *chains) match(d int) (int, bool) {
	if end, ok := c.memo[d]; ok {
		return end, end >= 0
	}
	end := -1
	e := c.runEnd(d)
	if e > d && e < len(c.s) && c.s[e] == '.' && c.valid(c.s[d:e], false) {
		if tail, ok := c.match(e + 1); ok {
			end = tail
		} else if c.valid(c.s[d:e], true) {
			if tldEnd, ok := tldAt(c.s, e+1); ok {
				end = tldEnd
			}
		}
	}
	if c.memo == nil {
		c.memo = make(map[int]int)
	}
	c.memo[d] = end
	return end, end >= 0
}

// validLabel reports whether a run of domain characters, '-' and '_' is a
// subdomain (underscore allowed) or a domain name: neither starts or ends with
// '-' or '_'.
func validLabel(s string, underscore bool) bool {
	if s == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !isDomainChar(first) || !isDomainChar(last) {
		return false
	}
	return underscore || !strings.Contains(s, "_")
}

// isDomainChar is twitter-text's validDomainChars: anything but its punctuation
// (which, unlike ASCII punctuation, leaves out '"' and '`'), spaces, invalid
// characters and directional marks.
func isDomainChar(r rune) bool {
	switch {
	case strings.ContainsRune(`!'#%&()*+,\-./:;<=>?@[]^_{|}~$`, r):
		return false
	case r >= 0x09 && r <= 0x0D, r == 0x20, r == 0x85, r == 0xA0, r == 0x1680, r == 0x180E,
		r >= 0x2000 && r <= 0x200A, r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000:
		return false
	case isInvalidChar(r):
		return false
	case r >= 0x202A && r <= 0x202E, r == 0x061C, r == 0x200E, r == 0x200F, r >= 0x2066 && r <= 0x2069:
		return false
	}
	return true
}

// tldList is one of twitter-text's TLD alternations, indexed for lookup.
type tldList struct {
	ascii map[string]int // all-alphanumeric TLD → its place in the list
	// other holds the rest by the case-folded first letter, in list order:
	// a longer name comes before its prefixes.
	other map[rune][]placedTLD
}

type placedTLD struct {
	name  string
	place int
}

var tldLists = sync.OnceValue(func() [2]tldList {
	index := func(names []string) tldList {
		l := tldList{ascii: make(map[string]int), other: make(map[rune][]placedTLD)}
		for i, t := range names {
			if isASCIIAlnum(t) {
				l.ascii[t] = i
				continue
			}
			r, _ := utf8.DecodeRuneInString(t)
			l.other[foldKey(r)] = append(l.other[foldKey(r)], placedTLD{t, i})
		}
		return l
	}
	// Generic TLDs come first in the regex.
	return [2]tldList{index(genericTLDs), index(countryTLDs)}
})

// foldKey is the smallest rune that r is equal to under simple case folding.
func foldKey(r rune) rune {
	k := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		k = min(k, f)
	}
	return k
}

func isASCIIAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tldAt matches a generic TLD, a country TLD or a punycode label at t, taking
// the first alternative of the regex that matches. A TLD must be followed by the
// end or by a character outside [0-9a-zA-Z@+-].
func tldAt(s string, t int) (int, bool) {
	if t >= len(s) {
		return 0, false
	}
	// An all-alphanumeric TLD can only be followed by a non-alphanumeric, so it is
	// the whole alphanumeric run; a few others start with ASCII too
	// (vermögensberater).
	e := t
	for e < len(s) && isAlnum(s[e]) {
		e++
	}
	run := strings.ToLower(s[t:e])
	first, _ := utf8.DecodeRuneInString(s[t:])
	for _, list := range tldLists() {
		asciiPlace := -1
		if place, ok := list.ascii[run]; ok && e > t && tldFollow(s, e) {
			asciiPlace = place
		}
		for _, o := range list.other[foldKey(first)] {
			if asciiPlace >= 0 && o.place > asciiPlace {
				break
			}
			if end, ok := hasPrefixFold(s, t, o.name); ok && tldFollow(s, end) {
				return end, true
			}
		}
		if asciiPlace >= 0 {
			return e, true
		}
	}
	if len(s)-t > 4 && strings.EqualFold(s[t:t+4], "xn--") {
		e := t + 4
		for e < len(s) && (isAlnum(s[e]) || s[e] == '-') {
			e++
		}
		if e > t+4 {
			return e, true
		}
	}
	return 0, false
}

// hasPrefixFold reports whether s[t:] starts with prefix, ignoring case as the
// regex's i flag does, and where the match ends.
func hasPrefixFold(s string, t int, prefix string) (int, bool) {
	e := t
	for range utf8.RuneCountInString(prefix) {
		if e >= len(s) {
			return 0, false
		}
		_, size := utf8.DecodeRuneInString(s[e:])
		e += size
	}
	return e, strings.EqualFold(s[t:e], prefix)
}

func tldFollow(s string, e int) bool {
	if e >= len(s) {
		return true
	}
	return !isAlnum(s[e]) && s[e] != '@' && s[e] != '+' && s[e] != '-'
}

// asciiDomains finds validAsciiDomain matches in a domain: the parts a URL
// without protocol may link.
func asciiDomains(ds string) [][2]int {
	var out [][2]int
	c := newASCIIChains(ds)
	for i := 0; i < len(ds); {
		if e, ok := c.match(i); ok {
			out = append(out, [2]int{i, e})
			i = e
			continue
		}
		_, size := utf8.DecodeRuneInString(ds[i:])
		i += size
	}
	return out
}

func isASCIIDomainChar(r rune) bool {
	if r < 0x80 {
		return isAlnum(byte(r)) || r == '-'
	}
	return r >= 0xC0 && r <= 0xD6 || r >= 0xD8 && r <= 0xF6 || r >= 0xF8 && r <= 0x24F ||
		strings.ContainsRune("\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB", r) ||
		r >= 0x300 && r <= 0x36F || r >= 0x1E00 && r <= 0x1EFF
}

// appendURL applies the extractor's checks to one regex match: host label and
// URL length, the ASCII-only rule for URLs without protocol, t.co slugs.
func appendURL(out []urlMatch, text string, m rawURL) []urlMatch {
	url := text[m.start:m.end]
	protocol := text[m.start:m.protoEnd]
	domain := text[m.protoEnd:m.domainEnd]
	lengthProtocol := protocol
	if lengthProtocol == "" {
		lengthProtocol = "https://"
	}
	if !validURL(url, lengthProtocol, domain) {
		return out
	}
	if protocol == "" {
		if m.before != "" && strings.ContainsAny(m.before, "-_./") {
			return out
		}
		found := asciiDomains(domain)
		if len(found) == 0 {
			return out
		}
		for _, f := range found {
			out = append(out, urlMatch{url: domain[f[0]:f[1]], start: m.protoEnd + f[0], end: m.protoEnd + f[1]})
		}
		if m.pathTo > m.pathFrom {
			last := &out[len(out)-1]
			last.url = strings.Replace(url, domain, last.url, 1)
			last.end = m.end
		}
		return out
	}
	if sub := compiledURL().tco.FindStringSubmatch(url); sub != nil {
		if len(sub[1]) > maxTCOSlugLength {
			return out
		}
		url = sub[0]
	}
	return append(out, urlMatch{url: url, start: m.start, end: m.start + len(url)})
}

// validURL is twitter-text's isValidUrl: every host label fits DNS once
// punycode-encoded, and the URL fits 4096 characters.
func validURL(url, protocol, domain string) bool {
	for _, label := range strings.Split(domain, ".") {
		if n := utf16Len(punycodeToASCII(label)); n < 1 || n > maxLabelLength {
			return false
		}
	}
	if strings.HasPrefix(domain, "xn--") && len(asciiDomains(domain)) == 0 {
		return false
	}
	// twitter-text measures the URL as written, not punycode-encoded.
	return utf16Len(protocol)+utf16Len(url) <= maxURLLength
}
