package usecase

import (
	"time"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// StatusRequest says which releases to report on.
type StatusRequest struct {
	Files          []string // empty: every release, and the ledger's records of releases gone
	Only, Accounts []string
	Now            func() time.Time
}

// Status is what the ledger says of each target, and what holds back those not
// posted yet; it sends nothing.
func Status(p *project.Project, req StatusRequest) (PublishResult, error) {
	var res PublishResult
	files := req.Files
	if len(files) == 0 {
		var err error
		if files, err = release.Glob(p.Root); err != nil {
			return res, err
		}
	}
	rels, diags, invalid := load(p, files)
	res.Diagnostics = diags
	if invalid != nil {
		res.Result.Releases = invalid
		return res, ErrInvalid
	}
	jobs, err := Jobs(p, rels)
	if err != nil {
		return res, err
	}
	pl := pipeline.New(pipeline.Options{Root: p.Root, Only: req.Only, Accounts: req.Accounts, Now: req.Now,
		Policy: hold.PolicyOf(p.Config), Platforms: p.Config.Platforms})
	if res.Result, err = pl.Status(jobs); err != nil {
		return res, ledgerError(err)
	}
	if len(req.Files) == 0 {
		// Records whose release file is gone still say what went out.
		orphans, err := orphanRecords(p, rels)
		if err != nil {
			return res, ledgerError(err)
		}
		res.Result.Releases = append(res.Result.Releases, orphans...)
	}
	return res, nil
}

// orphanRecords are ledger records of releases no longer in releases/, under any
// name: a release renamed after it was posted is not an orphan.
func orphanRecords(p *project.Project, rels []*release.Release) ([]pipeline.ReleaseResult, error) {
	recs, found, err := ledgerOf(p, rels)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, f := range found {
		known[f.ID] = true
	}
	var out []pipeline.ReleaseResult
	for _, rec := range recs {
		if !known[rec.ID] {
			out = append(out, decisions(p, rec, pipeline.StatusOf(rec)))
		}
	}
	return out, nil
}

// decisions marks, in rr (rec as it is), the targets left pending where the
// platform cannot be asked whether the post went out (a partner's release
// reposted on Telegram): they wait for a person's humas resolve, never for a run.
func decisions(p *project.Project, rec *ledger.Record, rr pipeline.ReleaseResult) pipeline.ReleaseResult {
	for i := range rr.Targets {
		tr := &rr.Targets[i]
		pl, ok := p.Config.Platforms.Lookup(tr.Platform)
		if lt := rec.Target(tr.Account, tr.Platform); ok && pl.CannotLook && lt != nil && lt.State == ledger.Pending {
			tr.Needs, tr.Note = pipeline.NeedsDecision, ""
			tr.Error = pipeline.DecisionNote(rec.File, tr.Account, tr.Platform, pl.DisplayName)
		}
	}
	return rr
}
