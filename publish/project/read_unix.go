//go:build unix

package project

import (
	"io/fs"
	"syscall"
)

// readFile is os.ReadFile without the runtime poller and its extra system calls
// (a regular file cannot be polled, yet os.Open checks): loading thousands of
// releases is mostly opening and reading small files.
func readFile(name string) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	size := 0
	if syscall.Fstat(fd, &st) == nil && st.Size > 0 && st.Size < 1<<30 {
		size = int(st.Size)
	}
	// One byte more than the size, so a file read whole is known to be at its
	// end without a second read, as os.ReadFile does.
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n <= 0 {
			return data, nil
		}
		data = data[:len(data)+n]
		if size > 0 && len(data) == size && len(data) < cap(data) {
			// os.ReadFile would read again to see EOF; the size says it is there.
			return data, nil
		}
	}
}
