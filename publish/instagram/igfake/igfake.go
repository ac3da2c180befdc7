// Package igfake is a strict fake of the Instagram Graph API calls humas makes, served
// on 127.0.0.1 for adapter, pipeline and command tests.
//
// It answers what Graph answers for an Instagram professional account, as Graph
// shapes it (error objects with code, error_subcode, is_transient and the user-facing
// title and message; Content-Type, facebook-api-version, x-fb-trace-id and
// X-Business-Use-Case-Usage on every answer, WWW-Authenticate on a refused token):
//
//	GET  /{version}/{ig-user-id}?fields=id,username           the account
//	GET  /{version}/{ig-user-id}/content_publishing_limit      quota_usage and config, optionally since
//	POST /{version}/{ig-user-id}/media                         image_url, caption, alt_text, collaborators -> {"id"} (a container)
//	GET  /{version}/{container-id}?fields=id,status_code,status
//	POST /{version}/{ig-user-id}/media_publish                 creation_id -> {"id"} (the post)
//	GET  /{version}/{ig-user-id}/media                         the account's posts, newest first, paged
//	GET  /{version}/{media-id}?fields=id,permalink,...
//
// and refuses what Graph refuses: a path without a /vNN.N/ version, a missing or
// unknown token, another account's objects, a missing or wrong appsecret_proof when
// the account's app requires it, an image it cannot fetch from image_url (it really
// fetches it, from 127.0.0.1 or a host mapped with ServeHost, never the internet),
// that is not a JPEG, is over 8 MB or outside 4:5 to 1.91:1, a caption over 2,200
// characters, 30 hashtags or 20 mentions, more than three collaborators, publishing a
// container that is not FINISHED, has expired (24 hours) or was published already,
// and publishing past the account's limit (50 posts in a moving 24 hours).
//
// A container answers IN_PROGRESS to its first status check (Processing changes how
// many) and FINISHED after. Instagram has no duplicate check: the same caption twice
// is two posts.
//
// Faults set with Fail or FailCode hit the next media_publish requests of an
// account, after the request was checked:
//
//	postertest.Unavailable      HTTP 503, code 2, is_transient
//	postertest.RateLimited      HTTP 400, code 4 "Application request limit reached",
//	                            X-Business-Use-Case-Usage with estimated_time_to_regain_access 1
//	                            (minute) and Retry-After: 1, which Graph does not send but
//	                            lets a retrying test wait a second, not a minute (as fbfake)
//	postertest.Unauthorized     HTTP 400, code 190, subcode 463, "Session has expired"
//	postertest.DropAfterRecord  the post is published, then the connection is closed
//	postertest.Hang             no answer until the client gives up or Close
//	postertest.RecordAndHang    the post is published, then no answer until the client gives up
package igfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/postertest"
)

// Limits Meta documents for a single-image post (IG User Media reference, "Image
// specifications" and the caption parameter; Content Publishing guide, "Rate
// limit"; IG Container reference, "Containers expire after 24 hours").
const (
	maxImageBytes    = 8 << 20
	maxCaption       = 2200
	maxHashtags      = 30
	maxMentions      = 20
	maxCollaborators = 3
	defaultQuota     = 50
	quotaWindow      = 24 * time.Hour
	containerLife    = 24 * time.Hour
	fetchTimeout     = 10 * time.Second
)

// Account is an Instagram professional account the fake knows, with the access
// token that acts for it.
type Account struct {
	UserID   string // the ig-user-id
	Username string
	Token    string
	// AppSecret, when set, makes appsecret_proof required and checked on every call
	// with Token, as an app with "Require App Secret" turned on does.
	AppSecret string
	// Quota is the publishing limit in 24 hours; 0 is Instagram's 50.
	Quota int
}

// Env is the environment humas reads a's credentials from when a is the Instagram
// account of the institution with key account.
func (a Account) Env(account string) map[string]string {
	env := map[string]string{publish.EnvName(account, "INSTAGRAM_TOKEN"): a.Token}
	if a.AppSecret != "" {
		env[publish.EnvName(account, "INSTAGRAM_APP_SECRET")] = a.AppSecret
	}
	return env
}

