// Package ciconfig checks that the CI configuration holds the institutions'
// secrets like a bank: each secret reaches only the step that posts for its
// institution, every job asks for the permissions it needs and no more, every
// action is pinned by commit, and a run never posts from a branch nobody merged.
package ciconfig

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

var (
	expressionRE = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	secretRefRE  = regexp.MustCompile(`\bsecrets\b(\.([A-Za-z_][A-Za-z0-9_]*))?`)
	tokenRefRE   = regexp.MustCompile(`\bgithub\.token\b|\bsecrets\.GITHUB_TOKEN\b`)
	usesLineRE   = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$`)
	pinnedRE     = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
	versionRE    = regexp.MustCompile(`^v\d+(\.\d+)*\b`)
	// publish and repost post; each with --dry-run does not.
	humasRunRE = regexp.MustCompile(`humas"?\s+(publish|repost)\b`)
	goRunRE    = regexp.MustCompile(`(^|[\s;&|(])(go|"?\$RUNNER_TEMP/humas"?|\./humas|humas)\s`)
)

// Workflow lists what is wrong with one GitHub Actions workflow, one problem a
// line, "publish.yml: jobs.site: no permissions: …"; none when it is sound.
func Workflow(name string, src []byte) []string {
	var wf map[string]any
	if err := yaml.Unmarshal(src, &wf); err != nil {
		return []string{fmt.Sprintf("%s: %v", name, err)}
	}
	c := &checker{name: name}
	c.pins(src)

	perms, ok := wf["permissions"]
	if !ok {
		c.add("permissions", "no top-level permissions: the default token may write; set permissions: {} and give each job its own")
	} else if writes(perms) {
		c.add("permissions", "top-level permissions write: every job gets them; set permissions: {} and give each job its own")
	}
	if env, ok := wf["env"]; ok {
		c.noSecrets("env", env, "a workflow's env reaches every step")
	}

	jobs, _ := wf["jobs"].(map[string]any)
	names := slices.Sorted(maps.Keys(jobs))
	guards := map[string]bool{} // jobs that refuse any ref but main
	for _, jn := range names {
		j, _ := jobs[jn].(map[string]any)
		for _, s := range steps(j) {
			if run, _ := s["run"].(string); strings.Contains(run, "refs/heads/main") && strings.Contains(run, "exit 1") {
				guards[jn] = true
			}
		}
	}
	dispatch := strings.Contains(string(src), "workflow_dispatch")
	for _, jn := range names {
		j, _ := jobs[jn].(map[string]any)
		at := "jobs." + jn
		if _, ok := j["permissions"]; !ok {
			c.add(at, "no permissions: the job gets the workflow's; say what it needs (permissions: {} for nothing)")
		}
		for _, k := range slices.Sorted(maps.Keys(j)) {
			switch k {
			case "steps":
			case "secrets":
				c.add(at+".secrets", fmt.Sprintf("passes secrets (%v) to a reusable workflow: each job of it would see them", j[k]))
			default:
				c.noSecrets(at+"."+k, j[k], "only a posting step's env may hold a secret")
			}
		}
		account := institution(j["environment"])
		posts := false
		checkID := "" // the id of the job's unsaved-ledger check, once it ran
		for i, s := range steps(j) {
			sat := fmt.Sprintf("%s.steps[%d]", at, i)
			if n, ok := s["name"].(string); ok {
				sat += " (" + n + ")"
			}
			run, _ := s["run"].(string)
			posting := humasRunRE.MatchString(run) && !strings.Contains(run, "--dry-run")
			posts = posts || posting
			if id, ok := unsavedLedgerCheck(s, account); ok && checkID == "" {
				checkID = id
				if id == "" {
					c.add(sat, "give the unsaved-ledger check an id, so that the posting steps can require its success")
				}
				if !grants(j["permissions"], "actions") {
					c.add(at, "checks for an unsaved ledger without permissions: actions: read; GitHub would refuse to list the artifacts")
				}
			}
			if posting {
				switch {
				case checkID == "" && account != "":
					c.add(sat, fmt.Sprintf("posts without first refusing while an earlier run's ledger is unsaved: run scripts/check-ledger-saved (HUMAS_ACCOUNT: %s) in a step with an id before it", account))
				case checkID != "" && !requiresSuccess(s["if"], checkID):
					c.add(sat, fmt.Sprintf("runs even when the unsaved-ledger check refused: without if:, or with steps.%s.outcome == 'success' in it", checkID))
				}
			}
			for k, v := range s {
				if k == "env" {
					continue
				}
				c.noSecrets(sat+"."+k, v, "only a posting step's env may hold a secret")
			}
			if uses, _ := s["uses"].(string); strings.HasPrefix(uses, "actions/checkout@") {
				if with, _ := s["with"].(map[string]any); with == nil || fmt.Sprint(with["persist-credentials"]) != "false" {
					c.add(sat, "checkout keeps the job's token in .git/config for every later step: set persist-credentials: false")
				}
			}
			env, _ := s["env"].(map[string]any)
			for _, k := range slices.Sorted(maps.Keys(env)) {
				val := fmt.Sprint(env[k])
				for _, e := range expressionRE.FindAllStringSubmatch(val, -1) {
					expr := e[1]
					if tokenRefRE.MatchString(expr) && (posting || goRunRE.MatchString(run)) {
						c.add(sat+".env."+k, "the job's token reaches a step that runs humas or Go: give it only to the step that pushes")
					}
					for _, m := range secretRefRE.FindAllStringSubmatch(expr, -1) {
						secret := m[2]
						switch {
						case secret == "GITHUB_TOKEN":
							continue // checked above, as github.token
						case !posting:
							c.add(sat+".env."+k, fmt.Sprintf("secret %s in a step that does not post", orWhole(secret)))
						case account == "":
							c.add(sat+".env."+k, fmt.Sprintf("secret %s in a job without an institution's environment (humas-<account>): it would be a repository secret, readable by any workflow on any branch", orWhole(secret)))
						case secret == "" || secret != k:
							c.add(sat+".env."+k, "a secret is given under its own name, one by one, never renamed or whole")
						case !strings.HasPrefix(secret, accountPrefix(account)):
							c.add(sat+".env."+k, fmt.Sprintf("secret %s in the job of %s: an institution's step sees only its own secrets (%s*)", secret, account, accountPrefix(account)))
						}
					}
				}
			}
		}
		if posts && dispatch && !needsGuard(jn, jobs, guards, map[string]bool{}) {
			c.add(at, "posts, and a manual run may start it on any branch: make it need a job that refuses any ref but refs/heads/main")
		}
		if posts && account == "" {
			c.add(at, "posts without an institution's environment (humas-<account>, deployable from main only)")
		}
	}
	return c.problems
}

