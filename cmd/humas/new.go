package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/usecase"
)

// NewOptions are the inputs of humas new.
type NewOptions struct {
	f      *Factory
	Title  string
	Issuer string // account key; default the first account of humas.yaml
}

func newCmdNew(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{f: f}
	cmd := &cobra.Command{
		Use:   `new "Judul"`,
		Short: "Start a release: writes releases/<today>-<slug>.md from the template",
		Long: `New writes a release dated today (in the site's time zone) with its title, the
issuer and the required fields filled in, the optional ones as comments, and a
body skeleton. The file name is today's date and a slug made from the title.
It never overwrites a file; the path written is printed on stdout.`,
		Example: `  humas new "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu"
  humas new --issuer diskominfo "Diskominfo Bentuk PPID Pembantu"
  $EDITOR "$(humas new "Sosialisasi Tahapan Pemilu 2024")"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Title = strings.TrimSpace(strings.Join(args, " "))
			if runF != nil {
				return runF(opts)
			}
			return runNew(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Issuer, "issuer", "", "account key of the institution issuing the release (default: the first account)")
	return cmd
}

func runNew(opts *NewOptions) error {
	f := opts.f
	p, err := openProject(f, usecase.Target{Dir: f.Dir})
	if err != nil {
		return err
	}
	file, err := usecase.New(p, usecase.NewRequest{Title: opts.Title, Issuer: opts.Issuer, Now: f.Now()})
	if err != nil {
		return err
	}
	fmt.Fprintln(f.IO.Out, file)
	return nil
}
