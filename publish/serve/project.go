package serve

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/site"
)

// PreviewFunc renders the preview page of one release.
type PreviewFunc func(p *project.Project, r *release.Release) ([]byte, error)

// ProjectBuilder builds the project at root as `humas build` would, into the folder it
// is given, plus a preview page of every release, drafts included. The project is
// opened anew each time, so a change to humas.yaml takes effect. Warnings go to log.
func ProjectBuilder(root string, preview PreviewFunc, log io.Writer) Builder {
	return func(ctx context.Context, dir string) (map[string][]byte, error) {
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
		opts := site.Options{Output: dir, Links: site.LedgerLinks(p.Config, recs)}
		if _, err := site.Build(ctx, p, rels, opts); err != nil {
			return nil, err
		}
		previews := make(map[string][]byte, len(rels))
		for _, r := range rels {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			page, err := preview(p, r)
			if err != nil {
				return nil, fmt.Errorf("%s: preview: %w", r.File, err)
			}
			previews[r.Slug] = page
		}
		return previews, nil
	}
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
