// Package compose writes the post every target of a release gets, from the
// project's templates/posts, fitted to each platform's length limit.
package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"unicode"

	"github.com/balikpapan/humas/publish/card"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// Target is the post one account publishes on one platform.
type Target struct {
	Account     string // account key in humas.yaml, "kpu"
	AccountName string // "KPU Kota Balikpapan"
	Platform    string // a platform's Name: "x"
	Issuer      bool   // the release's issuer; its targets come first
	Text        string
	Length      int // as the platform counts it (platform.Platform.Length)
	Limit       int
	Link        string // the article URL, sent as Facebook's link
	Image       *Image
	// Quote: on X, a partner's post quotes the issuer's X post (the pipeline fills
	// in its id); Text is then a short repost line that still links the article.
	Quote bool
	// Fallback is what a Quote target posts, without quoting, when the issuer's X
	// post does not exist after all: a full post crediting the issuer.
	Fallback       string
	FallbackLength int
	// Collaborators are the partners invited to co-author this post, by their
	// handle on the platform: the issuer's Instagram post when its account says
	// collab: true.
	Collaborators []string
	// Invitee is, on a Collab target, the partner's handle the issuer's post
	// invites: the ledger is asked whether the post made did.
	Invitee string
	// Collab: this partner posts nothing of its own. It is invited as a
	// collaborator on the issuer's post (Text is that post's), and accepts in the app.
	Collab bool
	// Shortened is what gave way so that Text fits Limit: hashtags left out, the
	// summary or the headline cut. Warnings says it to a person, one warning a
	// cut with the release's file and line and what was left out, in words: check
	// prints them and the preview shows them. Both are empty for a whole post.
	Shortened []Cut
	Warnings  release.Diagnostics
}

// Image is the picture attached to a post.
type Image struct {
	// Path is the release's image, relative to the project root: the picture
	// itself, or the source of its rendition; "" for the card.
	Path string
	Alt  string
	// URL is where the live site serves the picture, for a platform that fetches
	// it itself (Instagram); "" for a picture that is uploaded.
	URL string
	// Made is MadeCard or MadeRendition for a picture the build writes beside the
	// article, "" for the release's own image.
	Made string
}

// Pictures the build makes for a platform that fetches the picture from the site
// (platform.Media.FromSite): the card of a release without an image, and the JPEG
// rendition of one the platform would refuse as it is.
const (
	MadeCard      = "card"
	MadeRendition = "rendition"
)

// Data is what a post template sees.
type Data struct {
	Headline string // the title, "[HOAKS] …" for a hoax clarification
	Summary  string // the summary or the release's posts.<platform>; may be shortened
	URL      string // the article
	// Address is how the post names the article: the URL, or where links are not
	// clickable (Instagram) the address a reader types: humas.balikpapan.go.id/slug.
	Address  string
	Hashtags []string // from the tags: "#Pemilu2024"
	Issuer   string   // the issuer's name
	Partner  bool     // posted by an account other than the issuer
	Quote    bool     // a partner's post quoting the issuer's (X shows it below; Telegram links it)
	Source   string   // "Sumber: <issuer>" on a partner's post
}

// Compose returns the post of every target of r, the issuer's first.
func Compose(p *project.Project, r *release.Release) ([]Target, error) {
	return ComposeWith(p.Config, p.Templates, r)
}

