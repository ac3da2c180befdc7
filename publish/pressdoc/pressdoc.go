// Package pressdoc writes the official release as a PDF (siaran-pers.pdf, A4): the
// issuer's letterhead (kop surat), SIARAN PERS and its number, the embargo line, the
// title and dateline, the Markdown body, the image with its caption, the contact
// (narahubung) and the end mark -selesai-.
//
// It takes plain data, not the project, and draws with go-pdf/fpdf and the embedded
// Liberation Sans, subset into the file: no browser, and the same release always gives
// the same bytes, so a build can cache the PDF by content. The text is real text in
// reading order (selectable, searchable, read aloud); the document carries its title and
// its language. It is not a tagged PDF: fpdf cannot write a structure tree.
package pressdoc

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/balikpapan/humas/publish/idtime"
)

// Identity is who issues the release, as the letterhead shows it (SPEC section 9).
type Identity struct {
	Name    string // "KPU Kota Balikpapan"
	Address string // "Jl. Jenderal Sudirman No. 1, Balikpapan"
	Phone   string // "+62 542 000000"
	Website string // "https://kota-balikpapan.kpu.go.id"
	Logo    []byte // PNG or JPEG; nil: a letterhead of text alone
}

// Contact is the person journalists call about the release.
type Contact struct {
	Name, Role, Phone, Email string
}

// Hoax is what a hoax clarification answers.
type Hoax struct {
	Claim   string
	Verdict string // HOAKS, DISINFORMASI, MISINFORMASI or SATIRE
	Sources []string
}

// Release is what the PDF says.
type Release struct {
	Issuer Identity
	Title  string // as written, without the "[HOAKS]" prefix: the verdict has its own box
	Number string // "012/HM/KPU-BPP/VI/2021"; empty leaves the number line out
	Date   time.Time
	// Embargo is when the release may first be broadcast; zero when it may at once.
	Embargo time.Time
	// Location is the zone dates are shown in (the site's: WITA); nil shows each time in
	// its own zone.
	Location *time.Location
	// Place starts the dateline ("Balikpapan, Rabu, 9 Juni 2021"); empty takes the town
	// from the issuer's address: its last part after a comma, without a postal code or
	// a leading "Kota".
	Place    string
	Body     []byte // Markdown: CommonMark and GFM, as on the site
	Image    []byte // the release's image (JPEG, PNG, GIF or WebP); nil when none
	ImageAlt string // the image's description, printed as its caption
	Contact  *Contact
	Hoax     *Hoax
	URL      string // the article's address, printed at the end and resolving relative links
	Language string // BCP 47; empty means "id"
}

// Page geometry, in millimetres: A4 with the margins of an Indonesian official letter
// (wider on the left, where it is bound or punched).
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 25.0
	marginR      = 20.0
	marginT      = 14.0
	marginB      = 20.0
	textW        = pageW - marginL - marginR
)

// Render writes the release as a PDF.
func Render(rel Release) ([]byte, error) {
	if strings.TrimSpace(rel.Title) == "" {
		return nil, fmt.Errorf("pressdoc: the title is empty")
	}
	if strings.TrimSpace(rel.Issuer.Name) == "" {
		return nil, fmt.Errorf("pressdoc: the issuer has no name")
	}
	d, err := newDoc(rel)
	if err != nil {
		return nil, err
	}
	d.letterhead()
	d.heading()
	d.body(rel.Body)
	d.closing()
	d.footers()
	return d.output()
}

// newDoc sets up the document: metadata fixed from the release so that the bytes are too.
func newDoc(rel Release) (*doc, error) {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	f.SetAutoPageBreak(false, 0) // the layout breaks pages itself, line by line
	f.SetMargins(marginL, marginT, marginR)
	f.SetCatalogSort(true)
	// fpdf writes the date without its offset, which readers take for UTC: give it UTC.
	f.SetCreationDate(rel.Date.UTC())
	f.SetModificationDate(rel.Date.UTC())
	f.SetTitle(docTitle(rel), true)
	f.SetAuthor(rel.Issuer.Name, true)
	subject := "Siaran Pers"
	if rel.Number != "" {
		subject += " Nomor " + rel.Number
	}
	f.SetSubject(subject, true)
	f.SetCreator("humas", true)
	f.SetProducer("humas (go-pdf/fpdf)", true)
	lang := rel.Language
	if lang == "" {
		lang = "id"
	}
	f.SetLang(lang)
	d := &doc{f: f, rel: rel, y: marginT}
	if err := d.loadMetrics(); err != nil {
		return nil, err
	}
	var err error
	if len(rel.Issuer.Logo) > 0 {
		if d.logo, err = d.register("logo", rel.Issuer.Logo); err != nil {
			return nil, fmt.Errorf("pressdoc: logo: %w", err)
		}
	}
	if len(rel.Image) > 0 {
		if d.photo, err = d.register("photo", rel.Image); err != nil {
			return nil, fmt.Errorf("pressdoc: image: %w", err)
		}
	}
	f.AddPage()
	return d, nil
}

// docTitle is what a PDF viewer shows in its title bar: the headline readers know.
func docTitle(rel Release) string {
	t := strings.Join(strings.Fields(rel.Title), " ")
	if rel.Hoax != nil && rel.Hoax.Verdict != "" {
		t = "[" + rel.Hoax.Verdict + "] " + t
	}
	return t
}

func (d *doc) formatDate(t time.Time) string {
	if d.rel.Location != nil {
		return idtime.In(d.rel.Location).Date(t)
	}
	return idtime.Date(t)
}

func (d *doc) formatDateTime(t time.Time) string {
	if d.rel.Location != nil {
		return idtime.In(d.rel.Location).DateTime(t)
	}
	return idtime.DateTime(t)
}

// place is the dateline's town.
func (d *doc) place() string {
	if p := strings.TrimSpace(d.rel.Place); p != "" {
		return p
	}
	a := d.rel.Issuer.Address
	i := strings.LastIndexByte(a, ',')
	if i < 0 {
		return ""
	}
	words := strings.Fields(a[i+1:])
	for len(words) > 0 && strings.Trim(words[len(words)-1], "0123456789") == "" {
		words = words[:len(words)-1] // a postal code
	}
	if len(words) > 1 && strings.EqualFold(words[0], "Kota") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

func (d *doc) output() ([]byte, error) {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, fmt.Errorf("pressdoc: %w", err)
	}
	return tagSubsets(b.Bytes()), nil
}
