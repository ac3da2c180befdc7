package platform

import (
	"fmt"
	"regexp"
	"strings"
)

// Matches is a Field.Check that accepts values matching re and otherwise says
// `"<value>" is not <what>`.
func Matches(re *regexp.Regexp, what string) func(string) string {
	return func(v string) string {
		if re.MatchString(v) {
			return ""
		}
		return fmt.Sprintf("%q is not %s", v, what)
	}
}

// TrimPrefix is a Field.Clean that drops prefix ("@" before a handle).
func TrimPrefix(prefix string) func(string) string {
	return func(v string) string { return strings.TrimPrefix(v, prefix) }
}

// FieldProblem is one thing wrong in an account's entry, for config to report at
// its line.
type FieldProblem struct {
	Key     string // the field, "" for the entry as a whole
	Message string
	Hint    string
}

// Parse checks an entry's values (already trimmed, keyed by field) against the
// schema and returns the cleaned settings, or every problem. Unknown keys are the
// caller's to report, as it knows their lines.
func (s Schema) Parse(values map[string]string) (map[string]string, []FieldProblem) {
	out := make(map[string]string, len(s.Fields))
	var problems []FieldProblem
	for _, f := range s.Fields {
		v, set := values[f.Key]
		if f.Clean != nil {
			v = f.Clean(v)
		}
		v = strings.TrimSpace(v)
		if v == "" {
			if f.Required {
				problems = append(problems, FieldProblem{Key: f.Key, Message: "is required", Hint: f.Hint})
			} else if set {
				problems = append(problems, FieldProblem{Key: f.Key, Message: "is empty", Hint: "remove the key, or " + f.Hint})
			}
			continue
		}
		if f.Check != nil {
			if msg := f.Check(v); msg != "" {
				problems = append(problems, FieldProblem{Key: f.Key, Message: msg, Hint: f.Hint})
				continue
			}
		}
		out[f.Key] = v
	}
	return out, problems
}

// Keys are the schema's field names, for "known keys" hints.
func (s Schema) Keys() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Key
	}
	return out
}
