package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/usecase"
)

// StatusOptions are the inputs of humas status.
type StatusOptions struct {
	f        *Factory
	Files    []string
	JSON     bool
	Only     []string
	Accounts []string
}

func newCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{f: f}
	cmd := &cobra.Command{
		Use:   "status [FILE…]",
		Short: "Show what the ledger says: per target posted, failed or pending, with ids and URLs",
		Long: `Status reads the ledger (.humas/ledger) and shows, for each release (all of
releases/ by default), every target it is meant for: posted with the post's id
and URL, failed with the last error, or pending (not posted yet, or a run died
while sending: the next publish looks for the post before sending again).
It ends with what needs a person: a failure for good and its fix, or a post that
may have gone out where the platform cannot be asked (humas resolve).
It sends nothing.`,
		Example: `  humas status
  humas status releases/2021-06-09-audiensi-kpu-diskominfo.md
  humas status --json --account kpu`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return runStatus(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the status as JSON on stdout")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	return cmd
}

func runStatus(opts *StatusOptions) error {
	f := opts.f
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: len(opts.Files) == 0, Only: opts.Only, Accounts: opts.Accounts})
	if err != nil {
		return err
	}
	res, err := usecase.Status(p, usecase.StatusRequest{Files: opts.Files, Only: opts.Only, Accounts: opts.Accounts, Now: f.Now})
	printDiagnostics(f.IO.Err, res.Diagnostics)
	if err != nil {
		if errors.Is(err, usecase.ErrInvalid) && opts.JSON && len(res.Result.Releases) > 0 {
			if perr := printResult(f.IO.Out, res.Result, true, false); perr != nil {
				return perr
			}
		}
		return err
	}
	return printResult(f.IO.Out, res.Result, opts.JSON, false)
}
