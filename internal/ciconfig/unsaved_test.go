package ciconfig

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The check every posting job runs first (scripts/check-ledger-saved): while a run's
// ledger that could not be pushed waits as the artifact ledger-<account>, the
// institution's job posts nothing, since main lacks that run's records and
// Instagram, Telegram and the press list would get the release again. Against a
// fake of GitHub's REST API, reached through GITHUB_API_URL as Actions sets it.
func TestCheckLedgerSaved(t *testing.T) {
	const token = "ghs_s3cret-job-token"
	const repoID = 42

	t.Run("no artifact: the job posts", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		out, err := f.check(t, "kpu", token)
		if err != nil || !strings.Contains(out, "no unsaved ledger of kpu") {
			t.Fatalf("%v\n%s", err, out)
		}
	})

	t.Run("an unsaved ledger: refused, saying what to do; deleted: the schedule goes on", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		f.add(artifact{ID: 9001, Name: "ledger-kpu", Run: 777, Branch: "main", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-30T10:15:00Z"})
		out, err := f.check(t, "kpu", token)
		if err == nil {
			t.Fatalf("posted while the ledger of run 777 is unsaved:\n%s", out)
		}
		for _, want := range []string{
			"humas: refusing to post for kpu: 1 earlier run(s) could not push their ledger to main (the artifact ledger-kpu)",
			"artifact 9001 of run https://github.com/balikpapan/humas/actions/runs/777",
			"gh run download 777 -R balikpapan/humas -n ledger-kpu -D .humas",
			"commit .humas/ledger/ and .humas/partners/ and push them to main",
			"gh api -X DELETE repos/balikpapan/humas/actions/artifacts/9001",
			"::error title=Unsaved ledger of kpu::ledger-kpu", // on the run's page, not only in the log
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the refusal lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, token) {
			t.Errorf("the token is in the output:\n%s", out)
		}
		f.delete(9001) // what the person does last, with gh api -X DELETE
		if out, err := f.check(t, "kpu", token); err != nil {
			t.Fatalf("still refused once the artifact is deleted: %v\n%s", err, out)
		}
	})

	t.Run("several unsaved ledgers: each named, oldest first", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		f.add(artifact{ID: 12, Name: "ledger-kpu", Run: 702, Branch: "main", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-30T10:30:00Z"})
		f.add(artifact{ID: 11, Name: "ledger-kpu", Run: 701, Branch: "main", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-30T10:15:00Z"})
		out, err := f.check(t, "kpu", token)
		if err == nil {
			t.Fatalf("posted:\n%s", out)
		}
		if i, j := strings.Index(out, "runs/701"), strings.Index(out, "runs/702"); i < 0 || j < 0 || i > j {
			t.Errorf("want run 701 then 702:\n%s", out)
		}
	})

	t.Run("only the institution's own ledger stops it", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		f.add(artifact{ID: 5, Name: "ledger-diskominfo", Run: 700, Branch: "main", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-30T10:15:00Z"})
		if out, err := f.check(t, "kpu", token); err != nil {
			t.Fatalf("KPU refused for Diskominfo's ledger: %v\n%s", err, out)
		}
		if out, err := f.check(t, "diskominfo", token); err == nil {
			t.Fatalf("Diskominfo posted over its own unsaved ledger:\n%s", out)
		}
	})

	t.Run("an expired artifact, a fork's, another branch's: none counts", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		f.add(artifact{ID: 1, Name: "ledger-kpu", Run: 600, Branch: "main", RepoID: repoID, HeadRepoID: repoID, Created: "2026-08-01T10:15:00Z", Expired: true})
		// A fork's pull request runs its own workflow and may name an artifact anything.
		f.add(artifact{ID: 2, Name: "ledger-kpu", Run: 601, Branch: "main", RepoID: repoID, HeadRepoID: 4242, Created: "2026-11-30T10:15:00Z"})
		f.add(artifact{ID: 3, Name: "ledger-kpu", Run: 602, Branch: "feature", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-30T10:15:00Z"})
		if out, err := f.check(t, "kpu", token); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	})

	t.Run("an unsaved ledger on a later page is found", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		for i := range 150 {
			f.add(artifact{ID: 100 + i, Name: "ledger-kpu", Run: 100 + i, Branch: "feature", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-30T10:15:00Z"})
		}
		f.add(artifact{ID: 9999, Name: "ledger-kpu", Run: 99, Branch: "main", RepoID: repoID, HeadRepoID: repoID, Created: "2026-11-01T10:15:00Z"})
		out, err := f.check(t, "kpu", token)
		if err == nil || !strings.Contains(out, "artifacts/9999") {
			t.Fatalf("%v\n%s", err, out)
		}
	})

	t.Run("a token that may not read Actions: refused, not posted", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		out, err := f.check(t, "kpu", "ghs_contents-only")
		if err == nil || !strings.Contains(out, "HTTP 403: Resource not accessible by integration") || !strings.Contains(out, "actions: read") {
			t.Fatalf("%v\n%s", err, out)
		}
		if strings.Contains(out, "ghs_contents-only") {
			t.Errorf("the token is in the output:\n%s", out)
		}
	})

	t.Run("an answer that is not the list: refused, not posted", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		// GITHUB_API_URL set to the web site, not the API: a page, with 200.
		site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!DOCTYPE html><title>GitHub</title>")
		}))
		t.Cleanup(site.Close)
		f.srv.URL = site.URL
		out, err := f.check(t, "kpu", token)
		if err == nil || !strings.Contains(out, "did not answer with the list of artifacts") {
			t.Fatalf("%v\n%s", err, out)
		}
	})

	t.Run("GitHub unreachable: refused, not posted", func(t *testing.T) {
		f := newFakeGitHub(t, token)
		f.srv.Close()
		out, err := f.check(t, "kpu", token)
		if err == nil || !strings.Contains(out, "could not ask GitHub") {
			t.Fatalf("%v\n%s", err, out)
		}
	})
}

type artifact struct {
	ID, Run, RepoID, HeadRepoID int
	Name, Branch, Created       string
	Expired                     bool
}

// fakeGitHub answers GET /repos/{owner}/{repo}/actions/artifacts as the REST API
// does ("List artifacts for a repository",
// https://docs.github.com/en/rest/actions/artifacts#list-artifacts-for-a-repository).
type fakeGitHub struct {
	srv   *httptest.Server
	token string

	mu        sync.Mutex
	artifacts []artifact // newest first, as GitHub lists them
}

func newFakeGitHub(t *testing.T, token string) *fakeGitHub {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (GitHub's runners have it): %v", tool, err)
		}
	}
	f := &fakeGitHub{token: token}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) add(a artifact) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.artifacts = append(f.artifacts, a)
}

