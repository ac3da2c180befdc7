package platform

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one reason a platform would refuse a post's picture, and what to do.
type Problem struct {
	Field   string // "image" or "image_alt"
	Message string
	Hint    string
}

// CheckImage lists what p would refuse in img, in the words of a check error:
// "X takes jpeg, png, gif or webp, not heic". Nil when p takes it.
func (p *Platform) CheckImage(img Image) []Problem {
	m := p.Media
	var out []Problem
	add := func(msg, hint string) {
		out = append(out, Problem{Field: "image", Message: p.DisplayName + " " + msg, Hint: hint})
	}
	if len(m.Formats) > 0 && !slices.Contains(m.Formats, img.Format) {
		got := img.Format
		if got == "" {
			got = "a picture it can read"
		}
		add(fmt.Sprintf("takes %s, not %s", orList(m.Formats), got),
			"save the picture as JPEG (or PNG) and point image: at that file")
	}
	if m.MaxBytes > 0 && img.Bytes > m.MaxBytes {
		add(fmt.Sprintf("takes pictures up to %s; this one is %s", size(m.MaxBytes), size(img.Bytes)),
			"export it smaller (for example 2048 pixels wide, JPEG quality 85)")
	}
	if img.Width > 0 && img.Height > 0 {
		switch {
		case m.MinWidth > 0 && img.Width < m.MinWidth, m.MinHeight > 0 && img.Height < m.MinHeight:
			add(fmt.Sprintf("takes pictures at least %d×%d pixels; this one is %d×%d", m.MinWidth, m.MinHeight, img.Width, img.Height),
				"use a larger picture")
		case m.MaxWidth > 0 && img.Width > m.MaxWidth, m.MaxHeight > 0 && img.Height > m.MaxHeight:
			add(fmt.Sprintf("takes pictures at most %d×%d pixels; this one is %d×%d", m.MaxWidth, m.MaxHeight, img.Width, img.Height),
				"scale the picture down")
		}
		ratio := float64(img.Width) / float64(img.Height)
		if m.MinAspect > 0 && ratio < m.MinAspect || m.MaxAspect > 0 && ratio > m.MaxAspect {
			add(fmt.Sprintf("takes pictures from %s to %s (width:height); this one is %.2f:1", aspect(m.MinAspect), aspect(m.MaxAspect), ratio),
				"crop the picture")
		}
	}
	return out
}

// CheckAlt says whether p keeps alt text this long; nil when it does.
func (p *Platform) CheckAlt(alt string) *Problem {
	n := utf8.RuneCountInString(alt)
	if p.Media.MaxAlt <= 0 || n <= p.Media.MaxAlt {
		return nil
	}
	return &Problem{Field: "image_alt",
		Message: fmt.Sprintf("%s takes alt text up to %s characters; this one has %s", p.DisplayName, thousands(p.Media.MaxAlt), thousands(n)),
		Hint:    "describe the picture in fewer words; details belong in the release"}
}

func orList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// size is n bytes as people read it: "5 MB", "23.4 MB", "812 KB". Tenths are
// rounded up, so a file just over a limit never reads as the limit itself.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		s := fmt.Sprintf("%.1f", math.Ceil(float64(n)*10/(1<<20))/10)
		return strings.TrimSuffix(s, ".0") + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func aspect(r float64) string {
	if r <= 0 {
		return "any"
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", r), "0"), ".") + ":1"
}

// thousands writes n with a comma every three digits, as English messages do.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
