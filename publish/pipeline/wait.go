package pipeline

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/balikpapan/humas/publish"
)

// WaitLive waits until url answers 200, so platforms scrape the link preview from a
// deployed page. It polls with backoff and gives up after timeout. A dry run does
// not wait: it may not touch the network.
func (p *Pipeline) WaitLive(ctx context.Context, url string, timeout time.Duration) error {
	if p.opts.DryRun {
		return nil
	}
	giveUp := p.opts.Clock.Now().Add(timeout)
	wait := time.Second
	for {
		last := p.probe(ctx, url)
		if last == "" {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: not live: %w", url, ctx.Err())
		}
		if p.opts.Clock.Now().Add(wait).After(giveUp) {
			return fmt.Errorf("%s: not live after %s: %s", url, timeout, last)
		}
		if err := p.opts.Clock.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: not live: %w", url, err)
		}
		wait = min(wait*2, 15*time.Second)
	}
}

// probe returns "" when url answers 200, else what it answered.
func (p *Pipeline) probe(ctx context.Context, url string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := p.opts.HTTPClient.Do(req)
	if err != nil {
		return err.Error()
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return ""
	}
	return "last answer HTTP " + resp.Status
}

// DefaultImageWait is how long a post waits, at most, for the picture a platform
// fetches from the site to be there, when publish --wait-live does not say.
const DefaultImageWait = time.Minute

// imageLive waits, before a post whose picture the platform fetches from the live
// site (Instagram), until the picture's URL answers 200: a platform asked too early
// refuses the post. Nothing is sent when it never answers.
type imageLive struct {
	next publish.Poster
	p    *Pipeline
}

func (l imageLive) Post(ctx context.Context, post publish.Post) (publish.Receipt, error) {
	if post.Image != nil && post.Image.URL != "" {
		if err := l.p.WaitLive(ctx, post.Image.URL, l.p.opts.ImageWait); err != nil {
			return publish.Receipt{}, publish.Unsent(fmt.Errorf("not sent: the platform fetches the picture from the site, and %w: deploy the site built by humas build first, or give publish --wait-live a longer time", err))
		}
	}
	return l.next.Post(ctx, post)
}

func (l imageLive) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	return l.next.Find(ctx, link)
}

func (l imageLive) Verify(ctx context.Context) (string, error) { return l.next.Verify(ctx) }
