package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/balikpapan/humas/publish/facebook/fbfake"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/x/xfake"
)

// fakes is one scenario's pair of fake platforms, serving the two accounts of the
// test project (testdata/project/humas.yaml) with credentials made for the run.
type fakes struct {
	x       *xfake.Server
	fb      *fbfake.Server
	servers []*httptest.Server
	secrets []string

	mu sync.Mutex
	// hang: "<platform>/<who>", who being what a posting request's path names
	// (fakes.fail): posts to record, then hang.
	hang map[string]int
	held map[string]int // the same keys: posts to keep until 'fakes release'
	// holding counts held posts that arrived; release ends the wait of those
	// held (closed and replaced by 'fakes release').
	holding int
	release chan struct{}

	social *socialFakes // Instagram, Telegram and the website (fakes_social_test.go)
}

// testAccount is one account of the test project on both fakes.
type testAccount struct{ key, username, page, name string }

// The test project's accounts, as in testdata/project/humas.yaml.
var testAccounts = []testAccount{
	{"diskominfo", "diskominfobpp", "100000000000001", "Diskominfo Kota Balikpapan"},
	{"kpu", "kpubalikpapan", "100000000000002", "KPU Kota Balikpapan"},
}

const fakesKey = "fakes"

// fakesHolder is stored in the scenario's values so commands find its fakes.
type fakesHolder struct{ f *fakes }

