package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/usecase"
)

// BuildOptions are the inputs of humas build.
type BuildOptions struct {
	f      *Factory
	Clean  bool
	Output string
}

func newCmdBuild(f *Factory, runF func(*BuildOptions) error) *cobra.Command {
	opts := &BuildOptions{f: f}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Render the website: an article per release, index, tag pages, feeds and sitemap",
		Long: `Render every release that is not a draft and not dikecualikan into site.output
(public/ by default). Only pages whose release, cross-post links, templates,
humas.yaml or humas itself changed since the last build are rendered again;
--clean removes the files the last build wrote (never others) and renders all.

Every release that is shared (not the archive before publish.since) also gets its
press kit next to its article: siaran-pers.pdf, and card.jpg and og.png when it has
no picture, or instagram.jpg when its picture is not a JPEG Instagram takes. Each is
drawn once per content and kept in .humas/cache/presskit/; keep .humas/cache/
between CI runs and a build draws only what is new. What each build wrote is
recorded in .humas/cache/ too, which git ignores.`,
		Example: `  humas build
  humas build -C ~/siaran-pers
  humas build --clean
  humas build --output /tmp/situs`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runBuild(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Clean, "clean", false, "remove the files the last build wrote and render everything")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the site to `DIR` instead of site.output (relative to the current folder)")
	return cmd
}

func runBuild(ctx context.Context, opts *BuildOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.f
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: true})
	if err != nil {
		return err
	}
	req := usecase.BuildRequest{Clean: opts.Clean, Now: f.Now(), Tune: tuneMemory(f)}
	if opts.Output != "" {
		// --output is relative to the current folder, not to the project.
		if req.Output, err = filepath.Abs(opts.Output); err != nil {
			return err
		}
	}
	res, err := usecase.Build(ctx, p, req)
	printDiagnostics(f.IO.Err, res.Diagnostics)
	if err != nil {
		return err
	}
	report(f, res)
	return nil
}

// tuneMemory sizes the process's memory limit to the releases a build renders,
// unless the environment already says how (GOMEMLIMIT, GOGC). Collection is
// less frequent from the start: the releases being loaded stay live, and
// collecting at each doubling of a small heap only marks them again.
func tuneMemory(f *Factory) func([]*release.Release) {
	if f.Getenv("GOMEMLIMIT") != "" || f.Getenv("GOGC") != "" {
		return nil
	}
	debug.SetGCPercent(200)
	return func(rels []*release.Release) {
		debug.SetMemoryLimit(buildMemoryLimit(rels))
	}
}

// buildMemoryLimit caps the memory of rendering rels. Measured on generated
// corpora, a build holds its release bodies plus about 5.5 KB a release live;
// with GOGC 200 and no cap its heap peaks at three times that, most of it
// garbage from pages already written, and the process at more still. The cap
// keeps the total near 2.6 times the live estimate (60 MB at 2,000 releases,
// against Hugo's 270 MB): a tighter one, 1.8 times, saved 15 MB there but made
// the collector run every 10 MB of pages, 7% more instructions a build. It is
// soft, so a build that needs more still gets it.
func buildMemoryLimit(rels []*release.Release) int64 {
	live := int64(len(rels)) * 5632
	for _, r := range rels {
		live += int64(len(r.Body))
	}
	return 10<<20 + 3*live
}

func report(f *Factory, b usecase.BuildResult) {
	st := b.Stats
	fmt.Fprintf(f.IO.Err, "built %s, %s in %.1fs (%d unchanged)\n", count(st.Articles, "article"), count(st.Pages, "page"), b.Took.Seconds(), st.Unchanged)
	if st.Drawn > 0 {
		fmt.Fprintf(f.IO.Err, "drew %s (cards, Instagram pictures, PDFs), kept in %s\n", count(st.Drawn, "press kit file"), presskit.Dir)
	}
}

// count is "1 article", "2 articles".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
