package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/balikpapan/humas/publish/instagram/igfake"
	"github.com/balikpapan/humas/publish/telegram/tgfake"
)

// socialFakes are the Instagram and Telegram fakes of a scenario, beside X and
// Facebook, for the accounts of testdata/social/humas.yaml, and the office's website
// that Instagram fetches pictures from.
type socialFakes struct {
	ig *igfake.Server
	tg *tgfake.Server
}

// socialAccount is one institution of the test project on Instagram and Telegram.
type socialAccount struct {
	key, igUser, username string
	channel               int64
	bot                   int64
}

var socialAccounts = []socialAccount{
	{"diskominfo", "17841400000000001", "diskominfobpp", -1001000000001, 7000000001},
	{"kpu", "17841400000000002", "kpubalikpapan", -1001000000002, 7000000002},
}

func socialOf(ts *testscript.TestScript, key string) socialAccount {
	for _, a := range socialAccounts {
		if a.key == key {
			return a
		}
	}
	ts.Fatalf("fakes: unknown account %q (the test project has diskominfo and kpu)", key)
	return socialAccount{}
}

// startSocial starts both fakes behind fronts that can hang a post (fakes.serve),
// and sets HUMAS_INSTAGRAM_GRAPH_URL, HUMAS_TELEGRAM_API_URL and every account's token.
func (f *fakes) startSocial(ts *testscript.TestScript) *socialFakes {
	s := &socialFakes{ig: igfake.New(), tg: tgfake.New()}
	// Containers are ready at once: scenarios are not about Instagram's processing.
	s.ig.Processing(0)
	ts.Setenv("HUMAS_INSTAGRAM_GRAPH_URL", f.serve(ts, "instagram", s.ig.Handler()))
	ts.Setenv("HUMAS_TELEGRAM_API_URL", f.serve(ts, "telegram", s.tg.Handler()))
	for i, a := range socialAccounts {
		acct := igfake.Account{UserID: a.igUser, Username: a.username,
			Token: fmt.Sprintf("IGs3cret%s%d%d", a.key, i, time.Now().UnixNano())}
		s.ig.AddAccount(acct)
		bot := tgfake.Bot{ID: a.bot, Username: a.key + "_humas_bot", FirstName: "Humas",
			Token: fmt.Sprintf("%d:AAs3cret%s%024d", a.bot, a.key[:3], time.Now().UnixNano()%1e12)}
		s.tg.AddBot(bot)
		s.tg.AddChannel(tgfake.Channel{ID: a.channel, Username: a.username, Title: a.username})
		s.tg.SetRights(a.channel, a.bot, tgfake.Rights{Status: "administrator", CanPostMessages: true})
		for _, env := range []map[string]string{acct.Env(a.key), bot.Env(a.key)} {
			for k, v := range env {
				ts.Setenv(k, v)
				f.secrets = append(f.secrets, v)
			}
		}
	}
	ts.Defer(func() {
		s.ig.Close()
		s.tg.Close()
	})
	return s
}

func (s *socialFakes) requests() int { return s.ig.Requests() + s.tg.Requests() }

// handles reports whether args are a fakes subcommand about Instagram alone or
// the website, which run answers (fail, posts and text are cmdFakes's, for every
// platform).
func (s *socialFakes) handles(args []string) bool {
	switch args[0] {
	case "serve-site", "collaborators", "image-url", "alt-text":
		return true
	}
	return false
}

// run answers the subcommands handles accepts:
//
//	fakes collaborators ACCOUNT USERNAME…             its newest Instagram post invited exactly these
//	fakes image-url ACCOUNT REGEXP                    its newest Instagram post's image_url matches
//	fakes alt-text ACCOUNT REGEXP                     and its alt_text
//	fakes serve-site N FILE…                          serve $WORK/public as the website: 404 for the
//	                                                  first N requests; put its URL for {{site}} in each FILE
func (s *socialFakes) run(ts *testscript.TestScript, f *fakes, neg bool, args []string) {
	switch args[0] {
	case "collaborators":
		if len(args) < 2 {
			ts.Fatalf("usage: fakes collaborators ACCOUNT USERNAME…")
		}
		p := s.newestIG(ts, args[1])
		if slices.Equal(p.Collaborators, args[2:]) == neg {
			ts.Fatalf("%s's newest Instagram post invites %q, want %s%q", args[1], p.Collaborators, notIf(neg), args[2:])
		}
	case "image-url", "alt-text":
		if len(args) != 3 {
			ts.Fatalf("usage: fakes %s ACCOUNT REGEXP", args[0])
		}
		re, err := regexp.Compile(args[2])
		ts.Check(err)
		p := s.newestIG(ts, args[1])
		got := p.ImageURL
		if args[0] == "alt-text" {
			got = p.AltText
		}
		if re.MatchString(got) == neg {
			ts.Fatalf("%s's newest Instagram post has %s %q, want %smatching %q", args[1], args[0], got, notIf(neg), args[2])
		}
	case "serve-site":
		if len(args) < 3 {
			ts.Fatalf("usage: fakes serve-site N FILE…")
		}
		public := http.FileServer(http.Dir(filepath.Join(ts.Getenv("WORK"), "public")))
		f.site(ts, atoi(ts, args[1]), public, args[2:])
	}
}

func (s *socialFakes) count(ts *testscript.TestScript, platform, acct string) int {
	a := socialOf(ts, acct)
	if platform == "instagram" {
		return len(s.ig.Posts(a.igUser))
	}
	return len(s.tg.Messages(a.channel))
}

// newest is the newest Instagram caption or Telegram message of acct.
func (s *socialFakes) newest(ts *testscript.TestScript, platform, acct string) string {
	a := socialOf(ts, acct)
	if platform == "instagram" {
		return s.newestIG(ts, acct).Caption
	}
	if m := s.tg.Messages(a.channel); len(m) > 0 {
		return m[len(m)-1].Text
	}
	ts.Fatalf("%s/telegram has no messages", acct)
	return ""
}

func (s *socialFakes) newestIG(ts *testscript.TestScript, acct string) igfake.Post {
	if p := s.ig.Posts(socialOf(ts, acct).igUser); len(p) > 0 {
		return p[len(p)-1]
	}
	ts.Fatalf("%s/instagram has no posts", acct)
	return igfake.Post{}
}