// cmdFakes controls the fake X and Graph servers of a scenario:
//
//	fakes start                                  start both, set HUMAS_*_URL and every credential
//	fakes fail PLATFORM ACCOUNT FAULT [N]        next N posts fail: unavailable, ratelimited,
//	                                             unauthorized, drop, hang, record-hang, held (kept
//	                                             until 'fakes release'), or (x, facebook) an HTTP
//	                                             status; PLATFORM is x, facebook, instagram or telegram
//	fakes wait-held N                            wait (5s at most) until N held posts have arrived
//	fakes release                                let every held post go on
//	fakes posts PLATFORM ACCOUNT N               the account holds exactly N posts
//	fakes wait-posts PLATFORM ACCOUNT N          wait (5s at most) until it holds N
//	fakes text PLATFORM ACCOUNT REGEXP           its newest post's text (caption, message) matches
//	fakes quotes ACCOUNT OTHER                   ACCOUNT's newest X post quotes OTHER's newest
//	fakes as-checked FILE                        every target of the release in FILE (check --json's
//	                                             output) got, as its newest post, the text check composed
//	fakes wait-grep FILE REGEXP                  wait (5s at most) until FILE matches
//	fakes site N FILE                            serve the website: 404 for the first N requests,
//	                                             then 200; put its URL for {{site}} in FILE
//	fakes requests N                             the fakes together saw exactly N requests
//	fakes no-secrets [FILE…]                     no credential in stdout, stderr or the files
//	fakes untrusted                              serve X over TLS with a certificate no one trusts
//
// and those about Instagram alone and the office's website (socialFakes.run).
func cmdFakes(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: fakes start|fail|posts|wait-posts|text|quotes|requests|no-secrets …")
	}
	h := ts.Value(fakesKey).(*fakesHolder)
	if args[0] == "start" {
		if h.f != nil {
			ts.Fatalf("fakes already started")
		}
		h.f = startFakes(ts)
		return
	}
	f := h.f
	if f == nil {
		ts.Fatalf("fakes: run 'fakes start' first")
	}
	if args[0] == "as-checked" {
		if len(args) != 2 || neg {
			ts.Fatalf("usage: fakes as-checked FILE")
		}
		f.asChecked(ts, args[1])
		return
	}
	if f.social.handles(args) {
		f.social.run(ts, f, neg, args)
		return
	}
	switch args[0] {
	case "fail":
		if len(args) < 4 {
			ts.Fatalf("usage: fakes fail PLATFORM ACCOUNT FAULT [N]")
		}
		n := 1
		if len(args) > 4 {
			n = atoi(ts, args[4])
		}
		f.fail(ts, args[1], args[2], args[3], n)
	case "posts", "wait-posts":
		if len(args) != 4 {
			ts.Fatalf("usage: fakes %s PLATFORM ACCOUNT N", args[0])
		}
		want := atoi(ts, args[3])
		deadline := time.Now().Add(5 * time.Second)
		got := f.count(ts, args[1], args[2])
		for args[0] == "wait-posts" && got != want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			got = f.count(ts, args[1], args[2])
		}
		if (got == want) == neg {
			ts.Fatalf("%s/%s holds %d posts, want %s%d", args[2], args[1], got, notIf(neg), want)
		}
	case "text":
		if len(args) != 4 {
			ts.Fatalf("usage: fakes text PLATFORM ACCOUNT REGEXP")
		}
		text := f.newest(ts, args[1], args[2])
		re, err := regexp.Compile(args[3])
		ts.Check(err)
		if re.MatchString(text) == neg {
			ts.Fatalf("%s/%s newest post %q: want %smatching %q", args[2], args[1], text, notIf(neg), args[3])
		}
	case "quotes":
		if len(args) != 3 {
			ts.Fatalf("usage: fakes quotes ACCOUNT OTHER")
		}
		posts := f.x.Posts(account(ts, args[1]).username)
		other := f.x.Posts(account(ts, args[2]).username)
		if len(posts) == 0 || len(other) == 0 {
			ts.Fatalf("fakes quotes: %s has %d X posts, %s has %d", args[1], len(posts), args[2], len(other))
		}
		quoted := posts[len(posts)-1].QuoteID == other[len(other)-1].ID
		if quoted == neg {
			ts.Fatalf("%s's X post quotes %q; %s's post is %q", args[1], posts[len(posts)-1].QuoteID, args[2], other[len(other)-1].ID)
		}
	case "requests":
		if len(args) != 2 {
			ts.Fatalf("usage: fakes requests N")
		}
		got := f.x.Requests() + f.fb.Requests() + f.social.requests()
		if (got == atoi(ts, args[1])) == neg {
			ts.Fatalf("the fakes saw %d requests, want %s%s", got, notIf(neg), args[1])
		}
	case "wait-grep":
		if len(args) != 3 {
			ts.Fatalf("usage: fakes wait-grep FILE REGEXP")
		}
		re, err := regexp.Compile(args[2])
		ts.Check(err)
		deadline := time.Now().Add(5 * time.Second)
		for {
			b, _ := os.ReadFile(ts.MkAbs(args[1]))
			if re.Match(b) {
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("%s: no line matching %q within 5s", args[1], args[2])
			}
			time.Sleep(20 * time.Millisecond)
		}
	case "wait-held":
		if len(args) != 2 {
			ts.Fatalf("usage: fakes wait-held N")
		}
		want := atoi(ts, args[1])
		deadline := time.Now().Add(5 * time.Second)
		for {
			f.mu.Lock()
			got := f.holding
			f.mu.Unlock()
			if got >= want {
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("%d held posts arrived within 5s, want %d", got, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	case "release":
		f.mu.Lock()
		close(f.release)
		f.release = make(chan struct{})
		f.mu.Unlock()
	case "untrusted":
		// X behind a TLS certificate no system trusts, as a proxy that intercepts
		// TLS, or a wrong address, would be.
		srv := httptest.NewTLSServer(f.x.Handler())
		f.servers = append(f.servers, srv)
		ts.Setenv("HUMAS_X_API_URL", srv.URL)
	case "site":
		if len(args) != 3 {
			ts.Fatalf("usage: fakes site N FILE")
		}
		page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<!doctype html><title>ok</title>"))
		})
		f.site(ts, atoi(ts, args[1]), page, args[2:])
	case "no-secrets":
		f.noSecrets(ts, args[1:])
	default:
		ts.Fatalf("fakes: unknown subcommand %q", args[0])
	}
}

func startFakes(ts *testscript.TestScript) *fakes {
	f := &fakes{x: xfake.New(), fb: fbfake.New(), hang: map[string]int{}, held: map[string]int{}, release: make(chan struct{})}
	xURL := f.serve(ts, "x", f.x.Handler())
	fbURL := f.serve(ts, "facebook", f.fb.Handler())
	ts.Setenv("HUMAS_X_API_URL", xURL)
	ts.Setenv("HUMAS_FACEBOOK_GRAPH_URL", fbURL)
	f.social = f.startSocial(ts)
	for i, a := range testAccounts {
		secret := func(what string) string {
			s := fmt.Sprintf("s3cret-%s-%s-%d-%d", a.key, what, i, time.Now().UnixNano())
			f.secrets = append(f.secrets, s)
			return s
		}
		xa := xfake.Account{
			Username: a.username, APIKey: secret("apikey"), APISecret: secret("apisecret"),
			AccessToken: secret("token"), AccessSecret: secret("tokensecret"),
		}
		f.x.AddAccount(xa)
		for k, v := range xa.Env(a.key) {
			ts.Setenv(k, v)
		}
		page := fbfake.Page{ID: a.page, Name: a.name, Token: secret("pagetoken"), AppSecret: secret("appsecret")}
		f.fb.AddPage(page)
		up := strings.ToUpper(a.key)
		ts.Setenv("HUMAS_"+up+"_FACEBOOK_PAGE_TOKEN", page.Token)
		ts.Setenv("HUMAS_"+up+"_FACEBOOK_APP_SECRET", page.AppSecret)
	}
	ts.Defer(func() {
		for _, s := range f.servers {
			s.CloseClientConnections()
			s.Close()
		}
		f.x.Close()
		f.fb.Close()
	})
	return f
}

