// Package usecase holds humas's use cases: check, build, preview, publish, status and
// doctor, each a function from a request to a result with its diagnostics. The
// command line (cmd/humas) only turns flags into requests and results into text.
package usecase

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// InputError is bad input or bad usage: nothing was sent, and the command says so
// with exit status 2.
type InputError struct {
	Err  error
	Hint string // what to do about it, "" when the message says it all
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Input marks err as bad input; nil stays nil.
func Input(err error) error {
	if err == nil {
		return nil
	}
	return &InputError{Err: err}
}

// ErrInvalid is the input error of a result whose diagnostics already say what is
// wrong: the caller shows them and need not print the error too.
var ErrInvalid = &InputError{Err: errors.New("invalid input: see the errors above")}

// IsInput reports whether err is bad input (exit 2).
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Target says which projects a command works on.
type Target struct {
	Dir string
	// Whole is set by commands that work on the whole project (check and status
	// with no file, build, publish --pending or --changed, doctor, serve): a folder
	// with neither humas.yaml nor releases/ is refused instead of quietly checking
	// nothing or building an empty site.
	Whole bool
	// Only and Accounts are --only and --account: each must name a platform and
	// an account the project has.
	Only, Accounts []string
}

// Open opens the project of t. A problem of humas.yaml comes back as diagnostics
// with ErrInvalid; a folder that is missing or not a project as an input error.
func Open(t Target) (*project.Project, release.Diagnostics, error) {
	dir := t.Dir
	if dir == "" {
		dir = "."
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, Input(fmt.Errorf("-C %s: no such folder", dir))
	case err != nil:
		return nil, nil, Input(fmt.Errorf("-C %s: %w", dir, err))
	case !st.IsDir():
		return nil, nil, Input(fmt.Errorf("-C %s: not a folder", dir))
	}
	p, err := project.Open(dir)
	if err != nil {
		return nil, configDiagnostics(err), ErrInvalid
	}
	if !IsProject(dir) {
		abs, _ := filepath.Abs(dir)
		if root, ok := enclosingProject(abs); ok {
			// The built-in default would serve here, and a release checked or
			// previewed in releases/ would show another site and other accounts
			// than the ones it goes out to.
			rel, _ := filepath.Rel(abs, root)
			return nil, nil, &InputError{Err: fmt.Errorf("%s is inside the humas project %s: humas reads that project's %s only from there", abs, root, config.FileName),
				Hint: fmt.Sprintf("run humas in the project folder (cd %s, or -C %s), naming releases from there: %s/…", rel, rel, release.Dir)}
		}
		if t.Whole {
			return nil, nil, &InputError{Err: fmt.Errorf("%s is not a humas project: it has no %s and no %s/ folder", abs, config.FileName, release.Dir),
				Hint: `run humas in the folder of your releases, name it with -C DIR, or start one here with humas new "Judul"`}
		}
	}
	if err := checkTargets(p.Config, t.Only, t.Accounts); err != nil {
		return nil, nil, err
	}
	return p, nil, nil
}

// enclosingProject returns the nearest folder above dir (an absolute path) that
// holds a humas.yaml, if any.
func enclosingProject(dir string) (string, bool) {
	for d := filepath.Dir(dir); d != dir; dir, d = d, filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, config.FileName)); err == nil && st.Mode().IsRegular() {
			return d, true
		}
	}
	return "", false
}

// IsProject reports whether dir holds a humas.yaml or a releases/ folder.
func IsProject(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, config.FileName)); err == nil {
		return true
	}
	st, err := os.Stat(filepath.Join(dir, release.Dir))
	return err == nil && st.IsDir()
}

// configDiagnostics shows humas.yaml's problems the way release problems show.
func configDiagnostics(err error) release.Diagnostics {
	var ce *config.Error
	if !errors.As(err, &ce) {
		return release.Diagnostics{{File: config.FileName, Message: err.Error()}}
	}
	out := make(release.Diagnostics, 0, len(ce.Problems))
	for _, p := range ce.Problems {
		file := ce.File
		if file == "" {
			file = "default humas.yaml"
		}
		out = append(out, release.Diagnostic{File: file, Line: p.Line, Field: p.Field, Message: p.Message, Hint: p.Hint})
	}
	return out
}

// checkTargets refuses a platform or account that does not exist, so a typo in
// --only or --account cannot silently publish nothing.
func checkTargets(cfg *config.Config, only, accounts []string) error {
	for _, pl := range only {
		if !cfg.Platforms.Has(pl) {
			return Input(fmt.Errorf("--only: unknown platform %q: use %s", pl, cfg.Platforms.List()))
		}
	}
	for _, a := range accounts {
		if _, ok := cfg.Account(a); !ok {
			keys := make([]string, len(cfg.Accounts))
			for i, acc := range cfg.Accounts {
				keys[i] = acc.Key
			}
			return Input(fmt.Errorf("--account: %q is not an account in humas.yaml: use %s", a, strings.Join(keys, ", ")))
		}
	}
	return nil
}

// keep reports whether a target passes --only and --account.
func keep(only, accounts []string, account, platform string) bool {
	return (len(only) == 0 || slices.Contains(only, platform)) && (len(accounts) == 0 || slices.Contains(accounts, account))
}
