// Package project opens a humas project: its configuration, templates and releases.
package project

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/projfile"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/templates"
)

// Project is the folder with humas.yaml, releases/ and optionally templates/.
type Project struct {
	Root      string
	Config    *config.Config
	Templates fs.FS

	files        *projfile.Root
	placeholders func() map[string]bool // lines of release.md's body, read once
}

// Open reads the configuration of the project at root (the embedded default when
// there is no humas.yaml) and its templates.
func Open(root string) (*Project, error) {
	if root == "" {
		root = "."
	}
	cfg, err := config.Load(root)
	if err != nil {
		return nil, err
	}
	p := &Project{Root: root, Config: cfg, Templates: templates.Open(root), files: projfile.New(root)}
	p.placeholders = sync.OnceValue(p.readPlaceholders)
	return p, nil
}

// readPlaceholders returns the sentences of the release template's body (what
// humas new writes for the press officer to replace), trimmed.
func (p *Project) readPlaceholders() map[string]bool {
	src, err := fs.ReadFile(p.Templates, "release.md")
	if err != nil {
		return nil
	}
	parts := strings.SplitN(string(src), "\n---\n", 2)
	if len(parts) < 2 {
		return nil
	}
	out := map[string]bool{}
	for _, line := range strings.Split(parts[1], "\n") {
		if line = strings.TrimSpace(line); len(line) >= 20 && !strings.Contains(line, "{{") {
			out[line] = true
		}
	}
	return out
}

// placeholderWarnings warns about every body line still as the template wrote it: a
// release that goes out with "Tulis paragraf pembuka di sini" embarrasses the office.
func (p *Project) placeholderWarnings(r *release.Release) release.Diagnostics {
	var placeholders map[string]bool
	if p.placeholders != nil {
		placeholders = p.placeholders()
	}
	if len(placeholders) == 0 || r == nil {
		return nil
	}
	var out release.Diagnostics
	// Every release of every command comes here: walk the lines in place, and look
	// them up without copying (the compiler does not allocate for m[string(b)]).
	i := 0
	for line := range bytes.Lines(r.Body) {
		if placeholders[string(bytes.TrimSpace(line))] {
			out = append(out, release.Diagnostic{File: r.File, Line: r.BodyLine + i, Field: "body",
				Message: "still the template's placeholder text", Hint: "write the release here, or delete the line", Warning: true})
		}
		i++
	}
	return out
}

// Rel returns path relative to the project root, slash-separated, when it lies inside
// it; otherwise path as given. A relative path is taken as relative to the root.
func (p *Project) Rel(path string) string {
	if !filepath.IsAbs(path) {
		return filepath.ToSlash(filepath.Clean(path))
	}
	root, err := filepath.Abs(p.Root)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return filepath.ToSlash(rel)
}

// Load reads and checks one release; path is relative to the root or absolute. It
// reads no other release, so checking one file stays fast in a large repository.
// The release is nil only when the file cannot be read.
func (p *Project) Load(path string) (*release.Release, release.Diagnostics) {
	file := p.Rel(path)
	src, err := p.files.Read(file, projfile.Release)
	if err != nil {
		return nil, release.Diagnostics{readError(file, err)}
	}
	r, diags := release.Parse(file, src, p.Config)
	return r, append(diags, p.placeholderWarnings(r)...)
}

// readError is the diagnostic of a release that cannot be read: a refusal says what
// the file is and what to do; the system's own errors (a missing file) say so.
func readError(file string, err error) release.Diagnostic {
	var pe *projfile.Error
	if !errors.As(err, &pe) {
		return release.Diagnostic{File: file, Message: "cannot read: " + err.Error()}
	}
	msg := pe.Problem
	if !errors.Is(err, projfile.ErrSymlink) && !errors.Is(err, projfile.ErrNotRegular) &&
		!errors.Is(err, projfile.ErrTooLarge) && !errors.Is(err, projfile.ErrPlace) {
		msg = "cannot read: " + msg
	}
	return release.Diagnostic{File: file, Message: msg, Hint: pe.Hint}
}

// LoadAll reads and checks every release under releases/, in file order, on as many
// workers as there are CPUs. Releases with errors are still returned (their errors are
// in the diagnostics), so callers decide whether to go on.
func (p *Project) LoadAll() ([]*release.Release, release.Diagnostics) {
	files, err := release.Glob(p.Root)
	if err != nil {
		return nil, release.Diagnostics{{File: release.Dir, Message: err.Error()}}
	}
	return p.LoadFiles(files)
}

// LoadFiles is Load for many files at once, concurrently; results keep the order of
// files, and unreadable files are left out of the releases.
func (p *Project) LoadFiles(files []string) ([]*release.Release, release.Diagnostics) {
	type result struct {
		r     *release.Release
		diags release.Diagnostics
	}
	results := make([]result, len(files))
	// Reading a file blocks; more workers than CPUs keep the CPUs parsing meanwhile.
	parallel.For(len(files), 2*runtime.GOMAXPROCS(0), func(i int) {
		r, d := p.Load(files[i])
		results[i] = result{r, d}
	})

	releases := make([]*release.Release, 0, len(files))
	var diags release.Diagnostics
	for _, res := range results {
		if res.r != nil {
			releases = append(releases, res.r)
		}
		diags = append(diags, res.diags...)
	}
	return releases, diags
}
