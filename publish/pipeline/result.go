package pipeline

import (
	"strings"
	"unicode"

	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/release"
)

// Statuses of a target in a Result (SPEC section 5).
const (
	StatusPosted        = "posted"
	StatusAlreadyPosted = "already-posted"
	StatusFailed        = "failed"
	StatusPending       = "pending"
	StatusSkipped       = "skipped"
	StatusDryRun        = "dry-run"
)

// Result is what publish --json and status --json print.
type Result struct {
	Releases []ReleaseResult `json:"releases"`
}

// ReleaseResult is one release and its targets.
type ReleaseResult struct {
	File    string         `json:"file"`
	Slug    string         `json:"slug"`
	URL     string         `json:"url"`
	Targets []TargetResult `json:"targets"`
	// Held says what will keep a release previewed by a dry run from going out
	// now (an embargo, a blackout, the archive); empty when nothing does.
	Held string `json:"held,omitempty"`
	// Error is why the release itself could not be read or checked (file:line:
	// field: message, one a line); its targets are then empty.
	Error string `json:"error,omitempty"`
	// Errors and Warnings are check's findings, one object each (file, line,
	// field, message, hint), so a script need not parse Error.
	Errors   release.Diagnostics `json:"errors,omitempty"`
	Warnings release.Diagnostics `json:"warnings,omitempty"`
}

// TargetResult is one target of one release. Note and Image are for the terminal
// only: the JSON document is exactly the one SPEC section 5 fixes.
type TargetResult struct {
	Account  string `json:"account"`
	Platform string `json:"platform"`
	Status   string `json:"status"`
	ID       string `json:"id"`
	URL      string `json:"url"`
	Text     string `json:"text"`
	Length   int    `json:"length"`
	Limit    int    `json:"limit"`
	Error    string `json:"error"`

	Note string `json:"-"` // "adopted", "quotes 1403…", "not quoting: …"
	// Needs is NeedsDecision or NeedsPerson when the target cannot go on without
	// a person; Error says what to do.
	Needs string `json:"-"`
	// Fix is what a person can do about a failure for good, "" when humas
	// cannot say (Error then says what the platform said).
	Fix     string `json:"-"`
	Image   string `json:"-"` // file name of the attached image, if any
	QuoteOf string `json:"-"` // remote id quoted, on X
}

// Failed reports whether any target failed: the run exits 1.
func (r Result) Failed() bool {
	for _, rel := range r.Releases {
		for _, t := range rel.Targets {
			if t.Status == StatusFailed {
				return true
			}
		}
	}
	return false
}

// StatusOf shows a ledger record as a release result, its targets in key order,
// for releases whose file is gone or when no composing is wanted.
func StatusOf(rec *ledger.Record) ReleaseResult {
	rr := ReleaseResult{File: rec.File, Slug: rec.Slug, URL: rec.URL, Targets: []TargetResult{}}
	for _, k := range rec.Keys() {
		a, p := ledger.SplitKey(k)
		rr.Targets = append(rr.Targets, fromLedger(TargetResult{Account: a, Platform: p}, rec.Targets[k]))
	}
	return rr
}

// oneLine is what the ledger says in words (an error, its fix) on one line and
// without control characters, however it was recorded (by an older humas, or by
// hand): it is printed, a line of its own is a workflow command in a CI log, and
// an escape sequence rewrites a terminal.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}

// fromLedger fills tr from what the ledger says of the target (nil: never tried).
func fromLedger(tr TargetResult, lt *ledger.Target) TargetResult {
	if lt == nil {
		tr.Status = StatusPending
		tr.Note = "not published yet"
		return tr
	}
	tr.ID, tr.URL, tr.Error, tr.QuoteOf = lt.ID, lt.URL, oneLine(lt.Error), lt.QuoteOf
	switch lt.State {
	case ledger.Posted:
		tr.Status = StatusPosted
	case ledger.Failed:
		tr.Status = StatusFailed
	default:
		tr.Status = StatusPending
		tr.Note = "a run stopped mid-request; the next publish looks on the platform before posting"
		if len(lt.Recipients) > 0 {
			tr.Note = "a run stopped mid-list; the next publish sends to the rest, to the unsure ones with the same Message-ID"
		}
	}
	return tr
}
