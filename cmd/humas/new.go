package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewOptions are the inputs of humas new.
type NewOptions struct {
	f *Factory
}

func newCmdNew(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{f: f}
	return &cobra.Command{
		Use:   "new",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runNew(opts)
		},
	}
}

func runNew(opts *NewOptions) error {
	return errors.New("new: not built yet")
}