// unsavedLedgerCheck reports whether step s is scripts/check-ledger-saved for
// account, run whatever failed before it (a step skipped would refuse nothing),
// and its id.
func unsavedLedgerCheck(s map[string]any, account string) (id string, ok bool) {
	run, _ := s["run"].(string)
	env, _ := s["env"].(map[string]any)
	if !strings.Contains(run, "scripts/check-ledger-saved") || account == "" || fmt.Sprint(env["HUMAS_ACCOUNT"]) != account {
		return "", false
	}
	if cond, ok := s["if"]; ok && !strings.Contains(fmt.Sprint(cond), "always()") {
		return "", false
	}
	id, _ = s["id"].(string)
	return id, true
}

// requiresSuccess reports whether a step with condition cond is skipped when
// the step id failed: no if: (success() of every step before), or one that
// asks for that step's success.
func requiresSuccess(cond any, id string) bool {
	if cond == nil {
		return true
	}
	c := strings.Join(strings.Fields(fmt.Sprint(cond)), " ")
	for _, q := range []string{"'", `"`} {
		for _, field := range []string{"outcome", "conclusion"} {
			if strings.Contains(c, "steps."+id+"."+field+" == "+q+"success"+q) {
				return true
			}
		}
	}
	return !strings.Contains(c, "always()") && !strings.Contains(c, "cancelled()") && !strings.Contains(c, "failure()")
}

// grants reports whether a job's permissions let it read scope.
func grants(perms any, scope string) bool {
	switch p := perms.(type) {
	case string:
		return p == "read-all" || p == "write-all"
	case map[string]any:
		v := fmt.Sprint(p[scope])
		return v == "read" || v == "write"
	}
	return false
}

type checker struct {
	name     string
	problems []string
}

func (c *checker) add(at, msg string) {
	c.problems = append(c.problems, fmt.Sprintf("%s: %s: %s", c.name, at, msg))
}

// pins checks every uses: line of src: a remote action or reusable workflow is
// pinned by a full commit SHA, with the version it is in a comment; a Docker image
// by digest. Tags and branches move; a commit does not.
func (c *checker) pins(src []byte) {
	for i, line := range strings.Split(string(src), "\n") {
		m := usesLineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ref, comment := m[1], strings.TrimSpace(m[2])
		at := fmt.Sprintf("line %d", i+1)
		switch {
		case strings.HasPrefix(ref, "./"):
		case strings.HasPrefix(ref, "docker://"):
			if !strings.Contains(ref, "@sha256:") {
				c.add(at, fmt.Sprintf("%s is not pinned by digest", ref))
			}
		case !pinnedRE.MatchString(ref):
			c.add(at, fmt.Sprintf("%s is not pinned by a full commit SHA: use owner/repo@<40 hex> # vX.Y.Z", ref))
		case !versionRE.MatchString(comment):
			c.add(at, fmt.Sprintf("%s: say which version the commit is, in a comment: # vX.Y.Z", ref))
		}
	}
}

