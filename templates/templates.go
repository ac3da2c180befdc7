// Package templates holds the default site, post and release templates, embedded in
// the binary; a project's own templates/ folder overrides any of them by file name.
package templates

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/balikpapan/humas/publish/projfile"
)

// FS holds the default templates.
//
//go:embed all:site all:posts all:preview all:share release.md
var FS embed.FS

// Open returns the templates of the project at root: a file in root/templates wins
// over the embedded default of the same name. The project's files are read through
// projfile, so a template that is a link (to /proc/self/environ, say) is an error,
// never the text of a post.
func Open(root string) fs.FS {
	dir := filepath.Join(root, "templates")
	if _, err := os.Lstat(dir); err != nil {
		return FS
	}
	return overlay{top: projfile.New(root).FS("templates", projfile.Template), base: FS}
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}

// ReadFile lets fs.ReadFile take the fast path.
func (o overlay) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(o.top, name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return b, err
	}
	return fs.ReadFile(o.base, name)
}
