package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/balikpapan/humas/publish/instagram/igfake"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/telegram/tgfake"
)

// socialFakes are the Instagram and Telegram fakes of a scenario, beside X and
// Facebook, for the accounts of testdata/social/humas.yaml, and the office's website
// that Instagram fetches pictures from.
type socialFakes struct {
	ig *igfake.Server
	tg *tgfake.Server

	mu   sync.Mutex
	hang map[string]int // "instagram/<account>" or "telegram/<account>": posts to record, then hang
	held map[string]int // the same keys: posts to keep until 'fakes release' (fakes.hold)
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

// startSocial starts both fakes behind fronts that can hang a post, and sets
// HUMAS_INSTAGRAM_GRAPH_URL, HUMAS_TELEGRAM_API_URL and every account's token.
func (f *fakes) startSocial(ts *testscript.TestScript) *socialFakes {
	s := &socialFakes{ig: igfake.New(), tg: tgfake.New(), hang: map[string]int{}, held: map[string]int{}}
	// Containers are ready at once: scenarios are not about Instagram's processing.
	s.ig.Processing(0)
	ts.Setenv("HUMAS_INSTAGRAM_GRAPH_URL", s.front(f, "instagram", s.ig.Handler()))
	ts.Setenv("HUMAS_TELEGRAM_API_URL", s.front(f, "telegram", s.tg.Handler()))
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

// front serves a fake behind a front that can record a post and then never answer,
// as a platform does when the process that sent it is killed mid-request.
func (s *socialFakes) front(f *fakes, platform string, h http.Handler) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && s.take(s.hang, platform, r.URL.Path) {
			h.ServeHTTP(httptest.NewRecorder(), r)
			<-r.Context().Done()
			return
		}
		if r.Method == http.MethodPost && s.take(s.held, platform, r.URL.Path) && !f.hold(r) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	f.servers = append(f.servers, srv)
	return srv.URL
}

// take reports whether this request makes a post public (Instagram's
// media_publish, Telegram's sendMessage or sendPhoto) of an account counted in
// faults (s.hang or s.held), and counts it.
func (s *socialFakes) take(faults map[string]int, platform, path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range socialAccounts {
		key := platform + "/" + a.key
		if faults[key] == 0 {
			continue
		}
		lower := strings.ToLower(path)
		posting := platform == "instagram" && strings.HasSuffix(path, "/"+a.igUser+"/media_publish") ||
			platform == "telegram" && strings.HasPrefix(path, fmt.Sprintf("/bot%d:", a.bot)) &&
				(strings.HasSuffix(lower, "/sendmessage") || strings.HasSuffix(lower, "/sendphoto"))
		if posting {
			faults[key]--
			return true
		}
	}
	return false
}

func (s *socialFakes) requests() int { return s.ig.Requests() + s.tg.Requests() }

// handles reports whether args are a fakes subcommand about Instagram or Telegram,
// which run answers.
func (s *socialFakes) handles(args []string) bool {
	switch args[0] {
	case "serve-site", "collaborators", "image-url", "alt-text":
		return true
	case "fail", "posts", "wait-posts", "text":
		return len(args) > 1 && (args[1] == "instagram" || args[1] == "telegram")
	}
	return false
}

// run answers the subcommands handles accepts:
//
//	fakes fail instagram|telegram ACCOUNT FAULT [N]   as for x, record-hang and held included
//	fakes posts|wait-posts instagram|telegram ACCOUNT N
//	fakes text instagram|telegram ACCOUNT REGEXP      the newest caption or message
//	fakes collaborators ACCOUNT USERNAME…             its newest Instagram post invited exactly these
//	fakes image-url ACCOUNT REGEXP                    its newest Instagram post's image_url matches
//	fakes alt-text ACCOUNT REGEXP                     and its alt_text
//	fakes serve-site N FILE…                          serve $WORK/public as the website: 404 for the
//	                                                  first N requests; put its URL for {{site}} in each FILE
func (s *socialFakes) run(ts *testscript.TestScript, f *fakes, neg bool, args []string) {
	switch args[0] {
	case "fail":
		if len(args) < 4 {
			ts.Fatalf("usage: fakes fail instagram|telegram ACCOUNT FAULT [N]")
		}
		n := 1
		if len(args) > 4 {
			n = atoi(ts, args[4])
		}
		a := socialOf(ts, args[2])
		if front := map[string]map[string]int{"record-hang": s.hang, "held": s.held}[args[3]]; front != nil {
			s.mu.Lock()
			front[args[1]+"/"+a.key] += n
			s.mu.Unlock()
			return
		}
		faults := map[string]postertest.Fault{
			"unavailable": postertest.Unavailable, "ratelimited": postertest.RateLimited,
			"unauthorized": postertest.Unauthorized, "drop": postertest.DropAfterRecord, "hang": postertest.Hang,
		}
		flt, ok := faults[args[3]]
		if !ok {
			ts.Fatalf("fakes fail: unknown fault %q", args[3])
		}
		if args[1] == "instagram" {
			s.ig.Fail(a.igUser, flt, n)
		} else {
			s.tg.Fail(a.channel, flt, n)
		}
	case "posts", "wait-posts":
		if len(args) != 4 {
			ts.Fatalf("usage: fakes %s instagram|telegram ACCOUNT N", args[0])
		}
		want := atoi(ts, args[3])
		deadline := time.Now().Add(5 * time.Second)
		got := s.count(ts, args[1], args[2])
		for args[0] == "wait-posts" && got != want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			got = s.count(ts, args[1], args[2])
		}
		if (got == want) == neg {
			ts.Fatalf("%s/%s holds %d posts, want %s%d", args[2], args[1], got, notIf(neg), want)
		}
	case "text":
		if len(args) != 4 {
			ts.Fatalf("usage: fakes text instagram|telegram ACCOUNT REGEXP")
		}
		re, err := regexp.Compile(args[3])
		ts.Check(err)
		if text := s.newest(ts, args[1], args[2]); re.MatchString(text) == neg {
			ts.Fatalf("%s/%s newest post %q: want %smatching %q", args[2], args[1], text, notIf(neg), args[3])
		}
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
		s.serveSite(ts, f, atoi(ts, args[1]), args[2:])
	}
}

func (s *socialFakes) count(ts *testscript.TestScript, platform, acct string) int {
	a := socialOf(ts, acct)
	if platform == "instagram" {
		return len(s.ig.Posts(a.igUser))
	}
	return len(s.tg.Messages(a.channel))
}

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

// serveSite serves the scenario's public/ folder, as the office's web server serves
// a deploy, missing for the first n requests (a deploy in progress).
func (s *socialFakes) serveSite(ts *testscript.TestScript, f *fakes, n int, files []string) {
	var mu sync.Mutex
	site := http.FileServer(http.Dir(filepath.Join(ts.Getenv("WORK"), "public")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		missing := n > 0
		n--
		mu.Unlock()
		if missing {
			http.NotFound(w, r)
			return
		}
		site.ServeHTTP(w, r)
	}))
	f.servers = append(f.servers, srv)
	for _, file := range files {
		path := ts.MkAbs(file)
		b, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, []byte(strings.ReplaceAll(string(b), "{{site}}", srv.URL)), 0o644))
	}
}
