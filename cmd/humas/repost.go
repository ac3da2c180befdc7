package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/usecase"
)

// RepostOptions are the inputs of humas repost.
type RepostOptions struct {
	f        *Factory
	Partners []string
	DryRun   bool
	JSON     bool
	Only     []string
	Accounts []string
	RetryFor time.Duration
	Timeout  time.Duration
	LockWait time.Duration
}

func newCmdRepost(f *Factory, runF func(*RepostOptions) error) *cobra.Command {
	opts := &RepostOptions{f: f}
	cmd := &cobra.Command{
		Use:   "repost",
		Short: "Repost partner offices' new releases from their feeds onto our accounts",
		Long: `Repost reads the feed.json of every partner in humas.yaml (partners:) and posts
each release not yet reposted onto our accounts its repost: list names, exactly
once: the ledger (.humas/ledger) is keyed by the release's URL. On X it quotes
the partner's own X post when the feed names one; elsewhere it posts our own
post naming the partner ("Sumber: KPU Kota Balikpapan") and linking the
partner's article.

Our rules hold for their releases: nothing exempted (dikecualikan), nothing
before its embargo, nothing dated before our publish.since, nothing during our
blackout unless serta-merta; a hoax clarification keeps its verdict. Their text
is plain text to us.

Feeds are read over https (plain http only from this machine), a few at once,
each with a deadline and a size limit, and conditionally: the validators are
kept in .humas/partners, beside the ledger. A partner whose feed is down,
malformed, too large or carrying script fails alone, named, and the others go
ahead.

--dry-run reads the feeds but posts nothing and writes nothing: it shows what
the next run would post.

Exit status: 0 everything was reposted (or already was), 1 a partner's feed or
a target failed, 2 bad input (nothing was posted).`,
		Example: `  humas repost --dry-run
  humas repost
  humas repost --partner kpu --only x
  humas repost --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRepost(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Partners, "partner", nil, "only these `PARTNERS` (keys under partners: in humas.yaml)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "read the feeds and show what would be posted; post nothing, write nothing")
	fl.BoolVar(&opts.JSON, "json", false, "print the result as JSON on stdout (the publish shape; file is each release's URL)")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	fl.DurationVar(&opts.RetryFor, "retry-for", 2*time.Minute, "retry transient failures for at most `DURATION`")
	fl.DurationVar(&opts.Timeout, "timeout", 20*time.Second, "give each partner's feed at most `DURATION`")
	fl.DurationVar(&opts.LockWait, "lock-wait", 2*time.Minute, "wait at most `DURATION` for another run that holds the ledger")
	return cmd
}

func runRepost(ctx context.Context, opts *RepostOptions) error {
	f := opts.f
	ctx, stop := signalContext(ctx)
	defer stop()
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: true, Only: opts.Only, Accounts: opts.Accounts})
	if err != nil {
		return err
	}
	if len(p.Config.Partners) == 0 {
		// The single-repository setup has no partners: a scheduled CI step that
		// runs repost anyway has nothing to do, and that is not a failure.
		fmt.Fprintln(f.IO.Err, "humas: no partners in humas.yaml: nothing to repost")
		if opts.JSON {
			return printResult(f.IO.Out, pipeline.Result{}, true, false)
		}
		return nil
	}
	res, err := usecase.Repost(ctx, p, usecase.RepostRequest{
		Partners: opts.Partners, Only: opts.Only, Accounts: opts.Accounts,
		DryRun: opts.DryRun, RetryFor: opts.RetryFor, FeedTimeout: opts.Timeout,
		Getenv: f.Getenv, Now: f.Now,
		LockWait: opts.LockWait, Command: commandLine(), LockWaiting: lockWaiting(f),
		Progress: progress(f, &PublishOptions{JSON: opts.JSON, DryRun: opts.DryRun}), Retrying: retrying(f),
	})
	for _, pr := range res.Partners {
		switch {
		case pr.Error != "":
			fmt.Fprintf(f.IO.Err, "humas: partner %s (%s): %s\n", pr.Key, pr.Name, pr.Error)
		case f.Verbose && pr.NotModified:
			fmt.Fprintf(f.IO.Err, "humas: partner %s: %s: not modified since the last run (%d items)\n", pr.Key, pr.Feed, pr.Items)
		case f.Verbose:
			fmt.Fprintf(f.IO.Err, "humas: partner %s: %s: %d items\n", pr.Key, pr.Feed, pr.Items)
		}
	}
	if err != nil {
		return err
	}
	text := res.Result
	if !opts.JSON {
		// The partners' failures are on stderr already; the text lists the items.
		text.Releases = nil
		for _, r := range res.Result.Releases {
			if r.Error == "" {
				text.Releases = append(text.Releases, r)
			}
		}
	}
	if !opts.JSON && len(text.Releases) == 0 {
		fmt.Fprintln(f.IO.Out, "nothing to repost")
	} else if err := printResult(f.IO.Out, text, opts.JSON, opts.DryRun); err != nil {
		return err
	}
	if stopped(f, ctx) || res.Failed() {
		return silentError{exitFailed}
	}
	return nil
}
