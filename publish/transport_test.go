package publish

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// What every adapter's transport errors rely on: the URL net/http prints (which
// may carry a token) is not in the message, the cause still answers errors.Is,
// and the error is a classified *Error.
func TestTransportKeepsTheCauseAndDropsTheURL(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://api.example/bot123:SECRET/sendMessage", Err: context.Canceled}
	te := Transport("telegram", "post", "https://api.example/bot[redacted]/sendMessage", err, MaybeSent, "HUMAS_TELEGRAM_API_URL")
	if strings.Contains(te.Error(), "SECRET") || !strings.Contains(te.Error(), "bot[redacted]/sendMessage: context canceled") {
		t.Errorf("message %q", te.Error())
	}
	if !errors.Is(te, context.Canceled) {
		t.Error("errors.Is does not reach the cause")
	}
	var pe *Error
	if !errors.As(te, &pe) || pe.Kind != Transient || pe.Delivery != MaybeSent || pe.Platform != "telegram" {
		t.Errorf("classified as %+v", pe)
	}
	for _, cause := range []error{context.DeadlineExceeded, &timeoutError{}} {
		slow := Transport("facebook", "post", "https://graph.example/v25.0/1/feed", &url.Error{Op: "Post", URL: "https://graph.example/v25.0/1/feed", Err: cause}, MaybeSent, "HUMAS_FACEBOOK_GRAPH_URL")
		if got := slow.Error(); !strings.Contains(got, "feed: no answer in time (timed out)") || strings.Contains(got, "exceeded") {
			t.Errorf("a timeout reads %q", got)
		}
		if !errors.Is(slow, cause) {
			t.Errorf("errors.Is does not reach the timeout %v", cause)
		}
	}
	bad := Transport("x", "post", "", &url.Error{Op: "Post", URL: "api.x.com/2/tweets", Err: errors.New("unsupported protocol scheme \"\"")}, NotSent, "HUMAS_X_API_URL")
	if bad.PE.Kind != Permanent || !strings.HasPrefix(bad.PE.Message, "unsupported protocol") || !strings.Contains(bad.PE.Fix, "HUMAS_X_API_URL") {
		t.Errorf("an address without a scheme: %+v", bad.PE)
	}
}

// timeoutError is what http.Client gives when its Timeout passes.
type timeoutError struct{}

func (*timeoutError) Error() string {
	return "net/http: request canceled (Client.Timeout exceeded while awaiting headers)"
}
func (*timeoutError) Timeout() bool   { return true }
func (*timeoutError) Temporary() bool { return true }
