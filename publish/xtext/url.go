package xtext

import (
	"regexp"
	"strings"
	"sync"
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
	pathChars    = `[a-z` + cyrillic + `0-9!*';:=+,.$/%#\[\]\-\x{2013}_~@|&` + latinAccents + `]`
	parens       = `\((?:` + pathChars + `+|(?:` + pathChars + `*\(` + pathChars + `+\)` + pathChars + `*))\)`
	pathEnd      = `[+\-a-z` + cyrillic + `0-9=_#/` + latinAccents + `]|(?:` + parens + `)`
	path         = `(?:(?:` + pathChars + `*(?:` + parens + pathChars + `*)*(?:` + pathEnd + `))|(?:@` + pathChars + `+/))`
	queryChars   = `[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]`
	queryEnd     = `[a-z0-9\-_&=#/]`
)

type urlRegexps struct {
	rest, tco *regexp.Regexp
}

var compiledURL = sync.OnceValue(func() urlRegexps {
	return urlRegexps{
		// Everything after the domain: port, path, query.
		rest: regexp.MustCompile(`^(?i)(?::([0-9]+))?(/(?:` + path + `)*)?(\?` + queryChars + `*` + queryEnd + `)?`),
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
	for pos := 0; pos < len(text); {
		m, ok := findURL(text, pos)
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
func findURL(text string, from int) (rawURL, bool) {
	for p := from; p < len(text); {
		r, size := utf8.DecodeRuneInString(text[p:])
		if validPreceding(r) {
			if m, ok := matchURLAt(text, p+size); ok {
				m.before = text[p : p+size]
				return m, true
			}
		}
		if p == 0 {
			if m, ok := matchURLAt(text, 0); ok {
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

func matchURLAt(text string, u int) (rawURL, bool) {
	if u >= len(text) {
		return rawURL{}, false
	}
	for _, proto := range []string{"https://", "http://"} {
		if len(text)-u >= len(proto) && strings.EqualFold(text[u:u+len(proto)], proto) {
			if end, ok := matchDomain(text, u+len(proto)); ok {
				return finishURL(text, u, u+len(proto), end), true
			}
			break
		}
	}
	if end, ok := matchDomain(text, u); ok {
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

// matchDomain matches validDomain at d: subdomains, a domain name and a TLD,
// with as many subdomains as can be taken first.
func matchDomain(text string, d int) (int, bool) {
	type label struct{ start, end int }
	var labels []label
	for q := d; q < len(text); {
		e := q
		for e < len(text) {
			r, size := utf8.DecodeRuneInString(text[e:])
			if !isDomainChar(r) && r != '-' && r != '_' {
				break
			}
			e += size
		}
		if e >= len(text) || text[e] != '.' || !validLabel(text[q:e], true) {
			break
		}
		labels = append(labels, label{q, e})
		q = e + 1
	}
	for k := len(labels) - 1; k >= 0; k-- {
		if !validLabel(text[labels[k].start:labels[k].end], false) {
			continue
		}
		if end, ok := tldAt(text, labels[k].end+1); ok {
			return end, true
		}
	}
	return 0, false
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

type tldSet struct {
	ascii                      map[string]bool
	genericOther, countryOther []string // in regex order: longer names before their prefixes
}

var tlds = sync.OnceValue(func() tldSet {
	set := tldSet{ascii: make(map[string]bool)}
	add := func(list []string, other *[]string) {
		for _, t := range list {
			if isASCIIAlnum(t) {
				set.ascii[t] = true
			} else {
				*other = append(*other, t)
			}
		}
	}
	add(genericTLDs, &set.genericOther)
	add(countryTLDs, &set.countryOther)
	return set
})

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

// tldAt matches a generic TLD, a country TLD or a punycode label at t. A TLD must
// be followed by the end or by a character outside [0-9a-zA-Z@+-].
func tldAt(s string, t int) (int, bool) {
	if t >= len(s) {
		return 0, false
	}
	set := tlds()
	// An ASCII TLD can only be followed by a non-alphanumeric, so it is the whole
	// alphanumeric run; the others (a few start with ASCII, like vermögensberater)
	// are tried in regex order.
	e := t
	for e < len(s) && isAlnum(s[e]) {
		e++
	}
	run := strings.ToLower(s[t:e])
	for _, other := range [][]string{set.genericOther, set.countryOther} {
		if e > t && set.ascii[run] && tldFollow(s, e) {
			return e, true
		}
		for _, tld := range other {
			if end, ok := hasPrefixFold(s, t, tld); ok && tldFollow(s, end) {
				return end, true
			}
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
	for i := 0; i < len(ds); {
		if e, ok := asciiDomainAt(ds, i); ok {
			out = append(out, [2]int{i, e})
			i = e
			continue
		}
		_, size := utf8.DecodeRuneInString(ds[i:])
		i += size
	}
	return out
}

func asciiDomainAt(ds string, i int) (int, bool) {
	var ends []int // where each "label." ends
	for q := i; q < len(ds); {
		e := q
		for e < len(ds) {
			r, size := utf8.DecodeRuneInString(ds[e:])
			if !isASCIIDomainChar(r) {
				break
			}
			e += size
		}
		if e == q || e >= len(ds) || ds[e] != '.' {
			break
		}
		ends = append(ends, e+1)
		q = e + 1
	}
	for k := len(ends) - 1; k >= 0; k-- {
		if end, ok := tldAt(ds, ends[k]); ok {
			return end, true
		}
	}
	return 0, false
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
	if strings.HasPrefix(domain, "xn--") && len(asciiDomains(domain)) == 0 {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if n := utf16Len(punycodeToASCII(label)); n < 1 || n > maxLabelLength {
			return false
		}
	}
	// twitter-text measures the URL as written, not punycode-encoded.
	return utf16Len(protocol)+utf16Len(url) <= maxURLLength
}
