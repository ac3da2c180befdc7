package serve

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"

	"github.com/balikpapan/humas/publish/ledger"
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
		opts := site.Options{Output: dir, Manifest: dir + ".json", Links: site.LedgerLinks(p.Config, recs), Embargoed: true}
		var problems []error
		opts.FromPartners, problems = repost.FromPartners(p.Config, p.Root, recs)
		for _, err := range problems {
			fmt.Fprintf(log, "humas: warning: %s: left out of the Dari mitra page: %v\n", repost.StateDir, err)
		}
		if _, err := site.Build(ctx, p, rels, opts); err != nil {
			return nil, err
		}
		bySlug := make(map[string]*release.Release, len(rels))
		for _, r := range rels {
			bySlug[r.Slug] = r
		}
		return &lazyPreviews{project: p, releases: bySlug, render: preview, pages: map[string][]byte{}}, nil
	}
}

// lazyPreviews renders each preview of one build the first time it is asked for.
type lazyPreviews struct {
	project  *project.Project
	releases map[string]*release.Release
	render   PreviewFunc

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
