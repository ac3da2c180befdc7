package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/usecase"
)

// ShareOptions are the inputs of humas share.
type ShareOptions struct {
	f        *Factory
	File     string
	WhatsApp bool
	Link     bool
}

func newCmdShare(f *Factory, runF func(*ShareOptions) error) *cobra.Command {
	opts := &ShareOptions{f: f}
	cmd := &cobra.Command{
		Use:   "share --whatsapp FILE",
		Short: "Print the release as a message to pass on by hand (WhatsApp)",
		Long: `Print the release formatted for WhatsApp, where journalists and citizens share
news: the headline in *bold*, the issuer and date in _italic_, a short summary (a
hoax clarification's claim and verdict), the article's address and the hashtags.
Paste it into a group, or give --link for the wa.me address that opens WhatsApp
with the message ready, to send to a chat of your choice. Nothing is sent.

A release held back from its posts (embargo, blackout, draft, exempted) is not
written: its article is not on the site yet. The template is
templates/share/whatsapp.tmpl; a project's own overrides it.`,
		Example: `  humas share --whatsapp releases/2024-01-22-pendaftaran-kpps.md
  humas share --whatsapp releases/2024-01-22-pendaftaran-kpps.md | xclip -selection clipboard
  humas share --whatsapp --link releases/2024-01-22-pendaftaran-kpps.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if !opts.WhatsApp {
				return invalid(errors.New("share: say where: --whatsapp (the one place humas writes for so far)"))
			}
			if runF != nil {
				return runF(opts)
			}
			return runShare(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.WhatsApp, "whatsapp", false, "write the message for WhatsApp")
	cmd.Flags().BoolVar(&opts.Link, "link", false, "print the wa.me link that opens WhatsApp with the message, instead of the message")
	return cmd
}

func runShare(opts *ShareOptions) error {
	f := opts.f
	p, err := openProject(f, usecase.Target{Dir: f.Dir})
	if err != nil {
		return err
	}
	res, err := usecase.Share(p, usecase.ShareRequest{File: opts.File, Now: f.Now()})
	printDiagnostics(f.IO.Err, res.Diagnostics)
	if err != nil {
		return err
	}
	if opts.Link {
		fmt.Fprintln(f.IO.Out, res.Link)
		return nil
	}
	fmt.Fprintln(f.IO.Out, res.WhatsApp)
	return nil
}
