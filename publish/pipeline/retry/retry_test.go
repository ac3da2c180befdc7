package retry

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
)

type step struct {
	err    error
	record bool
}

type fake struct {
	steps   []step
	findErr []error
	posts   []publish.Post
	sends   int
	finds   int
}

func (f *fake) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	f.sends++
	var s step
	if len(f.steps) > 0 {
		s, f.steps = f.steps[0], f.steps[1:]
	}
	if s.err == nil || s.record {
		f.posts = append(f.posts, p)
	}
	if s.err != nil {
		return publish.Receipt{}, s.err
	}
	return publish.Receipt{ID: "1"}, nil
}

func (f *fake) Find(ctx context.Context, link string) (publish.Receipt, bool, error) {
	f.finds++
	if len(f.findErr) > 0 {
		err := f.findErr[0]
		f.findErr = f.findErr[1:]
		if err != nil {
			return publish.Receipt{}, false, err
		}
	}
	for _, p := range f.posts {
		if p.Link == link {
			return publish.Receipt{ID: "found"}, true, nil
		}
	}
	return publish.Receipt{}, false, nil
}

func (f *fake) Verify(ctx context.Context) (string, error) {
	f.sends++
	if len(f.steps) > 0 {
		s := f.steps[0]
		f.steps = f.steps[1:]
		return "", s.err
	}
	return "kpubalikpapan", nil
}

type clock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *clock) Now() time.Time { return c.now }
func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *clock) total() (t time.Duration) {
	for _, d := range c.sleeps {
		t += d
	}
	return t
}

var (
	e503    = &publish.Error{Platform: "x", Op: "post", Status: 503, Kind: publish.Transient}
	e500    = &publish.Error{Platform: "x", Op: "post", Status: 500, Kind: publish.Transient}
	e401    = &publish.Error{Platform: "x", Op: "post", Status: 401, Kind: publish.Permanent}
	eReset  = &publish.Error{Platform: "x", Op: "post", Kind: publish.Transient, Message: "connection reset"}
	netDrop = &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	post    = publish.Post{Text: "t", Link: "https://h/x/"}
)

func newPoster(f *fake, c *clock) *Poster {
	return New(f, Options{Clock: c, Jitter: func() float64 { return 0 }})
}

