package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// decodeStrict reads exactly one JSON value into v, refusing fields v does not have.
// On failure it returns the line the problem is on, when it can tell.
func decodeStrict(data []byte, v any) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return 0, errors.New("the file is empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return lineAt(data, len(data)), errors.New("unexpected end of JSON input")
		case errors.As(err, &se):
			return lineAt(data, int(se.Offset)), errors.New(strings.TrimPrefix(se.Error(), "json: "))
		case errors.As(err, &te):
			return lineAt(data, int(te.Offset)), fmt.Errorf("%s: want a %s, not a JSON %s", te.Field, te.Type, te.Value)
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
			return lineOf(data, strings.Trim(name, `"`)), fmt.Errorf("unknown field %s", name)
		}
		return 0, errors.New(msg)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return lineAt(data, int(dec.InputOffset())), errors.New("data after the record")
	}
	return 0, nil
}

// lineAt is the line of byte offset in data, counting from 1.
func lineAt(data []byte, offset int) int {
	offset = min(max(offset, 0), len(data))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// lineOf is the line where key first appears as an object key, 0 if it does not.
func lineOf(data []byte, key string) int {
	re := regexp.MustCompile(`"` + regexp.QuoteMeta(key) + `"\s*:`)
	loc := re.FindIndex(data)
	if loc == nil {
		return 0
	}
	return lineAt(data, loc[0])
}

// fieldError is a problem with one field of a ledger file, at its line.
type fieldError struct {
	line int
	err  error
}

func problem(data []byte, key, format string, args ...any) *fieldError {
	return &fieldError{line: lineOf(data, key), err: fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...))}
}

// decodeRelease reads a release.json of folder id.
func decodeRelease(data []byte, id string) (*Record, int, error) {
	var r Record
	if line, err := decodeStrict(data, &r); err != nil {
		return nil, line, err
	}
	if fe := checkRelease(data, &r, id); fe != nil {
		return nil, fe.line, fe.err
	}
	r.Targets = map[string]*Target{}
	return &r, 0, nil
}

func checkRelease(data []byte, r *Record, id string) *fieldError {
	switch {
	case r.ID != id:
		return problem(data, "id", "%q is not the folder's name %q: the id never changes once recorded", r.ID, id)
	case r.File == "":
		return problem(data, "file", "is empty: want the release's file, releases/….md")
	case strings.HasPrefix(id, PartnerPrefix):
		// A partner's release, reposted from its feed, is known by its article.
		if u, err := url.Parse(r.File); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return problem(data, "file", "%q is not a partner's article: want its https address", r.File)
		}
	case !strings.HasPrefix(r.File, "releases/") || path.Ext(r.File) != ".md" || strings.Contains(r.File, ".."):
		return problem(data, "file", "%q is not a release file: want releases/….md", r.File)
	case r.Slug == "" || strings.ContainsAny(r.Slug, `/\`):
		return problem(data, "slug", "%q is not a slug", r.Slug)
	}
	for _, a := range r.Aliases {
		if a == "" || strings.ContainsAny(a, `/\`) || strings.HasPrefix(a, ".") {
			return problem(data, "aliases", "%q is not a slug", a)
		}
	}
	return nil
}

// decodeTarget reads one target's file.
func decodeTarget(data []byte) (*Target, int, error) {
	var t Target
	if line, err := decodeStrict(data, &t); err != nil {
		return nil, line, err
	}
	if fe := checkTarget(data, &t); fe != nil {
		return nil, fe.line, fe.err
	}
	return &t, 0, nil
}

func checkTarget(data []byte, t *Target) *fieldError {
	switch {
	case !t.State.valid():
		return problem(data, "state", "%q is not one of pending, posted, failed", t.State)
	case t.State == Posted && t.ID == "":
		return problem(data, "state", "posted without an id: add the post's id, or say pending so the next run looks for it")
	case t.Attempts < 0:
		return problem(data, "attempts", "%d is negative", t.Attempts)
	case t.Resolved != "" && t.Resolved != ResolvedPosted && t.Resolved != ResolvedNotPosted:
		return problem(data, "resolved", "%q is not %s or %s", t.Resolved, ResolvedPosted, ResolvedNotPosted)
	case t.URL != "" && !webAddress(t.URL):
		return problem(data, "url", "%q is not a web address", t.URL)
	case strings.ContainsFunc(t.ID, unicode.IsControl):
		return problem(data, "id", "%q holds a control character", t.ID)
	case strings.ContainsFunc(t.QuoteOf, unicode.IsControl):
		return problem(data, "quote_of", "%q holds a control character", t.QuoteOf)
	}
	for _, a := range sortedKeys(t.Recipients) {
		rc := t.Recipients[a]
		switch {
		case rc == nil:
			return problem(data, a, "recipients[%q] is null", a)
		case a != RecipientKey(rc.Address):
			return problem(data, a, "recipients[%q]: the key is not the address %q in lower case", a, rc.Address)
		case !rc.State.valid():
			return problem(data, a, "recipients[%q].state: %q is not one of pending, posted, failed", a, rc.State)
		case rc.State != Failed && rc.MessageID == "":
			// A message may have left with this id: without it, sending again
			// would be a second message, not the same one.
			return problem(data, a, "recipients[%q]: %s without a message_id", a, rc.State)
		case rc.Attempts < 0:
			return problem(data, a, "recipients[%q].attempts: %d is negative", a, rc.Attempts)
		}
	}
	return nil
}

// webAddress reports whether s is an http(s) address with a host, as a platform
// gives one: it is printed, linked from the article and published in feed.json,
// where a line break in it would start a line of its own in a CI log and make
// partners refuse the whole feed.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// legacyRecord is the single file per release, named by slug, that humas kept
// before records became folders.
type legacyRecord struct {
	File    string             `json:"file"`
	Slug    string             `json:"slug"`
	Targets map[string]*Target `json:"targets"`
	URL     string             `json:"url"`
}

// loadLegacy reads Dir/name, a record an older humas wrote.
func (s *Store) loadLegacy(name string) (*Record, error) {
	rel := path.Join(Dir, name)
	data, err := s.read(rel)
	if err != nil {
		return nil, err
	}
	var lr legacyRecord
	if line, err := decodeStrict(data, &lr); err != nil {
		return nil, &DamagedError{File: rel, Line: line, Err: err}
	}
	slug := strings.TrimSuffix(name, ".json")
	if lr.Slug != slug {
		return nil, &DamagedError{File: rel, Line: lineOf(data, "slug"), Err: fmt.Errorf("slug %q does not match the file name", lr.Slug)}
	}
	r := &Record{File: lr.File, Slug: lr.Slug, URL: lr.URL, Targets: map[string]*Target{}, legacy: rel}
	for k, t := range lr.Targets {
		line := lineOf(data, k)
		if t == nil {
			return nil, &DamagedError{File: rel, Line: line, Err: fmt.Errorf("targets[%q] is null", k)}
		}
		if a, p := SplitKey(k); !targetNameRE.MatchString(a + "." + p + ".json") {
			return nil, &DamagedError{File: rel, Line: line, Err: fmt.Errorf("targets[%q]: want account/platform", k)}
		}
		if fe := checkTarget(data, t); fe != nil {
			return nil, &DamagedError{File: rel, Line: fe.line, Err: fmt.Errorf("targets[%q].%v", k, fe.err)}
		}
		r.Targets[k] = t
	}
	return r, nil
}

// Legacy reports whether r was read from an older humas's single file.
func (r *Record) Legacy() bool { return r.legacy != "" }
