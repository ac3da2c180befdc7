package site

import (
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/ledger"
)

// LedgerLinks turns ledger records into Options.Links: every target recorded as
// posted with a URL, in the record's key order, named with the config's account
// names.
func LedgerLinks(cfg *config.Config, recs []*ledger.Record) func(slug string) []Link {
	bySlug := make(map[string][]Link, len(recs))
	for _, rec := range recs {
		for _, key := range rec.Keys() {
			t := rec.Targets[key]
			if t == nil || t.State != ledger.Posted || t.URL == "" {
				continue
			}
			account, platform := ledger.SplitKey(key)
			name := account
			if a, ok := cfg.Account(account); ok && a.Name != "" {
				name = a.Name
			}
			bySlug[rec.Slug] = append(bySlug[rec.Slug], Link{Account: account, AccountName: name, Platform: platform, URL: t.URL, ID: t.ID})
		}
	}
	return func(slug string) []Link { return bySlug[slug] }
}

// LedgerTargets turns ledger records into Options.Targets.
func LedgerTargets(recs []*ledger.Record) func(slug string) map[string]*ledger.Target {
	bySlug := make(map[string]map[string]*ledger.Target, len(recs))
	for _, rec := range recs {
		bySlug[rec.Slug] = rec.Targets
	}
	return func(slug string) map[string]*ledger.Target { return bySlug[slug] }
}
