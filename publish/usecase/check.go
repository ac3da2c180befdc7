package usecase

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// CheckRequest asks which releases to check, without the network.
type CheckRequest struct {
	Files          []string // relative to the project root; empty means every release
	Only, Accounts []string // --only, --account
	Now            time.Time
}

// CheckResult is what check found.
type CheckResult struct {
	Checked int
	// Releases is the --json document: every release with the composed post of
	// each target (status dry-run), what holds it back, and its errors and
	// warnings; a release with errors has no targets.
	Releases []pipeline.ReleaseResult
	// Diagnostics are every error and warning, release by release, in the order
	// of the files.
	Diagnostics release.Diagnostics
	// Holds says, per release that will not go out now, why.
	Holds []Held
}

// Held is one release held back, at the line of the field the hold is about.
type Held struct {
	File string
	Line int
	hold.Hold
}

// Position is "releases/x.md:5", or the file alone.
func (h Held) Position() string {
	if h.Line > 0 {
		return fmt.Sprintf("%s:%d", h.File, h.Line)
	}
	return h.File
}

// Err is ErrInvalid when anything is an error, else nil.
func (r CheckResult) Err() error {
	if r.Diagnostics.HasErrors() {
		return ErrInvalid
	}
	return nil
}

// Check validates releases and composes every post of the valid ones, so a text
// that cannot fit its platform, or a picture a platform would refuse, fails
// before merge instead of after it.
func Check(p *project.Project, req CheckRequest) (CheckResult, error) {
	res, _, err := check(p, req)
	return res, err
}

// checked is what check read on its way, for preview and share, which go on with
// the release they checked instead of reading it and the ledger again.
type checked struct {
	valid []*release.Release // the releases without an error of their own file
	found []ledger.Found     // valid's ledger records; nil when the ledger could not be read
}

func check(p *project.Project, req CheckRequest) (CheckResult, checked, error) {
	files := req.Files
	if len(files) == 0 {
		var err error
		if files, err = release.Glob(p.Root); err != nil {
			return CheckResult{}, checked{}, err
		}
	}
	rels, loaded := p.CheckFiles(files)
	diags := slices.Clone(loaded)
	res := CheckResult{Checked: len(files)}
	bad := map[string]bool{}
	for _, d := range loaded.Errors() {
		bad[d.File] = true
	}
	var valid []*release.Release
	for _, r := range rels {
		if !bad[r.File] {
			valid = append(valid, r)
		}
	}
	// What accounts name in the project (an email account's press list) is
	// checked once, whichever releases are: a bad list fails before merge.
	diags = append(diags, accountFiles(p, req.Only, req.Accounts)...)
	lfound, found := ledgerFindings(p, valid, len(req.Files) == 0)
	diags = append(diags, lfound...)
	posts := composeAll(p, valid, req.Only, req.Accounts)
	pol := hold.PolicyOf(p.Config)
	for i, r := range valid {
		c := posts[i]
		rr := pipeline.ReleaseResult{File: r.File, Slug: r.Slug, URL: p.Config.ArticleURL(r.Slug), Targets: []pipeline.TargetResult{}}
		var found release.Diagnostics
		if c.err != nil {
			found = append(found, asDiagnostics(r, c.err)...)
		}
		var pls []*platform.Platform
		for _, t := range c.targets {
			tr := pipeline.TargetResult{Account: t.Account, Platform: t.Platform, Status: pipeline.StatusDryRun,
				Text: t.Text, Length: t.Length, Limit: t.Limit}
			pl, known := p.Config.Platforms.Lookup(t.Platform)
			if known && pl.Sent != nil {
				// What the adapter adds (email's EMBARGO mark) is shown, and held to
				// the limit, as a dry run and the preview show it.
				tr.Text = pl.Sent(publish.Post{Text: t.Text, Document: sentDocument(p, r, req.Now)})
				if pl.Length != nil {
					tr.Length = pl.Length(tr.Text)
				}
			}
			switch {
			case t.Collab:
				// The issuer's post, checked as the issuer's target.
			case tr.Limit > 0 && tr.Length > tr.Limit:
				tr.Error = fmt.Sprintf("%d characters, over the limit of %d", tr.Length, tr.Limit)
				found = append(found, release.Diagnostic{File: r.File, Field: t.Account + "/" + t.Platform, Message: tr.Error})
			case known && pl.CheckText != nil:
				if msg := pl.CheckText(t.Text); msg != "" {
					// The tags' hashtags are capped by compose: what is left over was
					// written in the text itself, where the summary comes from.
					tr.Error = msg
					field, line := compose.SummaryField(r, t.Platform)
					found = append(found, release.Diagnostic{File: r.File, Line: line, Field: field, Message: t.Account + "/" + t.Platform + ": " + msg,
						Hint: "write fewer hashtags or @mentions there, or this platform's own text under posts." + t.Platform})
				}
			}
			found = append(found, t.Warnings...)
			rr.Targets = append(rr.Targets, tr)
			if known && !slices.Contains(pls, pl) {
				pls = append(pls, pl)
			}
		}
		found = append(found, mediaProblems(r, pls)...)
		found = append(found, feedProblems(r)...)
		diags = append(diags, found...)
		if h := pol.Posts(hold.Of(r), req.Now, pls); h.Held() {
			rr.Held = h.Message
			res.Holds = append(res.Holds, Held{File: r.File, Line: line(r, h.Field), Hold: h})
		}
		res.Releases = append(res.Releases, rr)
	}
	// An invalid release is in the document too, with its errors, so --json says
	// why it has no posts.
	res.Releases = append(res.Releases, invalidReleases(p, rels, loaded)...)
	byFile := map[string]*pipeline.ReleaseResult{}
	for i := range res.Releases {
		byFile[res.Releases[i].File] = &res.Releases[i]
	}
	for _, d := range diags {
		if rr := byFile[d.File]; rr != nil {
			if d.Warning {
				rr.Warnings = append(rr.Warnings, d)
			} else {
				rr.Errors = append(rr.Errors, d)
			}
		}
	}
	order := make(map[string]int, len(files))
	for i, f := range files {
		order[p.Rel(f)] = i
	}
	slices.SortStableFunc(res.Releases, func(a, b pipeline.ReleaseResult) int { return order[a.File] - order[b.File] })
	slices.SortStableFunc(diags, func(a, b release.Diagnostic) int { return order[a.File] - order[b.File] })
	res.Diagnostics = diags
	return res, checked{valid: valid, found: found}, nil
}

