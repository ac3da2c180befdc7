package ciconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/balikpapan/humas/publish/presskit"
)

// The press kit is drawn once per content and kept between CI runs: the job that
// builds the site restores presskit.Dir before `humas build` and saves it after,
// and the GitLab recipe's pages job caches it. Without it every run draws every
// card and PDF again, minutes at a few thousand releases. The cache is keyed by
// the humas binary too, so humas is built without the commit stamped into it: a
// merge of releases leaves it the same humas.
func TestCIKeepsThePressKitBetweenRuns(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "site.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string         `yaml:"uses"`
				Run  string         `yaml:"run"`
				With map[string]any `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatal(err)
	}
	restore, build, save := -1, -1, -1
	for i, s := range wf.Jobs["build"].Steps {
		path, _ := s.With["path"].(string)
		switch {
		case strings.HasPrefix(s.Uses, "actions/cache/restore@") && path == presskit.Dir:
			restore = i
		case strings.HasPrefix(s.Uses, "actions/cache/save@") && path == presskit.Dir:
			save = i
		case strings.Contains(s.Run, "humas build"):
			build = i
			if !strings.Contains(s.Run, "-buildvcs=false") {
				t.Errorf("site.yml builds with %q: a humas stamped with the commit is a new humas at every merge, and draws every card again", s.Run)
			}
		}
	}
	if restore < 0 || build < 0 || save < 0 || !(restore < build && build < save) {
		t.Errorf("site.yml, job build: restore %s at step %d, humas build at %d, save at %d: want them in that order", presskit.Dir, restore, build, save)
	}

	gl, err := os.ReadFile(filepath.Join(root, "docs", "gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var recipe map[string]any
	if err := yaml.Unmarshal(gl, &recipe); err != nil {
		t.Fatal(err)
	}
	job, _ := recipe["pages"].(map[string]any)
	cache, _ := job["cache"].(map[string]any)
	var script, paths []string
	for _, l := range list(job["script"]) {
		script = append(script, fmt.Sprint(l))
	}
	for _, l := range list(cache["paths"]) {
		paths = append(paths, strings.TrimSuffix(fmt.Sprint(l), "/"))
	}
	if !strings.Contains(strings.Join(script, "\n"), "go run -buildvcs=false ./cmd/humas build") || len(paths) != 1 || paths[0] != presskit.Dir {
		t.Errorf("gitlab-ci.yml, job pages: script %q caches %q, want %s", script, paths, presskit.Dir)
	}
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}
