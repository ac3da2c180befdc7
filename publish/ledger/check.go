package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Problem is one thing wrong in a ledger file, at its line when known.
type Problem struct {
	File    string // relative to the project root
	Line    int
	Message string
	Hint    string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return p.File + ": " + p.Message
}

// damagedHint is the fix for a file humas cannot read.
func damagedHint(file string) string {
	return "restore it with git checkout -- " + file + ", or fix it by hand: a wrong ledger posts twice or never"
}

// ProblemOf is err, from reading the ledger, as the problem Check reports: a
// damaged file at its line with how to repair it, anything else at the ledger.
func ProblemOf(err error) Problem {
	var de *DamagedError
	if errors.As(err, &de) {
		return Problem{File: de.File, Line: de.Line, Message: de.Err.Error(), Hint: damagedHint(de.File)}
	}
	return Problem{File: Dir, Message: err.Error()}
}

// Check reads every file of the ledger as a run would and reports each problem, so
// a ledger edited by hand in a pull request is checked before merge as a release is.
// It never stops at the first problem and never writes.
func (s *Store) Check() []Problem {
	entries, err := os.ReadDir(s.abs(Dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return []Problem{{File: Dir, Message: err.Error()}}
	}
	var out []Problem
	files := map[string][]string{} // release file -> the records that claim it
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if !e.IsDir() {
			if !strings.HasSuffix(name, ".json") {
				out = append(out, Problem{File: path.Join(Dir, name), Message: "not a ledger file", Hint: "the ledger holds a folder per release; move other files out of " + Dir})
				continue
			}
			r, err := s.loadLegacy(name)
			if err != nil {
				out = append(out, ProblemOf(err))
				continue
			}
			files[r.File] = append(files[r.File], r.legacy)
			continue
		}
		problems, file := s.checkDir(name)
		out = append(out, problems...)
		if file != "" {
			files[file] = append(files[file], path.Join(Path(name), ReleaseFile))
		}
	}
	for file, claims := range files {
		var folders []string
		for _, c := range claims {
			if path.Base(c) == ReleaseFile {
				folders = append(folders, c)
			}
		}
		// A folder and the older single file it replaces are merged by the next
		// run; two folders for one release are two records of it.
		if len(folders) < 2 {
			continue
		}
		sort.Slice(folders, func(i, j int) bool { return path.Dir(folders[i]) < path.Dir(folders[j]) })
		out = append(out, Problem{File: folders[1], Line: s.lineOfFile(folders[1]),
			Message: fmt.Sprintf("file: %s is also the release of %s: one release has one record", file, path.Dir(folders[0])),
			Hint:    "keep the record that holds the posts and move the other's target files into it"})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// checkDir reports the problems of every file of folder id, and when it has none,
// the release file its record is of: what loadDir would read, read once.
func (s *Store) checkDir(id string) (out []Problem, file string) {
	rel := Path(id)
	if err := checkID(id); err != nil {
		out = append(out, Problem{File: rel, Message: "not a name humas gives a ledger folder", Hint: "a record's folder is named by the release file it was first recorded under, without .md"})
	}
	entries, err := os.ReadDir(s.abs(rel))
	if err != nil {
		return append(out, Problem{File: rel, Message: err.Error()}), ""
	}
	if !visible(entries) {
		return out, "" // a record being made, or an empty folder git does not keep
	}
	hasRelease := false
	var rec *Record
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		relF := path.Join(rel, name)
		var data []byte
		if !e.IsDir() {
			var err error
			if data, err = s.read(relF); err != nil {
				var de *DamagedError
				if errors.As(err, &de) {
					out = append(out, Problem{File: relF, Message: de.Err.Error(), Hint: damagedHint(relF)})
				} else {
					out = append(out, Problem{File: relF, Message: err.Error()})
				}
				continue
			}
		}
		switch {
		case name == ReleaseFile:
			hasRelease = true
			r, line, err := decodeRelease(data, id)
			if err != nil {
				out = append(out, Problem{File: relF, Line: line, Message: err.Error(), Hint: damagedHint(relF)})
				continue
			}
			rec = r
		case e.IsDir() || !targetNameRE.MatchString(name):
			out = append(out, Problem{File: relF, Message: "not a ledger file: a target's file is named account.platform.json", Hint: strayFix})
		default:
			if _, line, err := decodeTarget(data); err != nil {
				out = append(out, Problem{File: relF, Line: line, Message: err.Error(), Hint: damagedHint(relF)})
			}
		}
	}
	if !hasRelease {
		relF := path.Join(rel, ReleaseFile)
		out = append(out, Problem{File: relF, Message: "the file is missing: it says which release the folder records", Hint: "restore it with git checkout -- " + relF})
	}
	if len(out) > 0 || rec == nil {
		return out, ""
	}
	return out, rec.File
}

// lineOfFile is the line of "file" in the release.json at rel, 0 when it cannot
// be read. It is read as every ledger file is: it may have been swapped for a
// link to /dev/zero since it was decoded.
func (s *Store) lineOfFile(rel string) int {
	data, err := s.read(rel)
	if err != nil {
		return 0
	}
	return lineOf(data, "file")
}
