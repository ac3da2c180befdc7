// Package hold answers, for every command and for the site, one question: what keeps
// a release from going out at a given instant, and in which words to say so.
//
// check, preview, publish (dry run or not), status and the site all ask Policy.Check,
// so a release the preview shows as held is the release publish skips, for the same
// reason, told the same way.
package hold

import (
	"fmt"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/release"
)

// Reason names what holds a release back; it is also the word JSON carries.
type Reason string

// The reasons, in the order they are asked: the first that applies is the answer.
const (
	Invalid  Reason = "invalid"  // the release has errors
	Exempted Reason = "exempted" // classification: dikecualikan (UU 14/2008 Pasal 17)
	Draft    Reason = "draft"    // draft: true
	Archive  Reason = "archive"  // dated before publish.since: on the site, never posted
	Embargo  Reason = "embargo"  // embargo: not yet lifted
	Blackout Reason = "blackout" // a blackout window of humas.yaml is open
)

// Hold is what keeps a release back. The zero Hold holds nothing.
type Hold struct {
	Reason Reason
	// Field is the front-matter key the hold is about ("embargo", "date",
	// "classification", "draft"), so a caller can point at its line.
	Field string
	// Until is when the hold lifts by itself (the embargo, the end of the
	// blackout); zero when only a person can lift it.
	Until time.Time
	// Message says it in English, for the terminal and JSON:
	// "embargo lifts at Rabu, 9 Juni 2021 pukul 10.00 WITA (2021-06-09T10:00:00+08:00)".
	Message string
	// Teks says it in Indonesian, for pages the press office reads.
	Teks string
	// Hint says what a person can do about it, "" when waiting is the answer.
	Hint string
}

// Held reports whether anything holds the release back.
func (h Hold) Held() bool { return h.Reason != "" }

// Never reports whether the release will never go out as it stands: only a
// change to the release or to humas.yaml would let it.
func (h Hold) Never() bool { return h.Held() && h.Until.IsZero() }

func (h Hold) String() string { return h.Message }

// Facts are what the rules look at. They come from a release (Of), and later
// from a partner's feed item, which has no file.
type Facts struct {
	Classification string
	Draft          bool
	Date           time.Time
	Embargo        time.Time // zero when none
	Invalid        bool      // the release has errors
	// Partner: a partner office's release, reposted from its feed. Its embargo
	// holds on every platform (the press exception is the issuer's own), and
	// an old one is not on our site, only never reposted.
	Partner bool
}

// Of returns the facts of r.
func Of(r *release.Release) Facts {
	return Facts{Classification: r.Classification, Draft: r.Draft, Date: r.Date, Embargo: r.Embargo}
}

// Policy is the office's rules on what goes out when: publish.since and the
// blackout windows of humas.yaml.
type Policy struct {
	Since    time.Time
	Blackout config.Blackouts
	// File names the configuration in messages: "humas.yaml".
	File string
	// Location is where dates are told (the site's zone); nil tells each instant
	// in its own.
	Location *time.Location
}

// PolicyOf returns the policy cfg sets.
func PolicyOf(cfg *config.Config) Policy {
	file := cfg.File
	if file == "" {
		file = "the default configuration"
	}
	return Policy{Since: cfg.Publish.Since, Blackout: cfg.Blackout, File: file, Location: cfg.Site.Location}
}

// Check says what holds a release with facts f back at now: from posts on
// platform p, or, with p nil, from the site. The site differs in two ways: the
// archive is on it, and a blackout only holds back what would first appear
// during the window (an article already up stays up). Of several holds, the
// first in the order of the reasons is the answer.
func (pol Policy) Check(f Facts, now time.Time, p *platform.Platform) Hold {
	if hs := pol.rules(f, now, p, false); len(hs) > 0 {
		return hs[0]
	}
	return Hold{}
}

// All is every hold Check would find, in order: a draft under embargo is held by
// both, and the preview says so, since setting draft: false leaves the embargo.
func (pol Policy) All(f Facts, now time.Time, p *platform.Platform) []Hold {
	return pol.rules(f, now, p, true)
}

