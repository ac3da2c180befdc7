package compose

import (
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"
)

// Cut is one part of a post that was shortened, or left out, so that the post fits
// its platform. A person would not cut a sentence without saying so: every cut is
// reported, as a warning of check and in the preview.
type Cut struct {
	Part    string // "hashtags", "summary" or "headline"
	Omitted string // what was left out, as it would have read (hashtags: "#A #B")
	Words   int    // how many words were left out
	Whole   bool   // the part is left out entirely
}

// fitted is a post's text within its platform's limit, and what gave way.
type fitted struct {
	Text   string
	Length int
	Cuts   []Cut
}

// fit renders d within limit, as length counts. What gives way, in order:
//  1. the hashtags, the last first (they only repeat the tags);
//  2. the summary, cut after its last whole sentence that fits, else after a
//     clause (, ; : or a dash, but not a comma between the items of a list) with
//     "…", else after a word with "…", else left out;
//  3. with no summary and no hashtag, the headline, cut after a word with "…".
//
// The URL and the credit to the issuer are never cut: a post that does not fit
// even then is an error.
//
// The work is linear in the text: candidate cuts are offsets into the one summary,
// and a binary search renders O(log n) of them, each once (a copy of the summary
// per candidate made a 400 KB first paragraph take gigabytes).
func fit(t *template.Template, d Data, length func(string) int, limit int) (fitted, error) {
	// Most posts fit as written (every Facebook post does): no search needed.
	text, err := render(t, d)
	if err != nil {
		return fitted{}, err
	}
	if n := length(text); n <= limit {
		return fitted{Text: text, Length: n}, nil
	}
	f := fitter{t: t, length: length, limit: limit}

	// 1. Hashtags, as many as fit, the first ones kept.
	if tags := d.Hashtags; len(tags) > 0 {
		none := d
		none.Hashtags = nil
		res, fits, err := f.try(none)
		if err != nil {
			return fitted{}, err
		}
		if res.Text != text {
			kept := 0
			if fits {
				// Keeping k < len(tags) hashtags: the search starts from none, which fits.
				kept, res, _, err = f.search(func(k int) bool { return k < len(tags) }, func(k int) Data {
					d2 := d
					d2.Hashtags = tags[:k]
					return d2
				})
				if err != nil {
					return fitted{}, err
				}
			}
			f.cuts = append(f.cuts, Cut{Part: "hashtags", Omitted: strings.Join(tags[kept:], " "), Words: len(tags) - kept, Whole: kept == 0})
			if fits {
				res.Cuts = f.cuts
				return res, nil
			}
		}
		d, text = none, res.Text
	}

	// 2. The summary, at the best boundary that fits; 3. the headline, at a word.
	parts := []struct {
		name  string
		tiers []tier
		get   func(*Data) *string
	}{
		{"summary", sentenceTiers, func(d *Data) *string { return &d.Summary }},
		{"headline", wordTier, func(d *Data) *string { return &d.Headline }},
	}
	for _, p := range parts {
		s := *p.get(&d)
		if s == "" {
			continue
		}
		without := d
		*p.get(&without) = ""
		if shown, err := f.differs(without, text); err != nil {
			return fitted{}, err
		} else if !shown {
			continue
		}
		res, ok, err := f.shorten(d, p.name, s, p.tiers, func(d *Data, s string) { *p.get(d) = s })
		if ok || err != nil {
			return res, err
		}
		d = without
		if text, err = render(t, d); err != nil {
			return fitted{}, err
		}
	}
	return fitted{}, fmt.Errorf("post does not fit %d characters even without summary, hashtags and headline: shorten the fixed text of its template in templates/posts", limit)
}

type fitter struct {
	t      *template.Template
	length func(string) int
	limit  int
	cuts   []Cut
}

// try renders d and reports whether it fits.
func (f *fitter) try(d Data) (fitted, bool, error) {
	text, err := render(f.t, d)
	if err != nil {
		return fitted{}, false, err
	}
	n := f.length(text)
	return fitted{Text: text, Length: n}, n <= f.limit, nil
}

// differs reports whether d renders otherwise than text: a part the template does
// not show is never reported as left out.
func (f *fitter) differs(d Data, text string) (bool, error) {
	t, err := render(f.t, d)
	return t != text, err
}

