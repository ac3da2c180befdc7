// Package retry wraps a Poster so transient failures are tried again with backoff,
// within a bounded time, without ever posting the same text twice.
package retry

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/balikpapan/humas/publish"
)

// Clock tells the time and sleeps; tests pass one that only pretends to.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns ctx's error if it ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }

func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Defaults for the zero Options.
const (
	DefaultFor            = 2 * time.Minute
	DefaultRequestTimeout = 30 * time.Second
	DefaultInitial        = time.Second
	DefaultMax            = 30 * time.Second
)

// Options bound the retrying. The zero value uses the defaults above and the wall clock.
type Options struct {
	For            time.Duration // total time after which the last error is returned
	RequestTimeout time.Duration // deadline of each single attempt
	Initial, Max   time.Duration // backoff before the second attempt, and its ceiling
	Clock          Clock
	Jitter         func() float64 // in [0,1); default math/rand/v2
	// OnRetry, if set, hears of every transient failure that will be tried again,
	// and how long until then (humas -v shows them).
	OnRetry func(err error, wait time.Duration)
}

func (o Options) withDefaults() Options {
	if o.For <= 0 {
		o.For = DefaultFor
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Initial <= 0 {
		o.Initial = DefaultInitial
	}
	if o.Max <= 0 {
		o.Max = DefaultMax
	}
	if o.Clock == nil {
		o.Clock = RealClock{}
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	return o
}

// Poster retries the Poster it wraps.
type Poster struct {
	next publish.Poster
	opts Options
}

var _ publish.Poster = (*Poster)(nil)

// New wraps p; wrap once, at the boundary where posters are made.
func New(p publish.Poster, o Options) *Poster { return &Poster{next: p, opts: o.withDefaults()} }

// MayHaveReached reports whether a failed post may nevertheless exist on the
// platform: publish.MayHavePosted, as each adapter classified its failure (a run
// cancelled or a connection cut after the request left may have; a refusal the
// platform answered, or a request never written, may not).
func MayHaveReached(err error) bool { return publish.MayHavePosted(err) }

// Post sends p until it goes through, fails permanently or time runs out. After a
// failure that may have reached the platform it first looks for the post by its
// link and adopts it, so a dropped answer never becomes a duplicate post.
func (r *Poster) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	uncertain := false
	var rec publish.Receipt
	err := r.loop(ctx, func(ctx context.Context) error {
		if uncertain && p.Link != "" {
			found, ok, err := r.next.Find(ctx, p.Link)
			if err != nil {
				return err // transient: look again, never post blind
			}
			if ok {
				rec = found
				return nil
			}
		}
		var err error
		rec, err = r.next.Post(ctx, p)
		if err != nil && MayHaveReached(err) {
			uncertain = true
		}
		return err
	})
	if err != nil && uncertain {
		return publish.Receipt{}, &UncertainError{Err: err}
	}
	return rec, err
}

// UncertainError is a post that failed in a way that may have left it on the
// platform; whoever records it must look before posting again.
type UncertainError struct{ Err error }

func (e *UncertainError) Error() string { return e.Err.Error() + " (the post may have gone through)" }
func (e *UncertainError) Unwrap() error { return e.Err }

// Find looks for the post linking link, retrying transient failures.
func (r *Poster) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	var rec publish.Receipt
	var ok bool
	err := r.loop(ctx, func(ctx context.Context) error {
		var err error
		rec, ok, err = r.next.Find(ctx, link)
		return err
	})
	return rec, ok, err
}

// Verify checks the credentials, retrying transient failures.
func (r *Poster) Verify(ctx context.Context) (string, error) {
	var name string
	err := r.loop(ctx, func(ctx context.Context) error {
		var err error
		name, err = r.next.Verify(ctx)
		return err
	})
	return name, err
}

func (r *Poster) loop(ctx context.Context, attempt func(context.Context) error) error {
	o := r.opts
	giveUp := o.Clock.Now().Add(o.For)
	for n := 0; ; n++ {
		actx, cancel := context.WithTimeout(ctx, o.RequestTimeout)
		err := attempt(actx)
		cancel()
		if err == nil || !publish.IsTransient(err) || ctx.Err() != nil {
			return err
		}
		wait := r.backoff(n)
		if ra := publish.RetryAfter(err); ra > wait {
			wait = ra
		}
		if o.Clock.Now().Add(wait).After(giveUp) {
			return fmt.Errorf("%w (gave up after %d attempts)", err, n+1)
		}
		if o.OnRetry != nil {
			o.OnRetry(err, wait)
		}
		if serr := o.Clock.Sleep(ctx, wait); serr != nil {
			return err
		}
	}
}

// backoff doubles from Initial up to Max, with "full jitter" on the upper half so
// CI jobs that failed together do not come back together.
func (r *Poster) backoff(n int) time.Duration {
	d := r.opts.Initial
	for range n {
		d *= 2
		if d >= r.opts.Max {
			d = r.opts.Max
			break
		}
	}
	half := d / 2
	return half + time.Duration(r.opts.Jitter()*float64(d-half))
}
