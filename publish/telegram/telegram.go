// Package telegram posts on a Telegram channel through the Bot API, as a bot that is
// an administrator of the channel.
//
// The Bot API cannot read a channel's messages, so Find cannot look for a post a
// dead run may have sent: it answers publish.ErrCannotLook, and a person decides.
// The bot token travels in the URL path (/bot<token>/sendMessage), so no error this
// package returns holds a URL with it: every message is built from the method name
// and scrubbed of the token however it got there.
package telegram

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
	"strconv"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
)

// Name is the platform's name in humas.yaml, targets, flags and errors.
const Name = "telegram"

// DefaultBaseURL is where the Bot API lives; HUMAS_TELEGRAM_API_URL overrides it.
const DefaultBaseURL = "https://api.telegram.org"

// maxAnswer bounds how much of an answer is read; Bot API answers here are small.
const maxAnswer = 4 << 20

// Config is one channel and the bot that posts in it.
type Config struct {
	BaseURL string // default DefaultBaseURL
	// Channel is the channel as humas.yaml names it: "@kpubalikpapan", or the
	// numeric id of a channel without a public name ("-1001234567890").
	Channel string
	Token   string // the bot's token, from @BotFather
	// TokenVar names the variable the token came from, for messages; never its value.
	TokenVar   string
	HTTPClient *http.Client // default a client with a 60 s timeout
}

// Client posts in one channel as one bot. It is safe for concurrent use.
type Client struct {
	base    string
	channel string
	token   string
	http    *http.Client
	fixer   fixer
}

var _ publish.Poster = (*Client)(nil)

// New returns a client for the channel and bot cfg names.
func New(cfg Config) *Client {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	hc := cfg.HTTPClient
	if hc == nil {
		// Every call also carries the caller's context; this is the floor for
		// callers that give none with a deadline.
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	// The token is in every request's path, and net/http following a redirect
	// sends that path on as Referer: a redirect is answered as the failure it is
	// (the Bot API never redirects), never followed.
	own := *hc
	own.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc = &own
	return &Client{
		base:    base,
		channel: strings.TrimSpace(cfg.Channel),
		token:   cfg.Token,
		http:    hc,
		fixer:   fixer{channel: strings.TrimSpace(cfg.Channel), tokenVar: cfg.TokenVar},
	}
}

// message is the part of a Bot API Message humas reads.
type message struct {
	MessageID int64 `json:"message_id"`
	Chat      chat  `json:"chat"`
}

type chat struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Title    string `json:"title"`
	Username string `json:"username"`
}

// Post sends p to the channel: a photo with p's text as its caption when p has an
// image, otherwise a message; in both the text is escaped for parse_mode HTML,
// carries the article's link and, for a partner, the link to the issuer's message.
// Telegram keeps no alt text for a photo.
func (c *Client) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	text, err := Text(p)
	if err != nil {
		return publish.Receipt{}, c.refuse(err.Error())
	}
	n, limit := Length(text), LimitFor(p)
	switch {
	case n == 0 && p.Image == nil:
		return publish.Receipt{}, c.refuse("the message is empty")
	case n > limit && p.Image != nil:
		return publish.Receipt{}, c.refuse(fmt.Sprintf("the caption is %d characters: a Telegram photo's caption takes at most %d; shorten the post or send it without the picture", n, limit))
	case n > limit:
		return publish.Receipt{}, c.refuse(fmt.Sprintf("the message is %d characters: Telegram takes at most %d", n, limit))
	}
	var m message
	if p.Image != nil {
		err = c.sendPhoto(ctx, p.Image, escapeHTML(text), &m)
	} else {
		err = c.sendMessage(ctx, escapeHTML(text), p.Link, &m)
	}
	if err != nil {
		return publish.Receipt{}, err
	}
	if m.MessageID == 0 {
		return publish.Receipt{}, c.unreadable("post", "the answer has no message_id")
	}
	ref := c.ref(m)
	return publish.Receipt{ID: ref, URL: MessageURL(ref)}, nil
}