// noSecrets reports every secret or token reference under v.
func (c *checker) noSecrets(at string, v any, why string) {
	walk(at, v, func(path, s string) {
		for _, e := range expressionRE.FindAllStringSubmatch(s, -1) {
			if secretRefRE.MatchString(e[1]) || tokenRefRE.MatchString(e[1]) {
				c.add(path, fmt.Sprintf("%s here: %s", strings.TrimSpace(e[0]), why))
			}
		}
	})
}

func walk(path string, v any, visit func(path, s string)) {
	switch v := v.(type) {
	case string:
		visit(path, v)
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			walk(path+"."+k, v[k], visit)
		}
	case []any:
		for i, e := range v {
			walk(fmt.Sprintf("%s[%d]", path, i), e, visit)
		}
	}
}

func steps(j map[string]any) []map[string]any {
	list, _ := j["steps"].([]any)
	var out []map[string]any
	for _, s := range list {
		if m, ok := s.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// writes reports whether a permissions value grants any write.
func writes(perms any) bool {
	switch p := perms.(type) {
	case string:
		return p == "write-all"
	case map[string]any:
		for _, v := range p {
			if fmt.Sprint(v) == "write" {
				return true
			}
		}
	}
	return false
}

// institution is the account of a job's environment, "kpu" for humas-kpu; "" when
// the job names no institution's environment.
func institution(env any) string {
	name := ""
	switch e := env.(type) {
	case string:
		name = e
	case map[string]any:
		name, _ = e["name"].(string)
	}
	acct, ok := strings.CutPrefix(name, "humas-")
	if !ok || strings.Contains(acct, "${{") {
		return ""
	}
	return acct
}

// accountPrefix is how humas names an account's variables: HUMAS_KPU_.
func accountPrefix(account string) string {
	return "HUMAS_" + strings.ToUpper(strings.ReplaceAll(account, "-", "_")) + "_"
}

func needsGuard(job string, jobs map[string]any, guards, seen map[string]bool) bool {
	if seen[job] {
		return false
	}
	seen[job] = true
	j, _ := jobs[job].(map[string]any)
	var needs []string
	switch n := j["needs"].(type) {
	case string:
		needs = []string{n}
	case []any:
		for _, e := range n {
			needs = append(needs, fmt.Sprint(e))
		}
	}
	for _, n := range needs {
		if guards[n] || needsGuard(n, jobs, guards, seen) {
			return true
		}
	}
	return false
}

func orWhole(secret string) string {
	if secret == "" {
		return "(the whole secrets context)"
	}
	return secret
}

var (
	credentialURLRE = regexp.MustCompile(`[a-z+]+://[^\s/"'@]*@`)
	imageRE         = regexp.MustCompile(`^\s*image:\s*["']?([^\s"'#]+)`)
)

// GitLab lists what is wrong with the GitLab recipe: a credential in a URL, an
// image not pinned by digest (or, for the image variable, no job refusing to run
// on one not pinned), a posting job without an environment to scope its variables.
func GitLab(name string, src []byte) []string {
	c := &checker{name: name}
	for i, line := range strings.Split(string(src), "\n") {
		at := fmt.Sprintf("line %d", i+1)
		if credentialURLRE.MatchString(line) {
			c.add(at, "a credential in a URL ends up in .git/config and .git/logs: give it to git as an http.extraHeader through the environment (scripts/commit-ledger)")
		}
		if m := imageRE.FindStringSubmatch(line); m != nil {
			img := m[1]
			guarded := strings.Contains(string(src), `*@sha256:*) ;;`) && strings.Contains(string(src), "CI_JOB_IMAGE")
			if !strings.Contains(img, "@sha256:") && !(strings.HasPrefix(img, "$") && guarded) {
				c.add(at, fmt.Sprintf("image %s is not pinned by digest, and no job refuses an unpinned one", img))
			}
		}
	}
	var doc map[string]any
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return append(c.problems, fmt.Sprintf("%s: %v", name, err))
	}
	for _, jn := range slices.Sorted(maps.Keys(doc)) {
		j, ok := doc[jn].(map[string]any)
		if !ok || strings.HasPrefix(jn, ".") {
			continue
		}
		script := fmt.Sprint(j["script"])
		if ext, ok := j["extends"].(string); ok {
			if base, ok := doc[ext].(map[string]any); ok {
				script += fmt.Sprint(base["script"])
			}
		}
		posts := humasRunRE.MatchString(script) && !strings.Contains(script, "--dry-run")
		if posts && institution(j["environment"]) == "" {
			c.add(jn, "posts without an environment humas-<account>: its variables would reach every job of the pipeline")
		}
		if posts && !strings.Contains(script, "--account") {
			c.add(jn, "posts for every institution at once: run one job per institution with --account")
		}
	}
	return c.problems
}
