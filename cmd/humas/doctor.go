package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/site"
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

// doctorCheck is one line of the report.
type doctorCheck struct {
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func runDoctor(ctx context.Context, opts *DoctorOptions) error {
	f := opts.f
	ctx, stop := signalContext(ctx)
	defer stop()
	var checks []doctorCheck
	add := func(name string, err error, okDetail string) {
		c := doctorCheck{Check: name, OK: err == nil, Detail: okDetail}
		if err != nil {
			c.Detail = err.Error()
		}
		checks = append(checks, c)
	}

	p, err := openProject(f, opts.Only, opts.Accounts)
	if err != nil {
		return err
	}
	cfgName := p.Config.File
	if cfgName == "" {
		cfgName = "built-in default (no humas.yaml)"
	}
	add("config", nil, fmt.Sprintf("%s: %s", cfgName, plural(len(p.Config.Accounts), "account")))
	add("templates", checkTemplates(p), "site and post templates render")

	pl := pipeline.New(pipeline.Options{Root: p.Root, NewPoster: posterFactory(f, p.Config), Now: f.Now})
	for _, acc := range p.Config.Accounts {
		if len(opts.Accounts) > 0 && !slices.Contains(opts.Accounts, acc.Key) {
			continue
		}
		for _, platform := range acc.PlatformNames() {
			if len(opts.Only) > 0 && !slices.Contains(opts.Only, platform) {
				continue
			}
			name := acc.Key + "/" + platform
			c, cancel := context.WithTimeout(ctx, opts.Timeout)
			who, err := pl.Verify(c, acc.Key, platform)
			cancel()
			if err != nil {
				// The check's name already says which target; keep the cause.
				err = errors.New(strings.TrimPrefix(err.Error(), name+": "))
			}
			add(name, err, "credentials accepted: "+who)
		}
	}

	failed := false
	for _, c := range checks {
		failed = failed || !c.OK
	}
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"checks": checks, "ok": !failed}); err != nil {
			return err
		}
	} else {
		for _, c := range checks {
			mark := "ok  "
			if !c.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(f.IO.Out, "%s %-20s %s\n", mark, c.Check, c.Detail)
		}
	}
	if failed {
		return silentError{exitFailed}
	}
	return nil
}

// checkTemplates renders every template once with a sample release, so a broken
// override fails here and not in the middle of a publish.
func checkTemplates(p *project.Project) error {
	r := sampleRelease(p)
	if err := site.RenderArticle(io.Discard, p, r, nil); err != nil {
		return err
	}
	_, err := compose.Compose(p, r)
	return err
}

// sampleRelease is a release of the first account, as `humas new` would start one.
func sampleRelease(p *project.Project) *release.Release {
	issuer := ""
	if len(p.Config.Accounts) > 0 {
		issuer = p.Config.Accounts[0].Key
	}
	return &release.Release{
		File:           "releases/2021-06-09-contoh.md",
		Title:          "Contoh Siaran Pers",
		Date:           time.Date(2021, 6, 9, 13, 0, 0, 0, p.Config.Site.Location),
		Issuer:         issuer,
		Classification: release.Berkala,
		Kind:           release.SiaranPers,
		Summary:        "Ringkasan contoh.",
		Tags:           []string{"contoh"},
		Slug:           "contoh",
		Body:           []byte("Isi contoh.\n"),
		BodyLine:       8,
	}
}
