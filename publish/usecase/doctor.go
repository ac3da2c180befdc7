package usecase

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/pipeline"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/repost"
	"github.com/balikpapan/humas/publish/site"
)

// DoctorRequest narrows the accounts and platforms to check.
type DoctorRequest struct {
	Only, Accounts []string
	Timeout        time.Duration // for each platform call; default 20s
	Getenv         publish.Getenv
}

// DoctorCheck is one line of the report.
type DoctorCheck struct {
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Fix is what to do about a failed check, when humas knows.
	Fix string `json:"fix,omitempty"`
}

// DoctorResult is every check, and whether all passed.
type DoctorResult struct {
	Checks []DoctorCheck `json:"checks"`
	OK     bool          `json:"ok"`
}

// Doctor checks the configuration, that the templates render, and for every
// account on every platform it has that its credentials are set and accepted, by
// one read-only call each, and that they belong to the account humas.yaml names.
func Doctor(ctx context.Context, p *project.Project, req DoctorRequest) DoctorResult {
	if req.Timeout <= 0 {
		req.Timeout = 20 * time.Second
	}
	res := DoctorResult{OK: true}
	add := func(name string, err error, okDetail string) {
		c := DoctorCheck{Check: name, OK: err == nil, Detail: okDetail}
		if err != nil {
			c.Detail = err.Error()
			res.OK = false
		}
		res.Checks = append(res.Checks, c)
	}
	fix := func(fix string) { res.Checks[len(res.Checks)-1].Fix = fix }
	cfgName := p.Config.File
	if cfgName == "" {
		cfgName = "built-in default (no humas.yaml)"
	}
	accounts := "1 account"
	if n := len(p.Config.Accounts); n != 1 {
		accounts = fmt.Sprintf("%d accounts", n)
	}
	add("config", nil, cfgName+": "+accounts)
	add("templates", checkTemplates(p), "site and post templates render")

	pl := pipeline.New(pipeline.Options{Root: p.Root, NewPoster: Posters(p, req.Getenv), Identity: Identities(p)})
	for _, acc := range p.Config.Accounts {
		for _, pa := range acc.Platforms {
			if !keep(req.Only, req.Accounts, acc.Key, pa.Platform) {
				continue
			}
			name := acc.Key + "/" + pa.Platform
			c, cancel := context.WithTimeout(ctx, req.Timeout)
			who, err := pl.Verify(c, acc.Key, pa.Platform)
			cancel()
			var pe *publish.Error
			f := pipeline.FixOf(err, acc.Key)
			switch {
			case errors.As(err, &pe) && pe.Op == "verify" && strings.HasPrefix(pe.Message, "the credentials belong to "):
				// Another account's credentials (pipeline.IdentityMismatch): the
				// very check a publish makes before its first post.
				err = errors.New(pe.Message)
			case err != nil:
				// The check's name already says which target; keep the cause.
				err = errors.New(strings.TrimPrefix(err.Error(), name+": "))
			}
			add(name, err, "credentials accepted: "+who)
			if err != nil {
				fix(f)
			}
			if plat, ok := p.Config.Platforms.Lookup(pa.Platform); ok && plat.Check != nil {
				// What the account names in the project: an email account's press list.
				var msgs []string
				for _, fp := range plat.Check(p.Root, pa) {
					d := release.Diagnostic{File: fp.File, Line: fp.Line, Field: fp.Field, Message: fp.Message, Hint: fp.Hint}
					msgs = append(msgs, d.String())
				}
				var lerr error
				if len(msgs) > 0 {
					lerr = errors.New(strings.Join(msgs, "; "))
				}
				add(name+" files", lerr, "the files it names are sound")
			}
		}
	}
	if len(req.Accounts) == 0 && len(req.Only) == 0 {
		for _, c := range checkPartners(ctx, p, req.Timeout) {
			add(c.Check, c.err, c.Detail)
		}
	}
	return res
}

type partnerCheck struct {
	DoctorCheck
	err error
}

// checkPartners reads every partner's feed once, as repost would (nothing is
// kept), and checks that it is a valid humas feed whose releases the partner
// issued: a feed address pointing at another office's feed shows here, not in a
// repost crediting the wrong office.
func checkPartners(ctx context.Context, p *project.Project, timeout time.Duration) []partnerCheck {
	f := &repost.Fetcher{Timeout: timeout, UserAgent: "humas doctor (+" + p.Config.Site.BaseURL + ")"}
	out := make([]partnerCheck, len(p.Config.Partners))
	parallel.For(len(out), repost.DefaultConcurrency, func(i int) {
		pt := p.Config.Partners[i]
		c := partnerCheck{DoctorCheck: DoctorCheck{Check: "partner " + pt.Key}}
		got, err := f.Fetch(ctx, pt.Feed, nil)
		if err != nil {
			c.err = err
			out[i] = c
			return
		}
		var issuers []string
		ours := false
		for _, it := range got.Feed.Items {
			// The partner's text, printed on a line of ours: a line break in it
			// would start a line a CI log reads as a workflow command.
			name := strings.Join(strings.Fields(it.Humas.IssuerName), " ")
			if strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(pt.Name)) {
				ours = true
			}
			if !slices.Contains(issuers, name) {
				issuers = append(issuers, name)
			}
		}
		switch {
		case len(issuers) == 0:
			c.Detail = pt.Feed + ": valid feed, no releases yet"
		case !ours:
			c.err = fmt.Errorf("%s: its releases are issued by %s, not %s as partners.%s.name says: is it the right feed?", pt.Feed, strings.Join(issuers, ", "), pt.Name, pt.Key)
		default:
			n := fmt.Sprintf("%d releases", len(got.Feed.Items))
			if len(got.Feed.Items) == 1 {
				n = "1 release"
			}
			c.Detail = fmt.Sprintf("%s: valid feed, %s, issued by %s", pt.Feed, n, strings.Join(issuers, ", "))
		}
		out[i] = c
	})
	return out
}

// checkTemplates renders every template once with a sample release, so a broken
// override fails here and not in the middle of a publish.
func checkTemplates(p *project.Project) error {
	r := sampleRelease(p)
	if err := site.RenderArticle(io.Discard, p, r, nil); err != nil {
		return err
	}
	_, err := compose.Compose(p, r)
	return err
}

// sampleRelease is a release of the first account, as `humas new` would start one.
func sampleRelease(p *project.Project) *release.Release {
	issuer := ""
	if len(p.Config.Accounts) > 0 {
		issuer = p.Config.Accounts[0].Key
	}
	return &release.Release{
		File:           "releases/2021-06-09-contoh.md",
		Title:          "Contoh Siaran Pers",
		Date:           time.Date(2021, 6, 9, 13, 0, 0, 0, p.Config.Site.Location),
		Issuer:         issuer,
		Classification: release.Berkala,
		Kind:           release.SiaranPers,
		Summary:        "Ringkasan contoh.",
		Tags:           []string{"contoh"},
		Slug:           "contoh",
		Body:           []byte("Isi contoh.\n"),
		BodyLine:       8,
	}
}
