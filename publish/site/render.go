package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	cardimg "github.com/balikpapan/humas/publish/card"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/release"
)

// templateFiles are the site templates, read from the project's overlay so a
// project's templates/site/<name> replaces the embedded one by name.
var templateFiles = []string{"baseof.html", "article.html", "index.html", "tag.html", "tags.html", "mitra.html", "style.css"}

// renderer turns releases into pages. It is built once per build: templates are
// parsed once and every worker shares them (html/template is safe for concurrent
// Execute).
type renderer struct {
	cfg                             *config.Config
	article, index, tag, all, mitra *template.Template
	css                             template.CSS
	sum                             string // hash of the templates and config: a change rebuilds everything
	// fast: the page templates are the embedded ones, which fast.go writes
	// without html/template's reflection.
	fast bool
	// policy decides which releases have a press kit (presskit.For).
	policy hold.Policy
	// logos are the accounts' logos as the site serves them, by account key.
	logos map[string]logoFile
	// kits remembers presskit.For of each release for the build's instant: the
	// record, the page and the build all ask.
	kits sync.Map

	chromeMu sync.Mutex
	chromes  map[chromeKey]chrome
}

// newRenderer parses the site templates of fsys. binary names the humas that
// renders (see binaryIdentity): with the templates and config it keys every page,
// so a page another humas rendered is rendered again.
func newRenderer(cfg *config.Config, fsys fs.FS, binary string) (*renderer, error) {
	src := make(map[string]string, len(templateFiles))
	h := sha256.New()
	fmt.Fprintf(h, "humas-site-v1\x00%d\x00%s", len(binary), binary)
	for _, name := range templateFiles {
		b, err := fs.ReadFile(fsys, path.Join("site", name))
		if err != nil {
			return nil, fmt.Errorf("templates/site/%s: %w", name, err)
		}
		src[name] = string(b)
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	cj, err := json.Marshal(configKey(cfg))
	if err != nil {
		return nil, err
	}
	h.Write(cj)

	base, err := template.New("baseof.html").Parse(src["baseof.html"])
	if err != nil {
		return nil, fmt.Errorf("templates/site/baseof.html: %w", err)
	}
	page := func(name string) (*template.Template, error) {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New(name).Parse(src[name]); err != nil {
			return nil, fmt.Errorf("templates/site/%s: %w", name, err)
		}
		return t, nil
	}
	r := &renderer{cfg: cfg, css: template.CSS(src["style.css"]), sum: hex.EncodeToString(h.Sum(nil)),
		fast: templatesSum(src) == generatedSum, policy: hold.PolicyOf(cfg), logos: logoFiles(cfg)}
	if r.article, err = page("article.html"); err != nil {
		return nil, err
	}
	if r.index, err = page("index.html"); err != nil {
		return nil, err
	}
	if r.tag, err = page("tag.html"); err != nil {
		return nil, err
	}
	if r.all, err = page("tags.html"); err != nil {
		return nil, err
	}
	if r.mitra, err = page("mitra.html"); err != nil {
		return nil, err
	}
	return r, nil
}

// configKey is the part of the config pages depend on, in a form that hashes stably.
func configKey(cfg *config.Config) any {
	type acct struct{ Key, Name, X, Logo, Address, Phone, Website string }
	accts := make([]acct, 0, len(cfg.Accounts))
	for _, a := range cfg.Accounts {
		x := ""
		if xa, ok := a.On("x"); ok {
			x = xa.Get("username")
		}
		id := a.Identity
		logo := ""
		if len(id.LogoData) > 0 {
			sum := sha256.Sum256(id.LogoData)
			logo = hex.EncodeToString(sum[:])
		}
		accts = append(accts, acct{a.Key, a.Name, x, logo, id.Address, id.Phone, id.Website})
	}
	tz := ""
	if cfg.Site.Location != nil {
		tz = cfg.Site.Location.String()
	}
	// Every page's navigation links "Dari mitra" when there are partners.
	partners := len(cfg.Partners) > 0
	return struct {
		Title, BaseURL, Language, TZ string
		Accounts                     []acct
		Partners                     bool
	}{cfg.Site.Title, cfg.Site.BaseURL, cfg.Site.Language, tz, accts, partners}
}

// newMarkdown is one goldmark instance per worker: CommonMark + GFM, raw HTML and
// dangerous link schemes dropped (goldmark's default, never switched to unsafe),
// body headings moved below the page's own h1.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(gfm{}),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{}, 100))),
		goldmark.WithRendererOptions(html.WithWriter(textWriter{html.NewWriter()})),
	)
}