// Post is a published post as the fake holds it.
type Post struct {
	ID            string
	ContainerID   string
	Caption       string
	AltText       string
	ImageURL      string
	Collaborators []string
	Permalink     string
	Published     time.Time
}

// Container is a media container as the fake holds it.
type Container struct {
	ID       string
	Status   string // IN_PROGRESS, FINISHED, ERROR, EXPIRED or PUBLISHED
	Caption  string
	AltText  string
	ImageURL string
}

// Server is a running fake. Every method is safe for concurrent use.
type Server struct {
	// URL is the base to give the adapter, http://127.0.0.1:port, without a version.
	URL string

	srv       *httptest.Server
	done      chan struct{}
	closeOnce sync.Once
	fetch     *http.Client

	mu         sync.Mutex
	offset     time.Duration // added to the wall clock by Advance
	accounts   map[string]*account
	byToken    map[string]string // token -> ig-user-id
	containers map[string]*container
	media      map[string]string // media id -> ig-user-id
	hosts      map[string]string // host -> 127.0.0.1:port that serves it
	processing int
	requests   int
	seq        int
}

type account struct {
	Account
	posts        []Post // oldest first
	faults       []fault
	failNext     []int // subcodes the next containers end in ERROR with
	publishedAll []time.Time
}

type container struct {
	Container
	owner   string
	created time.Time
	checks  int
	failSub int
	collabs []string
}

type fault struct {
	kind    postertest.Fault // 0 for a FailCode answer
	status  int
	code    int
	subcode int
}

// New starts a fake with no accounts on 127.0.0.1; Close stops it.
func New() *Server {
	s := &Server{
		done:       make(chan struct{}),
		accounts:   map[string]*account{},
		byToken:    map[string]string{},
		containers: map[string]*container{},
		media:      map[string]string{},
		hosts:      map[string]string{},
		processing: 1,
		seq:        17900000000000000,
	}
	s.fetch = &http.Client{
		Timeout: fetchTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 || !isLoopback(req.URL.Hostname()) {
				return fmt.Errorf("igfake: redirect to %s not followed", req.URL.Host)
			}
			return nil
		},
	}
	s.srv = httptest.NewServer(s.Handler())
	s.URL = s.srv.URL
	return s
}

// Close ends any hanging request and stops the server.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.srv.Close()
}

// AddAccount makes a known, replacing an account with the same id.
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.accounts[a.UserID]; ok {
		delete(s.byToken, old.Token)
	}
	if a.Quota == 0 {
		a.Quota = defaultQuota
	}
	s.accounts[a.UserID] = &account{Account: a}
	s.byToken[a.Token] = a.UserID
}

// ServeHost makes the fake fetch image URLs on host (the site's public name, such as
// humas.balikpapan.go.id) from addr (127.0.0.1:port, plain http), as Instagram would
// fetch them from the live site.
func (s *Server) ServeHost(host, addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hosts[strings.ToLower(host)] = addr
}

// Processing makes every new container answer IN_PROGRESS to its first n status
// checks before FINISHED.
func (s *Server) Processing(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.processing = n
}

// Advance moves the fake's clock: containers expire and the publishing window slides.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// Now is the fake's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// now is the fake's clock; s.mu is held.
func (s *Server) now() time.Time { return time.Now().Add(s.offset) }

// Fail makes the next n media_publish requests of account userID fail with f.
// Faults queue in the order given; Fail on an account not added panics, as a test
// mistake.
func (s *Server) Fail(userID string, f postertest.Fault, n int) {
	s.addFault(userID, fault{kind: f}, n)
}

// FailCode makes the next n media_publish requests of account userID answer
// httpStatus with a Graph error of the given code and subcode.
func (s *Server) FailCode(userID string, httpStatus, code, subcode, n int) {
	s.addFault(userID, fault{status: httpStatus, code: code, subcode: subcode}, n)
}

