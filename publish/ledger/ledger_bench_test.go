package ledger

import "testing"

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
