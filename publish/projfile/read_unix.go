//go:build unix

package projfile

import (
	"io/fs"
	"path/filepath"
	"syscall"
)

// readRegular reads the regular file full (rel names it in errors). It opens with
// O_NOFOLLOW, so a link in the last place is refused by the kernel, and O_NONBLOCK,
// so a named pipe does not wait for a writer; then the opened descriptor is checked.
// It calls the kernel directly rather than through os.File: a regular file cannot be
// polled, and loading thousands of releases is mostly opening small files. head < 0
// reads the whole file, else at most head bytes.
func readRegular(full, rel string, kind Kind, head int) ([]byte, int64, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	switch {
	case err == syscall.ELOOP:
		return nil, 0, symlinkError(rel, full, "the "+kind.String())
	case err == syscall.ENXIO:
		return nil, 0, &Error{Path: rel, Problem: "is a socket or device, not a file", Err: ErrNotRegular}
	case err != nil:
		return nil, 0, &Error{Path: rel, Problem: err.Error(), Err: &fs.PathError{Op: "open", Path: filepath.ToSlash(rel), Err: err}}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, 0, &Error{Path: rel, Problem: err.Error(), Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, 0, modeError(rel, unixMode(uint32(st.Mode))) // uint16 on Darwin and the BSDs
	}
	limit := kind.Limit()
	if st.Size > limit {
		return nil, st.Size, tooLarge(rel, kind, st.Size)
	}
	// One byte more than the size, so a file read whole is known to be at its end
	// without a second read, as os.ReadFile does; never more than the limit allows.
	want := int(st.Size) + 1
	if head >= 0 && head < want {
		want = head
	}
	data := make([]byte, 0, want)
	for {
		if len(data) == cap(data) {
			if head >= 0 && len(data) >= head {
				return data, st.Size, nil
			}
			if int64(len(data)) > limit {
				return nil, int64(len(data)), tooLarge(rel, kind, int64(len(data)))
			}
			data = append(data, 0)[:len(data)]
		}
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, &Error{Path: rel, Problem: err.Error(), Err: err}
		}
		if n <= 0 {
			return data, max(st.Size, int64(len(data))), nil
		}
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			// The file grew while being read.
			return nil, int64(len(data)), tooLarge(rel, kind, int64(len(data)))
		}
		if len(data) == int(st.Size) && len(data) < cap(data) {
			// os.ReadFile would read again to see EOF; the size says it is there.
			return data, st.Size, nil
		}
	}
}

func unixMode(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}
