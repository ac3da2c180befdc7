package usecase

import (
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// factsOf is what the ledger knows r by.
func factsOf(p *project.Project, r *release.Release) ledger.Facts {
	return ledger.Facts{File: r.File, Slug: r.Slug, URL: p.Config.ArticleURL(r.Slug), Issuer: r.Issuer, Title: r.Title, Date: r.Date}
}

// ledgerOf reads the ledger and finds the record of each of rels (ledger.Match), so
// a release renamed after it was posted is shown with its posts, and its old
// address with a page that sends readers on, before any publish has written the
// rename down. Records of releases that are gone come back as they are. It never
// writes.
func ledgerOf(p *project.Project, rels []*release.Release) ([]*ledger.Record, []ledger.Found, error) {
	recs, err := ledger.Open(p.Root).All()
	if err != nil {
		return nil, nil, err
	}
	facts := make([]ledger.Facts, len(rels))
	for i, r := range rels {
		facts[i] = factsOf(p, r)
	}
	return recs, ledger.Match(recs, facts, ledger.Gone(p.Root)), nil
}

// aliases maps each earlier slug of a release to its article's address now.
func aliases(found []ledger.Found) map[string]string {
	out := map[string]string{}
	for _, f := range found {
		for _, a := range f.Aliases {
			out[a] = f.URL
		}
	}
	return out
}