// ComposeWith is Compose for a configuration and templates (the project's
// templates/ over the embedded defaults) given separately.
func ComposeWith(cfg *config.Config, templates fs.FS, r *release.Release) ([]Target, error) {
	issuer, ok := cfg.Account(r.Issuer)
	if !ok {
		return nil, problem(r, "issuer", "unknown account %q", r.Issuer)
	}
	keys, err := Resolve(cfg, r)
	if err != nil {
		return nil, err
	}

	tmpls := make(map[string]*template.Template)
	url := cfg.ArticleURL(r.Slug)
	invited := collaborators(cfg, r, issuer, keys)
	var targets []Target
	for _, k := range keys {
		pl, _ := cfg.Platforms.Lookup(k.Platform) // Resolve returns only platforms of the registry
		t, ok := tmpls[k.Platform]
		if !ok {
			t, err = loadTemplate(templates, k.Platform)
			if err != nil {
				return nil, err
			}
			tmpls[k.Platform] = t
		}
		acct, _ := cfg.Account(k.Account)
		partner := k.Account != r.Issuer
		tg := Target{
			Account:     k.Account,
			AccountName: acct.Name,
			Platform:    k.Platform,
			Issuer:      !partner,
			Link:        url,
		}
		if handles := invited[k.Platform]; !partner && len(handles) > 0 {
			for _, h := range handles {
				tg.Collaborators = append(tg.Collaborators, h.handle)
			}
		} else if j := slices.IndexFunc(handles, func(h invitation) bool { return h.account == k.Account }); j >= 0 {
			// The partner is invited on the issuer's post, which comes first.
			if i := slices.IndexFunc(targets, func(o Target) bool { return o.Issuer && o.Platform == k.Platform }); i >= 0 {
				is := targets[i]
				tg.Collab, tg.Invitee, tg.Text, tg.Length, tg.Limit, tg.Image = true, handles[j].handle, is.Text, is.Length, is.Limit, is.Image
				targets = append(targets, tg)
				continue
			}
		}
		d := Data{
			Headline: strings.Join(strings.Fields(r.Headline()), " "),
			Summary:  r.Summary,
			URL:      url,
			Address:  url,
			Hashtags: Hashtags(r.Tags, cfg.Tags),
			Issuer:   issuer.Name,
			Partner:  partner,
		}
		if pl.Address != nil {
			d.Address = pl.Address(url)
		}
		own := false
		if s, ok := r.Posts[k.Platform]; ok && strings.TrimSpace(s) != "" {
			d.Summary, own = s, true
		}
		d.Summary = strings.TrimSpace(d.Summary)
		// A text the officer wrote for this platform (posts.x) keeps its lines and
		// spaces as written: only a summary taken from the release is folded.
		if pl.FoldSummary && !own {
			d.Summary = strings.Join(strings.Fields(d.Summary), " ")
		}
		if pl.MaxHashtags > 0 && len(d.Hashtags) > pl.MaxHashtags {
			left := d.Hashtags[pl.MaxHashtags:]
			d.Hashtags = d.Hashtags[:pl.MaxHashtags:pl.MaxHashtags]
			tg.Shortened = append(tg.Shortened, Cut{Part: "hashtags", Omitted: strings.Join(left, " "), Words: len(left)})
			tg.Warnings = append(tg.Warnings, release.Diagnostic{File: r.File, Line: r.Line("tags"), Field: "tags", Warning: true,
				Message: fmt.Sprintf("%s/%s: %s left out: %s takes at most %d hashtags", k.Account, k.Platform, strings.Join(left, " "), pl.DisplayName, pl.MaxHashtags),
				Hint:    "keep fewer tags"})
		}
		tg.Image = imageFor(cfg, r, pl)

		limit := pl.Limit
		if tg.Image != nil && pl.ImageLimit > 0 {
			limit = pl.ImageLimit
		}
		tg.Limit = limit
		fit := func(t *template.Template, d Data, limit int) (fitted, error) { return fit(t, d, pl.Length, limit) }
		// A partner quotes the issuer's post where the platform quotes and the
		// issuer posts there too; anywhere else it names the issuer. The quote
		// keeps a credited post in reserve for when the issuer's post fails after all.
		credited := d
		credited.Source = "Sumber: " + issuer.Name
		switch {
		case partner && pl.Repost == platform.Quote && slices.Contains(keys, Key{r.Issuer, k.Platform}):
			fb, err := fit(t, credited, limit)
			if err != nil {
				return nil, release.Diagnostics{{File: r.File, Field: k.Account + "/" + k.Platform, Message: err.Error()}}
			}
			tg.Fallback, tg.FallbackLength = fb.Text, fb.Length
			tg.Warnings = append(tg.Warnings, cutWarnings(r, k, limit, fb.Cuts, "without the quote (when the issuer's post is missing), ")...)
			// The quoting post still names the issuer; where the quote is a link
			// the adapter adds to the text (Telegram), the text leaves room for it.
			d, d.Quote, tg.Quote = credited, true, true
			if pa, ok := issuer.On(k.Platform); ok && pl.QuoteLink != nil {
				// The id counted at ten digits, more than a channel reaches.
				tg.Limit -= pl.Length("\n" + pl.QuoteLink(pa, "1234567890"))
			}
		case partner:
			d = credited
		}
		f, err := fit(t, d, tg.Limit)
		if err != nil {
			return nil, release.Diagnostics{{File: r.File, Field: k.Account + "/" + k.Platform, Message: err.Error()}}
		}
		tg.Text, tg.Length = f.Text, f.Length
		tg.Shortened = append(tg.Shortened, f.Cuts...)
		tg.Warnings = append(cutWarnings(r, k, tg.Limit, f.Cuts, ""), tg.Warnings...)
		targets = append(targets, tg)
	}
	return targets, nil
}