// serve runs a fake behind a front that can record a post and then never answer,
// as a platform does when the process that sent it is killed mid-request.
func (f *fakes) serve(ts *testscript.TestScript, platform string, h http.Handler) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && f.take(f.hang, platform, r.URL.Path) {
			h.ServeHTTP(httptest.NewRecorder(), r)
			<-r.Context().Done()
			return
		}
		if r.Method == http.MethodPost && f.take(f.held, platform, r.URL.Path) && !f.hold(r) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	f.servers = append(f.servers, srv)
	return srv.URL
}

// hold keeps a posting request until 'fakes release', and reports whether it goes
// on: false when its client went away first (killed), so nothing is recorded.
func (f *fakes) hold(r *http.Request) bool {
	// The server notices a client that went away only once the body is read: read
	// it now, and hand the fake a copy.
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	f.holding++
	release := f.release
	f.mu.Unlock()
	select {
	case <-release:
		return r.Context().Err() == nil
	case <-r.Context().Done():
		return false
	}
}

// site serves the office's website, h, as a deploy in progress: missing for the
// first n requests, then there; its URL replaces {{site}} in each of files.
func (f *fakes) site(ts *testscript.TestScript, n int, h http.Handler, files []string) {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		missing := n > 0
		if missing {
			n--
		}
		mu.Unlock()
		if missing {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	f.servers = append(f.servers, srv)
	fillIn(ts, files, "{{site}}", srv.URL)
}

// fillIn replaces placeholder in each of files with url, a server a scenario
// started on a port it could not know.
func fillIn(ts *testscript.TestScript, files []string, placeholder, url string) {
	for _, file := range files {
		path := ts.MkAbs(file)
		b, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, []byte(strings.ReplaceAll(string(b), placeholder, url)), 0o644))
	}
}

// take reports whether this request makes a post public (X's tweets, Facebook's
// feed or photos, Instagram's media_publish, Telegram's sendMessage or sendPhoto)
// of an account counted in faults (f.hang or f.held), and counts it.
func (f *fakes) take(faults map[string]int, platform, path string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	lower := strings.ToLower(path)
	for key, n := range faults {
		pl, who, _ := strings.Cut(key, "/")
		if pl != platform || n == 0 {
			continue
		}
		posting := platform == "x" && path == "/2/tweets" ||
			platform == "facebook" && strings.Contains(path, "/"+who+"/") && (strings.HasSuffix(path, "/feed") || strings.HasSuffix(path, "/photos")) ||
			platform == "instagram" && strings.HasSuffix(path, "/"+who+"/media_publish") ||
			platform == "telegram" && strings.HasPrefix(path, "/bot"+who+":") &&
				(strings.HasSuffix(lower, "/sendmessage") || strings.HasSuffix(lower, "/sendphoto"))
		if posting {
			faults[key] = n - 1
			return true
		}
	}
	return false
}

func (f *fakes) fail(ts *testscript.TestScript, platform, acct, fault string, n int) {
	a, s := account(ts, acct), socialOf(ts, acct)
	// who is the account as a posting request's path names it (take).
	who, ok := map[string]string{"x": a.username, "facebook": a.page, "instagram": s.igUser,
		"telegram": strconv.FormatInt(s.bot, 10)}[platform]
	if !ok {
		ts.Fatalf("fakes: unknown platform %q", platform)
	}
	if front := map[string]map[string]int{"record-hang": f.hang, "held": f.held}[fault]; front != nil {
		f.mu.Lock()
		defer f.mu.Unlock()
		front[platform+"/"+who] += n
		return
	}
	faults := map[string]postertest.Fault{
		"unavailable": postertest.Unavailable, "ratelimited": postertest.RateLimited,
		"unauthorized": postertest.Unauthorized, "drop": postertest.DropAfterRecord, "hang": postertest.Hang,
	}
	if flt, ok := faults[fault]; ok {
		switch platform {
		case "x":
			f.x.Fail(a.username, flt, n)
		case "facebook":
			f.fb.Fail(a.page, flt, n)
		case "instagram":
			f.social.ig.Fail(s.igUser, flt, n)
		case "telegram":
			f.social.tg.Fail(s.channel, flt, n)
		}
		return
	}
	switch platform {
	case "x":
		f.x.FailStatus(a.username, atoi(ts, fault), n)
	case "facebook":
		f.fb.FailCode(a.page, atoi(ts, fault), 2, n)
	default:
		ts.Fatalf("fakes fail: unknown fault %q", fault)
	}
}

