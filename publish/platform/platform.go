// Package platform describes a platform humas posts to as one value, so that every
// command, flag, check and page learns what it needs about a platform from one place.
//
// Each platform's own package exports its Platform (x.Platform, facebook.Platform);
// publish/platform/all lists them, one line each. Nothing outside a platform's package
// switches on its name: config reads accounts from Account, compose fits posts to
// Length and Limit, check holds images to Media, preview draws Handle and DisplayName,
// doctor asks Verify, and the pipeline builds each target's Poster with Open.
package platform

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
)

// Platform is everything humas knows about one platform.
type Platform struct {
	// Name is how humas.yaml, targets, posts.<name>, --only and JSON spell it: "x".
	Name string
	// DisplayName is how people write it: "X", "Facebook".
	DisplayName string

	// Length counts a post's text as the platform does (X weighs URLs and CJK;
	// Facebook counts UTF-16 code units); Limit is the most it takes.
	Length func(text string) int
	Limit  int
	// ImageLimit, when set, is the limit of a post with a picture, which is a
	// caption (Telegram: 1,024 with a photo, 4,096 for a message).
	ImageLimit int
	// MaxHashtags, when set, is the most hashtags a post may carry (Instagram: 30);
	// compose leaves out the tags' hashtags past it, with a warning.
	MaxHashtags int
	// CheckText, when set, says what the platform refuses in a post's text besides
	// its length (Instagram: more than 30 hashtags or 20 mentions), "" when nothing.
	CheckText func(text string) string
	// Address, when set, is how a post names the article when links in it are not
	// clickable (Instagram: the address a reader types, without https://).
	Address func(url string) string
	// FoldSummary joins the paragraphs of the summary into one line: on a short
	// platform, blank lines only eat the room. A release's own text for the
	// platform (posts.<name>) is kept as written.
	FoldSummary bool

	// Media is what the platform accepts as a post's picture.
	Media Media

	// Account is the schema of accounts.<key>.<Name> in humas.yaml.
	Account Schema

	// Credentials are the variables HUMAS_<ACCOUNT>_<Field> a target reads, in the
	// order they are named in messages. Secrets come from the environment only.
	Credentials []Credential
	// Endpoint is the variable that moves the platform's API (proxies, tests).
	Endpoint Endpoint
	// New builds the adapter of one account from what Open gathered. It is only
	// called with every required credential set.
	New func(Conn) (publish.Poster, error)

	// VerifyCall is the read-only request Poster.Verify makes, for doctor's help:
	// "GET /2/users/me".
	VerifyCall string
	// Identity is what Poster.Verify returns when the credentials belong to the
	// account humas.yaml names ("@kpubalikpapan"), or "" when its answer cannot be
	// compared (Facebook answers the page's display name; its adapter checks the id).
	Identity func(Account) string
	// PostID is the id a post has on the platform, from its address, for a post a
	// person records with humas resolve; nil takes the address as the id. It
	// refuses an address that is not one of the platform's posts, or that is
	// another account's: recorded, it would stand for a post that never went out.
	PostID func(a Account, url string) (string, error)
	// CannotLook: Find can never tell whether a post went out (Telegram's Bot API
	// cannot read a channel). A target left pending there waits for a person's
	// humas resolve, and status says so without asking the platform.
	CannotLook bool
	// Handle is how a post's mock-up names the account under its display name:
	// "@kpubalikpapan", "Halaman Facebook".
	Handle func(Account) string

	// Look is how the platform draws a post, for the preview's mock-ups.
	Look Look

	// Repost is how a partner institution's account passes on the issuer's release.
	Repost Repost
	// QuoteLink, with Repost Quote, is the link to the issuer's post id that the
	// adapter adds on a line after a partner's text (Telegram:
	// https://t.me/<channel>/<id>); nil when the quote is not in the text (X).
	// Compose keeps room for it; the preview shows it.
	QuoteLink func(issuer Account, id string) string
	// Collaborators, when set, is how many partner accounts the issuer's post may
	// invite as collaborators when the issuer's entry says collab: true (Instagram:
	// 3). An invited partner posts nothing of its own: it accepts in the app.
	Collaborators int
	// BeforeEmbargo: this platform may receive a release before its embargo lifts,
	// marked as embargoed (the press, by email: SPEC section 9). Every other rule
	// (exempted, draft, archive, blackout) still holds.
	BeforeEmbargo bool

	// Sent, when set, is the text that goes out for post p when the adapter adds to
	// the composed text (email marks its subject EMBARGO while the embargo holds):
	// a dry run shows it, so that what it shows is what is sent.
	Sent func(p publish.Post) string

	// Letter, when set, is the message an account sends each person on its list
	// for post p (the press, by email), drawn for the first on the list, as their
	// mail program shows it, with the code that sends it: the preview shows it
	// instead of a post. It reads the list, never the network; problems are the
	// list's, as Check reports them (nil when it has none), and the letter is
	// drawn without a recipient then.
	Letter func(root string, a Account, p publish.Post, now time.Time) (*publish.Letter, []FileProblem, error)

	// Check, when set, looks without the network at what an account's settings
	// name in the project (an email account's press list) and says what is wrong,
	// each problem at its file and line; check and doctor ask it.
	Check func(root string, a Account) []FileProblem
}

