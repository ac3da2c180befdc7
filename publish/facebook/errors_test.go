package facebook

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
)

func TestClassify(t *testing.T) {
	graph := func(code int, extra string) []byte {
		return []byte(`{"error":{"message":"m","type":"OAuthException","code":` + itoa(code) + extra + `,"fbtrace_id":"A1"}}`)
	}
	tests := []struct {
		name      string
		status    int
		body      []byte
		kind      publish.Kind
		code      string
		duplicate bool
	}{
		{"an unknown error (1) is transient", 400, graph(1, ""), publish.Transient, "1", false},
		{"a service outage (2) is transient", 503, graph(2, ""), publish.Transient, "2", false},
		{"an app rate limit (4) is transient", 403, graph(4, ""), publish.Transient, "4", false},
		{"a user rate limit (17) is transient", 400, graph(17, ""), publish.Transient, "17", false},
		{"a page rate limit (32) is transient", 400, graph(32, ""), publish.Transient, "32", false},
		{"too many actions (613) is transient", 400, graph(613, ""), publish.Transient, "613", false},
		{"an error Graph marks transient is transient", 400, graph(9999, `,"is_transient":true`), publish.Transient, "9999", false},
		{"an expired token (190) is permanent", 400, graph(190, `,"error_subcode":463`), publish.Permanent, "190", false},
		{"a missing permission (200) is permanent", 403, graph(200, ""), publish.Permanent, "200", false},
		{"a permission in the 2xx range (230) is permanent", 403, graph(230, ""), publish.Permanent, "230", false},
		{"a policy block (368) is permanent", 400, graph(368, ""), publish.Permanent, "368", false},
		{"a bad parameter (100) is permanent", 400, graph(100, ""), publish.Permanent, "100", false},
		{"a duplicate (506) is permanent and a duplicate", 400, graph(506, ""), publish.Permanent, "506", true},
		{"a bad parameter stays permanent in a 500", 500, graph(100, ""), publish.Permanent, "100", false},
		{"an unlisted code in a 500 is transient", 500, graph(12345, ""), publish.Transient, "12345", false},
		{"a 502 from a proxy without Graph JSON is transient", 502, []byte("<html>bad gateway</html>"), publish.Transient, "", false},
		{"a 429 without Graph JSON is transient", 429, nil, publish.Transient, "", false},
		{"a 404 without Graph JSON is permanent", 404, []byte("not found"), publish.Permanent, "", false},
		{"an error object in a 200 is still an error", 200, graph(2, ""), publish.Transient, "2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := classify("post", tt.status, http.Header{}, tt.body)
			if pe == nil {
				t.Fatal("classify = nil; want an error")
			}
			if pe.Kind != tt.kind || pe.Code != tt.code || pe.Duplicate != tt.duplicate ||
				pe.Status != tt.status || pe.Platform != "facebook" || pe.Op != "post" {
				t.Fatalf("classify = %+v; want kind %v, code %q, duplicate %v", pe, tt.kind, tt.code, tt.duplicate)
			}
		})
	}
	t.Run("a 200 without an error object is a success", func(t *testing.T) {
		if pe := classify("post", 200, http.Header{}, []byte(`{"id":"1_2"}`)); pe != nil {
			t.Fatalf("classify = %v; want nil", pe)
		}
	})
	t.Run("the message keeps Graph's type, words and subcode", func(t *testing.T) {
		pe := classify("verify", 400, http.Header{}, []byte(
			`{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}`))
		want := "facebook: verify: HTTP 400 (code 190): OAuthException: Error validating access token: Session has expired (subcode 463)"
		if pe.Error() != want {
			t.Fatalf("error %q; want %q", pe, want)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"no header says nothing", http.Header{}, 0},
		{"Retry-After in seconds", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"business use case usage in minutes, the largest wins", http.Header{"X-Business-Use-Case-Usage": {
			`{"100000000000002":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3},{"type":"pages","estimated_time_to_regain_access":5}]}`}},
			5 * time.Minute},
		{"app usage in minutes", http.Header{"X-App-Usage": {`{"call_count":100,"total_time":20,"estimated_time_to_regain_access":2}`}}, 2 * time.Minute},
		{"page usage in minutes", http.Header{"X-Page-Usage": {`{"call_count":100,"estimated_time_to_regain_access":4}`}}, 4 * time.Minute},
		{"Retry-After is preferred as the finer figure", http.Header{"Retry-After": {"1"},
			"X-Business-Use-Case-Usage": {`{"1":[{"estimated_time_to_regain_access":1}]}`}}, time.Second},
		{"usage below the limit asks for no wait", http.Header{"X-App-Usage": {`{"call_count":12,"total_time":3}`}}, 0},
		{"a malformed header is ignored", http.Header{"X-Business-Use-Case-Usage": {`not json`}, "Retry-After": {"soon"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.h); got != tt.want {
				t.Fatalf("retryAfter = %v; want %v", got, tt.want)
			}
		})
	}
	t.Run("a rate-limit refusal carries its wait", func(t *testing.T) {
		pe := classify("post", 400, http.Header{"X-Business-Use-Case-Usage": {`{"1":[{"estimated_time_to_regain_access":10}]}`}},
			[]byte(`{"error":{"message":"(#32) Page request limit reached","code":32}}`))
		if pe.RetryAfter != 10*time.Minute || pe.Kind != publish.Transient {
			t.Fatalf("classify = %+v; want transient, retry after 10m", pe)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
