// Package facebook publishes posts on a Facebook Page through the Graph API.
//
// It speaks Graph with net/http and encoding/json because the module proxy here refuses
// github.com/huandu/facebook, and the four calls humas makes need nothing more.
package facebook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strings"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/internal/graph"
)

// GraphVersion is the Graph API version every request names (graph.Version).
const GraphVersion = graph.Version

// DefaultBaseURL is where the Graph API lives; HUMAS_FACEBOOK_GRAPH_URL overrides it.
const DefaultBaseURL = graph.DefaultBaseURL

// maxFeedPages bounds how far back Find looks: a post from a run that died is among
// the page's newest, and a few hundred posts cover any release day.
const maxFeedPages = 3

// Config is one Facebook Page and how to reach Graph.
type Config struct {
	BaseURL   string // default DefaultBaseURL
	PageID    string
	PageToken string
	// AppSecret, when set, signs every request with appsecret_proof, which an app with
	// "Require App Secret" turned on demands.
	AppSecret  string
	Version    string       // default GraphVersion
	HTTPClient *http.Client // default a client with a 60s timeout
}

// Client publishes on one Facebook Page.
type Client struct {
	base    string // BaseURL + "/" + version, no trailing slash
	pageID  string
	token   string
	proof   string
	secrets []string
	http    *http.Client
}

var _ publish.Poster = (*Client)(nil)

// New returns a client for the page cfg names.
func New(cfg Config) *Client {
	c := &Client{
		base:   graph.Base(cfg.BaseURL, cfg.Version),
		pageID: cfg.PageID,
		token:  cfg.PageToken,
		http:   graph.HTTPClient(cfg.HTTPClient),
	}
	if cfg.AppSecret != "" {
		c.proof = graph.Proof(cfg.PageToken, cfg.AppSecret)
	}
	c.secrets = []string{cfg.PageToken, cfg.AppSecret, c.proof}
	return c
}