// imageFor is the picture the posts of r on pl carry: the release's image, and for
// a platform that fetches it from the site, its address there, the address of its
// JPEG rendition when pl would refuse it as it is, or the card's when r has none.
func imageFor(cfg *config.Config, r *release.Release, pl *platform.Platform) *Image {
	if pl.Media.NoPicture {
		return nil
	}
	if !pl.Media.FromSite {
		if r.Image == "" {
			return nil
		}
		return &Image{Path: r.Image, Alt: r.ImageAlt}
	}
	base := cfg.ArticleURL(r.Slug)
	if r.Image == "" {
		return &Image{Alt: card.Alt(CardRelease(cfg, r)), URL: base + card.CardFile, Made: MadeCard}
	}
	img := &Image{Path: r.Image, Alt: r.ImageAlt, URL: base + path.Base(filepath.ToSlash(r.Image))}
	info := platform.Image{Format: r.ImageInfo.Format, Width: r.ImageInfo.Width, Height: r.ImageInfo.Height, Bytes: int64(r.ImageInfo.Bytes)}
	if len(pl.CheckImage(info)) > 0 {
		img.URL, img.Made = base+card.RenditionFile, MadeRendition
	}
	return img
}

// CardRelease is what the card of r shows (card.Release): its title, kind, date
// in the site's zone, the issuer's name, a hoax clarification's verdict, and the
// site's address. The issuer's logo is the caller's to read.
func CardRelease(cfg *config.Config, r *release.Release) card.Release {
	c := card.Release{Title: r.Title, Kind: r.Kind, Date: r.Date, Location: cfg.Site.Location, Issuer: r.Issuer}
	if a, ok := cfg.Account(r.Issuer); ok && a.Name != "" {
		c.Issuer = a.Name
	}
	if r.Hoax != nil {
		c.Verdict = r.Hoax.Verdict
	}
	if u, err := url.Parse(cfg.Site.BaseURL); err == nil {
		c.Website = strings.TrimPrefix(u.Host, "www.")
	}
	return c
}

// invitation is a partner invited as collaborator on the issuer's post.
type invitation struct{ account, handle string }

// collaborators are, per platform, the partners of keys invited on the issuer's
// post there: where the platform invites collaborators and the issuer's entry says
// collab: true, as many as the platform takes, in target order. Any others post
// their own post.
func collaborators(cfg *config.Config, r *release.Release, issuer *config.Account, keys []Key) map[string][]invitation {
	out := map[string][]invitation{}
	for _, k := range keys {
		pl, _ := cfg.Platforms.Lookup(k.Platform)
		ia, on := issuer.On(k.Platform)
		if k.Account == r.Issuer || pl.Collaborators == 0 || !on || ia.Get("collab") != "true" ||
			!slices.Contains(keys, Key{r.Issuer, k.Platform}) || len(out[k.Platform]) >= pl.Collaborators {
			continue
		}
		acct, _ := cfg.Account(k.Account)
		pa, _ := acct.On(k.Platform)
		out[k.Platform] = append(out[k.Platform], invitation{k.Account, pl.Handle(pa)})
	}
	return out
}

