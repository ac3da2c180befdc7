// Package repost reads partner offices' feeds (SPEC section 11) and keeps what it
// learnt of each in .humas/partners, beside the ledger: the validators for the next
// conditional request, the feed's items as last read, and the items we reposted,
// which our site lists under "Dari mitra".
package repost

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/projfile"
)

// StateDir holds one file per partner, <key>.json. It is committed with the ledger,
// so a scheduled CI run has the validators and items of the last run.
const StateDir = ".humas/partners"

// State is what humas knows of one partner's feed.
type State struct {
	Feed string `json:"feed"` // the address the validators and items belong to
	// ETag and LastModified are the feed's validators, sent back as If-None-Match
	// and If-Modified-Since so an unchanged feed answers 304 with no body.
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Checked      time.Time `json:"checked,omitzero"` // when the feed last answered 200
	// Items are the feed's items as last read, newest first: a 304 means they are
	// still what the partner publishes.
	Items []Item `json:"items"`
	// Reposted are the items one of our accounts holds a post of, newest first,
	// kept after they leave the feed: the site's "Dari mitra" list.
	Reposted []Item `json:"reposted,omitempty"`
}

// Item is a partner's release as repost needs it: plain text, without the article
// body, which our posts never carry.
type Item struct {
	URL     string     `json:"url"` // the partner's article: our posts link it, the ledger is keyed by it
	Title   string     `json:"title"`
	Summary string     `json:"summary,omitempty"`
	Date    time.Time  `json:"date"`
	Tags    []string   `json:"tags,omitempty"`
	Humas   feed.Humas `json:"_humas"`
}

// ItemOf keeps what repost needs of a feed item Parse accepted. An item without a
// summary gives its plain text instead.
func ItemOf(it feed.Item) Item {
	date, _ := time.Parse(time.RFC3339, it.DatePublished) // Parse checked it
	out := Item{URL: it.URL, Title: lineFeeds(it.Title), Summary: lineFeeds(it.Summary), Date: date, Humas: *it.Humas}
	if out.Summary == "" {
		out.Summary = lineFeeds(it.ContentText)
	}
	for _, t := range it.Tags {
		out.Tags = append(out.Tags, lineFeeds(t))
	}
	return out
}

// lineFeeds turns a partner's carriage returns into line feeds: a bare one
// rewrites the line in a terminal and starts one in a CI log, and our own releases
// hold none.
func lineFeeds(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// Facts are what our rules look at (hold.Policy).
func (it Item) Facts() hold.Facts {
	f := hold.Facts{Classification: it.Humas.Classification, Date: it.Date, Partner: true}
	if it.Humas.Embargo != "" {
		f.Embargo, _ = time.Parse(time.RFC3339, it.Humas.Embargo)
	}
	return f
}

// Verdict is a hoax clarification's verdict, "" for anything else.
func (it Item) Verdict() string {
	if it.Humas.Hoax != nil {
		return it.Humas.Hoax.Verdict
	}
	return ""
}

// IssuerPost is the issuer's own post on platform that the feed names, if any: the
// post a repost there quotes.
func (it Item) IssuerPost(platform string) (feed.Post, bool) {
	for _, p := range it.Humas.Posts {
		if p.Platform == platform && p.Account == it.Humas.Issuer {
			return p, true
		}
	}
	return feed.Post{}, false
}

// QuoteWait is how long a repost that would quote the issuer's post waits for it
// when the issuer's feed says it is still to come (_humas.awaiting): counted from
// the item's date, or from its embargo when that is later. The issuer's site is
// deployed before its posting jobs run and again minutes later; a post that failed
// once is tried again by the issuer's next scheduled run (every quarter of an
// hour). Six hours is many such runs, and still the same working day: a repost
// later than that loses more by being late than by not quoting.
const QuoteWait = 6 * time.Hour

// IssuerAwaits reports whether the feed names the issuer's own post on platform
// as still to come.
func (it Item) IssuerAwaits(platform string) bool {
	for _, t := range it.Humas.Awaiting {
		if t.Platform == platform && t.Account == it.Humas.Issuer {
			return true
		}
	}
	return false
}

// QuoteDeadline is when a repost stops waiting for the issuer's post it would
// quote (QuoteWait).
func (it Item) QuoteDeadline() time.Time {
	from := it.Date
	if e := it.Facts().Embargo; e.After(from) {
		from = e
	}
	return from.Add(QuoteWait)
}

// Key is the name of the ledger record of the item at url, from partner: the
// ledger is keyed by the item's URL (its record holds the URL itself), in a form
// that names a file and never a release's slug (slugs have no dot).
func Key(partner, url string) string {
	sum := sha256.Sum256([]byte(url))
	return ledger.PartnerPrefix + partner + "." + hex.EncodeToString(sum[:8])
}

// StatePath is the state file of partner, relative to the project root.
func StatePath(partner string) string { return path.Join(StateDir, partner+".json") }

// DamagedError is a state file that cannot be read back. It is never taken for
// empty: its list of reposts is what the site shows.
type DamagedError struct {
	File string
	Err  error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s: %v: the file is damaged; restore it with git checkout -- %s", e.File, e.Err, e.File)
}

func (e *DamagedError) Unwrap() error { return e.Err }

// LoadState reads the state of partner under root; a partner never read has an
// empty one. A state file that is a link, a pipe or too large (projfile) is
// damaged, as a ledger file would be.
func LoadState(root, partner string) (*State, error) {
	rel := StatePath(partner)
	data, err := projfile.Read(root, rel, projfile.State)
	if errors.Is(err, fs.ErrNotExist) {
		return &State{}, nil
	}
	var pe *projfile.Error
	if errors.As(err, &pe) && (errors.Is(err, projfile.ErrSymlink) || errors.Is(err, projfile.ErrNotRegular) || errors.Is(err, projfile.ErrTooLarge)) {
		return nil, &DamagedError{File: rel, Err: errors.New(pe.Problem)}
	}
	if err != nil {
		return nil, err
	}
	var s State
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, &DamagedError{File: rel, Err: err}
	}
	return &s, nil
}

// SaveState writes the state of partner atomically, and only when its bytes
// change, so an unchanged feed leaves git with nothing to commit.
func SaveState(root, partner string, s *State) error {
	rel := StatePath(partner)
	name := filepath.Join(root, filepath.FromSlash(rel))
	c := *s
	if c.Items == nil {
		c.Items = []Item{}
	}
	c.Checked = c.Checked.UTC().Truncate(time.Second)
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := ledger.WriteFile(name, data); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	return nil
}

// Remember adds the items of items that reposted reports as reposted to
// s.Reposted, newest first, each once, and reports whether it added any.
func (s *State) Remember(items []Item, reposted func(Item) bool) bool {
	known := make(map[string]bool, len(s.Reposted))
	for _, r := range s.Reposted {
		known[r.URL] = true
	}
	added := false
	for _, it := range items {
		// Asked only of items not remembered yet: reposted reads the ledger.
		if known[it.URL] || !reposted(it) {
			continue
		}
		known[it.URL] = true
		s.Reposted = append(s.Reposted, it)
		added = true
	}
	if added {
		slices.SortStableFunc(s.Reposted, func(a, b Item) int { return b.Date.Compare(a.Date) })
	}
	return added
}

// Composable is it as compose writes our posts of it, crediting partner by the
// name our humas.yaml gives it.
func Composable(partner config.Partner, it Item) compose.Repost {
	return compose.Repost{Partner: partner.Name, Title: it.Title, Summary: it.Summary, URL: it.URL, Tags: it.Tags, Verdict: it.Verdict()}
}
