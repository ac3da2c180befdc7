// Package instagram publishes single-image posts on an Instagram professional
// account through the Instagram Graph API (content publishing), with the same Meta
// app and Graph host as Facebook.
//
// A post takes two steps: a media container that Instagram fills by fetching the
// image from the live site, then media_publish. The container id goes to the
// caller's publish.Checkpoint before media_publish is called, so a run that dies in
// between is reconciled from the container's state instead of posting twice.
package instagram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/internal/graph"
)

// Name is the platform's name in humas.yaml, targets, flags and errors.
const Name = "instagram"

// GraphVersion is the Graph API version every request names: the one
// publish/facebook pins too (graph.Version), since both speak to the same Meta app.
const GraphVersion = graph.Version

// DefaultBaseURL is where the Graph API lives; HUMAS_INSTAGRAM_GRAPH_URL overrides it.
const DefaultBaseURL = graph.DefaultBaseURL

// findPages bounds how far back Find looks: a post from a run that died is among the
// account's newest, and three pages of 50 cover any release day (the publishing
// limit is 50 a day).
const findPages = 3

// Config is one Instagram professional account and how to reach Graph.
type Config struct {
	BaseURL  string // default DefaultBaseURL
	UserID   string // the Instagram professional account's id (ig-user-id)
	Username string // its handle without "@", as humas.yaml names it
	Token    string // a user or page access token with instagram_content_publish
	// AppSecret, when set, signs every request with appsecret_proof, which an app
	// with "Require App Secret" turned on demands.
	AppSecret string
	// TokenVar names the variable the token came from, for messages; never its value.
	TokenVar   string
	Version    string       // default GraphVersion
	HTTPClient *http.Client // default a client with a 60 s timeout
	Poll       Poll         // how the container's status is awaited; zero: DefaultPoll
	Now        func() time.Time
}

// Poll bounds the wait for a container to be FINISHED: the first wait, its ceiling
// as it doubles, and the total.
type Poll struct {
	Initial, Max, For time.Duration
}

// DefaultPoll follows Meta's advice for content publishing: check the container's
// status_code no more than once a minute and for no more than five minutes. An image
// is usually ready within seconds, so the first checks come sooner.
var DefaultPoll = Poll{Initial: 3 * time.Second, Max: time.Minute, For: 5 * time.Minute}

// Client publishes on one Instagram professional account. It is safe for
// concurrent use; one post's steps run one after another.
type Client struct {
	base     string // BaseURL + "/" + version, no trailing slash
	userID   string
	username string
	token    string
	tokenVar string
	proof    string
	secrets  []string
	http     *http.Client
	poll     Poll
	now      func() time.Time
}

var _ publish.Poster = (*Client)(nil)

// New returns a client for the account cfg names.
func New(cfg Config) *Client {
	poll := cfg.Poll
	if poll.Initial <= 0 {
		poll.Initial = DefaultPoll.Initial
	}
	if poll.Max <= 0 {
		poll.Max = DefaultPoll.Max
	}
	if poll.For <= 0 {
		poll.For = DefaultPoll.For
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	c := &Client{
		base:     graph.Base(cfg.BaseURL, cfg.Version),
		userID:   cfg.UserID,
		username: strings.TrimPrefix(cfg.Username, "@"),
		token:    cfg.Token,
		tokenVar: cfg.TokenVar,
		http:     graph.HTTPClient(cfg.HTTPClient),
		poll:     poll,
		now:      now,
	}
	if cfg.AppSecret != "" {
		c.proof = graph.Proof(cfg.Token, cfg.AppSecret)
	}
	c.secrets = []string{cfg.Token, cfg.AppSecret, c.proof}
	return c
}

// Caption is the caption Post sends for p: its text, with the article's address
// added when the text does not name it already, since Find recognises a post by it.
func Caption(p publish.Post) string {
	if p.Link == "" || CaptionNames(p.Text, p.Link) {
		return p.Text
	}
	return strings.TrimSpace(p.Text + "\n\n" + Address(p.Link))
}

// Post publishes p: it checks what Instagram would refuse, resumes the container
// p.Checkpoint holds if an earlier attempt left one, reads the publishing limit,
// creates the container, records it, waits until it is FINISHED and publishes it.
func (c *Client) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	caption := Caption(p)
	if err := c.check(p, caption); err != nil {
		return publish.Receipt{}, err
	}
	if id := p.Checkpoint.Resume(); id != "" {
		r, done, err := c.resume(ctx, p, id)
		if done || err != nil {
			return r, err
		}
	}
	if err := c.checkQuota(ctx); err != nil {
		return publish.Receipt{}, unpublished(err)
	}
	id, err := c.createContainer(ctx, p, caption)
	if err != nil {
		return publish.Receipt{}, unpublished(err)
	}
	if err := p.Checkpoint.Record(id); err != nil {
		// Without the id in the ledger a run dying after media_publish could not
		// tell this post from one never made: publish nothing. The unpublished
		// container expires by itself after 24 hours.
		return publish.Receipt{}, publish.Unsent(fmt.Errorf("%s: post: not published: container %s could not be recorded: %w", Name, id, err))
	}
	if err := c.awaitFinished(ctx, id); err != nil {
		return publish.Receipt{}, unpublished(err)
	}
	return c.publish(ctx, id)
}