func TestPost(t *testing.T) {
	tests := []struct {
		name          string
		steps         []step
		findErr       []error
		wantErr       bool
		wantSends     int
		wantFinds     int
		wantPosts     int
		wantUncertain bool
	}{
		{name: "503 twice then success posts once without looking", steps: []step{{err: e503}, {err: e503}}, wantSends: 3, wantPosts: 1},
		{name: "a permanent refusal is returned at once", steps: []step{{err: e401}}, wantErr: true, wantSends: 1},
		{name: "a classified dropped connection after recording is found, not sent again", steps: []step{{err: eReset, record: true}}, wantSends: 1, wantFinds: 1, wantPosts: 1},
		{name: "a raw network error after recording is found, not sent again", steps: []step{{err: netDrop, record: true}}, wantSends: 1, wantFinds: 1, wantPosts: 1},
		{name: "a 500 may have been recorded, so it is looked for first", steps: []step{{err: e500}}, wantSends: 2, wantFinds: 1, wantPosts: 1},
		{name: "a failed look is retried before anything is sent again", steps: []step{{err: eReset, record: true}}, findErr: []error{e503}, wantSends: 1, wantFinds: 2, wantPosts: 1},
		{name: "a look refused for good is returned and nothing is sent blind", steps: []step{{err: eReset}}, findErr: []error{e401}, wantErr: true, wantSends: 1, wantFinds: 1, wantUncertain: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{steps: tt.steps, findErr: tt.findErr}
			c := &clock{now: time.Unix(0, 0)}
			_, err := newPoster(f, c).Post(context.Background(), post)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			var ue *UncertainError
			if errors.As(err, &ue) != tt.wantUncertain {
				t.Errorf("err %v: uncertain %v, want %v", err, !tt.wantUncertain, tt.wantUncertain)
			}
			if f.sends != tt.wantSends || f.finds != tt.wantFinds || len(f.posts) != tt.wantPosts {
				t.Errorf("%d sends, %d finds, %d posts; want %d, %d, %d", f.sends, f.finds, len(f.posts), tt.wantSends, tt.wantFinds, tt.wantPosts)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Run("waits grow and honour retry-after", func(t *testing.T) {
		ra := &publish.Error{Platform: "x", Op: "post", Status: 429, Kind: publish.Transient, RetryAfter: 10 * time.Second}
		f := &fake{steps: []step{{err: e503}, {err: e503}, {err: ra}, {err: e503}}}
		c := &clock{now: time.Unix(0, 0)}
		if _, err := newPoster(f, c).Post(context.Background(), post); err != nil {
			t.Fatal(err)
		}
		want := []time.Duration{500 * time.Millisecond, time.Second, 10 * time.Second, 4 * time.Second}
		if len(c.sleeps) != len(want) {
			t.Fatalf("slept %v, want %v", c.sleeps, want)
		}
		for i := range want {
			if c.sleeps[i] != want[i] {
				t.Errorf("sleep %d = %v, want %v", i, c.sleeps[i], want[i])
			}
		}
	})

	t.Run("gives up within the total bound with the last error", func(t *testing.T) {
		f := &fake{steps: make([]step, 1000)}
		for i := range f.steps {
			f.steps[i] = step{err: e503}
		}
		c := &clock{now: time.Unix(0, 0)}
		p := New(f, Options{For: 20 * time.Second, Clock: c, Jitter: func() float64 { return 0.99 }})
		_, err := p.Post(context.Background(), post)
		if !errors.Is(err, e503) {
			t.Fatalf("err = %v, want the 503", err)
		}
		if c.total() > 20*time.Second || f.sends < 3 {
			t.Errorf("slept %v over %d sends; want several sends within 20s", c.total(), f.sends)
		}
	})

	t.Run("a retry-after beyond the bound is not waited for", func(t *testing.T) {
		ra := &publish.Error{Platform: "x", Op: "post", Status: 429, Kind: publish.Transient, RetryAfter: 15 * time.Minute}
		f := &fake{steps: []step{{err: ra}}}
		c := &clock{now: time.Unix(0, 0)}
		if _, err := newPoster(f, c).Post(context.Background(), post); !errors.Is(err, ra) || len(c.sleeps) != 0 {
			t.Errorf("err %v after sleeping %v; want the 429 at once", err, c.sleeps)
		}
	})

	t.Run("each attempt has its own deadline", func(t *testing.T) {
		var deadlines []time.Time
		f := &deadlineFake{seen: &deadlines}
		p := New(f, Options{RequestTimeout: time.Hour, Clock: &clock{}})
		p.Post(context.Background(), post)
		if len(deadlines) != 1 || time.Until(deadlines[0]) < 59*time.Minute {
			t.Errorf("deadlines %v, want one an hour away", deadlines)
		}
	})

	t.Run("a cancelled context stops retrying", func(t *testing.T) {
		f := &fake{steps: []step{{err: e503}, {err: e503}}}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := newPoster(f, &clock{}).Post(ctx, post); err == nil || f.sends != 1 {
			t.Errorf("err %v after %d sends; want an error after one", err, f.sends)
		}
	})
}

type deadlineFake struct {
	fake
	seen *[]time.Time
}

func (d *deadlineFake) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	dl, _ := ctx.Deadline()
	*d.seen = append(*d.seen, dl)
	return publish.Receipt{ID: "1"}, nil
}

func TestVerifyAndFindRetry(t *testing.T) {
	f := &fake{steps: []step{{err: e503}}, findErr: []error{e503}}
	c := &clock{}
	p := newPoster(f, c)
	if name, err := p.Verify(context.Background()); err != nil || name != "kpubalikpapan" || f.sends != 2 {
		t.Errorf("verify = %q, %v after %d calls", name, err, f.sends)
	}
	if _, ok, err := p.Find(context.Background(), "https://h/x/"); err != nil || ok || f.finds != 2 {
		t.Errorf("find = %v, %v after %d calls", ok, err, f.finds)
	}
}

func TestMayHaveReached(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{e503, false},
		{&publish.Error{Status: 429, Kind: publish.Transient}, false},
		{e401, false},
		{e500, true},
		{&publish.Error{Status: 504, Kind: publish.Transient}, true},
		{eReset, true},
		{netDrop, true},
		{context.DeadlineExceeded, true},
		// A run stopped (SIGINT, SIGTERM from CI) after the request left: only
		// the platform can say, so the target stays pending and is looked for.
		{context.Canceled, true},
		{&publish.Error{Kind: publish.Transient, Delivery: publish.NotSent}, false},
		{&publish.Error{Status: 201, Kind: publish.Permanent, Delivery: publish.MaybeSent}, true},
	}
	for _, tt := range tests {
		if got := MayHaveReached(tt.err); got != tt.want {
			t.Errorf("MayHaveReached(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
