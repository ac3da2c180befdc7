// Package preview renders one self-contained HTML page that shows a release as its
// article on the site, as every post it becomes and as the message the press
// receives, with what to fix before it goes out.
package preview

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/card"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/projfile"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/share"
	"github.com/balikpapan/humas/publish/site"
	"github.com/balikpapan/humas/publish/xtext"
)

// Options change what a preview says.
type Options struct {
	// Getenv is asked which credentials are set; only names are shown, never values.
	Getenv publish.Getenv
	// Now decides whether the embargo and a blackout still hold; zero means time.Now().
	Now time.Time
	// Links are where the release was already cross-posted (from the ledger).
	Links []site.Link
	// Only and Accounts narrow the mock-ups to these platforms and accounts.
	Only, Accounts []string
	// Diagnostics are the release's errors and warnings as check finds them
	// (usecase.Check): the page lists them first, after what holds it back.
	Diagnostics release.Diagnostics
}

// Report is what the top of the page says, for the terminal to say it too.
type Report struct {
	Holds       []hold.Hold         // what keeps the posts back, every reason
	Diagnostics release.Diagnostics // Options.Diagnostics
	Warnings    []Warning           // the preview's own
}

// Warning is one thing the preview itself finds a press officer should know:
// credentials not set (one line for every target), a picture without alt text.
type Warning struct {
	Kind string // "alt", "credentials"
	Text string // Indonesian, for the page
	Hint string
}

