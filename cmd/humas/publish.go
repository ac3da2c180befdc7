package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// PublishOptions are the inputs of humas publish.
type PublishOptions struct {
	f *Factory
}

func newCmdPublish(f *Factory, runF func(*PublishOptions) error) *cobra.Command {
	opts := &PublishOptions{f: f}
	return &cobra.Command{
		Use:   "publish",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runPublish(opts)
		},
	}
}

func runPublish(opts *PublishOptions) error {
	return errors.New("publish: not built yet")
}
