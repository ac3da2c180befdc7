package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/usecase"
)

// ResolveOptions are the inputs of humas resolve.
type ResolveOptions struct {
	f         *Factory
	File      string
	Target    string
	PostedURL string
	NotPosted bool
	LockWait  time.Duration
}

func newCmdResolve(f *Factory, runF func(*ResolveOptions) error) *cobra.Command {
	opts := &ResolveOptions{f: f}
	cmd := &cobra.Command{
		Use:   "resolve FILE ACCOUNT/PLATFORM (--posted URL | --not-posted)",
		Short: "Record whether a post that may have gone out did, where humas cannot ask the platform",
		Long: `Resolve records a person's answer for a target that humas cannot settle by
itself: a run stopped while sending, and the platform cannot be asked whether the
post went out (a Telegram channel: the Bot API cannot read it). humas status lists
such targets as needing a decision; they are never sent again blindly.

Look on the account. If the post is there, copy its link and give it to --posted:
the target is recorded as posted and nothing is sent. If it is not, say
--not-posted: the next publish sends it. --posted also records a post made by hand.
A partner's release we reposted (humas repost) is named by its article's address
instead of FILE, as humas status names it.`,
		Example: `  humas resolve releases/2021-06-09-audiensi.md kpu/telegram --posted https://t.me/kpubalikpapan/123
  humas resolve releases/2021-06-09-audiensi.md kpu/telegram --not-posted`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.Target = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return runResolve(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.PostedURL, "posted", "", "the post went out: its `URL` on the platform")
	fl.BoolVar(&opts.NotPosted, "not-posted", false, "the post did not go out: the next publish sends it")
	fl.DurationVar(&opts.LockWait, "lock-wait", 2*time.Minute, "wait at most `DURATION` for another run that holds the ledger")
	return cmd
}

func runResolve(ctx context.Context, opts *ResolveOptions) error {
	f := opts.f
	if ctx == nil {
		ctx = context.Background()
	}
	p, err := openProject(f, usecase.Target{Dir: f.Dir})
	if err != nil {
		return err
	}
	res, err := usecase.Resolve(ctx, p, usecase.ResolveRequest{
		File: opts.File, Target: opts.Target, PostedURL: opts.PostedURL, NotPosted: opts.NotPosted,
		Now: f.Now, LockWait: opts.LockWait, Command: commandLine(),
	})
	if err != nil {
		return err
	}
	if res.Posted {
		fmt.Fprintf(f.IO.Out, "%s %s/%s: recorded as posted: %s\n", res.File, res.Account, res.Platform, res.URL)
	} else {
		fmt.Fprintf(f.IO.Out, "%s %s/%s: recorded as not posted: the next publish sends it\n", res.File, res.Account, res.Platform)
	}
	return nil
}
