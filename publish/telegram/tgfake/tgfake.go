// Package tgfake is a strict fake of the Telegram Bot API methods humas calls, served
// on 127.0.0.1 for adapter, pipeline and command tests.
//
// It answers what the Bot API answers, as it shapes it: {"ok":true,"result":...} or
// {"ok":false,"error_code":N,"description":"..."} with "parameters" where the API
// gives them (retry_after, migrate_to_chat_id), the HTTP status equal to error_code,
// Content-Type: application/json on every answer and Retry-After on a 429 (the
// telegram-bot-api server's HttpConnection and Query), for
//
//	POST /bot<token>/getMe
//	POST /bot<token>/getChat          chat_id
//	POST /bot<token>/getChatMember    chat_id, user_id
//	POST /bot<token>/sendMessage      chat_id, text, parse_mode, link_preview_options
//	POST /bot<token>/sendPhoto        chat_id, photo (an upload), caption, parse_mode
//
// with parameters in the query string, a urlencoded or multipart form, or JSON, and
// method names in any case, as the Bot API takes them. It refuses what the Bot API
// refuses: a malformed token (401 "Unauthorized: invalid token specified") or an
// unknown one (401 "Unauthorized"), a path that is not /bot<token>/<method> (404),
// a method it does not know (404 "Not Found: method not found"; there is no method
// to read a channel's messages), an unknown chat (400 "chat not found"), a chat that
// moved (400 with migrate_to_chat_id), a bot that is not a member of the channel or
// was kicked (403) or is not an administrator allowed to post (400 "need
// administrator rights in the channel chat"), HTML it cannot parse (400 "can't parse
// entities: ..." with TDLib's own texts and byte offsets), a text over 4,096 or a
// caption over 1,024 characters after entity parsing, a photo that is not an image,
// is over 10 MB or has dimensions out of bounds, and more than 20 messages a minute
// in one channel (429 with retry_after, from the Bot FAQ's limits). Telegram has no
// duplicate check: the same text twice is two messages.
//
// Faults set with Fail hit the next sendMessage or sendPhoto requests in a channel,
// after the request was checked:
//
//	postertest.Unavailable      HTTP 503 with nginx's HTML page: the Bot API's front
//	                            answers for a back end that is down
//	postertest.RateLimited      HTTP 429 "Too Many Requests: retry after 1",
//	                            parameters.retry_after 1, Retry-After: 1
//	postertest.Unauthorized     HTTP 401 "Unauthorized"
//	postertest.DropAfterRecord  the message is posted, then the connection is closed
//	postertest.Hang             no answer until the client gives up or Close
//	postertest.RecordAndHang    the message is posted, then no answer until the client gives up
package tgfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // the formats Telegram takes as a photo
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	_ "golang.org/x/image/webp"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/postertest"
)

// Limits the Bot API documents: sendMessage text and sendPhoto caption "after
// entities parsing"; sendPhoto's photo "at most 10 MB in size", "width and height
// must not exceed 10000 in total", "ratio must be at most 20"; and the Bot FAQ's
// "no more than 20 messages per minute" in one group or channel.
const (
	maxText      = 4096
	maxCaption   = 1024
	maxPhoto     = 10 << 20
	maxPhotoSide = 10000
	maxRatio     = 20
	perMinute    = 20
)

// Bot is a bot the fake knows.
type Bot struct {
	ID        int64
	Username  string // without @
	FirstName string
	// Token must look like a real one, "<ID>:<35 characters>", or every call with
	// it is refused as malformed.
	Token string
}

// Env is the environment humas reads b's token from when it posts for the
// institution with key account.
func (b Bot) Env(account string) map[string]string {
	return map[string]string{publish.EnvName(account, "TELEGRAM_BOT_TOKEN"): b.Token}
}

// Channel is a channel the fake knows.
type Channel struct {
	ID       int64 // -100…
	Username string
	Title    string
}

// Message is a message as the fake holds it: the text readers see (after entity
// parsing), its entities, and the photo when it has one.
type Message struct {
	ID       int64
	BotID    int64
	Text     string // the text or the caption
	Entities []Entity
	Photo    bool
	Preview  string // link_preview_options.url, when given
	Date     time.Time
}

// Rights is a bot's membership in a channel.
type Rights struct {
	Status          string // "administrator", "member", "left" or "kicked"
	CanPostMessages bool
}

// Server is a running fake. Every method is safe for concurrent use.
type Server struct {
	// URL is the base to give the adapter, http://127.0.0.1:port.
	URL string

	srv       *httptest.Server
	done      chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	bots     map[string]*Bot // by token
	channels map[int64]*channel
	moved    map[string]int64 // chat as named -> migrate_to_chat_id
	requests int
}

