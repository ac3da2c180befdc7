package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Paths of the checkers inside the repository, installed by npm ci in e2e/.
const (
	axePath = "e2e/node_modules/axe-core/axe.min.js"
	vnuPath = "e2e/node_modules/vnu-jar/build/dist/vnu.jar"
)

// axeViolation is the part of an axe-core violation a person needs to fix it.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs the WCAG 2.1 A and AA rules on the page and returns their violations.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	.then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
	})))`

// checkAccessibility injects axe-core into the page open in ctx and fails the test
// with every WCAG 2.1 A/AA violation it finds.
func checkAccessibility(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	violations, err := axeViolations(ctx)
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	for _, v := range violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s\n    %s", page, v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    at %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		t.Error(b.String())
	}
}

func axeViolations(ctx context.Context) ([]axeViolation, error) {
	src, err := os.ReadFile(filepath.Join(suite.repo, axePath))
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	return violations, nil
}

// vnuMessage is one finding of the Nu HTML Checker.
type vnuMessage struct {
	Type     string `json:"type"` // "error", "info", "non-document-error"
	SubType  string `json:"subType"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
	Page     string `json:"-"` // the name the test gave the page
}

// validateHTML runs the Nu HTML Checker once over pages (name to HTML) and fails the
// test with every error; warnings are logged. One run for all pages, because the JVM
// start costs more than the checks.
func validateHTML(t *testing.T, pages map[string][]byte) {
	t.Helper()
	requireTools(t)
	msgs, err := checkHTML(t.TempDir(), pages)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.isError() {
			t.Errorf("%s:%d: vnu: %s\n    %s", m.Page, m.LastLine, m.Message, m.Extract)
		} else if m.SubType == "warning" {
			t.Logf("%s:%d: vnu warning: %s", m.Page, m.LastLine, m.Message)
		}
	}
}

func (m vnuMessage) isError() bool { return m.Type == "error" || m.Type == "non-document-error" }

// checkHTML writes pages into dir, runs vnu on them and returns its messages, each
// with the name of its page.
func checkHTML(dir string, pages map[string][]byte) ([]vnuMessage, error) {
	names := map[string]string{} // file URL suffix to page name
	var files []string
	i := 0
	for name, html := range pages {
		i++
		f := filepath.Join(dir, fmt.Sprintf("page%d.html", i))
		if err := os.WriteFile(f, html, 0o644); err != nil {
			return nil, err
		}
		files = append(files, f)
		names[filepath.Base(f)] = name
	}
	cmd := exec.Command("java", append([]string{"-jar", filepath.Join(suite.repo, vnuPath), "--format", "json", "--exit-zero-always"}, files...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("vnu: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	// vnu writes its JSON report to stderr.
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		return nil, fmt.Errorf("vnu: read report: %v\n%s", err, stderr.String())
	}
	for i := range report.Messages {
		report.Messages[i].Page = names[filepath.Base(report.Messages[i].URL)]
	}
	return report.Messages, nil
}