// Post publishes p on the page: a link post on the feed, or a photo post when p has an
// image, its caption carrying the link so Find can see it.
func (c *Client) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	if p.Image != nil {
		return c.postPhoto(ctx, p)
	}
	form := url.Values{}
	if p.Text != "" {
		form.Set("message", p.Text)
	}
	if p.Link != "" {
		form.Set("link", p.Link)
	}
	c.sign(form)
	req, err := c.newRequest(ctx, http.MethodPost, c.base+"/"+url.PathEscape(c.pageID)+"/feed",
		strings.NewReader(form.Encode()))
	if err != nil {
		return publish.Receipt{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var out struct {
		ID string `json:"id"`
	}
	if err := c.do(req, "post", &out); err != nil {
		return publish.Receipt{}, err
	}
	if out.ID == "" {
		return publish.Receipt{}, c.malformed("post", "answer has no id")
	}
	return publish.Receipt{ID: out.ID, URL: postURL(out.ID)}, nil
}

func (c *Client) postPhoto(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	caption := p.Text
	if p.Link != "" && !publish.LinksTo(caption, p.Link) {
		caption = strings.TrimSpace(caption + "\n\n" + p.Link)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields := url.Values{}
	if caption != "" {
		fields.Set("caption", caption)
	}
	if p.Image.Alt != "" {
		fields.Set("alt_text_custom", p.Image.Alt)
	}
	c.sign(fields)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				return publish.Receipt{}, err
			}
		}
	}
	name := p.Image.Name
	if name == "" {
		name = "image"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="source"; filename=%q`, path.Base(name)))
	h.Set("Content-Type", http.DetectContentType(p.Image.Data))
	part, err := mw.CreatePart(h)
	if err != nil {
		return publish.Receipt{}, err
	}
	if _, err := part.Write(p.Image.Data); err != nil {
		return publish.Receipt{}, err
	}
	if err := mw.Close(); err != nil {
		return publish.Receipt{}, err
	}
	req, err := c.newRequest(ctx, http.MethodPost, c.base+"/"+url.PathEscape(c.pageID)+"/photos", &body)
	if err != nil {
		return publish.Receipt{}, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out struct {
		ID     string `json:"id"`
		PostID string `json:"post_id"`
	}
	if err := c.do(req, "upload", &out); err != nil {
		return publish.Receipt{}, err
	}
	id := out.PostID
	if id == "" {
		id = out.ID
	}
	if id == "" {
		return publish.Receipt{}, c.malformed("upload", "answer has no id")
	}
	return publish.Receipt{ID: id, URL: postURL(id)}, nil
}

// feedPost is one entry of the page feed as Find asks for it.
type feedPost struct {
	ID           string `json:"id"`
	Message      string `json:"message"`
	Link         string `json:"link"`
	PermalinkURL string `json:"permalink_url"`
}

// Find looks through the page's newest posts for one whose link is link or whose
// message carries it.
func (c *Client) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	q := url.Values{}
	q.Set("fields", "id,message,permalink_url,link")
	q.Set("limit", "100")
	c.sign(q)
	next := c.base + "/" + url.PathEscape(c.pageID) + "/feed?" + q.Encode()
	for range maxFeedPages {
		req, err := c.newRequest(ctx, http.MethodGet, next, nil)
		if err != nil {
			return publish.Receipt{}, false, err
		}
		var page struct {
			Data   []feedPost `json:"data"`
			Paging struct {
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.do(req, "find", &page); err != nil {
			return publish.Receipt{}, false, err
		}
		for _, fp := range page.Data {
			if fp.ID != "" && (publish.SameLink(fp.Link, link) || publish.LinksTo(fp.Message, link)) {
				u := fp.PermalinkURL
				if !strings.HasPrefix(u, "https://") {
					u = postURL(fp.ID)
				}
				return publish.Receipt{ID: fp.ID, URL: u}, true, nil
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

// Verify reads the page behind the token and returns its name.
func (c *Client) Verify(ctx context.Context) (string, error) {
	q := url.Values{}
	q.Set("fields", "id,name")
	c.sign(q)
	req, err := c.newRequest(ctx, http.MethodGet, c.base+"/me?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	var me struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := c.do(req, "verify", &me); err != nil {
		return "", err
	}
	if me.Name == "" {
		return "", c.malformed("verify", "answer has no name")
	}
	if c.pageID != "" && me.ID != "" && me.ID != c.pageID {
		// A user token or another page's token would post somewhere else entirely.
		return "", &publish.Error{Platform: publish.Facebook, Op: "verify", Kind: publish.Permanent,
			Message: fmt.Sprintf("the token belongs to %s (%s), not page %s", me.Name, me.ID, c.pageID)}
	}
	return me.Name, nil
}

// sign adds appsecret_proof when the page's app requires it.
func (c *Client) sign(v url.Values) {
	if c.proof != "" {
		v.Set("appsecret_proof", c.proof)
	}
}

// newRequest sends the token in the Authorization header, which Graph accepts, so it
// never sits in a URL that an error or a log line might print.
func (c *Client) newRequest(ctx context.Context, method, u string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", publish.Facebook, c.scrub(err.Error()))
	}
	req.Header.Set("Authorization", "OAuth "+c.token)
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// do sends req and decodes a successful answer into out; any other outcome becomes a
// classified *publish.Error that holds no credential.
func (c *Client) do(req *http.Request, op string, out any) error {
	var wire publish.Wire
	req = req.WithContext(wire.Trace(req.Context()))
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(req, op, err, wire.Delivery())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, graph.MaxBody))
	if err != nil {
		return c.transportError(req, op, err, publish.Unread(resp.StatusCode))
	}
	if pe := classify(op, resp.StatusCode, resp.Header, body); pe != nil {
		pe.Message = c.scrub(pe.Message)
		return pe
	}
	if err := json.Unmarshal(body, out); err != nil {
		return c.malformed(op, "answer is not JSON: "+err.Error())
	}
	return nil
}

// endpointVar is the variable that moves the Graph API, for fixes that name it.
const endpointVar = "HUMAS_FACEBOOK_GRAPH_URL"

// transportError reports a request that got no usable answer (publish.Transport).
// A paging URL may carry a token, so the message names the URL to its path only,
// and is scrubbed besides.
func (c *Client) transportError(req *http.Request, op string, err error, d publish.Delivery) error {
	where := req.Method + " " + req.URL.Scheme + "://" + req.URL.Host + req.URL.Path
	te := publish.Transport(publish.Facebook, op, where, err, d, endpointVar)
	te.PE.Message = c.scrub(te.PE.Message)
	return te
}

// malformed is an answer humas cannot use. After a post (a feed post, or a photo's
// upload, which is its post) Graph said yes: the post may well exist, and is looked
// for before anything is sent again.
func (c *Client) malformed(op, msg string) error {
	d := publish.Sent
	if op == "post" || op == "upload" {
		d = publish.MaybeSent
	}
	return &publish.Error{Platform: publish.Facebook, Op: op, Kind: publish.Permanent, Delivery: d, Message: c.scrub(msg)}
}

// scrub removes every credential from s, however it got there.
func (c *Client) scrub(s string) string { return graph.Scrub(s, c.secrets) }

func (c *Client) sameHost(u string) bool { return graph.SameHost(c.base, u) }

// postURL is where a post id opens on Facebook; both page_post and photo ids do.
func postURL(id string) string {
	return "https://www.facebook.com/" + id
}
