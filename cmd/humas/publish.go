package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// PublishOptions are the inputs of humas publish.
type PublishOptions struct {
	f        *Factory
	Files    []string
	Changed  string // a git range, "A..B"
	Pending  bool
	DryRun   bool
	Force    bool
	JSON     bool
	Only     []string
	Accounts []string
	WaitLive time.Duration
	RetryFor time.Duration
}

func newCmdPublish(f *Factory, runF func(*PublishOptions) error) *cobra.Command {
	opts := &PublishOptions{f: f}
	cmd := &cobra.Command{
		Use:   "publish [FILE…]",
		Short: "Build the articles and cross-post them to every target not yet posted",
		Long: `Publish builds the article of each release, then posts it to every targeted
account and platform that the ledger (.humas/ledger) does not hold as posted:
the issuer's accounts first, then every partner's repost. Each target is posted
exactly once: it is marked pending before the request is sent, and a run that
finds a pending target first looks on the account for the post and adopts it.

Choose the releases by naming files, with --changed (a git range, as CI does on
merge) or with --pending (every release not yet fully posted whose embargo has
passed, as CI does on a schedule).

--dry-run sends nothing and writes nothing: it shows each post's exact text, its
length against the platform's limit, the image and the article URL.

Exit status: 0 everything was posted (or already was), 1 a target failed (a
re-run retries only what is not posted), 2 bad input (nothing was posted).`,
		Example: `  humas publish --dry-run releases/2021-06-09-audiensi-kpu-diskominfo.md
  humas publish releases/2021-06-09-audiensi-kpu-diskominfo.md
  humas publish --changed origin/main..HEAD --wait-live 10m
  humas publish --pending
  humas publish --only x --account kpu releases/2021-06-09-audiensi-kpu-diskominfo.md`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return runPublish(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Changed, "changed", "", "publish the releases added or modified in the git `RANGE` (A..B)")
	fl.BoolVar(&opts.Pending, "pending", false, "publish every release not yet fully posted whose embargo has passed")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "show what would be posted; no network, no ledger change")
	fl.BoolVar(&opts.Force, "force", false, "post again to targets the ledger holds as posted")
	fl.BoolVar(&opts.JSON, "json", false, "print the result as JSON on stdout")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	fl.DurationVar(&opts.WaitLive, "wait-live", 0, "first wait up to `DURATION` until each article URL answers 200")
	fl.DurationVar(&opts.RetryFor, "retry-for", 2*time.Minute, "retry transient failures for at most `DURATION`")
	return cmd
}

// addTargetFlags adds --only and --account, which mean the same on every command.
func addTargetFlags(cmd *cobra.Command, only, accounts *[]string) {
	cmd.Flags().StringSliceVar(only, "only", nil, "only these `PLATFORMS` ("+strings.Join(all.Platforms().Names(), ",")+")")
	cmd.Flags().StringSliceVar(accounts, "account", nil, "only these `ACCOUNTS` (keys from humas.yaml)")
}

// checkTargetFlags refuses a platform or account that does not exist, so a typo in
// --only or --account cannot silently publish nothing.
func checkTargetFlags(cfg *config.Config, only, accounts []string) error {
	for _, pl := range only {
		if !cfg.Platforms.Has(pl) {
			return invalid(fmt.Errorf("--only: unknown platform %q: use %s", pl, cfg.Platforms.List()))
		}
	}
	for _, a := range accounts {
		if _, ok := cfg.Account(a); !ok {
			return invalid(fmt.Errorf("--account: %q is not an account in humas.yaml: use %s", a, strings.Join(accountKeys(cfg), ", ")))
		}
	}
	return nil
}

func accountKeys(cfg *config.Config) []string {
	keys := make([]string, len(cfg.Accounts))
	for i, a := range cfg.Accounts {
		keys[i] = a.Key
	}
	return keys
}

// signalContext is cancelled on SIGINT or SIGTERM, so a stopped run ends its requests
// cleanly; the ledger already says pending for anything in flight.
func signalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

