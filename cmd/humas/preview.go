package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/preview"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/usecase"
)

// PreviewOptions are the inputs of humas preview.
type PreviewOptions struct {
	f        *Factory
	File     string
	Out      string
	Open     bool
	Only     []string
	Accounts []string
}

func newCmdPreview(f *Factory, runF func(*PreviewOptions) error) *cobra.Command {
	opts := &PreviewOptions{f: f}
	cmd := &cobra.Command{
		Use:   "preview FILE",
		Short: "Write one HTML page showing the article and every post as it will appear",
		Long: `Write a single HTML page that shows the release as its article on the site and
as every post it becomes on ` + all.Platforms().Spoken() + `: account names, text with links and
hashtags, link cards, images with their alt text, quotes, and the length of each
text against its platform's limit. Warnings at the top name what to fix: texts too
long, images without alt text, an embargo still in force, credentials not set.

The page loads nothing from the internet, so it can be attached to a review or
opened offline. It is written to the system's temporary folder unless --out says
otherwise, and its path is printed.`,
		Example: `  humas preview releases/2021-06-09-kpu-diskominfo-tangkal-hoaks.md
  humas preview --open releases/2021-06-09-kpu-diskominfo-tangkal-hoaks.md
  humas preview --out pratinjau.html releases/2021-06-09-kpu-diskominfo-tangkal-hoaks.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runPreview(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the page to `PATH` (default: <temp>/humas-preview/<slug>.html)")
	cmd.Flags().BoolVar(&opts.Open, "open", false, "open the page in the browser")
	addTargetFlags(cmd, &opts.Only, &opts.Accounts)
	return cmd
}

func runPreview(opts *PreviewOptions) error {
	f := opts.f
	p, err := openProject(f, usecase.Target{Dir: f.Dir, Only: opts.Only, Accounts: opts.Accounts})
	if err != nil {
		return err
	}
	res, err := usecase.Preview(p, usecase.PreviewRequest{File: opts.File, Only: opts.Only, Accounts: opts.Accounts, Getenv: f.Getenv, Now: f.Now()})
	printDiagnostics(f.IO.Err, res.Diagnostics)
	if res.Page == nil {
		return err
	}
	printHolds(f.IO.Err, res.Holds)
	printWarnings(f.IO.Err, res.Report.Warnings)
	pageErr := err
	out := opts.Out
	if out == "" {
		out = filepath.Join(os.TempDir(), "humas-preview", res.Slug+".html")
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, res.Page, 0o644); err != nil {
		return err
	}
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	fmt.Fprintln(f.IO.Out, out)
	if opts.Open {
		openInBrowser(f, out)
	}
	return pageErr
}

// printWarnings says on the terminal what the preview itself warns about.
func printWarnings(w io.Writer, ws []preview.Warning) {
	for _, wr := range ws {
		fmt.Fprintf(w, "humas: warning: %s\n", wr.Text)
		if wr.Hint != "" {
			fmt.Fprintf(w, "humas: hint: %s\n", wr.Hint)
		}
	}
}

// openInBrowser hands the page to the desktop's opener; without one it says so and
// the printed path is enough.
func openInBrowser(f *Factory, path string) {
	opener := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		opener = "open"
	case "windows":
		opener = "explorer"
	}
	bin, err := exec.LookPath(opener)
	if err != nil {
		fmt.Fprintf(f.IO.Err, "humas: --open: %s not found; open the path above in a browser\n", opener)
		return
	}
	cmd := exec.Command(bin, path)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(f.IO.Err, "humas: --open: %v\n", err)
		return
	}
	go cmd.Wait()
}

// previewPage renders previews for humas serve.
func previewPage(f *Factory) func(p *project.Project, r *release.Release) ([]byte, error) {
	return func(p *project.Project, r *release.Release) ([]byte, error) {
		return usecase.PreviewPage(p, r.File, f.Getenv, f.Now())
	}
}
