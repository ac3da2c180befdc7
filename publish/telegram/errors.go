package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
)

// answer is every Bot API answer: ok and result, or ok false with error_code,
// description and, for some errors, parameters (ResponseParameters).
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
		RetryAfter      int   `json:"retry_after"`
	} `json:"parameters"`
}

// classify reads one Bot API answer: nil for a success, otherwise the refusal,
// classified permanent or transient once, here, with the fix a press officer can
// make. who names the bot and channel for the fixes.
func classify(op string, status int, h http.Header, body []byte, who fixer) *publish.Error {
	var a answer
	isJSON := json.Unmarshal(body, &a) == nil
	if isJSON && a.OK && status == http.StatusOK {
		return nil
	}
	pe := &publish.Error{Platform: Name, Op: op, Status: status, Kind: publish.Permanent}
	if !isJSON || a.Description == "" {
		// A proxy's error page (nginx answers for a Bot API server that is down).
		pe.Message = http.StatusText(status)
	} else {
		pe.Code = strconv.Itoa(a.ErrorCode)
		pe.Message = a.Description
	}
	if a.Parameters != nil && a.Parameters.RetryAfter > 0 {
		pe.RetryAfter = time.Duration(a.Parameters.RetryAfter) * time.Second
	} else if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s > 0 {
		pe.RetryAfter = time.Duration(s) * time.Second
	}
	pe.Delivery = publish.Answered(status)
	switch {
	case status == http.StatusTooManyRequests, status >= 500, status == http.StatusRequestTimeout:
		// Flood control (429, "Too Many Requests: retry after N") and a server or
		// gateway that failed: the same request may go through later.
		pe.Kind = publish.Transient
	case a.Parameters != nil && a.Parameters.MigrateToChatID != 0:
		pe.Message += fmt.Sprintf(": the chat is now %d; set telegram.channel to %q in humas.yaml",
			a.Parameters.MigrateToChatID, strconv.FormatInt(a.Parameters.MigrateToChatID, 10))
	default:
		if fix := who.fix(status, a.Description); fix != "" {
			pe.Message += ": " + fix
		}
	}
	return pe
}

// fixer knows the names a fix speaks of.
type fixer struct {
	channel  string // as humas.yaml names it
	tokenVar string // the variable the token came from
}

// fix is what a person can do about a permanent refusal.
func (f fixer) fix(status int, description string) string {
	d := strings.ToLower(description)
	admin := fmt.Sprintf("add the bot to %s as an administrator allowed to post messages", f.channel)
	switch {
	case status == http.StatusUnauthorized:
		v := "the CI secret"
		if f.tokenVar != "" {
			v = f.tokenVar
		}
		return "the bot token is refused: get the token from @BotFather (/token) and put it in " + v
	case status == http.StatusNotFound && !strings.Contains(d, "method"):
		return "HUMAS_TELEGRAM_API_URL must be the Bot API's base, such as " + DefaultBaseURL
	case strings.Contains(d, "bot was kicked"), strings.Contains(d, "bot is not a member"),
		strings.Contains(d, "need administrator rights"), strings.Contains(d, "not enough rights"):
		return admin
	case strings.Contains(d, "chat not found"):
		return fmt.Sprintf("check telegram.channel (%s) in humas.yaml: the @name of a public channel or its numeric id, and that the bot is in it", f.channel)
	case strings.Contains(d, "can't parse entities"):
		return "humas sent HTML Telegram could not parse: please report this"
	}
	return ""
}
