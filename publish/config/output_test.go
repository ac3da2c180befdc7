package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSiteOutputMustBeAFolderOfItsOwn(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{".git", ".humas/ledger", "releases", "templates", "real-public", "elsewhere"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"to-root":     ".",
		"to-releases": "releases",
		"to-public":   "real-public",
		"to-parent":   "..",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		output string
		want   string // "" for allowed
	}{
		{"public", ""},
		{"site/public", ""},
		{"real-public", ""},
		{"to-public", ""},
		{"to-public/sub", ""},
		{".", `"." is the project folder itself`},
		{"./", `"./" is the project folder itself`},
		{"public/..", `"public/.." is the project folder itself`},
		{".git", `".git" is .git/, which holds the repository`},
		{".humas", `".humas" is .humas/, which holds the ledger of what was posted`},
		{".humas/ledger", `".humas/ledger" is inside .humas/, which holds the ledger`},
		{"releases", `"releases" is releases/, which holds the releases`},
		{"releases/site", `"releases/site" is inside releases/`},
		{"templates", `"templates" is templates/`},
		{"elsewhere/../templates/x", `is inside templates/`},
		{"to-root", `"to-root" is the project folder itself (through a symbolic link)`},
		{"to-root/public", ""}, // the project's public/
		{"to-releases", `"to-releases" is releases/, which holds the releases (through a symbolic link)`},
		{"to-parent", `"to-parent" holds the project folder (through a symbolic link)`},
	}
	for _, tt := range tests {
		t.Run(tt.output, func(t *testing.T) {
			got := OutputProblem(root, tt.output)
			if tt.want == "" && got != "" {
				t.Errorf("refused: %s", got)
			}
			if tt.want != "" && !strings.Contains(`"`+tt.output+`" `+got, tt.want) {
				t.Errorf("OutputProblem = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadRefusesAnOutputThatIsTheProjectWithItsLine(t *testing.T) {
	root := t.TempDir()
	src := strings.Replace(good, "  timezone: Asia/Jakarta\n", "  timezone: Asia/Jakarta\n  output: .\n", 1)
	if err := os.WriteFile(filepath.Join(root, FileName), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(root)
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 1 {
		t.Fatalf("err = %v, want one problem", err)
	}
	if got := ce.Error(); got != `humas.yaml:5: site.output: "." is the project folder itself: `+OutputHint {
		t.Errorf("got %s", got)
	}
}

func TestLoadRefusesAnOutputLinkedToTheLedger(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".humas", "ledger"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".humas", filepath.Join(root, "public")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, FileName), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	// Parsed alone, the default "public" is fine; in this project it is .humas.
	if _, err := Parse(FileName, []byte(good)); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(root); err == nil || !strings.Contains(err.Error(), `site.output: "public" is .humas/, which holds the ledger of what was posted (through a symbolic link)`) {
		t.Errorf("err = %v", err)
	}
}
