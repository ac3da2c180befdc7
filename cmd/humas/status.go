package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of humas status.
type StatusOptions struct {
	f *Factory
}

func newCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{f: f}
	return &cobra.Command{
		Use:   "status",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runStatus(opts)
		},
	}
}

func runStatus(opts *StatusOptions) error {
	return errors.New("status: not built yet")
}
