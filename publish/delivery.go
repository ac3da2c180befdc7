package publish

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
)

// Delivery says how far a request that failed got: whether the platform may have
// made the post. Each adapter says it of its own failures, where it knows; only an
// answer from the platform settles a post that may have gone out.
type Delivery int

const (
	// DeliveryUnknown: the adapter did not say; MayHavePosted judges by the rest of
	// the error, leaning towards "may have".
	DeliveryUnknown Delivery = iota
	// NotSent: nothing reached the platform. The request was refused before it
	// was sent, or never written: no connection, a certificate that is not
	// trusted, a run stopped before the request left.
	NotSent
	// MaybeSent: the request may have reached the platform and no answer says what
	// it did: a timeout, a cancellation or a broken connection after the request
	// was written, or a gateway's failure after it forwarded the request.
	MaybeSent
	// Sent: the platform received the request and answered: its refusal says
	// nothing was posted.
	Sent
)

// MayHavePosted reports whether a failed post may nevertheless exist on the
// platform, so the target must stay pending and be looked for (or decided by a
// person) before it is sent again. A cancelled run, a deadline and a broken
// connection after the request left all may have; a refusal the platform answered
// (but a gateway's 500, 502 or 504) and a request never sent may not.
func MayHavePosted(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrCannotLook) {
		return true // the adapter knows a post went out and cannot tell which
	}
	var ns *notSentError
	if errors.As(err, &ns) {
		return false
	}
	var pe *Error
	if errors.As(err, &pe) {
		switch pe.Delivery {
		case NotSent, Sent:
			return false
		case MaybeSent:
			return true
		}
		if pe.Status != 0 {
			return Answered(pe.Status) == MaybeSent
		}
		return pe.Kind == Transient || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	}
	// An error no adapter classified: the request may have been written before
	// the run was stopped or the connection broke.
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || IsTransient(err)
}

// Answered is how far a request got that was answered with status and whose
// answer is a refusal: Sent, but MaybeSent for a server or a gateway that failed
// after it may have acted on the request. 503 is a refusal before any work.
func Answered(status int) Delivery {
	if status >= 500 && status != http.StatusServiceUnavailable {
		return MaybeSent
	}
	return Sent
}

// Unread is how far a request got whose answer, status, could not be read to the
// end: after a yes (2xx) the platform may have acted on it; any other status was
// a refusal.
func Unread(status int) Delivery {
	if status >= 200 && status <= 299 {
		return MaybeSent
	}
	return Sent
}

// Unsent marks err as a failure met before anything reached the platform (the
// picture was not live yet, the ledger could not record the attempt), whatever err
// itself is.
func Unsent(err error) error {
	if err == nil {
		return nil
	}
	return &notSentError{err: err}
}

type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// Wire watches one HTTP request and tells whether any of it was written: before
// that, a failure sent nothing, whatever it was.
type Wire struct{ wrote atomic.Bool }

// Trace returns ctx with hooks that tell w when the request starts to be written;
// give it to http.NewRequestWithContext.
func (w *Wire) Trace(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		// Headers go into a buffer that is flushed later, so this is early: a
		// failure after it is taken as "may have been sent", never the reverse.
		WroteHeaderField: func(string, []string) { w.wrote.Store(true) },
	})
}

// Delivery is what a failure of the watched request means: NotSent before the
// request started to be written, MaybeSent after.
func (w *Wire) Delivery() Delivery {
	if w.wrote.Load() {
		return MaybeSent
	}
	return NotSent
}

// TransportKind classifies an error of http.Client.Do: a certificate the system
// does not trust, or an address that is not http(s), fails the same way however
// often it is tried, and a retry only hides the fix; everything else (a refused or
// broken connection, a timeout, a name not resolved) may go away.
func TransportKind(err error) Kind {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Scheme != "http" && u.Scheme != "https" {
			return Permanent
		}
	}
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var rh tls.RecordHeaderError
	if errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &rh) {
		return Permanent
	}
	return Transient
}

// TransportError is a request that got no usable answer, classified once for
// every adapter: permanent for a certificate that is not trusted or an address
// without a scheme, transient otherwise (a cancelled run too: the next run may go
// through), and as far sent as the request got. It still answers errors.Is and
// errors.As for its cause (context.Canceled, context.DeadlineExceeded, a
// net.Error). An adapter scrubs PE.Message, and may wrap Cause, before returning it.
type TransportError struct {
	PE    *Error
	Cause error
}

func (e *TransportError) Error() string   { return e.PE.Error() }
func (e *TransportError) Unwrap() []error { return []error{e.PE, e.Cause} }

// Transport classifies err, what http.Client.Do or reading its answer returned,
// for platform's op; d is how far the request got (Wire.Delivery), endpoint the
// variable that moves the API (TransportFix). The message is where (the request
// as the message names it, "" for none), then the cause: net/http's *url.Error
// prints the whole URL, which may carry a token, so only what it wraps is kept.
func Transport(platform, op, where string, err error, d Delivery, endpoint string) *TransportError {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	msg := cause.Error()
	var ne net.Error
	if errors.Is(cause, context.DeadlineExceeded) || errors.As(cause, &ne) && ne.Timeout() {
		// "context deadline exceeded" and "Client.Timeout exceeded while awaiting
		// headers" are Go's words; a press officer reads this one.
		msg = "no answer in time (timed out)"
	}
	if where != "" {
		msg = where + ": " + msg
	}
	return &TransportError{
		PE:    &Error{Platform: platform, Op: op, Kind: TransportKind(err), Delivery: d, Message: msg, Fix: TransportFix(err, endpoint)},
		Cause: cause,
	}
}

// TransportFix says what a person can do about a permanent transport error, ""
// when there is nothing to add: endpoint is the variable that moves the API.
func TransportFix(err error, endpoint string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Scheme != "http" && u.Scheme != "https" {
			return endpoint + " must be a whole address with its scheme, such as https://api.example.com"
		}
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return "the server does not speak TLS: check " + endpoint + " (https:// to a plain HTTP server?)"
	}
	if TransportKind(err) == Permanent {
		return "the server's TLS certificate is not trusted: check " + endpoint + ", or the proxy between humas and the platform"
	}
	return ""
}
