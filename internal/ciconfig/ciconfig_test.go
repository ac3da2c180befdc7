package ciconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/platform/all"
)

const root = "../.."

func TestTheWorkflowsHoldSecretsLikeABank(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("workflows: %v %v", files, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Workflow(filepath.Base(f), src) {
			t.Error(p)
		}
	}
}

func TestTheGitLabRecipeHoldsSecretsLikeABank(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "docs", "gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range GitLab("gitlab-ci.yml", src) {
		t.Error(p)
	}
}

// The workflows as they were before issue 9 (testdata/before, from commit
// 6d2b556): every weakness the issue lists is found.
func TestTheChecksFindWhatWasWrongBefore(t *testing.T) {
	read := func(name string) []byte {
		src, err := os.ReadFile(filepath.Join("testdata", "before", name))
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	tests := []struct {
		name  string
		check func(string, []byte) []string
		want  []string
	}{
		{"publish.yml", Workflow, []string{
			"publish.yml: permissions: top-level permissions write",
			"publish.yml: env.HUMAS_KPU_X_API_KEY: ${{ secrets.HUMAS_KPU_X_API_KEY }} here: a workflow's env reaches every step",
			"publish.yml: jobs.site: no permissions",
			"publish.yml: jobs.publish: no permissions",
			"publish.yml: line 51: actions/checkout@v4 is not pinned by a full commit SHA",
			"publish.yml: line 61: actions/deploy-pages@v4 is not pinned by a full commit SHA",
			"publish.yml: jobs.publish: posts, and a manual run may start it on any branch",
			"publish.yml: jobs.publish: posts without an institution's environment",
			"publish.yml: jobs.publish.steps[0]: checkout keeps the job's token in .git/config",
		}},
		{"pull-request.yml", Workflow, []string{
			"pull-request.yml: jobs.check: no permissions",
			"pull-request.yml: line 25: actions/checkout@v4 is not pinned by a full commit SHA",
		}},
		{"gitlab-ci.yml", GitLab, []string{
			"gitlab-ci.yml: line 10: image golang:1.26 is not pinned by digest",
			"gitlab-ci.yml: line 69: a credential in a URL",
			"gitlab-ci.yml: publish: posts without an environment humas-<account>",
			"gitlab-ci.yml: publish: posts for every institution at once",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.check(tt.name, read(tt.name))
			for _, w := range tt.want {
				if !slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, w) }) {
					t.Errorf("missing %q", w)
				}
			}
			if t.Failed() {
				t.Logf("found:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// Each rule on its own, so that a later edit of the real workflows cannot make
// one of them unreachable without a test noticing.
func TestEachRuleOfTheWorkflowCheck(t *testing.T) {
	const head = "on: [push, workflow_dispatch]\npermissions: {}\njobs:\n"
	const guard = "  main-only:\n    permissions: {}\n    steps:\n      - run: '[ \"$REF\" = refs/heads/main ] || exit 1'\n"
	const checkout = "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n        with: {persist-credentials: false}\n"
	const check = "      - id: unsaved\n        run: scripts/check-ledger-saved\n        env: {HUMAS_ACCOUNT: kpu, GH_TOKEN: '${{ github.token }}'}\n"
	post := func(env, secrets string) string {
		return "  post:\n    needs: [main-only]\n    permissions: {contents: write, actions: read}\n    environment: " + env + "\n    steps:\n" + checkout + check +
			"      - run: humas publish --account kpu --pending\n        env:\n" + secrets
	}
	const kpu = "          HUMAS_KPU_X_API_KEY: ${{ secrets.HUMAS_KPU_X_API_KEY }}\n"
	tests := []struct {
		name, src, want string
	}{
		{"sound", head + guard + post("humas-kpu", kpu), ""},
		{"another institution's secret", head + guard + post("humas-kpu", "          HUMAS_DISKOMINFO_X_API_KEY: ${{ secrets.HUMAS_DISKOMINFO_X_API_KEY }}\n"),
			"an institution's step sees only its own secrets"},
		{"a renamed secret", head + guard + post("humas-kpu", "          KEY: ${{ secrets.HUMAS_KPU_X_API_KEY }}\n"), "never renamed or whole"},
		{"the whole secrets context", head + guard + post("humas-kpu", "          ALL: ${{ toJSON(secrets) }}\n"), "never renamed or whole"},
		{"a repository secret", head + guard + post("production", kpu), "without an institution's environment"},
		{"a secret in a step that does not post", head + guard + post("humas-kpu", kpu) + "      - run: go build ./...\n        env: {K: '${{ secrets.HUMAS_KPU_X_API_KEY }}'}\n",
			"in a step that does not post"},
		{"a secret in a dry run", head + guard + strings.Replace(post("humas-kpu", kpu), "--pending", "--pending --dry-run", 1), "in a step that does not post"},
		{"a repost posts", head + guard + strings.Replace(post("humas-kpu", kpu), "humas publish --account kpu --pending", "humas repost --account kpu", 1), ""},
		{"a repost without an institution's environment", head + guard + strings.Replace(post("production", kpu), "humas publish --account kpu --pending", "humas repost --account kpu", 1),
			"without an institution's environment"},
		{"a secret in a repost dry run", head + guard + strings.Replace(post("humas-kpu", kpu), "humas publish --account kpu --pending", "humas repost --dry-run", 1), "in a step that does not post"},
		{"a secret inline in run", head + guard + "  build:\n    permissions: {}\n    steps:\n      - run: echo ${{ secrets.HUMAS_KPU_X_API_KEY }}\n",
			"only a posting step's env may hold a secret"},
		{"a secret in a job's env", head + guard + "  build:\n    permissions: {}\n    env: {K: '${{ secrets.X }}'}\n    steps: [{run: 'true'}]\n",
			"only a posting step's env may hold a secret"},
		{"secrets passed to a reusable workflow", head + guard + "  site:\n    permissions: {}\n    uses: ./.github/workflows/site.yml\n    secrets: inherit\n",
			"passes secrets (inherit)"},
		{"the token where humas runs", head + guard + strings.Replace(post("humas-kpu", kpu), kpu, kpu+"          T: ${{ github.token }}\n", 1),
			"the job's token reaches a step that runs humas or Go"},
		{"a job without permissions", head + guard + "  build:\n    steps: [{run: 'true'}]\n", "jobs.build: no permissions"},
		{"no top-level permissions", strings.Replace(head, "permissions: {}\n", "", 1) + guard, "no top-level permissions"},
		{"write at the top", strings.Replace(head, "{}", "{contents: write}", 1) + guard, "top-level permissions write"},
		{"a tag", head + guard + "  build:\n    permissions: {}\n    steps:\n      - uses: actions/setup-go@v7\n", "not pinned by a full commit SHA"},
		{"a short SHA", head + guard + "  build:\n    permissions: {}\n    steps:\n      - uses: actions/setup-go@b7ad1da # v7.0.0\n", "not pinned by a full commit SHA"},
		{"a SHA without its version", head + guard + "  build:\n    permissions: {}\n    steps:\n      - uses: actions/setup-go@b7ad1dad31e06c5925ef5d2fc7ad053ef454303e\n",
			"say which version the commit is"},
		{"a docker image by tag", head + guard + "  build:\n    permissions: {}\n    steps:\n      - uses: docker://golang:1.26\n", "not pinned by digest"},
		{"a checkout that keeps the token", head + guard + strings.Replace(post("humas-kpu", kpu), "        with: {persist-credentials: false}\n", "", 1),
			"set persist-credentials: false"},
		{"no unsaved-ledger check before posting", head + guard + strings.Replace(post("humas-kpu", kpu), check, "", 1),
			"posts without first refusing while an earlier run's ledger is unsaved"},
		{"the check of another institution", head + guard + strings.Replace(post("humas-kpu", kpu), "HUMAS_ACCOUNT: kpu", "HUMAS_ACCOUNT: diskominfo", 1),
			"posts without first refusing while an earlier run's ledger is unsaved"},
		{"the check only after posting", head + guard + strings.Replace(post("humas-kpu", kpu), check, "", 1) + check,
			"posts without first refusing while an earlier run's ledger is unsaved"},
		{"a check that may be skipped", head + guard + strings.Replace(post("humas-kpu", kpu), "      - id: unsaved\n", "      - id: unsaved\n        if: github.event_name == 'schedule'\n", 1),
			"posts without first refusing while an earlier run's ledger is unsaved"},
		{"a check without an id", head + guard + strings.Replace(post("humas-kpu", kpu), "      - id: unsaved\n        run:", "      - run:", 1),
			"give the unsaved-ledger check an id"},
		{"a post that runs even when the check refused", head + guard + strings.Replace(post("humas-kpu", kpu), "      - run: humas publish", "      - if: ${{ !cancelled() }}\n        run: humas publish", 1),
			"runs even when the unsaved-ledger check refused"},
		{"a post that runs after failures, but only once the check passed", head + guard +
			strings.Replace(post("humas-kpu", kpu), "      - run: humas publish", "      - if: ${{ !cancelled() && steps.unsaved.outcome == 'success' }}\n        run: humas publish", 1), ""},
		{"the check without actions: read", head + guard + strings.Replace(post("humas-kpu", kpu), ", actions: read", "", 1),
			"without permissions: actions: read"},
		{"a manual run on any branch", head + strings.Replace(post("humas-kpu", kpu), "    needs: [main-only]\n", "", 1),
			"a manual run may start it on any branch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Workflow("w.yml", []byte(tt.src))
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems in a sound workflow:\n%s", strings.Join(got, "\n"))
			case tt.want != "" && !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tt.want) }):
				t.Errorf("want %q, found:\n%s\nin:\n%s", tt.want, strings.Join(got, "\n"), tt.src)
			}
		})
	}
}

