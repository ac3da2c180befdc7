package site

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/internal/fieldhash"
	"github.com/balikpapan/humas/publish/release"
)

// CacheDir, below the project root, holds what humas keeps between runs and may
// lose: the record of what each build wrote. It ignores itself in git.
const CacheDir = ".humas/cache"

// legacyManifestName is where builds before CacheDir kept their record: in the
// output folder, so it was deployed, telling anyone when each embargo lifts.
const legacyManifestName = ".humas-build.json"

const manifestVersion = 1

type manifest struct {
	Version int               `json:"version"`
	Global  string            `json:"global"`  // templates + config
	Stamp   string            `json:"stamp"`   // sizes and mtimes of the input folders
	Recheck time.Time         `json:"recheck"` // the next embargo to lift: pages change then
	Images  map[string]string `json:"images,omitempty"`
	// Entries is len(Articles)+len(Pages), so UpToDate can report it without
	// decoding both maps; 0 in manifests written before it was recorded.
	Entries  int                      `json:"entries,omitempty"`
	Articles map[string]articleRecord `json:"articles"`
	Pages    map[string]string        `json:"pages"`
}

type articleRecord struct {
	Hash   string `json:"hash"`
	Image  string `json:"image,omitempty"`  // copied file name next to index.html
	Source string `json:"source,omitempty"` // image path in the project
	// Kit lists the press kit files placed next to index.html, by their cache
	// keys (presskit.File.Key), space-separated.
	Kit string `json:"kit,omitempty"`
}

// manifestPath is the build record of the output folder out: a file of the
// project's cache, named for out (relative to the project when inside it, so
// moving the project keeps it).
func (in input) manifestPath(opts Options, out string) string {
	if opts.Manifest != "" {
		return opts.Manifest
	}
	key := out
	if rel, err := filepath.Rel(in.root, out); err == nil && filepath.IsLocal(rel) {
		key = filepath.ToSlash(rel)
	}
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(in.root, filepath.FromSlash(CacheDir), "site-"+hex.EncodeToString(sum[:8])+".json")
}

// makeCacheDir creates the cache folder with a .gitignore that ignores it all, so
// no `git add -A` can commit it, whatever the project's own .gitignore says.
func makeCacheDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Lstat(ignore); err == nil {
		return nil
	}
	return os.WriteFile(ignore, []byte("# humas's cache: rebuilt when missing, never committed\n*\n"), 0o644)
}

func readManifest(name string) *manifest {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil || m.Version != manifestVersion {
		return nil
	}
	return &m
}

// readManifestHead is readManifest without the article and page maps, which a
// build with nothing changed never needs. The fields are written in struct order,
// so it stops reading at "articles": neither decoding nor even scanning the maps,
// which at 2,000 releases was a quarter of a no-change build.
func readManifestHead(name string) *manifest {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 8<<10))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var m manifest
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		var v any
		switch t {
		case "version":
			v = &m.Version
		case "global":
			v = &m.Global
		case "stamp":
			v = &m.Stamp
		case "recheck":
			v = &m.Recheck
		case "images":
			v = &m.Images
		case "entries":
			v = &m.Entries
		case "articles", "pages":
			return checked(&m)
		default:
			v = new(json.RawMessage)
		}
		if dec.Decode(v) != nil {
			return nil
		}
	}
	return checked(&m)
}

func checked(m *manifest) *manifest {
	if m.Version != manifestVersion {
		return nil
	}
	return m
}