// ref is a message's t.me path: the channel's public name, or c/<id> for a channel
// without one (its id without the -100 every channel id starts with).
func (c *Client) ref(m message) string {
	id := strconv.FormatInt(m.MessageID, 10)
	if m.Chat.Username != "" {
		return m.Chat.Username + "/" + id
	}
	if name, ok := strings.CutPrefix(c.channel, "@"); ok {
		return name + "/" + id
	}
	return "c/" + strings.TrimPrefix(strconv.FormatInt(m.Chat.ID, 10), "-100") + "/" + id
}

func (c *Client) sendMessage(ctx context.Context, html, link string, out *message) error {
	body := map[string]any{"chat_id": c.channel, "text": html, "parse_mode": "HTML"}
	if link != "" {
		// The text may carry the issuer's message link too: the preview shows the
		// article, large, whichever link comes first.
		body["link_preview_options"] = map[string]any{"url": link, "prefer_large_media": true}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return c.malformed("post", err.Error())
	}
	return c.call(ctx, "post", "sendMessage", bytes.NewReader(b), "application/json", out)
}

func (c *Client) sendPhoto(ctx context.Context, img *publish.Image, caption string, out *message) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields := [][2]string{{"chat_id", c.channel}, {"parse_mode", "HTML"}}
	if caption != "" {
		fields = append(fields, [2]string{"caption", caption})
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return c.malformed("post", err.Error())
		}
	}
	if len(img.Data) == 0 {
		return c.refuse("the picture has no data to upload")
	}
	name := img.Name
	if name == "" {
		name = "image"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photo"; filename=%q`, path.Base(name)))
	h.Set("Content-Type", http.DetectContentType(img.Data))
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(img.Data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return c.malformed("post", err.Error())
	}
	return c.call(ctx, "post", "sendPhoto", &body, mw.FormDataContentType(), out)
}

// Find cannot look: the Bot API gives a bot no way to read a channel's messages.
// It says so with publish.ErrCannotLook, never "not found", so a post a dead run
// may have sent is never sent again blindly: a person says whether it went out
// (humas resolve).
func (c *Client) Find(context.Context, string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, fmt.Errorf(
		"%s: find: the Bot API cannot read %s's messages, so whether the post went out is for a person to say (humas resolve): %w",
		Name, c.channel, publish.ErrCannotLook)
}

// Verify proves the bot's token (getMe), that the channel exists and is a channel
// (getChat), and that the bot is an administrator there allowed to post messages
// (getChatMember). It returns the channel as "@name", or its title when it has no
// public name.
func (c *Client) Verify(ctx context.Context) (string, error) {
	var me struct {
		ID       int64  `json:"id"`
		IsBot    bool   `json:"is_bot"`
		Username string `json:"username"`
	}
	if err := c.call(ctx, "verify", "getMe", nil, "", &me); err != nil {
		return "", err
	}
	if me.ID == 0 || !me.IsBot {
		return "", c.malformed("verify", "getMe names no bot")
	}
	var ch chat
	if err := c.call(ctx, "verify", "getChat", form("chat_id", c.channel), formType, &ch); err != nil {
		return "", err
	}
	if ch.Type != "channel" {
		return "", c.refuseOp("verify", fmt.Sprintf("%s is a %s, not a channel: set telegram.channel to the channel's @name", c.channel, ch.Type))
	}
	var member struct {
		Status          string `json:"status"`
		CanPostMessages bool   `json:"can_post_messages"`
	}
	if err := c.call(ctx, "verify", "getChatMember",
		form("chat_id", c.channel, "user_id", strconv.FormatInt(me.ID, 10)), formType, &member); err != nil {
		return "", err
	}
	if member.Status != "creator" && (member.Status != "administrator" || !member.CanPostMessages) {
		state := member.Status
		if member.Status == "administrator" {
			state = "an administrator without the right to post messages"
		}
		return "", c.refuseOp("verify", fmt.Sprintf("@%s is %s in %s: add it as an administrator allowed to post messages",
			me.Username, state, c.channel))
	}
	switch {
	case ch.Username != "" && strings.EqualFold("@"+ch.Username, c.channel):
		return c.channel, nil // public names are case-insensitive: humas.yaml's spelling
	case ch.Username != "":
		return "@" + ch.Username, nil
	}
	return ch.Title, nil
}

