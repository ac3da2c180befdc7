package config

import "path/filepath"

// projectFolders are what a site build must never write into, replace or hold:
// a build writes and removes files in its output folder, so an output that is
// one of these, inside one, or above one could overwrite or delete the project.
var projectFolders = []struct{ name, holds string }{
	{".git", "the repository"},
	{".humas", "the ledger of what was posted"},
	{"releases", "the releases"},
	{"templates", "the templates"},
}

// OutputHint is the fix for an output folder OutputProblem refuses.
const OutputHint = "build into a folder of its own, e.g. output: public"

// OutputProblem says why out may not hold the built site, or "" when it may. out
// is absolute or relative to root. It may not be the project folder, a folder
// above it, or one of the project's own folders (or inside or above one), neither
// as written nor once symbolic links and ".." are resolved. With root "" only
// the path as written is checked, as when humas.yaml is parsed without a project.
func OutputProblem(root, out string) string {
	virtual := root == ""
	if virtual {
		root = string(filepath.Separator) + "project"
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return err.Error()
	}
	o := out
	if !filepath.IsAbs(o) {
		o = filepath.Join(abs, o)
	}
	o = filepath.Clean(o)
	if p := outputProblem(abs, o, func(p string) string { return p }); p != "" || virtual {
		return p
	}
	if p := outputProblem(resolve(abs), resolve(o), resolve); p != "" {
		return p + " (through a symbolic link)"
	}
	return ""
}

// outputProblem compares out with root and the project's folders, each put
// through resolve.
func outputProblem(root, out string, resolve func(string) string) string {
	switch {
	case out == root:
		return "is the project folder itself"
	case inside(out, root):
		return "holds the project folder"
	}
	for _, f := range projectFolders {
		p := resolve(filepath.Join(root, f.name))
		switch {
		case out == p:
			return "is " + f.name + "/, which holds " + f.holds
		case inside(out, p):
			return "holds " + f.name + "/, which holds " + f.holds
		case inside(p, out):
			return "is inside " + f.name + "/, which holds " + f.holds
		}
	}
	return ""
}

// inside reports whether path lies below dir.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// resolve follows the symbolic links of p as far as p exists; the rest is
// taken as written.
func resolve(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}
