package ledger

import (
	"fmt"
	"testing"
)

// BenchmarkSaveTarget is the cost of one durable ledger write: every target's send
// is bracketed by two of them.
func BenchmarkSaveTarget(b *testing.B) {
	s := Open(b.TempDir())
	r := sample()
	for b.Loop() {
		if err := s.SaveTarget(r, "kpu", "x"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAll(b *testing.B) {
	s := Open(b.TempDir())
	if err := s.Save(sample()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.All(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllOfAnOffice reads the ledger of a busy office: 2,000 releases (years of
// them) on eight targets each, as every publish, status and build does.
func BenchmarkAllOfAnOffice(b *testing.B) {
	s := Open(b.TempDir())
	for i := range 2000 {
		r := sample()
		r.ID, r.File = fmt.Sprintf("2021-06-09-siaran-%d", i), fmt.Sprintf("releases/2021-06-09-siaran-%d.md", i)
		for _, a := range []string{"kpu", "diskominfo"} {
			for _, p := range []string{"x", "facebook", "instagram", "telegram"} {
				r.Targets[Key(a, p)] = &Target{State: Posted, ID: "1", URL: "https://example.test/1", Attempts: 1}
			}
		}
		if err := s.Save(r); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := s.All(); err != nil {
			b.Fatal(err)
		}
	}
}
