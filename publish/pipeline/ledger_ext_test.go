package pipeline_test

import (
	"testing"

	"github.com/balikpapan/humas/publish/ledger"
)

// recordOf is the ledger record of the release whose slug is slug, or an empty one.
func recordOf(t testing.TB, root, slug string) *ledger.Record {
	t.Helper()
	recs, err := ledger.Open(root).All()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Slug == slug {
			return r
		}
	}
	return &ledger.Record{Slug: slug, Targets: map[string]*ledger.Target{}}
}