const formType = "application/x-www-form-urlencoded"

func form(kv ...string) io.Reader {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return strings.NewReader(v.Encode())
}

// call sends one Bot API method and decodes its result into out.
func (c *Client) call(ctx context.Context, op, method string, body io.Reader, contentType string, out any) error {
	httpMethod := http.MethodGet
	if body != nil {
		httpMethod = http.MethodPost
	}
	var wire publish.Wire
	req, err := http.NewRequestWithContext(wire.Trace(ctx), httpMethod, c.base+"/bot"+c.token+"/"+method, body)
	if err != nil {
		// NewRequest quotes the URL it could not parse, token and all.
		return c.malformed(op, fmt.Sprintf("HUMAS_TELEGRAM_API_URL %q is not a URL", c.base))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(op, method, err, wire.Delivery())
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return c.transportError(op, method, err, publish.Unread(resp.StatusCode))
	}
	if pe := classify(op, resp.StatusCode, resp.Header, data, c.fixer); pe != nil {
		pe.Message = c.scrub(pe.Message)
		return pe
	}
	var a answer
	if err := json.Unmarshal(data, &a); err != nil || a.Result == nil {
		return c.unreadable(op, "the answer holds no result")
	}
	if err := json.Unmarshal(a.Result, out); err != nil {
		return c.unreadable(op, "the result is not what "+method+" answers: "+err.Error())
	}
	return nil
}

// transportError reports a request that got no answer (publish.Transport). Go's
// *url.Error prints the request's URL, and the token is in its path: the message
// names the method only, and the message and the cause are scrubbed besides.
func (c *Client) transportError(op, method string, err error, d publish.Delivery) error {
	te := publish.Transport(Name, op, c.base+"/bot[redacted]/"+method, err, d, "HUMAS_TELEGRAM_API_URL")
	te.PE.Message = c.scrub(te.PE.Message)
	te.Cause = scrubbed{err: te.Cause, scrub: c.scrub}
	return te
}

// scrubbed is a cause whose text is scrubbed too, for whoever prints an unwrapped
// error; errors.Is and errors.As still reach the original.
type scrubbed struct {
	err   error
	scrub func(string) string
}

func (s scrubbed) Error() string { return s.scrub(s.err.Error()) }
func (s scrubbed) Unwrap() error { return s.err }

func (c *Client) refuse(msg string) error { return c.refuseOp("post", msg) }

// refuseOp is a permanent refusal made here; nothing of it reached Telegram, or
// what did (verify's reads) posts nothing.
func (c *Client) refuseOp(op, msg string) error {
	return &publish.Error{Platform: Name, Op: op, Kind: publish.Permanent, Delivery: publish.NotSent, Message: c.scrub(msg)}
}

// malformed is a request humas could not build: nothing was sent.
func (c *Client) malformed(op, msg string) error { return c.refuseOp(op, msg) }

// unreadable is an answer humas cannot use. After sendMessage or sendPhoto Telegram
// said yes: the message may well be in the channel, and the Bot API cannot be
// asked, so a person decides (humas resolve).
func (c *Client) unreadable(op, msg string) error {
	d := publish.Sent
	if op == "post" {
		d = publish.MaybeSent
	}
	return &publish.Error{Platform: Name, Op: op, Kind: publish.Permanent, Delivery: d, Message: c.scrub(msg)}
}

// scrub removes the token from s, however it got there: as is, URL-escaped, or its
// secret half alone (the part after the bot id).
func (c *Client) scrub(s string) string {
	if c.token == "" {
		return s
	}
	secrets := []string{c.token, url.PathEscape(c.token), url.QueryEscape(c.token)}
	if _, secret, ok := strings.Cut(c.token, ":"); ok && len(secret) >= 8 {
		secrets = append(secrets, secret)
	}
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}
