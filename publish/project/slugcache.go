package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish/projfile"
	"github.com/balikpapan/humas/publish/release"
)

// SlugCache is where the slugs of a project's releases are kept between runs,
// below the root: checking one file in a repository of 10,000 releases then
// costs a stat of each other release, not a read of each, and reads only those
// that changed since.
const SlugCache = ".humas/cache/slugs"

// slugCacheHeader begins the cache file; another header is another format.
const slugCacheHeader = "humas-slugs 1\n"

// slugSettle is how old a file's times must be before its slug is kept: a file
// system may stamp times coarsely, so an edit made just after the file was
// read could leave them as they were, and the stale slug would be trusted.
const slugSettle = 2 * time.Second

// slugLine is one line of the cache: a release file, its identity when it was
// read, and its slug ("" when its file name gives it).
type slugLine struct {
	file []byte // the file's name relative to the root, unquoted
	id   fileID
	slug string
	raw  []byte // the whole line, to write again as it was
}

// slugsOf returns the slug of each of files (slugOf), reading only the files
// whose identity changed since the cache last saw them. all is every release of
// the project, sorted as release.Glob gives it, and files some of them in the
// same order; the cache is sorted too, and the three are walked side by side.
// With keep, what was read is kept in the cache for next time.
func (p *Project) slugsOf(files, all []string, keep bool) []string {
	if len(files) == 0 {
		return nil
	}
	out := make([]string, len(files))
	lines := p.readSlugCache()
	ids := make([]fileID, len(files))
	statIDs(p.Root, files, ids)
	var read []int
	at := 0
	for i, f := range files {
		for at < len(lines) && string(lines[at].file) < f {
			at++
		}
		if at < len(lines) && string(lines[at].file) == f && ids[i].ino != 0 && lines[at].id == ids[i] {
			out[i] = lines[at].slug
			if out[i] == "" {
				out[i] = release.FileSlug(f)
			}
			continue
		}
		read = append(read, i)
	}
	// The identity was taken before the read: an edit in between leaves the file
	// looking changed next time, never the other way round.
	parallel.For(len(read), 2*runtime.GOMAXPROCS(0), func(k int) {
		out[read[k]] = p.slugOf(files[read[k]])
	})
	if !keep {
		return out
	}

	// The cache as it is to be: the lines of files still there, a fresh line
	// for each file read that can be kept, none for those that cannot.
	settled := time.Now().Add(-p.slugSettle).UnixNano()
	var b bytes.Buffer
	b.Grow(len(slugCacheHeader) + 100*len(all))
	b.WriteString(slugCacheHeader)
	changed := false
	at, r := 0, 0
	for _, f := range all {
		for at < len(lines) && string(lines[at].file) < f {
			at, changed = at+1, true // the file is gone
		}
		has := at < len(lines) && string(lines[at].file) == f
		if r < len(read) && files[read[r]] == f {
			i := read[r]
			r++
			if id := ids[i]; out[i] != "" && id.ino != 0 && id.mtime < settled && id.ctime < settled {
				b.Write(slugCacheLine(f, id, out[i]))
				changed = true
			} else if has {
				changed = true
			}
		} else if has {
			b.Write(lines[at].raw)
		}
		if has {
			at++
		}
	}
	if changed || at < len(lines) {
		// A cache: a project that cannot keep it still gets every slug right.
		_ = p.writeSlugCache(b.Bytes())
	}
	return out
}

// slugCacheLine is the line of file: its name (quoted when it holds anything
// but plain text), its identity, and its slug when the name does not give it.
func slugCacheLine(file string, id fileID, slug string) []byte {
	var b []byte
	if plainName(file) {
		b = append(b, file...)
	} else {
		b = strconv.AppendQuote(b, file)
	}
	for _, n := range []uint64{id.dev, id.ino, uint64(id.size), uint64(id.mtime), uint64(id.ctime)} {
		b = append(b, ' ')
		b = strconv.AppendUint(b, n, 10)
	}
	if slug != release.FileSlug(file) {
		b = append(b, ' ')
		b = strconv.AppendQuote(b, slug)
	}
	return append(b, '\n')
}

