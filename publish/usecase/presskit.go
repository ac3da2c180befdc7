package usecase

import (
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/site"
)

// PressKit is the press kit of p: the cards, Instagram renditions and PDFs the
// build places beside each article, drawn once per content and kept in
// .humas/cache/presskit. What the press is sent is the file the site links:
// PressKit(p).PDF(r, now) gives it from the cache when the build drew it.
func PressKit(p *project.Project) *presskit.Kit {
	return presskit.New(p.Root, p.Config, site.BuildIdentity())
}
