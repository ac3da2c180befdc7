// Package site renders releases into the office's static website: article pages,
// paged index, tag pages, feeds and sitemap, rebuilding only what changed.
package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/internal/fieldhash"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/projfile"
	"github.com/balikpapan/humas/publish/release"
)

// PerPage is how many articles an index or tag page lists.
const PerPage = 20

// Options say where and how to build.
type Options struct {
	// Output is the folder to write; "" means the config's site.output. A relative
	// path is taken from the project root.
	Output string
	// Links returns where the release with slug was cross-posted (from the ledger).
	Links func(slug string) []Link
	// Targets returns what the ledger holds of each target of the release with
	// slug, by ledger key (ledger.Key, LedgerTargets), for feed.json's awaiting list; nil when
	// the ledger could not be read, and the feed then names nothing as awaited.
	Targets func(slug string) map[string]*ledger.Target
	// Now decides which embargoes have lifted; zero means time.Now().
	Now time.Time
	// Embargoed builds releases whose embargo has not lifted yet, each marked with
	// its EMBARGO line: for humas serve, a preview only the press office sees. A
	// published build leaves them out until the embargo lifts, because the website
	// is publishing too.
	Embargoed bool
	// Clean removes every file the last build wrote, and no other, then renders
	// everything.
	Clean bool
	// Manifest is the file recording what the build wrote, for the next build;
	// "" keeps it in the project's CacheDir, never in the output folder, which
	// is published.
	Manifest string
	// Aliases maps an earlier slug of a renamed article to the address it has
	// now: the old address answers with a page that sends readers there.
	Aliases map[string]string
	// FromPartners are the partner releases our accounts reposted, newest first:
	// the "Dari mitra" page, written when humas.yaml has partners.
	FromPartners []FromPartner
	// LazyKit leaves the press kits out of the output folder, for humas serve:
	// with an empty cache a build would draw every kit before the first page
	// shows, and a person editing opens few. The pages link them as always; the
	// server draws each file when it is asked for (PressKit, presskit.Kit.Bytes).
	// Such a build never prunes the cache, which it does not fill.
	LazyKit bool
	// Stamp is the fingerprint UpToDate returned before the releases were read.
	// Without it the next UpToDate reports false and the next build compares
	// every release's hash instead of stopping early.
	Stamp string
}

// Link is one place a release was cross-posted.
type Link struct {
	Account, AccountName, Platform, URL string
	ID                                  string // the post's id on the platform, for feed.json
}

// Stats say what a build did.
type Stats struct {
	Articles  int  // article pages rendered
	Pages     int  // index, tag, feed and sitemap files rendered
	Unchanged int  // articles and pages skipped because nothing they depend on changed
	Written   int  // files whose bytes changed on disk
	Removed   int  // stale files and folders removed
	Drawn     int  // cards, renditions and PDFs drawn rather than found in the press kit cache
	Full      bool // everything was rendered (no usable manifest, or templates/config changed)
}

// input is what a build needs from a project.
type input struct {
	root string
	cfg  *config.Config
	fsys fs.FS
	// binary is the identity of the humas building (binaryIdentity): pages
	// another humas built are built again.
	binary string
}

func (in input) output(opts Options) string {
	out := opts.Output
	if out == "" {
		out = in.cfg.Site.Output
	}
	if out == "" {
		out = "public"
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(in.root, out)
	}
	return out
}

// builder carries one build.
type builder struct {
	in    input
	opts  Options
	out   string
	r     *renderer
	now   time.Time
	fresh bool // the output folder did not exist: no file needs comparing
	// placed is what the last build recorded it wrote: what is in the folder,
	// whether or not this build may reuse it (a full build reuses nothing, and
	// still removes what a release no longer has).
	placed *manifest
	kit    *presskit.Kit
	// kitMoved: a release's press kit changed or went, so the cache may hold
	// files no release has any more.
	kitMoved atomic.Bool

	mu    sync.Mutex
	stats Stats
}

