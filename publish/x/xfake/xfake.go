// Package xfake is a strict fake of the parts of X API v2 humas uses, for tests: it checks
// OAuth 1.0a signatures, timestamps and nonces, request shapes, duplicates and media
// ownership as X does, and can be told to fail the next posting requests.
package xfake

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/xtext"
)

// maxAlt is X's limit on an image's alt text, in characters.
const maxAlt = 1000

// maxImage is X's limit on an image uploaded in one request.
const maxImage = 5 << 20

// clockSkew is how far an oauth_timestamp may be from the server's clock.
const clockSkew = 5 * time.Minute

// Account is an X account the fake knows, with the credentials its requests must carry.
type Account struct {
	Username                                     string
	APIKey, APISecret, AccessToken, AccessSecret string
}

// Env is the environment humas reads a's credentials from when a is the X account of
// the institution with key account: HUMAS_<ACCOUNT>_X_API_KEY and the other three.
func (a Account) Env(account string) map[string]string {
	return map[string]string{
		publish.EnvName(account, "X_API_KEY"):       a.APIKey,
		publish.EnvName(account, "X_API_SECRET"):    a.APISecret,
		publish.EnvName(account, "X_ACCESS_TOKEN"):  a.AccessToken,
		publish.EnvName(account, "X_ACCESS_SECRET"): a.AccessSecret,
	}
}

// Tweet is a post as the fake recorded it. AltTexts holds, for each of MediaIDs, the alt
// text set on that image ("" when none).
type Tweet struct {
	ID       string
	Text     string
	QuoteID  string
	MediaIDs []string
	AltTexts []string
}

// Server is a running fake. All its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to give the adapter, http://127.0.0.1:port.
	URL string

	srv       *httptest.Server
	closing   chan struct{}
	closeOnce sync.Once
	now       func() time.Time

	mu       sync.Mutex
	requests int
	seq      int64
	accounts map[string]*account // by username
	byToken  map[string]*account // by access token
	keys     map[string]bool     // known API keys
	nonces   map[string]bool     // API key + nonce already used
	tweets   map[string]string   // tweet id -> owner username
	media    map[string]*media
	windows  map[string]*window // username + " " + endpoint -> its rate-limit window
}

// window is one user's rate-limit window on one endpoint.
type window struct {
	start time.Time
	used  int
}

// rateWindow is X's rate-limit window: "Most limits reset every 15 minutes"
// (docs.x.com/fundamentals/rate-limits).
const rateWindow = 15 * time.Minute

// rateLimit is how many requests a user may make to an endpoint in one window.
// X's figures depend on the endpoint and the plan; these are of their order
// (posting is the scarce one).
func rateLimit(endpoint string) int {
	if strings.HasPrefix(endpoint, "POST ") {
		return 100
	}
	return 900
}

type account struct {
	Account
	id     string
	posts  []stored // oldest first
	faults []fault
}

type stored struct {
	Tweet
	created time.Time
}

type media struct {
	owner string
	alt   string
}

// fault is one scripted failure: a postertest fault, or a bare HTTP status.
type fault struct {
	kind   postertest.Fault
	status int
}

// New starts a fake on 127.0.0.1. Close it when done.
func New() *Server {
	s := newServer()
	s.srv = httptest.NewServer(s.Handler())
	s.URL = s.srv.URL
	return s
}

func newServer() *Server {
	return &Server{
		closing:  make(chan struct{}),
		now:      time.Now,
		seq:      1_800_000_000_000_000_000,
		accounts: map[string]*account{},
		byToken:  map[string]*account{},
		keys:     map[string]bool{},
		nonces:   map[string]bool{},
		tweets:   map[string]string{},
		media:    map[string]*media{},
		windows:  map[string]*window{},
	}
}

// Handler serves the fake API, for a caller that runs it on a listener of its own.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Close releases hanging requests and stops the server started by New.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	if s.srv != nil {
		s.srv.Close()
	}
}

// AddAccount makes the fake know a; its user id is generated. Adding a username again replaces
// the account's credentials and keeps its posts.
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.accounts[a.Username]
	if ok {
		delete(s.byToken, acct.AccessToken)
		acct.Account = a
	} else {
		acct = &account{Account: a, id: strconv.Itoa(1_400_000_001 + len(s.accounts))}
		s.accounts[a.Username] = acct
	}
	s.byToken[a.AccessToken] = acct
	s.keys[a.APIKey] = true
}

// Fail makes the next n posting requests (POST /2/tweets) of username fail with f.
func (s *Server) Fail(username string, f postertest.Fault, n int) {
	s.addFaults(username, fault{kind: f}, n)
}

// FailStatus makes the next n posting requests of username answer status with a problem body.
func (s *Server) FailStatus(username string, status, n int) {
	s.addFaults(username, fault{status: status}, n)
}

