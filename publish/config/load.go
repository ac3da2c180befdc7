package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/internal/textenc"
	"github.com/balikpapan/humas/publish/internal/yamlnode"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/projfile"
)

// FileName is the configuration file at the project root.
const FileName = "humas.yaml"

// DefaultTimezone is the zone of Balikpapan (WITA), used when site.timezone is not set.
const DefaultTimezone = "Asia/Makassar"

//go:embed default.yaml
var defaultYAML []byte

// Default returns the embedded configuration used when a project has no humas.yaml.
func Default() *Config {
	c, err := Parse("", defaultYAML)
	if err != nil {
		panic("config: embedded default.yaml is invalid: " + err.Error())
	}
	c.Open = true
	return c
}

// Load reads root/humas.yaml, or returns the embedded default when there is none.
// Every problem of the file is reported, each with its line.
func Load(root string) (*Config, error) {
	src, err := projfile.Read(root, FileName, projfile.Config)
	if errors.Is(err, fs.ErrNotExist) {
		c := Default()
		c.Root = root
		return c, nil
	}
	var pe *projfile.Error
	if errors.As(err, &pe) {
		return nil, &Error{File: FileName, Problems: []Problem{{Message: pe.Problem, Hint: pe.Hint}}}
	}
	if err != nil {
		return nil, err
	}
	c, err := parseIn(root, FileName, src, all.Platforms())
	if err != nil {
		return nil, err
	}
	c.Root = root
	return c, nil
}

// Problem is one thing wrong in humas.yaml.
type Problem struct {
	Line    int
	Field   string // "accounts.kpu.x"
	Message string
	Hint    string
}

// Error lists every problem of a configuration file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Format(p))
	}
	return b.String()
}

// Format renders one problem as "humas.yaml:7: accounts.kpu.x: message: hint".
func (e *Error) Format(p Problem) string {
	s := e.Position(p) + ": "
	if p.Field != "" {
		s += p.Field + ": "
	}
	s += p.Message
	if p.Hint != "" {
		s += ": " + p.Hint
	}
	return s
}

// Position is "humas.yaml:7", the place a problem is reported at.
func (e *Error) Position(p Problem) string {
	file := e.File
	if file == "" {
		file = "default humas.yaml"
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d", file, p.Line)
	}
	return file
}

// ParseTime reads a date as RFC 3339, or as "2006-01-02" or "2006-01-02 15:04" in loc.
// A date outside 1945–2100 is an error: it is a typo, and dates that far out cannot
// be written the Indonesian way (year 0 would read "31 Desember -1 … UTC+07:57").
// The error is a *TimeError.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339, s)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02"} {
		if err == nil {
			break
		}
		t, err = time.ParseInLocation(layout, s, loc)
	}
	if err != nil {
		te := &TimeError{Message: fmt.Sprintf("cannot parse %q", s), Hint: TimeHint}
		if why, ok := idtime.NoSuchDay(s); ok {
			te.Message, te.Hint = fmt.Sprintf("%q is not a day of the calendar: %s", s, why), "check the day and the month"
		} else if w, ok := idtime.Written(s); ok {
			te.Suggest = w
			te.Hint = "write it as " + w
		}
		return time.Time{}, te
	}
	if y := t.Year(); y < MinYear || y > MaxYear {
		return time.Time{}, &TimeError{Message: fmt.Sprintf("year %d is outside %d–%d", y, MinYear, MaxYear), Hint: "check the year"}
	}
	return t, nil
}

// The years a date may fall in.
const (
	MinYear = 1945
	MaxYear = 2100
)

// TimeError is a date humas cannot read, with what to write instead.
type TimeError struct {
	Message string
	Hint    string
	Suggest string // the date written as humas reads it, when it could be read otherwise
}

func (e *TimeError) Error() string { return e.Message }

// TimeHintFor is what to write instead of the date in err for key: the exact value
// ("date: 2021-06-09") when the date could be read the way it was written.
func TimeHintFor(key string, err error) string {
	var te *TimeError
	if !errors.As(err, &te) {
		return TimeHint
	}
	if te.Suggest != "" {
		return "write " + key + ": " + te.Suggest
	}
	return te.Hint
}

// TimeHint is what to write instead of a date that cannot be parsed.
const TimeHint = "write YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339, e.g. 2021-06-09, 2021-06-09 13:00 or 2021-06-09T13:00:00+08:00"

