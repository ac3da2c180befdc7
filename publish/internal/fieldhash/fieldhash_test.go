package fieldhash

import (
	"strings"
	"testing"
	"time"
)

// A key names its fields, not their concatenation: content that differs gives
// another key, so a cache never serves one release's file for another's.
func TestFieldsAreKeptApart(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	at := time.Date(2021, 6, 9, 13, 0, 0, 0, wita)
	big := strings.Repeat("x", 5000) // past the buffer: hashed straight
	sums := map[string]string{
		"ab|c":         New("ab", "c").Sum(),
		"a|bc":         New("a", "bc").Sum(),
		"abc":          New("abc").Sum(),
		"int 12":       New().Int(12).Sum(),
		"str 12":       New("1", "2").Sum(),
		"time":         New().Time(at).Sum(),
		"same instant": New().Time(at.UTC()).Sum(),
		"zero time":    New().Time(time.Time{}).Sum(),
		"no fields":    New().Sum(),
		"big|y":        New(big, "y").Sum(),
		"big+y as one": New(big + "y").Sum(),
		"bytes of big": New().Bytes([]byte(big + "!")).Sum(),
		"empty field":  New("").Sum(),
		"two empty":    New("", "").Sum(),
	}
	seen := map[string]string{}
	for name, s := range sums {
		if len(s) != 32 {
			t.Errorf("%s: sum %q, want 32 hex digits", name, s)
		}
		if other, ok := seen[s]; ok {
			t.Errorf("%s and %s have one sum", name, other)
		}
		seen[s] = name
	}
	if New("a", big).Sum() != New().Str("a").Bytes([]byte(big)).Sum() {
		t.Error("the same fields added by Str and Bytes differ")
	}
}
