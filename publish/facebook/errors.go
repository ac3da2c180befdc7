package facebook

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/internal/graph"
)

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
	ge := graph.ErrorOf(body)
	if ge == nil && status >= 200 && status < 300 {
		return nil
	}
	pe := &publish.Error{
		Platform:   publish.Facebook,
		Op:         op,
		Status:     status,
		Kind:       publish.Permanent,
		RetryAfter: retryAfter(h),
	}
	if ge != nil {
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
		if ge == nil || !isPermanentCode(ge.Code) {
			pe.Kind = publish.Transient
		}
	}
	pe.Delivery = publish.Answered(status)
	if pe.Duplicate {
		pe.Delivery = publish.Sent // Graph refused it as a copy: nothing new was posted
	}
	if pe.Kind == publish.Permanent && ge != nil {
		pe.Fix = fixFor(ge.Code)
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

// retryAfter is the wait Graph asks of a Page's calls, which it counts in the
// app's and the Page's usage as well as the Business Use Case's.
func retryAfter(h http.Header) time.Duration {
	return graph.RetryAfter(h, "X-App-Usage", "X-Page-Usage")
}
