package usecase

import (
	"time"

	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/site"
)

// withDocuments gives each job the whole release it comes from, for a platform
// that sends a release entire (the press, by email). It is done for the jobs a
// run is about to send only: the body is rendered as the article renders it, and
// the PDF is drawn when the first message asks for it.
func withDocuments(p *project.Project, jobs []pipeline.Job, rels []*release.Release, now time.Time) error {
	byFile := make(map[string]*release.Release, len(rels))
	for _, r := range rels {
		byFile[r.File] = r
	}
	for i := range jobs {
		r := byFile[jobs[i].File]
		if r == nil {
			continue
		}
		d, err := site.Document(p, r, now)
		if err != nil {
			return err
		}
		jobs[i].Document = d
	}
	return nil
}
