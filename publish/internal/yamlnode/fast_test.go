package yamlnode

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// same reports the first difference between two trees, "" when there is none.
func same(path string, a, b *Node) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	}
	if a.Type != b.Type || a.Text != b.Text || a.Bool != b.Bool || a.Line != b.Line || a.Block != b.Block {
		return fmt.Sprintf("%s: fast %+v, full %+v", path, *a, *b)
	}
	if len(a.Items) != len(b.Items) || len(a.Fields) != len(b.Fields) {
		return fmt.Sprintf("%s: fast has %d items %d fields, full %d and %d", path, len(a.Items), len(a.Fields), len(b.Items), len(b.Fields))
	}
	for i := range a.Items {
		if d := same(fmt.Sprintf("%s[%d]", path, i), a.Items[i], b.Items[i]); d != "" {
			return d
		}
	}
	for i := range a.Fields {
		fa, fb := a.Fields[i], b.Fields[i]
		if fa.Key != fb.Key || fa.Line != fb.Line {
			return fmt.Sprintf("%s: key %q line %d vs %q line %d", path, fa.Key, fa.Line, fb.Key, fb.Line)
		}
		if d := same(path+"."+fa.Key, fa.Value, fb.Value); d != "" {
			return d
		}
	}
	return ""
}

// agree checks that when the fast reader accepts src, goccy/go-yaml reads the same tree.
func agree(t *testing.T, name, src string) (fastOK bool) {
	t.Helper()
	fast, ok := parseFast(src)
	if !ok {
		return false
	}
	full, err := parseFull([]byte(src), 1)
	if err != nil {
		t.Errorf("%s: fast reader accepted YAML goccy rejects (%v):\n%s", name, err, src)
		return true
	}
	if d := same("", fast, full); d != "" {
		t.Errorf("%s: trees differ at %s\n%s", name, d, src)
	}
	return true
}

func TestFastReaderAgreesOnTrickyYAML(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		accept bool // whether the fast reader should handle it rather than give up
	}{
		{"scalars of every type", "a: text\nb: 12\nc: 1.5\nd: true\ne: False\nf: ~\ng: null\nh: 0x1F\ni: .inf\nj: 2021-06-09T13:00:00+08:00\nk: 012/HM/KPU-BPP/VI/2021\n", true},
		{"quotes and escapes", "a: \"x \\\"y\\\" \\\\ z\"\nb: 'it''s'\nc: \"#not comment\"\nd: 'a: b' # comment\n", true},
		{"comments everywhere", "# top\na: b # trailing\n# between\nc: d#not-a-comment\n", true},
		{"nested block mappings", "site:\n  title: A\n  inner:\n    deep: 1\nnext: 2\n", true},
		{"block sequences", "tags:\n  - a\n  - \"b\"\nsame:\n- x\n- y\n", true},
		{"sequence of mappings", "blackout:\n  - from: 2024-02-11\n    to: 2024-02-14\n    reason: masa tenang\n  - {from: a, to: b}\n", true},
		{"flow collections", "t: [a, 'b c', \"d,e\", https://x.test/a?b=c]\nm: {name: Humas KPU, phone: \"+62 542 000000\", email: humas@example.go.id}\ne: []\nf: {}\n", true},
		{"empty values", "a:\nb: \nc: # nothing\nd:\n  e: 1\n", true},
		{"windows line ends", "a: b\r\nc: [d, e]\r\n", true},
		{"colon without space stays text", "url: https://kpu.go.id/a:b\ntime: 13:00\n", true},
		{"block scalar", "summary: |\n  line one\n  line two\n", false},
		{"folded plain over lines", "title: a long\n  title\n", false},
		{"anchors and aliases", "a: &x 1\nb: *x\n", false},
		{"repeated key", "a: 1\na: 2\n", false},
		{"tabs", "a:\tb\n", false},
		{"nested flow", "a: [[1, 2]]\n", false},
		{"flow over lines", "a: [1,\n  2]\n", false},
		{"multiple documents", "a: 1\n---\nb: 2\n", false},
		{"quoted key", "\"a\": 1\n", false},
		{"colon space in plain", "a: b: c\n", false},
		{"unterminated quote", "a: \"b\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := agree(t, tt.name, tt.src); got != tt.accept {
				t.Errorf("fast reader accepted = %v, want %v", got, tt.accept)
			}
			// Whatever the fast reader does, Parse must succeed or fail like goccy.
			_, errFull := parseFull([]byte(tt.src), 1)
			_, err := Parse([]byte(tt.src), 1)
			if (err == nil) != (errFull == nil) {
				t.Errorf("Parse err = %v, goccy err = %v", err, errFull)
			}
		})
	}
}

// TestFastReaderAgreesOnTheProjectFiles runs both readers over every front matter and
// humas.yaml the repository holds: examples, the default and the test scenarios.
func TestFastReaderAgreesOnTheProjectFiles(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	docs := map[string]string{}
	add := func(name string, data []byte) {
		s := string(data)
		if strings.HasSuffix(name, ".md") {
			rest, ok := strings.CutPrefix(s, "---\n")
			if !ok {
				return
			}
			fm, _, ok := strings.Cut(rest, "\n---\n")
			if !ok {
				return
			}
			s = fm + "\n"
		}
		docs[name] = s
	}
	for _, pattern := range []string{"humas.yaml", "publish/config/default.yaml", "releases/*.md", "templates/release.md"} {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			add(f, data)
		}
	}
	scripts, _ := filepath.Glob(filepath.Join(root, "cmd", "humas", "testdata", "script", "*.txtar"))
	for _, s := range scripts {
		ar, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".md") || strings.HasSuffix(f.Name, ".yaml") {
				add(s+":"+f.Name, f.Data)
			}
		}
	}
	if len(docs) < 10 {
		t.Fatalf("found only %d documents; is the repository layout different?", len(docs))
	}
	accepted := 0
	for name, src := range docs {
		if agree(t, name, src) {
			accepted++
		}
	}
	// The fast path is only worth having if it takes the ordinary files.
	if accepted*10 < len(docs)*8 {
		t.Errorf("fast reader took only %d of %d documents", accepted, len(docs))
	}
}

func FuzzFastReaderAgrees(f *testing.F) {
	for _, s := range []string{
		"title: A\ndate: 2021-06-09\ntags: [a, b]\n",
		"contact: {name: A, phone: \"+62\"}\nposts:\n  x: a\n",
		"blackout:\n  - {from: 2024-02-11, to: 2024-02-14}\n",
		"a:\n- b\n- c: d\n  e: f\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		agree(t, "fuzz", src)
	})
}
