// Package compose writes the post every target of a release gets, from the
// project's templates/posts, fitted to each platform's length limit.
package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"text/template"
	"unicode"

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
}

// Image is the picture attached to every post of a release.
type Image struct {
	Path string // relative to the project root
	Alt  string
}

// Data is what a post template sees.
type Data struct {
	Headline string   // the title, "[HOAKS] …" for a hoax clarification
	Summary  string   // the summary or the release's posts.<platform>; may be shortened
	URL      string   // the article
	Hashtags []string // from the tags: "#Pemilu2024"
	Issuer   string   // the issuer's name
	Partner  bool     // posted by an account other than the issuer
	Quote    bool     // an X post quoting the issuer's
	Source   string   // "Sumber: <issuer>" when the post cannot quote the issuer
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
		return nil, fmt.Errorf("%s:%d: issuer: unknown account %q", r.File, r.Line("issuer"), r.Issuer)
	}
	keys, err := Resolve(cfg, r)
	if err != nil {
		return nil, err
	}

	tmpls := make(map[string]*template.Template)
	url := cfg.ArticleURL(r.Slug)
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
		d := Data{
			Headline: strings.Join(strings.Fields(r.Headline()), " "),
			Summary:  r.Summary,
			URL:      url,
			Hashtags: Hashtags(r.Tags),
			Issuer:   issuer.Name,
			Partner:  partner,
		}
		if s, ok := r.Posts[k.Platform]; ok && strings.TrimSpace(s) != "" {
			d.Summary = s
		}
		d.Summary = strings.TrimSpace(d.Summary)
		if pl.FoldSummary {
			d.Summary = strings.Join(strings.Fields(d.Summary), " ")
		}

		tg := Target{
			Account:     k.Account,
			AccountName: acct.Name,
			Platform:    k.Platform,
			Issuer:      !partner,
			Link:        url,
		}
		if r.Image != "" {
			tg.Image = &Image{Path: r.Image, Alt: r.ImageAlt}
		}
		tg.Limit = pl.Limit
		fit := func(t *template.Template, d Data) (string, int, error) { return fit(t, d, pl.Length, pl.Limit) }
		// A partner quotes the issuer's post where the platform quotes and the
		// issuer posts there too; anywhere else it names the issuer. The quote
		// keeps a credited post in reserve for when the issuer's post fails after all.
		credited := d
		credited.Source = "Sumber: " + issuer.Name
		switch {
		case partner && pl.Repost == platform.Quote && slices.Contains(keys, Key{r.Issuer, k.Platform}):
			tg.Quote, d.Quote = true, true
			if tg.Fallback, tg.FallbackLength, err = fit(t, credited); err != nil {
				return nil, fmt.Errorf("%s: %s/%s: %w", r.File, k.Account, k.Platform, err)
			}
		case partner:
			d = credited
		}
		if tg.Text, tg.Length, err = fit(t, d); err != nil {
			return nil, fmt.Errorf("%s: %s/%s: %w", r.File, k.Account, k.Platform, err)
		}
		targets = append(targets, tg)
	}
	return targets, nil
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
			return nil, fmt.Errorf("%s:%d: targets: unknown account %q", r.File, r.Line("targets"), key)
		}
		have := a.PlatformNames()
		if !hasPlatform {
			if len(have) == 0 {
				return nil, fmt.Errorf("%s:%d: targets: account %q has no platform configured", r.File, r.Line("targets"), key)
			}
			for _, p := range have {
				want[Key{key, p}] = true
			}
			continue
		}
		if !cfg.Platforms.Has(platform) {
			return nil, fmt.Errorf("%s:%d: targets: unknown platform %q in %q: use %s", r.File, r.Line("targets"), platform, entry, strings.Join(cfg.Platforms.Names(), " or "))
		}
		if !slices.Contains(have, platform) {
			return nil, fmt.Errorf("%s:%d: targets: account %q has no %s in %s", r.File, r.Line("targets"), key, platform, configName(cfg))
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

func configName(cfg *config.Config) string {
	if cfg.File == "" {
		return "the default configuration"
	}
	return cfg.File
}

// Hashtags turns tags into hashtags: "pemilu-2024" becomes "#Pemilu2024". Tags
// that leave no letter or digit are dropped, and so are repeats.
func Hashtags(tags []string) []string {
	var out []string
	for _, tag := range tags {
		var b strings.Builder
		upper := true
		for _, r := range tag {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				if upper {
					r = unicode.ToUpper(r)
				}
				b.WriteRune(r)
				upper = false
			default:
				upper = true
			}
		}
		if h := "#" + b.String(); b.Len() > 0 && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
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
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return "", templateError(err)
	}
	lines := strings.Split(strings.ReplaceAll(buf.String(), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	text := strings.Join(lines, "\n")
	for strings.Contains(text, "\n\n\n") {
		text = strings.ReplaceAll(text, "\n\n\n", "\n\n")
	}
	return strings.TrimSpace(text), nil
}

// fit renders the post within limit as length counts it. What gives way, in
// order:
//  1. the summary, cut at a word boundary and ended with "…", down to nothing;
//  2. the hashtags, the last first, the summary growing back into the room
//     each one leaves;
//  3. with no summary and no hashtag, the headline, cut the same way.
//
// The URL and the credit to the issuer are never cut: a post that does not fit
// even then is an error.
func fit(t *template.Template, d Data, length func(string) int, limit int) (string, int, error) {
	// Most posts fit as written (every Facebook post does): no search needed.
	text, err := render(t, d)
	if err != nil {
		return "", 0, err
	}
	if n := length(text); n <= limit {
		return text, n, nil
	}
	tags := d.Hashtags
	for kept := len(tags); kept >= 0; kept-- {
		d.Hashtags = tags[:kept]
		text, n, ok, err := longestFit(t, d, length, limit, shortenings(d.Summary), func(d *Data, s string) { d.Summary = s })
		if ok || err != nil {
			return text, n, err
		}
	}
	d.Summary = ""
	text, n, ok, err := longestFit(t, d, length, limit, shortenings(d.Headline), func(d *Data, s string) { d.Headline = s })
	if ok || err != nil {
		return text, n, err
	}
	return "", 0, fmt.Errorf("post does not fit %d characters even without summary, hashtags and headline: shorten the fixed text of its template in templates/posts", limit)
}

// longestFit renders d with the longest of candidates (longest first) that fits.
// Cutting more words never makes a text longer, so a binary search finds it.
func longestFit(t *template.Template, d Data, length func(string) int, limit int, candidates []string, set func(*Data, string)) (string, int, bool, error) {
	var firstErr error
	try := func(c string) (string, int, bool) {
		d2 := d
		set(&d2, c)
		text, err := render(t, d2)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return "", 0, false
		}
		n := length(text)
		return text, n, n <= limit
	}
	i := sort.Search(len(candidates), func(i int) bool {
		_, _, ok := try(candidates[i])
		return ok
	})
	if firstErr != nil {
		return "", 0, false, firstErr
	}
	if i == len(candidates) {
		return "", 0, false, nil
	}
	text, n, ok := try(candidates[i])
	return text, n, ok, firstErr
}

// shortenings lists s and then every shorter version cut at a word boundary and
// ended with "…", longest first, ending with "".
func shortenings(s string) []string {
	out := []string{s}
	if s == "" {
		return out
	}
	// Cut points are the spaces of the text with its white space folded, so each
	// candidate is a slice, not a new join of its words (a long summary made this
	// quadratic).
	norm := strings.Join(strings.Fields(s), " ")
	var ends []int
	for i := 0; i < len(norm); i++ {
		if norm[i] == ' ' {
			ends = append(ends, i)
		}
	}
	for n := len(ends); n > 0; n-- {
		cut := strings.TrimRightFunc(norm[:ends[n-1]], func(r rune) bool {
			return unicode.IsPunct(r) && r != ')' && r != ']' && r != '"' && r != '”' || unicode.IsSpace(r)
		})
		if cut != "" {
			out = append(out, cut+"…")
		}
	}
	return append(out, "")
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