// writeManifest replaces the manifest atomically: a build killed halfway leaves
// the old one, whose hashes no longer match the half-written pages only where
// those pages were being rewritten anyway.
func writeManifest(name string, m *manifest) error {
	m.Entries = len(m.Articles) + len(m.Pages)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// articleHash covers everything an article page shows: the release, its
// cross-post links, the image file, whether the embargo line is on, and the
// templates and config (through the renderer's sum).
func (b *builder) articleHash(r *release.Release, links []Link) string {
	h := fieldhash.New(b.r.sum, r.Slug, r.File, r.Title, r.Issuer, r.Classification, r.Kind, r.Number, r.Summary, r.Image, r.ImageAlt)
	h.Time(r.Date).Time(r.Embargo)
	h.Int(len(r.Tags))
	for _, t := range r.Tags {
		h.Str(t)
	}
	if c := r.Contact; c != nil {
		h.Str("contact").Str(c.Name).Str(c.Role).Str(c.Phone).Str(c.Email)
	}
	if x := r.Hoax; x != nil {
		h.Str("hoax").Str(x.Claim).Str(x.Verdict).Int(len(x.Sources))
		for _, s := range x.Sources {
			h.Str(s)
		}
	}
	h.Int(len(links))
	for _, l := range links {
		h.Str(l.Account).Str(l.AccountName).Str(l.Platform).Str(l.URL)
	}
	if !r.Embargo.IsZero() && b.now.Before(r.Embargo) {
		h.Str("embargoed")
	}
	if r.Image != "" {
		h.Str(fileStat(filepath.Join(b.in.root, r.Image)))
	}
	if b.r.hasKit(r, b.now) {
		h.Str("presskit")
	}
	// The press kit keys its PDF by the same sum: one pass over each body a build.
	return h.Str(b.kit.BodySum(r)).Sum()
}

// cardHash covers what list pages and feeds show of a release.
func cardHash(c *card) string {
	h := fieldhash.New(c.Slug, c.Headline, c.Summary, c.IssuerName, c.Date, c.ISODate)
	for _, t := range c.Tags {
		h.Str(t)
	}
	return h.Sum()
}

func fileStat(name string) string {
	st, err := os.Stat(name)
	if err != nil {
		return "missing"
	}
	return strconv.FormatInt(st.Size(), 10) + "/" + strconv.FormatInt(st.ModTime().UnixNano(), 10)
}

// inputFolders are what a build reads besides images: a change to any file in
// them (size, mtime, name) makes UpToDate false.
var inputFolders = []string{"releases", "templates", filepath.Join(".humas", "ledger"), filepath.Join(".humas", "partners"), "humas.yaml"}

// relTo is filepath.Rel(root, p) for a path the walk under root gave, without
// Rel's cleaning and splitting when p plainly starts with root.
func relTo(root, p string) string {
	if root == filepath.Clean(root) && len(p) > len(root) && p[len(root)] == filepath.Separator && p[:len(root)] == root && root != string(filepath.Separator) {
		return p[len(root)+1:]
	}
	if root == "." && p == filepath.Clean(p) && !filepath.IsAbs(p) && p != ".." && !strings.HasPrefix(p, ".."+string(filepath.Separator)) {
		return p
	}
	rel, _ := filepath.Rel(root, p)
	return rel
}

// nextChange is the next instant at which the set of live releases changes without
// any file changing: an embargo lifts, or a blackout window that holds a release
// back closes. The no-change check expires then.
func nextChange(rels []*release.Release, pol hold.Policy, now time.Time) time.Time {
	var next time.Time
	for _, r := range rels {
		if t := pol.Check(hold.Of(r), now, nil).Until; t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

func imageStats(root string, arts map[string]articleRecord) map[string]string {
	var srcs []string
	for _, a := range arts {
		if a.Source != "" {
			srcs = append(srcs, a.Source)
		}
	}
	if len(srcs) == 0 {
		return nil
	}
	sort.Strings(srcs)
	m := make(map[string]string, len(srcs))
	for _, s := range srcs {
		m[s] = fileStat(filepath.Join(root, filepath.FromSlash(s)))
	}
	return m
}

// upToDate reports whether the output matches the inputs without reading any
// release, and how many articles and pages it holds.
func upToDate(in input, opts Options, now time.Time) (stamp string, unchanged int, ok bool) {
	stamp = inputStamp(in.root)
	out := in.output(opts)
	if config.OutputProblem(in.root, out) != "" {
		return stamp, 0, false // the build says why
	}
	record := in.manifestPath(opts, out)
	m := readManifestHead(record)
	if m == nil || m.Stamp != stamp || opts.Clean {
		return stamp, 0, false
	}
	if _, err := os.Lstat(filepath.Join(out, legacyManifestName)); err == nil {
		return stamp, 0, false // a build removes it
	}
	if !m.Recheck.IsZero() && !now.Before(m.Recheck) {
		return stamp, 0, false
	}
	r, err := newRenderer(in.cfg, in.fsys, in.binary)
	if err != nil || r.global(opts) != m.Global {
		return stamp, 0, false
	}
	for src, st := range m.Images {
		if fileStat(filepath.Join(in.root, filepath.FromSlash(src))) != st {
			return stamp, 0, false
		}
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		return stamp, 0, false
	}
	if m.Entries == 0 {
		if m = readManifest(record); m == nil {
			return stamp, 0, false
		}
		m.Entries = len(m.Articles) + len(m.Pages)
	}
	return stamp, m.Entries, true
}
