package release

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/internal/yamlnode"
	"github.com/balikpapan/humas/publish/media"
	"github.com/balikpapan/humas/publish/projfile"
)

// Verdicts a hoax clarification may give.
var Verdicts = []string{"HOAKS", "DISINFORMASI", "MISINFORMASI", "SATIRE"}

var (
	classifications = []string{Berkala, SertaMerta, SetiapSaat, Dikecualikan}
	kinds           = []string{SiaranPers, Berita, KlarifikasiHoaks}
	frontKeys       = []string{"title", "date", "issuer", "classification", "kind", "number",
		"summary", "tags", "image", "image_alt", "contact", "embargo", "targets", "posts",
		"slug", "draft", "hoax"}
	contactKeys = []string{"name", "role", "phone", "email"}
	hoaxKeys    = []string{"claim", "verdict", "sources"}

	// The patterns validSlug, splitFileName and trimDatePrefix implement by hand;
	// tests hold them to these.
	slugRE     = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	fileNameRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-(.+)\.md$`)
	datePrefix = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`)
)

// Parse reads the release file (its path relative to the project root, or absolute)
// from src and checks it against every rule of SPEC section 2. It reports every
// problem of the file, not just the first. The release is returned even when there
// are errors, filled as far as it could be; it is valid only when
// !diags.HasErrors(). Warnings alone never make a release invalid. A nil cfg means
// the embedded default configuration.
func Parse(file string, src []byte, cfg *config.Config) (*Release, Diagnostics) {
	if cfg == nil {
		cfg = config.Default()
	}
	p := &parser{
		cfg:   cfg,
		loc:   cfg.Site.Location,
		file:  filepath.ToSlash(file),
		r:     &Release{File: filepath.ToSlash(file), Lines: map[string]int{}},
		nodes: map[string]*yamlnode.Node{},
	}
	if p.loc == nil {
		p.loc = time.UTC
	}
	p.parse(src)
	slices.SortStableFunc(p.diags, func(a, b Diagnostic) int { return a.Line - b.Line })
	return p.r, p.diags
}

type parser struct {
	cfg   *config.Config
	loc   *time.Location
	file  string
	r     *Release
	diags Diagnostics
	// fmLine is added to a line of the front-matter YAML to get the line of the file.
	fmLine int
	// nodes holds the value nodes of scalar fields, for precise lines inside them.
	nodes map[string]*yamlnode.Node
	// fm is the front matter's YAML; bodyStart the line the body starts on, 0 until
	// the front matter is known to be closed.
	fm        []byte
	bodyStart int
	// hashtagged: the front matter has " #" before a letter or digit somewhere, which
	// YAML reads as a comment; only then are text fields looked at for it.
	hashtagged int // 0 unknown, 1 yes, -1 no
	// textFound counts the invisible characters found, textMoreAt is the line of
	// the first past those reported one by one.
	textFound, textMoreAt int
}

// Limits on what one release may hold: past them humas would spend time and memory
// out of proportion, and no real release comes near them.
const (
	MaxFrontMatter = 64 << 10 // bytes of YAML
	MaxTags        = 30       // Instagram takes 30 hashtags; a reader follows a few
	MaxTagLength   = 50       // characters
	MaxSummary     = 3000     // characters: a summary is a sentence or two
	MaxNesting     = 16       // levels of quotes and lists in the body
	MaxBrackets    = 32       // [ nested in the body's text
)

func (p *parser) errorf(line int, field, hint, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (p *parser) warnf(line int, field, hint, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint, Warning: true})
}

// line is the line of a front-matter key, or 1 (the opening ---) when it is absent.
func (p *parser) line(key string) int {
	if n, ok := p.r.Lines[key]; ok {
		return n
	}
	return 1
}