// Render writes the preview page of r to w and returns what its top says. The page
// loads nothing from the network: styles are inline and images are data: URIs.
func Render(w io.Writer, p *project.Project, r *release.Release, opts Options) (Report, error) {
	if r.Classification == release.Dikecualikan {
		// The parser refuses these already; a caller that skipped it must not get a page.
		return Report{}, fmt.Errorf("%s: classification: dikecualikan releases are never previewed", r.File)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	targets, err := compose.Compose(p, r)
	if err != nil {
		return Report{}, err
	}
	targets = compose.Filter(targets, opts.Only, opts.Accounts)
	var article bytes.Buffer
	if err := site.RenderArticle(&article, p, r, opts.Links); err != nil {
		return Report{}, err
	}
	images := imageInliner{root: p.Root, release: r, kit: site.PressKit(p), now: opts.Now, logos: site.Logos(p.Config)}
	articlePage := images.inline(article.String())
	og := openGraph(article.String())

	loc := p.Config.Site.Location
	if loc == nil {
		loc = time.Local
	}
	when := idtime.In(loc)
	rep := Report{Holds: holds(p, r, targets, opts.Now), Diagnostics: opts.Diagnostics, Warnings: warnings(p, r, targets, opts)}
	v := &view{
		Headline:  r.Headline(),
		File:      r.File,
		Issuer:    accountName(p, r.Issuer),
		Date:      when.DateTime(r.Date),
		URL:       p.Config.ArticleURL(r.Slug),
		Article:   articlePage,
		Generated: when.DateTime(opts.Now),
	}
	v.report(r, rep)
	// WhatsApp is passed on by hand: the message to copy, and a link that opens it.
	wa, err := share.WhatsApp(p.Config, p.Templates, r)
	if err != nil {
		return Report{}, err
	}
	v.WhatsApp = &whatsAppView{Text: wa, Link: template.URL(share.Link(wa))}
	css, err := fs.ReadFile(p.Templates, "preview/preview.css")
	if err != nil {
		return Report{}, err
	}
	v.CSS = template.CSS(css)
	card := linkCard{Domain: domain(v.URL), Title: og["title"], Description: og["description"]}
	if img := og["image"]; img != "" {
		card.Image = images.dataURI(path.Base(img))
		card.ImageAlt = og["image:alt"]
	}

	// A platform that sends the release to a list of people, one message each (the
	// press, by email), is shown as the message arrives, drawn by the code that
	// sends it from the document publish sends.
	var doc *publish.Document
	issuerPost := map[string]*postView{} // by platform: what a partner's quote shows
	for _, t := range targets {
		if pl, ok := p.Config.Platforms.Lookup(t.Platform); ok && pl.Letter != nil {
			if doc == nil {
				if doc, err = site.Document(p, r, opts.Now); err != nil {
					return Report{}, fmt.Errorf("%s: %w", r.File, err)
				}
			}
			mv, err := newMail(p, pl, t, v.URL, doc, opts.Now)
			if err != nil {
				return Report{}, fmt.Errorf("%s: %w", r.File, err)
			}
			mv.ID = fmt.Sprintf("email-%d", len(v.Mails)+1)
			v.Mails = append(v.Mails, mv)
			continue
		}
		pv := newPost(p, r.Issuer, t, card, images)
		pv.ID = fmt.Sprintf("unggahan-%d", len(v.Posts)+1)
		if t.Issuer {
			issuerPost[t.Platform] = pv
		}
		v.Posts = append(v.Posts, pv)
	}
	for _, pv := range v.Posts {
		if pv.target.Collab {
			// The issuer's post, shown on the partner's profile too.
			if is := issuerPost[pv.Platform]; is != nil {
				pv.Handle = is.Handle + " dan " + pv.Handle
				pv.Author = is.Author
				pv.Initials = is.Initials
			}
			continue
		}
		if !pv.target.Quote {
			continue
		}
		if pv.QuoteLink != "" {
			// The quote is a link in the text (Telegram); the post is drawn whole.
			if issuerPost[pv.Platform] == nil {
				pv.QuoteLink = ""
				pv.Role = "Unggahan mitra (penerbit tidak punya akun " + pv.PlatformName + " untuk ditautkan)"
				pv.Segments = segments(pv.target.Fallback, pv.look)
				pv.Meter = newMeter(pv.target.FallbackLength, pv.target.Limit)
				pv.Fallback = ""
			}
			continue
		}
		if quoted := issuerPost[pv.Platform]; quoted != nil {
			pv.Quoted = quoted
			pv.Card = nil
			pv.Image = nil
		} else {
			// Nothing to quote: the pipeline posts the fallback, a full post that
			// credits the issuer.
			pv.Role = "Unggahan mitra (penerbit tidak punya akun " + pv.PlatformName + " untuk dikutip)"
			pv.Segments = segments(pv.target.Fallback, pv.look)
			pv.Meter = newMeter(pv.target.FallbackLength, pv.target.Limit)
			pv.Fallback = ""
		}
	}
	if err := writePage(w, p.Templates, v); err != nil {
		return Report{}, err
	}
	return rep, nil
}

func writePage(w io.Writer, templates fs.FS, v *view) error {
	tmpl, err := template.New("preview.html").Funcs(funcs).ParseFS(templates, "preview/preview.html")
	if err != nil {
		return err
	}
	return tmpl.Execute(w, v)
}

func accountName(p *project.Project, key string) string {
	if a, ok := p.Config.Account(key); ok && a.Name != "" {
		return a.Name
	}
	return key
}

// view is what templates/preview/preview.html sees.
type view struct {
	Headline, File, Issuer, Date, URL string
	Article                           string // the full article page, for the iframe's srcdoc
	// What leads the page: holds, then errors, then warnings.
	Holds, Errors, Warnings []notice
	Posts                   []*postView
	// Mails are the messages to the press, one per account's list.
	Mails []*mailView
	// WhatsApp is the release as a message people pass on (humas share --whatsapp).
	WhatsApp  *whatsAppView
	Generated string
	CSS       template.CSS
}

type whatsAppView struct {
	Text string
	Link template.URL // https://wa.me/?text=…
}

// notice is one line of the page's report.
type notice struct {
	Kind  string // a hold's reason, "error", or a warning's kind: the line's class
	Where string // "releases/x.md:5", "" when it is about no line
	Text  string
	Hint  string
}

// Clear reports whether the page has nothing to report.
func (v *view) Clear() bool { return len(v.Holds)+len(v.Errors)+len(v.Warnings) == 0 }

// report fills the page's top from rep: holds (in the page's language) at the
// line of their field, then errors and warnings as check prints them.
func (v *view) report(r *release.Release, rep Report) {
	for _, h := range rep.Holds {
		n := notice{Kind: string(h.Reason), Text: h.Teks, Hint: h.Hint}
		if h.Field != "" {
			n.Where = fmt.Sprintf("%s:%d", r.File, r.Line(h.Field))
		}
		v.Holds = append(v.Holds, n)
	}
	for _, d := range rep.Diagnostics {
		n := notice{Kind: "error", Where: d.Position(), Text: d.Text(), Hint: d.Hint}
		if d.Warning {
			n.Kind = "warning"
			v.Warnings = append(v.Warnings, n)
			continue
		}
		v.Errors = append(v.Errors, n)
	}
	for _, w := range rep.Warnings {
		v.Warnings = append(v.Warnings, notice{Kind: w.Kind, Text: w.Text, Hint: w.Hint})
	}
}

// postView is the mock-up of one post.
type postView struct {
	target       compose.Target
	look         platform.Look
	Logo         string
	ID           string
	Platform     string // "x", "facebook"
	PlatformName string
	AccountName  string
	Author       string // the name over the post: the account's, or the issuer's on a Collab post
	Handle       string // "@kpubalikpapan", or the Facebook page's kind
	Initials     string
	Role         string
	Segments     []segment
	Meter        meter
	Image        *imageView
	Card         *linkCard
	Quoted       *postView
	Fallback     string
	// QuoteLink is the link to the issuer's post that the adapter adds on the
	// line after a partner's text (Telegram), its number not known until then.
	QuoteLink string
	// PictureFirst and PlainLinks are the platform's Look.
	PictureFirst, PlainLinks bool
}

type imageView struct {
	Src   template.URL
	Alt   string
	Badge bool // the platform shows alt text behind an ALT badge
	NoAlt bool // the platform keeps no alt text: say so instead of showing it
	// Made says the picture is drawn by the build: "card" or "rendition".
	Made string
}

// linkCard is the preview a platform builds from the article's Open Graph tags.
type linkCard struct {
	Domain, Title, Description string
	Image                      template.URL
	ImageAlt                   string
}

type meter struct {
	Length, Limit int
	Over          bool
	Percent       int
}

func newMeter(length, limit int) meter {
	m := meter{Length: length, Limit: limit, Over: limit > 0 && length > limit}
	if limit > 0 {
		m.Percent = min(100, length*100/limit)
	}
	return m
}

// newPost is the mock-up of t, a target of a release by issuer.
func newPost(p *project.Project, issuer string, t compose.Target, card linkCard, images imageInliner) *postView {
	var look platform.Look
	if pl, ok := p.Config.Platforms.Lookup(t.Platform); ok {
		look = pl.Look
	}
	pv := &postView{
		target:       t,
		look:         look,
		Logo:         look.Logo,
		Platform:     t.Platform,
		PlatformName: p.Config.Platforms.DisplayName(t.Platform),
		AccountName:  t.AccountName,
		Initials:     initials(t.AccountName),
		Segments:     segments(t.Text, look),
		Meter:        newMeter(t.Length, t.Limit),
		PictureFirst: look.PictureFirst,
		PlainLinks:   look.PlainLinks,
	}
	if pv.AccountName == "" {
		pv.AccountName = t.Account
	}
	pv.Author = pv.AccountName
	if a, ok := p.Config.Account(t.Account); ok {
		pa, on := a.On(t.Platform)
		if pl, known := p.Config.Platforms.Lookup(t.Platform); on && known && pl.Handle != nil {
			pv.Handle = pl.Handle(pa)
		}
	}
	pl, _ := p.Config.Platforms.Lookup(t.Platform)
	switch {
	case t.Issuer && len(t.Collaborators) > 0:
		pv.Role = "Unggahan penerbit, mengundang " + strings.Join(t.Collaborators, ", ") + " sebagai kolaborator"
	case t.Issuer:
		pv.Role = "Unggahan penerbit"
	case t.Collab:
		pv.Role = "Diundang sebagai kolaborator pada unggahan penerbit: terima undangan di aplikasi " + pv.PlatformName
	case t.Quote && pl != nil && pl.QuoteLink != nil:
		pv.Role = "Menautkan unggahan penerbit di " + pv.PlatformName + ", menyebut sumber"
		pv.Fallback = t.Fallback
		if a, ok := p.Config.Account(issuer); ok {
			if pa, on := a.On(t.Platform); on {
				pv.QuoteLink = pl.QuoteLink(pa, "…")
			}
		}
	case t.Quote:
		pv.Role = "Mengutip unggahan penerbit di " + pv.PlatformName
		pv.Fallback = t.Fallback
	default:
		pv.Role = "Unggahan mitra, menyebut sumber"
	}
	// With a picture attached, the platforms show the picture, not the link card;
	// where links are plain text, there is no card at all.
	switch {
	case t.Image != nil:
		pv.Image = &imageView{Src: images.of(t.Image), Alt: t.Image.Alt, Badge: look.AltBadge, NoAlt: look.NoAlt, Made: t.Image.Made}
	case !look.PlainLinks:
		if !look.CardDescription {
			card.Description = ""
		}
		pv.Card = &card
	}
	return pv
}

// mailView is one account's message to its press list, as a mail program shows it.
type mailView struct {
	ID                    string
	Logo, PlatformName    string
	AccountName           string
	Role                  string
	FromName, FromAddress string
	// Count is how many are on List; To is the one the message is drawn for.
	Count int
	List  string
	To    publish.Recipient
	// ListProblems: the list cannot be used as it is (the page's errors say why),
	// and nobody is sent the release until it is corrected.
	ListProblems int
	Subject      string
	Body         string // the HTML part, whole, for the iframe's srcdoc
	Text         string // the plain-text part
	Attachments  []attachmentView
}

// attachmentView is a file a message carries, as a link that saves it.
type attachmentView struct {
	Name, Type, Size string
	Href             template.URL // a data: URI: the page loads nothing from elsewhere
}

// newMail is the message t's account sends each person on its list, drawn by the
// platform (Platform.Letter) as it sends it: the post the pipeline makes of t
// (its text, its link, else the article's address) and the release doc.
func newMail(p *project.Project, pl *platform.Platform, t compose.Target, article string, doc *publish.Document, now time.Time) (*mailView, error) {
	a, ok := p.Config.Account(t.Account)
	if !ok {
		return nil, fmt.Errorf("no account %q", t.Account)
	}
	pa, _ := a.On(t.Platform)
	link := article
	if t.Link != "" {
		link = t.Link
	}
	l, problems, err := pl.Letter(p.Root, pa, publish.Post{Text: t.Text, Link: link, Document: doc}, now)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", t.Account, t.Platform, err)
	}
	mv := &mailView{
		Logo: pl.Look.Logo, PlatformName: p.Config.Platforms.DisplayName(t.Platform), AccountName: t.AccountName,
		FromName: l.FromName, FromAddress: l.FromAddress, Count: l.Count, List: l.List, To: l.To,
		ListProblems: len(problems), Subject: l.Subject, Body: l.HTML, Text: l.Text,
	}
	if mv.AccountName == "" {
		mv.AccountName = t.Account
	}
	mv.Role = "Dikirim humas lewat server surat kantor: satu pesan per wartawan di daftar pers"
	if !t.Issuer {
		mv.Role = "Dikirim ke daftar pers mitra, menyebut sumber"
	}
	if !doc.Embargo.IsZero() {
		// The press may have it before the embargo (what else holds it back, the
		// top of the page says).
		mv.Role += "; selama embargo berlaku, bertanda EMBARGO: pers boleh menerimanya lebih dulu, situs dan media sosial menunggu"
	}
	for _, f := range l.Attachments {
		mv.Attachments = append(mv.Attachments, attachmentView{Name: f.Name, Type: f.Type, Size: size(len(f.Data)),
			Href: template.URL("data:" + f.Type + ";base64," + base64.StdEncoding.EncodeToString(f.Data))})
	}
	return mv, nil
}