func build(ctx context.Context, in input, rels []*release.Release, opts Options) (Stats, error) {
	r, err := newRenderer(in.cfg, in.fsys, in.binary)
	if err != nil {
		return Stats{}, err
	}
	b := &builder{in: in, opts: opts, out: in.output(opts), r: r, now: opts.Now, kit: presskit.New(in.root, in.cfg, in.binary)}
	// Checked here as well as in humas.yaml: --output and callers give folders too,
	// and nothing below may write or remove a file before it is checked.
	if why := config.OutputProblem(in.root, b.out); why != "" {
		return Stats{}, &OutputError{Output: b.out, Problem: why}
	}
	if b.now.IsZero() {
		b.now = time.Now()
	}
	record := in.manifestPath(opts, b.out)
	// prev says what the last build wrote: all a build ever removes. A build from
	// before the record moved out of the output folder left it there. Without an
	// output folder nothing is left to remove or reuse, and the record, which
	// outlives a deleted folder, is not even read.
	prev := &manifest{}
	if _, err := os.Stat(b.out); errors.Is(err, fs.ErrNotExist) {
		b.fresh = true
	} else if m := readManifest(record); m != nil {
		prev = m
	} else if m := readManifest(filepath.Join(b.out, legacyManifestName)); m != nil {
		prev = m
	}
	if opts.Clean {
		b.removeAll(prev)
		prev = &manifest{}
	}
	b.placed = prev
	if err := os.MkdirAll(b.out, 0o755); err != nil {
		return Stats{}, err
	}
	// old is what may be reused: nothing when templates, config or humas changed.
	old := prev
	if old.Global != r.global(opts) {
		old = &manifest{}
		b.stats.Full = true
	}
	next := &manifest{Version: manifestVersion, Global: r.global(opts), Articles: map[string]articleRecord{}, Pages: map[string]string{}}

	live, err := b.selectLive(rels)
	if err != nil {
		return Stats{}, err
	}
	if err := b.render(ctx, live, old, next); err != nil {
		return b.stats, err
	}
	b.removeStale(prev, next)
	b.stats.Drawn = b.kit.Drawn()
	if (b.stats.Drawn > 0 || b.kitMoved.Load()) && !opts.LazyKit {
		keep := map[string]bool{}
		for _, a := range next.Articles {
			for _, k := range strings.Fields(a.Kit) {
				keep[k] = true
			}
		}
		if _, err := b.kit.Prune(keep); err != nil {
			return b.stats, err
		}
	}
	// Only a stamp taken before the releases were read may vouch for them: one
	// taken now could cover an edit made after loading.
	next.Stamp = opts.Stamp
	next.Recheck = nextChange(rels, hold.PolicyOf(b.in.cfg), b.now)
	next.Images = imageStats(in.root, next.Articles)
	if opts.Manifest == "" {
		if err := makeCacheDir(filepath.Dir(record)); err != nil {
			return b.stats, err
		}
	}
	if err := writeManifest(record, next); err != nil {
		return b.stats, err
	}
	// The old record told anyone reading the deployed site when each embargo lifts.
	b.remove(legacyManifestName)
	return b.stats, nil
}

// OutputError refuses an output folder that is, holds or lies inside the project's
// own files.
type OutputError struct {
	Output  string // the folder, absolute
	Problem string // why: "is the project folder itself"
}

func (e *OutputError) Error() string {
	return fmt.Sprintf("output %s: %s: build into a folder of its own", e.Output, e.Problem)
}

// removeAll removes every file the build recorded in m wrote, for --clean.
func (b *builder) removeAll(m *manifest) {
	for slug, a := range m.Articles {
		b.removeArticle(slug, a)
	}
	for p := range m.Pages {
		b.remove(filepath.FromSlash(p))
	}
}

// removeArticle removes the files of one article a build wrote, and its folder
// if nothing else is left in it.
func (b *builder) removeArticle(slug string, a articleRecord) {
	b.remove(filepath.Join(slug, "index.html"))
	b.removeBeside(slug, a)
}