// FileProblem is one thing wrong in a file an account names: "press/kpu.csv:4: email:
// …".
type FileProblem struct {
	File    string // relative to the project root
	Line    int    // 0 when it is about the whole file
	Field   string
	Message string
	Hint    string
}

// Look is how a platform draws a post today, so the preview shows what readers
// will see, not the raw text.
type Look struct {
	// Logo is a glyph standing in for the platform's mark: "𝕏", "f".
	Logo string
	// LinkChars: a link in the text shows without https:// and www., cut after
	// this many characters with "…" (X); 0 shows links as written.
	LinkChars int
	// CardDescription: the link card shows the page's description under its
	// title (Facebook); without it, the title and domain only (X).
	CardDescription bool
	// AltBadge: a picture with alt text carries an ALT badge that opens it (X).
	AltBadge bool
	// NoAlt: the platform keeps no alt text for a picture (Telegram), so none is
	// shown as going out with it.
	NoAlt bool
	// PictureFirst: the picture is drawn above the text, which reads as its
	// caption (Instagram, a Telegram photo).
	PictureFirst bool
	// PlainLinks: links in the text are not clickable and show as plain text
	// (Instagram), and no link card is drawn.
	PlainLinks bool
}

// Repost is how a partner's account passes on a release another institution issued.
type Repost int

const (
	// Credit is a post of its own that names the issuer ("Sumber: KPU Kota
	// Balikpapan") and links the article.
	Credit Repost = iota
	// Quote quotes the issuer's post on the same platform when the issuer posted
	// there; otherwise it falls back to Credit.
	Quote
)

// Media is what a platform accepts as a post's picture. Zero bounds do not bound.
type Media struct {
	// Formats are the image formats accepted, named as Go's image.DecodeConfig
	// names them: "jpeg", "png", "gif", "webp", "bmp", "tiff".
	Formats  []string
	MaxBytes int64
	// Pixel bounds of the picture.
	MinWidth, MinHeight, MaxWidth, MaxHeight int
	// MinAspect and MaxAspect bound width / height (Instagram: 0.8 to 1.91).
	MinAspect, MaxAspect float64
	// MaxAlt is the longest alt text the platform keeps, in characters.
	MaxAlt int
	// ImageRequired: the platform posts nothing without a picture (Instagram).
	ImageRequired bool
	// NoPicture: no post on the platform carries the release's picture (the press
	// gets the release as a PDF instead), so none is shown as going out.
	NoPicture bool
	// FromSite: the platform takes no upload but fetches the picture from the live
	// site (Instagram). It gets the release's own image when it takes it as it is,
	// else the JPEG rendition the build writes beside the article, and the
	// release's card when the release has no image (SPEC section 10).
	FromSite bool
}

// Image is what is known of a picture by its content, for Media.Check.
type Image struct {
	Format        string // as image.DecodeConfig names it
	Width, Height int
	Bytes         int64
}

// Schema is the shape of one platform's entry under an account in humas.yaml.
type Schema struct {
	Fields []Field
	// Example is a whole entry, for hints: `{username: kpubalikpapan}`.
	Example string
	// Placeholder is the entry an account made up by the built-in default
	// configuration (no humas.yaml) has, given the account's key; nil leaves the
	// platform out of such accounts.
	Placeholder func(key string) map[string]string
}

// Field is one setting of an account on a platform: accounts.kpu.x.username.
type Field struct {
	Key      string
	Required bool
	// Hint says what to write; it follows "is required" and a wrong value.
	Hint string
	// Clean turns what people write into the value kept ("@kpubalikpapan" →
	// "kpubalikpapan"); nil keeps it trimmed as written.
	Clean func(string) string
	// Check says what is wrong with a cleaned value ("%q is not an X username"),
	// "" when nothing is; nil accepts any value.
	Check func(string) string
}

// Credential is one environment variable a target reads: HUMAS_<ACCOUNT>_<Field>.
type Credential struct {
	Field    string // "X_API_KEY"
	Required bool   // an optional one turns a feature on (FACEBOOK_APP_SECRET: appsecret_proof)
	About    string // what it is, for help and docs
	// Public says the value is a setting, not a secret (a mail server's name,
	// port and TLS mode): errors may name it, and must, to be understood.
	Public bool
}