// search finds the largest k for which at(k) fits, of the k that has(k) admits
// (0, 1, … up to some n), given that keeping more never makes the text shorter; ok
// is false when none fits. It gallops from the front, then halves: the texts it
// renders are at most about twice as long as the answer, so a 400 KB summary cut
// to one sentence costs a few short renders.
func (f *fitter) search(has func(k int) bool, at func(k int) Data) (int, fitted, bool, error) {
	if !has(0) {
		return 0, fitted{}, false, nil
	}
	best, ok, err := f.try(at(0))
	if err != nil || !ok {
		return 0, fitted{}, false, err
	}
	lo, hi := 0, -1 // at(lo) fits; at(hi) does not, or there is no hi; -1: not known yet
	for step := 1; hi < 0; step *= 2 {
		if !has(lo + step) {
			// Past the end: the answer is below the first k that has() refuses.
			hi = lo + step
			for hi-lo > 1 && !has(hi-1) {
				hi--
			}
			break
		}
		res, ok, err := f.try(at(lo + step))
		if err != nil {
			return 0, fitted{}, false, err
		}
		if !ok {
			hi = lo + step
			break
		}
		best, lo = res, lo+step
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		res, ok, err := f.try(at(mid))
		if err != nil {
			return 0, fitted{}, false, err
		}
		if ok {
			best, lo = res, mid
		} else {
			hi = mid
		}
	}
	return lo, best, true, nil
}

// shorten fits d by cutting s, the part named part, at the boundaries of each tier
// in turn (the longest fitting cut of the first tier that has one wins), and at
// last by leaving it out. ok is false when even that does not fit; the cut is then
// recorded all the same, as the part is gone.
func (f *fitter) shorten(d Data, part, s string, tiers []tier, set func(*Data, string)) (fitted, bool, error) {
	for _, tr := range tiers {
		cs := &cuts{s: s, min: tr.min}
		k, res, ok, err := f.search(cs.has, func(k int) Data {
			d2 := d
			set(&d2, cs.list[k].keep(s))
			return d2
		})
		if err != nil {
			return fitted{}, false, err
		}
		if ok {
			rest := s[cs.list[k].rest:]
			f.cuts = append(f.cuts, Cut{Part: part, Omitted: excerpt(rest), Words: countWords(rest)})
			res.Cuts = f.cuts
			return res, true, nil
		}
	}
	f.cuts = append(f.cuts, Cut{Part: part, Omitted: excerpt(s), Words: countWords(s), Whole: true})
	d2 := d
	set(&d2, "")
	res, ok, err := f.try(d2)
	if ok {
		res.Cuts = f.cuts
	}
	return res, ok, err
}

// Kinds of boundary, weakest first: a cut may be made at a boundary of its tier's
// kind or a stronger one.
const (
	atWord = iota
	atClause
	atSentence
)

type tier struct{ min int }

var (
	sentenceTiers = []tier{{atSentence}, {atClause}, {atWord}}
	wordTier      = []tier{{atWord}}
)

// cut is a place a text may be cut: it keeps text[:end] (and "…" unless the cut
// ends a sentence) and leaves out text[rest:].
type cut struct {
	end, rest int
	kind      int
}

func (c cut) keep(s string) string {
	if c.kind == atSentence {
		return s[:c.end]
	}
	return s[:c.end] + "…"
}

// closers may follow a sentence's final mark: `."`, `.)`, `.”`.
const closers = `"')]”’»`

// cuts lists, lazily and in order, the places s may be cut at a boundary of
// kind min or stronger: before each run of white space, that is between words.
// Only as many are found as a search asks for, so a long text is scanned no
// further than its cut.
type cuts struct {
	s    string
	min  int
	pos  int // where the scan goes on
	list []cut
}

// has reports whether there is a k-th cut, finding cuts up to it.
func (c *cuts) has(k int) bool {
	for len(c.list) <= k && c.pos < len(c.s) {
		c.next()
	}
	return k < len(c.list)
}

// next scans s from pos to the next cut of kind min or stronger, if any.
func (c *cuts) next() {
	s := c.s
	for i := c.pos; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if start == 0 || i == len(s) {
			continue
		}
		if b, ok := boundary(s, start, i); ok && b.kind >= c.min {
			c.pos = i
			c.list = append(c.list, b)
			return
		}
	}
	c.pos = len(s)
}

