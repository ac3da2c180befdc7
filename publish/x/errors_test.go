package x

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
)

func TestRefusalsAreClassified(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	cases := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		kind      publish.Kind
		code      string
		message   string
		duplicate bool
		retry     time.Duration
	}{
		{
			name:   "a v2 duplicate problem is a permanent duplicate",
			status: 403, body: `{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}`,
			kind: publish.Permanent, message: "You are not allowed to create a Tweet with duplicate content.", duplicate: true,
		},
		{
			name:   "the older duplicate code 187 is a permanent duplicate",
			status: 403, body: `{"errors":[{"code":187,"message":"Status is a duplicate."}]}`,
			kind: publish.Permanent, code: "187", message: "Status is a duplicate.", duplicate: true,
		},
		{
			name:   "the older shape keeps X's code and message",
			status: 403, body: `{"errors":[{"message":"You currently have access to a subset of X API V2 endpoints","code":453}]}`,
			kind: publish.Permanent, code: "453", message: "You currently have access to a subset of X API V2 endpoints",
		},
		{
			name:   "an expired token is permanent",
			status: 401, body: `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`,
			kind: publish.Permanent, message: "Unauthorized",
		},
		{
			name:   "a problem type other than about:blank is the code",
			status: 400, body: `{"errors":[{"message":"The quoted Tweet does not exist"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`,
			kind: publish.Permanent, code: "https://api.twitter.com/2/problems/invalid-request",
			message: "The quoted Tweet does not exist",
		},
		{
			name:   "429 is transient and waits until x-rate-limit-reset",
			status: 429, header: http.Header{"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+90, 10)}},
			body: `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`,
			kind: publish.Transient, message: "Too Many Requests", retry: 90 * time.Second,
		},
		{
			name:   "Retry-After in seconds wins over the reset",
			status: 429, header: http.Header{"Retry-After": {"7"}, "X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+90, 10)}},
			body: `{"title":"Too Many Requests","type":"about:blank","status":429}`,
			kind: publish.Transient, message: "Too Many Requests", retry: 7 * time.Second,
		},
		{
			name:   "a reset already past asks for no wait",
			status: 429, header: http.Header{"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()-5, 10)}},
			body: `{}`, kind: publish.Transient, message: "Too Many Requests",
		},
		{
			name:   "a proxy's HTML 502 is transient with a short message",
			status: 502, body: "<html>\n<body>  Bad   gateway </body></html>",
			kind: publish.Transient, message: "<html> <body> Bad gateway </body></html>",
		},
		{
			name:   "503 with an empty body is transient",
			status: 503, kind: publish.Transient, message: "Service Unavailable",
		},
		{
			// X sends the three headers on every answer: the reset of a window
			// with room left is no reason to wait 15 minutes (and give up).
			name:   "503 in a window with room left is retried soon, whatever the reset",
			status: 503, header: http.Header{"X-Rate-Limit-Limit": {"100"}, "X-Rate-Limit-Remaining": {"99"}, "X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+900, 10)}},
			kind: publish.Transient, message: "Service Unavailable",
		},
		{
			name:   "503 in a spent window waits for the reset",
			status: 503, header: http.Header{"X-Rate-Limit-Limit": {"100"}, "X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+60, 10)}},
			kind: publish.Transient, message: "Service Unavailable", retry: time.Minute,
		},
		{
			name:   "a refusal in a window with room left asks for no wait",
			status: 403, header: http.Header{"X-Rate-Limit-Remaining": {"42"}, "X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+900, 10)}},
			body: `{"title":"Forbidden","detail":"Forbidden","type":"about:blank","status":403}`,
			kind: publish.Permanent, message: "Forbidden",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: c.status, Header: c.header}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			e := classify("post", resp, []byte(c.body), now)
			if e.Platform != "x" || e.Op != "post" || e.Status != c.status {
				t.Errorf("platform, op, status = %q, %q, %d", e.Platform, e.Op, e.Status)
			}
			if e.Kind != c.kind || e.Code != c.code || e.Message != c.message || e.Duplicate != c.duplicate || e.RetryAfter != c.retry {
				t.Errorf("got kind %v code %q message %q duplicate %v retry %v\nwant kind %v code %q message %q duplicate %v retry %v",
					e.Kind, e.Code, e.Message, e.Duplicate, e.RetryAfter, c.kind, c.code, c.message, c.duplicate, c.retry)
			}
			if publish.IsTransient(e) != (c.kind == publish.Transient) {
				t.Errorf("IsTransient disagrees with kind %v", e.Kind)
			}
		})
	}
}
