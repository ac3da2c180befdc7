package pipeline

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkPendingRunOverPostedArchive is a scheduled --pending run over an archive of
// 300 fully posted releases: it must read every ledger and send nothing.
func BenchmarkPendingRunOverPostedArchive(b *testing.B) {
	w := newWorld(b)
	jobs := make([]Job, 300)
	for i := range jobs {
		jobs[i] = sinergi()
		jobs[i].Slug = fmt.Sprintf("rilis-%04d", i)
	}
	p := New(w.options())
	if _, err := p.Run(context.Background(), Explicit, jobs); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := New(w.options()).Run(context.Background(), Pending, jobs)
		if err != nil || len(res.Releases) != 0 {
			b.Fatalf("%d releases, %v", len(res.Releases), err)
		}
	}
}