// FailContainer makes the next container of account userID end in ERROR, its
// status naming subcode (such as 2207052, a failed download).
func (s *Server) FailContainer(userID string, subcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustAccount(userID).failNext = append(s.mustAccount(userID).failNext, subcode)
}

func (s *Server) addFault(userID string, f fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.mustAccount(userID)
	for range n {
		a.faults = append(a.faults, f)
	}
}

func (s *Server) mustAccount(userID string) *account {
	a := s.accounts[userID]
	if a == nil {
		panic("igfake: unknown account " + userID)
	}
	return a
}

// Posts returns the posts of account userID, oldest first.
func (s *Server) Posts(userID string) []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[userID]
	if a == nil {
		return nil
	}
	return append([]Post(nil), a.posts...)
}

// Containers returns the containers of account userID, in the order they were made.
func (s *Server) Containers(userID string) []Container {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Container
	for _, c := range s.containers {
		if c.owner == userID {
			s.age(c)
			out = append(out, c.Container)
		}
	}
	// ids grow with s.seq, and all have the same length
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Requests counts every request the fake has received, answered or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Fake is the control side of account userID, for postertest.Run.
func (s *Server) Fake(userID string) postertest.Fake { return control{s: s, userID: userID} }

type control struct {
	s      *Server
	userID string
}

func (c control) Fail(f postertest.Fault, n int) { c.s.Fail(c.userID, f, n) }
func (c control) PostCount() int                 { return len(c.s.Posts(c.userID)) }

func (c control) NewestAlt() string {
	posts := c.s.Posts(c.userID)
	if len(posts) == 0 {
		return ""
	}
	return posts[len(posts)-1].AltText
}

// Proof is the appsecret_proof Graph expects for token under secret: hex HMAC-SHA256.
func Proof(token, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// Handler serves the fake's Graph API, for mounting on a server of the caller's own;
// paging links then point at the request's Host.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// versioned is how every Graph path starts; humas pins its version.
var versioned = regexp.MustCompile(`^/(v\d+\.\d+)/(.+)$`)

// answer carries what every answer of one request has in common.
type answer struct {
	w       http.ResponseWriter
	version string
	calls   int
	userID  string
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	calls := s.requests
	s.mu.Unlock()

	m := versioned.FindStringSubmatch(r.URL.Path)
	a := &answer{w: w, calls: calls}
	if m == nil {
		a.error(http.StatusBadRequest, 2500, 0, "OAuthException",
			"Unknown path components: "+r.URL.Path+" (igfake wants a pinned version such as /v25.0/)", "", "")
		return
	}
	a.version = m[1]
	parts := strings.Split(strings.Trim(m[2], "/"), "/")

	if err := parseForm(r); err != nil {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) "+err.Error(), "", "")
		return
	}
	token := requestToken(r)
	if token == "" {
		a.error(http.StatusBadRequest, 104, 0, "OAuthException", "An access token is required to request this resource.", "", "")
		return
	}
	s.mu.Lock()
	uid, ok := s.byToken[token]
	var acct Account
	if ok {
		acct = s.accounts[uid].Account
	}
	s.mu.Unlock()
	if !ok {
		a.error(http.StatusBadRequest, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token", "", "")
		return
	}
	a.userID = acct.UserID
	if acct.AppSecret != "" {
		// Graph's "Securing Requests": with Require App Secret on, every call
		// carries appsecret_proof, the HMAC-SHA256 of the token keyed by the secret.
		proof := r.Form.Get("appsecret_proof")
		if proof == "" {
			a.error(http.StatusBadRequest, 100, 0, "GraphMethodException", "API calls from the server require an appsecret_proof argument", "", "")
			return
		}
		if !hmac.Equal([]byte(proof), []byte(Proof(token, acct.AppSecret))) {
			a.error(http.StatusBadRequest, 100, 0, "GraphMethodException", "Invalid appsecret_proof provided in the API argument", "", "")
			return
		}
	}

	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		s.node(a, r, parts[0])
	case len(parts) == 2 && parts[0] == acct.UserID:
		switch {
		case parts[1] == "content_publishing_limit" && r.Method == http.MethodGet:
			s.publishingLimit(a, r)
		case parts[1] == "media" && r.Method == http.MethodPost:
			s.createContainer(a, r)
		case parts[1] == "media" && r.Method == http.MethodGet:
			s.listMedia(a, r)
		case parts[1] == "media_publish" && r.Method == http.MethodPost:
			s.publish(a, r)
		default:
			a.unsupported(r, parts[0])
		}
	default:
		a.unsupported(r, parts[0])
	}
}

// node answers GET of one object: the account itself, one of its containers or
// one of its posts. Anything else, another account's included, does not exist for
// this token.
func (s *Server) node(a *answer, r *http.Request, id string) {
	fields := strings.Split(r.Form.Get("fields"), ",")
	if r.Form.Get("fields") == "" {
		fields = []string{"id"}
	}
	s.mu.Lock()
	acct := s.accounts[a.userID]
	c := s.containers[id]
	owner, isMedia := s.media[id]
	var p Post
	if isMedia && owner == a.userID {
		for _, q := range acct.posts {
			if q.ID == id {
				p = q
			}
		}
	}
	var st Container
	if c != nil && c.owner == a.userID {
		s.age(c)
		if c.Status == "IN_PROGRESS" {
			c.checks++
			if c.checks > s.processing {
				c.Status = "FINISHED"
				if c.failSub != 0 {
					c.Status = "ERROR"
				}
			}
		}
		st = c.Container
	}
	failSub := 0
	if c != nil {
		failSub = c.failSub
	}
	username := acct.Username
	s.mu.Unlock()

	out := map[string]any{}
	switch {
	case id == a.userID:
		for _, f := range fields {
			switch f {
			case "id":
				out["id"] = id
			case "username":
				out["username"] = username
			case "name":
				out["name"] = username
			default:
				a.noField(f, "IGUser")
				return
			}
		}
	case st.ID != "":
		for _, f := range fields {
			switch f {
			case "id":
				out["id"] = st.ID
			case "status_code":
				out["status_code"] = st.Status
			case "status":
				// IG Container reference: when status_code is ERROR, status holds
				// the error subcode.
				switch st.Status {
				case "ERROR":
					out["status"] = fmt.Sprintf("Error: Media upload has failed with error code %d", failSub)
				default:
					out["status"] = strings.ToLower(st.Status)
				}
			default:
				a.noField(f, "IGContainer")
				return
			}
		}
	case p.ID != "":
		e, bad := mediaEntry(p, username, fields)
		if bad != "" {
			a.noField(bad, "IGMedia")
			return
		}
		out = e
	default:
		a.unsupported(r, id)
		return
	}
	a.json(http.StatusOK, out)
}

// age turns a container left unpublished for 24 hours into EXPIRED; s.mu is held.
func (s *Server) age(c *container) {
	if (c.Status == "IN_PROGRESS" || c.Status == "FINISHED") && s.now().Sub(c.created) >= containerLife {
		c.Status = "EXPIRED"
	}
}

func (s *Server) publishingLimit(a *answer, r *http.Request) {
	fields := []string{"quota_usage"} // the reference's default field
	if f := r.Form.Get("fields"); f != "" {
		fields = strings.Split(f, ",")
	}
	s.mu.Lock()
	now := s.now()
	from := now.Add(-quotaWindow)
	if v := r.Form.Get("since"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		since := time.Unix(sec, 0)
		// The reference: since is "a Unix timestamp no older than 24 hours".
		if err != nil || since.Before(from) || since.After(now) {
			s.mu.Unlock()
			a.error(http.StatusBadRequest, 100, 0, "OAuthException",
				"(#100) Param since must be a unix timestamp no older than 24 hours", "", "")
			return
		}
		from = since
	}
	acct := s.accounts[a.userID]
	used := 0
	for _, t := range acct.publishedAll {
		if t.After(from) {
			used++
		}
	}
	quota := acct.Quota
	s.mu.Unlock()
	e := map[string]any{}
	for _, f := range fields {
		switch f {
		case "quota_usage":
			e["quota_usage"] = used
		case "config":
			e["config"] = map[string]int{"quota_total": quota, "quota_duration": int(quotaWindow / time.Second)}
		default:
			a.noField(f, "ContentPublishingLimit")
			return
		}
	}
	a.json(http.StatusOK, map[string]any{"data": []any{e}})
}

func (s *Server) createContainer(a *answer, r *http.Request) {
	imageURL := r.Form.Get("image_url")
	caption := r.Form.Get("caption")
	if r.Form.Get("media_type") != "" || r.Form.Get("video_url") != "" {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) igfake makes single-image containers only", "", "")
		return
	}
	if imageURL == "" {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) The parameter image_url is required", "", "")
		return
	}
	// The caption limits are documented; Meta does not document the refusal's
	// wording, so these answers use Graph's invalid-parameter shape.
	if n := utf8.RuneCountInString(caption); n > maxCaption {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException",
			fmt.Sprintf("(#100) The caption is %d characters long; the maximum is %d", n, maxCaption), "", "")
		return
	}
	if n := countTags(caption, '#'); n > maxHashtags {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException",
			fmt.Sprintf("(#100) The caption has %d hashtags; the maximum is %d", n, maxHashtags), "", "")
		return
	}
	if n := countTags(caption, '@'); n > maxMentions {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException",
			fmt.Sprintf("(#100) The caption has %d @ tags; the maximum is %d", n, maxMentions), "", "")
		return
	}
	var collabs []string
	if v := r.Form.Get("collaborators"); v != "" {
		if err := json.Unmarshal([]byte(v), &collabs); err != nil {
			a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Param collaborators must be an array of usernames", "", "")
			return
		}
		if len(collabs) > maxCollaborators {
			a.error(http.StatusBadRequest, 100, 0, "OAuthException",
				fmt.Sprintf("(#100) A post can invite at most %d collaborators", maxCollaborators), "", "")
			return
		}
	}
	// Content Publishing guide: "We cURL media used in publishing attempts, so the
	// media must be hosted on a publicly accessible server at the time of the
	// attempt." The fake fetches it too, and checks what it got.
	if refused := s.fetchImage(r.Context(), a, imageURL); refused {
		return
	}

	s.mu.Lock()
	acct := s.accounts[a.userID]
	s.seq++
	c := &container{
		Container: Container{ID: strconv.Itoa(s.seq), Status: "IN_PROGRESS", Caption: caption,
			AltText: r.Form.Get("alt_text"), ImageURL: imageURL},
		owner:   a.userID,
		created: s.now(),
		collabs: collabs,
	}
	if len(acct.failNext) > 0 {
		c.failSub, acct.failNext = acct.failNext[0], acct.failNext[1:]
	}
	if s.processing == 0 {
		c.Status = "FINISHED"
		if c.failSub != 0 {
			c.Status = "ERROR"
		}
	}
	s.containers[c.ID] = c
	s.mu.Unlock()
	a.json(http.StatusOK, map[string]string{"id": c.ID})
}

