// Package ledger records, one JSON file per release under .humas/ledger, what has been
// posted where, so a target is posted exactly once across runs, retries and crashes.
package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish/projfile"
)

// Dir is where the ledger lives, relative to the project root.
const Dir = ".humas/ledger"

// State is where a target stands.
type State string

const (
	// Pending is written before a post is sent: a run that finds it died mid-request
	// and must look on the platform before posting again.
	Pending State = "pending"
	// Posted means the platform holds the post; it is never sent again without force.
	Posted State = "posted"
	// Failed means the platform refused the post; a later run tries again.
	Failed State = "failed"
)

func (s State) valid() bool { return s == Pending || s == Posted || s == Failed }

// Record is the ledger of one release. JSON fields are declared in alphabetical order
// and targets are a map, which encoding/json writes with sorted keys, so a file changes
// only where its content does and reads well in a git diff.
type Record struct {
	File    string             `json:"file"`
	Slug    string             `json:"slug"`
	Targets map[string]*Target `json:"targets"` // keyed by Key(account, platform)
	URL     string             `json:"url"`     // the article
}

// Target is what is known about one release on one account of one platform.
type Target struct {
	Attempts    int       `json:"attempts"`              // sends started, across runs
	Error       string    `json:"error,omitempty"`       // the last failure, secret-free by adapter contract
	Fingerprint string    `json:"fingerprint,omitempty"` // Fingerprint of the text sent
	ID          string    `json:"id,omitempty"`
	PostedAt    time.Time `json:"posted_at,omitzero"`
	QuoteOf     string    `json:"quote_of,omitempty"` // remote id of the quoted post, on X
	// Recipients are the people a target sends to one by one (an email target's
	// press list), each its own record, keyed by RecipientKey. The target is posted
	// once every recipient on the list is.
	Recipients map[string]*Recipient `json:"recipients,omitempty"`
	State      State                 `json:"state"`
	UpdatedAt  time.Time             `json:"updated_at,omitzero"`
	URL        string                `json:"url,omitempty"`
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

// Clone returns a deep copy, so a caller can change it without touching the original.
func (r *Record) Clone() *Record {
	c := *r
	c.Targets = make(map[string]*Target, len(r.Targets))
	for k, t := range r.Targets {
		tc := *t
		if t.Recipients != nil {
			tc.Recipients = make(map[string]*Recipient, len(t.Recipients))
			for a, rc := range t.Recipients {
				rcc := *rc
				tc.Recipients[a] = &rcc
			}
		}
		c.Targets[k] = &tc
	}
	return &c
}

// Store reads and writes the ledger of one project.
type Store struct {
	root string
	mu   sync.Mutex // serialises writes, so two saves of one record never interleave
}

// Open returns the ledger of the project at root; nothing is read until asked.
func Open(root string) *Store { return &Store{root: root} }

// Root is the project root the store was opened on.
func (s *Store) Root() string { return s.root }

// Path is the file of slug, relative to the project root, as messages show it.
func Path(slug string) string { return path.Join(Dir, slug+".json") }

func (s *Store) file(slug string) string {
	return filepath.Join(s.root, filepath.FromSlash(Path(slug)))
}

// DamagedError is a ledger file that cannot be trusted. It is never read as empty:
// an empty ledger would post everything again.
type DamagedError struct {
	File string // relative to the project root
	Err  error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s: %v: the file is damaged; restore it with git checkout -- %s, or delete it only if you are sure nothing was posted", e.File, e.Err, e.File)
}

func (e *DamagedError) Unwrap() error { return e.Err }

func checkSlug(slug string) error {
	if slug == "" || strings.ContainsAny(slug, `/\`) || strings.HasPrefix(slug, ".") {
		return fmt.Errorf("ledger: slug %q cannot name a ledger file", slug)
	}
	return nil
}

// Load reads the record of slug. A release never published has no file and gets an
// empty record; a file that is not a valid record is a *DamagedError.
func (s *Store) Load(slug string) (*Record, error) {
	if err := checkSlug(slug); err != nil {
		return nil, err
	}
	// Read as the project's own file: a record that is a link (to /dev/zero, to a
	// secret) or a pipe cannot be trusted, and must not hang or exhaust memory.
	data, err := projfile.Read(s.root, Path(slug), projfile.Ledger)
	if errors.Is(err, fs.ErrNotExist) {
		return &Record{Slug: slug, Targets: map[string]*Target{}}, nil
	}
	var pe *projfile.Error
	if errors.As(err, &pe) && (errors.Is(err, projfile.ErrSymlink) || errors.Is(err, projfile.ErrNotRegular) || errors.Is(err, projfile.ErrTooLarge)) {
		return nil, &DamagedError{File: Path(slug), Err: errors.New(pe.Problem)}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Path(slug), err)
	}
	r, err := decode(data, slug)
	if err != nil {
		return nil, &DamagedError{File: Path(slug), Err: err}
	}
	return r, nil
}

func decode(data []byte, slug string) (*Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Record
	if err := dec.Decode(&r); err != nil {
		switch {
		case errors.Is(err, io.EOF):
			return nil, errors.New("the file is empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the record")
	}
	if r.Slug != slug {
		return nil, fmt.Errorf("slug %q does not match the file name", r.Slug)
	}
	if r.Targets == nil {
		r.Targets = map[string]*Target{}
	}
	for _, k := range r.Keys() {
		t := r.Targets[k]
		if t == nil {
			return nil, fmt.Errorf("targets[%q] is null", k)
		}
		if a, p := SplitKey(k); a == "" || p == "" || strings.Contains(p, "/") {
			return nil, fmt.Errorf("targets[%q]: want account/platform", k)
		}
		if !t.State.valid() {
			return nil, fmt.Errorf("targets[%q].state: %q is not one of pending, posted, failed", k, t.State)
		}
		if t.State == Posted && t.ID == "" {
			return nil, fmt.Errorf("targets[%q]: posted without an id", k)
		}
		if t.Attempts < 0 {
			return nil, fmt.Errorf("targets[%q].attempts: %d is negative", k, t.Attempts)
		}
		for a, rc := range t.Recipients {
			switch {
			case rc == nil:
				return nil, fmt.Errorf("targets[%q].recipients[%q] is null", k, a)
			case a != RecipientKey(rc.Address):
				return nil, fmt.Errorf("targets[%q].recipients[%q]: the key is not the address %q in lower case", k, a, rc.Address)
			case !rc.State.valid():
				return nil, fmt.Errorf("targets[%q].recipients[%q].state: %q is not one of pending, posted, failed", k, a, rc.State)
			case rc.State != Failed && rc.MessageID == "":
				// A message may have left with this id: without it, sending again
				// would be a second message, not the same one.
				return nil, fmt.Errorf("targets[%q].recipients[%q]: %s without a message_id", k, a, rc.State)
			case rc.Attempts < 0:
				return nil, fmt.Errorf("targets[%q].recipients[%q].attempts: %d is negative", k, a, rc.Attempts)
			}
		}
	}
	return &r, nil
}

// Save writes r atomically: a reader, or a run killed mid-write, sees the old file or
// the new one, never half of either.
func (s *Store) Save(r *Record) error {
	if err := checkSlug(r.Slug); err != nil {
		return err
	}
	for _, t := range r.Targets {
		if !t.State.valid() {
			return fmt.Errorf("%s: state %q is not one of pending, posted, failed", Path(r.Slug), t.State)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := r.Clone()
	if out.Targets == nil {
		out.Targets = map[string]*Target{}
	}
	for _, t := range out.Targets {
		t.PostedAt = utcSecond(t.PostedAt)
		t.UpdatedAt = utcSecond(t.UpdatedAt)
		for _, rc := range t.Recipients {
			rc.SentAt = utcSecond(rc.SentAt)
			rc.UpdatedAt = utcSecond(rc.UpdatedAt)
		}
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", Path(r.Slug), err)
	}
	data = append(data, '\n')
	if err := writeAtomic(s.file(r.Slug), data); err != nil {
		return fmt.Errorf("%s: %w", Path(r.Slug), err)
	}
	return nil
}

func utcSecond(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

func writeAtomic(name string, data []byte) (err error) {
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

// All reads every record, in file name order. A damaged file is an error.
func (s *Store) All() ([]*Record, error) {
	entries, err := os.ReadDir(filepath.Join(s.root, filepath.FromSlash(Dir)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		r, err := s.Load(strings.TrimSuffix(name, ".json"))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
