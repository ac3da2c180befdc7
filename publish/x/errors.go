package x

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
)

// duplicateDetail is how X v2 words the refusal of a post identical to a recent one.
const duplicateDetail = "duplicate content"

// duplicateCode is the v1.1 code for the same refusal ("Status is a duplicate").
const duplicateCode = 187

// classify reads X's refusal: the problem format of API v2 ({"title","detail","type",
// "status"}) or the older {"errors":[{"code","message"}]}, and the rate-limit headers.
func classify(op string, resp *http.Response, body []byte, now time.Time) *publish.Error {
	e := &publish.Error{Platform: publish.X, Op: op, Status: resp.StatusCode, Kind: publish.Permanent}
	var answer struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Type   string `json:"type"`
		Errors []struct {
			Code    json.Number `json:"code"`
			Message string      `json:"message"`
			Title   string      `json:"title"`
			Detail  string      `json:"detail"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &answer) == nil {
		if answer.Type != "about:blank" {
			e.Code = answer.Type
		}
		// A problem's detail is often generic ("One or more parameters to your request
		// was invalid."); the first of its errors says which.
		e.Message = first(answer.Detail, answer.Title)
		if len(answer.Errors) > 0 {
			f := answer.Errors[0]
			if f.Code != "" {
				e.Code = f.Code.String()
			}
			e.Message = first(f.Message, f.Detail, f.Title, e.Message)
		}
	} else {
		e.Message = brief(string(body))
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	code, _ := strconv.Atoi(e.Code)
	if code == duplicateCode || resp.StatusCode == http.StatusForbidden && strings.Contains(e.Message, duplicateDetail) {
		e.Duplicate = true
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout ||
		resp.StatusCode >= 500 {
		e.Kind = publish.Transient
	}
	e.RetryAfter = retryAfter(resp.Header, now)
	return e
}

// retryAfter reads Retry-After (seconds or a date) or else X's x-rate-limit-reset
// (unix seconds), and returns how long from now that is.
func retryAfter(h http.Header, now time.Time) time.Duration {
	var at time.Time
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil {
			return max(time.Duration(s)*time.Second, 0)
		}
		if t, err := http.ParseTime(v); err == nil {
			at = t
		}
	}
	if at.IsZero() {
		if v := h.Get("X-Rate-Limit-Reset"); v != "" {
			if s, err := strconv.ParseInt(v, 10, 64); err == nil {
				at = time.Unix(s, 0)
			}
		}
	}
	if at.IsZero() {
		return 0
	}
	return max(at.Sub(now), 0)
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// brief keeps an answer that is not JSON (a proxy's error page) short enough for a message.
func brief(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const n = 200
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