// fetchImage fetches image_url as Instagram does and answers the refusal Instagram
// would, with the codes its Error Codes reference lists; it reports whether it did.
func (s *Server) fetchImage(ctx context.Context, a *answer, imageURL string) bool {
	downloadFailed := func(why string) bool {
		// 9004 / 2207052, with Graph's own words for it.
		a.error(http.StatusBadRequest, 9004, 2207052, "OAuthException", "Only photo or video can be accepted as media type.",
			"Media download has failed.", "The media could not be fetched from this uri: "+imageURL+" ("+why+")")
		return true
	}
	u, err := url.Parse(imageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return downloadFailed("not an http(s) URL")
	}
	s.mu.Lock()
	addr, mapped := s.hosts[strings.ToLower(u.Hostname())]
	s.mu.Unlock()
	if mapped {
		u.Scheme, u.Host = "http", addr
	}
	if !isLoopback(u.Hostname()) {
		return downloadFailed("igfake fetches only from 127.0.0.1 or a host given to ServeHost")
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return downloadFailed(err.Error())
	}
	resp, err := s.fetch.Do(req)
	if err != nil {
		return downloadFailed("no answer")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return downloadFailed("HTTP " + strconv.Itoa(resp.StatusCode))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxImageBytes+1))
	if err != nil {
		return downloadFailed("the download broke off")
	}
	if len(data) > maxImageBytes {
		// The reference's own sample answer.
		a.error(http.StatusBadRequest, 36000, 2207004, "OAuthException", "The image size is too large.",
			"Image size too large", "The image is too large to download. It should be less than 8 MiB.")
		return true
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || http.DetectContentType(data) != "image/jpeg" {
		// "Format: JPEG" is the only image format the reference lists.
		a.error(http.StatusBadRequest, 36001, 2207005, "OAuthException", "The image format is not supported.",
			"Unsupported format", "The image format is not supported. Supported format: JPEG.")
		return true
	}
	// "Aspect ratio: Must be within a 4:5 to 1.91:1 range."
	if cfg.Width*5 < cfg.Height*4 || cfg.Width*100 > cfg.Height*191 {
		a.error(http.StatusBadRequest, 36003, 2207009, "OAuthException", "The aspect ratio is not supported.",
			"Unsupported aspect ratio", fmt.Sprintf("The submitted image with aspect ratio ('%d/%d',) cannot be published. Please submit an image with a valid aspect ratio.", cfg.Width, cfg.Height))
		return true
	}
	return false
}

