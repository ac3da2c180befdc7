// Package ledger records what has been posted where, so each target of a release is
// posted exactly once across runs, retries, crashes and renames.
//
// A release's record is a folder under .humas/ledger named by the release's stable id,
// fixed when it is first recorded: release.json says what the release is and was
// called, and each target has a file of its own, <account>.<platform>.json. Two
// branches, or two CI jobs, that touched different targets of one release therefore
// change different files, and git merges them without a conflict.
package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish/projfile"
)

// readers is how many ledger files are read at once.
const readers = 8

// Dir is where the ledger lives, relative to the project root.
const Dir = ".humas/ledger"

// ReleaseFile is the file of a record's folder that says what the release is.
const ReleaseFile = "release.json"

// State is where a target stands.
type State string

const (
	// Pending is written before a post is sent: a run that finds it died mid-request
	// and must look on the platform before posting again.
	Pending State = "pending"
	// Posted means the platform holds the post; it is never sent again without force.
	Posted State = "posted"
	// Failed means the post was not made: the platform refused it, or nothing was
	// sent. A later run tries again, unless the failure is Permanent.
	Failed State = "failed"
)

func (s State) valid() bool { return s == Pending || s == Posted || s == Failed }

// Record is the ledger of one release. JSON fields are declared in alphabetical order,
// so a file changes only where its content does and reads well in a git diff.
// release.json holds no time and no count: two runs that first record one release
// write the same bytes.
type Record struct {
	// Aliases are the slugs the release had before, whose article URLs keep
	// answering with a page that sends readers to URL.
	Aliases []string  `json:"aliases,omitempty"`
	Date    time.Time `json:"date,omitzero"` // the release's date, part of how a renamed file is recognised
	File    string    `json:"file"`
	// ID is the release's stable identity and the name of its folder: the file's
	// name without .md when it was first recorded. A renamed file or a new slug
	// keeps it.
	ID     string `json:"id"`
	Issuer string `json:"issuer,omitempty"`
	Slug   string `json:"slug"`
	Title  string `json:"title,omitempty"`
	URL    string `json:"url"` // the article

	// Targets are keyed by Key(account, platform); each is a file of its own.
	Targets map[string]*Target `json:"-"`

	// legacy is the single file (relative to the root) an older humas kept the
	// whole record in; the first save writes the folder and removes it.
	legacy string
}

