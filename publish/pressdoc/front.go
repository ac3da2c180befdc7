package pressdoc

import (
	"fmt"
	"strings"
)

var (
	embargoC = rgb{0x9b, 0x1c, 0x1c} // dark red: 7:1 on white, and still red in greyscale print
	hoaxBG   = rgb{0xfb, 0xee, 0xee}
)

// verdictColour is the ground of the verdict stamp, as on the cards.
func verdictColour(v string) rgb {
	switch v {
	case "HOAKS":
		return rgb{0xc4, 0x12, 0x2f}
	case "DISINFORMASI":
		return rgb{0xa3, 0x1b, 0x1b}
	case "MISINFORMASI":
		return rgb{0xa6, 0x42, 0x00}
	case "SATIRE":
		return rgb{0x6b, 0x2c, 0x91}
	}
	return rgb{0x55, 0x55, 0x55}
}

// letterhead draws the kop surat: the logo at the left, the issuer's name in capitals
// with its address, telephone and website centred on the page, and the double rule
// under them.
func (d *doc) letterhead() {
	id := d.rel.Issuer
	const logoH, logoMaxW = 24.0, 32.0
	logoW := 0.0
	if d.logo != nil {
		w, h := d.logo.w, d.logo.h
		logoW = logoH * w / h
		lh := logoH
		if logoW > logoMaxW {
			logoW, lh = logoMaxW, logoMaxW*h/w
		}
		d.f.ImageOptions("logo", marginL, marginT+(logoH-lh)/2, logoW, lh, false, d.logo.opts, 0, "")
	}
	inset := 0.0
	if logoW > 0 {
		inset = logoW + 4 // text centred on the page, clear of the logo on both sides
	}
	x, w := marginL+inset, textW-2*inset

	name := para{size: 15, leading: 1.2, x: x, w: w, align: 'C', colour: navy}
	small := para{size: 9.5, leading: 1.35, x: x, w: w, align: 'C', colour: ink}
	namePieces := plain(strings.ToUpper(id.Name), bold)
	var lines [][]piece
	if id.Address != "" {
		lines = append(lines, plain(id.Address, 0))
	}
	var contact []piece
	if id.Phone != "" {
		contact = append(contact, piece{text: "Telepon " + id.Phone})
	}
	if id.Website != "" {
		if len(contact) > 0 {
			contact = append(contact, piece{text: " · "})
		}
		contact = append(contact, piece{text: "Laman "}, piece{text: shortURL(id.Website), link: d.resolve(id.Website)})
	}
	if len(contact) > 0 {
		lines = append(lines, contact)
	}
	textH := float64(d.countLines(namePieces, name))*name.lineH() + 1
	for _, l := range lines {
		textH += float64(d.countLines(l, small)) * small.lineH()
	}
	headH := textH
	if logoW > 0 {
		headH = max(logoH, textH)
	}
	d.y = marginT + (headH-textH)/2
	d.paragraph(namePieces, name)
	d.space(1)
	for _, l := range lines {
		d.paragraph(l, small)
	}
	d.y = marginT + headH + 2.5
	d.hrule(d.y, 0.8, rule)
	d.hrule(d.y+1.2, 0.25, rule)
	d.y += 7
}

// heading sets SIARAN PERS and its number, the embargo, a hoax clarification's verdict
// and claim, the title, and the dateline.
func (d *doc) heading() {
	center := func(size float64, c rgb) para {
		return para{size: size, leading: 1.3, x: marginL, w: textW, align: 'C', colour: c}
	}
	d.paragraph(plain("SIARAN PERS", bold), center(14, navy))
	if n := strings.TrimSpace(d.rel.Number); n != "" {
		d.paragraph(plain("Nomor: "+n, 0), center(10.5, ink))
	}
	d.space(4)

	if !d.rel.Embargo.IsZero() {
		p := para{size: 10.5, leading: 1.35, x: marginL + 4, w: textW - 8, align: 'C', colour: embargoC}
		msg := plain("EMBARGO: tidak untuk disiarkan sebelum "+d.formatDateTime(d.rel.Embargo), bold)
		h := float64(d.countLines(msg, p))*p.lineH() + 4
		d.need(h)
		d.f.SetDrawColor(embargoC.r, embargoC.g, embargoC.b)
		d.f.SetLineWidth(0.5)
		d.f.Rect(marginL, d.y, textW, h, "D")
		d.space(2)
		d.paragraph(msg, p)
		d.space(2 + 4)
	}

	if h := d.rel.Hoax; h != nil && h.Verdict != "" {
		d.hoaxBox(h)
	}

	// The headline, as on the site and in the posts: a hoax clarification's starts with
	// its verdict, so that a page passed on alone cannot be read as the claim.
	d.paragraph(plain(docTitle(d.rel), bold), center(14, navy))
	d.space(4)
	dateline := d.formatDate(d.rel.Date)
	if pl := d.place(); pl != "" {
		dateline = pl + ", " + dateline
	}
	d.paragraph(plain(dateline, 0), para{size: bodySize, leading: bodyLeading, x: marginL, w: textW, align: 'L', colour: ink})
	d.space(2)
}

