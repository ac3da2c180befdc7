package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds humas.yaml anything: every command reads it first, so it may
// refuse it, never panic (a trailing --- did) or take a configuration it cannot use.
// The corpus (testdata/fuzz/FuzzParse) starts from the project's own humas.yaml,
// the embedded default, and the input that once panicked.
func FuzzParse(f *testing.F) {
	if src, err := os.ReadFile(filepath.Join("..", "..", FileName)); err == nil {
		f.Add(src)
	}
	f.Add(defaultYAML)
	f.Add([]byte("site:\n  base_url: https://x.example/\naccounts:\n  kpu:\n    name: KPU\n---\n"))
	f.Add([]byte("site: {base_url: \"https://x.example/\", timezone: Asia/Jakarta}\naccounts: {kpu: {name: KPU, x: {username: kpu}}}\npublish: {since: 2024-01-01}\nblackout:\n  - {from: 2024-02-11, to: 2024-02-14 13:00, reason: tenang}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Parse(FileName, src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is not a *config.Error with lines", err)
			}
			return
		}
		if c.Site.Location == nil || c.Site.BaseURL == "" || len(c.Accounts) == 0 {
			t.Fatalf("accepted a configuration humas cannot use: %+v", c.Site)
		}
		for _, b := range c.Blackout {
			if !b.From.Before(b.To) {
				t.Fatalf("accepted a blackout that ends before it starts: %+v", b)
			}
		}
	})
}
