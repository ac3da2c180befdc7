// Package yamlnode reads YAML into a small tree with the line of every key, so that
// humas.yaml and release front matter can be checked strictly, in file order.
//
// Front matter is short and simple, and parsing it is most of what loading 10,000
// releases costs, so a fast reader handles the plain subset humas files use (block
// mappings and sequences, plain and quoted scalars, one-line flow lists and maps) and
// gives up on anything else, which goccy/go-yaml then parses in full. Both produce
// the same tree; fast_test.go holds them to that.
package yamlnode

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Type is what a node holds.
type Type int

// Node types.
const (
	Null Type = iota
	String
	Number
	Boolean
	Mapping
	Sequence
	Other // aliases, merge keys: YAML humas does not use
)

// Node is one value of a document. A nil *Node is a key written without a value.
type Node struct {
	Type   Type
	Text   string // a scalar as written, without quotes
	Bool   bool   // for Boolean
	Line   int    // 1-based, relative to the parsed text
	Block  bool   // a block scalar (| or >): its text starts on the line after Line
	Items  []*Node
	Fields []Field
}

// Field is one key of a mapping.
type Field struct {
	Key   string
	Line  int
	Value *Node // nil for a key written with no value
}

// SyntaxError is YAML that cannot be parsed at all.
type SyntaxError struct {
	Line    int // counted from the firstLine given to Parse
	Message string
	Hint    string // what to do, "" when the message says it
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d: %s", e.Line, e.Message) }

// Parse parses src as one YAML document and returns its top node, nil when src holds
// nothing but comments and blank lines. A SyntaxError's line counts from firstLine,
// the line of the file src starts on; node lines count from 1.
func Parse(src []byte, firstLine int) (*Node, error) {
	if n, ok := parseFast(string(src)); ok {
		return n, nil
	}
	if line, depth := nesting(src); depth > MaxDepth {
		return nil, &SyntaxError{Line: line + firstLine - 1, Message: fmt.Sprintf("nested %d levels deep, more than the %d humas reads", depth, MaxDepth),
			Hint: "humas files are a few flat keys and lists: e.g. tags: [pemilu-2024, kehumasan]"}
	}
	return parseFull(src, firstLine)
}

// MaxDepth is how deeply YAML may nest. humas.yaml needs four levels
// (accounts.kpu.x.username) and front matter three (hoax.sources and its list);
// goccy/go-yaml takes time and memory more than linear in the depth (200 KB of
// [[[…]]] took 15 GB), so deeper input is refused before it is parsed.
const MaxDepth = 20

// parseFull parses src with goccy/go-yaml.
func parseFull(src []byte, firstLine int) (*Node, error) {
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
	// A document marker with nothing after it ("---" at the end of the file) opens
	// an empty document, which YAML allows and which says nothing.
	docs := f.Docs[:0:0]
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	if len(docs) > 1 {
		return nil, &SyntaxError{Line: astLine(docs[1].Body) + firstLine - 1, Message: "more than one YAML document",
			Hint: "remove the --- line between them, or merge them"}
	}
	return convert(docs[0].Body), nil
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

func astLine(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// convert turns a goccy/go-yaml node into a Node; anchors and tags are dropped,
// they carry no meaning for humas.
func convert(n ast.Node) *Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
			continue
		case *ast.TagNode:
			n = v.Value
			continue
		}
		break
	}
	if n == nil {
		return nil
	}
	out := &Node{Line: astLine(n)}
	switch v := n.(type) {
	case *ast.NullNode:
		out.Type = Null
	case *ast.StringNode:
		out.Type, out.Text = String, v.Value
	case *ast.LiteralNode:
		out.Type, out.Text, out.Block = String, v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		out.Type, out.Text = Number, v.GetToken().Value
	case *ast.BoolNode:
		out.Type, out.Text, out.Bool = Boolean, v.GetToken().Value, v.Value
	case *ast.MappingNode:
		out.Type = Mapping
		out.Fields = convertFields(v.Values)
	case *ast.MappingValueNode:
		out.Type = Mapping
		out.Fields = convertFields([]*ast.MappingValueNode{v})
	case *ast.SequenceNode:
		out.Type = Sequence
		out.Items = make([]*Node, len(v.Values))
		for i, it := range v.Values {
			out.Items[i] = convert(it)
		}
	default:
		out.Type, out.Text = Other, n.String()
	}
	return out
}

func convertFields(values []*ast.MappingValueNode) []Field {
	fields := make([]Field, 0, len(values))
	for _, mv := range values {
		key := ""
		if k := convert(mv.Key); k != nil {
			if k.Type == Mapping || k.Type == Sequence {
				key = mv.Key.String()
			} else {
				key = k.Text
			}
		}
		val := convert(mv.Value)
		if val != nil && val.Type == Null {
			val = nil
		}
		fields = append(fields, Field{Key: key, Line: astLine(mv.Key), Value: val})
	}
	return fields
}

// Line is the line where n starts, 0 for nil.
func Line(n *Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

// Fields returns the keys of a mapping in file order; ok is false when n is not a
// mapping. A missing or null value is an empty mapping.
func Fields(n *Node) (fields []Field, ok bool) {
	switch {
	case n == nil || n.Type == Null:
		return nil, true
	case n.Type == Mapping:
		return n.Fields, true
	}
	return nil, false
}

// Items returns the entries of a sequence; ok is false when n is not a sequence.
func Items(n *Node) (items []*Node, ok bool) {
	switch {
	case n == nil || n.Type == Null:
		return nil, true
	case n.Type == Sequence:
		return n.Items, true
	}
	return nil, false
}

// Scalar returns the text of a scalar as written (without quotes), so that a page id
// written as a bare number or a phone number keeps its digits; ok is false for
// mappings, sequences and aliases.
func Scalar(n *Node) (string, bool) {
	switch {
	case n == nil || n.Type == Null:
		return "", true
	case n.Type == String || n.Type == Number || n.Type == Boolean:
		return n.Text, true
	}
	return "", false
}

// Bool returns the value of a YAML boolean; ok is false for anything else.
func Bool(n *Node) (value, ok bool) {
	if n == nil || n.Type != Boolean {
		return false, false
	}
	return n.Bool, true
}

// Kind names the type of n the way an error message should: "a list", "a mapping".
func Kind(n *Node) string {
	if n == nil {
		return "empty"
	}
	switch n.Type {
	case Mapping:
		return "a mapping"
	case Sequence:
		return "a list"
	case Boolean:
		return "a boolean"
	case Number:
		return "a number"
	case Null:
		return "empty"
	case Other:
		return "an alias"
	}
	return "text"
}

// Suggest returns the candidate nearest to s by edit distance, or "" when none is
// near enough to be what was meant.
func Suggest(s string, candidates []string) string {
	best, bestD := "", len(s)/3+1
	for _, c := range candidates {
		if d := Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, ignoring case.
func Distance(a, b string) int {
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

// Strings calls fn with every string value under n, and the dotted path of keys
// that leads to it from field (a list's entries have the list's path).
func Strings(field string, n *Node, fn func(field string, n *Node)) {
	if n == nil {
		return
	}
	switch n.Type {
	case Mapping:
		for _, f := range n.Fields {
			Strings(field+"."+f.Key, f.Value, fn)
		}
	case Sequence:
		for _, it := range n.Items {
			Strings(field, it, fn)
		}
	case String:
		fn(field, n)
	}
}