// check refuses locally, before any call, what Instagram would refuse.
func (c *Client) check(p publish.Post, caption string) error {
	refuse := func(msg string) error {
		return &publish.Error{Platform: Name, Op: "post", Kind: publish.Permanent, Message: msg}
	}
	if p.Image == nil || p.Image.URL == "" {
		return refuse("Instagram takes no post without an image, and fetches it itself: the post needs the image's public URL")
	}
	if u, err := url.Parse(p.Image.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return refuse(fmt.Sprintf("image URL %q is not an http(s) address Instagram can fetch", p.Image.URL))
	}
	if err := CheckCaption(caption); err != nil {
		return refuse(err.Error())
	}
	if n := len(p.Collaborators); n > MaxCollaborators {
		return refuse(fmt.Sprintf("%d collaborators: Instagram invites at most %d to a post", n, MaxCollaborators))
	}
	if len(p.Image.Data) > 0 {
		if problem := imageProblem(p.Image.Data); problem != "" {
			return refuse(problem)
		}
	}
	return nil
}

// resume looks at the container an earlier attempt recorded. done is true when the
// answer is final: the post went out (found by its link) or the container was
// published now. A container that failed, expired or is gone leaves done false:
// a new one is made.
func (c *Client) resume(ctx context.Context, p publish.Post, id string) (r publish.Receipt, done bool, err error) {
	st, err := c.status(ctx, id)
	var rf *refusal
	switch {
	case errors.As(err, &rf) && rf.code == codeParam && rf.subcode == subObjectMissing:
		// Graph no longer knows the container (they are cleaned up after they
		// expire): whether it was published, only the account's media can tell.
		return c.findOrFresh(ctx, p)
	case err != nil:
		// An earlier attempt may have published it: until Graph says, maybe.
		return publish.Receipt{}, false, maybePublished(err)
	}
	switch st.StatusCode {
	case statusPublished:
		return c.findPublished(ctx, p, id)
	case statusFinished, statusInProgress:
		if p.Checkpoint.Stale {
			// Never published, and made of the post before it was edited: a new
			// container carries the post as it is now. This one expires unpublished.
			return publish.Receipt{}, false, nil
		}
		if err := c.checkQuota(ctx); err != nil {
			return publish.Receipt{}, false, unpublished(err)
		}
		if err := c.awaitFinished(ctx, id); err != nil {
			return publish.Receipt{}, false, unpublished(err)
		}
		r, err := c.publish(ctx, id)
		return r, true, err
	default: // ERROR, EXPIRED: never published; start again
		return publish.Receipt{}, false, nil
	}
}

// findPublished finds the media of a container Instagram says it published. The
// post exists: if the account's recent media do not show it, posting again would
// make a second one, so a person must say where it is.
func (c *Client) findPublished(ctx context.Context, p publish.Post, id string) (publish.Receipt, bool, error) {
	r, ok, err := c.Find(ctx, p.Link)
	if err != nil {
		return publish.Receipt{}, false, maybePublished(err)
	}
	if !ok {
		return publish.Receipt{}, false, fmt.Errorf("%s: post: container %s was published, but no recent post names %s: %w",
			Name, id, Address(p.Link), publish.ErrCannotLook)
	}
	return r, true, nil
}

