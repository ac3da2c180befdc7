// Package yamlnode walks a parsed YAML document by hand, so that humas.yaml and release
// front matter can be read strictly, in file order, with the line of every key.
package yamlnode

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// SyntaxError is YAML that cannot be parsed at all.
type SyntaxError struct {
	Line    int // 1-based, relative to the parsed text
	Message string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d: %s", e.Line, e.Message) }

// Parse parses src as one YAML document and returns its top node, nil when src holds
// nothing but comments and blank lines. A SyntaxError's line counts from firstLine,
// the line of the file src starts on; node lines (Line, Field.Line) count from 1.
func Parse(src []byte, firstLine int) (ast.Node, error) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		shift := firstLine - 1
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil {
			return nil, &SyntaxError{Line: se.Token.Position.Line + shift, Message: cleanMessage(se.Message, shift)}
		}
		var de *yaml.DuplicateKeyError
		if errors.As(err, &de) && de.Token != nil {
			return nil, &SyntaxError{Line: de.Token.Position.Line + shift, Message: cleanMessage(de.Message, shift)}
		}
		return nil, &SyntaxError{Line: firstLine, Message: cleanMessage(err.Error(), shift)}
	}
	if len(f.Docs) == 0 {
		return nil, nil
	}
	if len(f.Docs) > 1 {
		return nil, &SyntaxError{Line: Line(f.Docs[1]) + firstLine - 1, Message: "more than one YAML document"}
	}
	return Unwrap(f.Docs[0].Body), nil
}

// position is how goccy/go-yaml names a place in a message: "[3:1]".
var position = regexp.MustCompile(`at \[(\d+):\d+\]`)

// cleanMessage makes a parser message read like ours: one line, lower case, and any
// position as a line of the file.
func cleanMessage(s string, shift int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = position.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(position.FindStringSubmatch(m)[1])
		return fmt.Sprintf("on line %d", n+shift)
	})
	if s == "" {
		return "invalid YAML"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Unwrap strips anchors and tags, which carry no meaning for humas.
func Unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// Line is the 1-based line where n starts, 0 when unknown.
func Line(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// Field is one key of a mapping.
type Field struct {
	Key   string
	Line  int
	Value ast.Node // nil for a key written with no value
}

// Fields returns the keys of a mapping in file order; ok is false when n is not a
// mapping. A null node is an empty mapping.
func Fields(n ast.Node) (fields []Field, ok bool) {
	n = Unwrap(n)
	var values []*ast.MappingValueNode
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode:
		values = v.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{v}
	default:
		return nil, false
	}
	fields = make([]Field, 0, len(values))
	for _, mv := range values {
		key := ""
		if mv.Key != nil {
			if s, ok := Scalar(mv.Key); ok {
				key = s
			} else {
				key = mv.Key.String()
			}
		}
		val := Unwrap(mv.Value)
		if _, null := val.(*ast.NullNode); null {
			val = nil
		}
		fields = append(fields, Field{Key: key, Line: Line(mv.Key), Value: val})
	}
	return fields, true
}

// Items returns the entries of a sequence; ok is false when n is not a sequence.
func Items(n ast.Node) (items []ast.Node, ok bool) {
	switch v := Unwrap(n).(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.SequenceNode:
		items = make([]ast.Node, len(v.Values))
		for i, it := range v.Values {
			items[i] = Unwrap(it)
		}
		return items, true
	}
	return nil, false
}

// Scalar returns the text of a scalar as written (without quotes), so that a page id
// written as a bare number or a phone number keeps its digits; ok is false for
// mappings, sequences and aliases.
func Scalar(n ast.Node) (string, bool) {
	switch v := Unwrap(n).(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value, true
	case *ast.NullNode, nil:
		return "", true
	}
	return "", false
}

// Bool returns the value of a YAML boolean; ok is false for anything else.
func Bool(n ast.Node) (value, ok bool) {
	b, ok := Unwrap(n).(*ast.BoolNode)
	if !ok {
		return false, false
	}
	return b.Value, true
}

// Kind names the type of n the way an error message should: "a list", "a mapping".
func Kind(n ast.Node) string {
	switch Unwrap(n).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.NullNode, nil:
		return "empty"
	case *ast.AliasNode:
		return "an alias"
	}
	return "text"
}

// Suggest returns the candidate nearest to s by edit distance, or "" when none is
// near enough to be what was meant.
func Suggest(s string, candidates []string) string {
	best, bestD := "", len(s)/3+1
	for _, c := range candidates {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