// split cuts src into front matter and body. opened reports a first --- line, ok
// that the front matter is closed too.
func split(src []byte) (fm, body []byte, bodyLine int, opened, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, src, 1, false, false
	}
	if !found {
		return nil, nil, 1, true, false
	}
	line := 2
	off := len(first) + 1
	for len(rest) > 0 {
		l, next, _ := bytes.Cut(rest, []byte("\n"))
		if t := string(bytes.TrimRight(l, " \t\r")); t == "---" || t == "..." {
			end := off + len(l)
			if end < len(src) {
				end++ // the newline after the closing ---
			}
			return src[len(first)+1 : off], src[end:], line + 1, true, true
		}
		off += len(l) + 1
		rest = next
		line++
	}
	return nil, src, 1, true, false
}

func (p *parser) parse(src []byte) {
	fm, body, bodyLine, opened, ok := split(src)
	p.r.Body, p.r.BodyLine = body, bodyLine
	if ok {
		p.bodyStart = bodyLine
	}
	if !p.cleanText(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))) {
		return
	}
	if opened && !ok {
		p.errorf(1, "", "end the front matter with a line of its own: ---", "front matter is not closed")
		return
	}
	if !ok {
		p.errorf(1, "", "a release starts with a --- line, then title:, date:, issuer:, classification:, then a closing --- line", "missing front matter")
		return
	}
	p.fmLine = 1
	if len(fm) > MaxFrontMatter {
		p.errorf(1, "", "keep long text in the body, after the closing --- line",
			"front matter is %d KB, more than the %d KB humas reads", (len(fm)+1023)>>10, MaxFrontMatter>>10)
		return
	}
	p.fm = fm
	root, err := yamlnode.Parse(fm, p.fmLine+1)
	if err != nil {
		var se *yamlnode.SyntaxError
		if p.yamlMistakes() {
			// Said in the words of the mistake, with its fix, not the parser's.
		} else if errors.As(err, &se) {
			p.errorf(se.Line, "", se.Hint, "front matter: %s", se.Message)
		} else {
			p.errorf(1, "", "", "front matter: %v", err)
		}
		return
	}
	fields, ok := yamlnode.Fields(root)
	if !ok {
		p.errorf(2, "", "write one key: value a line", "front matter must be a mapping of keys, not %s", yamlnode.Kind(root))
		return
	}
	p.escapedText(fields)
	p.frontMatter(fields)
	p.validate()
	p.rules()
	p.markdownDepth()
}

// frontMatter decodes every key, checking types; values are validated afterwards.
func (p *parser) frontMatter(fields []yamlnode.Field) {
	r := p.r
	for _, f := range fields {
		line := f.Line + p.fmLine
		if !slices.Contains(frontKeys, f.Key) {
			p.unknownKey(line, "", f.Key, frontKeys)
			continue
		}
		r.Lines[f.Key] = line
		switch f.Key {
		case "title":
			r.Title = p.text(f, f.Key)
		case "date":
			p.text(f, f.Key)
		case "issuer":
			r.Issuer = p.text(f, f.Key)
		case "classification":
			r.Classification = p.text(f, f.Key)
		case "kind":
			r.Kind = p.text(f, f.Key)
		case "number":
			r.Number = p.text(f, f.Key)
		case "summary":
			r.Summary = p.text(f, f.Key)
		case "image":
			r.Image = p.text(f, f.Key)
		case "image_alt":
			r.ImageAlt = p.text(f, f.Key)
		case "embargo":
			p.text(f, f.Key)
		case "slug":
			r.Slug = p.text(f, f.Key)
		case "tags":
			r.Tags = p.list(f, f.Key, "tags: [pemilu-2024, kehumasan]")
		case "targets":
			r.Targets = p.list(f, f.Key, "targets: [kpu, diskominfo/x]")
		case "draft":
			if f.Value != nil {
				b, ok := yamlnode.Bool(f.Value)
				if !ok {
					p.errorf(line, f.Key, "write draft: true or draft: false", "must be true or false, not %s", yamlnode.Kind(f.Value))
				}
				r.Draft = b
			}
		case "contact":
			r.Contact = p.contact(f)
		case "posts":
			r.Posts = p.posts(f)
		case "hoax":
			r.Hoax = p.hoax(f)
		}
	}
}

