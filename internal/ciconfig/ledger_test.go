package ciconfig

import (
	"bytes"
	"encoding/base64"
	"io/fs"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The ledger push of both CI recipes (scripts/commit-ledger), against a real git
// server: git http-backend behind an HTTP server that wants the push token, as
// GitHub and GitLab do.
func TestCommitLedger(t *testing.T) {
	const token = "s3cret-push-token"
	header := "AUTHORIZATION: basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))

	t.Run("one ledger commit lands on main, even from a checkout of another branch", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "feature") // a manual run on a branch nobody merged
		g.write(t, work, ".humas/ledger/rilis.json", `{"kpu/x":"posted"}`)
		g.write(t, work, "templates/unmerged.tmpl", "not reviewed") // left in the work tree
		out, err := g.commitLedger(t, work, header)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		log := g.git(t, g.seed, "log", "--format=%s", "origin/main")
		if log != "ledger: record cross-posts [skip ci]\nmain\n" {
			t.Errorf("main is now:\n%s", log)
		}
		if files := g.git(t, g.seed, "diff", "--name-only", "origin/main~1", "origin/main"); files != ".humas/ledger/rilis.json\n" {
			t.Errorf("the ledger commit changes %q", files)
		}
		if !strings.Contains(out, "ledger recorded on main") {
			t.Errorf("output: %s", out)
		}
		noToken(t, work, token, header)
	})

	t.Run("what repost keeps of the partners' feeds is committed with the ledger", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "main")
		g.write(t, work, ".humas/ledger/mitra.kpu.0123456789abcdef/diskominfo.x.json", `{"state":"posted"}`)
		g.write(t, work, ".humas/partners/kpu.json", `{"feed":"https://kpu.example/feed.json","etag":"\"1\""}`)
		if out, err := g.commitLedger(t, work, header); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		files := g.git(t, g.seed, "diff", "--name-only", "origin/main~1", "origin/main")
		if files != ".humas/ledger/mitra.kpu.0123456789abcdef/diskominfo.x.json\n.humas/partners/kpu.json\n" {
			t.Errorf("the ledger commit changes %q", files)
		}
	})

	t.Run("main moved while the run posted: the commit is replayed on it", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "main")
		g.push(t, "releases/baru.md", "rilis baru") // merged meanwhile
		g.write(t, work, ".humas/ledger/rilis.json", `{"kpu/x":"posted"}`)
		if out, err := g.commitLedger(t, work, header); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if log := g.git(t, g.seed, "log", "--format=%s", "origin/main"); log != "ledger: record cross-posts [skip ci]\nbaru\nmain\n" {
			t.Errorf("main is now:\n%s", log)
		}
	})

	t.Run("a conflict is aborted cleanly, tried again, and then fails saying what to do", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "main")
		g.push(t, ".humas/ledger/rilis.json", `{"kpu/x":"failed"}`)
		g.write(t, work, ".humas/ledger/rilis.json", `{"kpu/x":"posted"}`)
		before := g.git(t, g.seed, "rev-parse", "origin/main")
		out, err := g.commitLedger(t, work, header)
		if err == nil {
			t.Fatalf("a conflicting ledger was pushed:\n%s", out)
		}
		if n := strings.Count(out, "conflicts with main as it is now; aborted"); n != 5 {
			t.Errorf("%d attempts, want 5:\n%s", n, out)
		}
		if !strings.Contains(out, "could not be pushed after 5 attempts: before the next run, commit the .humas/ledger") {
			t.Errorf("output: %s", out)
		}
		for _, dir := range []string{"rebase-merge", "rebase-apply"} {
			if _, err := os.Stat(filepath.Join(work, ".git", dir)); err == nil {
				t.Errorf("a rebase is left in progress (.git/%s)", dir)
			}
		}
		if after := g.git(t, g.seed, "rev-parse", "origin/main"); after != before {
			t.Errorf("main moved to %s", after)
		}
	})

	t.Run("without the token the server refuses the push", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "main")
		g.write(t, work, ".humas/ledger/rilis.json", `{"kpu/x":"posted"}`)
		if out, err := g.commitLedger(t, work, ""); err == nil {
			t.Fatalf("pushed without the token:\n%s", out)
		}
	})

	t.Run("a token in the URL is refused before anything is written", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "main")
		g.write(t, work, ".humas/ledger/rilis.json", `{"kpu/x":"posted"}`)
		g.url = strings.Replace(g.url, "http://", "http://humas:"+token+"@", 1)
		out, err := g.commitLedger(t, work, "")
		if err == nil || !strings.Contains(out, "HUMAS_LEDGER_REMOTE holds credentials") {
			t.Fatalf("err %v:\n%s", err, out)
		}
	})

	t.Run("nothing new: nothing committed", func(t *testing.T) {
		g := newGitServer(t, token)
		work := g.clone(t, "main")
		out, err := g.commitLedger(t, work, header)
		if err != nil || !strings.Contains(out, "nothing new in the ledger") {
			t.Fatalf("%v\n%s", err, out)
		}
	})
}