// headingShift turns a body "# Heading" into h2: the release title is the page's h1
// and headings must stay in order.
type headingShift struct{}

func (headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level == 1 {
			h.Level = 2
		}
		return ast.WalkContinue, nil
	})
}

// location is the site's time zone; every date readers see is in it.
func (r *renderer) location() *time.Location {
	if r.cfg.Site.Location != nil {
		return r.cfg.Site.Location
	}
	return time.UTC
}

func (r *renderer) issuerName(key string) string {
	if a, ok := r.cfg.Account(key); ok && a.Name != "" {
		return a.Name
	}
	return key
}

// pageData is what baseof.html sees on every page.
type pageData struct {
	Site        config.Site
	Lang        string // <html lang>: site.language
	Locale      string // og:locale for Lang ("id_ID"), "" when unknown
	Title       string
	Description string
	Canonical   string
	Root        string // relative path from the page to the site root, "./" or "../…"
	CSS         template.CSS
	Chrome      chrome
	// Accounts are the institutions of the site with their identity, for the
	// header and footer.
	Accounts []accountView

	A       *articleView
	Heading string
	Count   int
	Cards   []template.HTML // rendered by the "card" template
	Pager   pager
	Tags    []tagCount
	// Partners: the site has partner offices, and a "Dari mitra" page; Mitra is
	// that page's list.
	Partners bool
	Mitra    []mitraView
}

// chrome is the head links, site header and footer of a page, the same on every
// page at one depth, so each is rendered once per build and depth.
type chrome struct{ Head, Header, Footer template.HTML }

type chromeKey struct {
	t    *template.Template
	root string
}

// chrome renders (once) the head, header and footer templates of t for pages at root.
func (r *renderer) chrome(t *template.Template, root string) (chrome, error) {
	k := chromeKey{t, root}
	r.chromeMu.Lock()
	defer r.chromeMu.Unlock()
	if c, ok := r.chromes[k]; ok {
		return c, nil
	}
	d := &pageData{Site: r.cfg.Site, Root: root, CSS: r.css, Accounts: r.accounts(root), Partners: len(r.cfg.Partners) > 0}
	var c chrome
	for _, part := range []struct {
		name string
		dst  *template.HTML
	}{{"head", &c.Head}, {"header", &c.Header}, {"footer", &c.Footer}} {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, part.name, d); err != nil {
			return chrome{}, err
		}
		*part.dst = template.HTML(b.String())
	}
	if r.chromes == nil {
		r.chromes = map[chromeKey]chrome{}
	}
	r.chromes[k] = c
	return c, nil
}

type articleView struct {
	Headline, Summary, Number, IssuerName, KindLabel string
	Date, ISODate                                    string
	Embargo                                          string // when the page is built before the embargo lifts
	Image                                            *imageView
	ImageURL                                         string
	// OGImage is the picture link previews show: the release's own, else its
	// og.png card; "" when it has neither (the archive). OGImageWidth and
	// OGImageHeight are its size in pixels, "" when not known.
	OGImage, OGImageAlt, OGImageWidth, OGImageHeight string
	// PDF is the address of the release's siaran-pers.pdf, relative to the page.
	PDF string
	// Issuer is the issuing institution as the page's header shows it.
	Issuer *accountView
	// Share are the links that share the article on each platform; CopyURL is
	// what the copy button puts on the clipboard.
	Share                        []shareLink
	CopyURL                      string
	Body                         template.HTML
	Contact                      *release.Contact
	Tel                          template.URL
	Tags                         []tagRef
	Links                        []linkView
	Hoax                         *release.Hoax
	TwitterSite                  string
	NewsArticleLD, ClaimReviewLD template.JS
}

type imageView struct{ Src, Alt string }

// accountView is an institution as the site shows it: its name, logo and
// identity from humas.yaml; empty fields are left out of the page.
type accountView struct {
	Name    string
	Logo    string // the logo's address relative to the page, "" when none
	Address string
	Phone   *phoneView
	Website *linkText
}

type phoneView struct {
	Text string
	Tel  template.URL
}

type linkText struct{ URL, Text string }

// shareLink shares an article on a platform: a plain link to the platform's own
// share page, which loads nothing on the article's page.
type shareLink struct{ Name, URL string }

// logoFile is an account's logo as the site serves it: logo-<key>.png at the
// root, a name no slug can take (slugs have no dot).
type logoFile struct {
	Name string
	Data []byte
}

