package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/idtime"
)

// PDFName is the attachment's file name, as the site serves the same document.
const PDFName = "siaran-pers.pdf"

// Letter is everything one message is made of, for one recipient.
type Letter struct {
	From    *mail.Address
	To      publish.Recipient
	ID      string // the Message-ID, without angle brackets
	Subject string // as composed (templates/posts/email.tmpl), before the embargo mark
	Link    string // the article
	// Partner names the issuer when an institution other than the issuer sends it
	// to its own list: "KPU Kota Balikpapan" gives "Sumber: KPU Kota Balikpapan".
	Partner string
	Doc     *publish.Document
	Date    time.Time // the Date header
}

// NewLetter is the message post p makes, sent by account from the address from
// to one recipient, with Message-ID id, dated date. Every message is made here:
// the one sent (Client.Deliver) and the one the preview shows (Platform.Letter).
func NewLetter(account string, from *mail.Address, p publish.Post, to publish.Recipient, id string, date time.Time) Letter {
	l := Letter{From: from, To: to, ID: id, Subject: p.Text, Link: p.Link, Doc: p.Document, Date: date}
	// A partner sends the issuer's release to its own list, crediting the issuer.
	if d := p.Document; d != nil && d.IssuerKey != "" && d.IssuerKey != account {
		l.Partner = d.Issuer
	}
	return l
}

// EmbargoLine is what a message says, in its subject and at its top, while the
// release's embargo has not passed: "EMBARGO: tidak untuk disiarkan sebelum Rabu,
// 9 Juni 2021 pukul 10.00 WITA".
func EmbargoLine(t time.Time, loc *time.Location) string {
	return "EMBARGO: tidak untuk disiarkan sebelum " + idtime.In(loc).DateTime(t)
}

// SubjectOf is the subject line: the composed subject, marked EMBARGO first when
// the embargo still holds, so a journalist sees it before opening the message.
func (l Letter) SubjectOf() string {
	s := strings.Join(strings.Fields(l.Subject), " ")
	if l.Doc != nil && !l.Doc.Embargo.IsZero() {
		s = "[" + EmbargoLine(l.Doc.Embargo, l.Doc.Location) + "] " + s
	}
	return s
}

// view is what the two body templates see.
type view struct {
	Embargo  string
	Greeting string
	Number   string
	Headline string
	Dateline string
	Text     string
	HTML     template.HTML
	Link     string
	Contact  *publish.Contact
	Source   string
	Hoax     *publish.Hoax
	PDF      bool
}

func (l Letter) view() view {
	d := l.Doc
	if d == nil {
		d = &publish.Document{}
	}
	v := view{Number: d.Number, Headline: d.Headline, Text: PlainText(d.Markdown), HTML: template.HTML(d.HTML), Link: l.Link, Contact: d.Contact, Hoax: d.Hoax, PDF: d.PDF != nil}
	if !d.Embargo.IsZero() {
		v.Embargo = EmbargoLine(d.Embargo, d.Location)
	}
	if !d.Date.IsZero() {
		v.Dateline = idtime.In(d.Location).Date(d.Date)
	}
	if v.Headline == "" {
		v.Headline = strings.TrimPrefix(l.Subject, "SIARAN PERS: ")
	}
	switch {
	case l.To.Name != "" && l.To.Outlet != "":
		v.Greeting = "Yth. " + l.To.Name + " (" + l.To.Outlet + ")"
	case l.To.Name != "":
		v.Greeting = "Yth. " + l.To.Name
	case l.To.Outlet != "":
		v.Greeting = "Yth. Redaksi " + l.To.Outlet
	}
	if l.Partner != "" {
		v.Source = "Sumber: " + l.Partner
	}
	return v
}

// The bodies are fixed by what the press expects of an official release (SPEC
// section 9): the embargo first, then the release as the PDF has it, the link,
// the contact and the end mark.
var textBody = texttemplate.Must(texttemplate.New("text").Parse(`{{with .Embargo}}{{.}}

{{end}}{{with .Greeting}}{{.}}

{{end}}SIARAN PERS{{with .Number}}
Nomor: {{.}}{{end}}

{{.Headline}}
{{with .Dateline}}{{.}}
{{end}}{{with .Source}}{{.}}
{{end}}{{with .Hoax}}
Klaim yang beredar: {{.Claim}}
Faktanya: klaim tersebut {{.Verdict}}.
{{end}}
{{.Text}}
{{with .Hoax}}{{with .Sources}}
Sumber resmi:{{range .}}
- {{.}}{{end}}
{{end}}{{end}}
Selengkapnya: {{.Link}}
{{with .Contact}}
Narahubung:
{{.Name}}{{with .Role}}, {{.}}{{end}}{{with .Phone}}
Telp. {{.}}{{end}}{{with .Email}}
{{.}}{{end}}
{{end}}
-selesai-
{{if .PDF}}
Siaran pers resmi terlampir (PDF).
{{end}}`))