// Key names one target: an account on a platform.
type Key struct {
	Account, Platform string
}

// Resolve lists the targets of r: its targets: entries ("kpu" is every platform
// kpu has, "kpu/x" just one), or every account with every platform it has when
// there are none. The issuer's come first, then the others in humas.yaml order;
// on each account the platforms in registry order.
func Resolve(cfg *config.Config, r *release.Release) ([]Key, error) {
	want := make(map[Key]bool)
	if len(r.Targets) == 0 && cfg.Open {
		// Without a humas.yaml there are no partners: the issuer alone.
		if a, ok := cfg.Account(r.Issuer); ok {
			for _, p := range a.PlatformNames() {
				want[Key{a.Key, p}] = true
			}
		}
	} else if len(r.Targets) == 0 {
		for _, a := range cfg.Accounts {
			for _, p := range a.PlatformNames() {
				want[Key{a.Key, p}] = true
			}
		}
	}
	for _, entry := range r.Targets {
		key, platform, hasPlatform := strings.Cut(entry, "/")
		a, ok := cfg.Account(key)
		if !ok {
			return nil, problem(r, "targets", "unknown account %q", key)
		}
		have := a.PlatformNames()
		if !hasPlatform {
			if len(have) == 0 {
				return nil, problem(r, "targets", "account %q has no platform configured", key)
			}
			for _, p := range have {
				want[Key{key, p}] = true
			}
			continue
		}
		if !cfg.Platforms.Has(platform) {
			return nil, problem(r, "targets", "unknown platform %q in %q: use %s", platform, entry, strings.Join(cfg.Platforms.Names(), " or "))
		}
		if !slices.Contains(have, platform) {
			return nil, problem(r, "targets", "account %q has no %s in %s", key, platform, configName(cfg))
		}
		want[Key{key, platform}] = true
	}

	var keys []Key
	add := func(a *config.Account) {
		for _, p := range cfg.Platforms.Names() {
			if k := (Key{a.Key, p}); want[k] {
				keys = append(keys, k)
			}
		}
	}
	if a, ok := cfg.Account(r.Issuer); ok {
		add(a)
	}
	listed := map[string]bool{r.Issuer: true}
	for i := range cfg.Accounts {
		listed[cfg.Accounts[i].Key] = true
		if cfg.Accounts[i].Key != r.Issuer {
			add(&cfg.Accounts[i])
		}
	}
	// An open configuration (no humas.yaml) lists none of the partners a release names.
	for _, entry := range r.Targets {
		key, _, _ := strings.Cut(entry, "/")
		if a, ok := cfg.Account(key); ok && !listed[key] {
			listed[key] = true
			add(a)
		}
	}
	return keys, nil
}

// problem is an error about field of r, at its line, as check reports it.
func problem(r *release.Release, field, format string, args ...any) error {
	return release.Diagnostics{{File: r.File, Line: r.Line(field), Field: field, Message: fmt.Sprintf(format, args...)}}
}

func configName(cfg *config.Config) string {
	if cfg.File == "" {
		return "the default configuration"
	}
	return cfg.File
}

