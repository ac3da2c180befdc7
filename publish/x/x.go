// Package x publishes posts on X through its API v2, signed with OAuth 1.0a user context.
package x

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/dghubble/oauth1"
)

// DefaultBaseURL is X's API host; HUMAS_X_API_URL overrides it.
const DefaultBaseURL = "https://api.x.com"

// maxAnswer bounds how much of an answer is read: X's answers are small, and a proxy's
// error page must not fill memory.
const maxAnswer = 4 << 20

// findDepth is how many recent posts Find looks through: one page of the user timeline.
const findDepth = 100

// Config says which X account a Client posts as, and where X is.
type Config struct {
	BaseURL                                      string // DefaultBaseURL when empty
	Username                                     string // the handle without "@", for receipt URLs
	APIKey, APISecret, AccessToken, AccessSecret string
	// HTTPClient sends the requests; its Transport is the base one. Optional.
	HTTPClient *http.Client
}

// Client posts as one X account. It is safe for concurrent use.
type Client struct {
	base     string
	username string
	http     *http.Client
	sign     signer
	now      func() time.Time

	mu     sync.Mutex
	userID string // learnt from /2/users/me, for Find
}

var _ publish.Poster = (*Client)(nil)

// New returns a Client for cfg.
func New(cfg Config) *Client {
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{
		base:     base,
		username: strings.TrimPrefix(cfg.Username, "@"),
		http:     hc,
		now:      time.Now,
		sign: signer{
			consumerKey:    cfg.APIKey,
			consumerSecret: cfg.APISecret,
			token:          cfg.AccessToken,
			tokenSecret:    cfg.AccessSecret,
			nonce:          oauth1.Base64Noncer{}.Nonce,
			now:            time.Now,
		},
	}
}

// Post publishes p: the image first, with its alt text, then the post.
func (c *Client) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	type media struct {
		MediaIDs []string `json:"media_ids"`
	}
	body := struct {
		Text         string `json:"text"`
		QuoteTweetID string `json:"quote_tweet_id,omitempty"`
		Media        *media `json:"media,omitempty"`
	}{Text: p.Text, QuoteTweetID: p.Quote}
	if p.Image != nil {
		id, err := c.upload(ctx, p.Image)
		if err != nil {
			return publish.Receipt{}, err
		}
		body.Media = &media{MediaIDs: []string{id}}
	}
	var answer struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := c.doJSON(ctx, "post", http.MethodPost, "/2/tweets", body, &answer); err != nil {
		return publish.Receipt{}, err
	}
	if answer.Data.ID == "" {
		return publish.Receipt{}, c.unreadable("post", http.StatusCreated, "answer holds no post id")
	}
	return c.receipt(answer.Data.ID), nil
}

func (c *Client) receipt(id string) publish.Receipt {
	if c.username == "" {
		// X redirects this form to the post whatever the handle is.
		return publish.Receipt{ID: id, URL: "https://x.com/i/web/status/" + id}
	}
	return publish.Receipt{ID: id, URL: "https://x.com/" + c.username + "/status/" + id}
}

// upload sends img as one multipart request, then its alt text, and returns the media id.
func (c *Client) upload(ctx context.Context, img *publish.Image) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("media_category", "tweet_image"); err != nil {
		return "", err
	}
	name := img.Name
	if name == "" {
		name = "image"
	}
	fw, err := mw.CreateFormFile("media", name)
	if err != nil {
		return "", err
	}
	if _, err := fw.Write(img.Data); err != nil {
		return "", err
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	var answer struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := c.do(ctx, "upload", http.MethodPost, "/2/media/upload", nil, &buf, mw.FormDataContentType(), &answer); err != nil {
		return "", err
	}
	id := answer.Data.ID
	if id == "" {
		return "", &publish.Error{Platform: publish.X, Op: "upload", Status: http.StatusOK,
			Message: "answer holds no media id", Kind: publish.Permanent}
	}
	if img.Alt == "" {
		return id, nil
	}
	meta := map[string]any{
		"id":       id,
		"metadata": map[string]any{"alt_text": map[string]string{"text": img.Alt}},
	}
	if err := c.doJSON(ctx, "upload", http.MethodPost, "/2/media/metadata", meta, nil); err != nil {
		return "", err
	}
	return id, nil
}

