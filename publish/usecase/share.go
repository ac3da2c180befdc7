package usecase

import (
	"fmt"
	"time"

	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/share"
)

// ShareRequest names the release to write for sharing by hand.
type ShareRequest struct {
	File string
	Now  time.Time
}

// ShareResult is the release as a WhatsApp message, and the wa.me link that
// opens WhatsApp with it.
type ShareResult struct {
	WhatsApp string
	Link     string
	// Diagnostics are the release's errors, as check finds them.
	Diagnostics release.Diagnostics
	// Held is what keeps the release from being shared now, when something does.
	Held *Held
}

// Share writes the release as a WhatsApp message for a person to pass on. What
// holds its posts back holds this too (the one hold policy): an embargo, a
// blackout, a draft or exempted information are not shared, and its link would
// lead nowhere yet. The archive is on the site, and a person may pass it on.
func Share(p *project.Project, req ShareRequest) (ShareResult, error) {
	var res ShareResult
	chk, seen, err := check(p, CheckRequest{Files: []string{req.File}, Now: req.Now})
	if err != nil {
		return res, err
	}
	res.Diagnostics = chk.Diagnostics.Errors()
	if chk.Diagnostics.HasErrors() || len(seen.valid) == 0 {
		return res, ErrInvalid
	}
	r := seen.valid[0] // what was checked is what is shared
	// A message in a chat goes out as a post does: by the rules of posts.
	if h := hold.PolicyOf(p.Config).Check(hold.Of(r), req.Now, &platform.Platform{}); h.Held() && h.Reason != hold.Archive {
		res.Held = &Held{File: r.File, Line: line(r, h.Field), Hold: h}
		return res, &InputError{Err: fmt.Errorf("%s: not shared: %s", res.Held.Position(), h.Message), Hint: h.Hint}
	}
	text, err := share.WhatsApp(p.Config, p.Templates, r)
	if err != nil {
		return res, err
	}
	res.WhatsApp, res.Link = text, share.Link(text)
	return res, nil
}