func runPublish(ctx context.Context, opts *PublishOptions) error {
	f := opts.f
	ctx, stop := signalContext(ctx)
	defer stop()

	modes := 0
	for _, on := range []bool{len(opts.Files) > 0, opts.Changed != "", opts.Pending} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		return invalid(errors.New("publish: name release files, or give --changed RANGE or --pending (one of them)"))
	}
	p, err := openProject(f, opts.Only, opts.Accounts)
	if err != nil {
		return err
	}

	mode, files := pipeline.Explicit, opts.Files
	switch {
	case opts.Changed != "":
		mode = pipeline.Changed
		if files, err = pipeline.ChangedReleases(ctx, p.Root, opts.Changed); err != nil {
			return invalid(err)
		}
	case opts.Pending:
		mode = pipeline.Pending
		if files, err = release.Glob(p.Root); err != nil {
			return err
		}
	}
	rels, err := loadReleases(f, p, files, opts.JSON)
	if err != nil {
		return err
	}
	if mode == pipeline.Explicit {
		for _, r := range rels {
			if r.Draft {
				return invalid(fmt.Errorf("%s:%d: draft: drafts are never published: set draft: false first", r.File, r.Line("draft")))
			}
		}
	}
	jobs, err := composeJobs(p, rels)
	if err != nil {
		return err
	}

	pl := pipeline.New(pipeline.Options{
		Root:      p.Root,
		NewPoster: posterFactory(f, p.Config),
		DryRun:    opts.DryRun,
		Force:     opts.Force,
		Only:      opts.Only,
		Accounts:  opts.Accounts,
		Policy:    hold.PolicyOf(p.Config),
		Platforms: p.Config.Platforms,
		Now:       f.Now,
		RetryFor:  opts.RetryFor,
		Progress:  progress(f, opts),
		Retrying:  retrying(f),
	})
	if mode == pipeline.Pending {
		if jobs, err = pl.Unfinished(jobs); err != nil {
			return ledgerError(err)
		}
	}
	if mode == pipeline.Explicit {
		// Refuse before building: a release that may not go out is not put on the
		// site either.
		if err := pl.Refused(jobs); err != nil {
			return invalid(err)
		}
	}
	if !opts.DryRun && len(jobs) > 0 {
		// The article exists before anything links to it.
		if err := buildSite(ctx, &BuildOptions{f: f, quiet: true}, p); err != nil {
			return err
		}
		if opts.WaitLive > 0 {
			for _, j := range jobs {
				if err := pl.WaitLive(ctx, j.URL, opts.WaitLive); err != nil {
					return fmt.Errorf("--wait-live: %w", err)
				}
			}
		}
	}
	res, err := pl.Run(ctx, mode, jobs)
	if err != nil {
		var re *pipeline.RefusedError
		if errors.As(err, &re) {
			return invalid(err)
		}
		return ledgerError(err)
	}
	if err := printResult(f.IO.Out, res, opts.JSON, opts.DryRun); err != nil {
		return err
	}
	if !opts.DryRun && len(jobs) > 0 {
		// Rebuild so the articles list where they were cross-posted; only they change.
		if err := buildSite(ctx, &BuildOptions{f: f, quiet: true}, p); err != nil {
			return err
		}
	}
	if res.Failed() {
		return silentError{exitFailed}
	}
	return nil
}

// ledgerError makes a damaged ledger an input error: nothing was posted, and the
// message says how to repair it.
func ledgerError(err error) error {
	var de *ledger.DamagedError
	if errors.As(err, &de) {
		return invalid(err)
	}
	return err
}

// openProject opens the project of -C, printing humas.yaml problems with their lines,
// and refuses --only and --account values the project does not have.
func openProject(f *Factory, only, accounts []string) (*project.Project, error) {
	p, err := project.Open(f.Dir)
	if err != nil {
		printConfigError(f.IO.Err, err)
		return nil, silentError{exitUsage}
	}
	if err := checkTargetFlags(p.Config, only, accounts); err != nil {
		return nil, err
	}
	return p, nil
}

// loadReleases parses files and prints every problem; any error is exit 2. With
// asJSON the invalid releases are also the JSON document on stdout, each with its
// errors, so a script reading --json learns why nothing was done.
func loadReleases(f *Factory, p *project.Project, files []string, asJSON bool) ([]*release.Release, error) {
	if len(files) == 0 {
		return nil, nil
	}
	rels, diags := p.LoadFiles(files)
	printDiagnostics(f.IO.Err, diags)
	if !diags.HasErrors() {
		return rels, nil
	}
	if asJSON {
		if err := printResult(f.IO.Out, invalidResult(p, rels, diags), true, false); err != nil {
			return nil, err
		}
	}
	return nil, silentError{exitUsage}
}