var (
	accountKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// Parse reads a humas.yaml; file names it in messages ("" for the embedded default).
func Parse(file string, src []byte) (*Config, error) {
	return ParseWith(file, src, all.Platforms())
}

// ParseWith is Parse for the platforms of reg, which accounts may have.
func ParseWith(file string, src []byte, reg platform.Registry) (*Config, error) {
	return parseIn("", file, src, reg)
}

// parseIn is ParseWith for the project at root, whose folders site.output is
// checked against with symbolic links followed ("" checks the path as written only).
func parseIn(root, file string, src []byte, reg platform.Registry) (*Config, error) {
	p := &parse{root: root, cfg: &Config{File: file, Platforms: reg}, err: &Error{File: file}}
	p.read(src)
	slices.SortStableFunc(p.err.Problems, func(a, b Problem) int { return a.Line - b.Line })
	if len(p.err.Problems) > 0 {
		return nil, p.err
	}
	return p.cfg, nil
}

type parse struct {
	root string
	cfg  *Config
	err  *Error
}

func (p *parse) add(line int, field, msg, hint string) {
	p.err.Problems = append(p.err.Problems, Problem{Line: line, Field: field, Message: msg, Hint: hint})
}

// mapping returns the fields of n, reporting unknown and repeated keys and a value
// that is not a mapping at all.
func (p *parse) mapping(n *yamlnode.Node, line int, field string, known []string) map[string]yamlnode.Field {
	fields, ok := yamlnode.Fields(n)
	if !ok {
		p.add(line, field, "must be a mapping, not "+yamlnode.Kind(n), "")
		return nil
	}
	out := make(map[string]yamlnode.Field, len(fields))
	for _, f := range fields {
		if known != nil && !slices.Contains(known, f.Key) {
			hint := ""
			if s := yamlnode.Suggest(f.Key, known); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				hint = "known keys: " + strings.Join(known, ", ")
			}
			p.add(f.Line, field, fmt.Sprintf("unknown key %q", f.Key), hint)
			continue
		}
		out[f.Key] = f
	}
	return out
}

func (p *parse) scalar(f yamlnode.Field, field string) (string, bool) {
	s, ok := yamlnode.Scalar(f.Value)
	if !ok {
		p.add(f.Line, field, "must be text, not "+yamlnode.Kind(f.Value), "")
		return "", false
	}
	return strings.TrimSpace(s), true
}

func (p *parse) read(src []byte) {
	// A byte order mark (Notepad, "UTF-8 with BOM" in VS Code) is not text.
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if line, what := textenc.NotUTF8(src); what != "" {
		p.add(line, "", "the file is not UTF-8 text: it looks like "+what, textenc.SaveAsUTF8)
		return
	}
	root, err := yamlnode.Parse(src, 1)
	if err != nil {
		if ms := yamlnode.Mistakes(src, 1, p.keys()); len(ms) > 0 {
			for _, m := range ms {
				p.add(m.Line, m.Key, m.Message, m.Hint)
			}
			return
		}
		var se *yamlnode.SyntaxError
		if errors.As(err, &se) {
			p.add(se.Line, "", se.Message, se.Hint)
			return
		}
		p.add(0, "", err.Error(), "")
		return
	}
	// Names and titles here reach every page and post: a control or bidirectional
	// character, typed or written as a YAML escape ("\u202e"), is refused as in a release.
	yamlnode.Strings("", root, func(field string, n *yamlnode.Node) {
		for _, r := range n.Text {
			if what := textenc.Invisible(r); what != "" {
				msg := fmt.Sprintf("%s U+%04X", what, r)
				if what == "bidirectional control" {
					msg += ", which makes text show in another order than it is written"
				}
				p.add(n.Line, strings.TrimPrefix(field, "."), msg, "delete it, or the \\ escape that writes it")
				return
			}
		}
	})
	top := p.mapping(root, 1, "", topKeys)
	if top == nil && len(p.err.Problems) > 0 {
		return
	}
	p.site(top["site"])
	p.accounts(top["accounts"])
	p.publish(top["publish"])
	p.blackout(top["blackout"])
	p.tags(top["tags"])
	p.partners(top["partners"]) // after accounts: a repost names our own
}

// The keys of humas.yaml, by where they live.
var (
	topKeys       = []string{"site", "accounts", "publish", "blackout", "tags", "partners"}
	siteKeys      = []string{"title", "base_url", "language", "timezone", "output"}
	blackoutKeys  = []string{"from", "to", "reason"}
	partnerFields = []string{"name", "feed", "repost"}
)

// keys are humas.yaml's keys for yamlnode.Mistakes: a line is taken for a key only
// when it is one the file may have.
func (p *parse) keys() yamlnode.Keys {
	known := slices.Concat(topKeys, siteKeys, []string{"since", "name"}, identityKeys, blackoutKeys, partnerFields, p.cfg.Platforms.Names())
	for _, pl := range p.cfg.Platforms {
		known = append(known, pl.Account.Keys()...)
	}
	return yamlnode.Keys{
		Known:        func(k string) bool { return slices.Contains(known, k) },
		TopLevelOnly: func(k string) bool { return slices.Contains(topKeys, k) },
	}
}

