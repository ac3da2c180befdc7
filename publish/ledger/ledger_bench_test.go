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

// BenchmarkMatch is what every build, status and publish does first: find the
// record of each of 2,000 releases, half of them recorded before.
func BenchmarkMatch(b *testing.B) {
	var recs []*Record
	facts := make([]Facts, 2000)
	for i := range facts {
		f := &facts[i]
		f.File, f.Slug = fmt.Sprintf("releases/2021-06-09-siaran-%d.md", i), fmt.Sprintf("siaran-%d", i)
		f.URL, f.Issuer, f.Title, f.Date = "https://humas.balikpapan.go.id/"+f.Slug+"/", "kpu", fmt.Sprintf("Siaran %d", i), sample().Date
		if i%2 == 0 {
			recs = append(recs, &Record{ID: fmt.Sprintf("2021-06-09-siaran-%d", i), File: f.File, Slug: f.Slug, URL: f.URL, Issuer: f.Issuer, Title: f.Title, Date: f.Date})
		}
	}
	gone := func(string) bool { return false }
	for b.Loop() {
		Match(recs, facts, gone)
	}
}
