package site

import (
	"context"
	"html/template"
	"io"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

func projectInput(p *project.Project) input {
	return input{root: p.Root, cfg: p.Config, fsys: p.Templates, binary: binaryIdentity()}
}

// Build renders rels into the output folder, rewriting only the pages whose
// inputs changed since the last build recorded there.
func Build(ctx context.Context, p *project.Project, rels []*release.Release, opts Options) (Stats, error) {
	return build(ctx, projectInput(p), rels, opts)
}

// UpToDate reports, from file sizes and times alone, whether the last build in the
// output folder still matches the project, so a build with nothing changed can stop
// before reading any release. stamp goes into Options.Stamp of the Build that
// follows; unchanged counts the articles and pages of the standing build.
func UpToDate(p *project.Project, opts Options) (stamp string, unchanged int, ok bool) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	return upToDate(projectInput(p), opts, now)
}

// RenderArticle writes the full article page of r, as the site would serve it.
// Images are referenced by file name, relative to the page.
func RenderArticle(w io.Writer, p *project.Project, r *release.Release, links []Link) error {
	return renderArticleTo(w, p.Config, p.Templates, r, links, time.Now())
}

// BuildIdentity names the humas binary that is running: the site keys its pages
// to it, and the press kit its cache (presskit.New).
func BuildIdentity() string { return binaryIdentity() }

// PressKit is p's press kit as humas build draws it, from the same cache: the
// preview shows, the press is sent and humas serve draws on request the very
// files the build places beside each article.
func PressKit(p *project.Project) *presskit.Kit {
	return presskit.New(p.Root, p.Config, BuildIdentity())
}

// Logos are the accounts' logos as the site serves them beside its index, by
// file name ("logo-kpu.png"); the pages refer to them relative to themselves.
func Logos(cfg *config.Config) map[string][]byte {
	out := map[string][]byte{}
	for _, l := range logoFiles(cfg) {
		out[l.Name] = l.Data
	}
	return out
}

// ArticleHTML is the body of r rendered from Markdown, raw HTML and dangerous link
// schemes removed.
func ArticleHTML(p *project.Project, r *release.Release) (template.HTML, error) {
	var buf bodyBuffer
	return articleHTML(newMarkdown(), &buf, r)
}
