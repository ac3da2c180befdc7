// Package presskit draws what a release is shared and sent with besides its article
// (SPEC section 10): the Instagram card and the link-preview image of a release
// without a picture, a JPEG rendition of a picture Instagram would refuse, and the
// official release as a PDF. Each is drawn once per content and kept in the
// project's cache folder, which CI keeps between runs, so a build draws only what
// is new and otherwise links what it drew before into the site.
package presskit

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/balikpapan/humas/publish/card"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/internal/fieldhash"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/pressdoc"
	"github.com/balikpapan/humas/publish/projfile"
	"github.com/balikpapan/humas/publish/release"
)

// The files of a press kit, as they are named in the article's folder
// (public/<slug>/…) and so in their addresses. The pictures are named in
// publish/card, where compose finds them too.
const (
	Card      = card.CardFile      // 1080×1350 JPEG: Instagram's picture of a release without one
	OG        = card.OGFile        // 1200×630 PNG: og:image of a release without a picture
	Instagram = card.RenditionFile // a JPEG rendition of a picture Instagram would refuse
	PDF       = "siaran-pers.pdf"  // the official release, A4
)

// Dir is the cache folder below the project root: what a build drew, by content.
// It is rebuilt when missing, ignores itself in git, and is what CI keeps between
// runs (.github/workflows).
const Dir = ".humas/cache/presskit"

// version changes when what is drawn from the same content changes in a way the
// humas build identity would not catch (it always does: a new humas has a new
// identity), so that a cache of one format is never read as another.
const version = "humas-presskit-1"

// For reports whether r has a press kit at now, once it is on the site: not
// when it is held back from every post for good (exempted, a draft, the archive
// dated before publish.since). An embargo or a blackout holds posts for a time
// only, so the kit is drawn for the press, who receive the release first.
func For(pol hold.Policy, r *release.Release, now time.Time) bool {
	return !pol.Check(hold.Of(r), now, &platform.Platform{}).Never()
}

// Files lists the names of r's press kit: the cards when it has no picture, the
// JPEG rendition when a platform of reg that fetches the picture from the site
// (Instagram) would refuse it as it is, and always the PDF. compose points the
// posts at the same files by the same rules (Platform.Media, one statement of
// what each platform takes).
func Files(reg platform.Registry, r *release.Release) []string {
	if r.Image == "" {
		return []string{Card, OG, PDF}
	}
	info := platform.Image{Format: r.ImageInfo.Format, Width: r.ImageInfo.Width, Height: r.ImageInfo.Height, Bytes: int64(r.ImageInfo.Bytes)}
	for _, p := range reg {
		if p.Media.FromSite && len(p.CheckImage(info)) > 0 {
			return []string{Instagram, PDF}
		}
	}
	return []string{PDF}
}

// Kit draws and caches the press kits of one project. Make one per build and
// share it: its methods are safe for concurrent use.
type Kit struct {
	root  string
	cfg   *config.Config
	build string
	dir   string

	made   time.Time                      // when this run began: a temp file older is no one's
	cards  func() (*card.Renderer, error) // made when the first card is drawn
	mkdir  func() error
	drawn  atomic.Int64
	logos  sync.Map // account key → sum of its logo
	bodies sync.Map // *release.Release → sum of its body
}

// New returns the kit of the project at root with configuration cfg. build
// identifies the humas binary (the site's build identity): files another humas
// drew are drawn again, as pages another humas rendered are.
func New(root string, cfg *config.Config, build string) *Kit {
	k := &Kit{root: root, cfg: cfg, build: build, dir: filepath.Join(root, filepath.FromSlash(Dir)), made: time.Now()}
	k.cards = sync.OnceValues(card.New)
	k.mkdir = sync.OnceValue(k.makeDir)
	return k
}

// Drawn is how many files this kit has drawn, rather than found in the cache.
func (k *Kit) Drawn() int { return int(k.drawn.Load()) }

// File is one file of a release's press kit, in the cache.
type File struct {
	Name string // as in the article's folder: "card.jpg"
	Path string // the cached file, to link or copy into the site
	Key  string // the cache's name for it: its content key and Name
	in   *inputs
}

// Plan returns the files of r's press kit, in the order of Files, with where
// each is (or will be) in the cache; Ensure draws one that is not there yet. It
// reads nothing: a build from a warm cache tries to link each file first, and
// draws only what the link finds missing. image is r's picture as the caller read
// and checked it (nil when r has none): the build has it in hand, and it must be
// the bytes published.
func (k *Kit) Plan(r *release.Release, image []byte, now time.Time) ([]File, error) {
	in, err := k.inputs(r, image, now)
	if err != nil {
		return nil, err
	}
	names := Files(k.cfg.Platforms, r)
	out := make([]File, len(names))
	for i, name := range names {
		out[i] = k.file(in, name)
	}
	return out, nil
}

