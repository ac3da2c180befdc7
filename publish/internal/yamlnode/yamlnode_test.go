package yamlnode

import (
	"errors"
	"strings"
	"testing"
)

func TestFieldsKeepFileOrderAndLines(t *testing.T) {
	n, err := Parse([]byte("# comment\nzeta: 1\nalpha: [a, b]\nmid:\n  k: v\nempty:\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	fields, ok := Fields(n)
	if !ok {
		t.Fatal("not a mapping")
	}
	want := []struct {
		key  string
		line int
		kind string
	}{{"zeta", 2, "a number"}, {"alpha", 3, "a list"}, {"mid", 4, "a mapping"}, {"empty", 6, "empty"}}
	if len(fields) != len(want) {
		t.Fatalf("got %d fields, want %d", len(fields), len(want))
	}
	for i, w := range want {
		f := fields[i]
		if f.Key != w.key || f.Line != w.line || Kind(f.Value) != w.kind {
			t.Errorf("field %d = %s line %d %s, want %s line %d %s", i, f.Key, f.Line, Kind(f.Value), w.key, w.line, w.kind)
		}
	}
}

func TestScalarKeepsTheWrittenText(t *testing.T) {
	n, err := Parse([]byte("id: 100000000000001\nphone: \"+62 542\"\nzero: 0012\nyes: true\nblock: |\n  a\n  b\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	fields, _ := Fields(n)
	want := []string{"100000000000001", "+62 542", "0012", "true", "a\nb\n"}
	for i, f := range fields {
		s, ok := Scalar(f.Value)
		if !ok || s != want[i] {
			t.Errorf("%s: Scalar = %q, %v; want %q", f.Key, s, ok, want[i])
		}
	}
}

func TestSyntaxErrorLinesCountFromFirstLine(t *testing.T) {
	_, err := Parse([]byte("a: 1\na: 2\n"), 10)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *SyntaxError", err)
	}
	if se.Line != 11 || se.Message != `mapping key "a" already defined on line 10` {
		t.Errorf("got line %d %q", se.Line, se.Message)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"title", "summary", "image_alt", "username", "x"}
	tests := []struct{ typo, want string }{
		{"tittle", "title"},
		{"sumary", "summary"},
		{"imagealt", "image_alt"},
		{"usrname", "username"},
		{"Title", "title"},
		{"facebook", ""},
		{"y", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typo, func(t *testing.T) {
			if got := Suggest(tt.typo, known); got != tt.want {
				t.Errorf("Suggest(%q) = %q, want %q", tt.typo, got, tt.want)
			}
		})
	}
}

func TestDeepNestingIsRefusedBeforeParsing(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
	}{
		{"flow lists", "title: A\ntags: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n", 2},
		{"flow maps", "a: " + strings.Repeat("{b: ", 30) + "c" + strings.Repeat("}", 30) + "\n", 1},
		{"block entries", "a:\n" + strings.Repeat("- ", 30) + "x\n", 2},
		{"flow after a quote in a word", "title: it's\ntags: " + strings.Repeat("[", 30) + strings.Repeat("]", 30) + "\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), 1)
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Message, "levels deep, more than the 20 humas reads") || se.Line != tc.line {
				t.Fatalf("err = %v, want a syntax error on line %d about depth", err, tc.line)
			}
		})
	}
	// What humas files hold is well within the limit.
	for _, src := range []string{
		"accounts:\n  kpu:\n    x: {username: kpu}\n    facebook:\n      page_id: \"1\"\nblackout:\n  - {from: 2024-02-11, to: 2024-02-14}\n",
		"hoax:\n  sources:\n    - https://a\n    - [x, [y, [z]]]\n",
		"summary: |\n  [tautan] dan {kurung} biasa [[satu]]\n",
	} {
		if _, err := Parse([]byte(src), 1); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestATrailingDocumentMarkerIsAnEmptyDocument(t *testing.T) {
	for _, src := range []string{"a: 1\n---\n", "a: 1\n---", "---\na: 1\n---\n", "a: 1\n...\n---\n"} {
		n, err := Parse([]byte(src), 1)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if fields, _ := Fields(n); len(fields) != 1 || fields[0].Key != "a" {
			t.Errorf("%q: fields = %+v", src, fields)
		}
	}
	_, err := Parse([]byte("a: 1\n---\nb: 2\n"), 1)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || se.Message != "more than one YAML document" {
		t.Errorf("two documents: err = %v", err)
	}
}
