// Package projfile reads a project's own files, and nothing else: every release,
// image, template, humas.yaml and press list humas reads goes through it.
//
// A project is a git repository anyone may send a pull request to, and git stores
// symbolic links, so a file's name says nothing about what reading it gives:
// images/foto.png can point at /proc/self/environ (every secret of the CI job),
// a release at /dev/zero or a named pipe. Read therefore takes only regular files
// that are the project's own:
//
//   - A symbolic link is refused, wherever it is in the path below the project
//     root, even one that points inside the project: a link is never needed in a
//     content repository, and refusing it is the one rule that cannot be got wrong.
//     (The root itself may be reached through links: the user chose it.)
//   - Folders, devices, named pipes and sockets are refused without blocking: the
//     file is opened with O_NONBLOCK and O_NOFOLLOW, and the opened descriptor is
//     checked, so what is read is what was checked.
//   - Every kind of file has a size limit, checked before reading and while reading.
//   - Every kind lives where it belongs: nothing under .git, images only under
//     releases/ or assets/, templates under templates/, the ledger under .humas/.
//
// Intermediate folders are checked with lstat once per Root and remembered; a
// process racing to swap a folder for a link after that is outside what a pull
// request can do.
package projfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Kind is what a file is read as; it decides where the file may be and how large.
type Kind int

// The kinds of project file.
const (
	Release  Kind = iota + 1 // a release's Markdown
	Image                    // a picture shown or posted
	Template                 // a file of templates/
	Config                   // humas.yaml
	List                     // a press list (CSV)
	Ledger                   // a publish record under .humas/
	State                    // what repost keeps of a partner's feed, under .humas/
)

// Limit is the largest file of the kind humas reads, in bytes.
func (k Kind) Limit() int64 {
	switch k {
	case Release:
		// A long release is 20 KB; a thousand pages of text still fit.
		return 1 << 20
	case Image:
		// No platform takes more than 10 MB (Facebook, Telegram); the site could, but
		// a 20 MB photo is an export mistake that slows every reader's phone.
		return 20 << 20
	case Template, Config:
		return 1 << 20
	case List:
		return 4 << 20
	case Ledger:
		return 8 << 20
	case State:
		// A feed's items and a long history of reposts are far below it.
		return 32 << 20
	}
	return 1 << 20
}

func (k Kind) String() string {
	switch k {
	case Release:
		return "release"
	case Image:
		return "image"
	case Template:
		return "template"
	case Config:
		return "configuration file"
	case List:
		return "press list"
	case Ledger:
		return "ledger file"
	case State:
		return "partner state file"
	}
	return "file"
}

// Sentinel causes of a refusal, for errors.Is.
var (
	ErrSymlink    = errors.New("symbolic link")
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("too large")
	ErrPlace      = errors.New("not where this kind of file belongs")
)

// Error is a project file humas will not read, or could not.
type Error struct {
	Path    string // slash-separated, relative to the project root when inside it
	Problem string // "is a symbolic link to \"/proc/self/environ\""
	Hint    string // what to do, "" when the problem says it
	Err     error  // the cause: one of the sentinels above, or the system's error
}

// Error is "path: problem", or the problem alone when the caller names the file.
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

func (e *Error) Unwrap() error { return e.Err }

// Root is a project folder to read from. It remembers which folders below it it
// has checked, so reading 10,000 releases checks releases/ once.
type Root struct {
	dir  string // as given
	abs  string // absolute, for names given as absolute paths
	dirs sync.Map
}

// New returns the project folder dir ("" means the current folder).
func New(dir string) *Root {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return &Root{dir: dir, abs: abs}
}

// Read returns the content of the project file name, a path relative to the
// root (slash- or OS-separated) or an absolute path inside it, read as kind. The
// error is an *Error saying what is wrong and how to fix it.
func Read(root, name string, kind Kind) ([]byte, error) { return New(root).Read(name, kind) }

// Read is the package's Read on r.
func (r *Root) Read(name string, kind Kind) ([]byte, error) {
	data, _, err := r.read(name, kind, -1)
	return data, err
}

// ReadHead returns at most n bytes from the start of the file, and its size: enough
// to tell what an image is without reading all of it. The size is checked against
// the kind's limit all the same.
func (r *Root) ReadHead(name string, kind Kind, n int) ([]byte, int64, error) {
	return r.read(name, kind, n)
}

func (r *Root) read(name string, kind Kind, head int) ([]byte, int64, error) {
	rel, err := r.Rel(name, kind)
	if err != nil {
		return nil, 0, err
	}
	if err := r.checkDirs(rel); err != nil {
		return nil, 0, err
	}
	return readRegular(filepath.Join(r.dir, filepath.FromSlash(rel)), rel, kind, head)
}

