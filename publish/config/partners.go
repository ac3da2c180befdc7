package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/balikpapan/humas/publish/email"
	"github.com/balikpapan/humas/publish/internal/yamlnode"
)

// Partner is another office whose releases we repost from its feed (SPEC section
// 11): it keeps its own humas and credentials, we keep ours.
type Partner struct {
	Key  string // "kpu"
	Name string // "KPU Kota Balikpapan", named in our posts: "Sumber: KPU Kota Balikpapan"
	Feed string // its feed.json, https (plain http only on a loopback address)
	// Repost is the repost: list as written ("x", "diskominfo/facebook"), and
	// Targets what it means: our accounts and platforms that repost its releases.
	Repost  []string
	Targets []Target
	Line    int // of its key in humas.yaml
}

// Target is one of our accounts on one platform.
type Target struct{ Account, Platform string }

// Partner returns the partner with key, if any.
func (c *Config) Partner(key string) (*Partner, bool) {
	for i := range c.Partners {
		if c.Partners[i].Key == key {
			return &c.Partners[i], true
		}
	}
	return nil, false
}

// FeedURLProblem says what is wrong with raw as a partner's feed address, "" when
// nothing is: an absolute https URL, or http to a loopback address, without user
// information (a password would end up in messages and logs).
func FeedURLProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return "is not an absolute web address"
	case u.User != nil:
		return "carries a user name or password: a feed is public, and a secret here would be shown in messages"
	case u.Scheme == "https":
		return ""
	case u.Scheme == "http" && email.IsLoopback(u.Hostname()):
		return ""
	case u.Scheme == "http":
		return "is plain http: a partner's feed is read over https (http only from this machine, 127.0.0.1 or localhost)"
	}
	return fmt.Sprintf("has scheme %q: use https", u.Scheme)
}

// partners reads partners: each key a partner with name, feed and repost.
func (p *parse) partners(f yamlnode.Field) {
	if f.Value == nil {
		return
	}
	fields, ok := yamlnode.Fields(f.Value)
	if !ok {
		p.add(f.Line, "partners", "must be a mapping of partner keys, not "+yamlnode.Kind(f.Value),
			"e.g. partners: {kpu: {name: KPU Kota Balikpapan, feed: https://kota-balikpapan.kpu.go.id/feed.json, repost: [x, facebook]}}")
		return
	}
	seen := map[string]bool{}
	for _, pf := range fields {
		key, field := pf.Key, "partners."+pf.Key
		switch {
		case !accountKeyRE.MatchString(key):
			p.add(pf.Line, "partners", fmt.Sprintf("partner key %q must be lower case letters, digits and -", key), "")
			continue
		case seen[key]:
			p.add(pf.Line, "partners", fmt.Sprintf("partner %q is listed twice", key), "")
			continue
		}
		seen[key] = true
		kf := p.mapping(pf.Value, pf.Line, field, partnerFields)
		if kf == nil {
			continue
		}
		pt := Partner{Key: key, Line: pf.Line}
		if nf, ok := kf["name"]; ok {
			pt.Name, _ = p.scalar(nf, field+".name")
		}
		if pt.Name == "" {
			p.add(lineOf(kf, "name", pf.Line), field+".name", "is required", "the office's name as readers know it; our posts credit it: Sumber: KPU Kota Balikpapan")
		}
		if ff, ok := kf["feed"]; ok {
			pt.Feed, _ = p.scalar(ff, field+".feed")
		}
		switch {
		case pt.Feed == "":
			p.add(lineOf(kf, "feed", pf.Line), field+".feed", "is required", "the address of its feed.json, e.g. https://kota-balikpapan.kpu.go.id/feed.json")
		case FeedURLProblem(pt.Feed) != "":
			p.add(lineOf(kf, "feed", pf.Line), field+".feed", fmt.Sprintf("%q %s", pt.Feed, FeedURLProblem(pt.Feed)), "e.g. https://kota-balikpapan.kpu.go.id/feed.json")
		case p.cfg.Site.BaseURL != "" && pt.Feed == p.cfg.Site.BaseURL+"feed.json":
			p.add(lineOf(kf, "feed", pf.Line), field+".feed", fmt.Sprintf("%q is this site's own feed", pt.Feed), "name the partner's feed.json, not ours")
		}
		p.repost(&pt, kf, field, pf.Line)
		p.cfg.Partners = append(p.cfg.Partners, pt)
	}
}

