// Package config reads humas.yaml: the site, the accounts of every institution taking
// part, and the blackout windows.
package config

import (
	"time"

	"github.com/balikpapan/humas/publish/platform"
)

// Config is a parsed humas.yaml, or the embedded default when a project has none.
type Config struct {
	File     string // "humas.yaml", or "" for the embedded default
	Root     string // the project root it was loaded for
	Site     Site
	Accounts []Account // in file order
	Publish  Publish
	Blackout Blackouts
	// Tags maps a tag, lower case, to the name it is shown with, from humas.yaml's
	// tags: ("pemilu-2024": "Pemilu 2024"); its hashtag is that name without spaces.
	Tags map[string]string
	// Open is set on the built-in default: an account a release names that is not
	// listed is taken as given, so any release can be previewed without a humas.yaml.
	Open bool
	// Partners are the offices whose feeds humas repost reads, in file order.
	Partners []Partner
	// Platforms is every platform an account may have (publish/platform/all).
	Platforms platform.Registry
}

// Site says where and how the site is published.
type Site struct {
	Title    string
	BaseURL  string // always ends in "/"
	Language string
	Timezone string
	Location *time.Location
	Output   string // relative to the project root
}

// Account is one institution and its platform accounts.
type Account struct {
	Key  string // "kpu"
	Name string // "KPU Kota Balikpapan"
	// Platforms are its accounts on each platform it has, in registry order.
	Platforms []platform.Account
	// Identity is how the institution presents itself: the letterhead of its press
	// PDF, its cards, and its name on the site.
	Identity Identity
}

// Identity is an institution's letterhead (kop surat): logo, address, telephone and
// website, as humas.yaml gives them (SPEC section 9). Every field is optional; what
// is missing is left out of the letterhead, the cards and the site.
type Identity struct {
	// Logo is the logo's path in the project ("assets/kpu.png"), "" when none.
	Logo string
	// LogoData is the logo file, read through projfile and checked to be a PNG or
	// JPEG when humas.yaml was loaded for a project; nil when there is none, or when
	// the configuration was parsed without a project to read it from.
	LogoData []byte
	Address  string // one line: "Jl. Jenderal Sudirman No. 1, Balikpapan"
	Phone    string // as printed: "+62 542 000000"
	Website  string // an absolute http(s) URL: "https://kota-balikpapan.kpu.go.id"
}

// On returns the institution's account on the platform called name.
func (a *Account) On(name string) (platform.Account, bool) {
	for _, pa := range a.Platforms {
		if pa.Platform == name {
			return pa, true
		}
	}
	return platform.Account{}, false
}

// PlatformNames are the names of the platforms it has, in registry order.
func (a *Account) PlatformNames() []string {
	out := make([]string, len(a.Platforms))
	for i, pa := range a.Platforms {
		out[i] = pa.Platform
	}
	return out
}

// Publish says which releases are cross-posted at all.
type Publish struct {
	// Since is the date of the first release to cross-post: older ones are the
	// archive, built on the site but never posted, so adopting humas (or cloning
	// this repository's examples) does not flood the accounts with old news.
	// Zero means every release.
	Since time.Time
}

// Blackout is a window in which only serta-merta releases may be published.
type Blackout struct {
	From, To time.Time
	Reason   string
	Line     int
}

// Account returns the account with key, if any. An open configuration (the built-in
// default) makes one up for any well-formed key, with the key as name and handle.
func (c *Config) Account(key string) (*Account, bool) {
	for i := range c.Accounts {
		if c.Accounts[i].Key == key {
			return &c.Accounts[i], true
		}
	}
	if c.Open && accountKeyRE.MatchString(key) {
		a := &Account{Key: key, Name: key}
		for _, p := range c.Platforms {
			if p.Account.Placeholder != nil {
				a.Platforms = append(a.Platforms, platform.Account{Key: key, Platform: p.Name, Settings: p.Account.Placeholder(key)})
			}
		}
		return a, true
	}
	return nil, false
}

// ArticleURL is where the article with slug lives.
func (c *Config) ArticleURL(slug string) string {
	return c.Site.BaseURL + slug + "/"
}

// BlackoutAt returns the window that contains t, if any.
func (c *Config) BlackoutAt(t time.Time) (*Blackout, bool) {
	return c.Blackout.At(t)
}

// Blackouts are the windows of humas.yaml's blackout list.
type Blackouts []Blackout

// At returns the window that contains t, if any.
func (bs Blackouts) At(t time.Time) (*Blackout, bool) {
	for i := range bs {
		if b := &bs[i]; !t.Before(b.From) && t.Before(b.To) {
			return b, true
		}
	}
	return nil, false
}