func (s *Server) publish(a *answer, r *http.Request) {
	id := r.Form.Get("creation_id")
	if id == "" {
		a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) The parameter creation_id is required", "", "")
		return
	}
	s.mu.Lock()
	acct := s.accounts[a.userID]
	c := s.containers[id]
	if c == nil || c.owner != a.userID {
		s.mu.Unlock()
		a.error(http.StatusBadRequest, 24, 2207008, "OAuthException", "(#24) The requested resource does not exist",
			"Media builder not found", "The media builder with creation id = "+id+" does not exist or has been expired.")
		return
	}
	s.age(c)
	switch c.Status {
	case "IN_PROGRESS", "ERROR":
		s.mu.Unlock()
		// Error Codes: 9007 / 2207027, publish only a FINISHED container.
		a.error(http.StatusBadRequest, 9007, 2207027, "OAuthException", "Media ID is not available",
			"Media not ready for publishing", "The media is not ready for publishing, please wait for a moment")
		return
	case "EXPIRED":
		s.mu.Unlock()
		a.error(http.StatusBadRequest, -2, 2207020, "OAuthException", "Media expired",
			"Media expired", "The media you are trying to access has expired. Please try to upload again.")
		return
	case "PUBLISHED":
		s.mu.Unlock()
		a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) The container "+id+" has already been published", "", "")
		return
	}
	now := s.now()
	used := 0
	for _, t := range acct.publishedAll {
		if t.After(now.Add(-quotaWindow)) {
			used++
		}
	}
	if used >= acct.Quota {
		s.mu.Unlock()
		a.error(http.StatusBadRequest, 9, 2207042, "OAuthException", "Application request limit reached",
			"Max posts reached", "You reached maximum number of posts that is allowed to be published by Content Publishing API.")
		return
	}
	f, faulted := acct.nextFault()
	var post Post
	if !faulted || f.kind == postertest.DropAfterRecord || f.kind == postertest.RecordAndHang {
		s.seq++
		post = Post{
			ID: strconv.Itoa(s.seq), ContainerID: c.ID, Caption: c.Caption, AltText: c.AltText,
			ImageURL: c.ImageURL, Collaborators: c.collabs, Published: now,
			Permalink: "https://www.instagram.com/p/" + shortcode(s.seq) + "/",
		}
		acct.posts = append(acct.posts, post)
		acct.publishedAll = append(acct.publishedAll, now)
		s.media[post.ID] = a.userID
		c.Status = "PUBLISHED"
	}
	s.mu.Unlock()
	if faulted {
		s.answerFault(a, r, f)
		return
	}
	a.json(http.StatusOK, map[string]string{"id": post.ID})
}

