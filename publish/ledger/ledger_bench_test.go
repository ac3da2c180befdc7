package ledger

import "testing"

// BenchmarkSave is the cost of one durable ledger write: every target's send is
// bracketed by two of them.
func BenchmarkSave(b *testing.B) {
	s := Open(b.TempDir())
	r := sample()
	for b.Loop() {
		if err := s.Save(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	s := Open(b.TempDir())
	if err := s.Save(sample()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Load("sinergi"); err != nil {
			b.Fatal(err)
		}
	}
}
