package repost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/feed"
)

// Defaults of a Fetcher.
const (
	// DefaultLimit is the largest feed read. The JSON Feed specification calls 1 MB
	// a burden and 250 KB fine; a humas feed of 50 releases is well under that.
	DefaultLimit = 4 << 20
	// DefaultTimeout bounds one feed's request, from dialling to the last byte.
	DefaultTimeout = 20 * time.Second
	// DefaultConcurrency is how many feeds are read at once: enough that fifty
	// partners take a few round trips, few enough to be polite to one host.
	DefaultConcurrency = 8
	maxRedirects       = 5
)

// Fetcher reads partners' feeds: over https (http only from a loopback address),
// with a deadline, a size limit and conditional requests.
type Fetcher struct {
	Client      *http.Client  // default: a client of its own, redirects checked
	Limit       int64         // bytes; default DefaultLimit
	Timeout     time.Duration // per feed; default DefaultTimeout
	UserAgent   string
	Concurrency int // feeds read at once; default DefaultConcurrency

	once sync.Once
	c    *http.Client // made once: every feed of a run shares its transport and connections
}

// Fetched is one answer of a partner's feed.
type Fetched struct {
	// NotModified: the feed answered 304 to our validators; the items of the
	// state they came with stand.
	NotModified        bool
	Feed               *feed.Feed // the feed read, when it changed
	ETag, LastModified string     // its validators, to send next time
	Bytes              int64
}

// FetchError is a partner's feed that could not be read; Problem says why in words
// a press officer acts on ("HTTP 503", "not JSON: …", "more than 4 MB").
type FetchError struct {
	URL     string
	Problem string
	Err     error // the cause, when there is one
}

func (e *FetchError) Error() string { return e.URL + ": " + e.Problem }
func (e *FetchError) Unwrap() error { return e.Err }

func (f *Fetcher) limit() int64 {
	if f.Limit > 0 {
		return f.Limit
	}
	return DefaultLimit
}

func (f *Fetcher) client() *http.Client {
	f.once.Do(func() { f.c = f.newClient() })
	return f.c
}

func (f *Fetcher) newClient() *http.Client {
	c := &http.Client{}
	if f.Client != nil {
		*c = *f.Client
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = 15 * time.Second
		t.MaxIdleConnsPerHost = 4
		t.Proxy = http.ProxyFromEnvironment
		c.Transport = t
	}
	// A redirect is followed only where the first address could have gone: https,
	// or http on this machine; never from https down to http.
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		if p := config.FeedURLProblem(req.URL.String()); p != "" {
			return fmt.Errorf("redirected to an address that %s", p)
		}
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return errors.New("redirected from https to plain http")
		}
		return nil
	}
	return c
}

// Fetch reads the feed at url. With the validators of st (when st is of the same
// address) the request is conditional, and an unchanged feed answers NotModified.
// The feed is parsed strictly (feed.Parse); every failure is a *FetchError.
func (f *Fetcher) Fetch(ctx context.Context, url string, st *State) (Fetched, error) {
	fail := func(err error, format string, args ...any) (Fetched, error) {
		// The problem may carry the partner's words (a name in its TLS
		// certificate, which Go's error prints): printable, one line, short.
		return Fetched{}, &FetchError{URL: url, Problem: publish.ErrorText(fmt.Sprintf(format, args...)), Err: err}
	}
	if p := config.FeedURLProblem(url); p != "" {
		return fail(nil, "%s", p)
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fail(err, "%v", err)
	}
	req.Header.Set("Accept", feed.MediaType+", application/json;q=0.9")
	if f.UserAgent != "" {
		req.Header.Set("User-Agent", f.UserAgent)
	}
	conditional := st != nil && st.Feed == url && len(st.Items) > 0
	if conditional {
		if st.ETag != "" {
			req.Header.Set("If-None-Match", st.ETag)
		}
		if st.LastModified != "" {
			req.Header.Set("If-Modified-Since", st.LastModified)
		}
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return fail(err, "%s", transportProblem(ctx, err, timeout))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && conditional:
		return Fetched{NotModified: true, ETag: orElse(validator(resp.Header.Get("ETag")), st.ETag), LastModified: orElse(validator(resp.Header.Get("Last-Modified")), st.LastModified)}, nil
	case resp.StatusCode != http.StatusOK:
		return fail(nil, "HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	// A page in place of the feed (a captive portal, a host's error page, a
	// moved site) is named as such; anything else is judged by the parser.
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" || mt == "application/xhtml+xml" {
		return fail(nil, "served a web page (%s), not a JSON Feed", mt)
	}
	limit := f.limit()
	if resp.ContentLength > limit {
		return fail(nil, "%s, more than the %s a feed may be", size(resp.ContentLength), size(limit))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return fail(err, "%s", transportProblem(ctx, err, timeout))
	}
	if int64(len(data)) > limit {
		return fail(nil, "more than the %s a feed may be", size(limit))
	}
	fd, err := feed.Parse(data)
	if err != nil {
		return fail(err, "not a valid humas feed: %v", err)
	}
	return Fetched{Feed: fd, ETag: validator(resp.Header.Get("ETag")), LastModified: validator(resp.Header.Get("Last-Modified")), Bytes: int64(len(data))}, nil
}

// maxValidator is the longest ETag or Last-Modified kept: a host's are a few
// dozen bytes, and they are committed with the partner's state every run.
const maxValidator = 256

// validator is v when it is fit to keep and send back, else "": a partner's
// header of megabytes or of bytes that are not printable ASCII would grow our
// repository, or make every later request of its feed invalid.
func validator(v string) string {
	if len(v) > maxValidator || strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r > '~' }) {
		return ""
	}
	return v
}

// transportProblem says why no answer came, without the URL again (the error
// names it) and without any header.
func transportProblem(ctx context.Context, err error, timeout time.Duration) string {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer within %s", timeout)
	case errors.Is(err, context.Canceled):
		return "stopped"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return "unreachable: " + inner.Error()
		}
	}
	return "unreachable: " + err.Error()
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
