// Package share writes a release the way people pass it on by hand: as a WhatsApp
// message (humas share --whatsapp, the preview's copy button) and as the wa.me
// link that opens WhatsApp with it.
package share

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/release"
)

// Template is the WhatsApp message's template, under templates/.
const Template = "share/whatsapp.tmpl"

// MaxSummary is the most of the summary a message carries, in characters: a few
// sentences, which a phone shows without "Read more" and a group reads to the end.
const MaxSummary = 320

// Data is what the WhatsApp template sees.
type Data struct {
	Headline string // "[HOAKS] …" for a hoax clarification
	Kind     string // "Siaran Pers", "Berita", "Klarifikasi Hoaks"
	Issuer   string
	Date     string // in the site's zone: "Rabu, 9 Juni 2021"
	Number   string
	Summary  string
	Claim    string // a hoax clarification's claim, "" otherwise
	Verdict  string
	URL      string
	Hashtags []string
}

var kinds = map[string]string{
	release.SiaranPers:       "Siaran Pers",
	release.Berita:           "Berita",
	release.KlarifikasiHoaks: "Klarifikasi Hoaks",
}

// WhatsApp is r as a WhatsApp message, from templates/share/whatsapp.tmpl of
// templates (the project's own over the embedded one).
func WhatsApp(cfg *config.Config, templates fs.FS, r *release.Release) (string, error) {
	src, err := fs.ReadFile(templates, Template)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("templates/%s: no such template", Template)
		}
		return "", fmt.Errorf("templates/%s: %w", Template, err)
	}
	t, err := template.New(Template).Funcs(template.FuncMap{
		"join": strings.Join, "bold": bold, "italic": italic,
	}).Parse(string(src))
	if err != nil {
		return "", errors.New("templates/" + strings.TrimPrefix(err.Error(), "template: "))
	}
	issuer := r.Issuer
	if a, ok := cfg.Account(r.Issuer); ok && a.Name != "" {
		issuer = a.Name
	}
	kind := kinds[r.Kind]
	if kind == "" {
		kind = kinds[release.SiaranPers]
	}
	d := Data{
		Headline: oneLine(r.Headline()), Kind: kind, Issuer: issuer,
		Date: idtime.In(cfg.Site.Location).Date(r.Date), Number: r.Number,
		Summary: Shorten(oneLine(r.Summary), MaxSummary), URL: cfg.ArticleURL(r.Slug),
		Hashtags: compose.Hashtags(r.Tags, cfg.Tags),
	}
	if h := r.Hoax; h != nil {
		d.Claim, d.Verdict = oneLine(h.Claim), h.Verdict
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", errors.New("templates/" + strings.TrimPrefix(err.Error(), "template: "))
	}
	return tidy(b.String()), nil
}

// Link is the wa.me address that opens WhatsApp with text ready to send to a
// chat the person picks (https://faq.whatsapp.com/5913398998672934).
func Link(text string) string {
	return "https://wa.me/?text=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
}

// bold keeps WhatsApp's bold marker out of s, so that *s* stays one bold run.
func bold(s string) string { return strings.ReplaceAll(s, "*", "∗") }

// italic keeps WhatsApp's italic marker out of s.
func italic(s string) string { return strings.ReplaceAll(s, "_", " ") }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Shorten cuts s to at most limit characters as a person would: after the last
// whole sentence that fits, else after the last whole word, with "…". A sentence
// ends at . ! or ? before a space and a capital or digit, and not after a short
// abbreviation (Jl., No., M., dr.).
func Shorten(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut := 0 // byte length of the longest prefix that fits
	for i := range s {
		if utf8.RuneCountInString(s[:i]) > limit {
			break
		}
		cut = i
	}
	head := s[:cut]
	for i := len(head) - 1; i > 0; i-- {
		c := head[i]
		if (c == '.' || c == '!' || c == '?') && i+2 < len(s) && s[i+1] == ' ' && startsSentence(s[i+2:]) && !abbreviation(head[:i]) {
			return head[:i+1]
		}
	}
	if j := strings.LastIndexByte(head[:max(0, len(head)-1)], ' '); j > 0 {
		head = head[:j]
	}
	return strings.TrimRight(head, " ,;:—–-") + "…"
}

func startsSentence(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '"' || r == '“'
}

// abbreviation reports whether the word before a full stop is an abbreviation,
// not a sentence's end: an initial (M.), a short capitalised word (Jl., No., Dr.),
// or a title written in lower case (dr., ir., hj.). An acronym in capitals (KPU.)
// ends its sentence: acronyms take no full stop.
func abbreviation(before string) bool {
	w := before[strings.LastIndexAny(before, " (")+1:]
	switch w {
	case "dr", "drg", "ir", "hj", "drs", "dra", "st", "sdr", "bpk":
		return true
	}
	n := utf8.RuneCountInString(w)
	if n == 0 || n > 3 || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	return n == 1 || strings.ToLower(w[1:]) == w[1:]
}

// tidy removes trailing spaces and repeated blank lines, as the posts' templates
// are tidied.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank || len(out) == 0 {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
