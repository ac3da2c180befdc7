// Package fbfake is a strict fake of the Graph API calls humas makes, served on
// 127.0.0.1 for adapter, pipeline and command tests.
//
// It answers what Graph answers, as Graph shapes it:
//
//	GET  /{version}/me?fields=id,name           the page behind the token
//	GET  /{version}/{page-id}/feed              the page's posts, newest first, paged
//	POST /{version}/{page-id}/feed              message and/or link -> {"id"}
//	POST /{version}/{page-id}/photos            multipart source, caption, alt_text_custom -> {"id","post_id"}
//
// and refuses what Graph refuses: a path without a /vNN.N/ version, a missing or
// unknown token (190), another page's token (403, code 200), a missing or wrong
// appsecret_proof when the page's app requires it (code 100), a post with neither
// message nor link (code 100), and the same message and link posted twice on a
// page (code 506, "Duplicate status message"). The token may come as
// "Authorization: OAuth <token>" (or Bearer) or as access_token.
//
// Faults set with Fail or FailCode hit the next posting requests (POST feed or photos)
// of a page, after the request was checked:
//
//	postertest.Unavailable      HTTP 503, code 2, is_transient
//	postertest.RateLimited      HTTP 400, code 32 "Page request limit reached", with
//	                            Retry-After: 1 and X-Business-Use-Case-Usage whose
//	                            estimated_time_to_regain_access is 1 (minute); Graph
//	                            itself sends only the header in minutes, Retry-After is
//	                            there so a retrying test waits one second, not a minute
//	postertest.Unauthorized     HTTP 400, code 190, subcode 463, "Session has expired"
//	postertest.DropAfterRecord  the post is recorded, then the connection is closed
//	postertest.Hang             no answer until the client gives up or Close
//	postertest.RecordAndHang    the post is recorded, then no answer until the client gives up
package fbfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish/postertest"
)

// Page is a Facebook Page the fake knows, with the page access token that acts for it.
type Page struct {
	ID    string
	Name  string
	Token string
	// AppSecret, when set, makes appsecret_proof required and checked on every call
	// with Token, as an app with "Require App Secret" turned on does.
	AppSecret string
}

// Post is a post as the fake holds it.
type Post struct {
	ID      string // "<page-id>_<n>", as Graph's page post ids
	Message string // the message, or a photo's caption
	Link    string // the link of a link post; empty for a photo
	Photo   bool
	AltText string // a photo's alt_text_custom
}

// Server is a running fake. Every method is safe for concurrent use.
type Server struct {
	// URL is the base to give the adapter, http://127.0.0.1:port, without a version.
	URL string

	srv       *httptest.Server
	done      chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	pages    map[string]*page  // by page id
	byToken  map[string]string // token -> page id
	requests int
	seq      int
}

type page struct {
	Page
	posts  []record // oldest first
	faults []fault
}

type record struct {
	Post
	photoID string
	created time.Time
}

type fault struct {
	kind   postertest.Fault // 0 for a FailCode answer
	status int
	code   int
}

// New starts a fake with no pages on 127.0.0.1; Close stops it.
func New() *Server {
	s := &Server{
		done:    make(chan struct{}),
		pages:   map[string]*page{},
		byToken: map[string]string{},
		seq:     1000,
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

// AddPage makes p known, replacing a page with the same id.
func (s *Server) AddPage(p Page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.pages[p.ID]; ok {
		delete(s.byToken, old.Token)
	}
	s.pages[p.ID] = &page{Page: p}
	s.byToken[p.Token] = p.ID
}

// Fail makes the next n posting requests to page pageID fail with f. Faults queue in
// the order given; Fail on a page not added panics, as a test mistake.
func (s *Server) Fail(pageID string, f postertest.Fault, n int) {
	s.addFault(pageID, fault{kind: f}, n)
}

// FailCode makes the next n posting requests to page pageID answer httpStatus with a
// Graph error of the given code (506 carries Graph's duplicate message).
func (s *Server) FailCode(pageID string, httpStatus, code, n int) {
	s.addFault(pageID, fault{status: httpStatus, code: code}, n)
}

func (s *Server) addFault(pageID string, f fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pages[pageID]
	if p == nil {
		panic("fbfake: Fail on unknown page " + pageID)
	}
	for range n {
		p.faults = append(p.faults, f)
	}
}

// Posts returns the posts on page pageID, oldest first.
func (s *Server) Posts(pageID string) []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pages[pageID]
	if p == nil {
		return nil
	}
	out := make([]Post, len(p.posts))
	for i, r := range p.posts {
		out[i] = r.Post
	}
	return out
}

// Requests counts every request the fake has received, answered or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Fake is the control side of page pageID, for postertest.Run.
func (s *Server) Fake(pageID string) postertest.Fake {
	return account{s: s, pageID: pageID}
}

type account struct {
	s      *Server
	pageID string
}

func (a account) Fail(f postertest.Fault, n int) { a.s.Fail(a.pageID, f, n) }
func (a account) PostCount() int                 { return len(a.s.Posts(a.pageID)) }

func (a account) NewestAlt() string {
	posts := a.s.Posts(a.pageID)
	if len(posts) == 0 {
		return ""
	}
	return posts[len(posts)-1].AltText
}

// Handler serves the fake's Graph API, for mounting on a server of the caller's own;
// paging links then point at the request's Host.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serve)
}

