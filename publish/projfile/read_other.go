//go:build !unix

package projfile

import (
	"io"
	"os"
)

// readRegular reads the regular file full (rel names it in errors): without
// O_NOFOLLOW, the name is checked with Lstat and the opened file with Stat.
func readRegular(full, rel string, kind Kind, head int) ([]byte, int64, error) {
	lst, err := os.Lstat(full)
	if err != nil {
		return nil, 0, &Error{Path: rel, Problem: errorText(err), Err: err}
	}
	if lst.Mode()&os.ModeSymlink != 0 {
		return nil, 0, symlinkError(rel, full, "the "+kind.String())
	}
	if !lst.Mode().IsRegular() {
		return nil, 0, modeError(rel, lst.Mode())
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, 0, &Error{Path: rel, Problem: errorText(err), Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, &Error{Path: rel, Problem: errorText(err), Err: err}
	}
	if !st.Mode().IsRegular() {
		return nil, 0, modeError(rel, st.Mode())
	}
	if st.Size() > kind.Limit() {
		return nil, st.Size(), tooLarge(rel, kind, st.Size())
	}
	n := kind.Limit() + 1
	if head >= 0 {
		n = int64(head)
	}
	data, err := io.ReadAll(io.LimitReader(f, n))
	if err != nil {
		return nil, 0, &Error{Path: rel, Problem: errorText(err), Err: err}
	}
	if int64(len(data)) > kind.Limit() {
		return nil, int64(len(data)), tooLarge(rel, kind, int64(len(data)))
	}
	return data, max(st.Size(), int64(len(data))), nil
}