type channel struct {
	Channel
	rights   map[int64]Rights // by bot id
	messages []Message
	nextID   int64
	faults   []fault
	recent   []time.Time // when the last messages were sent, for flood control
}

type fault struct {
	kind        postertest.Fault // 0 for a FailWith answer
	status      int
	description string
}

// New starts a fake with no bots or channels on 127.0.0.1; Close stops it.
func New() *Server {
	s := &Server{
		done:     make(chan struct{}),
		bots:     map[string]*Bot{},
		channels: map[int64]*channel{},
		moved:    map[string]int64{},
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

// AddBot makes b known.
func (s *Server) AddBot(b Bot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bots[b.Token] = &b
}

// AddChannel makes c known, with no bot in it.
func (s *Server) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[c.ID] = &channel{Channel: c, rights: map[int64]Rights{}, nextID: 1}
}

// SetRights sets bot botID's membership in channel channelID.
func (s *Server) SetRights(channelID, botID int64, r Rights) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustChannel(channelID).rights[botID] = r
}

// Migrate makes chat, as a request names it ("@oldname" or its id), answer that it
// moved to id.
func (s *Server) Migrate(chat string, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.moved[chat] = id
}

// Fail makes the next n sendMessage or sendPhoto requests in channel channelID fail
// with f.
func (s *Server) Fail(channelID int64, f postertest.Fault, n int) {
	s.addFault(channelID, fault{kind: f}, n)
}

// FailWith makes the next n sendMessage or sendPhoto requests in channel channelID
// answer the Bot API error status with description.
func (s *Server) FailWith(channelID int64, status int, description string, n int) {
	s.addFault(channelID, fault{status: status, description: description}, n)
}

func (s *Server) addFault(channelID int64, f fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChannel(channelID)
	for range n {
		c.faults = append(c.faults, f)
	}
}

func (s *Server) mustChannel(id int64) *channel {
	c := s.channels[id]
	if c == nil {
		panic(fmt.Sprintf("tgfake: unknown channel %d", id))
	}
	return c
}

// Messages returns the messages in channel channelID, oldest first.
func (s *Server) Messages(channelID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	if c == nil {
		return nil
	}
	return append([]Message(nil), c.messages...)
}

// Requests counts every request the fake has received, answered or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Fake is the control side of channel channelID, for postertest.Run.
func (s *Server) Fake(channelID int64) postertest.Fake { return control{s: s, id: channelID} }

type control struct {
	s  *Server
	id int64
}

func (c control) Fail(f postertest.Fault, n int) { c.s.Fail(c.id, f, n) }
func (c control) PostCount() int                 { return len(c.s.Messages(c.id)) }

// NewestAlt is always "": Telegram keeps no alt text for a photo.
func (c control) NewestAlt() string { return "" }

// Handler serves the fake's Bot API, for mounting on a server of the caller's own.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// reply writes Bot API answers.
type reply struct{ w http.ResponseWriter }

