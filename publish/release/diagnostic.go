package release

import (
	"fmt"
	"strings"
)

// Diagnostic is one problem found in a release, at the line it is about.
// Its JSON form is what check --json lists under errors and warnings.
type Diagnostic struct {
	File    string `json:"file"`
	Line    int    `json:"line"`  // 1-based; 0 when the problem is about the whole file
	Field   string `json:"field"` // front-matter key ("hoax.claim"), "body", or "" for the file itself
	Message string `json:"message"`
	Hint    string `json:"hint"` // what to do about it, "" when the message says it all
	Warning bool   `json:"-"`    // warnings are shown but do not fail a command
}

// Position is "releases/x.md:5", or just the file when the line is not known.
func (d Diagnostic) Position() string {
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d", d.File, d.Line)
	}
	return d.File
}

// Text is "field: message" without position or hint.
func (d Diagnostic) Text() string {
	if d.Field == "" {
		return d.Message
	}
	return d.Field + ": " + d.Message
}

// String is "file:line: field: message: hint"; a warning starts with "warning: ".
func (d Diagnostic) String() string {
	s := d.Position() + ": " + d.Text()
	if d.Hint != "" {
		s += ": " + d.Hint
	}
	if d.Warning {
		s = "warning: " + s
	}
	return s
}

// Diagnostics are every problem found in one or more releases, errors and warnings.
// As an error it lists them one a line.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// HasErrors reports whether any diagnostic is an error rather than a warning.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if !d.Warning {
			return true
		}
	}
	return false
}

// Errors returns the diagnostics that are errors.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(false) }

// Warnings returns the diagnostics that are warnings.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(true) }

// Err returns the errors as an error, or nil when there are none: warnings alone never
// fail a command.
func (ds Diagnostics) Err() error {
	if errs := ds.Errors(); len(errs) > 0 {
		return errs
	}
	return nil
}

func (ds Diagnostics) filter(warning bool) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Warning == warning {
			out = append(out, d)
		}
	}
	return out
}