// Verify asks X who the credentials belong to and returns "@handle".
func (c *Client) Verify(ctx context.Context) (string, error) {
	var answer struct {
		Data struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		} `json:"data"`
	}
	if err := c.do(ctx, "verify", http.MethodGet, "/2/users/me", nil, nil, "", &answer); err != nil {
		return "", err
	}
	if answer.Data.ID == "" || answer.Data.Username == "" {
		return "", &publish.Error{Platform: publish.X, Op: "verify", Status: http.StatusOK,
			Message: "answer names no user", Kind: publish.Permanent}
	}
	c.mu.Lock()
	c.userID = answer.Data.ID
	c.mu.Unlock()
	return "@" + answer.Data.Username, nil
}

// Find looks through the account's most recent posts for one linking to link. X shortens
// links in the text, so it compares the expanded URLs X lists in each post's entities.
func (c *Client) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	c.mu.Lock()
	uid := c.userID
	c.mu.Unlock()
	if uid == "" {
		if _, err := c.Verify(ctx); err != nil {
			return publish.Receipt{}, false, relabel(err, "find")
		}
		c.mu.Lock()
		uid = c.userID
		c.mu.Unlock()
	}
	q := url.Values{
		"max_results":  {fmt.Sprint(findDepth)},
		"tweet.fields": {"entities,created_at"},
	}
	var answer struct {
		Data []struct {
			ID       string `json:"id"`
			Text     string `json:"text"`
			Entities struct {
				URLs []struct {
					ExpandedURL string `json:"expanded_url"`
				} `json:"urls"`
			} `json:"entities"`
		} `json:"data"`
	}
	if err := c.do(ctx, "find", http.MethodGet, "/2/users/"+url.PathEscape(uid)+"/tweets", q, nil, "", &answer); err != nil {
		return publish.Receipt{}, false, err
	}
	for _, t := range answer.Data {
		for _, u := range t.Entities.URLs {
			if publish.SameLink(u.ExpandedURL, link) {
				return c.receipt(t.ID), true, nil
			}
		}
		if publish.LinksTo(t.Text, link) {
			return c.receipt(t.ID), true, nil
		}
	}
	return publish.Receipt{}, false, nil
}

// relabel gives an error met inside another operation the operation the caller asked for.
func relabel(err error, op string) error {
	if pe, ok := err.(*publish.Error); ok {
		cp := *pe
		cp.Op = op
		return &cp
	}
	return err
}

func (c *Client) doJSON(ctx context.Context, op, method, path string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return &publish.Error{Platform: publish.X, Op: op, Kind: publish.Permanent, Delivery: publish.NotSent, Message: err.Error()}
	}
	return c.do(ctx, op, method, path, nil, bytes.NewReader(b), "application/json", out)
}

// do sends one signed request and reads the answer into out, or classifies the refusal.
// A request that got no answer is classified here too: whether any of it was written
// (publish.Wire), and whether trying again can help.
func (c *Client) do(ctx context.Context, op, method, path string, query url.Values, body io.Reader, contentType string, out any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var wire publish.Wire
	req, err := http.NewRequestWithContext(wire.Trace(ctx), method, u, body)
	if err != nil {
		return &publish.Error{Platform: publish.X, Op: op, Kind: publish.Permanent, Delivery: publish.NotSent,
			Message: err.Error(), Fix: endpointVar + " must be a whole address, such as " + DefaultBaseURL}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if err := c.sign.authorize(req, nil); err != nil {
		return &publish.Error{Platform: publish.X, Op: op, Kind: publish.Permanent, Delivery: publish.NotSent, Message: "signing: " + err.Error()}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(op, err, wire.Delivery())
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if err != nil && ok {
		// X said yes and the rest of the answer was lost: the post may exist.
		return transportError(op, fmt.Errorf("reading the answer: %w", err), publish.MaybeSent)
	}
	if !ok {
		return classify(op, resp, data, c.now())
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return c.unreadable(op, resp.StatusCode, "cannot read the answer: "+err.Error())
	}
	return nil
}

// endpointVar is the variable that moves X's API, for the fixes that name it.
const endpointVar = "HUMAS_X_API_URL"

// unreadable is a successful answer humas cannot use. After a post, X said yes: the
// post may well exist, so the target stays pending and is looked for.
func (c *Client) unreadable(op string, status int, msg string) error {
	d := publish.Sent
	if op == "post" {
		d = publish.MaybeSent
	}
	return &publish.Error{Platform: publish.X, Op: op, Status: status, Message: msg, Kind: publish.Permanent, Delivery: d}
}

// transportError is a request that got no usable answer (publish.Transport).
func transportError(op string, err error, d publish.Delivery) error {
	return publish.Transport(publish.X, op, "", err, d, endpointVar)
}
