package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/internal/yamlnode"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/projfile"
)

// identityKeys are the keys of an account that make its letterhead (SPEC section 9).
var identityKeys = []string{"logo", "address", "phone", "website"}

// Limits of the letterhead's fields: what fits on one line of an A4 letterhead
// and of a card's foot.
const (
	maxAddress = 160
	maxPhone   = 40
	// A logo is drawn at most a few centimetres wide: below 64 pixels it prints
	// blurred, and above 4096 it is a photo, which the cards refuse to decode.
	minLogoSide = 64
	maxLogoSide = 4096
)

// identity reads the letterhead fields of one account, each problem at its line.
func (p *parse) identity(kf map[string]yamlnode.Field, field string) Identity {
	var id Identity
	text := func(key string) (string, int, bool) {
		f, ok := kf[key]
		if !ok {
			return "", 0, false
		}
		s, ok := p.scalar(f, field+"."+key)
		if !ok {
			return "", 0, false
		}
		name := field + "." + key
		switch {
		case s == "":
			p.add(f.Line, name, "is empty", "write it, or leave the key out")
		case strings.ContainsAny(s, "\r\n"):
			p.add(f.Line, name, "must be one line", "write it on one line, parts separated by commas")
		case strings.ContainsFunc(s, unicode.IsControl):
			p.add(f.Line, name, "contains a control character", "type it again as plain text")
		default:
			return s, f.Line, true
		}
		return "", 0, false
	}
	if s, line, ok := text("address"); ok {
		if n := utf8.RuneCountInString(s); n > maxAddress {
			p.add(line, field+".address", fmt.Sprintf("is %d characters, more than the %d a letterhead line holds", n, maxAddress),
				"give the street, number and town, e.g. Jl. Jenderal Sudirman No. 1, Balikpapan")
		} else {
			id.Address = s
		}
	}
	if s, line, ok := text("phone"); ok {
		if why := phoneProblem(s); why != "" {
			p.add(line, field+".phone", fmt.Sprintf("%q %s", s, why), `write it as it is dialled from anywhere, in quotes, e.g. "+62 542 000000"`)
		} else {
			id.Phone = s
		}
	}
	if s, line, ok := text("website"); ok {
		if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			p.add(line, field+".website", fmt.Sprintf("%q is not an absolute http(s) URL", s), "e.g. https://kota-balikpapan.kpu.go.id")
		} else {
			id.Website = s
		}
	}
	if s, line, ok := text("logo"); ok {
		if data, ok := p.logo(s, line, field+".logo"); ok {
			id.Logo, id.LogoData = filepath.ToSlash(s), data
		}
	}
	return id
}

// phoneProblem says what keeps s from being a telephone number as a letterhead
// prints it, "" when nothing does.
func phoneProblem(s string) string {
	if utf8.RuneCountInString(s) > maxPhone {
		return fmt.Sprintf("is longer than %d characters", maxPhone)
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return fmt.Sprintf("has %q: a number is digits, a leading +, spaces, dashes, dots and brackets", r)
		}
	}
	if digits < 5 {
		return "has too few digits for a telephone number"
	}
	return ""
}

// logo reads the logo at name through projfile (the project's own regular file,
// in assets/ or releases/, under the size limit of an image) and checks that it
// is a PNG or JPEG of a logo's size, which the cards and the PDF's letterhead
// draw. Parsed without a project (root ""), the path alone is checked.
func (p *parse) logo(name string, line int, field string) ([]byte, bool) {
	const hint = "a PNG or JPEG in the project's assets/ folder, e.g. logo: assets/kpu.png"
	clean := path.Clean(filepath.ToSlash(name))
	if path.IsAbs(clean) || filepath.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") {
		p.add(line, field, fmt.Sprintf("%q must be a file inside the project", name), hint)
		return nil, false
	}
	if p.root == "" {
		return nil, true
	}
	data, err := projfile.Read(p.root, name, projfile.Image)
	if err != nil {
		var pe *projfile.Error
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p.add(line, field, clean+": no such file", hint)
		case errors.As(err, &pe):
			h := pe.Hint
			if h == "" {
				h = hint
			}
			p.add(line, field, pe.Error(), h)
		default:
			p.add(line, field, clean+": "+err.Error(), "")
		}
		return nil, false
	}
	info, err := media.Inspect(data)
	var me *media.Error
	switch {
	case errors.As(err, &me):
		p.add(line, field, fmt.Sprintf("%s: is %s, not a PNG or JPEG image", clean, me.Is), me.Hint)
	case err != nil:
		p.add(line, field, clean+": "+err.Error(), hint)
	case info.Format != media.PNG && info.Format != media.JPEG:
		p.add(line, field, fmt.Sprintf("%s: is a %s: the letterhead and the cards take a PNG or JPEG logo", clean, info.Name()),
			"save it as PNG (a drawn logo keeps its sharp edges)")
	case info.Width > maxLogoSide || info.Height > maxLogoSide:
		p.add(line, field, fmt.Sprintf("%s: is %d×%d pixels, more than a logo's %d a side", clean, info.Width, info.Height, maxLogoSide),
			"scale it down: 512 pixels a side is plenty")
	case min(info.Width, info.Height) < minLogoSide:
		p.add(line, field, fmt.Sprintf("%s: is %d×%d pixels, too small to print sharp", clean, info.Width, info.Height),
			fmt.Sprintf("use a logo at least %d pixels a side; 512 is good", minLogoSide))
	default:
		return data, true
	}
	return nil, false
}