// Ensure draws f into the cache unless it is there already.
func (k *Kit) Ensure(f File) error {
	if _, err := os.Stat(f.Path); err == nil {
		return nil
	}
	_, err := k.make(f)
	return err
}

// Bytes returns the file called name of r's press kit ("siaran-pers.pdf"), from
// the cache when it is there, else drawn and kept. It reads r's picture itself,
// through projfile, and refuses a name r's kit does not have.
func (k *Kit) Bytes(r *release.Release, name string, now time.Time) ([]byte, error) {
	known := false
	for _, n := range Files(k.cfg.Platforms, r) {
		known = known || n == name
	}
	if !known {
		return nil, fmt.Errorf("%s: press kit: it has no %s", r.File, name)
	}
	var image []byte
	if r.Image != "" {
		var err error
		if image, err = projfile.Read(k.root, r.Image, projfile.Image); err != nil {
			return nil, fmt.Errorf("%s: image: %w", r.File, err)
		}
		if _, err := media.Inspect(image); err != nil {
			return nil, fmt.Errorf("%s: image: %s: %w", r.File, r.Image, err)
		}
	}
	in, err := k.inputs(r, image, now)
	if err != nil {
		return nil, err
	}
	f := k.file(in, name)
	if data, err := os.ReadFile(f.Path); err == nil {
		return data, nil
	}
	return k.make(f)
}

// PDF returns the official release of r as a PDF (siaran-pers.pdf), from the cache
// when it is there: what the press receives by email is the file the site links.
// Before r's embargo lifts it carries the EMBARGO line.
func (k *Kit) PDF(r *release.Release, now time.Time) ([]byte, error) {
	return k.Bytes(r, PDF, now)
}

// inputs is everything r's press kit is drawn from.
type inputs struct {
	rel       *release.Release
	card      card.Release
	doc       pressdoc.Release
	image     []byte
	cardSum   string // what the cards show
	imageSum  string // the picture's content
	docSum    string // what the PDF shows
	embargoed bool
}

func (k *Kit) inputs(r *release.Release, image []byte, now time.Time) (*inputs, error) {
	acct, ok := k.cfg.Account(r.Issuer)
	if !ok {
		return nil, fmt.Errorf("%s: issuer: unknown account %q", r.File, r.Issuer)
	}
	name := acct.Name
	if name == "" {
		name = r.Issuer
	}
	id := acct.Identity
	loc := k.cfg.Site.Location
	var hoax *pressdoc.Hoax
	if r.Hoax != nil {
		hoax = &pressdoc.Hoax{Claim: r.Hoax.Claim, Verdict: r.Hoax.Verdict, Sources: r.Hoax.Sources}
	}
	in := &inputs{rel: r, image: image}
	in.card = compose.CardRelease(k.cfg, r)
	in.card.Logo = id.LogoData
	in.doc = pressdoc.Release{
		Issuer: pressdoc.Identity{Name: name, Address: id.Address, Phone: id.Phone, Website: id.Website, Logo: id.LogoData},
		Title:  r.Title, Number: r.Number, Date: r.Date, Location: loc,
		Body: r.Body, Image: image, ImageAlt: r.ImageAlt, Hoax: hoax,
		URL: k.cfg.ArticleURL(r.Slug), Language: k.cfg.Site.Language,
	}
	// The EMBARGO line is on the PDF while the embargo holds, as on the article.
	if !r.Embargo.IsZero() && now.Before(r.Embargo) {
		in.doc.Embargo = r.Embargo
		in.embargoed = true
	}
	if c := r.Contact; c != nil {
		in.doc.Contact = &pressdoc.Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
	}

	logo := k.logoSum(acct.Key, id.LogoData)
	zone := ""
	if loc != nil {
		zone = loc.String()
	}
	h := fieldhash.New(version, k.build, "card")
	h.Str(in.card.Title).Str(in.card.Kind).Time(in.card.Date).Str(zone).Str(in.card.Issuer).Str(logo).Str(in.card.Verdict).Str(in.card.Website)
	in.cardSum = h.Sum()
	if image != nil {
		in.imageSum = fieldhash.New(version, k.build, "image").Bytes(image).Sum()
	}
	d := &in.doc
	h = fieldhash.New(version, k.build, "pdf")
	h.Str(d.Issuer.Name).Str(d.Issuer.Address).Str(d.Issuer.Phone).Str(d.Issuer.Website).Str(logo)
	h.Str(d.Title).Str(d.Number).Time(d.Date).Time(d.Embargo).Str(zone).Str(d.Place).Str(k.BodySum(r))
	h.Str(in.imageSum).Str(d.ImageAlt).Str(d.URL).Str(d.Language)
	if c := d.Contact; c != nil {
		h.Str("contact").Str(c.Name).Str(c.Role).Str(c.Phone).Str(c.Email)
	}
	if x := d.Hoax; x != nil {
		h.Str("hoax").Str(x.Claim).Str(x.Verdict).Int(len(x.Sources))
		for _, s := range x.Sources {
			h.Str(s)
		}
	}
	in.docSum = h.Sum()
	return in, nil
}