// Endpoint is the variable holding a platform's API base URL, and its default.
type Endpoint struct {
	Var     string // "HUMAS_X_API_URL"
	Default string // "https://api.x.com"
}

// Account is one institution's account on one platform, as humas.yaml sets it.
type Account struct {
	Key      string            // the institution's key in humas.yaml: "kpu"
	Platform string            // "x"
	Settings map[string]string // accounts.kpu.x, cleaned: {"username": "kpubalikpapan"}
}

// Get returns one setting, "" when it is not set.
func (a Account) Get(key string) string { return a.Settings[key] }

// Conn is what a platform's New is given: the account and everything read for it
// from the environment.
type Conn struct {
	Account Account
	// Secrets holds every Credential by Field; optional ones may be "".
	Secrets map[string]string
	// BaseURL is Endpoint.Var when set, else Endpoint.Default.
	BaseURL string
	// Root is the project root, for files an account names (an email list).
	Root string
}

// Secret returns the credential named field ("X_API_KEY").
func (c Conn) Secret(field string) string { return c.Secrets[field] }

// Reposts reports whether a partner's release may be reposted on p: not where a
// post needs a picture (a repost carries none) nor on the press list (our own
// releases only). config refuses the others in partners.<key>.repost, and the
// scheduled repost step in CI gets the credentials of these platforms only.
func (p *Platform) Reposts() bool { return !p.Media.ImageRequired && !p.BeforeEmbargo }

// Vars are the full names of p's credential variables for account key, required
// ones first when required is true, otherwise only the optional ones.
func (p *Platform) Vars(key string, required bool) []string {
	var out []string
	for _, c := range p.Credentials {
		if c.Required == required {
			out = append(out, publish.EnvName(key, c.Field))
		}
	}
	return out
}

// Missing names the required credential variables of account key that getenv
// does not set, in the order of p.Credentials.
func (p *Platform) Missing(key string, getenv publish.Getenv) []string {
	var out []string
	for _, name := range p.Vars(key, true) {
		if getenv(name) == "" {
			out = append(out, name)
		}
	}
	return out
}

// Open builds the Poster of acc from the environment. A missing credential is a
// *publish.MissingCredentialsError naming every missing variable, never a value.
func (p *Platform) Open(acc Account, getenv publish.Getenv, root string) (publish.Poster, error) {
	if missing := p.Missing(acc.Key, getenv); len(missing) > 0 {
		return nil, &publish.MissingCredentialsError{Account: acc.Key, Platform: p.Name, Vars: missing}
	}
	c := Conn{Account: acc, Secrets: make(map[string]string, len(p.Credentials)), Root: root}
	for _, cr := range p.Credentials {
		c.Secrets[cr.Field] = getenv(publish.EnvName(acc.Key, cr.Field))
	}
	c.BaseURL = p.Endpoint.Default
	if p.Endpoint.Var != "" {
		if u := getenv(p.Endpoint.Var); u != "" {
			c.BaseURL = u
		}
	}
	if p.New == nil {
		return nil, fmt.Errorf("%s/%s: humas cannot post on %s yet", acc.Key, p.Name, p.DisplayName)
	}
	poster, err := p.New(c)
	if err != nil {
		return nil, err
	}
	// Every platform's errors are made short, printable and free of these
	// credentials in one place, whatever its adapter does.
	secrets := make([]string, 0, len(c.Secrets))
	for _, cr := range p.Credentials {
		if s := c.Secrets[cr.Field]; s != "" && !cr.Public {
			secrets = append(secrets, s)
		}
	}
	return publish.Scrubbed(poster, secrets), nil
}

// Registry is every platform humas knows, in the order targets are listed.
type Registry []*Platform

// Lookup returns the platform called name.
func (r Registry) Lookup(name string) (*Platform, bool) {
	for _, p := range r {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Names are the platforms' names in order: "x", "facebook".
func (r Registry) Names() []string {
	out := make([]string, len(r))
	for i, p := range r {
		out[i] = p.Name
	}
	return out
}

// DisplayName is name as people write it, or name itself when it is not a platform
// (an old ledger record of a platform since removed).
func (r Registry) DisplayName(name string) string {
	if p, ok := r.Lookup(name); ok {
		return p.DisplayName
	}
	return name
}

// Has reports whether name is a platform.
func (r Registry) Has(name string) bool { return slices.Contains(r.Names(), name) }

// Spoken is the display names as a sentence says them: "X and Facebook".
func (r Registry) Spoken() string {
	names := make([]string, len(r))
	for i, p := range r {
		names[i] = p.DisplayName
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// List is the names for a message: "x, facebook".
func (r Registry) List() string { return strings.Join(r.Names(), ", ") }
