package repost

import (
	"slices"
	"strings"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/site"
)

// FromPartners are the partner releases our accounts reposted, newest first, for
// the site's "Dari mitra" page: from what repost kept of each partner in root's
// .humas/partners, with our posts of each from the ledger records recs. A state
// file that cannot be read leaves its partner out, and is in problems: the site is
// built all the same.
func FromPartners(cfg *config.Config, root string, recs []*ledger.Record) (out []site.FromPartner, problems []error) {
	byURL := make(map[string]*ledger.Record, len(recs))
	for _, r := range recs {
		if strings.HasPrefix(r.ID, ledger.PartnerPrefix) {
			byURL[r.File] = r
		}
	}
	links := site.LedgerLinks(cfg, recs)
	for _, pt := range cfg.Partners {
		st, err := LoadState(root, pt.Key)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		for _, it := range st.Reposted {
			fp := site.FromPartner{Partner: pt.Key, PartnerName: pt.Name, Headline: Composable(pt, it).Headline(),
				Summary: it.Summary, URL: it.URL, Date: it.Date}
			if rec := byURL[it.URL]; rec != nil {
				fp.Links = links(rec.Slug)
			}
			out = append(out, fp)
		}
	}
	slices.SortStableFunc(out, func(a, b site.FromPartner) int { return b.Date.Compare(a.Date) })
	return out, problems
}