func (f *fakeGitHub) delete(id int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, a := range f.artifacts {
		if a.ID == id {
			f.artifacts = append(f.artifacts[:i], f.artifacts[i+1:]...)
			return
		}
	}
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	// Every answer is JSON, errors included: {"message", "documentation_url", "status"}
	// (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	fail := func(code int, msg string) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest/actions/artifacts#list-artifacts-for-a-repository", "status": strconv.Itoa(code)})
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		// The repository is private: without a token, no access
		// (https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api).
		fail(http.StatusUnauthorized, "Requires authentication")
		return
	case auth != "Bearer "+f.token:
		// A job token without actions: read ("The fine-grained token must have the
		// following permission set: Actions repository permissions (read)").
		fail(http.StatusForbidden, "Resource not accessible by integration")
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/repos/balikpapan/humas/actions/artifacts" {
		fail(http.StatusNotFound, "Not Found")
		return
	}
	q := r.URL.Query()
	// per_page: default 30, max 100; page: from 1 (query parameters of the endpoint).
	perPage, page := 30, 1
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		perPage = min(n, 100)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		page = n
	}
	f.mu.Lock()
	var match []artifact
	for _, a := range f.artifacts {
		// name: "When specified, only artifacts with this name will be returned."
		if name := q.Get("name"); name == "" || a.Name == name {
			match = append(match, a)
		}
	}
	f.mu.Unlock()
	list := []map[string]any{}
	for i := (page - 1) * perPage; i < len(match) && i < page*perPage; i++ {
		a := match[i]
		list = append(list, map[string]any{
			"id": a.ID, "node_id": fmt.Sprintf("MDg6QXJ0aWZhY3Q%d", a.ID), "name": a.Name, "size_in_bytes": 2048,
			"url":                  fmt.Sprintf("%s/repos/balikpapan/humas/actions/artifacts/%d", f.srv.URL, a.ID),
			"archive_download_url": fmt.Sprintf("%s/repos/balikpapan/humas/actions/artifacts/%d/zip", f.srv.URL, a.ID),
			"expired":              a.Expired, "created_at": a.Created, "updated_at": a.Created, "expires_at": "2027-02-28T10:15:00Z",
			"workflow_run": map[string]any{"id": a.Run, "repository_id": a.RepoID, "head_repository_id": a.HeadRepoID, "head_branch": a.Branch, "head_sha": "0123456789abcdef0123456789abcdef01234567"},
		})
	}
	json.NewEncoder(w).Encode(map[string]any{"total_count": len(match), "artifacts": list})
}

func (f *fakeGitHub) check(t *testing.T, account, token string) (string, error) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join(root, "scripts", "check-ledger-saved"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "HUMAS_ACCOUNT="+account, "GITHUB_REPOSITORY=balikpapan/humas", "GH_TOKEN="+token,
		"GITHUB_API_URL="+f.srv.URL, "GITHUB_SERVER_URL=https://github.com", "HUMAS_LEDGER_BRANCH=", "GITHUB_ACTIONS=true")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