// removeBeside removes what a build placed beside the article's page: its
// image and its press kit.
func (b *builder) removeBeside(slug string, a articleRecord) {
	if a.Image != "" {
		b.remove(filepath.Join(slug, a.Image))
	}
	for _, k := range strings.Fields(a.Kit) {
		b.remove(filepath.Join(slug, kitName(k)))
	}
	if a.Kit != "" {
		b.kitMoved.Store(true)
	}
}

// kitName is the file name in the article's folder of a press kit file recorded
// by its cache key (presskit.File.Key: "<content key>-card.jpg").
func kitName(key string) string {
	_, name, _ := strings.Cut(key, "-")
	return name
}

// remove deletes rel below the output folder, then the folders it leaves empty.
// rel comes from a build record, which is a file like any other: only a regular
// file at a path that stays below the output folder is removed, never a folder
// with anything in it.
func (b *builder) remove(rel string) {
	if !filepath.IsLocal(rel) {
		return
	}
	name := filepath.Join(b.out, rel)
	if st, err := os.Lstat(name); err != nil || !st.Mode().IsRegular() {
		return
	}
	if os.Remove(name) != nil {
		return
	}
	b.mu.Lock()
	b.stats.Removed++
	b.mu.Unlock()
	for dir := filepath.Dir(name); dir != b.out && len(dir) > len(b.out); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
}

// selectLive keeps the releases that belong on the site, newest first. Drafts and
// dikecualikan releases are never built; embargoed ones, and those a blackout window
// holds back, only for a preview.
func (b *builder) selectLive(rels []*release.Release) ([]*release.Release, error) {
	live := make([]*release.Release, 0, len(rels))
	seen := make(map[string]string, len(rels))
	for _, r := range rels {
		if r == nil {
			continue
		}
		// hold.Policy is what every command asks; Embargoed previews what waits for a time.
		if h := hold.PolicyOf(b.in.cfg).Check(hold.Of(r), b.now, nil); h.Held() && (!b.opts.Embargoed || h.Never()) {
			continue
		}
		if r.Slug == "" {
			return nil, fmt.Errorf("%s: release has no slug", r.File)
		}
		if prev, ok := seen[r.Slug]; ok {
			return nil, fmt.Errorf("%s: slug %q is already used by %s", r.File, r.Slug, prev)
		}
		if release.ReservedSlug(r.Slug) {
			return nil, fmt.Errorf("%s: slug %q is reserved for the site's own pages", r.File, r.Slug)
		}
		if imageName(r) == "index.html" {
			return nil, fmt.Errorf("%s: image: a file named index.html would replace the article page", r.File)
		}
		if name := imageName(r); name != "" && slices.Contains(presskit.Files(b.in.cfg.Platforms, r), name) {
			return nil, fmt.Errorf("%s: image: a file named %s would replace the press kit's: rename the picture", r.File, name)
		}
		seen[r.Slug] = r.File
		live = append(live, r)
	}
	sort.SliceStable(live, func(i, j int) bool {
		if !live[i].Date.Equal(live[j].Date) {
			return live[i].Date.After(live[j].Date)
		}
		return live[i].Slug < live[j].Slug
	})
	return live, nil
}

func (b *builder) links(slug string) []Link {
	if b.opts.Links == nil {
		return nil
	}
	return b.opts.Links(slug)
}

// articleJob is one release's article page; the worker decides whether its inputs
// changed, so hashing the bodies runs on every CPU too.
type articleJob struct {
	rel     *release.Release
	rec     articleRecord
	skipped bool
}