// findOrFresh adopts the post of a container Graph has forgotten, if the account
// has one naming the article, and otherwise lets Post start again.
func (c *Client) findOrFresh(ctx context.Context, p publish.Post) (publish.Receipt, bool, error) {
	r, ok, err := c.Find(ctx, p.Link)
	if err != nil || ok {
		return r, ok, maybePublished(err)
	}
	return publish.Receipt{}, false, nil
}

// Container states, as IG Container's status_code names them.
const (
	statusInProgress = "IN_PROGRESS"
	statusFinished   = "FINISHED"
	statusError      = "ERROR"
	statusExpired    = "EXPIRED"
	statusPublished  = "PUBLISHED"
)

type containerStatus struct {
	ID         string `json:"id"`
	StatusCode string `json:"status_code"`
	Status     string `json:"status"`
}

func (c *Client) status(ctx context.Context, id string) (containerStatus, error) {
	q := url.Values{"fields": {"id,status_code,status"}}
	var st containerStatus
	err := c.get(ctx, "post", "/"+url.PathEscape(id), q, &st)
	return st, err
}

// createContainer asks Instagram to make the container: it fetches image_url now.
func (c *Client) createContainer(ctx context.Context, p publish.Post, caption string) (string, error) {
	form := url.Values{}
	form.Set("image_url", p.Image.URL)
	if caption != "" {
		form.Set("caption", caption)
	}
	if p.Image.Alt != "" {
		form.Set("alt_text", p.Image.Alt)
	}
	if len(p.Collaborators) > 0 {
		names := make([]string, len(p.Collaborators))
		for i, n := range p.Collaborators {
			names[i] = strings.TrimPrefix(n, "@")
		}
		b, _ := json.Marshal(names) // Graph takes a list parameter as a JSON array
		form.Set("collaborators", string(b))
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.postForm(ctx, "post", "/"+url.PathEscape(c.userID)+"/media", form, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", c.malformed("post", "the container answer has no id")
	}
	return out.ID, nil
}

// awaitFinished polls the container's status_code with doubling waits until it is
// FINISHED, within c.poll.For and the caller's deadline.
func (c *Client) awaitFinished(ctx context.Context, id string) error {
	wait := c.poll.Initial
	giveUp := c.now().Add(c.poll.For)
	for checks := 1; ; checks++ {
		st, err := c.status(ctx, id)
		if err != nil {
			return err
		}
		switch st.StatusCode {
		case statusFinished:
			return nil
		case statusPublished:
			// Only an earlier attempt can have published it, and then resume
			// looks it up; here it means another program published it.
			return &publish.Error{Platform: Name, Op: "post", Status: http.StatusOK, Kind: publish.Permanent,
				Message: fmt.Sprintf("container %s was published by someone else while humas waited", id)}
		case statusError:
			return c.containerFailed(id, st.Status)
		case statusExpired:
			return &publish.Error{Platform: Name, Op: "post", Status: http.StatusOK, Kind: publish.Transient,
				Message: fmt.Sprintf("container %s expired before it was published; the next try makes a new one", id)}
		case statusInProgress:
		default:
			return c.malformed("post", fmt.Sprintf("container %s has status_code %q", id, st.StatusCode))
		}
		if !c.now().Add(wait).Before(giveUp) {
			return &publish.Error{Platform: Name, Op: "post", Status: http.StatusOK, Kind: publish.Transient,
				Message: fmt.Sprintf("container %s is still %s after %d checks in %s", id, statusInProgress, checks, c.poll.For)}
		}
		if err := sleep(ctx, wait); err != nil {
			return c.transportError(http.MethodGet, c.base+"/"+id, "post", err, publish.NotSent)
		}
		wait = min(wait*2, c.poll.Max)
	}
}

// containerFailed classifies a container in ERROR by the subcode its status holds.
func (c *Client) containerFailed(id, status string) error {
	sub := 0
	for _, f := range strings.FieldsFunc(status, func(r rune) bool { return r < '0' || r > '9' }) {
		if len(f) == 7 && strings.HasPrefix(f, "2207") {
			fmt.Sscan(f, &sub)
		}
	}
	pe := &publish.Error{Platform: Name, Op: "post", Status: http.StatusOK, Kind: publish.Permanent,
		Message: fmt.Sprintf("container %s failed: %s", id, c.scrub(status))}
	if sub != 0 {
		pe.Code = fmt.Sprint(sub)
		if transientAnswer(0, sub) && !permanentAnswer(0, sub) {
			pe.Kind = publish.Transient
		}
		if fix := fixFor(0, sub); fix != "" {
			pe.Message += ": " + fix
		}
	}
	return pe
}

// publish publishes a FINISHED container and returns the post's receipt.
func (c *Client) publish(ctx context.Context, id string) (publish.Receipt, error) {
	form := url.Values{"creation_id": {id}}
	var out struct {
		ID string `json:"id"`
	}
	err := c.postForm(ctx, "post", "/"+url.PathEscape(c.userID)+"/media_publish", form, &out)
	var rf *refusal
	if errors.As(err, &rf) && rf.subcode == subPublishLimit {
		// Another program used the last slot between our read and now.
		if qerr := c.checkQuota(ctx); qerr != nil {
			return publish.Receipt{}, qerr
		}
	}
	if err != nil {
		return publish.Receipt{}, err
	}
	if out.ID == "" {
		return publish.Receipt{}, c.malformed("post", "the media_publish answer has no id")
	}
	return c.receipt(ctx, out.ID), nil
}

// receipt asks for the post's permalink (its shortcode cannot be derived from the
// id). The post exists whatever happens here, so a failed read falls back to the
// account's profile rather than to an error that could make a caller post again.
func (c *Client) receipt(ctx context.Context, mediaID string) publish.Receipt {
	var m struct {
		Permalink string `json:"permalink"`
	}
	err := c.get(ctx, "post", "/"+url.PathEscape(mediaID), url.Values{"fields": {"id,permalink"}}, &m)
	if err == nil && strings.HasPrefix(m.Permalink, "https://") {
		return publish.Receipt{ID: mediaID, URL: m.Permalink}
	}
	return publish.Receipt{ID: mediaID, URL: c.profileURL()}
}

func (c *Client) profileURL() string {
	if c.username == "" {
		return "https://www.instagram.com/"
	}
	return "https://www.instagram.com/" + c.username + "/"
}

// media is one post of the account as Find reads it.
type media struct {
	ID        string `json:"id"`
	Caption   string `json:"caption"`
	Permalink string `json:"permalink"`
	Timestamp string `json:"timestamp"`
}

// Find looks through the account's newest media for one whose caption names link.
func (c *Client) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	q := url.Values{"fields": {"id,caption,permalink,timestamp"}, "limit": {"50"}}
	next := c.base + "/" + url.PathEscape(c.userID) + "/media?" + c.signed(q).Encode()
	for range findPages {
		var page struct {
			Data   []media `json:"data"`
			Paging struct {
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.do(ctx, "find", http.MethodGet, next, nil, "", &page); err != nil {
			return publish.Receipt{}, false, err
		}
		for _, m := range page.Data {
			if m.ID != "" && CaptionNames(m.Caption, link) {
				u := m.Permalink
				if !strings.HasPrefix(u, "https://") {
					u = c.profileURL()
				}
				return publish.Receipt{ID: m.ID, URL: u}, true, nil
			}
		}
		if page.Paging.Next == "" || len(page.Data) == 0 {
			break
		}
		if !c.sameHost(page.Paging.Next) {
			// The token travels in a header; never hand it to another host.
			return publish.Receipt{}, false, c.malformed("find", "paging.next leaves the Graph host")
		}
		next = page.Paging.Next
	}
	return publish.Receipt{}, false, nil
}

// Verify reads the account behind the token and returns "@username". An account
// other than the one humas.yaml names is refused with both names: posting would go
// somewhere else entirely.
func (c *Client) Verify(ctx context.Context) (string, error) {
	var me struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	}
	if err := c.get(ctx, "verify", "/"+url.PathEscape(c.userID), url.Values{"fields": {"id,username"}}, &me); err != nil {
		return "", err
	}
	if me.ID == "" || me.Username == "" {
		return "", c.malformed("verify", "the answer names no account")
	}
	if me.ID != c.userID || c.username != "" && !strings.EqualFold(me.Username, c.username) {
		return "", &publish.Error{Platform: Name, Op: "verify", Status: http.StatusOK, Kind: publish.Permanent,
			Message: fmt.Sprintf("user_id %s is @%s (%s), but humas.yaml names @%s: fix instagram.user_id or instagram.username",
				c.userID, me.Username, me.ID, c.username)}
	}
	return "@" + me.Username, nil
}

// signed adds appsecret_proof when the account's app requires it.
func (c *Client) signed(v url.Values) url.Values {
	if c.proof != "" {
		v.Set("appsecret_proof", c.proof)
	}
	return v
}

func (c *Client) get(ctx context.Context, op, path string, q url.Values, out any) error {
	return c.do(ctx, op, http.MethodGet, c.base+path+"?"+c.signed(q).Encode(), nil, "", out)
}

func (c *Client) postForm(ctx context.Context, op, path string, form url.Values, out any) error {
	return c.do(ctx, op, http.MethodPost, c.base+path, strings.NewReader(c.signed(form).Encode()),
		"application/x-www-form-urlencoded", out)
}

// do sends one request and decodes a successful answer into out; any other outcome
// becomes a classified *publish.Error that holds no credential. The token travels
// in the Authorization header, which Graph accepts, so it never sits in a URL that
// an error or a log line might print.
func (c *Client) do(ctx context.Context, op, method, u string, body io.Reader, contentType string, out any) error {
	var wire publish.Wire
	req, err := http.NewRequestWithContext(wire.Trace(ctx), method, u, body)
	if err != nil {
		return &publish.Error{Platform: Name, Op: op, Kind: publish.Permanent, Delivery: publish.NotSent,
			Message: c.scrub(err.Error()), Fix: endpointVar + " must be a whole address, such as " + DefaultBaseURL}
	}
	req.Header.Set("Authorization", "OAuth "+c.token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(method, u, op, err, wire.Delivery())
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, graph.MaxBody))
	if err != nil {
		return c.transportError(method, u, op, err, publish.Unread(resp.StatusCode))
	}
	if rf := classify(op, resp.StatusCode, resp.Header, data); rf != nil {
		rf.pe.Message = c.scrub(rf.pe.Message)
		if rf.code == codeExpired && c.tokenVar != "" {
			rf.pe.Message += " (" + c.tokenVar + ")"
		}
		return rf
	}
	if err := json.Unmarshal(data, out); err != nil {
		return c.malformed(op, "the answer is not JSON: "+err.Error())
	}
	return nil
}