var htmlBody = template.Must(template.New("html").Parse(`<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><title>{{.Headline}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; max-width: 42em">
{{with .Embargo}}<p style="border: 2px solid #b00; padding: .5em; color: #b00; font-weight: bold">{{.}}</p>
{{end}}{{with .Greeting}}<p>{{.}}</p>
{{end}}<p style="font-weight: bold; letter-spacing: .1em; margin-bottom: 0">SIARAN PERS</p>
{{with .Number}}<p style="margin-top: 0">Nomor: {{.}}</p>
{{end}}<h1 style="font-size: 1.4em">{{.Headline}}</h1>
{{with .Dateline}}<p>{{.}}</p>
{{end}}{{with .Source}}<p><em>{{.}}</em></p>
{{end}}{{with .Hoax}}<div style="border-left: 4px solid #8a0b0b; padding: .25em 1em; margin: 1em 0">
<p><strong>Klaim yang beredar:</strong> {{.Claim}}</p>
<p><strong>Faktanya:</strong> klaim tersebut <strong>{{.Verdict}}</strong>.</p>
</div>
{{end}}{{.HTML}}
{{with .Hoax}}{{with .Sources}}<p><strong>Sumber resmi:</strong></p>
<ul>{{range .}}<li><a href="{{.}}">{{.}}</a></li>{{end}}</ul>
{{end}}{{end}}<p>Selengkapnya: <a href="{{.Link}}">{{.Link}}</a></p>
{{with .Contact}}<p><strong>Narahubung:</strong><br>
{{.Name}}{{with .Role}}, {{.}}{{end}}{{with .Phone}}<br>
Telp. {{.}}{{end}}{{with .Email}}<br>
<a href="mailto:{{.}}">{{.}}</a>{{end}}</p>
{{end}}<p style="text-align: center">-selesai-</p>
{{if .PDF}}<p>Siaran pers resmi terlampir (PDF).</p>
{{end}}</body>
</html>
`))

// Bodies are the plain-text and HTML parts of l.
func (l Letter) Bodies() (text, html string, err error) {
	v := l.view()
	var tb, hb bytes.Buffer
	if err := textBody.Execute(&tb, v); err != nil {
		return "", "", err
	}
	if err := htmlBody.Execute(&hb, v); err != nil {
		return "", "", err
	}
	return tb.String(), hb.String(), nil
}

// Msg builds the message: to the one recipient (never a list, never Bcc), from
// the account, with the stable Message-ID, plain text and HTML as alternatives,
// and the PDF attached when there is one.
func (l Letter) Msg() (*gomail.Msg, error) {
	text, html, err := l.Bodies()
	if err != nil {
		return nil, err
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(l.From)
	to := &mail.Address{Name: l.To.Name, Address: l.To.Address}
	m.ToMailAddress(to)
	m.SetMessageIDWithValue(l.ID)
	m.Subject(l.SubjectOf())
	m.SetDateWithValue(l.Date)
	m.SetUserAgent("humas")
	m.SetGenHeader(gomail.HeaderContentLang, "id")
	m.SetBodyString(gomail.TypeTextPlain, text)
	m.AddAlternativeString(gomail.TypeTextHTML, html)
	files, err := l.Attachments()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		m.AttachReadSeeker(f.Name, bytes.NewReader(f.Data), gomail.WithFileContentType(gomail.ContentType(f.Type)))
	}
	return m, nil
}

// Attachments are the files l carries: the release PDF, when there is one.
func (l Letter) Attachments() ([]publish.Attachment, error) {
	if l.Doc == nil || l.Doc.PDF == nil {
		return nil, nil
	}
	pdf, err := l.Doc.PDF()
	if err != nil {
		return nil, fmt.Errorf("the release PDF: %w", err)
	}
	return []publish.Attachment{{Name: PDFName, Type: "application/pdf", Data: pdf}}, nil
}

var atomRE = regexp.MustCompile(`[^a-z0-9-]+`)

// MessageID is the Message-ID of release id's message from account to address,
// at domain (the site's): "2021-06-09-kpu-diskominfo-tangkal-hoaks.kpu.5f0c…@humas.balikpapan.go.id".
// id is the release's stable identity (publish.Document.ID, its ledger record's),
// which a renamed file or slug keeps, and which no later release takes over.
// It depends on nothing else, so the message sent again after an interrupted run
// is the same message to the recipient's mail program, which shows it once. Two
// lists that both hold a journalist send two messages: each institution's is its
// own. The address is hashed, so the id tells nothing of who else was sent it.
func MessageID(id, account, address, domain string) string {
	sum := sha256.Sum256([]byte(id + "\x00" + account + "\x00" + strings.ToLower(address)))
	slug := strings.Trim(atomRE.ReplaceAllString(strings.ToLower(id), "-"), "-")
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "siaran-pers"
	}
	acc := strings.Trim(atomRE.ReplaceAllString(strings.ToLower(account), "-"), "-")
	return fmt.Sprintf("%s.%s.%s@%s", slug, acc, hex.EncodeToString(sum[:12]), domain)
}

// Domain is the host of the article's address: Message-IDs are the site's.
func Domain(link string) string {
	if u, err := url.Parse(link); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return "humas.invalid"
}