// Rel returns name relative to the root, slash-separated and clean, after checking
// that a file of kind may be there.
func (r *Root) Rel(name string, kind Kind) (string, error) {
	given := filepath.ToSlash(name)
	rel := name
	if filepath.IsAbs(name) {
		var err error
		rel, err = filepath.Rel(r.abs, name)
		if err != nil {
			rel = ".."
		}
	}
	rel = path.Clean(filepath.ToSlash(rel))
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return "", &Error{Path: given, Problem: "is outside the project", Err: ErrPlace,
			Hint: "humas reads only the project's own files: move it into the project, or run humas with -C in the project folder"}
	}
	if rel == "." {
		return "", &Error{Path: given, Problem: "is the project folder, not a file", Err: ErrNotRegular}
	}
	parts := strings.Split(rel, "/")
	for _, p := range parts {
		if strings.EqualFold(p, ".git") {
			return "", &Error{Path: rel, Problem: "is inside .git, which humas never reads", Err: ErrPlace,
				Hint: "git's own files can hold the job's token"}
		}
	}
	hidden := false
	for _, p := range parts[:len(parts)-1] {
		hidden = hidden || strings.HasPrefix(p, ".")
	}
	switch kind {
	case Image:
		if hidden || strings.HasPrefix(parts[len(parts)-1], ".") || len(parts) < 2 || parts[0] != "releases" && parts[0] != "assets" {
			return "", &Error{Path: rel, Problem: "is not in releases/ or assets/", Err: ErrPlace,
				Hint: "images are published: keep them in releases/ (e.g. releases/images/) or assets/"}
		}
	case Template:
		if hidden || len(parts) < 2 || parts[0] != "templates" {
			return "", &Error{Path: rel, Problem: "is not in templates/", Err: ErrPlace}
		}
	case Config:
		if len(parts) != 1 {
			return "", &Error{Path: rel, Problem: "is not at the project root", Err: ErrPlace}
		}
	case Ledger, State:
		if len(parts) < 2 || parts[0] != ".humas" {
			return "", &Error{Path: rel, Problem: "is not in .humas/", Err: ErrPlace}
		}
	default:
		if hidden {
			return "", &Error{Path: rel, Problem: "is in a hidden folder", Err: ErrPlace,
				Hint: "keep releases in releases/"}
		}
	}
	return rel, nil
}

// checkDirs makes sure every folder of rel below the root is a real folder, not a
// symbolic link (which would lead anywhere, the last component being opened with
// O_NOFOLLOW does not stop a link in the middle).
func (r *Root) checkDirs(rel string) error {
	for i := 0; i < len(rel); i++ {
		if rel[i] != '/' {
			continue
		}
		dir := rel[:i]
		if _, ok := r.dirs.Load(dir); ok {
			continue
		}
		st, err := os.Lstat(filepath.Join(r.dir, filepath.FromSlash(dir)))
		switch {
		case err != nil:
			return &Error{Path: rel, Problem: errorText(err), Err: err}
		case st.Mode()&fs.ModeSymlink != 0:
			// Named at the file read, as a release's error is, yet saying which
			// folder is the link: "releases/x.md: releases/ is a symbolic link".
			e := symlinkError(dir, filepath.Join(r.dir, filepath.FromSlash(dir)), "the folder")
			e.Path, e.Problem = rel, dir+"/ "+e.Problem
			return e
		case !st.IsDir():
			return &Error{Path: rel, Problem: dir + " is not a folder", Err: ErrNotRegular}
		}
		r.dirs.Store(dir, struct{}{})
	}
	return nil
}

func symlinkError(rel, full, what string) *Error {
	problem := "is a symbolic link"
	if target, err := os.Readlink(full); err == nil {
		problem = fmt.Sprintf("is a symbolic link to %q", target)
	}
	return &Error{Path: rel, Problem: problem, Err: ErrSymlink,
		Hint: "humas reads only the project's own files: put " + what + " itself here, not a link"}
}

func tooLarge(rel string, kind Kind, size int64) *Error {
	hint := ""
	switch kind {
	case Image:
		hint = "export it smaller (for example 2048 pixels wide, JPEG quality 85)" // as platform.Media.Check says it
	case Release:
		hint = "split it, or move tables and attachments out of the release"
	}
	return &Error{Path: rel, Err: ErrTooLarge, Hint: hint,
		Problem: fmt.Sprintf("is %s, more than the %d MB %s may be", megabytes(size), kind.Limit()>>20, kind.article())}
}

// megabytes rounds up to a tenth, so a file one byte over a limit never reads as
// the limit itself.
func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", math.Ceil(float64(n)*10/(1<<20))/10)
}

// article is the kind with "a" or "an".
func (k Kind) article() string {
	if k == Image {
		return "an image"
	}
	return "a " + k.String()
}

// errorText is the system's words for err without the path, which the caller adds.
func errorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// modeError refuses a file that is not regular, by what it is.
func modeError(rel string, mode fs.FileMode) *Error {
	what := "is not a regular file"
	switch {
	case mode.IsDir():
		what = "is a folder, not a file"
	case mode&fs.ModeNamedPipe != 0:
		what = "is a named pipe (FIFO), not a file"
	case mode&fs.ModeDevice != 0, mode&fs.ModeCharDevice != 0:
		what = "is a device, not a file"
	case mode&fs.ModeSocket != 0:
		what = "is a socket, not a file"
	case mode&fs.ModeSymlink != 0:
		what = "is a symbolic link"
	}
	return &Error{Path: rel, Problem: what, Err: ErrNotRegular}
}
