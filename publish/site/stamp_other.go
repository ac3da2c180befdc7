//go:build !linux

package site

import (
	"io/fs"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/balikpapan/humas/publish/internal/fieldhash"
)

// inputStamp fingerprints the inputs from file metadata only, so a build with
// nothing changed costs a directory walk, not parsing thousands of releases.
// The walk lists the entries; their lstat calls, one per release, run on every
// CPU; the hash then takes them in walk order.
func inputStamp(root string) string {
	type entry struct {
		path string
		d    fs.DirEntry
		err  error
		info fs.FileInfo
	}
	var ents []entry
	for _, f := range inputFolders {
		_ = filepath.WalkDir(filepath.Join(root, f), func(p string, d fs.DirEntry, err error) error {
			ents = append(ents, entry{path: p, d: d, err: err})
			return nil
		})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(2*runtime.GOMAXPROCS(0), len(ents)/64+1) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(ents); i = int(next.Add(1) - 1) {
				if e := &ents[i]; e.err == nil {
					e.info, _ = e.d.Info()
				}
			}
		})
	}
	wg.Wait()
	h := fieldhash.New("stamp")
	for _, e := range ents {
		if e.err != nil {
			h.Str(e.path).Str("error")
			continue
		}
		if e.info == nil {
			continue
		}
		h.Str(relTo(root, e.path)).Int(int(e.info.Mode())).Str(strconv.FormatInt(e.info.Size(), 10)).Str(strconv.FormatInt(e.info.ModTime().UnixNano(), 10))
	}
	return h.Sum()
}
