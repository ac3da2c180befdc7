package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// ServeOptions are the inputs of humas serve.
type ServeOptions struct {
	f *Factory
}

func newCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{f: f}
	return &cobra.Command{
		Use:   "serve",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runServe(opts)
		},
	}
}

func runServe(opts *ServeOptions) error {
	return errors.New("serve: not built yet")
}