// BodySum is the SHA-256 of r's body, worked out once per kit: the site's
// record of what it built hashes the body too, and a build hashes each once.
func (k *Kit) BodySum(r *release.Release) string {
	if s, ok := k.bodies.Load(r); ok {
		return s.(string)
	}
	sum := sha256.Sum256(r.Body)
	s := string(sum[:])
	k.bodies.Store(r, s)
	return s
}

// logoSum is the content sum of an account's logo, worked out once per kit.
func (k *Kit) logoSum(account string, logo []byte) string {
	if len(logo) == 0 {
		return ""
	}
	if s, ok := k.logos.Load(account); ok {
		return s.(string)
	}
	s := fieldhash.New("logo").Bytes(logo).Sum()
	k.logos.Store(account, s)
	return s
}

// key is the cache's name of the file called name of the kit drawn from in.
func (in *inputs) key(name string) string {
	switch name {
	case Card, OG:
		return in.cardSum + "-" + name
	case Instagram:
		return in.imageSum + "-" + name
	}
	return in.docSum + "-" + name
}

func (k *Kit) file(in *inputs, name string) File {
	key := in.key(name)
	return File{Name: name, Key: key, Path: filepath.Join(k.dir, key), in: in}
}

// make draws f and keeps it in the cache.
func (k *Kit) make(f File) ([]byte, error) {
	data, err := k.draw(f.in, f.Name)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", f.in.rel.File, f.Name, err)
	}
	k.drawn.Add(1)
	if err := k.store(f.Path, data); err != nil {
		return nil, fmt.Errorf("press kit cache: %w", err)
	}
	return data, nil
}

func (k *Kit) draw(in *inputs, name string) ([]byte, error) {
	switch name {
	case Card, OG:
		r, err := k.cards()
		if err != nil {
			return nil, err
		}
		if name == Card {
			return r.Card(in.card)
		}
		return r.OG(in.card)
	case Instagram:
		out, _, err := card.ForInstagram(in.image)
		return out, err
	case PDF:
		return pressdoc.Render(in.doc)
	}
	return nil, fmt.Errorf("no such file in a press kit")
}

// store writes data to the cache at name, whole or not at all: a build killed
// halfway, or another reading at the same time, never sees half a file.
func (k *Kit) store(name string, data []byte) error {
	if err := k.mkdir(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(k.dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	// Read-only: the site links these files, and nothing may change them in place.
	if err := os.Chmod(tmp.Name(), 0o444); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// makeDir creates the cache folder with a .gitignore that ignores it all, so no
// `git add -A` commits it whatever the project's own .gitignore says.
func (k *Kit) makeDir() error {
	if err := os.MkdirAll(k.dir, 0o755); err != nil {
		return err
	}
	ignore := filepath.Join(k.dir, ".gitignore")
	if _, err := os.Lstat(ignore); err == nil {
		return nil
	}
	return os.WriteFile(ignore, []byte("# humas's press kit cache: drawn again when missing, never committed\n*\n"), 0o644)
}

// tempPrefix begins the name of a file store is writing; os.CreateTemp puts
// digits after it.
const tempPrefix = ".tmp-"

// staleTemp is how old a temp file must be, before this run began, to be one
// a killed run left behind: a live store keeps its temp file for the time of one
// write, and an hour is beyond any, even a run someone suspended a while.
const staleTemp = time.Hour

// Prune removes from the cache every file whose key is not in keep (File.Key):
// what no release of the last build has any more; and the temp files of draws a
// killed run left half written (stale: see staleTemp). It leaves every other
// name alone (the .gitignore, anything a person put there). It returns how many
// it removed.
func (k *Kit) Prune(keep map[string]bool) (int, error) {
	entries, err := os.ReadDir(k.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || keep[name] {
			continue
		}
		if strings.HasPrefix(name, ".") && !k.staleTemp(name) {
			continue
		}
		if os.Remove(filepath.Join(k.dir, name)) == nil {
			n++
		}
	}
	return n, nil
}

// staleTemp reports whether name in the cache is a temp file of store's that
// no run is writing any more.
func (k *Kit) staleTemp(name string) bool {
	digits, ok := strings.CutPrefix(name, tempPrefix)
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	st, err := os.Lstat(filepath.Join(k.dir, name))
	return err == nil && st.Mode().IsRegular() && st.ModTime().Before(k.made.Add(-staleTemp))
}