// accountFiles asks each platform's Check about the accounts that have it, as
// --only and --account narrow them, each file once.
func accountFiles(p *project.Project, only, accounts []string) release.Diagnostics {
	var out release.Diagnostics
	seen := map[string]bool{}
	for _, acc := range p.Config.Accounts {
		for _, pa := range acc.Platforms {
			pl, ok := p.Config.Platforms.Lookup(pa.Platform)
			if !ok || pl.Check == nil || !keep(only, accounts, acc.Key, pa.Platform) {
				continue
			}
			for _, fp := range pl.Check(p.Root, pa) {
				d := release.Diagnostic{File: fp.File, Line: fp.Line, Field: fp.Field, Message: fp.Message, Hint: fp.Hint}
				if k := d.String(); !seen[k] {
					seen[k] = true
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// line is the line of field in r, 0 when there is no field.
func line(r *release.Release, field string) int {
	if field == "" {
		return 0
	}
	return r.Line(field)
}

// asDiagnostics turns a compose error into diagnostics: the structured ones it
// carries, or one naming the release.
func asDiagnostics(r *release.Release, err error) release.Diagnostics {
	var ds release.Diagnostics
	if errors.As(err, &ds) {
		return ds
	}
	return release.Diagnostics{{File: r.File, Message: err.Error()}}
}

type composed struct {
	targets []compose.Target
	err     error
}

// sentDocument is as much of r's whole release as a platform's Sent reads: the
// embargo while it holds at now, and where its time is told.
func sentDocument(p *project.Project, r *release.Release, now time.Time) *publish.Document {
	d := &publish.Document{Location: p.Config.Site.Location}
	if now.Before(r.Embargo) {
		d.Embargo = r.Embargo
	}
	return d
}

// composeAll composes the posts of rels on every CPU, results in the order of rels.
func composeAll(p *project.Project, rels []*release.Release, only, accounts []string) []composed {
	out := make([]composed, len(rels))
	parallel.For(len(rels), runtime.GOMAXPROCS(0), func(i int) {
		ts, err := compose.Compose(p, rels[i])
		out[i] = composed{compose.Filter(ts, only, accounts), err}
	})
	return out
}

// invalidReleases lists the releases with errors, each with no targets and its
// problems joined in Error.
func invalidReleases(p *project.Project, rels []*release.Release, diags release.Diagnostics) []pipeline.ReleaseResult {
	byFile := map[string][]string{}
	var order []string
	for _, d := range diags.Errors() {
		if _, ok := byFile[d.File]; !ok {
			order = append(order, d.File)
		}
		byFile[d.File] = append(byFile[d.File], d.String())
	}
	slugs := map[string]string{}
	for _, r := range rels {
		slugs[r.File] = r.Slug
	}
	invalid := hold.Policy{}.Check(hold.Facts{Invalid: true}, time.Time{}, nil).Message
	var out []pipeline.ReleaseResult
	for _, file := range order {
		rr := pipeline.ReleaseResult{File: file, Slug: slugs[file], Targets: []pipeline.TargetResult{}, Error: strings.Join(byFile[file], "\n"), Held: invalid}
		if rr.Slug != "" {
			rr.URL = p.Config.ArticleURL(rr.Slug)
		}
		out = append(out, rr)
	}
	return out
}

// ledgerFindings checks the ledger as a run would read it (every file of it when
// whole is set: a ledger edited by hand in a pull request is checked before merge
// like a release), and says what a rename of a release already posted will do.
// It returns the record of each of rels too, nil when the ledger was not read.
func ledgerFindings(p *project.Project, rels []*release.Release, whole bool) (release.Diagnostics, []ledger.Found) {
	var out release.Diagnostics
	problem := func(pr ledger.Problem) release.Diagnostic {
		return release.Diagnostic{File: pr.File, Line: pr.Line, Message: pr.Message, Hint: pr.Hint}
	}
	if whole {
		for _, pr := range ledger.Open(p.Root).Check() {
			out = append(out, problem(pr))
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	_, found, err := ledgerOf(p, rels)
	if err != nil {
		return release.Diagnostics{problem(ledger.ProblemOf(err))}, nil
	}
	for i, f := range found {
		if f.New || f.RenamedFrom == "" && f.OldSlug == "" {
			continue
		}
		var posted []string
		for _, k := range f.Keys() {
			if f.Targets[k].State == ledger.Posted {
				posted = append(posted, k)
			}
		}
		var what []string
		switch {
		case f.RenamedFrom != "" && len(posted) > 0:
			what = append(what, fmt.Sprintf("this is %s renamed, already posted to %s: nothing is posted again", f.RenamedFrom, strings.Join(posted, ", ")))
		case f.RenamedFrom != "":
			what = append(what, fmt.Sprintf("this is %s renamed: its ledger record (%s) follows it", f.RenamedFrom, ledger.Path(f.ID)))
		case len(posted) > 0:
			what = append(what, fmt.Sprintf("already posted to %s under another slug: nothing is posted again", strings.Join(posted, ", ")))
		}
		if f.OldSlug != "" {
			what = append(what, fmt.Sprintf("%s will send readers on to %s", p.Config.ArticleURL(f.OldSlug), f.URL))
		}
		d := release.Diagnostic{File: rels[i].File, Message: strings.Join(what, "; "), Warning: true}
		if line, ok := rels[i].Lines["slug"]; ok {
			d.Line, d.Field = line, "slug"
		}
		out = append(out, d)
	}
	return out, found
}

// feedProblems warns of what in r's own text makes every partner's humas refuse
// our whole feed.json (feed.Parse: a script element, characters that hide or
// reorder text): the site publishes it as it is, and our partners would repost
// none of our releases until it is changed. An exempted release is never in the
// feed.
func feedProblems(r *release.Release) release.Diagnostics {
	if r.Classification == release.Dikecualikan {
		return nil
	}
	summaryLine := r.Line("summary")
	if _, ok := r.Lines["summary"]; !ok && r.BodyLine > 0 {
		summaryLine = r.BodyLine // the summary is the body's first paragraph
	}
	type value struct {
		field, key, s string
		line          int
	}
	values := []value{{"title", "title", r.Headline(), r.Line("title")}, {"summary", "summary", r.Summary, summaryLine}, {"number", "number", r.Number, r.Line("number")}}
	for i, t := range r.Tags {
		values = append(values, value{fmt.Sprintf("tags[%d]", i), "tags", t, r.Line("tags")})
	}
	if r.Hoax != nil {
		values = append(values, value{"hoax.claim", "hoax", r.Hoax.Claim, r.Line("hoax")})
	}
	var out release.Diagnostics
	for _, v := range values {
		if err := feed.Refused(v.field, v.s); err != nil {
			out = append(out, release.Diagnostic{File: r.File, Line: v.line, Field: v.key, Warning: true,
				Message: strings.TrimPrefix(err.Error(), v.field+": ") + " in " + feed.FileName,
				Hint:    "partner offices' humas refuse our whole " + feed.FileName + " while it does, and repost none of our releases until it is changed: write it as plain text"})
		}
	}
	return out
}
