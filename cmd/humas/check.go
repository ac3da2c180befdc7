package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// CheckOptions are the inputs of humas check.
type CheckOptions struct {
	f        *Factory
	Files    []string // relative to the project root; empty means every release
	JSON     bool
	Only     []string
	Accounts []string
}

func newCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{f: f}
	cmd := &cobra.Command{
		Use:   "check [FILE…]",
		Short: "Validate releases without touching the network",
		Long: `Check reads every release under releases/ (or only the files named) and
reports every problem with its file and line: unknown or mistyped front-matter
keys, dates, accounts, exempted (dikecualikan) releases and personal data such
as NIK numbers. Warnings (a date outside the site's time zone, a release number
whose month disagrees with the date, a date inside a blackout window, a post
shortened to fit its platform, with what it left out) are shown but do not fail
the check. FILE paths are relative to the project root (-C),
as for every humas command.

Exit status is 2 when any release has an error, 0 otherwise.`,
		Example: `  humas check
  humas check releases/2021-06-09-audiensi-kpu-diskominfo.md
  humas check --json > check.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return runCheck(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the releases and their targets as JSON on stdout")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	return cmd
}

// checkTargets is every post the release would make, composed but not sent, in the
// shape of publish --json with status dry-run, so length problems show before merge.
// Each post that had to be shortened to fit adds warnings saying what it left out.
func checkTargets(p *project.Project, r *release.Release, only, accounts []string) ([]pipeline.TargetResult, release.Diagnostics, error) {
	composed, err := compose.Compose(p, r)
	if err != nil {
		return []pipeline.TargetResult{}, nil, err
	}
	composed = compose.Filter(composed, only, accounts)
	targets := make([]pipeline.TargetResult, 0, len(composed))
	var warnings release.Diagnostics
	for _, t := range composed {
		warnings = append(warnings, t.Warnings...)
		tr := pipeline.TargetResult{Account: t.Account, Platform: t.Platform, Status: pipeline.StatusDryRun,
			Text: t.Text, Length: t.Length, Limit: t.Limit}
		if t.Limit > 0 && t.Length > t.Limit {
			tr.Error = fmt.Sprintf("%d characters, over the limit of %d", t.Length, t.Limit)
		}
		targets = append(targets, tr)
	}
	return targets, warnings, nil
}

type composed struct {
	targets  []pipeline.TargetResult
	warnings release.Diagnostics
	err      error
}

// composeAll composes the posts of rels on every CPU, results in the order of rels.
func composeAll(p *project.Project, rels []*release.Release, only, accounts []string) []composed {
	out := make([]composed, len(rels))
	parallel.For(len(rels), runtime.GOMAXPROCS(0), func(i int) {
		out[i].targets, out[i].warnings, out[i].err = checkTargets(p, rels[i], only, accounts)
	})
	return out
}

func runCheck(opts *CheckOptions) error {
	ios := opts.f.IO
	p, err := openProject(opts.f, opts.Only, opts.Accounts)
	if err != nil {
		return err
	}
	files := opts.Files
	if len(files) == 0 {
		if files, err = release.Glob(p.Root); err != nil {
			return err
		}
	}
	releases, diags := p.LoadFiles(files)
	printDiagnostics(ios.Err, diags)
	errs, warns := len(diags.Errors()), len(diags.Warnings())

	// Every valid release's posts are composed, so a text that cannot fit its
	// platform fails the check before merge, not the publish after it. An invalid
	// release is in the document too, with its errors, so --json says why it has
	// no posts; all in the order the files were read.
	bad := invalidResult(p, releases, diags).Releases
	isBad := map[string]bool{}
	for _, rr := range bad {
		isBad[rr.File] = true
	}
	var valid []*release.Release
	for _, r := range releases {
		if !isBad[r.File] {
			valid = append(valid, r)
		}
	}
	composed := composeAll(p, valid, opts.Only, opts.Accounts)
	res := pipeline.Result{Releases: []pipeline.ReleaseResult{}}
	for i, r := range valid {
		c := composed[i]
		printDiagnostics(ios.Err, c.warnings)
		warns += len(c.warnings)
		if c.err != nil {
			fmt.Fprintf(ios.Err, "humas: %v\n", c.err) // compose errors name the file
			errs++
		}
		for _, t := range c.targets {
			if t.Error != "" {
				fmt.Fprintf(ios.Err, "humas: %s: %s/%s: %s\n", r.File, t.Account, t.Platform, t.Error)
				errs++
			}
		}
		res.Releases = append(res.Releases, pipeline.ReleaseResult{
			File: r.File, Slug: r.Slug, URL: p.Config.ArticleURL(r.Slug), Targets: c.targets,
		})
	}
	res.Releases = append(res.Releases, bad...)
	order := make(map[string]int, len(files))
	for i, f := range files {
		order[p.Rel(f)] = i
	}
	slices.SortStableFunc(res.Releases, func(a, b pipeline.ReleaseResult) int { return order[a.File] - order[b.File] })
	fmt.Fprintf(ios.Err, "checked %s: %s, %s\n", plural(len(files), "release"), plural(errs, "error"), plural(warns, "warning"))
	if opts.JSON {
		if err := printResult(ios.Out, res, true, true); err != nil {
			return err
		}
	}
	if errs > 0 {
		return silentError{exitUsage}
	}
	return nil
}

// printDiagnostics writes one "humas: file:line: field: message" line per problem,
// warnings marked, each followed by its hint on a line of its own.
func printDiagnostics(w io.Writer, diags release.Diagnostics) {
	for _, d := range diags {
		prefix := "humas: "
		if d.Warning {
			prefix += "warning: "
		}
		fmt.Fprintf(w, "%s%s: %s\n", prefix, d.Position(), d.Text())
		if d.Hint != "" {
			fmt.Fprintf(w, "humas: hint: %s\n", d.Hint)
		}
	}
}

// printConfigError shows every problem of humas.yaml the way release problems show.
func printConfigError(w io.Writer, err error) {
	var ce *config.Error
	if !errors.As(err, &ce) {
		fmt.Fprintf(w, "humas: %s\n", err)
		return
	}
	for _, p := range ce.Problems {
		field := ""
		if p.Field != "" {
			field = p.Field + ": "
		}
		fmt.Fprintf(w, "humas: %s: %s%s\n", ce.Position(p), field, p.Message)
		if p.Hint != "" {
			fmt.Fprintf(w, "humas: hint: %s\n", p.Hint)
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
