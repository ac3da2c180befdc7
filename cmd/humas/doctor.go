package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/usecase"
)

// DoctorOptions are the inputs of humas doctor.
type DoctorOptions struct {
	f        *Factory
	JSON     bool
	Only     []string
	Accounts []string
	Timeout  time.Duration
}

func newCmdDoctor(f *Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{f: f}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the configuration, the templates and every account's credentials",
		Long: `Doctor checks humas.yaml, that the templates render, and for every account
and platform that its credential variables are set and that the platform accepts
them, with one read-only call each (` + verifyCalls() + `).
Nothing is posted. Run it after setting up or rotating credentials.`,
		Example: `  humas doctor
  humas doctor --account kpu --only x`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDoctor(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the checks as JSON on stdout")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 20*time.Second, "give each platform call at most `DURATION`")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	return cmd
}

// verifyCalls names each platform's read-only call: "X: GET /2/users/me; …".
func verifyCalls() string {
	var parts []string
	for _, p := range all.Platforms() {
		parts = append(parts, p.DisplayName+": "+p.VerifyCall)
	}
	return strings.Join(parts, "; ")
}

func runDoctor(ctx context.Context, opts *DoctorOptions) error {
	f := opts.f
	ctx, stop := signalContext(ctx)
	defer stop()
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Whole: true, Only: opts.Only, Accounts: opts.Accounts})
	if err != nil {
		return err
	}
	res := usecase.Doctor(ctx, p, usecase.DoctorRequest{Only: opts.Only, Accounts: opts.Accounts, Timeout: opts.Timeout, Getenv: f.Getenv})
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		width := 0
		for _, c := range res.Checks {
			width = max(width, len(c.Check))
		}
		for _, c := range res.Checks {
			mark := "ok  "
			if !c.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(f.IO.Out, "%s %-*s %s\n", mark, width, c.Check, c.Detail)
			if c.Fix != "" {
				fmt.Fprintf(f.IO.Out, "     %-*s fix: %s\n", width, "", c.Fix)
			}
		}
	}
	if !res.OK {
		return silentError{exitFailed}
	}
	return nil
}
