package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/usecase"
)

// NewOptions are the inputs of humas new.
type NewOptions struct {
	f      *Factory
	Title  string
	Issuer string // account key; default the first account of humas.yaml
}

func newCmdNew(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{f: f}
	cmd := &cobra.Command{
		Use:   `new "Judul"`,
		Short: "Start a release: writes releases/<today>-<slug>.md from the template",
		Long: `New writes a release dated today (in the site's time zone) with its title, the
issuer and the required fields filled in, the optional ones as comments, and a
body skeleton. The file name is today's date and a slug made from the title.
It never overwrites a file; the path written is printed on stdout.`,
		Example: `  humas new "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu"
  humas new --issuer diskominfo "Diskominfo Bentuk PPID Pembantu"
  $EDITOR "$(humas new "Sosialisasi Tahapan Pemilu 2024")"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Title = strings.TrimSpace(strings.Join(args, " "))
			if runF != nil {
				return runF(opts)
			}
			return runNew(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Issuer, "issuer", "", "account key of the institution issuing the release (default: the first account)")
	return cmd
}

// newRelease is what templates/release.md is given.
type newRelease struct {
	Title      string
	Date       string // "2006-01-02 15:04" in the site's zone
	Issuer     string
	Targets    string // every account key, comma separated
	Year       int
	RomanMonth string // VI for June, as release numbers write it
}

var romanMonths = [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

func runNew(opts *NewOptions) error {
	if opts.Title == "" {
		return invalid(errors.New("new: the title is empty"))
	}
	p, err := openProject(opts.f, usecase.Target{Dir: opts.f.Dir})
	if err != nil {
		return err
	}
	cfg := p.Config
	issuer := opts.Issuer
	if issuer == "" {
		issuer = cfg.Accounts[0].Key
	}
	keys := make([]string, len(cfg.Accounts))
	for i, a := range cfg.Accounts {
		keys[i] = a.Key
	}
	if _, ok := cfg.Account(issuer); !ok {
		fmt.Fprintf(opts.f.IO.Err, "humas: new: --issuer %q is not an account\nhumas: hint: accounts: %s\n", issuer, strings.Join(keys, ", "))
		return silentError{exitUsage}
	}
	slug := release.Slugify(opts.Title)
	if slug == "" {
		return invalid(fmt.Errorf("new: title %q has no letters or digits to make a file name from", opts.Title))
	}
	now := opts.f.Now().In(cfg.Site.Location)
	rel := release.Dir + "/" + now.Format("2006-01-02") + "-" + slug + ".md"

	text, err := fs.ReadFile(p.Templates, "release.md")
	if err != nil {
		return fmt.Errorf("new: release template: %w", err)
	}
	tmpl, err := template.New("release.md").Funcs(template.FuncMap{"yaml": yamlString}).Parse(string(text))
	if err != nil {
		return fmt.Errorf("new: templates/release.md: %w", err)
	}
	var buf bytes.Buffer
	err = tmpl.Execute(&buf, newRelease{
		Title: opts.Title, Date: now.Format("2006-01-02 15:04"), Issuer: issuer,
		Targets: strings.Join(keys, ", "), Year: now.Year(), RomanMonth: romanMonths[now.Month()-1],
	})
	if err != nil {
		return fmt.Errorf("new: templates/release.md: %w", err)
	}

	full := filepath.Join(p.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	// O_EXCL: a release someone is writing must never be replaced by a fresh skeleton.
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(opts.f.IO.Err, "humas: new: %s already exists\nhumas: hint: edit it, or choose another title\n", rel)
		return silentError{exitUsage}
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(opts.f.IO.Out, rel)
	return nil
}

// yamlString writes s as a YAML scalar: plain when that reads back the same, else
// double-quoted (a JSON string is a valid YAML double-quoted scalar).
func yamlString(s string) string {
	plain := s != "" && s == strings.TrimSpace(s) &&
		!strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") &&
		!strings.Contains(s, ": ") && !strings.Contains(s, " #") && !strings.HasSuffix(s, ":") &&
		!strings.ContainsAny(s, "\n\t\\")
	if plain {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "null", "~":
			plain = false
		}
	}
	if plain {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
