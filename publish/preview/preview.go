// Package preview renders one self-contained HTML page that shows a release as its
// article on the site and as every post it becomes, with what to fix before it goes out.
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

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/projfile"
	"github.com/balikpapan/humas/publish/release"
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
}

// Warning is one thing a press officer should know before the release goes out.
type Warning struct {
	Kind string // "length", "alt", "embargo", "blackout", "credentials", "draft"
	Text string // Indonesian, for the page and the terminal
}

// Render writes the preview page of r to w and returns its warnings. The page loads
// nothing from the network: styles are inline and images are data: URIs.
func Render(w io.Writer, p *project.Project, r *release.Release, opts Options) ([]Warning, error) {
	if r.Classification == release.Dikecualikan {
		// The parser refuses these already; a caller that skipped it must not get a page.
		return nil, fmt.Errorf("%s: classification: dikecualikan releases are never previewed", r.File)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	targets, err := compose.Compose(p, r)
	if err != nil {
		return nil, err
	}
	targets = compose.Filter(targets, opts.Only, opts.Accounts)
	var article bytes.Buffer
	if err := site.RenderArticle(&article, p, r, opts.Links); err != nil {
		return nil, err
	}
	images := imageInliner{root: p.Root, release: r}
	articlePage := images.inline(article.String())
	og := openGraph(article.String())

	loc := p.Config.Site.Location
	if loc == nil {
		loc = time.Local
	}
	when := idtime.In(loc)
	v := &view{
		Headline:  r.Headline(),
		File:      r.File,
		Issuer:    accountName(p, r.Issuer),
		Date:      when.DateTime(r.Date),
		URL:       p.Config.ArticleURL(r.Slug),
		Article:   articlePage,
		Warnings:  warnings(p, r, targets, opts, when),
		Generated: when.DateTime(opts.Now),
	}
	css, err := fs.ReadFile(p.Templates, "preview/preview.css")
	if err != nil {
		return nil, err
	}
	v.CSS = template.CSS(css)
	card := &linkCard{Domain: domain(v.URL), Title: og["title"], Description: og["description"]}
	if img := og["image"]; img != "" {
		card.Image = images.dataURI(path.Base(img))
		card.ImageAlt = og["image:alt"]
	}

	issuerPost := map[string]*postView{} // by platform: what a partner's quote shows
	for i, t := range targets {
		pv := newPost(p, t, card, images)
		pv.ID = fmt.Sprintf("unggahan-%d", i+1)
		if t.Issuer {
			issuerPost[t.Platform] = pv
		}
		v.Posts = append(v.Posts, pv)
	}
	for _, pv := range v.Posts {
		if !pv.target.Quote {
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
			pv.Segments = segments(pv.target.Fallback)
			pv.Meter = newMeter(pv.target.FallbackLength, pv.target.Limit)
			pv.Fallback = ""
		}
	}
	if err := writePage(w, p.Templates, v); err != nil {
		return nil, err
	}
	return v.Warnings, nil
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
	Warnings                          []Warning
	Posts                             []*postView
	Generated                         string
	CSS                               template.CSS
}

// postView is the mock-up of one post.
type postView struct {
	target       compose.Target
	ID           string
	Platform     string // "x", "facebook"
	PlatformName string
	AccountName  string
	Handle       string // "@kpubalikpapan", or the Facebook page's kind
	Initials     string
	Role         string
	Segments     []segment
	Meter        meter
	Image        *imageView
	Card         *linkCard
	Quoted       *postView
	Fallback     string
}

type imageView struct {
	Src template.URL
	Alt string
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

func newPost(p *project.Project, t compose.Target, card *linkCard, images imageInliner) *postView {
	pv := &postView{
		target:       t,
		Platform:     t.Platform,
		PlatformName: p.Config.Platforms.DisplayName(t.Platform),
		AccountName:  t.AccountName,
		Initials:     initials(t.AccountName),
		Segments:     segments(t.Text),
		Meter:        newMeter(t.Length, t.Limit),
	}
	if pv.AccountName == "" {
		pv.AccountName = t.Account
	}
	if a, ok := p.Config.Account(t.Account); ok {
		pa, on := a.On(t.Platform)
		if pl, known := p.Config.Platforms.Lookup(t.Platform); on && known && pl.Handle != nil {
			pv.Handle = pl.Handle(pa)
		}
	}
	switch {
	case t.Issuer:
		pv.Role = "Unggahan penerbit"
	case t.Quote:
		pv.Role = "Mengutip unggahan penerbit di " + pv.PlatformName
		pv.Fallback = t.Fallback
	default:
		pv.Role = "Unggahan mitra, menyebut sumber"
	}
	// With a picture attached, X and Facebook show the picture, not the link card.
	if t.Image != nil {
		pv.Image = &imageView{Src: images.file(t.Image.Path), Alt: t.Image.Alt}
	} else {
		pv.Card = card
	}
	return pv
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
	Text string
}

var tagOrMention = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_&/])([#@][\p{L}\p{N}_]+)`)

// segments splits text into what the platform would link: URLs as X finds them,
// hashtags and mentions.
func segments(text string) []segment {
	var out []segment
	rest := text
	for _, u := range xtext.ExtractURLs(text) {
		i := strings.Index(rest, u)
		if i < 0 {
			continue
		}
		out = append(out, words(rest[:i])...)
		out = append(out, segment{"link", u})
		rest = rest[i+len(u):]
	}
	return append(out, words(rest)...)
}

// words marks the hashtags and mentions of text with no URL in it.
func words(text string) []segment {
	var out []segment
	last := 0
	for _, m := range tagOrMention.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[2], m[3]
		if start > last {
			out = append(out, segment{"text", text[last:start]})
		}
		kind := "tag"
		if text[start] == '@' {
			kind = "mention"
		}
		out = append(out, segment{kind, text[start:end]})
		last = end
	}
	if last < len(text) {
		out = append(out, segment{"text", text[last:]})
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
}

// file returns the image at rel (relative to the project root) as a data: URI.
func (in imageInliner) file(rel string) template.URL {
	data, err := projfile.Read(in.root, rel, projfile.Image)
	if err != nil {
		return ""
	}
	// The type comes from the content, never the name: only a real picture is shown.
	info, err := media.Inspect(data)
	if err != nil {
		return ""
	}
	return template.URL("data:" + info.MIME() + ";base64," + base64.StdEncoding.EncodeToString(data))
}

// dataURI resolves src as the article page does, relative to the article: the
// release's image is copied beside the page, other pictures stay beside the release.
func (in imageInliner) dataURI(src string) template.URL {
	if src == "" || strings.Contains(src, ":") || strings.HasPrefix(src, "/") {
		return ""
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
		uri := in.dataURI(html.UnescapeString(parts[2]))
		if uri == "" {
			return m
		}
		return parts[1] + string(uri) + parts[3]
	})
}

func warnings(p *project.Project, r *release.Release, targets []compose.Target, opts Options, when idtime.Formatter) []Warning {
	var ws []Warning
	add := func(kind, format string, args ...any) {
		ws = append(ws, Warning{Kind: kind, Text: fmt.Sprintf(format, args...)})
	}
	for _, h := range holds(p, r, targets, opts.Now) {
		ws = append(ws, Warning{Kind: string(h.Reason), Text: h.Teks})
	}
	for _, t := range targets {
		name := p.Config.Platforms.DisplayName(t.Platform) + " " + t.AccountName
		if t.Limit > 0 && t.Length > t.Limit {
			add("length", "%s: teks %s / %s karakter, %s karakter terlalu panjang", name,
				number(t.Length), number(t.Limit), number(t.Length-t.Limit))
		}
		if t.Quote && t.FallbackLength > t.Limit && t.Limit > 0 {
			add("length", "%s: teks cadangan (bila tidak bisa mengutip) %s / %s karakter", name,
				number(t.FallbackLength), number(t.Limit))
		}
		if t.Image != nil && strings.TrimSpace(t.Image.Alt) == "" {
			add("alt", "%s: gambar tanpa teks alternatif; isi image_alt", name)
		}
		var missing []string
		if pl, ok := p.Config.Platforms.Lookup(t.Platform); ok {
			missing = pl.Missing(t.Account, opts.Getenv)
		}
		if len(missing) > 0 {
			add("credentials", "%s: kredensial belum diatur: %s", name, strings.Join(missing, ", "))
		}
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
