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

	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/usecase"
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
	LockWait time.Duration
	// RetryFailed tries again what failed for good (--retry-failed).
	RetryFailed bool
}

func newCmdPublish(f *Factory, runF func(*PublishOptions) error) *cobra.Command {
	opts := &PublishOptions{f: f}
	cmd := &cobra.Command{
		Use:   "publish [FILE…]",
		Short: "Build the articles and cross-post them to every target not yet posted",
		Long: `Publish builds the article of each release, then posts it to every targeted
account and platform that the ledger (.humas/ledger) does not hold as posted:
the issuer's accounts first, then every partner's repost. Each target is posted
exactly once: it is marked pending before the request is sent, only an answer
from the platform changes that (a run stopped mid-request leaves it pending), and
a run that finds a pending target first looks on the account for the post and
adopts it. Where the platform cannot be asked (Telegram), a person decides with
humas resolve. One run at a time holds the ledger; another waits --lock-wait.

A target that failed for good (a refused token, text or picture, another
account's credentials) is recorded with the reason and the fix; --changed and
--pending runs leave it to a person until the post, the account or its
credentials change, or --retry-failed is given. What needs a person ends the
output, and the job summary of a GitHub Actions run.

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
  humas publish --pending --retry-failed
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
	fl.BoolVar(&opts.RetryFailed, "retry-failed", false, "with --changed or --pending, try again targets that failed for good (after fixing the cause)")
	fl.BoolVar(&opts.JSON, "json", false, "print the result as JSON on stdout")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	fl.DurationVar(&opts.WaitLive, "wait-live", 0, "first wait up to `DURATION` until each article URL answers 200 (and as long for each picture Instagram fetches from the site; default a minute)")
	fl.DurationVar(&opts.RetryFor, "retry-for", 2*time.Minute, "retry transient failures for at most `DURATION`")
	fl.DurationVar(&opts.LockWait, "lock-wait", 2*time.Minute, "wait at most `DURATION` for another run that holds the ledger")
	return cmd
}

// addTargetFlags adds --only and --account, which mean the same on every command.
func addTargetFlags(cmd *cobra.Command, only, accounts *[]string) {
	cmd.Flags().StringSliceVar(only, "only", nil, "only these `PLATFORMS` ("+strings.Join(all.Platforms().Names(), ",")+")")
	cmd.Flags().StringSliceVar(accounts, "account", nil, "only these `ACCOUNTS` (keys from humas.yaml)")
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
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: len(opts.Files) == 0, Only: opts.Only, Accounts: opts.Accounts})
	if err != nil {
		return err
	}
	res, err := usecase.Publish(ctx, p, usecase.PublishRequest{
		Files: opts.Files, Changed: opts.Changed, Pending: opts.Pending,
		DryRun: opts.DryRun, Force: opts.Force, RetryFailed: opts.RetryFailed, Only: opts.Only, Accounts: opts.Accounts,
		WaitLive: opts.WaitLive, RetryFor: opts.RetryFor,
		Getenv: f.Getenv, Now: f.Now,
		LockWait: opts.LockWait, Command: commandLine(), LockWaiting: lockWaiting(f),
		Progress: progress(f, opts), Retrying: retrying(f), Tune: tuneMemory(f),
	})
	printDiagnostics(f.IO.Err, res.Diagnostics)
	for _, b := range res.Builds {
		report(f, b)
	}
	if err != nil {
		if errors.Is(err, usecase.ErrInvalid) && opts.JSON && len(res.Result.Releases) > 0 {
			// A script reading --json learns why nothing was done.
			if perr := printResult(f.IO.Out, res.Result, true, false); perr != nil {
				return perr
			}
		}
		return err
	}
	if err := printResult(f.IO.Out, res.Result, opts.JSON, opts.DryRun); err != nil {
		return err
	}
	if !opts.DryRun {
		if err := jobSummary(f, res.Result); err != nil {
			fmt.Fprintf(f.IO.Err, "humas: warning: the CI job summary: %v\n", err)
		}
	}
	if stopped(f, ctx) || res.Result.Failed() {
		return silentError{exitFailed}
	}
	return nil
}

// stopped says, after the result, that the run was stopped (Ctrl-C, or the SIGTERM
// of a cancelled CI job) and what to do, and reports whether it was: such a run
// failed even when nothing in it did, since it did not do all it was asked.
func stopped(f *Factory, ctx context.Context) bool {
	if ctx.Err() == nil {
		return false
	}
	fmt.Fprintf(f.IO.Err, "humas: stopped (%v): what was being sent is pending, and the next run looks for it on the platform before sending anything\n", context.Cause(ctx))
	fmt.Fprintln(f.IO.Err, "humas: hint: run the same command again to finish")
	return true
}

// commandLine is this run as the next one to find the ledger in use names it.
func commandLine() string {
	return strings.Join(append([]string{"humas"}, os.Args[1:]...), " ")
}

// lockWaiting says once that the run waits for another, so a person sees why
// nothing happens.
func lockWaiting(f *Factory) func(ledger.Holder) {
	return func(h ledger.Holder) {
		fmt.Fprintf(f.IO.Err, "humas: %s: the ledger is in use by %s: waiting\n", ledger.LockFile, h)
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
	defer printNeeds(w, res)
	for i, r := range res.Releases {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n  article: %s\n", r.File, r.URL)
		held := r.Held
		if held == "" {
			held = sameSkip(r.Targets)
		}
		if held != "" {
			fmt.Fprintf(w, "  held: %s\n", held)
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
			if t.Error != "" && t.Error != held {
				fmt.Fprintf(w, "    error: %s\n", t.Error)
			}
			if t.Fix != "" {
				fmt.Fprintf(w, "    fix: %s\n", t.Fix)
			}
			if (dryRun || t.Status == pipeline.StatusDryRun) && t.Limit > 0 {
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

// sameSkip is the one reason every target of a release is skipped for (the
// archive, an embargo, a blackout), said once for the release instead of once a
// target; "" when the targets differ.
func sameSkip(ts []pipeline.TargetResult) string {
	if len(ts) < 2 {
		return ""
	}
	for _, t := range ts {
		if t.Status != pipeline.StatusSkipped || t.Error != ts[0].Error || t.Needs != "" {
			return ""
		}
	}
	return ts[0].Error
}

// needs lists the targets that cannot go on without a person, one line each.
func needs(res pipeline.Result) []string {
	var out []string
	for _, r := range res.Releases {
		for _, t := range r.Targets {
			if t.Needs != "" {
				line := fmt.Sprintf("%s %s/%s: %s", r.File, t.Account, t.Platform, t.Error)
				if t.Fix != "" {
					line += "; fix: " + t.Fix
				}
				out = append(out, line)
			}
		}
	}
	return out
}

// printNeeds ends the text output with what needs a person, so it is never lost
// among the targets that went well.
func printNeeds(w io.Writer, res pipeline.Result) {
	lines := needs(res)
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\nneeds a person (%d):\n", len(lines))
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

// codeSpan is s as a Markdown code span, fenced by more backticks than any run in
// it: the summary quotes platforms' answers and the ledger, whose HTML, links and
// @mentions GitHub would otherwise render on the run's page.
func codeSpan(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	return fence + " " + s + " " + fence
}

// jobSummary adds what needs a person to the job summary of a GitHub Actions run
// (the file GITHUB_STEP_SUMMARY names, which the run's page shows), so a scheduled
// run that skips a target for good is not silent.
func jobSummary(f *Factory, res pipeline.Result) error {
	name := f.Getenv("GITHUB_STEP_SUMMARY")
	lines := needs(res)
	if name == "" || len(lines) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### humas: %d target(s) need a person\n\n", len(lines))
	for _, l := range lines {
		fmt.Fprintf(&b, "- %s\n", codeSpan(strings.ReplaceAll(l, "\n", " ")))
	}
	b.WriteString("\n")
	fh, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := fh.WriteString(b.String()); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