// nextFault takes the account's next scripted fault; s.mu is held.
func (a *account) nextFault() (fault, bool) { return postertest.Next(&a.faults) }

func (s *Server) answerFault(a *answer, r *http.Request, f fault) {
	switch f.kind {
	case postertest.Unavailable:
		a.w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		a.headers()
		a.w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(a.w).Encode(map[string]any{"error": map[string]any{
			"message": "(#2) Service temporarily unavailable", "type": "OAuthException", "code": 2,
			"is_transient": true, "fbtrace_id": "AigfakeTrace"}})
	case postertest.RateLimited:
		a.w.Header().Set("Retry-After", "1")
		a.usage(1)
		a.error(http.StatusBadRequest, 4, 0, "OAuthException", "(#4) Application request limit reached", "", "")
	case postertest.Unauthorized:
		a.error(http.StatusBadRequest, 190, 463, "OAuthException",
			"Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST.", "", "")
	case postertest.DropAfterRecord:
		postertest.Drop(a.w, "igfake")
	case postertest.Hang, postertest.RecordAndHang:
		postertest.Wait(r, s.done)
	default:
		a.error(f.status, f.code, f.subcode, "OAuthException", fmt.Sprintf("(#%d) igfake scripted failure", f.code), "", "")
	}
}

// mediaEntry is one post with the fields asked for; bad names a field IG Media
// does not have.
func mediaEntry(p Post, username string, fields []string) (e map[string]any, bad string) {
	e = map[string]any{}
	for _, f := range fields {
		switch f {
		case "id":
			e["id"] = p.ID
		case "caption":
			if p.Caption != "" {
				e["caption"] = p.Caption
			}
		case "permalink":
			e["permalink"] = p.Permalink
		case "timestamp":
			e["timestamp"] = p.Published.UTC().Format("2006-01-02T15:04:05-0700")
		case "media_type":
			e["media_type"] = "IMAGE"
		case "media_url":
			e["media_url"] = p.ImageURL
		case "username":
			e["username"] = username
		case "alt_text":
			e["alt_text"] = p.AltText
		default:
			return nil, f
		}
	}
	return e, ""
}

