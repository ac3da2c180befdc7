package compose

import (
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/platform"
)

// Repost is a partner office's release as its feed gives it (humas repost). Every
// field is plain text from another site: it goes into posts as text, never as
// markup, through the same templates and fitting as our own releases.
type Repost struct {
	Partner string // the partner's name in our humas.yaml: "KPU Kota Balikpapan"
	Title   string
	Summary string
	URL     string // the partner's article, which our posts link
	Tags    []string
	Verdict string // a hoax clarification's verdict ("HOAKS"), "" for anything else
}

// Headline is the title with a hoax clarification's verdict in front, as the
// partner's own posts read ("[HOAKS] …"): a repost never drops the verdict, and
// never doubles it when the partner's title carries it already.
func (r Repost) Headline() string {
	title := strings.Join(strings.Fields(r.Title), " ")
	if r.Verdict == "" {
		return title
	}
	prefix := "[" + r.Verdict + "]"
	if strings.HasPrefix(strings.ToUpper(title), prefix) {
		return title
	}
	return prefix + " " + title
}

// ComposeRepost returns the post each of our targets publishes to pass on r. On a
// platform that quotes (X, Telegram), quote gives the address of the partner's
// own post there, when its feed names one: our post then quotes it, with a short
// line linking the article. Every post names the partner ("Sumber: KPU Kota
// Balikpapan", or "Dibagikan ulang dari …" on a quote) and links its article.
func ComposeRepost(cfg *config.Config, templates fs.FS, r Repost, targets []config.Target, quote func(platform string) (postURL string, ok bool)) ([]Target, error) {
	tmpls := map[string]*template.Template{}
	out := make([]Target, 0, len(targets))
	for _, k := range targets {
		pl, ok := cfg.Platforms.Lookup(k.Platform)
		if !ok {
			return nil, fmt.Errorf("%s/%s: unknown platform", k.Account, k.Platform)
		}
		acct, ok := cfg.Account(k.Account)
		if !ok {
			return nil, fmt.Errorf("%s: not an account in %s", k.Account, configName(cfg))
		}
		t, ok := tmpls[k.Platform]
		if !ok {
			var err error
			if t, err = loadTemplate(templates, k.Platform); err != nil {
				return nil, err
			}
			tmpls[k.Platform] = t
		}
		d := Data{
			Headline: r.Headline(),
			Summary:  strings.TrimSpace(r.Summary),
			URL:      r.URL,
			Address:  r.URL,
			Hashtags: Hashtags(r.Tags, cfg.Tags),
			Issuer:   r.Partner,
			Partner:  true,
			Source:   "Sumber: " + r.Partner,
		}
		if pl.Address != nil {
			d.Address = pl.Address(r.URL)
		}
		if pl.FoldSummary {
			d.Summary = strings.Join(strings.Fields(d.Summary), " ")
		}
		if pl.MaxHashtags > 0 && len(d.Hashtags) > pl.MaxHashtags {
			d.Hashtags = d.Hashtags[:pl.MaxHashtags:pl.MaxHashtags]
		}
		tg := Target{Account: k.Account, AccountName: acct.Name, Platform: k.Platform, Link: r.URL, Limit: pl.Limit}
		if pl.Repost == platform.Quote && quote != nil {
			if postURL, ok := quote(k.Platform); ok {
				tg.Quote, d.Quote = true, true
				if pl.QuoteLink != nil {
					// The adapter adds the link to the partner's post after the text.
					tg.Limit -= pl.Length("\n" + postURL)
				}
			}
		}
		f, err := fit(t, d, pl.Length, tg.Limit)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", k.Account, k.Platform, err)
		}
		if pl.CheckText != nil {
			if why := pl.CheckText(f.Text); why != "" {
				return nil, fmt.Errorf("%s/%s: %s", k.Account, k.Platform, why)
			}
		}
		tg.Text, tg.Length, tg.Shortened = f.Text, f.Length, f.Cuts
		out = append(out, tg)
	}
	return out, nil
}
