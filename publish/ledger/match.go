package ledger

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/internal/yamlnode"
)

// Facts are what the ledger knows a release by: where it is and what it is called
// now, and the parts of it that a rename leaves alone.
type Facts struct {
	File   string // releases/2021-06-09-audiensi.md
	Slug   string
	URL    string // the article
	Issuer string
	Title  string
	Date   time.Time
	// ID, when set, is the id a new record takes instead of IDFor's: a partner's
	// release (humas repost) has a URL, not a file, for a name.
	ID string
}

// Found is the record of one release, and how it was found.
type Found struct {
	*Record
	// New: the ledger had no record of the release; this one is fresh, and
	// nothing of it is on disk yet.
	New bool
	// RenamedFrom is the file the record was kept under when the release was
	// recognised as that file renamed; "" otherwise.
	RenamedFrom string
	// OldSlug is the slug the record had when the release's slug changed: its
	// article URL becomes an alias of the new one.
	OldSlug string
	// Changed: what the record says of the release differs from what is saved.
	Changed bool
}

// PartnerPrefix begins the id of every record of a partner office's release
// (humas repost), whose file is the partner's article URL: "mitra.kpu.<hash>".
// No release file's name begins so (release names begin with their date).
const PartnerPrefix = "mitra."

// IDFor is the id a release gets when it is first recorded: its file's name without
// .md, or its slug when the name cannot name a folder.
func IDFor(file, slug string) string {
	id := strings.TrimSuffix(path.Base(file), ".md")
	if checkID(id) == nil {
		return id
	}
	if checkID(slug) == nil {
		return slug
	}
	var b strings.Builder
	for _, r := range id {
		if r < 0x80 && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	id = strings.Trim(b.String(), "-_")
	if id == "" {
		id = "release"
	}
	return id
}

// freshID is id, or id-2, id-3… when taken.
func freshID(id string, taken map[string]bool) string {
	if !taken[id] {
		return id
	}
	for n := 2; ; n++ {
		if c := id + "-" + strconv.Itoa(n); !taken[c] {
			return c
		}
	}
}

// Match finds the record of each release (aligned with facts) among recs, and
// brings what it says up to date in memory:
//
//  1. the record kept under the release's file;
//  2. else a record whose file is gone (gone reports it) that is the same release
//     renamed: same issuer and date, and the same title or slug. A record of an
//     older humas, which knew neither, is followed by its slug, as it was then;
//  3. else a new record, with the id IDFor gives.
//
// A slug that changed is kept in Aliases, so the old article URL keeps answering.
// Match never reads or writes the disk itself; Gone is the gone of a project.
func Match(recs []*Record, facts []Facts, gone func(file string) bool) []Found {
	out := make([]Found, len(facts))
	claimed := map[*Record]bool{}
	byFile := map[string]*Record{}
	ids := map[string]bool{}
	for _, r := range recs {
		ids[r.ID] = true
		if byFile[r.File] == nil {
			byFile[r.File] = r
		}
	}
	for i, f := range facts {
		if r := byFile[f.File]; r != nil && !claimed[r] {
			claimed[r] = true
			out[i].Record = r
		}
	}
	// Records whose file is gone, asked once each: few, but every new release
	// is compared with all of them.
	var orphans []*Record
	for _, r := range recs {
		if !claimed[r] && gone(r.File) {
			orphans = append(orphans, r)
		}
	}
	for i, f := range facts {
		if out[i].Record != nil {
			continue
		}
		best, score := (*Record)(nil), 0
		for _, r := range orphans {
			if claimed[r] {
				continue
			}
			if s := sameRelease(r, f); s > score {
				best, score = r, s
			}
		}
		if best != nil {
			claimed[best] = true
			out[i].Record, out[i].RenamedFrom = best, best.File
		}
	}
	for i, f := range facts {
		if out[i].Record != nil {
			continue
		}
		id := f.ID
		if id == "" {
			id = IDFor(f.File, f.Slug)
		}
		id = freshID(id, ids)
		ids[id] = true
		out[i] = Found{Record: &Record{ID: id, Targets: map[string]*Target{}}, New: true}
	}
	for i, f := range facts {
		out[i].OldSlug, out[i].Changed = out[i].follow(f)
	}
	return out
}

// sameRelease says how sure it is that r is the record of f under another file
// name: 0 not at all, more the surer. The date and the issuer must agree (a rename
// leaves them), and the title or the slug.
func sameRelease(r *Record, f Facts) int {
	if r.Legacy() && r.Issuer == "" {
		// An older humas keyed records by slug and knew nothing else.
		if r.Slug == f.Slug {
			return 1
		}
		return 0
	}
	if r.Issuer == "" || r.Issuer != f.Issuer || r.Date.IsZero() {
		return 0
	}
	if !r.Date.Equal(f.Date) {
		// A wrong date corrected, and the file's name (which begins with it) with
		// it: the same release only when its title and slug both stay, and the
		// least sure match.
		if r.Title != "" && r.Title == f.Title && r.Slug == f.Slug {
			return 1
		}
		return 0
	}
	score := 0
	switch {
	case r.Title != "" && r.Title == f.Title:
		score += 2
	case r.Title != "" && typoFixed(r.Title, f.Title):
		// A typo fixed in the title and in the file name at once: still the
		// release that was posted, whose posts must not go out again.
		score++
	}
	if r.Slug == f.Slug {
		score++
	}
	return score
}

// typoFixed reports whether title b is title a with a few letters corrected: at
// most 2 edits, or one in ten letters of a longer title.
func typoFixed(a, b string) bool {
	d := yamlnode.Distance(a, b)
	return d <= max(2, utf8.RuneCountInString(a)/10)
}

// follow updates the record to f, and reports the slug it leaves and whether
// anything changed.
func (m *Found) follow(f Facts) (oldSlug string, changed bool) {
	r := m.Record
	// Every build matches every release: compare the fields the record's file
	// holds, and encode both forms only when a field differs, where the encoding
	// decides (two strings the file cannot tell apart are no change).
	before := *r
	if !m.New {
		before.Aliases = slices.Clone(r.Aliases)
	}
	if r.Slug != "" && r.Slug != f.Slug {
		oldSlug = r.Slug
		if !slices.Contains(r.Aliases, r.Slug) {
			r.Aliases = append(r.Aliases, r.Slug)
		}
	}
	r.Aliases = slices.DeleteFunc(r.Aliases, func(a string) bool { return a == f.Slug })
	slices.Sort(r.Aliases)
	r.File, r.Slug, r.URL = f.File, f.Slug, f.URL
	r.Issuer, r.Title, r.Date = f.Issuer, f.Title, utcSecond(f.Date)
	if m.New || r.Legacy() {
		return oldSlug, true
	}
	if sameFields(&before, r) {
		return oldSlug, false
	}
	b, _ := encodeRelease(&before)
	a, _ := encodeRelease(r)
	return oldSlug, string(b) != string(a)
}

// sameFields reports whether a and b hold the same release fields, so that
// encodeRelease would write the same bytes for both.
func sameFields(a, b *Record) bool {
	if a.File != b.File || a.ID != b.ID || a.Issuer != b.Issuer || a.Slug != b.Slug || a.Title != b.Title || a.URL != b.URL {
		return false
	}
	if da, db := utcSecond(a.Date), utcSecond(b.Date); da.IsZero() != db.IsZero() || !da.Equal(db) {
		return false
	}
	x, y := slices.Clone(a.Aliases), slices.Clone(b.Aliases)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