func (s *Server) listMedia(a *answer, r *http.Request) {
	fields := []string{"id"}
	if f := r.Form.Get("fields"); f != "" {
		fields = strings.Split(f, ",")
	}
	limit := 25
	if l := r.Form.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Param limit must be a positive integer", "", "")
			return
		}
		limit = min(n, 100)
	}
	offset := 0
	if c := r.Form.Get("after"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err == nil {
			offset, err = strconv.Atoi(string(b))
		}
		if err != nil || offset < 0 {
			a.error(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Invalid cursor", "", "")
			return
		}
	}
	s.mu.Lock()
	acct := s.accounts[a.userID]
	newest := make([]Post, len(acct.posts))
	for i, p := range acct.posts {
		newest[len(acct.posts)-1-i] = p
	}
	username := acct.Username
	s.mu.Unlock()
	end := min(offset+limit, len(newest))
	data := []map[string]any{}
	for i := min(offset, len(newest)); i < end; i++ {
		e, bad := mediaEntry(newest[i], username, fields)
		if bad != "" {
			a.noField(bad, "IGMedia")
			return
		}
		data = append(data, e)
	}
	out := map[string]any{"data": data}
	if len(data) > 0 {
		paging := map[string]any{"cursors": map[string]string{"before": cursor(offset), "after": cursor(end)}}
		if end < len(newest) {
			// Graph repeats the request's query string with the next cursor.
			q := r.URL.Query()
			q.Set("after", cursor(end))
			paging["next"] = "http://" + r.Host + r.URL.Path + "?" + q.Encode()
		}
		out["paging"] = paging
	}
	a.json(http.StatusOK, out)
}

