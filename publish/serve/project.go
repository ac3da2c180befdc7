package serve

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/repost"
	"github.com/balikpapan/humas/publish/site"
)

// PreviewFunc renders the preview page of one release.
type PreviewFunc func(p *project.Project, r *release.Release) ([]byte, error)

// ProjectBuilder builds the project at root as `humas build` would, into the folder it
// is given, with a preview of every release, drafts included, rendered on request. The project is
// opened anew each time, so a change to humas.yaml takes effect. Warnings go to log.
func ProjectBuilder(root string, preview PreviewFunc, log io.Writer) Builder {
	return func(ctx context.Context, dir string) (Previews, error) {
		p, err := project.Open(root)
		if err != nil {
			return nil, err
		}
		rels, diags := p.LoadAll()
		for _, w := range diags.Warnings() {
			fmt.Fprintf(log, "humas: %s\n", w)
		}
		if err := diags.Err(); err != nil {
			return nil, err
		}
		recs, err := ledger.Open(p.Root).All()
		if err != nil {
			fmt.Fprintf(log, "humas: warning: %s: cross-post links left out: %v\n", ledger.Dir, err)
		}
		// The record of what was built stays beside the build, out of the project.
		// The press kits are drawn when asked for: a project with an empty cache
		// would otherwise draw every card and PDF before the first page shows.
		now := time.Now()
		opts := site.Options{Output: dir, Manifest: dir + ".json", Links: site.LedgerLinks(p.Config, recs), Embargoed: true, LazyKit: true, Now: now}
		if err == nil {
			opts.Targets = site.LedgerTargets(recs)
		}
		var problems []error
		opts.FromPartners, problems = repost.FromPartners(p.Config, p.Root, recs)
		for _, err := range problems {
			fmt.Fprintf(log, "humas: warning: %s: left out of the Dari mitra page: %v\n", repost.StateDir, err)
		}
		if _, err := site.Build(ctx, p, rels, opts); err != nil {
			return nil, err
		}
		l := &lazyPreviews{project: p, releases: map[string]*release.Release{}, render: preview, pages: map[string][]byte{},
			kit: site.PressKit(p), kits: map[string]*release.Release{}, now: now}
		pol := hold.PolicyOf(p.Config)
		for _, r := range rels {
			l.releases[r.Slug] = r
			// What the build gives a press kit (the site asks presskit.For too);
			// the build has refused two of them with one slug.
			if presskit.For(pol, r, now) {
				l.kits[r.Slug] = r
			}
		}
		return l, nil
	}
}

// lazyPreviews renders each preview of one build, and draws each file of its
// press kits, the first time it is asked for.
type lazyPreviews struct {
	project  *project.Project
	releases map[string]*release.Release
	render   PreviewFunc

	kit  *presskit.Kit
	kits map[string]*release.Release // the releases with a press kit, by slug
	now  time.Time                   // the build's instant, which the pages show

	mu    sync.Mutex
	pages map[string][]byte
}

func (l *lazyPreviews) Slugs() []string {
	slugs := make([]string, 0, len(l.releases))
	for slug := range l.releases {
		slugs = append(slugs, slug)
	}
	slices.Sort(slugs)
	return slugs
}

func (l *lazyPreviews) Page(slug string) ([]byte, bool, error) {
	r, ok := l.releases[slug]
	if !ok {
		return nil, false, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if page, ok := l.pages[slug]; ok {
		return page, true, nil
	}
	page, err := l.render(l.project, r)
	if err != nil {
		return nil, true, fmt.Errorf("%s: preview: %w", r.File, err)
	}
	l.pages[slug] = page
	return page, true, nil
}

// File returns the press kit file at urlPath ("/<slug>/siaran-pers.pdf") as
// humas build would place it there, from the project's cache or drawn into it.
func (l *lazyPreviews) File(urlPath string) ([]byte, bool, error) {
	slug, name, ok := strings.Cut(strings.TrimPrefix(urlPath, "/"), "/")
	if !ok {
		return nil, false, nil
	}
	r, ok := l.kits[slug]
	if !ok || !slices.Contains(presskit.Files(l.project.Config.Platforms, r), name) {
		return nil, false, nil
	}
	data, err := l.kit.Bytes(r, name, l.now)
	if err != nil {
		return nil, true, err
	}
	return data, true, nil
}

// WatchPaths are what a change to rebuilds the project at root: its releases (and
// their images), its templates, humas.yaml and the ledger (for cross-post links).
func WatchPaths(root string) []string {
	return []string{
		filepath.Join(root, filepath.FromSlash(ledger.Dir)),
		filepath.Join(root, release.Dir),
		filepath.Join(root, "templates"),
		filepath.Join(root, "humas.yaml"),
	}
}
