package pipeline

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/balikpapan/humas/publish"
)

// identified makes sure, before the first request of a run that may post on an
// account or adopt a post found there, that the credentials are the account's
// humas.yaml names: a personal account's keys in an office's CI variables would
// otherwise post there while reporting the office's URL. Verify is asked once a
// run; the platform's answer is compared with want (platform.Identity), or, where
// the answer cannot be compared (Facebook answers a Page's name), the adapter's own
// Verify compares the id and refuses.
type identified struct {
	next              publish.Poster
	want              string
	account, platform string

	mu sync.Mutex
	ok bool
}

func (c *identified) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	if err := c.check(ctx); err != nil {
		return publish.Receipt{}, err
	}
	return c.next.Post(ctx, p)
}

func (c *identified) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	if err := c.check(ctx); err != nil {
		return publish.Receipt{}, false, err
	}
	return c.next.Find(ctx, link)
}

// Verify asks the platform who the credentials belong to and compares the answer
// with the account humas.yaml names (humas doctor).
func (c *identified) Verify(ctx context.Context) (string, error) {
	got, err := c.next.Verify(ctx)
	if err != nil {
		return got, err
	}
	if err := IdentityMismatch(got, c.want, c.account, c.platform); err != nil {
		return got, err
	}
	return got, nil
}

// check verifies once; a failure sends nothing, and a transient one is asked again
// by the retry around it.
func (c *identified) check(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok {
		return nil
	}
	if _, err := c.Verify(ctx); err != nil {
		return publish.Unsent(err)
	}
	c.ok = true
	return nil
}

// IdentityMismatch is the error of credentials that belong to got when humas.yaml
// names want for account/platform; nil when they agree or want is "" (the adapter
// compares itself). Handles are compared without regard to case, as platforms do.
func IdentityMismatch(got, want, account, platform string) error {
	if want == "" || strings.EqualFold(got, want) {
		return nil
	}
	return &publish.Error{Platform: platform, Op: "verify", Kind: publish.Permanent, Delivery: publish.NotSent,
		Message: fmt.Sprintf("the credentials belong to %s, not %s as accounts.%s.%s says", got, want, account, platform),
		Fix: fmt.Sprintf("put the credentials of %s in the %s variables of %s, or correct accounts.%s.%s in humas.yaml",
			want, platform, publish.EnvName(account, strings.ToUpper(platform)+"_*"), account, platform)}
}