// rules applies the rules in order, stopping at the first hold unless all.
func (pol Policy) rules(f Facts, now time.Time, p *platform.Platform, all bool) []Hold {
	site := p == nil
	tell := idtime.In(pol.Location)
	when := func(t time.Time) string { return tell.DateTime(t) + " (" + t.Format(time.RFC3339) + ")" }
	var out []Hold
	add := func(h Hold) bool {
		out = append(out, h)
		return !all
	}
	if f.Invalid && add(Hold{Reason: Invalid, Message: "invalid: it has errors, so nothing of it goes out",
		Teks: "Tidak sah: ada galat yang harus diperbaiki dulu", Hint: "fix the errors above"}) {
		return out
	}
	if f.Classification == release.Dikecualikan && add(Hold{Reason: Exempted, Field: "classification",
		Message: "classification dikecualikan: exempted information is never published",
		Teks:    "Dikecualikan: informasi yang dikecualikan (UU 14/2008 Pasal 17) tidak pernah diterbitkan",
		Hint:    "if the information may be public, set the classification it has (berkala, serta-merta or setiap-saat)"}) {
		return out
	}
	if f.Draft && add(Hold{Reason: Draft, Field: "draft",
		Message: "draft: a draft is checked and previewed, never built or published",
		Teks:    "Draf: siaran pers ini tidak dibangun dan tidak diterbitkan sampai draft: false",
		Hint:    "set draft: false when it is ready"}) {
		return out
	}
	if !site && !pol.Since.IsZero() && f.Date.Before(pol.Since) && add(pol.archive(f, tell)) {
		return out
	}
	if !f.Embargo.IsZero() && now.Before(f.Embargo) && (site || !p.BeforeEmbargo || f.Partner) && add(Hold{Reason: Embargo, Field: "embargo", Until: f.Embargo,
		Message: "embargo lifts at " + when(f.Embargo),
		Teks:    "Embargo: tidak diterbitkan sebelum " + tell.DateTime(f.Embargo)}) {
		return out
	}
	if f.Classification == release.SertaMerta {
		return out
	}
	b, open := pol.Blackout.At(now)
	if !open {
		return out
	}
	if site {
		first := f.Date
		if f.Embargo.After(first) {
			first = f.Embargo
		}
		if first.Before(b.From) {
			return out
		}
	}
	add(Hold{Reason: Blackout, Until: b.To,
		Message: fmt.Sprintf("blackout: %s until %s", b.Reason, when(b.To)),
		Teks:    fmt.Sprintf("Masa larangan (%s) sampai %s: hanya siaran pers serta-merta yang diterbitkan", b.Reason, tell.DateTime(b.To)),
		Hint:    "only classification: serta-merta releases go out during a blackout"})
	return out
}

func (pol Policy) archive(f Facts, tell idtime.Formatter) Hold {
	h := Hold{Reason: Archive, Field: "date",
		Message: fmt.Sprintf("archive: dated before publish.since (%s in %s), so it is on the site but never cross-posted", tell.Date(pol.Since), pol.File),
		Teks: fmt.Sprintf("Arsip: bertanggal sebelum publish.since (%s), jadi tampil di situs tetapi unggahannya tidak akan pernah dikirim",
			tell.Date(pol.Since)),
		Hint: "to post it after all, set publish.since in " + pol.File + " to its date or earlier"}
	if f.Partner {
		h.Message = fmt.Sprintf("archive: dated before publish.since (%s in %s), so it is never reposted", tell.Date(pol.Since), pol.File)
		h.Teks = fmt.Sprintf("Arsip: bertanggal sebelum publish.since (%s), jadi tidak dibagikan ulang", tell.Date(pol.Since))
		h.Hint = "to repost it after all, set publish.since in " + pol.File + " to its date or earlier"
	}
	return h
}

// Posts says what holds a release back from every one of platforms, or the
// zero Hold when at least one may receive it now. It is the answer to "may
// `publish FILE` go ahead?": with the press allowed before an embargo, a release
// whose only open target is email still goes.
func (pol Policy) Posts(f Facts, now time.Time, platforms []*platform.Platform) Hold {
	var first Hold
	for i, p := range platforms {
		h := pol.Check(f, now, p)
		if !h.Held() {
			return Hold{}
		}
		if i == 0 {
			first = h
		}
	}
	if len(platforms) == 0 {
		return pol.Check(f, now, &platform.Platform{})
	}
	return first
}