// tags reads the display names of tags: "tags: {pemilu-2024: Pemilu 2024, kpu: KPU}".
// A name must make a hashtag: letters, digits and "_", spaces between words, and
// not digits only (X does not link "#2024").
func (p *parse) tags(f yamlnode.Field) {
	if f.Value == nil {
		return
	}
	fields, ok := yamlnode.Fields(f.Value)
	if !ok {
		p.add(f.Line, "tags", "must be a mapping of tag to name, not "+yamlnode.Kind(f.Value), "e.g. tags: {pemilu-2024: Pemilu 2024, ppid: PPID}")
		return
	}
	p.cfg.Tags = make(map[string]string, len(fields))
	for _, tf := range fields {
		key := strings.ToLower(strings.TrimSpace(tf.Key))
		field := "tags." + tf.Key
		if _, dup := p.cfg.Tags[key]; dup {
			p.add(tf.Line, "tags", fmt.Sprintf("tag %q is listed twice", tf.Key), "")
			continue
		}
		name, ok := p.scalar(tf, field)
		if !ok {
			continue
		}
		switch {
		case key == "" || name == "":
			p.add(tf.Line, field, "needs a name", "e.g. "+tf.Key+": "+strings.ToUpper(tf.Key))
		case !validTagName(name):
			p.add(tf.Line, field, fmt.Sprintf("%q cannot be a hashtag", name), "use letters, digits and spaces, with at least one letter (e.g. Pemilu 2024)")
		default:
			p.cfg.Tags[key] = name
		}
	}
}

// validTagName reports whether name is letters, digits, "_" and spaces between
// words, with a letter somewhere: what a hashtag is made of once the spaces go.
func validTagName(name string) bool {
	letter := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r), r == ' ', r == '_':
		default:
			return false
		}
	}
	return letter
}

// publish reads the publish section: since, the first release date cross-posted.
func (p *parse) publish(f yamlnode.Field) {
	if f.Value == nil {
		return
	}
	fields := p.mapping(f.Value, f.Line, "publish", []string{"since"})
	sf, ok := fields["since"]
	if !ok {
		return
	}
	s, ok := p.scalar(sf, "publish.since")
	if !ok {
		return
	}
	t, err := ParseTime(s, p.cfg.Site.Location)
	if err != nil {
		p.add(sf.Line, "publish.since", err.Error(), TimeHintFor("since", err))
		return
	}
	p.cfg.Publish.Since = t
}

func (p *parse) site(f yamlnode.Field) {
	s := &p.cfg.Site
	s.Title, s.Language, s.Timezone, s.Output = "Siaran Pers", "id", DefaultTimezone, "public"
	fields := p.mapping(f.Value, f.Line, "site", siteKeys)
	set := func(key string, dst *string) {
		if kf, ok := fields[key]; ok {
			if v, ok := p.scalar(kf, "site."+key); ok && v != "" {
				*dst = v
			}
		}
	}
	set("title", &s.Title)
	set("base_url", &s.BaseURL)
	set("language", &s.Language)
	set("timezone", &s.Timezone)
	set("output", &s.Output)

	line := func(key string) int {
		if kf, ok := fields[key]; ok {
			return kf.Line
		}
		return max(f.Line, 1)
	}
	switch u, err := url.Parse(s.BaseURL); {
	case s.BaseURL == "":
		p.add(line("base_url"), "site.base_url", "is required", "the address articles live under, e.g. https://humas.balikpapan.go.id/")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		p.add(line("base_url"), "site.base_url", fmt.Sprintf("%q is not an absolute http(s) URL", s.BaseURL), "e.g. https://humas.balikpapan.go.id/")
	case !strings.HasSuffix(s.BaseURL, "/"):
		s.BaseURL += "/"
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		p.add(line("timezone"), "site.timezone", fmt.Sprintf("unknown time zone %q", s.Timezone), "use an IANA name: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)")
		loc, _ = time.LoadLocation(DefaultTimezone)
	}
	if loc == nil {
		loc = time.FixedZone("WITA", 8*3600)
	}
	s.Location = loc
	if filepath.IsAbs(s.Output) || path.Clean(filepath.ToSlash(s.Output)) == ".." || strings.HasPrefix(path.Clean(filepath.ToSlash(s.Output)), "../") {
		p.add(line("output"), "site.output", fmt.Sprintf("%q must be a folder inside the project", s.Output), "")
	} else if why := OutputProblem(p.root, s.Output); why != "" {
		// A build writes and removes files there: the project itself must be out of reach.
		p.add(line("output"), "site.output", fmt.Sprintf("%q %s", s.Output, why), OutputHint)
	}
}

