package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/pipeline"
)

// The job summary is Markdown that GitHub renders, with HTML, on the run's page.
// What a target needs quotes a platform's answer or the ledger (which a pull request
// may edit by hand): it is shown as written, never as a link, a picture or a mention.
func TestTheJobSummaryShowsErrorsAsText(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	f := &Factory{Getenv: func(k string) string {
		if k == "GITHUB_STEP_SUMMARY" {
			return summary
		}
		return ""
	}}
	hostile := "ditolak <img src=https://evil.example/p.png> [perbarui token](https://evil.example/login) @kpu-admins ``x``"
	res := pipeline.Result{Releases: []pipeline.ReleaseResult{{File: "releases/2021-06-09-audiensi.md", Targets: []pipeline.TargetResult{
		{Account: "kpu", Platform: "facebook", Status: pipeline.StatusFailed, Needs: pipeline.NeedsPerson, Error: hostile},
	}}}}
	if err := jobSummary(f, res); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	var item string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "- ") {
			item = strings.TrimPrefix(l, "- ")
		}
	}
	// A code span longer than any run of backticks inside it: its text is literal.
	if !strings.HasPrefix(item, "``` ") || !strings.HasSuffix(item, " ```") || !strings.Contains(item, hostile) {
		t.Fatalf("summary item %q: want the line as a code span", item)
	}
}
