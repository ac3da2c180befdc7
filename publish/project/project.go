// Package project opens a humas project: its configuration, templates and releases.
package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

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

	// Now is the clock for warnings about dates; nil means time.Now.
	Now func() time.Time

	files        *projfile.Root
	placeholders func() map[string]bool // lines of release.md's body, read once
	slugSettle   time.Duration          // how old a file must be for SlugCache to keep it
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
	p := &Project{Root: root, Config: cfg, Templates: templates.Open(root), files: projfile.New(root), slugSettle: slugSettle}
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

// placeholderErrors reports every body line still as the template wrote it: a
// release that goes out to every account as "BALIKPAPAN — Tulis paragraf pembuka di
// sini…" embarrasses the office, so it is an error, not a warning.
func (p *Project) placeholderErrors(r *release.Release) release.Diagnostics {
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
				Message: "still the text humas new wrote for you to replace", Hint: "write the release here, or delete the line"})
		}
		i++
	}
	return out
}

// dateWarnings warns about a date more than a year ahead: a typo in the year, most
// likely, that would keep the release at the top of the site for a year.
func (p *Project) dateWarnings(r *release.Release) release.Diagnostics {
	if r == nil || r.Date.IsZero() {
		return nil
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	if !r.Date.After(now.AddDate(1, 0, 0)) {
		return nil
	}
	return release.Diagnostics{{File: r.File, Line: r.Line("date"), Field: "date", Warning: true,
		Message: fmt.Sprintf("%s is more than a year ahead", r.Date.Format("2006-01-02")), Hint: "check the year"}}
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
	return p.Parse(file, src)
}

// Parse checks a release read from src as Load checks the file it reads; file is
// the path relative to the root the release is reported at.
func (p *Project) Parse(file string, src []byte) (*release.Release, release.Diagnostics) {
	r, diags := release.Parse(file, src, p.Config)
	diags = append(diags, p.placeholderErrors(r)...)
	return r, append(diags, p.dateWarnings(r)...)
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
	return p.load(files, files, false)
}

// LoadFiles is Load for many files at once, concurrently; results keep the order of
// files, and unreadable files are left out of the releases. A slug another release
// of the project has too is an error, whether that release is loaded or not: the
// other releases' slugs come from SlugCache where it knows them, else from the
// start of each file.
func (p *Project) LoadFiles(files []string) ([]*release.Release, release.Diagnostics) {
	return p.loadFiles(files, false)
}

// CheckFiles is LoadFiles for humas check, which keeps what it read of the
// other releases' slugs in SlugCache for the next check. Only check writes the
// cache: a dry run writes nothing.
func (p *Project) CheckFiles(files []string) ([]*release.Release, release.Diagnostics) {
	return p.loadFiles(files, true)
}

func (p *Project) loadFiles(files []string, keep bool) ([]*release.Release, release.Diagnostics) {
	all, err := release.Glob(p.Root)
	if err != nil {
		return nil, release.Diagnostics{{File: release.Dir, Message: err.Error()}}
	}
	return p.load(files, all, keep)
}

// load loads files; all are every release of the project, for slugs, and keep
// says whether the slugs read may be kept in SlugCache.
func (p *Project) load(files, all []string, keep bool) ([]*release.Release, release.Diagnostics) {
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

	loaded := make([]*release.Release, len(files))
	for i, res := range results {
		loaded[i] = res.r
	}
	for i, d := range p.duplicateSlugs(loaded, all, keep) {
		results[i].diags = append(results[i].diags, d...)
	}

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

// duplicateSlugs reports, for each loaded release (nil: not readable), any other
// release of all with the same slug: both would be the same page of the site and the
// same record in the ledger, so one would be posted as the other's. Releases not
// loaded are read only as far as their slug.
func (p *Project) duplicateSlugs(loaded []*release.Release, all []string, keep bool) map[int]release.Diagnostics {
	bySlug := make(map[string][]string, len(loaded))
	isLoaded := make(map[string]bool, len(loaded))
	for _, r := range loaded {
		if r != nil && r.Slug != "" {
			bySlug[r.Slug] = append(bySlug[r.Slug], r.File)
			isLoaded[r.File] = true
		}
	}
	var rest []string
	for _, f := range all {
		if !isLoaded[f] {
			rest = append(rest, f)
		}
	}
	// Only the slugs of the loaded releases can clash with one of them.
	for i, s := range p.slugsOf(rest, all, keep) {
		if others, wanted := bySlug[s]; wanted {
			bySlug[s] = append(others, rest[i])
		}
	}
	out := map[int]release.Diagnostics{}
	for i, r := range loaded {
		if r == nil || len(bySlug[r.Slug]) < 2 {
			continue
		}
		var others []string
		for _, f := range bySlug[r.Slug] {
			if f != r.File {
				others = append(others, f)
			}
		}
		out[i] = append(out[i], release.Diagnostic{File: r.File, Line: r.Line("slug"), Field: "slug",
			Message: fmt.Sprintf("%q is also the slug of %s", r.Slug, strings.Join(others, ", ")),
			Hint:    "each release is its own page and its own posts: set another slug: in one, or rename its file"})
	}
	return out
}

// slugOf reads as little of a release as tells its slug: a slug: line in the front
// matter, or else its file name. "" when the file cannot be read.
func (p *Project) slugOf(file string) string {
	// Front matter is a few hundred bytes: read a little, and more only when it
	// goes on (checking one file in a large repository reads every other one).
	for _, n := range []int{1 << 10, 64 << 10} {
		head, size, err := p.files.ReadHead(file, projfile.Release, n)
		if err != nil {
			return ""
		}
		s, found, closed := release.FrontMatterSlug(head)
		if found {
			return s
		}
		if closed || int64(len(head)) >= size {
			break
		}
	}
	return release.FileSlug(file)
}
