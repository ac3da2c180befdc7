package x

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

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
		// A proxy's error page: folded and cut as every stored error is.
		e.Message = publish.ErrorText(string(body))
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
	e.RetryAfter = retryAfter(resp.StatusCode, resp.Header, now)
	e.Delivery = publish.Answered(resp.StatusCode)
	e.Fix = fix(resp.StatusCode, e)
	return e
}

// retryAfter reads how long X asked to wait: Retry-After (seconds or a date)
// whenever it is sent, else x-rate-limit-reset (unix seconds) only when the limit is
// spent, on a 429 or with x-rate-limit-remaining 0. X sends the three
// x-rate-limit headers on every answer ("Rate limits", docs.x.com/x-api/
// fundamentals/rate-limits): the reset of a window that still has room says nothing
// about a 503, and waiting for it would give up on a retry that could go through.
func retryAfter(status int, h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil {
			return max(time.Duration(s)*time.Second, 0)
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	if status != http.StatusTooManyRequests && h.Get("X-Rate-Limit-Remaining") != "0" {
		return 0
	}
	v := h.Get("X-Rate-Limit-Reset")
	if v == "" {
		return 0
	}
	s, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0
	}
	return max(time.Unix(s, 0).Sub(now), 0)
}

// fix says what a person can do about X's permanent refusals.
func fix(status int, e *publish.Error) string {
	switch {
	case e.Kind == publish.Transient || e.Duplicate:
		return ""
	case status == http.StatusUnauthorized:
		return "X refuses the credentials: regenerate the access token and secret in the developer portal and put all four in the CI secrets HUMAS_<ACCOUNT>_X_*"
	case status == http.StatusForbidden:
		return "X refuses this post or this app: check the app has Read and Write permission (then regenerate the access token), and the post's text"
	case status == http.StatusPaymentRequired:
		return "the X app's plan does not allow posting: check its plan in the developer portal"
	}
	return ""
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