// invalidResult lists the releases with errors, each with no targets and its
// problems joined in error.
func invalidResult(p *project.Project, rels []*release.Release, diags release.Diagnostics) pipeline.Result {
	byFile := map[string][]string{}
	var order []string
	for _, d := range diags.Errors() {
		if _, ok := byFile[d.File]; !ok {
			order = append(order, d.File)
		}
		byFile[d.File] = append(byFile[d.File], d.String())
	}
	slugs := map[string]string{}
	for _, r := range rels {
		slugs[r.File] = r.Slug
	}
	res := pipeline.Result{Releases: []pipeline.ReleaseResult{}}
	for _, file := range order {
		rr := pipeline.ReleaseResult{File: file, Slug: slugs[file], Targets: []pipeline.TargetResult{}, Error: strings.Join(byFile[file], "\n")}
		if rr.Slug != "" {
			rr.URL = p.Config.ArticleURL(rr.Slug)
		}
		res.Releases = append(res.Releases, rr)
	}
	return res
}

// composeJobs composes every target's post of each release; drafts are left out,
// as they are never published.
func composeJobs(p *project.Project, rels []*release.Release) ([]pipeline.Job, error) {
	var jobs []pipeline.Job
	for _, r := range rels {
		if r.Draft {
			continue
		}
		cts, err := compose.Compose(p, r)
		if err != nil {
			return nil, invalid(err) // compose errors name the file
		}
		ts, err := pipeline.FromCompose(p.Root, cts)
		if err != nil {
			return nil, invalid(fmt.Errorf("%s: %w", r.File, err))
		}
		jobs = append(jobs, pipeline.NewJob(r, p.Config.ArticleURL(r.Slug), ts))
	}
	return jobs, nil
}

// posterFactory builds each target's adapter from the environment; a missing
// credential fails that target alone.
func posterFactory(f *Factory, cfg *config.Config) pipeline.Factory {
	return func(account, platform string) (publish.Poster, error) {
		acc, ok := cfg.Account(account)
		if !ok {
			return nil, fmt.Errorf("%s: not an account in humas.yaml", account)
		}
		pa, on := acc.On(platform)
		pl, known := cfg.Platforms.Lookup(platform)
		if !on || !known {
			return nil, fmt.Errorf("%s/%s: no such account in humas.yaml", account, platform)
		}
		return pl.Open(pa, f.Getenv, cfg.Root)
	}
}

// progress prints a line per finished target when a person is watching, so a
// long run shows it is alive; scripts get only the final output.
func progress(f *Factory, opts *PublishOptions) func(string, pipeline.TargetResult) {
	if opts.JSON || opts.DryRun || !f.IO.Terminal && !f.Verbose {
		return nil
	}
	return func(file string, t pipeline.TargetResult) {
		fmt.Fprintf(f.IO.Err, "%s: %s/%s: %s\n", file, t.Account, t.Platform, t.Status)
	}
}

// retrying tells a -v run about each transient failure and the wait before the next
// try; errors carry no credential by the adapters' contract.
func retrying(f *Factory) func(account, platform string, err error, wait time.Duration) {
	if !f.Verbose {
		return nil
	}
	var mu sync.Mutex
	return func(account, platform string, err error, wait time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(f.IO.Err, "humas: %s/%s: %v: trying again in %s\n", account, platform, err, wait.Round(10*time.Millisecond))
	}
}

// printResult writes res as JSON, or as text a press officer reads: per release its
// URL, then per target the status, where it went, and (dry run) the exact text.
func printResult(w io.Writer, res pipeline.Result, asJSON, dryRun bool) error {
	if res.Releases == nil {
		res.Releases = []pipeline.ReleaseResult{}
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	if len(res.Releases) == 0 {
		fmt.Fprintln(w, "nothing to publish")
		return nil
	}
	for i, r := range res.Releases {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n  article: %s\n", r.File, r.URL)
		if r.Held != "" {
			fmt.Fprintf(w, "  held: %s\n", r.Held)
		}
		for _, t := range r.Targets {
			fmt.Fprintf(w, "  %s/%s: %s", t.Account, t.Platform, t.Status)
			if t.URL != "" {
				fmt.Fprintf(w, " %s", t.URL)
			}
			if t.Note != "" {
				fmt.Fprintf(w, " (%s)", t.Note)
			}
			fmt.Fprintln(w)
			if t.Error != "" {
				fmt.Fprintf(w, "    error: %s\n", t.Error)
			}
			if dryRun || t.Status == pipeline.StatusDryRun {
				fmt.Fprintf(w, "    length: %d / %d", t.Length, t.Limit)
				if t.Length > t.Limit {
					fmt.Fprint(w, "  TOO LONG")
				}
				fmt.Fprintln(w)
				if t.Image != "" {
					fmt.Fprintf(w, "    image: %s\n", t.Image)
				}
				for _, line := range strings.Split(t.Text, "\n") {
					fmt.Fprintf(w, "    │ %s\n", line)
				}
			}
		}
	}
	return nil
}