func (s *Server) addFaults(username string, f fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.accounts[username]
	if !ok {
		panic("xfake: no account " + username)
	}
	for range n {
		acct.faults = append(acct.faults, f)
	}
}

// Posts returns the posts username has on the fake, oldest first.
func (s *Server) Posts(username string) []Tweet {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.accounts[username]
	if !ok {
		return nil
	}
	out := make([]Tweet, len(acct.posts))
	for i, p := range acct.posts {
		t := p.Tweet
		t.MediaIDs = append([]string(nil), t.MediaIDs...)
		t.AltTexts = append([]string(nil), t.AltTexts...)
		out[i] = t
	}
	return out
}

// Requests is how many requests the fake has received, whatever their outcome.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			invalid(w, "cannot parse the form body")
			return
		}
	}
	acct, ok := s.authenticate(r)
	if !ok {
		problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
		return
	}
	if !s.rateLimit(w, r, acct) {
		problem(w, http.StatusTooManyRequests, "Too Many Requests", "Too Many Requests", "about:blank")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/2/tweets":
		s.createTweet(w, r, acct)
	case r.Method == http.MethodPost && r.URL.Path == "/2/media/upload":
		s.upload(w, r, acct)
	case r.Method == http.MethodPost && r.URL.Path == "/2/media/metadata":
		s.metadata(w, r, acct)
	case r.Method == http.MethodGet && r.URL.Path == "/2/users/me":
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{
			"id": acct.id, "name": acct.Username, "username": acct.Username}})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/2/users/") && strings.HasSuffix(r.URL.Path, "/tweets"):
		s.timeline(w, r, acct)
	default:
		problem(w, http.StatusNotFound, "Not Found Error", "no such endpoint: "+r.Method+" "+r.URL.Path,
			"https://api.twitter.com/2/problems/resource-not-found")
	}
}

// authenticate checks the OAuth 1.0a header as X does and returns whose token it carries.
func (s *Server) authenticate(r *http.Request) (*account, bool) {
	oauth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return nil, false
	}
	ts, err := strconv.ParseInt(oauth["oauth_timestamp"], 10, 64)
	if err != nil {
		return nil, false
	}
	if d := s.now().Sub(time.Unix(ts, 0)); d > clockSkew || d < -clockSkew {
		return nil, false
	}
	base := requestBase(r, oauth)
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.byToken[oauth["oauth_token"]]
	if !ok || !s.keys[oauth["oauth_consumer_key"]] || acct.APIKey != oauth["oauth_consumer_key"] {
		return nil, false
	}
	want := signature(base, acct.APISecret, acct.AccessSecret)
	if !hmacEqual(want, oauth["oauth_signature"]) {
		return nil, false
	}
	nonce := oauth["oauth_consumer_key"] + "\x00" + oauth["oauth_nonce"]
	if s.nonces[nonce] {
		return nil, false
	}
	s.nonces[nonce] = true
	return acct, true
}

// rateLimit counts the request in its user's window on its endpoint and sets the
// three headers X sends on every answer, whatever the answer is: "Every API response
// includes headers showing your current rate limit status: x-rate-limit-limit,
// x-rate-limit-remaining, x-rate-limit-reset (Unix timestamp when the limit
// resets)" (docs.x.com/fundamentals/rate-limits). It reports false when the limit
// is spent: X answers 429.
func (s *Server) rateLimit(w http.ResponseWriter, r *http.Request, acct *account) bool {
	endpoint := r.Method + " " + r.URL.Path
	if strings.HasPrefix(r.URL.Path, "/2/users/") && strings.HasSuffix(r.URL.Path, "/tweets") {
		endpoint = r.Method + " /2/users/:id/tweets"
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	key := acct.Username + " " + endpoint
	win := s.windows[key]
	if win == nil || now.Sub(win.start) >= rateWindow {
		win = &window{start: now}
		s.windows[key] = win
	}
	limit := rateLimit(endpoint)
	spent := win.used >= limit
	if !spent {
		win.used++
	}
	h := w.Header()
	h.Set("x-rate-limit-limit", strconv.Itoa(limit))
	h.Set("x-rate-limit-remaining", strconv.Itoa(limit-win.used))
	h.Set("x-rate-limit-reset", strconv.FormatInt(win.start.Add(rateWindow).Unix(), 10))
	return !spent
}

func (s *Server) nextID() string {
	s.seq++
	return strconv.FormatInt(s.seq, 10)
}

func (s *Server) takeFault(acct *account) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return postertest.Next(&acct.faults)
}

