package release

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rules applies the rules of SPEC section 2 that are not about one field's shape.
func (p *parser) rules() {
	p.personalData()
	p.numberMonth()
	p.blackout()
}

// personalData reports a NIK or KK number in any text that is published. The number
// itself is never repeated in the message, only its masked form: CI logs are public.
func (p *parser) personalData() {
	r := p.r
	fields := []struct {
		key  string
		text string
	}{
		{"title", r.Title}, {"summary", r.Summary}, {"image_alt", r.ImageAlt},
	}
	for _, name := range p.cfg.Platforms.Names() {
		if text, ok := r.Posts[name]; ok {
			fields = append(fields, struct{ key, text string }{"posts." + name, text})
		}
	}
	if r.Hoax != nil {
		fields = append(fields, struct{ key, text string }{"hoax.claim", r.Hoax.Claim})
	}
	if _, set := r.Lines["summary"]; !set {
		fields[1].text = "" // derived from the body, which is checked below
	}
	for _, f := range fields {
		for _, off := range FindNIK([]byte(f.text)) {
			p.nik(p.valueLine(f.key, f.text, off), f.key, f.text[off:off+16])
		}
	}
	for _, off := range FindNIK(r.Body) {
		line := r.BodyLine + bytes.Count(r.Body[:off], []byte("\n"))
		p.nik(line, "body", string(r.Body[off:off+16]))
	}
}

func (p *parser) nik(line int, field, number string) {
	p.errorf(line, field, fmt.Sprintf("remove it or mask it, e.g. %sxxxxxxxxxxxx", number[:4]),
		"%sxxxxxxxxxxxx looks like a NIK or KK number: personal data is exempted (UU 14/2008 Pasal 17, UU 27/2022)", number[:4])
}

// valueLine is the file line of byte off in the value of key: block scalars start on
// the line after the key.
func (p *parser) valueLine(key, text string, off int) int {
	line := p.line(key)
	if n, ok := p.nodes[key]; ok {
		if n != nil && n.Block {
			line++
		}
		line += strings.Count(text[:off], "\n")
	}
	return line
}

// provinces are the two-digit codes (Kemendagri) a NIK starts with.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "16": true, "17": true, "18": true, "19": true,
	"21": true, "31": true, "32": true, "33": true, "34": true, "35": true, "36": true,
	"51": true, "52": true, "53": true, "61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "72": true, "73": true, "74": true, "75": true, "76": true, "81": true, "82": true,
	"91": true, "92": true, "93": true, "94": true, "95": true, "96": true, "97": true,
}

// FindNIK returns the offsets of every NIK or KK number in b: 16 digits shaped like
// one (a region code in a real province, a birth date with day plus 40 for women,
// and a serial that is not 0000), written in a row or in groups split by single
// spaces, dots or hyphens as people copy them from a card (6471 0101 0190 0001).
// After the label NIK or KK, any 16 digits are one. Masked numbers
// (6471xxxxxxxxxxxx) and longer digit runs are not NIKs.
func FindNIK(b []byte) []int {
	var out []int
	digits := make([]byte, 0, 32)
	for i := 0; i < len(b); {
		// Most text has few digits: skip eight bytes at a time while none is one
		// (x = w^0x30… puts a digit at 0–9; a byte with the high bit set is looked
		// at one by one).
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			x := w ^ 0x3030303030303030
			if (w|(x-0x0a0a0a0a0a0a0a0a)&^x)&0x8080808080808080 != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			break
		}
		if !isDigit(b[i]) {
			i++
			continue
		}
		// A run: digit groups joined by one separator each.
		digits = digits[:0]
		var groups [][2]int // start and end of each group in b
		j := i
		for {
			start := j
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			groups = append(groups, [2]int{start, j})
			digits = append(digits, b[start:j]...)
			if j+1 < len(b) && isNIKSeparator(b[j]) && isDigit(b[j+1]) {
				j++
				continue
			}
			break
		}
		switch {
		case len(digits) == 16 && (isNIK(digits) || labelled(b[:i])):
			out = append(out, i)
		case len(groups) > 1:
			// "Tahun 2024 6471010101900001": a whole card number inside a longer run.
			for _, g := range groups {
				if g[1]-g[0] == 16 && isNIK(b[g[0]:g[1]]) {
					out = append(out, g[0])
				}
			}
		}
		i = j
	}
	return out
}