// endpointVar is the variable that moves Instagram's Graph API, for fixes.
const endpointVar = "HUMAS_INSTAGRAM_GRAPH_URL"

// transportError reports a request that got no usable answer (publish.Transport),
// as far sent as the request got (only media_publish's can make a post: Post says
// which). A paging URL may carry a token, so the message names the URL to its
// path only, and is scrubbed besides.
func (c *Client) transportError(method, u, op string, err error, d publish.Delivery) error {
	where := u
	if pu, perr := url.Parse(u); perr == nil {
		where = pu.Scheme + "://" + pu.Host + pu.Path
	}
	te := publish.Transport(Name, op, method+" "+where, err, d, endpointVar)
	te.PE.Message = c.scrub(te.PE.Message)
	return te
}

// maybePublished marks err, met while finding out what became of a container an
// earlier attempt recorded, as leaving the post maybe public.
func maybePublished(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		pe.Delivery = publish.MaybeSent
	}
	return err
}

// unpublished marks err, met before media_publish was asked, as leaving nothing
// public: a container is no post. A media_publish that may have gone through is
// left as its request says.
func unpublished(err error) error {
	if err == nil || errors.Is(err, publish.ErrCannotLook) {
		return err
	}
	var pe *publish.Error
	if errors.As(err, &pe) {
		pe.Delivery = publish.NotSent
		return err
	}
	return publish.Unsent(err)
}

// malformed is an answer humas cannot use. Post's steps before media_publish mark
// theirs as leaving nothing public; after media_publish, the post may exist.
func (c *Client) malformed(op, msg string) error {
	d := publish.Sent
	if op == "post" {
		d = publish.MaybeSent
	}
	return &publish.Error{Platform: Name, Op: op, Kind: publish.Permanent, Delivery: d, Message: c.scrub(msg)}
}

// scrub removes every credential from s, however it got there.
func (c *Client) scrub(s string) string { return graph.Scrub(s, c.secrets) }

func (c *Client) sameHost(u string) bool { return graph.SameHost(c.base, u) }

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
