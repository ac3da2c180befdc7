package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// ChangedReleases lists the release files added or modified in revRange ("A..B"),
// relative to root, as CI publishes on merge. Deleted and renamed-away files are not
// listed; a renamed release counts as added.
func ChangedReleases(ctx context.Context, root, revRange string) ([]string, error) {
	if revRange == "" || strings.HasPrefix(revRange, "-") {
		return nil, fmt.Errorf("--changed %q: want a revision range such as HEAD~1..HEAD", revRange)
	}
	cmd := exec.CommandContext(ctx, "git", "-C", root, "diff", "--name-only", "--relative",
		"--no-renames", "--diff-filter=AM", revRange, "--", "releases/")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("--changed %s: git diff: %s", revRange, msg)
	}
	var files []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if strings.HasSuffix(line, ".md") {
			files = append(files, line)
		}
	}
	return files, nil
}