// renderArticleJob writes the article page (and image) of j unless nothing it
// depends on changed since the build recorded in old.
func (b *builder) renderArticleJob(j *articleJob, old *manifest, md goldmark.Markdown, body *bodyBuffer, page *bytes.Buffer) error {
	rel := j.rel
	links := b.links(rel.Slug)
	j.rec = articleRecord{Hash: b.articleHash(rel, links), Image: imageName(rel)}
	if rel.Image != "" {
		j.rec.Source = filepath.ToSlash(rel.Image)
	}
	prev, ok := old.Articles[rel.Slug]
	if ok && prev.Hash == j.rec.Hash && prev.Image == j.rec.Image && prev.Source == j.rec.Source && b.exists(rel.Slug, "index.html") {
		// The hash covers whether the release has a press kit and everything it is
		// drawn from: the kit is as the last build placed it.
		j.rec = prev
		j.skipped = true
		return nil
	}
	was, had := b.placed.Articles[rel.Slug]
	if had && was.Image != "" && was.Image != j.rec.Image {
		// The release now shows another image (or none): the old copy goes.
		b.remove(filepath.Join(rel.Slug, was.Image))
	}
	var img []byte
	if rel.Image != "" {
		src, err := projfile.Read(b.in.root, rel.Image, projfile.Image)
		if err != nil {
			return fmt.Errorf("%s: image: %w", rel.File, err)
		}
		// Checked when the release was read, and again on the bytes published:
		// the file may have changed since, and the site's origin must never serve
		// a page or a script by the name of a picture.
		if _, err := media.Inspect(src); err != nil {
			return fmt.Errorf("%s: image: %s: %w", rel.File, rel.Image, err)
		}
		img = src
	}
	html, err := articleHTML(md, body, rel)
	if err != nil {
		return err
	}
	page.Reset()
	if err := b.r.renderArticle(page, rel, html, links, b.now); err != nil {
		return fmt.Errorf("%s: %w", rel.File, err)
	}
	// The folder's parent is the output root, which exists: one mkdir, not MkdirAll's stats.
	if err := os.Mkdir(filepath.Join(b.out, rel.Slug), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := b.write(filepath.Join(rel.Slug, "index.html"), page.Bytes()); err != nil {
		return err
	}
	if img != nil {
		if err := b.write(filepath.Join(rel.Slug, j.rec.Image), img); err != nil {
			return err
		}
	}
	if b.r.hasKit(rel, b.now) && !b.opts.LazyKit {
		files, err := b.kit.Plan(rel, img, b.now)
		if err != nil {
			return err
		}
		keys := make([]string, len(files))
		for i, f := range files {
			if err := b.place(f, filepath.Join(rel.Slug, f.Name)); err != nil {
				return err
			}
			keys[i] = f.Key
		}
		j.rec.Kit = strings.Join(keys, " ")
	}
	if had && was.Kit != j.rec.Kit {
		b.kitMoved.Store(true)
		now := strings.Fields(j.rec.Kit)
		for _, k := range strings.Fields(was.Kit) {
			if name := kitName(k); !slices.ContainsFunc(now, func(n string) bool { return kitName(n) == name }) {
				b.remove(filepath.Join(rel.Slug, name))
			}
		}
	}
	return nil
}

// place puts the press kit file f at rel below the output folder. It is a hard
// link to the cached file, so that a build from a warm cache copies no bytes: the
// cached file is read-only, and nothing writes into a placed file (a new version
// is a new link put in place by rename). A file the cache does not have yet is
// drawn when the link finds it missing, so a warm build asks the cache nothing
// more. Where the two folders cannot share a file (another file system), it is a
// copy.
func (b *builder) place(f presskit.File, rel string) error {
	src, name := f.Path, filepath.Join(b.out, rel)
	at := name
	if !b.fresh {
		if s, err := os.Stat(src); err == nil {
			if d, err := os.Lstat(name); err == nil && os.SameFile(s, d) {
				return nil
			}
		}
		at = filepath.Join(filepath.Dir(name), ".humas-"+filepath.Base(name))
		os.Remove(at)
	}
	err := os.Link(src, at)
	if errors.Is(err, fs.ErrNotExist) {
		if err := b.kit.Ensure(f); err != nil {
			return err
		}
		err = os.Link(src, at)
	}
	if err != nil {
		data, rerr := os.ReadFile(src)
		if rerr != nil {
			return rerr
		}
		if err := writeFile(at, data); err != nil {
			return err
		}
	}
	if at != name {
		if err := os.Rename(at, name); err != nil {
			os.Remove(at)
			return err
		}
	}
	b.mu.Lock()
	b.stats.Written++
	b.mu.Unlock()
	return nil
}

// render runs every article and list page on one pool of workers. The feeds and
// sitemap, the largest single jobs, go first so no CPU idles at the end waiting
// on them; no rendered page is kept once written.
func (b *builder) render(ctx context.Context, live []*release.Release, old, next *manifest) error {
	arts := make([]articleJob, len(live))
	for i, rel := range live {
		arts[i].rel = rel
	}
	pages := b.lists(live, old, next)
	var first, rest []listPage
	for _, p := range pages {
		if strings.HasSuffix(p.path, ".xml") {
			first = append(first, p)
		} else {
			rest = append(rest, p)
		}
	}
	b.stats.Pages = len(pages)
	err := parallel(ctx, len(first)+len(arts)+len(rest), func() func(int) error {
		md := newMarkdown()
		var body bodyBuffer
		var page bytes.Buffer
		return func(i int) error {
			switch {
			case i < len(first):
				return b.renderPage(&first[i], &page)
			case i < len(first)+len(arts):
				return b.renderArticleJob(&arts[i-len(first)], old, md, &body, &page)
			default:
				return b.renderPage(&rest[i-len(first)-len(arts)], &page)
			}
		}
	})
	for _, a := range arts {
		next.Articles[a.rel.Slug] = a.rec
		if a.skipped {
			b.stats.Unchanged++
		} else if a.rec.Hash != "" {
			b.stats.Articles++
		}
	}
	return err
}

func (b *builder) renderPage(p *listPage, buf *bytes.Buffer) error {
	buf.Reset()
	if err := p.render(buf); err != nil {
		return fmt.Errorf("%s: %w", p.path, err)
	}
	return b.write(filepath.FromSlash(p.path), buf.Bytes())
}

func imageName(rel *release.Release) string {
	if rel.Image == "" {
		return ""
	}
	return filepath.Base(filepath.FromSlash(rel.Image))
}

func (b *builder) exists(elem ...string) bool {
	_, err := os.Stat(filepath.Join(append([]string{b.out}, elem...)...))
	return err == nil
}

// parallel runs do(0..n-1) on a few workers per CPU; newWorker gives each worker its
// own buffers. The first error stops the rest.
func parallel(ctx context.Context, n int, newWorker func() func(int) error) error {
	if n == 0 {
		return nil
	}
	// Writing a page is a few file-system calls that block; more workers than CPUs
	// keep the CPUs rendering while others wait on the disk.
	workers := min(2*runtime.GOMAXPROCS(0), n)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next int64
	var mu sync.Mutex
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= int64(n) {
			return 0, false
		}
		next++
		return int(next - 1), true
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := newWorker()
			for ctx.Err() == nil {
				i, ok := take()
				if !ok {
					return
				}
				if err := do(i); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

// write puts data at rel under the output folder unless the file already holds
// exactly those bytes, so unchanged pages keep their mtime and deploys stay small.
func (b *builder) write(rel string, data []byte) error {
	name := filepath.Join(b.out, rel)
	if !b.fresh {
		if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
			return nil
		}
	}
	err := writeFile(name, data)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(name), 0o755); err == nil {
			err = writeFile(name, data)
		}
	}
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.stats.Written++
	b.mu.Unlock()
	return nil
}