func (f *fakes) count(ts *testscript.TestScript, platform, acct string) int {
	a := account(ts, acct)
	switch platform {
	case "x":
		return len(f.x.Posts(a.username))
	case "facebook":
		return len(f.fb.Posts(a.page))
	case "instagram", "telegram":
		return f.social.count(ts, platform, acct)
	}
	ts.Fatalf("fakes: unknown platform %q", platform)
	return 0
}

func (f *fakes) newest(ts *testscript.TestScript, platform, acct string) string {
	a := account(ts, acct)
	switch platform {
	case "x":
		if p := f.x.Posts(a.username); len(p) > 0 {
			return p[len(p)-1].Text
		}
	case "facebook":
		if p := f.fb.Posts(a.page); len(p) > 0 {
			return p[len(p)-1].Message + "\n" + p[len(p)-1].Link
		}
	case "instagram", "telegram":
		return f.social.newest(ts, platform, acct)
	}
	ts.Fatalf("%s/%s has no posts", acct, platform)
	return ""
}

// asChecked holds what every platform received to what check --json composed
// before the run (the JSON in file): the promise that what check passes is what
// goes out. Facebook gets the article link as a parameter of its own beside the
// text; a partner's Telegram message gets the link to the issuer's message on a
// line after it (platform.Platform.QuoteLink), which check keeps room for.
func (f *fakes) asChecked(ts *testscript.TestScript, file string) {
	var doc struct {
		Releases []struct {
			Targets []struct{ Account, Platform, Text string }
		}
	}
	if err := json.Unmarshal([]byte(ts.ReadFile(file)), &doc); err != nil {
		ts.Fatalf("fakes as-checked: %v", err)
	}
	n := 0
	for _, r := range doc.Releases {
		for _, t := range r.Targets {
			var got string
			switch t.Platform {
			case "x":
				got = f.newest(ts, t.Platform, t.Account)
			case "facebook":
				f.newest(ts, t.Platform, t.Account) // fails when there is none
				posts := f.fb.Posts(account(ts, t.Account).page)
				got = posts[len(posts)-1].Message
			case "instagram", "telegram":
				got = f.newest(ts, t.Platform, t.Account)
				if t.Platform == "telegram" && strings.HasPrefix(got, t.Text+"\nhttps://t.me/") && !strings.Contains(got[len(t.Text)+1:], "\n") {
					got = t.Text
				}
			default:
				continue
			}
			if got != t.Text {
				ts.Fatalf("%s/%s received\n%s\ncheck --json composed\n%s", t.Account, t.Platform, got, t.Text)
			}
			n++
		}
	}
	if n == 0 {
		ts.Fatalf("fakes as-checked: no social target in %s", file)
	}
}

// noSecrets fails if any credential of the run appears in the last command's
// output or in any file under the work folder (or only the files named).
func (f *fakes) noSecrets(ts *testscript.TestScript, files []string) {
	check := func(name, text string) {
		for _, s := range f.secrets {
			if strings.Contains(text, s) {
				ts.Fatalf("%s contains a credential", name)
			}
		}
	}
	check("stdout", ts.ReadFile("stdout"))
	check("stderr", ts.ReadFile("stderr"))
	if len(files) > 0 {
		for _, name := range files {
			check(name, ts.ReadFile(name))
		}
		return
	}
	work := ts.Getenv("WORK")
	err := filepath.WalkDir(work, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		check(path, string(b))
		return nil
	})
	ts.Check(err)
}

func account(ts *testscript.TestScript, key string) testAccount {
	for _, a := range testAccounts {
		if a.key == key {
			return a
		}
	}
	ts.Fatalf("fakes: unknown account %q (the test project has diskominfo and kpu)", key)
	return testAccounts[0]
}

func atoi(ts *testscript.TestScript, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		ts.Fatalf("%q is not a number", s)
	}
	return n
}

func notIf(neg bool) string {
	if neg {
		return "not "
	}
	return ""
}