// labelled reports whether before ends with the label NIK or KK and what people
// write between it and the number ("NIK 6471…", "No. KK: 6471…"): after the label,
// 16 digits are personal data whatever they are.
func labelled(before []byte) bool {
	i := len(before)
	for i > 0 && i > len(before)-8 && strings.IndexByte(" \t:.=#-", before[i-1]) >= 0 {
		i--
	}
	j := i
	for j > 0 && i-j < 3 && isLetter(before[j-1]) {
		j--
	}
	word := string(before[j:i])
	return (strings.EqualFold(word, "NIK") || strings.EqualFold(word, "KK")) && (j == 0 || !isLetter(before[j-1]))
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNIKSeparator(c byte) bool { return c == ' ' || c == '.' || c == '-' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isNIK(d []byte) bool {
	if !provinces[string(d[:2])] {
		return false
	}
	num := func(s []byte) int { n, _ := strconv.Atoi(string(s)); return n }
	day, month, serial := num(d[6:8]), num(d[8:10]), num(d[12:16])
	if day > 40 {
		day -= 40
	}
	return day >= 1 && day <= 31 && month >= 1 && month <= 12 && serial != 0
}

var romanMonths = map[string]time.Month{
	"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
	"VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}

// numberMonth warns when a release number such as 012/HM/KPU-BPP/VI/2021 names a
// month or year other than the release date's: numbers are usually copied from the
// last release and not updated.
func (p *parser) numberMonth() {
	r := p.r
	if r.Number == "" || r.Date.IsZero() {
		return
	}
	parts := strings.Split(r.Number, "/")
	if len(parts) < 2 {
		return
	}
	last := strings.TrimSpace(parts[len(parts)-1])
	year, err := strconv.Atoi(last)
	if len(last) != 4 || err != nil {
		return
	}
	line := p.line("number")
	if year != r.Date.Year() {
		p.warnf(line, "number", "check the number, or the date", "year %d does not match the date (%d)", year, r.Date.Year())
	}
	m := strings.TrimSpace(parts[len(parts)-2])
	var month time.Month
	if rm, ok := romanMonths[strings.ToUpper(m)]; ok {
		month = rm
	} else if n, err := strconv.Atoi(m); err == nil && len(m) == 2 && n >= 1 && n <= 12 {
		month = time.Month(n)
	} else {
		return
	}
	if month != r.Date.Month() {
		p.warnf(line, "number", "check the number, or the date", "month %s does not match the date (%s)", m, r.Date.Format("January"))
	}
}

// blackout warns when a release is dated or embargoed inside a blackout window:
// publish will refuse it then unless it is serta-merta.
func (p *parser) blackout() {
	r := p.r
	if r.Classification == SertaMerta {
		return
	}
	for _, f := range []struct {
		key string
		t   time.Time
	}{{"date", r.Date}, {"embargo", r.Embargo}} {
		if f.t.IsZero() {
			continue
		}
		if b, ok := p.cfg.BlackoutAt(f.t); ok {
			where := ""
			if p.cfg.File != "" && b.Line > 0 {
				where = fmt.Sprintf(" (%s:%d)", p.cfg.File, b.Line)
			}
			p.warnf(p.line(f.key), f.key, "only serta-merta releases are published during a blackout",
				"%s falls in the blackout %q%s", f.t.Format("2006-01-02 15:04"), b.Reason, where)
		}
	}
}