func logoFiles(cfg *config.Config) map[string]logoFile {
	out := map[string]logoFile{}
	for _, a := range cfg.Accounts {
		data := a.Identity.LogoData
		info, err := media.Inspect(data)
		if len(data) == 0 || err != nil {
			continue
		}
		ext := ".png"
		if info.Format == media.JPEG {
			ext = ".jpg"
		}
		out[a.Key] = logoFile{Name: "logo-" + a.Key + ext, Data: data}
	}
	return out
}

// account is the institution with key as a page at root shows it.
func (r *renderer) account(key, root string) *accountView {
	a, ok := r.cfg.Account(key)
	if !ok {
		return &accountView{Name: key}
	}
	id := a.Identity
	v := &accountView{Name: a.Name, Address: id.Address}
	if v.Name == "" {
		v.Name = key
	}
	if l, ok := r.logos[key]; ok {
		v.Logo = root + l.Name
	}
	if tel := telURL(id.Phone); tel != "" {
		v.Phone = &phoneView{Text: id.Phone, Tel: tel}
	}
	if id.Website != "" {
		v.Website = &linkText{URL: id.Website, Text: shortURL(id.Website)}
	}
	return v
}

// accounts are every institution of the site, as pages at root show them.
func (r *renderer) accounts(root string) []accountView {
	out := make([]accountView, 0, len(r.cfg.Accounts))
	for _, a := range r.cfg.Accounts {
		out = append(out, *r.account(a.Key, root))
	}
	return out
}

// global is what every page of a build with opts depends on: the renderer's sum,
// and whether the kits are placed (LazyKit), so that a folder built one way is
// never taken for one built the other.
func (r *renderer) global(opts Options) string {
	if opts.LazyKit {
		return r.sum + "+lazykit"
	}
	return r.sum
}

// hasKit is presskit.For, once a release: a renderer serves one build, at one
// instant.
func (r *renderer) hasKit(rel *release.Release, now time.Time) bool {
	if v, ok := r.kits.Load(rel); ok {
		return v.(bool)
	}
	on := presskit.For(r.policy, rel, now)
	r.kits.Store(rel, on)
	return on
}

// shortURL is an address as people write it: without the scheme, "www." or the
// final slash.
func shortURL(u string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(strings.TrimPrefix(s, "www."), "/")
}

