// Package release reads a press release (YAML front matter and Markdown) and enforces
// the rules every command applies to it.
package release

import (
	"time"

	"github.com/balikpapan/humas/publish/media"
)

// Classifications under UU 14/2008 on public information.
const (
	Berkala      = "berkala"
	SertaMerta   = "serta-merta"
	SetiapSaat   = "setiap-saat"
	Dikecualikan = "dikecualikan"
)

// Kinds of release.
const (
	SiaranPers       = "siaran-pers"
	Berita           = "berita"
	KlarifikasiHoaks = "klarifikasi-hoaks"
)

// Release is one parsed, validated release file.
type Release struct {
	File           string // path as given, relative to the project root when inside it
	Title          string // as written; Headline adds the hoax verdict prefix
	Date           time.Time
	Issuer         string // account key from humas.yaml
	Classification string
	Kind           string
	Number         string
	Summary        string // plain text: front matter, or the first paragraph of the body
	Tags           []string
	Image          string     // path relative to the project root ("" when none)
	ImageInfo      media.Info // what the image is, read from its content
	ImageAlt       string
	Contact        *Contact
	Embargo        time.Time // zero when none
	Targets        []string  // as written: "kpu" or "kpu/x"; empty means every account
	Posts          map[string]string
	Slug           string
	Draft          bool
	Hoax           *Hoax

	Body     []byte // the Markdown after the front matter
	BodyLine int    // 1-based line of the file where Body starts
	// Lines maps a front-matter key ("title", "hoax.claim", "posts.x", and list
	// entries as "targets.1") to its line of the file.
	Lines map[string]int
}

// Contact is the person journalists can call about the release.
type Contact struct {
	Name  string `yaml:"name"`
	Role  string `yaml:"role"`
	Phone string `yaml:"phone"`
	Email string `yaml:"email"`
}

// Hoax is the claim a klarifikasi-hoaks release answers.
type Hoax struct {
	Claim   string   `yaml:"claim"`
	Verdict string   `yaml:"verdict"` // HOAKS | DISINFORMASI | MISINFORMASI | SATIRE
	Sources []string `yaml:"sources"`
}

// Headline is the title readers see: a hoax clarification is prefixed with its
// verdict in brackets, "[HOAKS] …".
func (r *Release) Headline() string {
	if r.Hoax != nil && r.Hoax.Verdict != "" {
		return "[" + r.Hoax.Verdict + "] " + r.Title
	}
	return r.Title
}

// Line returns the line of a front-matter key, or 1 when it is not known.
func (r *Release) Line(key string) int {
	if n, ok := r.Lines[key]; ok {
		return n
	}
	return 1
}