// Target is what is known about one release on one account of one platform.
type Target struct {
	Attempts int `json:"attempts"` // sends started, across runs
	// Basis fingerprints what a permanent failure met (the post, the account's
	// settings and credentials): once it changes, scheduled runs try again.
	Basis string `json:"basis,omitempty"`
	// Checkpoint is the intermediate id of a post made in two steps (Instagram's
	// container), recorded before the step that makes it public.
	Checkpoint string `json:"checkpoint,omitempty"`
	Error      string `json:"error,omitempty"` // the last failure, secret-free by adapter contract
	// Fingerprint is that of the text sent; while pending with a Checkpoint, that
	// of the post the checkpoint was made for (text and picture).
	Fingerprint string `json:"fingerprint,omitempty"`
	Fix         string `json:"fix,omitempty"` // what a person can do about a permanent failure
	ID          string `json:"id,omitempty"`
	// Invited are the partners' handles the post invited as collaborators (an
	// Instagram Collab post): a partner's target is that post only if it is here.
	Invited   []string  `json:"invited,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"` // a spent quota frees then: no send before
	// Permanent: the failure needs a person; scheduled runs skip the target until
	// Basis changes or publish --retry-failed.
	Permanent bool      `json:"permanent,omitempty"`
	PostedAt  time.Time `json:"posted_at,omitzero"`
	QuoteOf   string    `json:"quote_of,omitempty"` // remote id of the quoted post
	// Recipients are the people a target sends to one by one (an email target's
	// press list), each its own record, keyed by RecipientKey. The target is posted
	// once every recipient on the list is.
	Recipients map[string]*Recipient `json:"recipients,omitempty"`
	// Resolved is what a person recorded with humas resolve: "posted" or
	// "not-posted".
	Resolved  string    `json:"resolved,omitempty"`
	State     State     `json:"state"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	URL       string    `json:"url,omitempty"`
}

// Recipient is what is known about one release sent to one person. Pending is
// written before the message is sent, with its Message-ID: a run that finds it
// pending sends the message again with that same id, since SMTP cannot be asked
// whether it arrived, and the recipient's mail program shows a message once per id.
type Recipient struct {
	Address   string    `json:"address"` // as the list writes it
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error,omitempty"`
	MessageID string    `json:"message_id"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	State     State     `json:"state"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// RecipientKey names a recipient in a target: the address in lower case, as a
// press list's duplicates are told apart.
func RecipientKey(address string) string { return strings.ToLower(address) }

// Recipient returns the record of address, adding an empty one when missing.
func (t *Target) Recipient(address string) *Recipient {
	if t.Recipients == nil {
		t.Recipients = map[string]*Recipient{}
	}
	k := RecipientKey(address)
	r := t.Recipients[k]
	if r == nil {
		r = &Recipient{Address: address}
		t.Recipients[k] = r
	}
	return r
}

// Answers of humas resolve, as Target.Resolved records them.
const (
	ResolvedPosted    = "posted"
	ResolvedNotPosted = "not-posted"
)

// Key names a target in a record: "kpu/x".
func Key(account, platform string) string { return account + "/" + platform }

// SplitKey is the inverse of Key.
func SplitKey(key string) (account, platform string) {
	account, platform, _ = strings.Cut(key, "/")
	return account, platform
}

// Fingerprint identifies a text without storing it twice: "sha256:<hex>".
func Fingerprint(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Target returns the target account/platform, or nil when the record has none.
func (r *Record) Target(account, platform string) *Target {
	return r.Targets[Key(account, platform)]
}

// Ensure returns the target account/platform, adding an empty one when missing.
func (r *Record) Ensure(account, platform string) *Target {
	if r.Targets == nil {
		r.Targets = map[string]*Target{}
	}
	k := Key(account, platform)
	t := r.Targets[k]
	if t == nil {
		t = &Target{}
		r.Targets[k] = t
	}
	return t
}

// Keys returns the record's target keys in sorted order.
func (r *Record) Keys() []string {
	keys := make([]string, 0, len(r.Targets))
	for k := range r.Targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Store reads and writes the ledger of one project.
type Store struct {
	root string
	// files reads the ledger as the project's own files; it checks each folder
	// once, not once for every file in it.
	files *projfile.Root
	mu    sync.Mutex // serialises writes, so two saves of one file never interleave
}

// Open returns the ledger of the project at root; nothing is read until asked.
func Open(root string) *Store { return &Store{root: root, files: projfile.New(root)} }

// Path is the folder of the record id, relative to the project root, as messages
// show it.
func Path(id string) string { return path.Join(Dir, id) }

// TargetPath is the file of one target of record id, relative to the project root.
func TargetPath(id, account, platform string) string {
	return path.Join(Dir, id, account+"."+platform+".json")
}

func (s *Store) abs(rel string) string { return filepath.Join(s.root, filepath.FromSlash(rel)) }

// DamagedError is a ledger file that cannot be trusted. It is never read as empty:
// an empty ledger would post everything again.
type DamagedError struct {
	File string // relative to the project root
	Line int    // 0 when the problem is the whole file
	Err  error
	// Fix replaces the usual advice (restore the file from git) when the file is
	// not one the ledger holds at all.
	Fix string
}

func (e *DamagedError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Fix != "" {
		return fmt.Sprintf("%s: %v: %s", where, e.Err, e.Fix)
	}
	return fmt.Sprintf("%s: %v: the file is damaged; restore it with git checkout -- %s, or delete it only if you are sure nothing was posted", where, e.Err, e.File)
}

// strayFix is the advice for a file in a record's folder that is no target's.
const strayFix = "rename it to the target it records (kpu.x.json), or move it out of " + Dir

func (e *DamagedError) Unwrap() error { return e.Err }

// isIDName reports whether id may name a record's folder (^[A-Za-z0-9][A-Za-z0-9._-]*$):
// a release file's name without .md, which is never hidden. Matched by hand, as
// every build checks the id of every release (IDFor).
func isIDName(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return id != ""
}

func checkID(id string) error {
	if !isIDName(id) || strings.Contains(id, "..") {
		return fmt.Errorf("ledger: %q cannot name a ledger folder", id)
	}
	return nil
}

// targetNameRE is a target's file name: <account>.<platform>.json. Account keys are
// lower-case letters, digits and dashes (config), platform names letters.
var targetNameRE = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*)\.([a-z][a-z0-9]*)\.json$`)

// All reads every record, in id order. A damaged file is a *DamagedError. Records
// an older humas kept in one file are read too; where both forms of one release
// exist, the folder is the newer and wins.
func (s *Store) All() ([]*Record, error) {
	entries, err := os.ReadDir(s.abs(Dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// Every record is a few small files: reading them is waiting on the file
	// system, which many reads at once share better (2,000 records of eight
	// targets: BenchmarkAllOfAnOffice).
	type loaded struct {
		r      *Record
		legacy bool
		err    error
	}
	got := make([]loaded, len(entries))
	parallel.For(len(entries), readers, func(i int) {
		e := entries[i]
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
			// a temporary file of a write in progress, or an editor's
		case e.IsDir():
			r, err := s.loadDir(name)
			if !errors.Is(err, errBeingMade) {
				got[i] = loaded{r: r, err: err}
			}
		case strings.HasSuffix(name, ".json"):
			r, err := s.loadLegacy(name)
			got[i] = loaded{r: r, legacy: true, err: err}
		}
	})
	var out, legacy []*Record
	for _, l := range got {
		switch {
		case l.err != nil:
			return nil, l.err
		case l.r == nil:
		case l.legacy:
			legacy = append(legacy, l.r)
		default:
			out = append(out, l.r)
		}
	}
	byFile := map[string]*Record{}
	ids := map[string]bool{}
	for _, r := range out {
		byFile[r.File] = r
		ids[r.ID] = true
	}
	for _, r := range legacy {
		if f := byFile[r.File]; f != nil {
			// A branch that still wrote the old form merged after the move: what
			// it knows of targets the folder lacks is kept, and the old file goes
			// with the next save.
			for k, t := range r.Targets {
				if f.Targets[k] == nil {
					f.Targets[k] = t
				}
			}
			f.legacy = r.legacy
			continue
		}
		r.ID = freshID(IDFor(r.File, r.Slug), ids)
		ids[r.ID] = true
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// loadDir reads the record in folder id.
func (s *Store) loadDir(id string) (*Record, error) {
	rel := Path(id)
	if err := checkID(id); err != nil {
		return nil, &DamagedError{File: rel, Err: errors.New("not a name humas gives a ledger folder")}
	}
	entries, err := os.ReadDir(s.abs(rel))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	relFile := path.Join(rel, ReleaseFile)
	data, err := s.read(relFile)
	if errors.Is(err, fs.ErrNotExist) {
		if !visible(entries) {
			// A record a run is making this moment (its release.json is written
			// first, through a hidden temporary file), or an empty folder git
			// would not even keep: no record yet.
			return nil, errBeingMade
		}
		return nil, &DamagedError{File: relFile, Err: errors.New("the file is missing")}
	}
	if err != nil {
		return nil, err
	}
	r, line, err := decodeRelease(data, id)
	if err != nil {
		return nil, &DamagedError{File: relFile, Line: line, Err: err}
	}
	for _, e := range entries {
		name := e.Name()
		if name == ReleaseFile || strings.HasPrefix(name, ".") {
			continue
		}
		relT := path.Join(rel, name)
		m := targetNameRE.FindStringSubmatch(name)
		if m == nil || e.IsDir() {
			return nil, &DamagedError{File: relT, Err: errors.New("not a ledger file: a target's file is named account.platform.json"), Fix: strayFix}
		}
		data, err := s.read(relT)
		if err != nil {
			return nil, err
		}
		t, line, err := decodeTarget(data)
		if err != nil {
			return nil, &DamagedError{File: relT, Line: line, Err: err}
		}
		r.Targets[Key(m[1], m[2])] = t
	}
	return r, nil
}

// read reads one ledger file as the project's own file: a record that is a link (to
// /dev/zero, to a secret), a pipe or too large cannot be trusted, and must neither
// hang nor exhaust memory; it is damaged.
func (s *Store) read(rel string) ([]byte, error) {
	data, err := s.files.Read(rel, projfile.Ledger)
	var pe *projfile.Error
	if errors.As(err, &pe) && (errors.Is(err, projfile.ErrSymlink) || errors.Is(err, projfile.ErrNotRegular) || errors.Is(err, projfile.ErrTooLarge)) {
		return nil, &DamagedError{File: rel, Err: errors.New(pe.Problem)}
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return data, err
}

// errBeingMade is a record folder with nothing in it yet.
var errBeingMade = errors.New("ledger: record being made")

// visible reports whether entries holds a file that is not hidden.
func visible(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return true
		}
	}
	return false
}

// Save writes every file of r, each atomically: a reader, or a run killed mid-write,
// sees a file's old content or its new one, never half of either. A record read
// from an older humas's single file is written as a folder, and the old file goes.
func (s *Store) Save(r *Record) error {
	if err := s.ready(r); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveAll(r)
}

// SaveTarget writes release.json, when it changed, and the file of one target: the
// pipeline's write before and after every send.
func (s *Store) SaveTarget(r *Record, account, platform string) error {
	if err := s.ready(r); err != nil {
		return err
	}
	t := r.Target(account, platform)
	if t == nil {
		return fmt.Errorf("%s: no target %s", Path(r.ID), Key(account, platform))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.legacy != "" {
		return s.saveAll(r)
	}
	if err := s.saveRelease(r); err != nil {
		return err
	}
	return s.saveTarget(r.ID, Key(account, platform), t)
}

// SaveRelease writes release.json alone, when it changed: a release renamed after
// it was posted keeps its record, and its old address, with nothing sent.
func (s *Store) SaveRelease(r *Record) error {
	if err := s.ready(r); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.legacy != "" {
		return s.saveAll(r)
	}
	return s.saveRelease(r)
}

func (s *Store) ready(r *Record) error {
	if err := checkID(r.ID); err != nil {
		return err
	}
	for k, t := range r.Targets {
		if t == nil || !t.State.valid() {
			return fmt.Errorf("%s: %s: not a valid target", Path(r.ID), k)
		}
		a, p := SplitKey(k)
		if !targetNameRE.MatchString(a + "." + p + ".json") {
			return fmt.Errorf("%s: %q cannot name a target", Path(r.ID), k)
		}
	}
	return nil
}

func (s *Store) saveAll(r *Record) error {
	if err := s.saveRelease(r); err != nil {
		return err
	}
	for _, k := range r.Keys() {
		if err := s.saveTarget(r.ID, k, r.Targets[k]); err != nil {
			return err
		}
	}
	if r.legacy != "" {
		if err := os.Remove(s.abs(r.legacy)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", r.legacy, err)
		}
		r.legacy = ""
	}
	return nil
}

func (s *Store) saveRelease(r *Record) error {
	rel := path.Join(Path(r.ID), ReleaseFile)
	data, err := encodeRelease(r)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	// Read as every ledger file is read: a release.json swapped for a link (to
	// /dev/zero) or a pipe since it was loaded must not hang the run, and is not
	// replaced unread either; it is damaged, for a person to look at.
	old, err := s.read(rel)
	switch {
	case err == nil && bytes.Equal(old, data):
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := WriteFile(s.abs(rel), data); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	return nil
}

func (s *Store) saveTarget(id, key string, t *Target) error {
	a, p := SplitKey(key)
	rel := TargetPath(id, a, p)
	data, err := encodeTarget(t)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if err := WriteFile(s.abs(rel), data); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	return nil
}

func encodeRelease(r *Record) ([]byte, error) {
	c := *r
	c.Date = utcSecond(c.Date)
	c.Aliases = append([]string(nil), r.Aliases...)
	sort.Strings(c.Aliases)
	return marshal(&c)
}

func encodeTarget(t *Target) ([]byte, error) {
	c := *t
	c.PostedAt = utcSecond(c.PostedAt)
	c.UpdatedAt = utcSecond(c.UpdatedAt)
	c.NotBefore = utcSecond(c.NotBefore)
	if t.Recipients != nil {
		c.Recipients = make(map[string]*Recipient, len(t.Recipients))
		for a, rc := range t.Recipients {
			rcc := *rc
			rcc.SentAt, rcc.UpdatedAt = utcSecond(rc.SentAt), utcSecond(rc.UpdatedAt)
			c.Recipients[a] = &rcc
		}
	}
	return marshal(&c)
}

// marshal writes v indented, one field a line, and leaves <, > and & as they are:
// the files are read in git diffs, and an error may quote a proxy's HTML.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func utcSecond(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// Gone reports, for the project at root, whether a release file (slash-separated,
// relative to root) no longer exists: Match's gone, so a record whose file is gone
// may be the same release renamed.
func Gone(root string) func(file string) bool {
	return func(file string) bool {
		_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(file)))
		return errors.Is(err, fs.ErrNotExist)
	}
}

// WriteFile writes data to name whole, durably and readable by colleagues, or not
// at all: a reader, or a run killed mid-write, sees the old file or the new one.
// Every file committed beside the ledger is written so (the ledger's own, and what
// publish/repost keeps of each partner in .humas/partners).
func WriteFile(name string, data []byte) (err error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	// The file is committed to git; CreateTemp's 0600 would hide it from colleagues.
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), name); err != nil {
		return err
	}
	// The rename is durable only once the directory entry is.
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
