package facebook

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
)

// graphError is the error object Graph answers with.
type graphError struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	IsTransient bool   `json:"is_transient"`
}

// Graph error codes humas decides on. Graph documents them in "Handling Errors".
const (
	codeUnknown          = 1   // API Unknown: temporary issue
	codeService          = 2   // API Service: temporary downtime
	codeTooManyCalls     = 4   // application request limit reached
	codeUserTooMany      = 17  // user request limit reached
	codePageTooMany      = 32  // page request limit reached
	codeTooManyActions   = 613 // calls exceed the rate limit
	codeAppTooMany       = 341 // application limit reached
	codePageCallsTooMany = 80001
	codeParam            = 100 // invalid parameter, including a wrong appsecret_proof
	codeExpired          = 190 // access token expired or revoked
	codePermission       = 200 // 200-299: permission missing
	codeBlocked          = 368 // temporarily blocked for policy violations
	codeDuplicate        = 506 // duplicate post
)

func isTransientCode(code int) bool {
	switch code {
	case codeUnknown, codeService, codeTooManyCalls, codeUserTooMany, codePageTooMany,
		codeTooManyActions, codeAppTooMany, codePageCallsTooMany:
		return true
	}
	return false
}

// classify reads one Graph answer. It returns nil for a success and otherwise the
// refusal, classified permanent or transient once, here.
func classify(op string, status int, h http.Header, body []byte) *publish.Error {
	var env struct {
		Error *graphError `json:"error"`
	}
	_ = json.Unmarshal(body, &env) // a body that is not Graph JSON is judged by status alone
	if env.Error == nil && status >= 200 && status < 300 {
		return nil
	}
	pe := &publish.Error{
		Platform:   publish.Facebook,
		Op:         op,
		Status:     status,
		Kind:       publish.Permanent,
		RetryAfter: retryAfter(h),
	}
	if ge := env.Error; ge != nil {
		pe.Code = strconv.Itoa(ge.Code)
		pe.Message = ge.Message
		if ge.Type != "" && !strings.HasPrefix(ge.Message, ge.Type) {
			pe.Message = ge.Type + ": " + ge.Message
		}
		if ge.Subcode != 0 {
			pe.Message += " (subcode " + strconv.Itoa(ge.Subcode) + ")"
		}
		pe.Duplicate = ge.Code == codeDuplicate
		if isTransientCode(ge.Code) || ge.IsTransient {
			pe.Kind = publish.Transient
		}
	} else {
		pe.Message = strings.TrimSpace(http.StatusText(status))
	}
	switch {
	case pe.Duplicate:
		pe.Kind = publish.Permanent
	case status >= 500, status == http.StatusTooManyRequests, status == http.StatusRequestTimeout:
		// A 5xx is transient whatever code it carries, except a duplicate refusal.
		if env.Error == nil || !isPermanentCode(env.Error.Code) {
			pe.Kind = publish.Transient
		}
	}
	pe.Delivery = publish.Sent
	if status >= 500 && status != http.StatusServiceUnavailable && !pe.Duplicate {
		// Graph, or a gateway before it, failed after the request may have been
		// acted on: the post is looked for before it is sent again.
		pe.Delivery = publish.MaybeSent
	}
	if pe.Kind == publish.Permanent && env.Error != nil {
		pe.Fix = fixFor(env.Error.Code)
	}
	return pe
}

// fixFor says what a person can do about Graph's permanent refusals, by code
// ("Handling Errors" in the Graph API documentation).
func fixFor(code int) string {
	switch {
	case code == codeExpired:
		return "the Page token expired or was revoked: make a new long-lived Page token and put it in HUMAS_<ACCOUNT>_FACEBOOK_PAGE_TOKEN"
	case code >= codePermission && code < 300, code == 10:
		return "the token lacks a permission: the Page token needs pages_manage_posts and pages_read_engagement"
	case code == codeBlocked:
		return "Facebook holds the Page back from posting for a while (a policy block): see the Page's Support Inbox"
	case code == codeParam:
		return "Graph refused a parameter; if it names appsecret_proof, HUMAS_<ACCOUNT>_FACEBOOK_APP_SECRET is not the app's secret"
	}
	return ""
}

func isPermanentCode(code int) bool {
	switch {
	case code == codeParam, code == codeExpired, code == codeBlocked, code == codeDuplicate:
		return true
	case code >= codePermission && code < 300:
		return true
	}
	return false
}

// retryAfter reads how long Graph asked us to wait: Retry-After in seconds when a proxy
// or Graph sends it (the finer figure), else the largest estimated_time_to_regain_access
// (minutes) in the usage headers.
func retryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			if d := time.Until(t); d > 0 {
				return d
			}
		}
	}
	minutes := 0
	// X-Business-Use-Case-Usage: {"<id>": [{"type": "pages", ..., "estimated_time_to_regain_access": 5}]}
	var buc map[string][]usage
	if json.Unmarshal([]byte(h.Get("X-Business-Use-Case-Usage")), &buc) == nil {
		for _, list := range buc {
			for _, u := range list {
				minutes = max(minutes, u.EstimatedTimeToRegainAccess)
			}
		}
	}
	// X-App-Usage and X-Page-Usage are one flat object.
	for _, name := range []string{"X-App-Usage", "X-Page-Usage"} {
		var u usage
		if json.Unmarshal([]byte(h.Get(name)), &u) == nil {
			minutes = max(minutes, u.EstimatedTimeToRegainAccess)
		}
	}
	return time.Duration(minutes) * time.Minute
}

type usage struct {
	EstimatedTimeToRegainAccess int `json:"estimated_time_to_regain_access"`
}