func (s *Server) createTweet(w http.ResponseWriter, r *http.Request, acct *account) {
	drop, hang := false, false
	if f, ok := s.takeFault(acct); ok {
		switch {
		case f.status != 0:
			problem(w, f.status, http.StatusText(f.status), http.StatusText(f.status), "about:blank")
			return
		case f.kind == postertest.Unavailable:
			problem(w, http.StatusServiceUnavailable, "Service Unavailable", "Service Unavailable", "about:blank")
			return
		case f.kind == postertest.RateLimited:
			// X gives the reset in whole unix seconds; two seconds ahead of a truncated
			// now is between one and two seconds away.
			w.Header().Set("x-rate-limit-limit", "100")
			w.Header().Set("x-rate-limit-remaining", "0")
			w.Header().Set("x-rate-limit-reset", strconv.FormatInt(s.now().Unix()+2, 10))
			problem(w, http.StatusTooManyRequests, "Too Many Requests", "Too Many Requests", "about:blank")
			return
		case f.kind == postertest.Unauthorized:
			problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
			return
		case f.kind == postertest.Hang:
			// The server notices the client leaving only once the body is read.
			_, _ = io.Copy(io.Discard, r.Body)
			postertest.Wait(r, s.closing)
			return
		case f.kind == postertest.DropAfterRecord:
			drop = true
		case f.kind == postertest.RecordAndHang:
			hang = true
		}
	}
	if !isJSON(r) {
		invalid(w, "Content-Type must be application/json")
		return
	}
	var in struct {
		Text         *string `json:"text"`
		QuoteTweetID string  `json:"quote_tweet_id"`
		Media        *struct {
			MediaIDs []string `json:"media_ids"`
		} `json:"media"`
	}
	if err := decodeStrict(r.Body, &in); err != nil {
		invalid(w, err.Error())
		return
	}
	if in.Text == nil || strings.TrimSpace(*in.Text) == "" {
		invalid(w, "text is required")
		return
	}
	if m := xtext.Parse(*in.Text); m.WeightedLength > xtext.Limit {
		problem(w, http.StatusForbidden, "Forbidden",
			fmt.Sprintf("Your Tweet text is too long (%d > %d).", m.WeightedLength, xtext.Limit), "about:blank")
		return
	} else if !m.Valid {
		invalid(w, "Your Tweet text holds characters X does not accept.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range acct.posts {
		if p.Text == *in.Text {
			problem(w, http.StatusForbidden, "Forbidden",
				"You are not allowed to create a Tweet with duplicate content.", "about:blank")
			return
		}
	}
	if in.QuoteTweetID != "" {
		if _, ok := s.tweets[in.QuoteTweetID]; !ok {
			invalid(w, "The quoted Tweet does not exist: "+in.QuoteTweetID)
			return
		}
	}
	t := Tweet{ID: s.nextID(), Text: *in.Text, QuoteID: in.QuoteTweetID}
	if in.Media != nil {
		if len(in.Media.MediaIDs) == 0 || len(in.Media.MediaIDs) > 4 {
			invalid(w, "media.media_ids must hold 1 to 4 ids")
			return
		}
		for _, id := range in.Media.MediaIDs {
			m, ok := s.media[id]
			if !ok || m.owner != acct.Username {
				invalid(w, "Your media IDs are invalid.")
				return
			}
			t.MediaIDs = append(t.MediaIDs, id)
			t.AltTexts = append(t.AltTexts, m.alt)
		}
	}
	acct.posts = append(acct.posts, stored{Tweet: t, created: s.now()})
	s.tweets[t.ID] = acct.Username
	if drop {
		postertest.Drop(w, "xfake")
		return
	}
	if hang {
		s.mu.Unlock()
		postertest.Wait(r, s.closing)
		s.mu.Lock() // for the deferred unlock
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{
		"id": t.ID, "text": shorten(t.Text), "edit_history_tweet_ids": []string{t.ID}}})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, acct *account) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		invalid(w, "Content-Type must be multipart/form-data")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImage+1<<20)
	if err := r.ParseMultipartForm(maxImage + 1<<20); err != nil {
		invalid(w, "cannot parse the multipart body")
		return
	}
	switch c := r.PostFormValue("media_category"); c {
	case "", "tweet_image":
	default:
		invalid(w, "media_category "+c+" is not tweet_image")
		return
	}
	f, _, err := r.FormFile("media")
	if err != nil {
		invalid(w, "media is required")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImage+1))
	if err != nil {
		invalid(w, "cannot read media")
		return
	}
	if len(data) > maxImage {
		invalid(w, "media is larger than 5 MB")
		return
	}
	ct := http.DetectContentType(data)
	switch ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
	default:
		invalid(w, "media is not an image X accepts: "+ct)
		return
	}
	s.mu.Lock()
	id := s.nextID()
	s.media[id] = &media{owner: acct.Username}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id": id, "media_key": "3_" + id, "size": len(data), "expires_after_secs": 86400,
		"image": map[string]string{"image_type": ct}}})
}

