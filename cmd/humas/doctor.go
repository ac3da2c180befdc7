package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// DoctorOptions are the inputs of humas doctor.
type DoctorOptions struct {
	f *Factory
}

func newCmdDoctor(f *Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{f: f}
	return &cobra.Command{
		Use:   "doctor",
		Short: "(not built yet)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDoctor(opts)
		},
	}
}

func runDoctor(opts *DoctorOptions) error {
	return errors.New("doctor: not built yet")
}