// versioned is how every Graph path starts; humas pins its version.
var versioned = regexp.MustCompile(`^/v\d+\.\d+/(.+)$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()

	m := versioned.FindStringSubmatch(r.URL.Path)
	if m == nil {
		graphError(w, http.StatusBadRequest, 2500, 0, "OAuthException",
			"Unknown path components: "+r.URL.Path+" (fbfake wants a pinned version such as /v25.0/)", nil)
		return
	}
	parts := strings.Split(strings.Trim(m[1], "/"), "/")

	if err := parseForm(r); err != nil {
		graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) "+err.Error(), nil)
		return
	}
	token := requestToken(r)
	if token == "" {
		graphError(w, http.StatusBadRequest, 104, 0, "OAuthException",
			"An access token is required to request this resource.", nil)
		return
	}

	s.mu.Lock()
	pid, ok := s.byToken[token]
	var pg Page
	if ok {
		pg = s.pages[pid].Page
	}
	s.mu.Unlock()
	if !ok {
		graphError(w, http.StatusBadRequest, 190, 0, "OAuthException",
			"Invalid OAuth access token - Cannot parse access token", nil)
		return
	}
	if pg.AppSecret != "" {
		proof := r.Form.Get("appsecret_proof")
		if proof == "" {
			graphError(w, http.StatusBadRequest, 100, 0, "GraphMethodException",
				"API calls from the server require an appsecret_proof argument", nil)
			return
		}
		if !hmac.Equal([]byte(proof), []byte(Proof(token, pg.AppSecret))) {
			graphError(w, http.StatusBadRequest, 100, 0, "GraphMethodException",
				"Invalid appsecret_proof provided in the API argument", nil)
			return
		}
	}

	switch {
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "me":
		writeJSON(w, http.StatusOK, map[string]string{"id": pg.ID, "name": pg.Name})
		return
	case len(parts) == 2 && (parts[1] == "feed" || parts[1] == "photos"):
		// handled below
	default:
		unsupported(w, r, parts[0])
		return
	}

	target := parts[0]
	s.mu.Lock()
	_, known := s.pages[target]
	s.mu.Unlock()
	if !known {
		unsupported(w, r, target)
		return
	}
	if target != pg.ID {
		graphError(w, http.StatusForbidden, 200, 0, "OAuthException",
			"(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts "+
				"as an admin with sufficient administrative permission", nil)
		return
	}

	switch {
	case r.Method == http.MethodGet && parts[1] == "feed":
		s.feed(w, r, pg.ID)
	case r.Method == http.MethodPost && parts[1] == "feed":
		s.postFeed(w, r, pg.ID)
	case r.Method == http.MethodPost && parts[1] == "photos":
		s.postPhoto(w, r, pg.ID)
	default:
		unsupported(w, r, target)
	}
}

// Proof is the appsecret_proof Graph expects for token under secret: hex HMAC-SHA256.
func Proof(token, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

func parseForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method == http.MethodPost && ct == "multipart/form-data" {
		return r.ParseMultipartForm(32 << 20)
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

func (s *Server) postFeed(w http.ResponseWriter, r *http.Request, pageID string) {
	message, link := r.Form.Get("message"), r.Form.Get("link")
	if message == "" && link == "" {
		graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Missing message or attachment", nil)
		return
	}
	if link != "" {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) The parameter link must be a valid URL", nil)
			return
		}
	}
	s.mu.Lock()
	p := s.pages[pageID]
	f, faulted := p.nextFault()
	if !faulted {
		for _, old := range p.posts {
			if !old.Photo && old.Message == message && old.Link == link {
				s.mu.Unlock()
				graphError(w, http.StatusBadRequest, 506, 0, "OAuthException", "(#506) Duplicate status message", nil)
				return
			}
		}
	}
	var rec record
	if !faulted || f.kind == postertest.DropAfterRecord || f.kind == postertest.RecordAndHang {
		rec = s.record(p, Post{Message: message, Link: link}, "")
	}
	s.mu.Unlock()
	if faulted {
		s.answerFault(w, r, pageID, f)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": rec.ID})
}

func (s *Server) postPhoto(w http.ResponseWriter, r *http.Request, pageID string) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["source"]) == 0 {
		graphError(w, http.StatusBadRequest, 324, 0, "OAuthException", "(#324) Requires upload file", nil)
		return
	}
	fh := r.MultipartForm.File["source"][0]
	f, err := fh.Open()
	if err != nil {
		graphError(w, http.StatusBadRequest, 324, 0, "OAuthException", "(#324) Requires upload file", nil)
		return
	}
	head := make([]byte, 512)
	n, _ := f.Read(head)
	f.Close()
	if !strings.HasPrefix(http.DetectContentType(head[:n]), "image/") {
		graphError(w, http.StatusBadRequest, 324, 0, "OAuthException", "(#324) Missing or invalid image file", nil)
		return
	}
	s.mu.Lock()
	p := s.pages[pageID]
	flt, faulted := p.nextFault()
	var rec record
	if !faulted || flt.kind == postertest.DropAfterRecord || flt.kind == postertest.RecordAndHang {
		s.seq++
		photoID := strconv.Itoa(s.seq)
		rec = s.record(p, Post{Message: r.Form.Get("caption"), Photo: true, AltText: r.Form.Get("alt_text_custom")}, photoID)
	}
	s.mu.Unlock()
	if faulted {
		s.answerFault(w, r, pageID, flt)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": rec.photoID, "post_id": rec.ID})
}

// record stores a post on p; s.mu is held.
func (s *Server) record(p *page, post Post, photoID string) record {
	s.seq++
	post.ID = p.ID + "_" + strconv.Itoa(s.seq)
	rec := record{Post: post, photoID: photoID,
		created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(s.seq) * time.Second)}
	p.posts = append(p.posts, rec)
	return rec
}

// nextFault takes the next scripted fault of p; s.mu is held.
func (p *page) nextFault() (fault, bool) { return postertest.Next(&p.faults) }

func (s *Server) answerFault(w http.ResponseWriter, r *http.Request, pageID string, f fault) {
	switch f.kind {
	case postertest.Unavailable:
		graphErrorTransient(w, http.StatusServiceUnavailable, 2, "(#2) Service temporarily unavailable")
	case postertest.RateLimited:
		usage, _ := json.Marshal(map[string][]map[string]any{pageID: {{
			"type": "pages", "call_count": 100, "total_cputime": 20, "total_time": 20,
			"estimated_time_to_regain_access": 1,
		}}})
		graphError(w, http.StatusBadRequest, 32, 0, "OAuthException", "(#32) Page request limit reached",
			http.Header{"Retry-After": {"1"}, "X-Business-Use-Case-Usage": {string(usage)}})
	case postertest.Unauthorized:
		graphError(w, http.StatusBadRequest, 190, 463, "OAuthException",
			"Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST.", nil)
	case postertest.DropAfterRecord:
		postertest.Drop(w, "fbfake")
	case postertest.Hang, postertest.RecordAndHang:
		postertest.Wait(r, s.done)
	default:
		graphError(w, f.status, f.code, 0, "OAuthException", codeMessage(f.code), nil)
	}
}

// codeMessage is Graph's own wording for the codes tests script most.
func codeMessage(code int) string {
	switch code {
	case 1:
		return "An unknown error occurred"
	case 2:
		return "(#2) Service temporarily unavailable"
	case 4:
		return "(#4) Application request limit reached"
	case 17:
		return "(#17) User request limit reached"
	case 32:
		return "(#32) Page request limit reached"
	case 100:
		return "(#100) Invalid parameter"
	case 190:
		return "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."
	case 200:
		return "(#200) Permissions error"
	case 368:
		return "(#368) The action attempted has been deemed abusive or is otherwise disallowed"
	case 506:
		return "(#506) Duplicate status message"
	case 613:
		return "(#613) Calls to this api have exceeded the rate limit."
	}
	return fmt.Sprintf("(#%d) fbfake scripted failure", code)
}

// isFeedField reports whether the fake can give field of a page post.
func isFeedField(field string) bool {
	switch field {
	case "id", "message", "link", "permalink_url", "created_time":
		return true
	}
	return false
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request, pageID string) {
	fields := []string{"id", "message", "created_time"} // Graph's default for a feed
	if f := r.Form.Get("fields"); f != "" {
		fields = strings.Split(f, ",")
	}
	for _, f := range fields {
		if !isFeedField(f) {
			graphError(w, http.StatusBadRequest, 100, 0, "OAuthException",
				fmt.Sprintf("(#100) Tried accessing nonexisting field (%s) on node type (PagePost)", f), nil)
			return
		}
	}
	limit := 25
	if l := r.Form.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Param limit must be a positive integer", nil)
			return
		}
		limit = min(n, 100)
	}
	offset := 0
	if a := r.Form.Get("after"); a != "" {
		b, err := base64.RawURLEncoding.DecodeString(a)
		if err == nil {
			offset, err = strconv.Atoi(string(b))
		}
		if err != nil || offset < 0 {
			graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Invalid cursor", nil)
			return
		}
	}

	s.mu.Lock()
	all := s.pages[pageID].posts
	newest := make([]record, len(all))
	for i, rec := range all {
		newest[len(all)-1-i] = rec
	}
	s.mu.Unlock()

	end := min(offset+limit, len(newest))
	data := []map[string]string{}
	for i := min(offset, len(newest)); i < end; i++ {
		data = append(data, feedEntry(newest[i], pageID, fields))
	}
	out := map[string]any{"data": data}
	if len(data) > 0 {
		paging := map[string]any{"cursors": map[string]string{
			"before": cursor(offset), "after": cursor(end),
		}}
		if end < len(newest) {
			// Graph repeats the request's query string (access_token included, when it
			// was sent there) with the next cursor.
			q := r.URL.Query()
			q.Set("after", cursor(end))
			paging["next"] = "http://" + r.Host + r.URL.Path + "?" + q.Encode()
		}
		out["paging"] = paging
	}
	writeJSON(w, http.StatusOK, out)
}

func feedEntry(rec record, pageID string, fields []string) map[string]string {
	e := map[string]string{}
	for _, f := range fields {
		switch f {
		case "id":
			e["id"] = rec.ID
		case "message":
			if rec.Message != "" {
				e["message"] = rec.Message
			}
		case "link":
			if rec.Photo {
				e["link"] = "https://www.facebook.com/photo.php?fbid=" + rec.photoID
			} else if rec.Link != "" {
				e["link"] = rec.Link
			}
		case "permalink_url":
			e["permalink_url"] = "https://www.facebook.com/" + pageID + "/posts/" + strings.TrimPrefix(rec.ID, pageID+"_")
		case "created_time":
			e["created_time"] = rec.created.Format("2006-01-02T15:04:05-0700")
		}
	}
	return e
}

func cursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(n)))
}

func unsupported(w http.ResponseWriter, r *http.Request, id string) {
	graphError(w, http.StatusBadRequest, 100, 33, "GraphMethodException", fmt.Sprintf(
		"Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
		strings.ToLower(r.Method), id), nil)
}

func graphError(w http.ResponseWriter, status, code, subcode int, typ, msg string, h http.Header) {
	for k, vs := range h {
		w.Header()[k] = vs
	}
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": "AfbfakeTrace"}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func graphErrorTransient(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"message": msg, "type": "OAuthException", "code": code, "is_transient": true, "fbtrace_id": "AfbfakeTrace",
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