// listPage is one index, tag or feed output with the hash of what it shows.
type listPage struct {
	path   string // output file, slash-separated
	hash   string
	render func(buf *bytes.Buffer) error
}

// lists returns the index pages, tag pages, tag list, feeds and sitemap whose
// content changed, ready to render.
func (b *builder) lists(live []*release.Release, old, next *manifest) []listPage {
	cards := make([]card, len(live))
	cardSums := make([]string, len(live))
	// Dates, names and a hash for each release: enough work to share out.
	_ = parallel(context.Background(), len(live), func() func(int) error {
		return func(i int) error {
			cards[i] = b.r.card(live[i], "")
			cardSums[i] = cardHash(&cards[i])
			return nil
		}
	})
	all := make([]int, len(cards))
	for i := range all {
		all[i] = i
	}
	var pages []listPage
	var sitemapPaths []string

	// Paged index: page 1 at the root, then page/2/, page/3/…
	b.paged(&pages, &sitemapPaths, "", cards, all, cardSums, func(d *pageData) *template.Template {
		d.Heading = b.in.cfg.Site.Title
		return b.r.index
	})

	byTag := map[string][]int{}
	names := map[string]string{}
	for i, c := range cards {
		for _, t := range c.Tags {
			s := tagSlug(t)
			if _, ok := names[s]; !ok {
				names[s] = t
			}
			byTag[s] = append(byTag[s], i)
		}
	}
	slugs := make([]string, 0, len(byTag))
	for s := range byTag {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	tagList := make([]tagCount, 0, len(slugs))
	for _, s := range slugs {
		idx := byTag[s]
		name := names[s]
		b.paged(&pages, &sitemapPaths, "tags/"+s+"/", cards, idx, cardSums, func(d *pageData) *template.Template {
			d.Heading, d.Count = name, len(idx)
			return b.r.tag
		})
		tagList = append(tagList, tagCount{Name: name, Slug: s, Count: len(idx)})
	}
	{
		h := fieldhash.New(b.r.sum, "tags")
		for _, t := range tagList {
			h.Str(t.Name).Str(t.Slug).Int(t.Count)
		}
		pages = append(pages, listPage{path: "tags/index.html", hash: h.Sum(), render: func(buf *bytes.Buffer) error {
			d := b.page("Label", "", b.in.cfg.Site.BaseURL+"tags/", "../")
			d.Tags = tagList
			var err error
			if d.Chrome, err = b.r.chrome(b.r.all, "../"); err != nil {
				return err
			}
			return b.r.all.ExecuteTemplate(buf, "baseof.html", d)
		}})
		sitemapPaths = append(sitemapPaths, "tags/")
	}

	// The accounts' logos, which the header, the footer and each article show.
	for _, key := range slices.Sorted(maps.Keys(b.r.logos)) {
		l := b.r.logos[key]
		pages = append(pages, listPage{path: l.Name, hash: fieldhash.New(b.r.sum, "logo", l.Name).Bytes(l.Data).Sum(),
			render: func(buf *bytes.Buffer) error { buf.Write(l.Data); return nil }})
	}
	if len(b.in.cfg.Partners) > 0 {
		pages = append(pages, b.mitraPage())
		sitemapPaths = append(sitemapPaths, MitraDir)
	}

	everything := fieldhash.New(b.r.sum, "all")
	for _, s := range cardSums {
		everything.Str(s)
	}
	allSum := everything.Sum()
	pages = append(pages,
		listPage{path: "index.xml", hash: allSum, render: func(buf *bytes.Buffer) error { b.r.rss(buf, cards); return nil }},
		listPage{path: "atom.xml", hash: allSum, render: func(buf *bytes.Buffer) error { b.r.atom(buf, cards); return nil }},
		b.jsonFeed(live, cards, cardSums),
	)
	// The sitemap shows URLs and dates only, so a new title leaves it alone.
	sm := fieldhash.New(b.r.sum, "sitemap")
	for _, c := range cards {
		sm.Str(c.URL).Str(c.ISODate)
	}
	for _, p := range sitemapPaths {
		sm.Str(p)
	}
	pages = append(pages, listPage{path: "sitemap.xml", hash: sm.Sum(), render: func(buf *bytes.Buffer) error {
		b.r.sitemap(buf, cards, sitemapPaths)
		return nil
	}})
	pages = append(pages, b.aliasPages(live)...)

	var todo []listPage
	for _, p := range pages {
		next.Pages[p.path] = p.hash
		if old.Pages[p.path] == p.hash && b.exists(filepath.FromSlash(p.path)) {
			b.stats.Unchanged++
			continue
		}
		todo = append(todo, p)
	}
	return todo
}

// paged adds the pages of one list (the index, or one tag) at dir: dir/index.html,
// dir/page/2/index.html…
func (b *builder) paged(pages *[]listPage, sitemap *[]string, dir string, cards []card, idx []int, sums []string, fill func(*pageData) *template.Template) {
	total := max(1, (len(idx)+PerPage-1)/PerPage)
	depth := 0
	if dir != "" {
		depth = 2 // "tags/x/"
	}
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*PerPage, min(n*PerPage, len(idx))
		rel := dir
		d := depth
		if n > 1 {
			rel = dir + "page/" + strconv.Itoa(n) + "/"
			d += 2
		}
		root := "./"
		if d > 0 {
			root = ""
			for range d {
				root += "../"
			}
		}
		h := fieldhash.New(b.r.sum, "list", rel).Int(n).Int(total)
		for _, i := range idx[lo:hi] {
			h.Str(sums[i])
		}
		pageCards := idx[lo:hi]
		*sitemap = append(*sitemap, rel)
		*pages = append(*pages, listPage{path: rel + "index.html", hash: h.Sum(), render: func(buf *bytes.Buffer) error {
			d := b.page("", "", b.in.cfg.Site.BaseURL+rel, root)
			t := fill(d)
			var err error
			if d.Chrome, err = b.r.chrome(t, root); err != nil {
				return err
			}
			if dir != "" {
				d.Title = "Label " + d.Heading
			}
			if n > 1 {
				d.Title = strings.TrimPrefix(d.Title+" · Halaman "+strconv.Itoa(n), " · ")
			}
			d.Cards = make([]template.HTML, len(pageCards))
			for k, i := range pageCards {
				c := cards[i]
				c.Href = root + c.Slug + "/"
				if b.r.fast {
					d.Cards[k] = cardHTML(&c)
					continue
				}
				var cb bytes.Buffer
				if err := t.ExecuteTemplate(&cb, "card", c); err != nil {
					return err
				}
				d.Cards[k] = template.HTML(cb.String())
			}
			d.Pager = pager{Number: n, Total: total}
			if n == 2 {
				d.Pager.Prev = "../../"
			} else if n > 2 {
				d.Pager.Prev = "../" + strconv.Itoa(n-1) + "/"
			}
			if n < total {
				if n == 1 {
					d.Pager.Next = "page/2/"
				} else {
					d.Pager.Next = "../" + strconv.Itoa(n+1) + "/"
				}
			}
			if b.r.fast && writeListFast(buf, d, dir != "") {
				return nil
			}
			return t.ExecuteTemplate(buf, "baseof.html", d)
		}})
	}
}

