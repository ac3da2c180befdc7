package site

import (
	"bytes"
	"time"

	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/internal/fieldhash"
)

// MitraDir is where the "Dari mitra" page lives: base_url + "mitra/".
const MitraDir = "mitra/"

// FromPartner is a partner office's release that our accounts reposted (humas
// repost), as the "Dari mitra" page lists it: it links the partner's own article,
// never a copy of it.
type FromPartner struct {
	Partner, PartnerName string // the partner's key and name in humas.yaml
	Headline             string // the title, "[HOAKS] …" for a hoax clarification
	Summary              string // plain text
	URL                  string // the partner's article
	Date                 time.Time
	// Links are our posts of it, each naming our account.
	Links []Link
}

type mitraView struct {
	Headline, Summary, URL, PartnerName, Date, ISODate string
	Links                                              []linkView
	// Share shares the partner's article, its text naming the partner.
	Share []shareLink
}

// mitraPage is mitra/index.html: the partners' releases we reposted, newest first
// (as Options.FromPartners gives them).
func (b *builder) mitraPage() listPage {
	items := b.opts.FromPartners
	h := fieldhash.New(b.r.sum, "mitra").Int(len(items))
	for _, it := range items {
		h.Str(it.Partner).Str(it.PartnerName).Str(it.Headline).Str(it.Summary).Str(it.URL).Time(it.Date).Int(len(it.Links))
		for _, l := range it.Links {
			h.Str(l.Account).Str(l.AccountName).Str(l.Platform).Str(l.URL)
		}
	}
	return listPage{path: MitraDir + "index.html", hash: h.Sum(), render: func(buf *bytes.Buffer) error {
		d := b.page("Dari mitra", "Siaran pers kantor mitra yang dibagikan ulang oleh "+b.in.cfg.Site.Title+".", b.in.cfg.Site.BaseURL+MitraDir, "../")
		loc := b.r.location()
		for _, it := range items {
			v := mitraView{Headline: it.Headline, Summary: it.Summary, URL: it.URL, PartnerName: it.PartnerName,
				Date: idtime.Date(it.Date.In(loc)), ISODate: it.Date.In(loc).Format(time.RFC3339),
				Share: shareLinks(it.Headline+" (Sumber: "+it.PartnerName+")", it.URL)}
			for _, l := range it.Links {
				if l.AccountName == "" {
					l.AccountName = b.r.issuerName(l.Account)
				}
				v.Links = append(v.Links, linkView{Link: l, PlatformName: b.in.cfg.Platforms.DisplayName(l.Platform)})
			}
			d.Mitra = append(d.Mitra, v)
		}
		var err error
		if d.Chrome, err = b.r.chrome(b.r.mitra, "../"); err != nil {
			return err
		}
		return b.r.mitra.ExecuteTemplate(buf, "baseof.html", d)
	}}
}
