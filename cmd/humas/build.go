package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// BuildOptions are the inputs of humas build.
type BuildOptions struct {
	f *Factory
}

func newCmdBuild(f *Factory, runF func(*BuildOptions) error) *cobra.Command {
	opts := &BuildOptions{f: f}
	return &cobra.Command{
		Use:   "build",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runBuild(opts)
		},
	}
}

func runBuild(opts *BuildOptions) error {
	return errors.New("build: not built yet")
}