func (b *builder) page(title, desc, canonical, root string) *pageData {
	return &pageData{Site: b.in.cfg.Site, Lang: b.r.language(), Locale: b.r.locale(), Title: title, Description: desc, Canonical: canonical, Root: root, CSS: b.r.css}
}

// removeStale deletes the articles and list pages the previous build wrote that
// this one no longer has (a deleted release, a tag no longer used, fewer pages).
func (b *builder) removeStale(old, next *manifest) {
	for slug, a := range old.Articles {
		if _, ok := next.Articles[slug]; !ok {
			if _, moved := next.Pages[slug+"/index.html"]; moved {
				// The article was renamed: its address answers with an alias page now.
				b.removeBeside(slug, a)
				continue
			}
			b.removeArticle(slug, a)
		}
	}
	for p := range old.Pages {
		if _, ok := next.Pages[p]; !ok {
			b.remove(filepath.FromSlash(p))
		}
	}
}

// renderArticleTo is the shared body of RenderArticle: it renders the article page of
// rel for a caller holding a config and templates.
func renderArticleTo(w io.Writer, cfg *config.Config, fsys fs.FS, rel *release.Release, links []Link, now time.Time) error {
	r, err := newRenderer(cfg, fsys, "")
	if err != nil {
		return err
	}
	var buf bodyBuffer
	html, err := articleHTML(newMarkdown(), &buf, rel)
	if err != nil {
		return err
	}
	if now.IsZero() {
		now = time.Now()
	}
	return r.renderArticle(w, rel, html, links, now)
}