func (p *parser) unknownKey(line int, parent, key string, known []string) {
	field := parent
	hint := "known keys: " + strings.Join(known, ", ")
	if s := yamlnode.Suggest(key, known); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	p.errorf(line, field, hint, "unknown key %q", key)
}

// text reads a scalar field; anything else is reported and read as "".
func (p *parser) text(f yamlnode.Field, field string) string {
	s, ok := yamlnode.Scalar(f.Value)
	if !ok {
		p.errorf(f.Line+p.fmLine, field, "", "must be text, not %s", yamlnode.Kind(f.Value))
		return ""
	}
	p.nodes[field] = f.Value
	p.cutAtComment(f, field)
	return strings.TrimSpace(s)
}

// list reads a list of scalars, recording the line of every entry as "field.N".
func (p *parser) list(f yamlnode.Field, field, example string) []string {
	items, ok := yamlnode.Items(f.Value)
	if !ok {
		p.errorf(f.Line+p.fmLine, field, "write "+example, "must be a list, not %s", yamlnode.Kind(f.Value))
		return nil
	}
	if field == "tags" && len(items) > MaxTags {
		p.errorf(f.Line+p.fmLine, field, "keep the few a reader would follow", "%d tags, more than %d", len(items), MaxTags)
		items = items[:MaxTags]
	}
	var out []string
	for i, it := range items {
		key := field + "." + strconv.Itoa(i)
		line := yamlnode.Line(it) + p.fmLine
		if yamlnode.Line(it) == 0 {
			line = f.Line + p.fmLine
		}
		p.r.Lines[key] = line
		s, ok := yamlnode.Scalar(it)
		if !ok {
			p.errorf(line, field, "write "+example, "entry %d must be text, not %s", i+1, yamlnode.Kind(it))
			continue
		}
		s = strings.TrimSpace(s)
		if field == "tags" && utf8.RuneCountInString(s) > MaxTagLength {
			p.errorf(line, field, "a tag is a word or two, e.g. pemilu-2024", "tag %d is %d characters, more than %d", i+1, utf8.RuneCountInString(s), MaxTagLength)
			continue
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// mapping reads a nested mapping, reporting unknown keys and recording "parent.key" lines.
func (p *parser) mapping(f yamlnode.Field, known []string, example string) []yamlnode.Field {
	fields, ok := yamlnode.Fields(f.Value)
	if !ok {
		p.errorf(f.Line+p.fmLine, f.Key, "write "+example, "must be a mapping, not %s", yamlnode.Kind(f.Value))
		return nil
	}
	var out []yamlnode.Field
	for _, kf := range fields {
		line := kf.Line + p.fmLine
		if known != nil && !slices.Contains(known, kf.Key) {
			p.unknownKey(line, f.Key, kf.Key, known)
			continue
		}
		p.r.Lines[f.Key+"."+kf.Key] = line
		out = append(out, kf)
	}
	return out
}

func (p *parser) contact(f yamlnode.Field) *Contact {
	fields := p.mapping(f, contactKeys, `contact: {name: Ridwan, role: Subbag Teknis dan Hupmas, phone: "+62 542 000000", email: humas@example.go.id}`)
	if fields == nil {
		return nil
	}
	c := &Contact{}
	for _, kf := range fields {
		v := p.text(kf, "contact."+kf.Key)
		switch kf.Key {
		case "name":
			c.Name = v
		case "role":
			c.Role = v
		case "phone":
			c.Phone = v
		case "email":
			c.Email = p.email(v, kf.Line+p.fmLine)
		}
	}
	return c
}

func (p *parser) posts(f yamlnode.Field) map[string]string {
	fields := p.mapping(f, p.cfg.Platforms.Names(), postsExample(p.cfg))
	if fields == nil {
		return nil
	}
	out := map[string]string{}
	for _, kf := range fields {
		if v := p.text(kf, "posts."+kf.Key); v != "" {
			out[kf.Key] = v
		} else {
			p.errorf(kf.Line+p.fmLine, "posts."+kf.Key, "remove the key to use the summary", "is empty")
		}
	}
	return out
}

// postsExample is a posts: mapping with a text for every platform, for hints.
func postsExample(cfg *config.Config) string {
	var parts []string
	for _, pl := range cfg.Platforms {
		parts = append(parts, pl.Name+": Teks khusus untuk "+pl.DisplayName+".")
	}
	return "posts: {" + strings.Join(parts, ", ") + "}"
}

func (p *parser) hoax(f yamlnode.Field) *Hoax {
	fields := p.mapping(f, hoaxKeys, "hoax: {claim: …, verdict: HOAKS, sources: [https://…]}")
	if fields == nil {
		return nil
	}
	h := &Hoax{}
	for _, kf := range fields {
		switch kf.Key {
		case "claim":
			h.Claim = p.text(kf, "hoax.claim")
		case "verdict":
			h.Verdict = p.text(kf, "hoax.verdict")
		case "sources":
			h.Sources = p.list(kf, "hoax.sources", "sources: [https://kota-balikpapan.kpu.go.id/…]")
		}
	}
	return h
}

// validate checks values against each other and against humas.yaml.
func (p *parser) validate() {
	r := p.r
	const requiredHint = "every release needs title, date, issuer and classification"
	for _, key := range []string{"title", "date", "issuer", "classification"} {
		if _, ok := p.r.Lines[key]; !ok {
			p.errorf(1, key, requiredHint, "is required")
		}
	}
	if p.has("title") && r.Title == "" {
		p.errorf(p.line("title"), "title", "", "is empty")
	}

	if s, ok := p.scalarOf("date"); ok {
		r.Date = p.time("date", s)
	}
	if s, ok := p.scalarOf("embargo"); ok && s != "" {
		r.Embargo = p.time("embargo", s)
	}

	switch {
	case r.Classification == "" && p.has("classification"):
		p.errorf(p.line("classification"), "classification", "use one of "+strings.Join(classifications, ", "), "is empty")
	case r.Classification == Dikecualikan:
		p.errorf(p.line("classification"), "classification", "", "dikecualikan releases are exempted information (UU 14/2008 Pasal 17) and are never built, previewed or published")
	case r.Classification != "" && !slices.Contains(classifications, r.Classification):
		p.errorf(p.line("classification"), "classification", enumHint(r.Classification, classifications), "unknown classification %q", r.Classification)
	}

	if r.Kind == "" {
		r.Kind = SiaranPers
	} else if !slices.Contains(kinds, r.Kind) {
		p.errorf(p.line("kind"), "kind", enumHint(r.Kind, kinds), "unknown kind %q", r.Kind)
	}

	keys := p.accountKeys()
	if r.Issuer == "" && p.has("issuer") {
		p.errorf(p.line("issuer"), "issuer", "accounts in "+p.configName()+": "+strings.Join(keys, ", "), "is empty")
	} else if r.Issuer != "" {
		if _, ok := p.cfg.Account(r.Issuer); !ok {
			p.errorf(p.line("issuer"), "issuer", "accounts in "+p.configName()+": "+strings.Join(keys, ", "), "%q is not an account", r.Issuer)
		}
	}
	p.targets()
	p.slug()
	p.image()
	p.hoaxRules()

	p.summary()
	if r.Hoax == nil && r.Kind == KlarifikasiHoaks && p.has("kind") {
		p.errorf(p.line("kind"), "hoax", "add hoax: {claim: …, verdict: HOAKS, sources: [https://…]}", "is required for a klarifikasi-hoaks release")
	}
}

// has reports whether key was written as text (a wrongly typed value is already reported).
func (p *parser) has(key string) bool { _, ok := p.nodes[key]; return ok }

func (p *parser) scalarOf(key string) (string, bool) {
	n, ok := p.nodes[key]
	if !ok {
		return "", false
	}
	s, _ := yamlnode.Scalar(n)
	return strings.TrimSpace(s), true
}

func (p *parser) configName() string {
	if p.cfg.File == "" {
		return "the default configuration (no humas.yaml)"
	}
	return p.cfg.File
}

func (p *parser) accountKeys() []string {
	keys := make([]string, len(p.cfg.Accounts))
	for i, a := range p.cfg.Accounts {
		keys[i] = a.Key
	}
	return keys
}

func enumHint(got string, valid []string) string {
	if s := yamlnode.Suggest(got, valid); s != "" {
		return fmt.Sprintf("did you mean %q? use one of %s", s, strings.Join(valid, ", "))
	}
	return "use one of " + strings.Join(valid, ", ")
}

// time reads a date field in the site's zone and warns when an explicit offset is
// not the site's: readers see the site's zone, and a stray +07:00 is usually a slip.
func (p *parser) time(field, s string) time.Time {
	line := p.line(field)
	if s == "" {
		p.errorf(line, field, config.TimeHint, "is empty")
		return time.Time{}
	}
	t, err := config.ParseTime(s, p.loc)
	if err != nil {
		p.errorf(line, field, config.TimeHintFor(field, err), "%v", err)
		return time.Time{}
	}
	local := t.In(p.loc)
	_, off := t.Zone()
	if _, siteOff := local.Zone(); off != siteOff {
		p.warnf(line, field, "write it as "+local.Format(time.RFC3339)+", or leave the offset out",
			"offset %s is not the site's time zone (%s, %s)", t.Format("-07:00"), p.loc, local.Format("-07:00"))
	}
	return local
}

func (p *parser) targets() {
	seen := map[string]bool{}
	for i, t := range p.r.Targets {
		line := p.line(fmt.Sprintf("targets.%d", i))
		if seen[t] {
			p.errorf(line, "targets", "", "%q is listed twice", t)
			continue
		}
		seen[t] = true
		key, platform, hasPlatform := strings.Cut(t, "/")
		acc, ok := p.cfg.Account(key)
		if !ok {
			p.errorf(line, "targets", "accounts in "+p.configName()+": "+strings.Join(p.accountKeys(), ", "), "%q is not an account", key)
			continue
		}
		if !hasPlatform {
			continue
		}
		switch {
		case !p.cfg.Platforms.Has(platform):
			p.errorf(line, "targets", "platforms: "+p.cfg.Platforms.List(), "unknown platform %q in %q", platform, t)
		case !slices.Contains(acc.PlatformNames(), platform):
			p.errorf(line, "targets", "add "+platform+" to accounts."+key+" in "+p.configName(), "account %q has no %s account", key, platform)
		}
	}
}

func (p *parser) slug() {
	r := p.r
	base := path.Base(p.file)
	underReleases := path.Base(path.Dir(p.file)) == "releases"
	if rel := p.relFile(); strings.HasPrefix(rel, "releases/") && strings.Count(rel, "/") > 1 {
		p.errorf(1, "", "move it to releases/"+base, "a release lives directly in releases/, not in a folder inside it")
	}
	ext := path.Ext(base)
	if underReleases && ext != ".md" {
		want := strings.TrimSuffix(base, ext)
		if strings.EqualFold(path.Ext(want), ".md") { // x.md.txt, as Notepad saves
			want = strings.TrimSuffix(want, path.Ext(want))
		}
		p.errorf(1, "", "rename it to releases/"+want+".md", "humas reads releases named .md, not %s", ext)
		base = want + ".md"
	}
	date, fileSlug, named := splitFileName(base)
	if underReleases {
		valid := named && validSlug(fileSlug)
		if valid {
			if _, err := time.Parse("2006-01-02", date); err != nil {
				valid = false
			}
		}
		if !valid {
			p.errorf(1, "", "name it YYYY-MM-DD-slug.md, e.g. releases/2021-06-09-audiensi-kpu-diskominfo.md (slug: lower case letters, digits and -)", "file name %q is not YYYY-MM-DD-slug.md", base)
		} else if !r.Date.IsZero() && r.Date.Format("2006-01-02") != date {
			p.warnf(p.line("date"), "date", "rename the file or fix the date", "%s does not match the date %s in the file name", r.Date.Format("2006-01-02"), date)
		}
	}
	if r.Slug == "" {
		r.Slug = trimDatePrefix(strings.TrimSuffix(base, path.Ext(base)))
		if !validSlug(r.Slug) && !underReleases {
			p.errorf(1, "slug", "rename the file or set slug: with lower case letters, digits and -", "%q from the file name is not a valid slug", r.Slug)
		}
	} else if !validSlug(r.Slug) {
		p.errorf(p.line("slug"), "slug", "use lower case letters, digits and -, e.g. "+Slugify(r.Slug), "%q is not a valid slug", r.Slug)
	}
	if ReservedSlug(r.Slug) {
		p.errorf(p.line("slug"), "slug", "set another slug: in the front matter, or rename the file",
			"%q is where the site keeps its own pages (%s%s/)", r.Slug, p.cfg.Site.BaseURL, r.Slug)
	}
}

// relFile is the release's path relative to the project root, slash-separated.
func (p *parser) relFile() string {
	if !filepath.IsAbs(p.file) {
		return p.file
	}
	root := p.cfg.Root
	if root == "" {
		root = "."
	}
	if abs, err := filepath.Abs(root); err == nil {
		if rel, err := filepath.Rel(abs, p.file); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return p.file
}

// The file name and slug checks below are slugRE, fileNameRE and datePrefix
// written out: every release goes through them, and the regular expressions
// were a tenth of parsing one.

// validSlug reports whether s is lower case letters, digits and inner hyphens.
func validSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// hasDatePrefix reports whether s starts with four, two and two ASCII digits
// joined and followed by hyphens.
func hasDatePrefix(s string) bool {
	if len(s) < 11 {
		return false
	}
	for i := range 10 {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[10] == '-'
}

func trimDatePrefix(s string) string {
	if hasDatePrefix(s) {
		return s[11:]
	}
	return s
}

// splitFileName splits YYYY-MM-DD-slug.md into its date and slug; the slug is
// anything but empty or a line break, as . in the pattern.
func splitFileName(base string) (date, slug string, ok bool) {
	if !hasDatePrefix(base) || !strings.HasSuffix(base, ".md") || len(base) < 15 {
		return "", "", false
	}
	slug = base[11 : len(base)-3]
	if strings.IndexByte(slug, '\n') >= 0 {
		return "", "", false
	}
	return base[:10], slug, true
}

func (p *parser) image() {
	r := p.r
	if r.Image == "" {
		if r.ImageAlt != "" {
			p.warnf(p.line("image_alt"), "image_alt", "remove it or add image:", "is set but there is no image")
		}
		return
	}
	line := p.line("image")
	if r.ImageAlt == "" {
		p.errorf(line, "image_alt", "describe the picture for readers who cannot see it, e.g. image_alt: Ketua KPU berbicara di depan jajaran Diskominfo", "is required when image is set")
	}
	if u, err := url.Parse(r.Image); err == nil && u.Scheme != "" {
		p.errorf(line, "image", "put the file in the repository and give its path relative to the release", "%q must be a file in the repository, not a URL", r.Image)
		r.Image = ""
		return
	}
	if path.IsAbs(filepath.ToSlash(r.Image)) {
		p.errorf(line, "image", "give the path relative to the release file, e.g. images/audiensi.jpg", "%q must be relative to the release file", r.Image)
		r.Image = ""
		return
	}
	root := p.cfg.Root
	if root == "" {
		root = "."
	}
	rel := path.Join(path.Dir(p.relFile()), filepath.ToSlash(r.Image))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		p.errorf(line, "image", "keep images inside the project, e.g. releases/images/", "%q is outside the project", r.Image)
		r.Image = ""
		return
	}
	written := r.Image
	r.Image = rel
	info, err := inspectImage(root, rel)
	var pe *projfile.Error
	var me *media.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		p.errorf(line, "image", missingImageHint(root, rel, written), "%s does not exist", rel)
	case errors.As(err, &pe):
		p.errorf(line, "image", pe.Hint, "%s %s", rel, pe.Problem)
	case errors.As(err, &me):
		p.errorf(line, "image", me.Hint, "%s is %v", rel, me)
	case err != nil:
		p.errorf(line, "image", "", "%s: %v", rel, err)
	default:
		r.ImageInfo = info
	}
}

// missingImageHint says what to write for an image that is not there: the name of
// the file that is, when only capitals or the extension differ (Windows and macOS
// find Foto.JPG for foto.jpg, the Linux of CI does not), or / between folders
// where Windows writes \.
func missingImageHint(root, rel, written string) string {
	const relative = "the path is relative to the release file"
	if strings.Contains(written, `\`) {
		return "write / between folders, not \\: image: " + strings.ReplaceAll(written, `\`, "/")
	}
	dir, name := path.Split(rel)
	// Only names are read, of a folder of the project reached through no link.
	full, err := filepath.Abs(filepath.Join(root, filepath.FromSlash(dir)))
	if real, lerr := filepath.EvalSymlinks(full); err != nil || lerr != nil || real != full {
		return relative
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		return relative
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	for _, e := range entries {
		other := e.Name()
		if other != name && (strings.EqualFold(other, name) || strings.EqualFold(strings.TrimSuffix(other, path.Ext(other)), stem) && e.Type().IsRegular()) {
			fixed := path.Join(path.Dir(written), other)
			return fmt.Sprintf("the file there is named %s (capitals and extension must match exactly): image: %s", other, fixed)
		}
	}
	return relative
}

// inspectImage reads what the image at rel is from its first bytes, and reads it
// whole only when they are not enough (a JPEG with a large EXIF block first).
func inspectImage(root, rel string) (media.Info, error) {
	files := projfile.New(root)
	head, size, err := files.ReadHead(rel, projfile.Image, 64<<10)
	if err != nil {
		return media.Info{}, err
	}
	info, err := media.Inspect(head)
	if err != nil && size > int64(len(head)) {
		if head, err = files.Read(rel, projfile.Image); err != nil {
			return media.Info{}, err
		}
		info, err = media.Inspect(head)
	}
	info.Bytes = int(size)
	return info, err
}

func (p *parser) hoaxRules() {
	r := p.r
	if r.Hoax == nil {
		return
	}
	if r.Kind != KlarifikasiHoaks {
		p.errorf(p.line("hoax"), "hoax", "set kind: klarifikasi-hoaks, or remove hoax", "only klarifikasi-hoaks releases carry a hoax, this one is %s", r.Kind)
		return
	}
	h := r.Hoax
	if h.Claim == "" {
		p.errorf(p.hoaxLine("hoax.claim"), "hoax.claim", "quote the claim being answered, e.g. claim: Beredar pesan bahwa …", "is required")
	}
	switch {
	case h.Verdict == "":
		p.errorf(p.hoaxLine("hoax.verdict"), "hoax.verdict", "use one of "+strings.Join(Verdicts, ", "), "is required")
	case !slices.Contains(Verdicts, h.Verdict):
		hint := enumHint(h.Verdict, Verdicts)
		if slices.Contains(Verdicts, strings.ToUpper(h.Verdict)) {
			hint = "write it in capitals: " + strings.ToUpper(h.Verdict)
		}
		p.errorf(p.hoaxLine("hoax.verdict"), "hoax.verdict", hint, "unknown verdict %q", h.Verdict)
	}
	if len(h.Sources) == 0 {
		p.errorf(p.hoaxLine("hoax.sources"), "hoax.sources", "link at least one official page, e.g. sources: [https://kota-balikpapan.kpu.go.id/…]", "at least one source is required")
	}
	for i, s := range h.Sources {
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			p.errorf(p.line(fmt.Sprintf("hoax.sources.%d", i)), "hoax.sources", "use the https:// address of the official page", "%q is not an absolute https URL", s)
		}
	}
}

// hoaxLine is the line of a hoax key, or of hoax: itself when the key is missing.
func (p *parser) hoaxLine(key string) int {
	if n, ok := p.r.Lines[key]; ok {
		return n
	}
	return p.line("hoax")
}