func (p *parse) accounts(f yamlnode.Field) {
	fields, ok := yamlnode.Fields(f.Value)
	if !ok {
		p.add(f.Line, "accounts", "must be a mapping of account keys, not "+yamlnode.Kind(f.Value), "")
		return
	}
	if len(fields) == 0 {
		p.add(max(f.Line, 1), "accounts", "at least one account is required", "e.g. accounts: {kpu: {name: KPU Kota Balikpapan}}")
		return
	}
	seen := map[string]bool{}
	for _, af := range fields {
		key := af.Key
		field := "accounts." + key
		if !accountKeyRE.MatchString(key) {
			p.add(af.Line, "accounts", fmt.Sprintf("account key %q must be lower case letters, digits and -", key), "")
			continue
		}
		if seen[key] {
			p.add(af.Line, "accounts", fmt.Sprintf("account %q is listed twice", key), "")
			continue
		}
		seen[key] = true
		acc := Account{Key: key}
		kf := p.mapping(af.Value, af.Line, field, slices.Concat([]string{"name"}, identityKeys, p.cfg.Platforms.Names()))
		if nf, ok := kf["name"]; ok {
			acc.Name, _ = p.scalar(nf, field+".name")
		}
		if acc.Name == "" {
			p.add(af.Line, field+".name", "is required", "the institution's name as readers know it, e.g. KPU Kota Balikpapan")
		}
		acc.Identity = p.identity(kf, field)
		for _, pl := range p.cfg.Platforms {
			if pf, ok := kf[pl.Name]; ok {
				if pa, ok := p.platformAccount(key, pl, pf, field+"."+pl.Name); ok {
					acc.Platforms = append(acc.Platforms, pa)
				}
			}
		}
		p.cfg.Accounts = append(p.cfg.Accounts, acc)
	}
}

// platformAccount reads accounts.<key>.<platform> by the platform's schema, each
// problem at the line of its field.
func (p *parse) platformAccount(key string, pl *platform.Platform, f yamlnode.Field, field string) (platform.Account, bool) {
	fields := p.mapping(f.Value, f.Line, field, pl.Account.Keys())
	if fields == nil {
		return platform.Account{}, false
	}
	values := make(map[string]string, len(fields))
	for k, kf := range fields {
		if v, ok := p.scalar(kf, field+"."+k); ok {
			values[k] = v
		}
	}
	settings, problems := pl.Account.Parse(values)
	for _, pr := range problems {
		line := f.Line
		if kf, ok := fields[pr.Key]; ok {
			line = kf.Line
		}
		name := field
		if pr.Key != "" {
			name += "." + pr.Key
		}
		p.add(line, name, pr.Message, pr.Hint)
	}
	if len(problems) > 0 {
		return platform.Account{}, false
	}
	return platform.Account{Key: key, Platform: pl.Name, Settings: settings}, true
}

func (p *parse) blackout(f yamlnode.Field) {
	if f.Value == nil {
		return
	}
	items, ok := yamlnode.Items(f.Value)
	if !ok {
		p.add(f.Line, "blackout", "must be a list, not "+yamlnode.Kind(f.Value), "e.g. - {from: 2024-02-11, to: 2024-02-14 13:00, reason: masa tenang}")
		return
	}
	for i, it := range items {
		field := fmt.Sprintf("blackout[%d]", i)
		line := yamlnode.Line(it)
		fields := p.mapping(it, line, field, blackoutKeys)
		if fields == nil {
			continue
		}
		if fs, _ := yamlnode.Fields(it); len(fs) > 0 {
			line = fs[0].Line
		}
		b := Blackout{Line: line}
		when := func(key string) time.Time {
			kf, ok := fields[key]
			if !ok {
				p.add(line, field+"."+key, "is required", TimeHint)
				return time.Time{}
			}
			s, ok := p.scalar(kf, field+"."+key)
			if !ok {
				return time.Time{}
			}
			t, err := ParseTime(s, p.cfg.Site.Location)
			if err != nil {
				p.add(kf.Line, field+"."+key, err.Error(), TimeHintFor(key, err))
			}
			return t
		}
		b.From, b.To = when("from"), when("to")
		if rf, ok := fields["reason"]; ok {
			b.Reason, _ = p.scalar(rf, field+".reason")
		}
		if !b.From.IsZero() && !b.To.IsZero() && !b.From.Before(b.To) {
			p.add(line, field, "from must be before to", "")
		}
		p.cfg.Blackout = append(p.cfg.Blackout, b)
	}
}