// cutWarnings says what each cut left out of the post of k, where the text comes
// from in the release: "releases/x.md:7: summary: kpu/x: shortened to fit 280
// characters: left out 12 words: …".
func cutWarnings(r *release.Release, k Key, limit int, cuts []Cut, prefix string) release.Diagnostics {
	var out release.Diagnostics
	for _, c := range cuts {
		d := release.Diagnostic{File: r.File, Warning: true}
		head := fmt.Sprintf("%s/%s: %s", k.Account, k.Platform, prefix)
		fits := fmt.Sprintf("to fit %d characters", limit)
		switch c.Part {
		case "hashtags":
			d.Field, d.Line = "tags", r.Line("tags")
			d.Message = fmt.Sprintf("%s%s left out %s", head, c.Omitted, fits)
			d.Hint = "keep fewer tags, or shorten the summary so that every hashtag fits"
		case "summary":
			d.Field, d.Line = SummaryField(r, k.Platform)
			switch d.Field {
			case "body":
				d.Hint = "write a short summary: in the front matter, or this platform's own text under posts." + k.Platform
			case "summary":
				d.Hint = "shorten the summary, or write this platform's own text under posts." + k.Platform
			default:
				d.Hint = "shorten " + d.Field
			}
		case "headline":
			d.Field, d.Line = "title", r.Line("title")
			d.Hint = "shorten the title, or the fixed text of templates/posts/" + k.Platform + ".tmpl"
		}
		if c.Part != "hashtags" {
			if c.Whole {
				d.Message = fmt.Sprintf("%sleft out %s (%s): %q", head, fits, words(c.Words), c.Omitted)
			} else {
				d.Message = fmt.Sprintf("%sshortened %s: left out %s: %q", head, fits, words(c.Words), c.Omitted)
			}
		}
		out = append(out, d)
	}
	return out
}

// SummaryField names where a post's summary was written, and its line: the
// release's posts.<platform>, its summary, or the first paragraph of its body.
func SummaryField(r *release.Release, platform string) (string, int) {
	if s, ok := r.Posts[platform]; ok && strings.TrimSpace(s) != "" {
		return "posts." + platform, r.Line("posts." + platform)
	}
	if n, ok := r.Lines["summary"]; ok {
		return "summary", n
	}
	if n := release.FirstParagraphLine(r.Body); n >= 0 && r.BodyLine > 0 {
		return "body", r.BodyLine + n
	}
	return "summary", r.Line("summary")
}

func words(n int) string {
	if n == 1 {
		return "1 word"
	}
	return fmt.Sprintf("%d words", n)
}

// loadTemplate reads posts/<platform>.tmpl, or posts/post.tmpl for a platform
// that has no template of its own yet.
func loadTemplate(templates fs.FS, platform string) (*template.Template, error) {
	name := "posts/" + platform + ".tmpl"
	src, err := fs.ReadFile(templates, name)
	if errors.Is(err, fs.ErrNotExist) {
		if generic, gerr := fs.ReadFile(templates, "posts/post.tmpl"); gerr == nil {
			name, src, err = "posts/post.tmpl", generic, nil
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("templates/%s: no such template", name)
		}
		return nil, fmt.Errorf("templates/%s: %w", name, err)
	}
	t, err := template.New(name).Funcs(template.FuncMap{"join": strings.Join}).Parse(string(src))
	if err != nil {
		return nil, templateError(err)
	}
	return t, nil
}

// templateError names the file as the user sees it, under templates/:
// "templates/posts/x.tmpl:1: unclosed action".
func templateError(err error) error {
	return errors.New("templates/" + strings.TrimPrefix(err.Error(), "template: "))
}

// render executes t and tidies the result: no trailing spaces, at most one blank
// line in a row, nothing around the text.
func render(t *template.Template, d Data) (string, error) {
	// One pass, two buffers each the size of the text: fitting a long summary
	// renders it a few times, and copies per line or per replacement add up.
	var buf bytes.Buffer
	buf.Grow(len(d.Headline) + len(d.Summary) + 1024)
	if err := t.Execute(&buf, d); err != nil {
		return "", templateError(err)
	}
	var b strings.Builder
	b.Grow(buf.Len())
	blank := false
	for line := range bytes.Lines(buf.Bytes()) {
		l := bytes.TrimRightFunc(line, unicode.IsSpace)
		if len(l) == 0 {
			blank = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.Write(l)
	}
	return strings.TrimSpace(b.String()), nil
}

// Filter keeps the targets on the platforms in only and the accounts in accounts;
// an empty list keeps all (the --only and --account flags).
func Filter(ts []Target, only, accounts []string) []Target {
	var out []Target
	for _, t := range ts {
		if (len(only) == 0 || slices.Contains(only, t.Platform)) && (len(accounts) == 0 || slices.Contains(accounts, t.Account)) {
			out = append(out, t)
		}
	}
	return out
}
