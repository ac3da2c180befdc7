package main

import (
	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/release"
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
	p, err := openProject(f, opts.Only, opts.Accounts)
	if err != nil {
		return err
	}
	files := opts.Files
	if len(files) == 0 {
		if files, err = release.Glob(p.Root); err != nil {
			return err
		}
	}
	rels, err := loadReleases(f, p, files, opts.JSON)
	if err != nil {
		return err
	}
	jobs, err := composeJobs(p, rels)
	if err != nil {
		return err
	}
	pl := pipeline.New(pipeline.Options{Root: p.Root, Only: opts.Only, Accounts: opts.Accounts, Now: f.Now,
		Policy: hold.PolicyOf(p.Config), Platforms: p.Config.Platforms})
	res, err := pl.Status(jobs)
	if err != nil {
		return ledgerError(err)
	}
	if len(opts.Files) == 0 {
		// Records whose release file is gone still say what went out.
		orphans, err := orphanRecords(p.Root, jobs)
		if err != nil {
			return ledgerError(err)
		}
		res.Releases = append(res.Releases, orphans...)
	}
	return printResult(f.IO.Out, res, opts.JSON, false)
}

// orphanRecords are ledger records of releases no longer in releases/.
func orphanRecords(root string, jobs []pipeline.Job) ([]pipeline.ReleaseResult, error) {
	recs, err := ledger.Open(root).All()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, j := range jobs {
		known[j.Slug] = true
	}
	var out []pipeline.ReleaseResult
	for _, rec := range recs {
		if !known[rec.Slug] {
			out = append(out, pipeline.StatusOf(rec))
		}
	}
	return out, nil
}
