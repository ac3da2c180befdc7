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
// root, sorted. A project without a releases folder has none.
func Glob(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, Dir))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || path.Ext(name) != ".md" {
			continue
		}
		files = append(files, Dir+"/"+name)
	}
	sort.Strings(files)
	return files, nil
}
