package project

import (
	"path"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/balikpapan/humas/internal/parallel"
)

// fileID is what tells, without reading it, that a file is as it was: the same
// inode of the same device, the same size, and the same modification and change
// times (the change time moves on every write, and no tool sets it back).
type fileID struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds since 1970
}

// statIDs fills ids with the identity of each of files (relative to root),
// the zero fileID where there is none. Each is stat'ed relative to its open
// folder, so the kernel resolves one name, not the whole path; the calls are
// shared out in a few long runs, as they are many and each is quick.
func statIDs(root string, files []string, ids []fileID) {
	chunks := min(runtime.GOMAXPROCS(0), max(1, len(files)/256))
	parallel.For(chunks, chunks, func(c int) {
		dirFD, dirName := -1, ""
		defer func() {
			if dirFD >= 0 {
				unix.Close(dirFD)
			}
		}()
		for i := c * len(files) / chunks; i < (c+1)*len(files)/chunks; i++ {
			dir, name := path.Split(files[i])
			if dir != dirName || dirFD < 0 {
				if dirFD >= 0 {
					unix.Close(dirFD)
				}
				dirName = dir
				var err error
				dirFD, err = unix.Open(filepath.Join(root, filepath.FromSlash(dir)), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
				if err != nil {
					dirFD = -1
					continue
				}
			}
			var st unix.Stat_t
			if err := unix.Fstatat(dirFD, name, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil && st.Mode&unix.S_IFMT == unix.S_IFREG {
				ids[i] = fileID{dev: st.Dev, ino: st.Ino, size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}
			}
		}
	})
}
