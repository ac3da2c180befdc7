package projfile

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"time"
)

// FS returns the files of the project folder dir as an fs.FS whose every file is
// read by Read as kind: the templates/ override of a project, for template
// functions that take an fs.FS. Folders cannot be opened, only files.
func (r *Root) FS(dir string, kind Kind) fs.FS { return dirFS{root: r, dir: dir, kind: kind} }

type dirFS struct {
	root *Root
	dir  string
	kind Kind
}

func (f dirFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	data, err := f.root.Read(path.Join(f.dir, name), f.kind)
	var pe *Error
	if errors.As(err, &pe) {
		// Template code names the file itself ("templates/posts/x.tmpl: …"), as it
		// does for os.DirFS's errors: the error says only what is wrong.
		short := *pe
		short.Path = ""
		return nil, &short
	}
	return data, err
}

func (f dirFS) Open(name string) (fs.File, error) {
	data, err := f.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &file{Reader: bytes.NewReader(data), name: path.Base(name), size: int64(len(data))}, nil
}

// file is a project file read whole, as an fs.File.
type file struct {
	*bytes.Reader
	name string
	size int64
}

func (f *file) Stat() (fs.FileInfo, error) { return f, nil }
func (f *file) Close() error               { return nil }
func (f *file) Name() string               { return f.name }
func (f *file) Size() int64                { return f.size }
func (f *file) Mode() fs.FileMode          { return 0o444 }
func (f *file) ModTime() time.Time         { return time.Time{} }
func (f *file) IsDir() bool                { return false }
func (f *file) Sys() any                   { return nil }