// hoaxBox shows a hoax clarification's verdict as a stamp and the claim it answers,
// on a pale red ground with a red rule at the left.
func (d *doc) hoaxBox(h *Hoax) {
	vc := verdictColour(h.Verdict)
	claim := para{size: 10.5, leading: 1.4, x: marginL + 6, w: textW - 10, align: 'L', colour: ink}
	claimPieces := []piece{{text: "Klaim yang beredar: ", st: bold}, {text: h.Claim}}
	const stampSize, stampPad = 12.0, 1.6
	stampH := stampSize*ptMM + 2*stampPad
	boxH := 3 + stampH + 2.5 + float64(d.countLines(claimPieces, claim))*claim.lineH() + 3
	d.need(boxH)
	top := d.y
	d.f.SetFillColor(hoaxBG.r, hoaxBG.g, hoaxBG.b)
	d.f.Rect(marginL, top, textW, boxH, "F")
	d.f.SetFillColor(vc.r, vc.g, vc.b)
	d.f.Rect(marginL, top, 1.6, boxH, "F")
	verdict := d.clean(h.Verdict)
	sw := d.textWidth(verdict, bold, stampSize) + 2*stampPad + 2
	d.f.Rect(marginL+6, top+3, sw, stampH, "F")
	d.textLine(verdict, bold, stampSize, marginL+6, sw, 'C', rgb{0xff, 0xff, 0xff}, top+3+stampPad+stampSize*ptMM*0.78)
	d.y = top + 3 + stampH + 2.5
	d.paragraph(claimPieces, claim)
	d.y = top + boxH + 5
}

// closing sets what follows the body: the image and its caption, a hoax clarification's
// sources, the online address, the contact, and -selesai-.
func (d *doc) closing() {
	if d.photo != nil {
		w, h := d.photo.w, d.photo.h
		const maxH = 95.0
		iw, ih := textW, textW*h/w
		if ih > maxH {
			iw, ih = maxH*w/h, maxH
		}
		caption := para{size: 9.5, leading: 1.35, x: marginL + 10, w: textW - 20, align: 'C', colour: grey}
		capPieces := plain(d.rel.ImageAlt, italic)
		capH := 0.0
		if strings.TrimSpace(d.rel.ImageAlt) != "" {
			capH = float64(d.countLines(capPieces, caption))*caption.lineH() + 1.5
		}
		d.need(ih + capH + 2)
		d.space(1)
		d.f.ImageOptions("photo", marginL+(textW-iw)/2, d.y, iw, ih, false, d.photo.opts, 0, "")
		d.y += ih + 1.5
		if capH > 0 {
			d.paragraph(capPieces, caption)
		}
		d.space(paraGap + 1)
	}

	if h := d.rel.Hoax; h != nil && len(h.Sources) > 0 {
		lead := para{size: bodySize, leading: bodyLeading, x: marginL, w: textW, align: 'L', colour: ink}
		d.need(3 * lead.lineH())
		d.paragraph(plain("Sumber resmi:", bold), lead)
		item := para{size: bodySize, leading: bodyLeading, x: marginL + 7, w: textW - 7, align: 'L', colour: ink}
		for _, s := range h.Sources {
			d.marker = func(base float64) { d.textLine("•", 0, bodySize, marginL, 5, 'R', ink, base) }
			d.paragraph([]piece{{text: shortURL(s), link: d.resolve(s)}}, item)
		}
		d.space(paraGap)
	}

	if u := d.resolve(d.rel.URL); u != "" {
		d.paragraph([]piece{{text: "Versi daring: "}, {text: u, link: u}},
			para{size: bodySize, leading: bodyLeading, x: marginL, w: textW, align: 'L', colour: ink})
		d.space(paraGap)
	}

	// The contact and the end mark stay together, on the last page.
	small := para{size: 10.5, leading: 1.4, x: marginL, w: textW, align: 'L', colour: ink}
	var contact [][]piece
	if c := d.rel.Contact; c != nil {
		contact = append(contact, plain("Narahubung:", bold))
		who := c.Name
		if c.Role != "" {
			who += ", " + c.Role
		}
		contact = append(contact, plain(who, 0))
		var reach []piece
		if c.Phone != "" {
			reach = append(reach, piece{text: "Telepon " + c.Phone})
		}
		if c.Email != "" {
			if len(reach) > 0 {
				reach = append(reach, piece{text: " · "})
			}
			reach = append(reach, piece{text: "Surel "}, piece{text: c.Email, link: "mailto:" + c.Email})
		}
		if len(reach) > 0 {
			contact = append(contact, reach)
		}
	}
	h := 12 + small.lineH()
	for _, l := range contact {
		h += float64(d.countLines(l, small)) * small.lineH()
	}
	d.space(2)
	d.need(h)
	for _, l := range contact {
		d.paragraph(l, small)
	}
	d.space(6)
	d.paragraph(plain("-selesai-", bold), para{size: bodySize, leading: 1.3, x: marginL, w: textW, align: 'C', colour: ink})
}

// footers write, on every page, the issuer and number at the left and the page count at
// the right: a page that comes loose from the others still says what it belongs to.
func (d *doc) footers() {
	n := d.f.PageCount()
	left := d.rel.Issuer.Name + " · Siaran Pers"
	if d.rel.Number != "" {
		left += " " + d.rel.Number
	}
	base := pageH - 10
	for i := 1; i <= n; i++ {
		d.f.SetPage(i)
		d.f.SetDrawColor(0xc8, 0xd0, 0xda)
		d.f.SetLineWidth(0.2)
		d.f.Line(marginL, base-4, pageW-marginR, base-4)
		d.textLine(left, 0, 8, marginL, textW, 'L', grey, base)
		d.textLine(fmt.Sprintf("Halaman %d dari %d", i, n), 0, 8, marginL, textW, 'R', grey, base)
	}
}
