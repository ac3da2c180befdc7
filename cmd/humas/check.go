package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/usecase"
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
the check. What holds a release back (an embargo, a blackout,
the archive before publish.since, a draft) is said too, in the words publish
uses. FILE paths are relative to the project root (-C), as for every humas
command.

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

func runCheck(opts *CheckOptions) error {
	f := opts.f
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: len(opts.Files) == 0, Only: opts.Only, Accounts: opts.Accounts})
	if err != nil {
		return err
	}
	res, err := usecase.Check(p, usecase.CheckRequest{Files: opts.Files, Only: opts.Only, Accounts: opts.Accounts, Now: f.Now()})
	if err != nil {
		return err
	}
	printDiagnostics(f.IO.Err, res.Diagnostics)
	printHolds(f.IO.Err, res.Holds)
	summary := fmt.Sprintf("checked %s: %s, %s", plural(res.Checked, "release"),
		plural(len(res.Diagnostics.Errors()), "error"), plural(len(res.Diagnostics.Warnings()), "warning"))
	if len(res.Holds) > 0 {
		summary += fmt.Sprintf(", %d held", len(res.Holds))
	}
	fmt.Fprintln(f.IO.Err, summary)
	if opts.JSON {
		if err := printResult(f.IO.Out, pipeline.Result{Releases: res.Releases}, true, true); err != nil {
			return err
		}
	}
	return res.Err()
}

// printHolds says what keeps each release back, "humas: held: file:line: why",
// with the hint; the archive, which may be most of a repository, on one line.
func printHolds(w io.Writer, holds []usecase.Held) {
	var archive []usecase.Held
	for _, h := range holds {
		if h.Reason == hold.Archive {
			archive = append(archive, h)
			continue
		}
		fmt.Fprintf(w, "humas: held: %s: %s\n", h.Position(), h.Message)
		if h.Hint != "" {
			fmt.Fprintf(w, "humas: hint: %s\n", h.Hint)
		}
	}
	switch len(archive) {
	case 0:
	case 1:
		fmt.Fprintf(w, "humas: held: %s: %s\n", archive[0].Position(), archive[0].Message)
	default:
		fmt.Fprintf(w, "humas: held: %d releases, %s and more: %s\n", len(archive), archive[0].File, archive[0].Message)
	}
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

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