// Every credential the registry names reaches its institution's posting step: a
// platform added to humas (Instagram, Telegram, the press by email) posts from CI
// only once the workflow hands it its variables.
func TestThePostingStepsGetEveryPlatformsCredentials(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "publish.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range []string{"diskominfo", "kpu"} {
		for _, p := range all.Platforms() {
			for _, c := range p.Credentials {
				v := publish.EnvName(acc, c.Field)
				if line := v + ": ${{ secrets." + v + " }}"; !strings.Contains(string(src), line) {
					t.Errorf("publish.yml: the %s step lacks %s", acc, line)
				}
			}
		}
	}
}

// A repost step gets the credentials of every platform a partner's release may be
// reposted on, and no other secret: a Telegram repost once failed in CI for want
// of its bot token, while the step never needs Instagram's token or the mail
// server's password.
func TestTheRepostStepsGetTheRepostPlatformsCredentials(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "publish.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Environment any
			Steps       []struct {
				Name string
				Run  string
				Env  map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for jn, j := range wf.Jobs {
		acc := institution(j.Environment)
		for _, s := range j.Steps {
			if !humasRunRE.MatchString(s.Run) || !strings.Contains(s.Run, " repost") || strings.Contains(s.Run, "--dry-run") {
				continue
			}
			found[acc] = true
			var want []string
			for _, p := range all.Platforms() {
				if p.Reposts() {
					for _, c := range p.Credentials {
						want = append(want, publish.EnvName(acc, c.Field))
					}
				}
			}
			var got []string
			for k, v := range s.Env {
				if strings.Contains(v, "secrets.") {
					got = append(got, k)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("publish.yml: jobs.%s step %q: secrets %v, want %v", jn, s.Name, got, want)
			}
		}
	}
	for _, acc := range []string{"diskominfo", "kpu"} {
		if !found[acc] {
			t.Errorf("publish.yml: no repost step for %s", acc)
		}
	}
}

// A pull request that edits only the ledger by hand is checked before merge like a
// release (check reads every file of it): the workflow's paths filter once left
// such a pull request without any check at all.
func TestAPullRequestEditingTheLedgerIsChecked(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "pull-request.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			PullRequest struct {
				Paths []string `yaml:"paths"`
			} `yaml:"pull_request"`
		} `yaml:"on"`
	}
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatal(err)
	}
	paths := wf.On.PullRequest.Paths
	if len(paths) == 0 {
		return // every pull request runs it
	}
	if want := ledger.Dir + "/**"; !slices.Contains(paths, want) {
		t.Errorf("pull-request.yml: on.pull_request.paths %q lacks %q", paths, want)
	}
}
