package instagram

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
)

func TestGraphAnswersAreClassifiedOnce(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		code, subcode int
		transient     bool
		fix           string
	}{
		{"an expired token", 400, 190, 463, false, "token is expired"},
		{"a missing permission", 403, 10, 0, false, "instagram_content_publish"},
		{"an app rate limit", 403, 4, 0, true, ""},
		{"a spam restriction under the rate-limit code", 400, 4, 2207051, false, "restricted the account"},
		{"a failed download, while the site deploys", 400, 9004, 2207052, true, "live site"},
		{"a refused aspect ratio", 400, 36003, 2207009, false, "4:5"},
		{"an image too large", 400, 36000, 2207004, false, "8 MB"},
		{"a container not ready", 400, 9007, 2207027, true, ""},
		{"an expired container", 400, -2, 2207020, true, ""},
		{"an Instagram server error", 400, -1, 2207001, true, ""},
		{"a server error whatever its code", 500, 1, 0, true, ""},
		{"a permanent code in a 500", 500, 190, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fmt.Sprintf(`{"error":{"message":"m","type":"OAuthException","code":%d,"error_subcode":%d}}`, tt.code, tt.subcode)
			rf := classify("post", tt.status, http.Header{}, []byte(body))
			if rf == nil || (rf.pe.Kind == publish.Transient) != tt.transient {
				t.Fatalf("classify = %+v; want transient %v", rf, tt.transient)
			}
			if rf.pe.Code != fmt.Sprint(tt.code) || !strings.Contains(rf.pe.Message, tt.fix) {
				t.Fatalf("error %q (code %s); want code %d and a message with %q", rf.pe.Message, rf.pe.Code, tt.code, tt.fix)
			}
		})
	}
	t.Run("a success is no error", func(t *testing.T) {
		if rf := classify("post", 200, http.Header{}, []byte(`{"id":"1"}`)); rf != nil {
			t.Fatalf("classify = %v", rf)
		}
	})
	t.Run("an answer that is not Graph's is judged by its status", func(t *testing.T) {
		rf := classify("post", 502, http.Header{}, []byte("<html>Bad Gateway</html>"))
		if rf == nil || rf.pe.Kind != publish.Transient || rf.pe.Message != "Bad Gateway" {
			t.Fatalf("classify = %+v; want a transient Bad Gateway", rf)
		}
	})
	t.Run("the wait comes from Retry-After, else Instagram's usage header", func(t *testing.T) {
		h := http.Header{"X-Business-Use-Case-Usage": {`{"178":[{"type":"instagram","estimated_time_to_regain_access":7}]}`}}
		if d := retryAfter(h); d != 7*time.Minute {
			t.Fatalf("retryAfter = %v; want 7m", d)
		}
		h.Set("Retry-After", "30")
		if d := retryAfter(h); d != 30*time.Second {
			t.Fatalf("retryAfter = %v; want 30s", d)
		}
	})
}