// plainName reports whether a file name can stand unquoted in the cache.
func plainName(s string) bool {
	if s == "" || s[0] == '"' || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsAny(s, " \n\r\t\\")
}

// readSlugCache reads the cache's lines, in file order; nil when there is none
// or it cannot be used. It is read as the project's own file, as the ledger
// is: never through a link.
func (p *Project) readSlugCache() []slugLine {
	data, err := p.files.Read(SlugCache, projfile.Ledger)
	if err != nil {
		return nil
	}
	rest, ok := bytes.CutPrefix(data, []byte(slugCacheHeader))
	if !ok {
		return nil
	}
	out := make([]slugLine, 0, bytes.Count(rest, []byte{'\n'}))
	for len(rest) > 0 {
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			return nil
		}
		l, ok := parseSlugLine(rest[:end])
		if !ok || len(out) > 0 && bytes.Compare(out[len(out)-1].file, l.file) >= 0 {
			return nil
		}
		l.raw = rest[:end+1]
		out = append(out, l)
		rest = rest[end+1:]
	}
	return out
}

// parseSlugLine reads `file dev ino size mtime ctime ["slug"]`.
func parseSlugLine(line []byte) (slugLine, bool) {
	var l slugLine
	if len(line) > 0 && line[0] == '"' {
		q, err := strconv.QuotedPrefix(string(line))
		if err != nil {
			return l, false
		}
		name, err := strconv.Unquote(q)
		if err != nil {
			return l, false
		}
		l.file, line = []byte(name), line[len(q):]
	} else {
		end := bytes.IndexByte(line, ' ')
		if end < 0 {
			return l, false
		}
		l.file, line = line[:end], line[end:]
	}
	var nums [5]uint64
	for k := range nums {
		if len(line) < 2 || line[0] != ' ' {
			return l, false
		}
		line = line[1:]
		n, digits := uint64(0), 0
		for digits < len(line) && line[digits] >= '0' && line[digits] <= '9' && digits < 20 {
			n = n*10 + uint64(line[digits]-'0')
			digits++
		}
		if digits == 0 {
			return l, false
		}
		nums[k], line = n, line[digits:]
	}
	l.id = fileID{dev: nums[0], ino: nums[1], size: int64(nums[2]), mtime: int64(nums[3]), ctime: int64(nums[4])}
	if len(line) > 0 {
		if line[0] != ' ' {
			return l, false
		}
		slug, err := strconv.Unquote(string(line[1:]))
		if err != nil || slug == "" {
			return l, false
		}
		l.slug = slug
	}
	return l, true
}

// writeSlugCache replaces the cache whole, through a temporary file, so a
// reader never sees half of it; never through a link in .humas/.
func (p *Project) writeSlugCache(data []byte) error {
	dir := filepath.Join(p.Root, filepath.FromSlash(filepath.Dir(SlugCache)))
	if err := makeCacheDir(p.Root, dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".slugs-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(p.Root, filepath.FromSlash(SlugCache)))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// makeCacheDir makes dir, below root, with a .gitignore that ignores it all (as
// the site's record and the press kit do), refusing any link on the way: what
// humas writes in .humas/ stays in .humas/.
func makeCacheDir(root, dir string) error {
	rel, err := filepath.Rel(root, dir)
	if err != nil || !filepath.IsLocal(rel) {
		return fmt.Errorf("%s is not below the project", dir)
	}
	at := root
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		at = filepath.Join(at, part)
		st, err := os.Lstat(at)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.Mkdir(at, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if !st.IsDir() {
			return fmt.Errorf("%s is not a folder", at)
		}
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Lstat(ignore); err == nil {
		return nil
	}
	return os.WriteFile(ignore, []byte("# humas's cache: rebuilt when missing, never committed\n*\n"), 0o644)
}
