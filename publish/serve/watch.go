package serve

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watcher reports changes below a set of paths, folders recursively, including
// folders created after it started.
type watcher struct {
	fs    *fsnotify.Watcher
	paths []string // cleaned absolute paths
}

func newWatcher(paths []string) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fs: fw}
	parents := map[string]bool{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			fw.Close()
			return nil, err
		}
		w.paths = append(w.paths, abs)
		// The parent tells us when the path itself is created, removed or replaced
		// by an editor's rename.
		if parent := filepath.Dir(abs); !parents[parent] {
			parents[parent] = true
			if err := fw.Add(parent); err != nil && !os.IsNotExist(err) {
				fw.Close()
				return nil, err
			}
		}
		w.addTree(abs)
	}
	return w, nil
}

// addTree watches dir and every folder below it; a path that is no folder, or no
// longer exists, is left to its parent's watch. It returns what it found below
// dir: a folder copied in whole is there before its watch is, and its files
// changed all the same.
func (w *watcher) addTree(dir string) []string {
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			w.fs.Add(p)
		}
		if p != dir && w.relevant(p) {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// relevant reports whether a change of name concerns one of the watched paths.
func (w *watcher) relevant(name string) bool {
	base := filepath.Base(name)
	// Editors' swap, backup and lock files change on every keystroke or save.
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "#") || strings.HasSuffix(base, "~") ||
		strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") {
		return false
	}
	for _, p := range w.paths {
		if name == p || strings.HasPrefix(name, p+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// Run calls changed once per burst of changes, debounce after the last one, with
// the paths that changed in it, until ctx is done.
func (w *watcher) Run(ctx context.Context, debounce time.Duration, changed func(paths []string)) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	burst := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if !w.relevant(ev.Name) {
				continue
			}
			burst[ev.Name] = true
			if ev.Has(fsnotify.Create) {
				for _, p := range w.addTree(ev.Name) {
					burst[p] = true
				}
			}
			timer.Reset(debounce)
		case _, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			// An overflowed queue lost events: rebuild to be safe.
			timer.Reset(debounce)
		case <-timer.C:
			paths := make([]string, 0, len(burst))
			for p := range burst {
				paths = append(paths, p)
			}
			slices.Sort(paths)
			clear(burst)
			changed(paths)
		}
	}
}

func (w *watcher) Close() error { return w.fs.Close() }
