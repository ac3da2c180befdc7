package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// CheckOptions are the inputs of humas check.
type CheckOptions struct {
	f *Factory
}

func newCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{f: f}
	return &cobra.Command{
		Use:   "check",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runCheck(opts)
		},
	}
}

func runCheck(opts *CheckOptions) error {
	return errors.New("check: not built yet")
}