func (r reply) ok(result any) {
	r.write(http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (r reply) fail(code int, description string, params map[string]any) {
	a := map[string]any{"ok": false, "error_code": code, "description": description}
	if params != nil {
		a["parameters"] = params
	}
	if ra, ok := params["retry_after"]; ok {
		r.w.Header().Set("Retry-After", fmt.Sprint(ra))
	}
	r.write(code, a)
}

func (r reply) badRequest(description string) {
	r.fail(http.StatusBadRequest, "Bad Request: "+description, nil)
}

func (r reply) write(status int, v any) {
	r.w.Header().Set("Content-Type", "application/json")
	r.w.WriteHeader(status)
	_ = json.NewEncoder(r.w).Encode(v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	rp := reply{w: w}

	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	if !ok || !found || method == "" || strings.Contains(method, "/") {
		rp.fail(http.StatusNotFound, "Not Found", nil)
		return
	}
	// ClientManager::send: a token must hold ':' and no '/', not start with 0, and
	// be at most 80 characters, with a bot id before the ':'.
	if id, _, ok := strings.Cut(token, ":"); !ok || token[0] == '0' || len(token) > 80 || !isBotID(id) {
		rp.fail(http.StatusUnauthorized, "Unauthorized: invalid token specified", nil)
		return
	}
	s.mu.Lock()
	bot, known := s.bots[token]
	var b Bot
	if known {
		b = *bot
	}
	s.mu.Unlock()
	if !known {
		rp.fail(http.StatusUnauthorized, "Unauthorized", nil)
		return
	}
	params, files, err := readParams(r)
	if err != nil {
		rp.badRequest(err.Error())
		return
	}
	switch strings.ToLower(method) {
	case "getme":
		rp.ok(map[string]any{"id": b.ID, "is_bot": true, "first_name": b.FirstName, "username": b.Username,
			"can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false})
	case "getchat":
		c, ok := s.chat(rp, params)
		if !ok {
			return
		}
		rp.ok(chatFullInfo(c))
	case "getchatmember":
		s.getChatMember(rp, params)
	case "sendmessage":
		s.send(rp, r, b, params, nil, false)
	case "sendphoto":
		s.send(rp, r, b, params, files, true)
	default:
		rp.fail(http.StatusNotFound, "Not Found: method not found", nil)
	}
}

func isBotID(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n > 0 && n < 1<<54
}

// readParams reads a method's parameters from wherever the Bot API takes them.
func readParams(r *http.Request) (map[string]string, map[string][]byte, error) {
	params := map[string]string{}
	files := map[string][]byte{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var body map[string]json.RawMessage
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
			return nil, nil, fmt.Errorf("can't parse JSON encoded request body")
		}
		for k, raw := range body {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				params[k] = str
			} else {
				params[k] = string(raw) // numbers and objects as their JSON
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxPhoto + 1<<20); err != nil {
			return nil, nil, fmt.Errorf("can't parse multipart/form-data request")
		}
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, err
			}
			data, err := io.ReadAll(io.LimitReader(f, maxPhoto+1))
			f.Close()
			if err != nil {
				return nil, nil, err
			}
			files[k] = data
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
	}
	return params, files, nil
}

// chat finds the chat chat_id names, answering the refusal when there is none.
func (s *Server) chat(rp reply, params map[string]string) (*channel, bool) {
	ref := strings.TrimSpace(params["chat_id"])
	if ref == "" {
		rp.badRequest("chat_id is empty")
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if to, ok := s.moved[ref]; ok {
		rp.fail(http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat",
			map[string]any{"migrate_to_chat_id": to})
		return nil, false
	}
	for _, c := range s.channels {
		if name, ok := strings.CutPrefix(ref, "@"); ok && strings.EqualFold(name, c.Username) ||
			ref == strconv.FormatInt(c.ID, 10) {
			return c, true
		}
	}
	rp.badRequest("chat not found")
	return nil, false
}

func chatFullInfo(c *channel) map[string]any {
	out := map[string]any{"id": c.ID, "type": "channel", "title": c.Title,
		"accent_color_id": 0, "max_reaction_count": 11}
	if c.Username != "" {
		out["username"] = c.Username
	}
	return out
}

func (s *Server) getChatMember(rp reply, params map[string]string) {
	c, ok := s.chat(rp, params)
	if !ok {
		return
	}
	uid, err := strconv.ParseInt(params["user_id"], 10, 64)
	if err != nil {
		rp.badRequest("invalid user_id specified")
		return
	}
	s.mu.Lock()
	var user map[string]any
	for _, b := range s.bots {
		if b.ID == uid {
			user = map[string]any{"id": b.ID, "is_bot": true, "first_name": b.FirstName, "username": b.Username}
		}
	}
	rights, member := c.rights[uid]
	s.mu.Unlock()
	if user == nil {
		rp.badRequest("user not found")
		return
	}
	if !member {
		rights = Rights{Status: "left"}
	}
	out := map[string]any{"status": rights.Status, "user": user}
	if rights.Status == "administrator" {
		// ChatMemberAdministrator: every right is present, true or false.
		for _, k := range []string{"can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
			"can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
			"can_invite_users", "can_edit_messages", "can_post_stories", "can_edit_stories", "can_delete_stories"} {
			out[k] = false
		}
		out["can_post_messages"] = rights.CanPostMessages
	}
	rp.ok(out)
}

// send is sendMessage and sendPhoto: the chat, the bot's rights, the text, the
// photo, flood control, then the scripted fault, then the message.
func (s *Server) send(rp reply, r *http.Request, b Bot, params map[string]string, files map[string][]byte, photo bool) {
	c, ok := s.chat(rp, params)
	if !ok {
		return
	}
	s.mu.Lock()
	rights, member := c.rights[b.ID]
	s.mu.Unlock()
	switch {
	case !member || rights.Status == "left":
		rp.fail(http.StatusForbidden, "Forbidden: bot is not a member of the channel chat", nil)
		return
	case rights.Status == "kicked":
		rp.fail(http.StatusForbidden, "Forbidden: bot was kicked from the channel chat", nil)
		return
	case rights.Status != "administrator" || !rights.CanPostMessages:
		rp.badRequest("need administrator rights in the channel chat")
		return
	}
	field, limit, tooLong := "text", maxText, "message is too long"
	if photo {
		field, limit, tooLong = "caption", maxCaption, "message caption is too long"
	}
	raw := params[field]
	if !utf8.ValidString(raw) {
		rp.badRequest("strings must be encoded in UTF-8")
		return
	}
	text, entities := raw, []Entity(nil)
	switch mode := strings.ToLower(params["parse_mode"]); mode {
	case "":
	case "html":
		var perr parseError
		text, entities, perr = parseHTML(raw)
		if perr != "" {
			rp.badRequest("can't parse entities: " + string(perr))
			return
		}
	case "markdown", "markdownv2":
		rp.badRequest("tgfake parses parse_mode HTML only, which humas sends")
		return
	default:
		rp.badRequest("unsupported parse_mode")
		return
	}
	if !photo && strings.TrimSpace(text) == "" {
		rp.badRequest("message text is empty")
		return
	}
	if utf8.RuneCountInString(text) > limit {
		rp.badRequest(tooLong)
		return
	}
	var preview string
	if v := params["link_preview_options"]; v != "" {
		var o struct {
			IsDisabled       bool   `json:"is_disabled"`
			URL              string `json:"url"`
			PreferSmallMedia bool   `json:"prefer_small_media"`
			PreferLargeMedia bool   `json:"prefer_large_media"`
			ShowAboveText    bool   `json:"show_above_text"`
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.DisallowUnknownFields()
		if photo || dec.Decode(&o) != nil {
			rp.badRequest("can't parse link preview options")
			return
		}
		preview = o.URL
	}
	if photo {
		data, uploaded := files["photo"]
		switch {
		case !uploaded && params["photo"] == "":
			rp.badRequest("there is no photo in the request")
			return
		case !uploaded:
			// A string is a file_id or an HTTP URL; the fake knows no file ids
			// and fetches nothing.
			rp.badRequest("wrong file identifier/HTTP URL specified")
			return
		case len(data) > maxPhoto:
			rp.fail(http.StatusRequestEntityTooLarge, "Request Entity Too Large", nil)
			return
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			rp.badRequest("IMAGE_PROCESS_FAILED")
			return
		}
		w, h := cfg.Width, cfg.Height
		if w+h > maxPhotoSide || w > maxRatio*h || h > maxRatio*w {
			rp.badRequest("PHOTO_INVALID_DIMENSIONS")
			return
		}
	}

	s.mu.Lock()
	now := time.Now()
	kept := c.recent[:0]
	for _, t := range c.recent {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	c.recent = kept
	if len(c.recent) >= perMinute {
		wait := int(time.Minute-now.Sub(c.recent[0]))/int(time.Second) + 1
		s.mu.Unlock()
		rp.fail(http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", wait),
			map[string]any{"retry_after": wait})
		return
	}
	f, faulted := c.nextFault()
	var m Message
	if !faulted || f.kind == postertest.DropAfterRecord || f.kind == postertest.RecordAndHang {
		m = Message{ID: c.nextID, BotID: b.ID, Text: text, Entities: entities, Photo: photo, Preview: preview, Date: now}
		c.nextID++
		c.messages = append(c.messages, m)
		c.recent = append(c.recent, now)
	}
	info := chatFullInfo(c)
	s.mu.Unlock()
	if faulted {
		s.answerFault(rp, r, f)
		return
	}
	chatInfo := map[string]any{"id": info["id"], "type": "channel", "title": info["title"]}
	if u, ok := info["username"]; ok {
		chatInfo["username"] = u
	}
	out := map[string]any{"message_id": m.ID, "sender_chat": chatInfo, "chat": chatInfo, "date": m.Date.Unix()}
	key := "text"
	if photo {
		key = "caption"
		out["photo"] = []map[string]any{{"file_id": "AgACAgUAAxkBAAI" + strconv.FormatInt(m.ID, 10), "file_unique_id": "AQAD" + strconv.FormatInt(m.ID, 10), "width": 90, "height": 90}}
	}
	if text != "" {
		out[key] = text
	}
	if len(entities) > 0 {
		if photo {
			out["caption_entities"] = entities
		} else {
			out["entities"] = entities
		}
	}
	rp.ok(out)
}

// nextFault takes the channel's next scripted fault; s.mu is held.
func (c *channel) nextFault() (fault, bool) { return postertest.Next(&c.faults) }

func (s *Server) answerFault(rp reply, r *http.Request, f fault) {
	switch f.kind {
	case postertest.Unavailable:
		rp.w.Header().Set("Content-Type", "text/html")
		rp.w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(rp.w, "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	case postertest.RateLimited:
		rp.fail(http.StatusTooManyRequests, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
	case postertest.Unauthorized:
		rp.fail(http.StatusUnauthorized, "Unauthorized", nil)
	case postertest.DropAfterRecord:
		postertest.Drop(rp.w, "tgfake")
	case postertest.Hang, postertest.RecordAndHang:
		postertest.Wait(r, s.done)
	default:
		rp.fail(f.status, f.description, nil)
	}
}