// boundary classifies the white space s[start:next], between two words.
func boundary(s string, start, next int) (cut, bool) {
	before := s[:start]
	after := s[next:]
	// A spaced dash opens a clause: "…sampai Sabtu — kecuali…" keeps "…sampai Sabtu…".
	for _, dash := range []string{"—", "–", "-"} {
		if rest, ok := strings.CutPrefix(after, dash); ok && (rest == "" || strings.IndexFunc(rest, unicode.IsSpace) == 0) {
			return cut{end: start, rest: len(s) - len(strings.TrimLeftFunc(rest, unicode.IsSpace)), kind: atClause}, true
		}
	}
	core := strings.TrimRight(before, closers)
	last, _ := utf8.DecodeLastRuneInString(core)
	switch last {
	case '.', '!', '?':
		if last != '.' || endsSentence(core, after) {
			return cut{end: start, rest: next, kind: atSentence}, true
		}
	case ',', ';', ':':
		end := len(core) - 1 // the mark is not kept before "…"
		if t := strings.TrimRightFunc(before[:end], unicode.IsSpace); t != "" && (last != ',' || !inList(core[:end], after)) {
			return cut{end: len(t), rest: next, kind: atClause}, true
		}
	}
	// Between two words: the word stays whole; a mark that would dangle before "…" goes.
	end := len(strings.TrimRightFunc(before, func(r rune) bool {
		return unicode.IsPunct(r) && !strings.ContainsRune(closers, r) || unicode.IsSpace(r)
	}))
	if end == 0 {
		return cut{}, false
	}
	return cut{end: end, rest: next, kind: atWord}, true
}

// inList reports whether the comma between before and after separates the items
// of a list ("melibatkan PPK, PPS, dan KPPS"), where a cut would read as if the
// list ended there: a short item (two words at most) ends at the comma after
// another comma, or follows it up to another comma or a conjunction.
func inList(before, after string) bool {
	if i := strings.LastIndexByte(before, ','); i >= 0 && shortItem(before[i+1:]) {
		return true
	}
	if i := strings.IndexAny(after, ",.;:!?"); i >= 0 && after[i] == ',' && shortItem(after[:i]) {
		return true
	}
	lower := strings.ToLower(after)
	for _, conj := range []string{" dan ", " atau ", " serta "} {
		if i := strings.Index(lower, conj); i >= 0 && shortItem(after[:i]) {
			return true
		}
	}
	return false
}

// shortItem reports whether s could be one item of a list: no sentence or clause
// mark, and two words at most.
func shortItem(s string) bool {
	return !strings.ContainsAny(s, ".;:!?") && len(strings.Fields(s)) <= 2
}

// endsSentence tells a full stop from the dot of an abbreviation or an initial
// ("Jl. Sudirman", "M. Yusuf"): a sentence ends at a dot after a word that is
// not a known abbreviation, and the next one starts with a capital, a digit or a
// quote.
func endsSentence(core, after string) bool {
	word := core[:len(core)-1]
	if i := strings.LastIndexFunc(word, unicode.IsSpace); i >= 0 {
		word = word[i+1:]
	}
	word = strings.TrimLeft(word, `"'(“‘«`)
	if utf8.RuneCountInString(word) <= 1 || abbreviations[strings.ToLower(word)] || strings.Contains(word, ".") {
		return false
	}
	next, _ := utf8.DecodeRuneInString(after)
	return unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"'(“‘«[`, next)
}

// abbreviations end with a dot without ending a sentence, as Indonesian press
// releases write them.
var abbreviations = map[string]bool{
	"jl": true, "jln": true, "no": true, "dr": true, "drs": true, "dra": true, "ir": true, "prof": true,
	"h": true, "hj": true, "kh": true, "st": true, "sdr": true, "sdri": true, "bpk": true, "yth": true,
	"kab": true, "kec": true, "kel": true, "prov": true, "tgl": true, "hlm": true, "dll": true,
	"dsb": true, "dst": true, "dkk": true, "tsb": true, "ybs": true, "rt": true, "rw": true,
	"telp": true, "hp": true, "ket": true, "lamp": true, "sd": true,
}

// excerpt is the start of what was left out, a dozen words at most, for a person
// to recognise it.
func excerpt(s string) string {
	const words = 12
	i, n := 0, 0
	for i < len(s) && n < words {
		for i < len(s) && s[i] <= ' ' {
			i++
		}
		for i < len(s) && s[i] > ' ' {
			i++
		}
		n++
	}
	out := strings.Join(strings.Fields(s[:i]), " ")
	if strings.TrimSpace(s[i:]) != "" {
		out += " …"
	}
	return out
}

// countWords counts the words of s without splitting it.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}
