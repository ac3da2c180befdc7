// Package xtext measures a post the way X does, by the twitter-text v3 rules, so a
// text that fits here is never refused by X as too long.
package xtext

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tlds.go comes from testdata/twitter-text/tlds.yml; emoji.go from twitter-text's
// TwitterTextEmojiRegex.java, with -java PATH (see gen.go).
//go:generate go run gen.go

// Limit is the longest post X accepts, in weighted characters.
const Limit = 280

// Result is what twitter-text's parseTweet reports about a text.
type Result struct {
	WeightedLength int  // what X counts: URLs 23, emoji 2, CJK 2, Latin 1
	Permillage     int  // WeightedLength per thousand of Limit
	Valid          bool // fits the limit and holds no invalid characters
	// DisplayRangeEnd and ValidRangeEnd are inclusive UTF-16 offsets into the text
	// as given, as in twitter-text: the end of the text and of the part X accepts.
	// Both are -1 for an empty text.
	DisplayRangeEnd, ValidRangeEnd int
}

// config is a twitter-text configuration file (config/v3.json).
type config struct {
	maxWeightedLength int
	scale             int
	defaultWeight     int
	urlLength         int
	emoji             bool
	ranges            []weightedRange
}

type weightedRange struct {
	start, end rune
	weight     int
}

// v3 is twitter-text's config/v3.json, which X uses today.
func v3() config {
	return config{
		maxWeightedLength: Limit,
		scale:             100,
		defaultWeight:     200,
		urlLength:         23,
		emoji:             true,
		ranges: []weightedRange{
			{0, 4351, 100},
			{8192, 8205, 100},
			{8208, 8223, 100},
			{8242, 8247, 100},
		},
	}
}

// Length is the weighted length X counts for text.
func Length(text string) int {
	return Parse(text).WeightedLength
}

// Parse measures text by the twitter-text v3 rules: NFC first, every URL 23, every
// emoji 2, other code points by the weight of their range.
func Parse(text string) Result {
	return parse(text, v3())
}

func parse(text string, cfg config) Result {
	// Java's String.trim, which twitter-text uses, strips everything up to U+0020.
	if strings.TrimFunc(text, func(r rune) bool { return r <= ' ' }) == "" {
		return Result{DisplayRangeEnd: -1, ValidRangeEnd: -1}
	}
	s := norm.NFC.String(text)
	maxWeighted := cfg.maxWeightedLength * cfg.scale

	urls := extractURLs(s)
	var emoji map[int]int
	if cfg.emoji {
		emoji = emojiSpans(s)
	}

	weighted, offset16, valid16 := 0, 0, 0
	invalid := false
	for i := 0; i < len(s); {
		for len(urls) > 0 && urls[0].start < i {
			urls = urls[1:]
		}
		if len(urls) > 0 && urls[0].start == i {
			n := utf16Len(s[i:urls[0].end])
			weighted += cfg.urlLength * cfg.scale
			offset16 += n
			if weighted <= maxWeighted {
				valid16 += n
			}
			i = urls[0].end
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		weight := cfg.defaultWeight
		if end, ok := emoji[i]; ok {
			size = end - i
		} else {
			weight = cfg.weight(r)
		}
		weighted += weight
		invalid = invalid || isInvalidChar(r)
		n := utf16Len(s[i : i+size])
		offset16 += n
		if !invalid && weighted <= maxWeighted {
			valid16 += n
		}
		i += size
	}

	length := weighted / cfg.scale
	normOffset := utf16Len(text) - utf16Len(s)
	return Result{
		WeightedLength:  length,
		Permillage:      length * 1000 / cfg.maxWeightedLength,
		Valid:           !invalid && length <= cfg.maxWeightedLength,
		DisplayRangeEnd: offset16 + normOffset - 1,
		ValidRangeEnd:   valid16 + normOffset - 1,
	}
}

func (c config) weight(r rune) int {
	for _, wr := range c.ranges {
		if r >= wr.start && r <= wr.end {
			return wr.weight
		}
	}
	return c.defaultWeight
}

// isInvalidChar reports the characters X refuses in a post.
func isInvalidChar(r rune) bool {
	return r == 0xFFFE || r == 0xFEFF || r == 0xFFFF
}

// utf16Len is the length of s in UTF-16 code units, the unit twitter-text's
// offsets are in.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

type emojiRegexps struct {
	anchored, noVariant, variant *regexp.Regexp
}

var compiledEmoji = sync.OnceValue(func() emojiRegexps {
	return emojiRegexps{
		anchored:  regexp.MustCompile(`^(?:` + emojiPattern + `)`),
		noVariant: regexp.MustCompile(`^(?:` + emojiPatternNoVariant + `)`),
		variant:   regexp.MustCompile(`^` + emojiVariants + `$`),
	}
})

// emojiSpans maps the byte offset where each emoji of s starts to where it ends,
// finding them as Java's find() loop over twitter-text's emoji regex does.
func emojiSpans(s string) map[int]int {
	re := compiledEmoji()
	spans := make(map[int]int)
	for pos := 0; pos < len(s); {
		_, size := utf8.DecodeRuneInString(s[pos:])
		// Every emoji holds a non-ASCII code point within its first two bytes
		// (TestEmojiNeedsNonASCII), so plain ASCII is skipped without the regexp,
		// which is slow to try at every position.
		if s[pos] < utf8.RuneSelf && (pos+1 >= len(s) || s[pos+1] < utf8.RuneSelf) {
			pos += size
			continue
		}
		loc := re.anchored.FindStringIndex(s[pos:])
		if loc != nil && loc[1] > 0 {
			end := pos + loc[1]
			// The Java regex refuses a variant emoji followed by VS15 (text
			// style), a lookahead Go lacks: retry without those branches.
			if strings.HasPrefix(s[end:], "\ufe0e") && re.variant.MatchString(s[pos:end]) {
				loc = re.noVariant.FindStringIndex(s[pos:])
				end = pos
				if loc != nil {
					end = pos + loc[1]
				}
			}
			if end > pos {
				spans[pos] = end
				pos = end
				continue
			}
		}
		pos += size
	}
	return spans
}
