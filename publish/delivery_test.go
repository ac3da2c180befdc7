package publish_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
)

// send is what an adapter does with one request: it watches the wire, and
// classifies a failure by how far the request got and by its cause.
func send(ctx context.Context, u string) (publish.Kind, publish.Delivery, error) {
	var w publish.Wire
	req, err := http.NewRequestWithContext(w.Trace(ctx), http.MethodPost, u, nil)
	if err != nil {
		return publish.Permanent, publish.NotSent, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return publish.TransportKind(err), w.Delivery(), err
	}
	resp.Body.Close()
	return publish.Transient, publish.Sent, nil
}

func TestTransportClassification(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release)
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	defer untrusted.Close()
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      func() (context.Context, context.CancelFunc)
		url      string
		kind     publish.Kind
		delivery publish.Delivery
	}{
		{"a run stopped before the request left sent nothing", func() (context.Context, context.CancelFunc) { return cancelled, func() {} },
			hang.URL, publish.Transient, publish.NotSent},
		{"a run stopped mid-request may have sent it", func() (context.Context, context.CancelFunc) {
			c, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			return c, cancel
		}, hang.URL, publish.Transient, publish.MaybeSent},
		{"a deadline mid-request may have sent it", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, hang.URL, publish.Transient, publish.MaybeSent},
		{"a refused connection sent nothing and may work later", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			refusedURL, publish.Transient, publish.NotSent},
		{"a certificate that is not trusted sent nothing and never works", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			untrusted.URL, publish.Permanent, publish.NotSent},
		{"an address without a scheme sent nothing and never works", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			"api.x.com/2/tweets", publish.Permanent, publish.NotSent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			kind, d, err := send(ctx, tt.url)
			if err == nil || kind != tt.kind || d != tt.delivery {
				t.Fatalf("err %v: kind %v, delivery %v; want %v, %v", err, kind, d, tt.kind, tt.delivery)
			}
			pe := &publish.Error{Platform: "x", Op: "post", Kind: kind, Delivery: d, Message: err.Error()}
			if got := publish.MayHavePosted(pe); got != (d == publish.MaybeSent) {
				t.Errorf("MayHavePosted = %v", got)
			}
			if kind == publish.Permanent && publish.TransportFix(err, "HUMAS_X_API_URL") == "" {
				t.Errorf("a permanent transport error with no fix")
			}
		})
	}
}

func TestMayHavePosted(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"a refusal the platform answered", &publish.Error{Status: 401, Kind: publish.Permanent, Delivery: publish.Sent}, false},
		{"503, refused before any work", &publish.Error{Status: 503, Kind: publish.Transient}, false},
		{"a gateway's 502, unclassified", &publish.Error{Status: 502, Kind: publish.Transient}, true},
		{"a yes whose answer could not be read", &publish.Error{Status: 201, Kind: publish.Permanent, Delivery: publish.MaybeSent}, true},
		{"a refusal made before sending", &publish.Error{Kind: publish.Permanent}, false},
		{"an unclassified broken connection", &publish.Error{Kind: publish.Transient}, true},
		{"a cancelled run, unclassified", fmt.Errorf("x: post: %w", context.Canceled), true},
		{"a cancelled run before the request left", &publish.Error{Kind: publish.Transient, Delivery: publish.NotSent}, false},
		{"a failure marked unsent", publish.Unsent(fmt.Errorf("picture not live: %w", context.DeadlineExceeded)), false},
		{"a post that went out and cannot be found", fmt.Errorf("container published: %w", publish.ErrCannotLook), true},
		{"a plain error", errors.New("boom"), false},
	}
	for _, tt := range tests {
		if got := publish.MayHavePosted(tt.err); got != tt.want {
			t.Errorf("%s: MayHavePosted(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