// shareLinks are the share pages of WhatsApp, Telegram, Facebook and X for the
// article at link, each with the headline where the platform takes a text.
func shareLinks(headline, link string) []shareLink {
	q := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	h, l := q(headline), q(link)
	return []shareLink{
		// https://faq.whatsapp.com/5913398998672934 ("wa.me/?text=" with URL-encoded text)
		{"WhatsApp", "https://wa.me/?text=" + h + "%0A" + l},
		// https://core.telegram.org/widgets/share#custom-buttons
		{"Telegram", "https://t.me/share/url?url=" + l + "&text=" + h},
		// https://developers.facebook.com/docs/plugins/share-button/ (sharer.php?u=)
		{"Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + l},
		// https://developer.x.com/en/docs/x-for-websites/tweet-button/guides/web-intent
		{"X", "https://x.com/intent/tweet?text=" + h + "&url=" + l},
	}
}

type tagRef struct{ Name, Slug string }

type tagCount struct {
	Name, Slug string
	Count      int
}

type linkView struct {
	Link
	PlatformName string
}

type pager struct {
	Number, Total int
	Prev, Next    string
}

// card is a release as list pages and feeds show it.
type card struct {
	Slug, Href, URL, Headline, Summary, IssuerName, Date, ISODate string
	Time                                                          time.Time
	Tags                                                          []string
}

var kindLabels = map[string]string{
	release.SiaranPers:       "Siaran Pers",
	release.Berita:           "Berita",
	release.KlarifikasiHoaks: "Klarifikasi Hoaks",
}

// bodyBuffer holds a worker's rendered Markdown, with the bufio.Writer goldmark
// would otherwise allocate (4 KB) on every Convert of a plain bytes.Buffer.
type bodyBuffer struct {
	buf bytes.Buffer
	w   *bufio.Writer
}

// articleHTML renders the Markdown body with md.
func articleHTML(md goldmark.Markdown, b *bodyBuffer, r *release.Release) (template.HTML, error) {
	b.buf.Reset()
	if b.w == nil {
		b.w = bufio.NewWriter(&b.buf)
	} else {
		b.w.Reset(&b.buf)
	}
	if err := md.Convert(r.Body, b.w); err != nil { // Convert flushes
		return "", fmt.Errorf("%s: %w", r.File, err)
	}
	return template.HTML(b.buf.String()), nil
}

// view gathers everything article.html shows about r.
func (r *renderer) view(rel *release.Release, body template.HTML, links []Link, now time.Time) (*articleView, error) {
	loc := r.location()
	t := rel.Date.In(loc)
	url := r.cfg.ArticleURL(rel.Slug)
	v := &articleView{
		Headline:   rel.Headline(),
		Summary:    rel.Summary,
		Number:     rel.Number,
		IssuerName: r.issuerName(rel.Issuer),
		KindLabel:  kindLabels[rel.Kind],
		Date:       idtime.DateTime(t),
		ISODate:    t.Format(time.RFC3339),
		Body:       body,
		Contact:    rel.Contact,
		Hoax:       rel.Hoax,
	}
	if v.KindLabel == "" {
		v.KindLabel = kindLabels[release.SiaranPers]
	}
	if !rel.Embargo.IsZero() && now.Before(rel.Embargo) {
		v.Embargo = idtime.DateTime(rel.Embargo.In(loc))
	}
	if rel.Image != "" {
		name := path.Base(strings.ReplaceAll(rel.Image, "\\", "/"))
		v.Image = &imageView{Src: name, Alt: rel.ImageAlt}
		v.ImageURL = url + name
		v.OGImage, v.OGImageAlt = v.ImageURL, rel.ImageAlt
		if i := rel.ImageInfo; i.Width > 0 && i.Height > 0 {
			v.OGImageWidth, v.OGImageHeight = fmt.Sprint(i.Width), fmt.Sprint(i.Height)
		}
	}
	if r.hasKit(rel, now) {
		v.PDF = presskit.PDF
		if rel.Image == "" {
			// What the card shows, as Instagram's alt_text says it too.
			v.OGImage, v.OGImageWidth, v.OGImageHeight = url+presskit.OG, "1200", "630"
			v.OGImageAlt = cardimg.Alt(compose.CardRelease(r.cfg, rel))
		}
	}
	v.Issuer = r.account(rel.Issuer, "../")
	v.Share, v.CopyURL = shareLinks(v.Headline, url), url
	if rel.Contact != nil {
		v.Tel = telURL(rel.Contact.Phone)
	}
	for _, tg := range rel.Tags {
		v.Tags = append(v.Tags, tagRef{Name: tg, Slug: tagSlug(tg)})
	}
	for _, l := range links {
		name := r.cfg.Platforms.DisplayName(l.Platform)
		if l.AccountName == "" {
			l.AccountName = r.issuerName(l.Account)
		}
		v.Links = append(v.Links, linkView{Link: l, PlatformName: name})
	}
	if a, ok := r.cfg.Account(rel.Issuer); ok {
		if xa, ok := a.On("x"); ok { // twitter:site names an X account
			v.TwitterSite = xa.Get("username")
		}
	}
	var err error
	if v.NewsArticleLD, err = jsonLD(r.newsArticle(rel, v, url)); err != nil {
		return nil, err
	}
	if rel.Hoax != nil {
		if v.ClaimReviewLD, err = jsonLD(r.claimReview(rel, v, url)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// telURL keeps only what a tel: link may hold; html/template would otherwise
// (rightly) refuse the scheme.
func telURL(phone string) template.URL {
	var b strings.Builder
	for i, c := range phone {
		if c >= '0' && c <= '9' || c == '+' && i == 0 {
			b.WriteRune(c)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// tagSlug is the folder of a tag's pages: lower case, letters, digits and dashes.
func tagSlug(tag string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(tag) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "label"
	}
	return s
}

type ldOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type newsArticleLD struct {
	Context          string   `json:"@context"`
	Type             string   `json:"@type"`
	Headline         string   `json:"headline"`
	Description      string   `json:"description,omitempty"`
	DatePublished    string   `json:"datePublished"`
	URL              string   `json:"url"`
	MainEntityOfPage string   `json:"mainEntityOfPage"`
	Image            []string `json:"image,omitempty"`
	InLanguage       string   `json:"inLanguage"`
	Keywords         []string `json:"keywords,omitempty"`
	Author           ldOrg    `json:"author"`
	Publisher        ldOrg    `json:"publisher"`
}

type claimReviewLD struct {
	Context       string   `json:"@context"`
	Type          string   `json:"@type"`
	URL           string   `json:"url"`
	ClaimReviewed string   `json:"claimReviewed"`
	DatePublished string   `json:"datePublished"`
	InLanguage    string   `json:"inLanguage"`
	Author        ldOrg    `json:"author"`
	ReviewRating  ldRating `json:"reviewRating"`
	ItemReviewed  ldClaim  `json:"itemReviewed"`
}

type ldRating struct {
	Type          string `json:"@type"`
	AlternateName string `json:"alternateName"`
	RatingValue   int    `json:"ratingValue"`
	BestRating    int    `json:"bestRating"`
	WorstRating   int    `json:"worstRating"`
}

type ldClaim struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

func (r *renderer) language() string {
	if r.cfg.Site.Language != "" {
		return r.cfg.Site.Language
	}
	return "id"
}

// locale is Open Graph's language_TERRITORY for the site's language: the
// territory as given ("en-GB"), or the usual one for the languages a press
// office here writes in; "" leaves og:locale out rather than claim a wrong one.
func (r *renderer) locale() string {
	lang, region, ok := strings.Cut(strings.ReplaceAll(r.language(), "_", "-"), "-")
	if ok && len(lang) == 2 && len(region) == 2 {
		return strings.ToLower(lang) + "_" + strings.ToUpper(region)
	}
	return map[string]string{"id": "id_ID", "en": "en_US", "ms": "ms_MY", "jv": "jv_ID", "su": "su_ID"}[strings.ToLower(lang)]
}

func (r *renderer) newsArticle(rel *release.Release, v *articleView, url string) newsArticleLD {
	org := ldOrg{Type: "GovernmentOrganization", Name: v.IssuerName, URL: r.cfg.Site.BaseURL}
	ld := newsArticleLD{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline: v.Headline, Description: rel.Summary, DatePublished: v.ISODate,
		URL: url, MainEntityOfPage: url, InLanguage: r.language(), Keywords: rel.Tags,
		Author: org, Publisher: org,
	}
	if v.OGImage != "" {
		ld.Image = []string{v.OGImage}
	}
	return ld
}

func (r *renderer) claimReview(rel *release.Release, v *articleView, url string) claimReviewLD {
	return claimReviewLD{
		Context: "https://schema.org", Type: "ClaimReview",
		URL: url, ClaimReviewed: rel.Hoax.Claim, DatePublished: v.ISODate, InLanguage: r.language(),
		Author: ldOrg{Type: "GovernmentOrganization", Name: v.IssuerName, URL: r.cfg.Site.BaseURL},
		ReviewRating: ldRating{Type: "Rating", AlternateName: rel.Hoax.Verdict,
			RatingValue: 1, BestRating: 5, WorstRating: 1},
		ItemReviewed: ldClaim{Type: "Claim", Name: rel.Hoax.Claim},
	}
}

// jsonLD marshals v for a <script> element. encoding/json escapes <, > and & (and
// U+2028/9), so no value can close the script or start markup.
func jsonLD(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// renderArticle writes the article page of rel to w.
func (r *renderer) renderArticle(w io.Writer, rel *release.Release, body template.HTML, links []Link, now time.Time) error {
	v, err := r.view(rel, body, links, now)
	if err != nil {
		return err
	}
	ch, err := r.chrome(r.article, "../")
	if err != nil {
		return err
	}
	d := &pageData{
		Site: r.cfg.Site, Lang: r.language(), Locale: r.locale(), Title: v.Headline, Description: rel.Summary,
		Canonical: r.cfg.ArticleURL(rel.Slug), Root: "../", CSS: r.css, Chrome: ch, A: v,
	}
	if r.fast {
		buf, direct := w.(*bytes.Buffer)
		if !direct {
			buf = new(bytes.Buffer)
		}
		if writeArticleFast(buf, d) {
			if direct {
				return nil
			}
			_, err := w.Write(buf.Bytes())
			return err
		}
	}
	return r.article.ExecuteTemplate(w, "baseof.html", d)
}

func (r *renderer) card(rel *release.Release, root string) card {
	t := rel.Date.In(r.location())
	return card{
		Slug: rel.Slug, Href: root + rel.Slug + "/", URL: r.cfg.ArticleURL(rel.Slug),
		Headline: rel.Headline(), Summary: rel.Summary, IssuerName: r.issuerName(rel.Issuer),
		Date: idtime.Date(t), ISODate: t.Format(time.RFC3339), Time: rel.Date, Tags: rel.Tags,
	}
}