// repost reads a partner's repost list: our platforms ("x": every account of ours
// on X) or one account's ("diskominfo/x").
func (p *parse) repost(pt *Partner, kf map[string]yamlnode.Field, field string, keyLine int) {
	field += ".repost"
	example := "e.g. repost: [" + strings.Join(p.cfg.Platforms.Names(), ", ") + "]"
	rf, ok := kf["repost"]
	if !ok {
		p.add(keyLine, field, "is required: which of our platforms repost its releases", example)
		return
	}
	items, ok := yamlnode.Items(rf.Value)
	if !ok {
		p.add(rf.Line, field, "must be a list, not "+yamlnode.Kind(rf.Value), example)
		return
	}
	if len(items) == 0 {
		p.add(rf.Line, field, "lists nothing: name at least one of our platforms", example)
		return
	}
	for i, it := range items {
		line := yamlnode.Line(it)
		if line == 0 {
			line = rf.Line
		}
		entry, ok := yamlnode.Scalar(it)
		entry = strings.TrimSpace(entry)
		at := fmt.Sprintf("%s[%d]", field, i)
		if !ok || entry == "" {
			p.add(line, at, "must be a platform name or account/platform", example)
			continue
		}
		if slices.Contains(pt.Repost, entry) {
			p.add(line, at, fmt.Sprintf("%q is listed twice", entry), "")
			continue
		}
		targets, problem, hint := p.repostTargets(entry)
		if problem != "" {
			p.add(line, at, problem, hint)
			continue
		}
		pt.Repost = append(pt.Repost, entry)
		for _, t := range targets {
			if !slices.Contains(pt.Targets, t) {
				pt.Targets = append(pt.Targets, t)
			}
		}
	}
}

// repostTargets resolves one repost entry against our accounts.
func (p *parse) repostTargets(entry string) ([]Target, string, string) {
	platforms := p.cfg.Platforms.List()
	account, platform, one := strings.Cut(entry, "/")
	if !one {
		platform, account = account, ""
	}
	if !p.cfg.Platforms.Has(platform) {
		hint := "use " + platforms
		if s := yamlnode.Suggest(platform, p.cfg.Platforms.Names()); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		return nil, fmt.Sprintf("unknown platform %q", platform), hint
	}
	pl, _ := p.cfg.Platforms.Lookup(platform)
	switch {
	case pl.Media.ImageRequired:
		return nil, fmt.Sprintf("%q: %s posts nothing without a picture, and a repost carries none", entry, pl.DisplayName), "repost on a platform that takes text and a link"
	case pl.BeforeEmbargo:
		return nil, fmt.Sprintf("%q: %s is our press list, for our own releases; the partner writes to its own press", entry, pl.DisplayName), ""
	}
	var out []Target
	for _, a := range p.cfg.Accounts {
		if account != "" && a.Key != account {
			continue
		}
		if _, ok := a.On(platform); ok {
			out = append(out, Target{Account: a.Key, Platform: platform})
		}
	}
	if len(out) > 0 {
		return out, "", ""
	}
	if account != "" {
		if _, ok := p.cfg.Account(account); !ok {
			return nil, fmt.Sprintf("%q: %q is not one of our accounts", entry, account), "name an account of accounts: in " + FileName
		}
		return nil, fmt.Sprintf("%q: account %s has no %s in %s", entry, account, platform, FileName), ""
	}
	return nil, fmt.Sprintf("%q: none of our accounts has %s", entry, platform), "add it to an account, or repost on a platform we have"
}

func lineOf(fields map[string]yamlnode.Field, key string, fallback int) int {
	if f, ok := fields[key]; ok {
		return f.Line
	}
	return max(fallback, 1)
}