func cursor(n int) string { return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(n))) }

// shortcode is a permalink's code for a post number, in Instagram's alphabet.
func shortcode(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var b []byte
	for n > 0 {
		b = append([]byte{alphabet[n%64]}, b...)
		n /= 64
	}
	return "C" + string(b)
}

// countTags counts sigil (# or @) where it starts a tag: not inside a word, and
// followed by a letter, digit or underscore.
func countTags(s string, sigil rune) int {
	n := 0
	prev := ' '
	for i, r := range s {
		if r == sigil && !unicode.IsLetter(prev) && !unicode.IsDigit(prev) && prev != '_' {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if next == '_' || unicode.IsLetter(next) || unicode.IsDigit(next) {
				n++
			}
		}
		prev = r
	}
	return n
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func parseForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method == http.MethodPost && ct == "multipart/form-data" {
		return r.ParseMultipartForm(1 << 20)
	}
	return r.ParseForm()
}

func requestToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, scheme := range []string{"OAuth ", "Bearer "} {
		if len(h) > len(scheme) && strings.EqualFold(h[:len(scheme)], scheme) {
			return strings.TrimSpace(h[len(scheme):])
		}
	}
	return r.Form.Get("access_token")
}

// headers sets what Graph sends on every answer: the version that served it, a
// trace id and the account's usage.
func (a *answer) headers() {
	h := a.w.Header()
	h.Set("facebook-api-version", a.version)
	h.Set("x-fb-trace-id", "AigfakeTrace"+strconv.Itoa(a.calls))
	if h.Get("X-Business-Use-Case-Usage") == "" {
		a.usage(0)
	}
}

// usage sets X-Business-Use-Case-Usage, Instagram's rate-limit header, for the
// account of the request.
func (a *answer) usage(regainMinutes int) {
	if a.userID == "" {
		return
	}
	b, _ := json.Marshal(map[string][]map[string]any{a.userID: {{
		"type": "instagram", "call_count": min(a.calls, 100), "total_cputime": 1, "total_time": 1,
		"estimated_time_to_regain_access": regainMinutes,
	}}})
	a.w.Header().Set("X-Business-Use-Case-Usage", string(b))
}

func (a *answer) json(status int, v any) {
	a.w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	a.headers()
	a.w.WriteHeader(status)
	_ = json.NewEncoder(a.w).Encode(v)
}

func (a *answer) error(status, code, subcode int, typ, msg, userTitle, userMsg string) {
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": "AigfakeTrace" + strconv.Itoa(a.calls)}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	if userTitle != "" || userMsg != "" {
		e["is_transient"] = false
		e["error_user_title"] = userTitle
		e["error_user_msg"] = userMsg
	}
	if code == 190 || code == 104 {
		// RFC 6750 section 3, as Graph sends it with an OAuth error.
		a.w.Header().Set("WWW-Authenticate", `OAuth "Facebook Platform" "invalid_token" "`+msg+`"`)
	}
	a.json(status, map[string]any{"error": e})
}

func (a *answer) noField(field, node string) {
	a.error(http.StatusBadRequest, 100, 0, "OAuthException",
		fmt.Sprintf("(#100) Tried accessing nonexisting field (%s) on node type (%s)", field, node), "", "")
}

func (a *answer) unsupported(r *http.Request, id string) {
	a.error(http.StatusBadRequest, 100, 33, "GraphMethodException", fmt.Sprintf(
		"Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
		strings.ToLower(r.Method), id), "", "")
}
