package release

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Dir is the folder of a project that holds its releases.
const Dir = "releases"

// Glob returns the release files of the project at root, "releases/….md" relative to
// root, sorted: every Markdown-like file anywhere under releases/ (.md, .markdown,
// .MD, a .md.txt as Notepad saves it, in any folder), so that a release saved under
// the wrong name or in the wrong place is an error, not silently left out of the
// check and then of the site. Hidden files and folders (.git, editor backups) are
// not releases. A project without a releases folder has none.
func Glob(root string) ([]string, error) {
	var files []string
	err := walk(filepath.Join(root, Dir), Dir, &files)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

// walk lists dir (rel names it relative to the root) into files. Links to folders
// are not followed: a link is not the project's own file, and reading it is refused.
func walk(dir, rel string, files *[]string) error {
	// Not os.ReadDir, which sorts every folder: Glob sorts the files once.
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() && Markdown(name) {
			// Not a release's folder but a release that is a folder: reading it says so.
			*files = append(*files, rel+"/"+name)
			continue
		}
		if e.IsDir() {
			if err := walk(filepath.Join(dir, name), rel+"/"+name, files); err != nil {
				return err
			}
			continue
		}
		// Links, pipes and the like are listed too: reading them is the error.
		if Markdown(name) {
			*files = append(*files, rel+"/"+name)
		}
	}
	return nil
}

// Markdown reports whether a file name is a Markdown file's, in any case: .md,
// .markdown, .mdown, .mkd, .mkdn, .mdwn, or .md.txt as Notepad saves it.
func Markdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn":
		return true
	case ".txt":
		return strings.EqualFold(path.Ext(strings.TrimSuffix(name, path.Ext(name))), ".md")
	}
	return false
}

// FileSlug is the slug a release file gets from its name when it sets none:
// releases/2021-06-09-audiensi.md is audiensi.
func FileSlug(file string) string {
	base := path.Base(filepath.ToSlash(file))
	return trimDatePrefix(strings.TrimSuffix(base, path.Ext(base)))
}

// FrontMatterSlug finds a slug: line in the front matter at the start of src
// without parsing it, for telling the slugs of many releases quickly. found is
// false when there is none in src; closed tells whether src holds the whole front
// matter (when it does not, the slug may come later).
func FrontMatterSlug(src []byte) (slug string, found, closed bool) {
	s := strings.TrimPrefix(string(src), "\ufeff")
	first, rest, _ := strings.Cut(s, "\n")
	if strings.TrimRight(first, " \t\r") != "---" {
		return "", false, true // no front matter at all
	}
	for rest != "" {
		var line string
		var more bool
		line, rest, more = strings.Cut(rest, "\n")
		if !more {
			return "", false, false // cut off mid-line
		}
		line = strings.TrimRight(line, " \t\r")
		if line == "---" || line == "..." {
			return "", false, true
		}
		v, ok := strings.CutPrefix(line, "slug:")
		if !ok {
			continue
		}
		if i := strings.Index(v, " #"); i >= 0 {
			v = v[:i]
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		return v, v != "", true
	}
	return "", false, false
}