// noToken fails if the token, or the header carrying it, is anywhere in the
// clone's .git: config, logs, FETCH_HEAD, packed refs.
func noToken(t *testing.T, work string, secrets ...string) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(work, ".git"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(base64.StdEncoding.EncodeToString([]byte("x-access-token:"+s)))) {
				t.Errorf("%s holds the push token", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type gitServer struct {
	dir  string // holds remote.git and the seed clone
	seed string // a clone that pushes to main as colleagues do
	url  string // the remote over HTTP, without credentials
	env  []string
}

func newGitServer(t *testing.T, token string) *gitServer {
	t.Helper()
	for _, tool := range []string{"git", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatal(err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	dir := t.TempDir()
	g := &gitServer{dir: dir, seed: filepath.Join(dir, "seed")}
	// No user or system git configuration: the test sees only what the script sets.
	g.env = append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.invalid")
	remote := filepath.Join(dir, "remote.git")
	g.git(t, dir, "init", "-q", "--bare", "-b", "main", remote)
	g.git(t, remote, "config", "http.receivepack", "true")

	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	backendHandler := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + dir, "GIT_HTTP_EXPORT_ALL=1"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// As GitHub and GitLab: no valid credentials, no access to the repository.
		if !strings.EqualFold(r.Header.Get("Authorization"), want) {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		backendHandler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.url = srv.URL + "/remote.git"

	g.git(t, dir, "clone", "-q", remote, g.seed)
	g.write(t, g.seed, "README.md", "humas")
	g.write(t, g.seed, ".humas/ledger/rilis.json", `{}`)
	g.git(t, g.seed, "add", "-A")
	g.git(t, g.seed, "commit", "-q", "-m", "main")
	g.git(t, g.seed, "push", "-q", "origin", "HEAD:main")
	g.git(t, g.seed, "checkout", "-q", "-b", "feature")
	g.write(t, g.seed, "templates/evil.tmpl", "unreviewed")
	g.git(t, g.seed, "add", "-A")
	g.git(t, g.seed, "commit", "-q", "-m", "feature")
	g.git(t, g.seed, "push", "-q", "origin", "feature")
	g.git(t, g.seed, "checkout", "-q", "main")
	return g
}

// clone checks out branch in a new clone, as CI does.
func (g *gitServer) clone(t *testing.T, branch string) string {
	t.Helper()
	work, err := os.MkdirTemp(g.dir, "work")
	if err != nil {
		t.Fatal(err)
	}
	g.git(t, g.dir, "clone", "-q", "-b", branch, filepath.Join(g.dir, "remote.git"), work)
	return work
}

// push commits a file on main from the seed clone, as a colleague's merge.
func (g *gitServer) push(t *testing.T, file, content string) {
	t.Helper()
	g.git(t, g.seed, "pull", "-q", "origin", "main")
	g.write(t, g.seed, file, content)
	g.git(t, g.seed, "add", "-A")
	g.git(t, g.seed, "commit", "-q", "-m", strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	g.git(t, g.seed, "push", "-q", "origin", "HEAD:main")
}

func (g *gitServer) commitLedger(t *testing.T, work, auth string) (string, error) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join(root, "scripts", "commit-ledger"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Dir = work
	cmd.Env = append(g.env, "HUMAS_LEDGER_REMOTE="+g.url, "HUMAS_LEDGER_AUTH="+auth, "HUMAS_LEDGER_PAUSE=0", "GITHUB_OUTPUT=")
	out, err := cmd.CombinedOutput()
	if err == nil {
		g.git(t, g.seed, "fetch", "-q", "origin")
	}
	return string(out), err
}

func (g *gitServer) write(t *testing.T, dir, file, content string) {
	t.Helper()
	path := filepath.Join(dir, file)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (g *gitServer) git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, g.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
