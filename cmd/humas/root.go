package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/balikpapan/humas/internal/iostreams"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/usecase"
)

// Exit codes, SPEC section 5.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// Factory is what every command is given: streams, environment and clock, swapped by tests.
type Factory struct {
	IO      *iostreams.IOStreams
	Getenv  func(string) string
	Now     func() time.Time
	Dir     string // project root, from -C
	Verbose bool
}

func newFactory() *Factory {
	return &Factory{IO: iostreams.System(), Getenv: os.Getenv, Now: time.Now, Dir: "."}
}

// usageError is bad usage or invalid input: exit 2, nothing was posted.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// invalid marks err as bad input (exit 2).
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// silentError carries an exit code for a failure already reported on stderr.
type silentError struct{ code int }

func (e silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "humas",
		Short: "Publish press releases to the website and every institution's social accounts",
		Long: `humas turns Markdown press releases into articles on the office's website and
sends each one, exactly once, to every institution that takes part, on each of its
channels: ` + all.Platforms().Spoken() + `.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
	}
	root.SetVersionTemplate("humas {{.Version}}\n")
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.Err)
	root.PersistentFlags().StringVarP(&f.Dir, "dir", "C", ".", "project root (the folder with humas.yaml and releases/)")
	root.PersistentFlags().BoolVarP(&f.Verbose, "verbose", "v", false, "say more about what is done (secrets are never shown)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return invalid(err) })
	root.AddCommand(
		newCmdNew(f, nil),
		newCmdCheck(f, nil),
		newCmdBuild(f, nil),
		newCmdPreview(f, nil),
		newCmdServe(f, nil),
		newCmdPublish(f, nil),
		newCmdRepost(f, nil),
		newCmdStatus(f, nil),
		newCmdResolve(f, nil),
		newCmdDoctor(f, nil),
		newCmdShare(f, nil),
		newCmdVersion(f),
	)
	// A wrong number of arguments is bad usage (exit 2), like a bad flag.
	for _, c := range root.Commands() {
		if args := c.Args; args != nil {
			c.Args = func(cmd *cobra.Command, a []string) error { return invalid(args(cmd, a)) }
		}
	}
	return root
}

// run executes the command line and returns the process exit code.
func run(args []string, f *Factory) int {
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var se silentError
	if errors.As(err, &se) {
		return se.code
	}
	if errors.Is(err, usecase.ErrInvalid) {
		return exitUsage // the diagnostics said what is wrong
	}
	fmt.Fprintf(f.IO.Err, "humas: %s\n", err)
	var ie *usecase.InputError
	if errors.As(err, &ie) && ie.Hint != "" {
		fmt.Fprintf(f.IO.Err, "humas: hint: %s\n", ie.Hint)
	}
	var ue usageError
	// cobra reports an unknown command from its own lookup, past every hook.
	if errors.As(err, &ue) || usecase.IsInput(err) || strings.HasPrefix(err.Error(), "unknown command ") {
		return exitUsage
	}
	return exitFailed
}

// openProject opens the project t names, showing humas.yaml's problems with their
// lines.
func openProject(f *Factory, t usecase.Target) (*project.Project, error) {
	p, diags, err := usecase.Open(t)
	printDiagnostics(f.IO.Err, diags)
	return p, err
}