func (s *Server) metadata(w http.ResponseWriter, r *http.Request, acct *account) {
	if !isJSON(r) {
		invalid(w, "Content-Type must be application/json")
		return
	}
	var in struct {
		ID       string `json:"id"`
		Metadata struct {
			AltText *struct {
				Text string `json:"text"`
			} `json:"alt_text"`
		} `json:"metadata"`
	}
	if err := decodeStrict(r.Body, &in); err != nil {
		invalid(w, err.Error())
		return
	}
	if in.ID == "" || in.Metadata.AltText == nil {
		invalid(w, "id and metadata.alt_text are required")
		return
	}
	if utf8.RuneCountInString(in.Metadata.AltText.Text) > maxAlt {
		invalid(w, "alt text is longer than 1000 characters")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[in.ID]
	if !ok || m.owner != acct.Username {
		invalid(w, "no such media: "+in.ID)
		return
	}
	m.alt = in.Metadata.AltText.Text
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id": in.ID, "associated_metadata": map[string]any{"alt_text": map[string]string{"text": m.alt}}}})
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request, acct *account) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2/users/"), "/tweets")
	if id != acct.id {
		problem(w, http.StatusForbidden, "Forbidden", "You can only read your own timeline on this fake",
			"https://api.twitter.com/2/problems/not-authorized-for-resource")
		return
	}
	q := r.URL.Query()
	limit := 10
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 100 {
			invalid(w, "max_results must be a number between 5 and 100")
			return
		}
		limit = n
	}
	fields := map[string]bool{}
	for _, f := range strings.Split(q.Get("tweet.fields"), ",") {
		fields[f] = true
	}
	s.mu.Lock()
	var data []map[string]any
	for i := len(acct.posts) - 1; i >= 0 && len(data) < limit; i-- {
		p := acct.posts[i]
		t := map[string]any{"id": p.ID, "text": shorten(p.Text), "edit_history_tweet_ids": []string{p.ID}}
		if fields["created_at"] {
			t["created_at"] = p.created.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		if urls := links(p.Text); fields["entities"] && len(urls) > 0 {
			t["entities"] = map[string]any{"urls": urls}
		}
		data = append(data, t)
	}
	s.mu.Unlock()
	meta := map[string]any{"result_count": len(data)}
	answer := map[string]any{"meta": meta}
	if len(data) > 0 {
		answer["data"] = data
		meta["newest_id"] = data[0]["id"]
		meta["oldest_id"] = data[len(data)-1]["id"]
	}
	writeJSON(w, http.StatusOK, answer)
}

// links lists the URLs in text as X's entities do, each shortened to a t.co link, with
// offsets in code points. X expands a bare domain with http://.
func links(text string) []map[string]any {
	var out []map[string]any
	from := 0 // byte offset where the next URL may start
	for _, u := range xtext.ExtractURLs(text) {
		i := strings.Index(text[from:], u)
		if i < 0 {
			continue
		}
		start := utf8.RuneCountInString(text[:from+i])
		from += i + len(u)
		expanded := u
		if !strings.Contains(u, "://") {
			expanded = "http://" + u
		}
		display := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		out = append(out, map[string]any{"start": start, "end": start + utf8.RuneCountInString(u),
			"url": tco(expanded), "expanded_url": expanded, "display_url": display})
	}
	return out
}

// shorten replaces the URLs in text by t.co links, as X shows a post's text.
func shorten(text string) string {
	var b strings.Builder
	from := 0
	for _, u := range xtext.ExtractURLs(text) {
		i := strings.Index(text[from:], u)
		if i < 0 {
			continue
		}
		expanded := u
		if !strings.Contains(u, "://") {
			expanded = "http://" + u
		}
		b.WriteString(text[from : from+i])
		b.WriteString(tco(expanded))
		from += i + len(u)
	}
	b.WriteString(text[from:])
	return b.String()
}

func tco(u string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(u); i++ {
		h = (h ^ uint32(u[i])) * 16777619
	}
	return fmt.Sprintf("https://t.co/%010x", h)
}

func isJSON(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("invalid JSON body: more than one value")
	}
	return nil
}

// invalid answers as X does a request with a bad parameter.
func invalid(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"errors": []map[string]string{{"message": msg}},
		"title":  "Invalid Request",
		"detail": "One or more parameters to your request was invalid.",
		"type":   "https://api.twitter.com/2/problems/invalid-request",
	})
}

// problem answers in the problem format of X API v2.
func problem(w http.ResponseWriter, status int, title, detail, typ string) {
	writeJSON(w, status, map[string]any{"title": title, "detail": detail, "type": typ, "status": status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func hmacEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
