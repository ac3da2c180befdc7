package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/site"
)

// BuildOptions are the inputs of humas build.
type BuildOptions struct {
	f      *Factory
	Clean  bool
	Output string
	// quiet leaves warnings out: publish builds the site around its posts and has
	// already shown the warnings of the releases it publishes.
	quiet bool
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
What each build wrote is recorded in .humas/cache/, which git ignores.`,
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
	p, err := openProject(opts.f, nil, nil)
	if err != nil {
		return err
	}
	return buildSite(ctx, opts, p)
}

// buildSite builds the site of an open project; publish calls it around its posts.
func buildSite(ctx context.Context, opts *BuildOptions, p *project.Project) error {
	f := opts.f
	start := time.Now()
	var err error
	sopts := site.Options{Clean: opts.Clean, Now: f.Now()}
	if opts.Output != "" {
		if sopts.Output, err = filepath.Abs(opts.Output); err != nil {
			return err
		}
	}
	stamp, unchanged, ok := site.UpToDate(p, sopts)
	if ok {
		report(f, site.Stats{Unchanged: unchanged}, time.Since(start))
		return nil
	}
	sopts.Stamp = stamp

	rels, diags := p.LoadAll()
	if opts.quiet {
		diags = diags.Errors()
	}
	printDiagnostics(f.IO.Err, diags)
	if diags.HasErrors() {
		return silentError{exitUsage}
	}
	recs, err := ledger.Open(p.Root).All()
	if err != nil {
		// A damaged ledger must not take the site down; the links come back once it is fixed.
		fmt.Fprintf(f.IO.Err, "humas: warning: %s: cross-post links left out: %v\n", ledger.Dir, err)
	}
	sopts.Links = site.LedgerLinks(p.Config, recs)
	if f.Getenv("GOMEMLIMIT") == "" && f.Getenv("GOGC") == "" {
		// With the cap in place, collecting less often early costs no memory at the peak.
		debug.SetMemoryLimit(buildMemoryLimit(rels))
		debug.SetGCPercent(200)
	}
	st, err := site.Build(ctx, p, rels, sopts)
	if oe := (*site.OutputError)(nil); errors.As(err, &oe) {
		return invalid(err) // a folder named by --output: bad usage, nothing written
	}
	if err != nil {
		return err
	}
	report(f, st, time.Since(start))
	return nil
}

// buildMemoryLimit caps the memory of rendering rels. Measured on generated
// corpora, a build holds its release bodies plus about 5.5 KB a release live;
// with the default GOGC its heap then peaks at twice that, most of it garbage
// from pages already written, and the process at more still. The cap keeps the
// total near 1.8 times the live estimate, GC running more often near the end:
// the same build time in benchmarks, a fifth less peak memory. It is soft, so a
// build that needs more still gets it.
func buildMemoryLimit(rels []*release.Release) int64 {
	live := int64(len(rels)) * 5632
	for _, r := range rels {
		live += int64(len(r.Body))
	}
	return 10<<20 + 2*live
}

func report(f *Factory, st site.Stats, d time.Duration) {
	fmt.Fprintf(f.IO.Err, "built %d articles, %d pages in %.1fs (%d unchanged)\n", st.Articles, st.Pages, d.Seconds(), st.Unchanged)
}