// size writes n bytes as a mail program does: "48 kB".
func size(n int) string {
	if n < 1000 {
		return number(n) + " B"
	}
	return number((n+500)/1000) + " kB"
}

// initials stand in for the account's profile picture: an acronym such as "KPU"
// as it is, otherwise the first letters of the first two words.
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	if first := []rune(words[0]); len(first) <= 4 && strings.ToUpper(words[0]) == words[0] {
		return words[0]
	}
	var b strings.Builder
	for _, w := range words[:min(2, len(words))] {
		b.WriteString(strings.ToUpper(string([]rune(w)[:1])))
	}
	return b.String()
}

func domain(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	return pu.Host
}

// segment is a run of post text: plain, a link, a hashtag or a mention.
type segment struct {
	Kind string // "text", "link", "tag", "mention"
	Text string // as the platform shows it
	Href string // a link's whole URL
}

var tagOrMention = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_&/])([#@][\p{L}\p{N}_]+)`)

// segments splits text into what the platform would link: URLs as X finds them,
// shown as the platform shows them, hashtags and mentions.
func segments(text string, look platform.Look) []segment {
	var out []segment
	rest := text
	for _, u := range xtext.ExtractURLs(text) {
		i := strings.Index(rest, u)
		if i < 0 {
			continue
		}
		out = append(out, words(rest[:i])...)
		if look.PlainLinks {
			out = append(out, segment{Kind: "text", Text: u})
		} else {
			out = append(out, segment{Kind: "link", Text: DisplayURL(u, look), Href: u})
		}
		rest = rest[i+len(u):]
	}
	return append(out, words(rest)...)
}

// DisplayURL is u as a platform with look shows it in a post: on X without
// https:// and www., cut after look.LinkChars characters with "…".
func DisplayURL(u string, look platform.Look) string {
	if look.LinkChars <= 0 {
		return u
	}
	d := u
	for _, prefix := range []string{"https://", "http://", "HTTPS://", "HTTP://"} {
		d = strings.TrimPrefix(d, prefix)
	}
	d = strings.TrimPrefix(d, "www.")
	if r := []rune(d); len(r) > look.LinkChars {
		d = string(r[:look.LinkChars]) + "…"
	}
	return d
}

// DisplayText is text as a platform with look shows it: its links as DisplayURL.
func DisplayText(text string, look platform.Look) string {
	var b strings.Builder
	for _, s := range segments(text, look) {
		b.WriteString(s.Text)
	}
	return b.String()
}

// words marks the hashtags and mentions of text with no URL in it.
func words(text string) []segment {
	var out []segment
	last := 0
	for _, m := range tagOrMention.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[2], m[3]
		if text[start] == '#' && !strings.ContainsFunc(text[start+1:end], unicode.IsLetter) {
			continue // "Rapat #1": platforms link no hashtag of digits alone (twitter-text)
		}
		if start > last {
			out = append(out, segment{Kind: "text", Text: text[last:start]})
		}
		kind := "tag"
		if text[start] == '@' {
			kind = "mention"
		}
		out = append(out, segment{Kind: kind, Text: text[start:end]})
		last = end
	}
	if last < len(text) {
		out = append(out, segment{Kind: "text", Text: text[last:]})
	}
	return out
}

var metaTag = regexp.MustCompile(`<meta\s+property="og:([a-z:_]+)"\s+content="([^"]*)"`)

// openGraph reads the og: tags of the rendered article, which is what X and Facebook
// read to build the link card.
func openGraph(page string) map[string]string {
	og := map[string]string{}
	for _, m := range metaTag.FindAllStringSubmatch(page, -1) {
		if _, seen := og[m[1]]; !seen {
			og[m[1]] = html.UnescapeString(m[2])
		}
	}
	return og
}

// imageInliner turns the pictures a page refers to into data: URIs, so the preview
// opens anywhere without the files beside it.
type imageInliner struct {
	root    string
	release *release.Release
	kit     *presskit.Kit
	now     time.Time
	logos   map[string][]byte // site.Logos: the accounts' logos the site writes beside its index
}

// of returns a post's picture as a data: URI: the release's image, or the picture
// the build will write for a platform that fetches it from the site, from the
// press kit the build draws it with (the card; the JPEG rendition of the release's
// image), cached as the build caches it.
func (in imageInliner) of(img *compose.Image) template.URL {
	switch img.Made {
	case compose.MadeCard:
		return in.kitFile(card.CardFile)
	case compose.MadeRendition:
		return in.kitFile(card.RenditionFile)
	}
	return in.file(img.Path)
}

// kitFile is the file called name of the release's press kit as a data: URI.
func (in imageInliner) kitFile(name string) template.URL {
	data, err := in.kit.Bytes(in.release, name, in.now)
	if err != nil {
		return ""
	}
	return dataURI(data)
}

// dataURI is data as a data: URI, its type read from its content.
func dataURI(data []byte) template.URL {
	info, err := media.Inspect(data)
	if err != nil {
		return ""
	}
	return template.URL("data:" + info.MIME() + ";base64," + base64.StdEncoding.EncodeToString(data))
}

// file returns the image at rel (relative to the project root) as a data: URI.
func (in imageInliner) file(rel string) template.URL {
	data, err := projfile.Read(in.root, rel, projfile.Image)
	if err != nil {
		return ""
	}
	// The type comes from the content, never the name: only a real picture is shown.
	return dataURI(data)
}

// dataURI resolves src as the article page does, relative to the article: the
// release's image is copied beside the page, other pictures stay beside the release.
func (in imageInliner) dataURI(src string) template.URL {
	if src == "" || strings.Contains(src, ":") || strings.HasPrefix(src, "/") {
		return ""
	}
	// Pictures the site writes rather than copies from the project: an account's
	// logo beside the index, the og.png card of a release without a picture.
	if name, ok := strings.CutPrefix(src, "../"); ok && in.logos[name] != nil {
		return dataURI(in.logos[name])
	}
	if src == card.OGFile && in.release.Image == "" {
		return in.kitFile(card.OGFile)
	}
	if in.release.Image != "" && src == path.Base(filepath.ToSlash(in.release.Image)) {
		return in.file(in.release.Image)
	}
	return in.file(path.Join(path.Dir(in.release.File), src))
}

var imgSrc = regexp.MustCompile(`(<img\b[^>]*?\ssrc=")([^"]*)(")`)

// inline replaces the article's image addresses by data: URIs.
func (in imageInliner) inline(page string) string {
	return imgSrc.ReplaceAllStringFunc(page, func(m string) string {
		parts := imgSrc.FindStringSubmatch(m)
		// The page writes a file name as a URL path ("Rapat%20KPU.JPG"): the
		// file is the name it stands for.
		src, err := url.PathUnescape(html.UnescapeString(parts[2]))
		if err != nil {
			return m
		}
		uri := in.dataURI(src)
		if uri == "" {
			return m
		}
		return parts[1] + string(uri) + parts[3]
	})
}

// warnings are what the preview itself finds: a picture without alt text, and
// credentials not set, all targets on one line (a pull request's preview runs
// without secrets, and the line must not drown the rest).
func warnings(p *project.Project, r *release.Release, targets []compose.Target, opts Options) []Warning {
	var ws []Warning
	var names, vars []string
	pol := hold.PolicyOf(p.Config)
	for _, t := range targets {
		name := p.Config.Platforms.DisplayName(t.Platform) + " " + t.AccountName
		if t.Image != nil && strings.TrimSpace(t.Image.Alt) == "" {
			ws = append(ws, Warning{Kind: "alt", Text: name + ": gambar tanpa teks alternatif", Hint: "isi image_alt"})
		}
		// An invited partner sends nothing, and a post held for good (the archive, a
		// draft) is never sent: publish skips it whatever the credentials.
		if pl, ok := p.Config.Platforms.Lookup(t.Platform); ok && !t.Collab && !pol.Check(hold.Of(r), opts.Now, pl).Never() {
			if missing := pl.Missing(t.Account, opts.Getenv); len(missing) > 0 {
				names = append(names, name)
				vars = append(vars, missing...)
			}
		}
	}
	if len(names) > 0 {
		ws = append(ws, Warning{Kind: "credentials",
			Text: fmt.Sprintf("Kredensial belum diatur untuk %d target (%s): publish akan gagal di target itu", len(names), strings.Join(names, ", ")),
			Hint: "setel " + strings.Join(vars, ", ") + "; humas doctor memeriksanya"})
	}
	return ws
}

// holds is every hold of r's posts at now (hold.Policy.All), each reason once,
// over the platforms of its targets.
func holds(p *project.Project, r *release.Release, targets []compose.Target, now time.Time) []hold.Hold {
	pol := hold.PolicyOf(p.Config)
	var pls []*platform.Platform
	for _, t := range targets {
		if pl, ok := p.Config.Platforms.Lookup(t.Platform); ok && !slices.Contains(pls, pl) {
			pls = append(pls, pl)
		}
	}
	if len(pls) == 0 {
		pls = append(pls, &platform.Platform{})
	}
	var out []hold.Hold
	seen := map[hold.Reason]bool{}
	for _, pl := range pls {
		for _, h := range pol.All(hold.Of(r), now, pl) {
			if !seen[h.Reason] {
				seen[h.Reason] = true
				out = append(out, h)
			}
		}
	}
	return out
}

// number writes n the Indonesian way: 63.206.
func number(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + number(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

var funcs = template.FuncMap{"number": number}
