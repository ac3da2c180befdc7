// Package dryrun stands in for the network during --dry-run: a transport that
// refuses every request and a Poster that only records what it would have sent.
package dryrun

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/balikpapan/humas/publish"
)

// ErrNoNetwork is what every request gets during a dry run.
var ErrNoNetwork = errors.New("dry run: no network")

// Transport is an http.RoundTripper that refuses every request, so a client built
// with it cannot reach any platform even by mistake.
type Transport struct{}

func (Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, ErrNoNetwork
}

// Client is an *http.Client over Transport.
func Client() *http.Client { return &http.Client{Transport: Transport{}} }

// ReceiptID is the id a dry-run post gets, so a partner's quote shows what it quotes.
const ReceiptID = "dry-run"

// Poster records posts instead of sending them. It finds nothing and verifies nothing.
type Poster struct {
	Account, Platform string
	// Refuse, when set, says what the platform refuses in a post's text
	// (platform.Platform.CheckText, which its adapter refuses too): such a post
	// fails here as it would in a real run.
	Refuse func(text string) string

	mu    sync.Mutex
	posts []publish.Post
}

var _ publish.Poster = (*Poster)(nil)

func (p *Poster) Post(ctx context.Context, post publish.Post) (publish.Receipt, error) {
	if p.Refuse != nil {
		if why := p.Refuse(post.Text); why != "" {
			return publish.Receipt{}, &publish.Error{Platform: p.Platform, Op: "post", Kind: publish.Permanent, Message: why}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.posts = append(p.posts, post)
	return publish.Receipt{ID: ReceiptID}, nil
}

func (p *Poster) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, nil
}

func (p *Poster) Verify(ctx context.Context) (string, error) { return "", ErrNoNetwork }

// Posts returns what would have been sent.
func (p *Poster) Posts() []publish.Post {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]publish.Post(nil), p.posts...)
}
