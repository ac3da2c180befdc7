package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// PreviewOptions are the inputs of humas preview.
type PreviewOptions struct {
	f *Factory
}

func newCmdPreview(f *Factory, runF func(*PreviewOptions) error) *cobra.Command {
	opts := &PreviewOptions{f: f}
	return &cobra.Command{
		Use:   "preview",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runPreview(opts)
		},
	}
}

func runPreview(opts *PreviewOptions) error {
	return errors.New("preview: not built yet")
}
