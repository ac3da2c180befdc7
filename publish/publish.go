// Package publish holds what every part of humas agrees on: the Poster interface that
// platform adapters implement, the post they are handed, and how their errors are classified.
package publish

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Names of the first two platforms, for code and tests that speak of one of them.
// The list of platforms is the registry, publish/platform/all; a platform's own
// package says everything else about it.
const (
	X        = "x"
	Facebook = "facebook"
)

// Image is a picture attached to a post.
type Image struct {
	Name string // file name, for the upload
	Data []byte
	Alt  string
	// URL is the address the image is served at on the live site. Instagram takes no
	// upload: it fetches the image from this address itself. Other platforms upload
	// Data and ignore it.
	URL string
}

// Post is what an adapter is asked to publish on one account.
type Post struct {
	Text  string
	Link  string // the article URL; Facebook sends it as link, X has it in Text
	Image *Image
	// Quote is the remote id of a post on the same platform that this one quotes
	// (X quote posts); empty for an ordinary post.
	Quote string
	// Collaborators are accounts, by their username on this platform, invited to
	// co-author the post (an Instagram Collab post: each accepts in the app). Only
	// Instagram has the feature; other adapters ignore it.
	Collaborators []string
	// Checkpoint, when set, receives the intermediate remote id of a post that takes
	// two steps, before the step that makes it public, and hands back the one an
	// earlier attempt recorded. Adapters that post in one step ignore it.
	Checkpoint *Checkpoint
	// Document is the whole release, for a platform that sends it entire (email);
	// nil when the caller has none.
	Document *Document
}

// Checkpoint carries the intermediate remote id of a post that takes two steps
// (Instagram: a media container, then media_publish) so the id is recorded before
// the post can go public, and a later attempt or run carries on from that id instead
// of starting over or posting twice. One Checkpoint serves one target; its attempts
// run one after another, never at once.
type Checkpoint struct {
	// ID is the intermediate id recorded so far: "" at first, the id an earlier run
	// left in the ledger, or the one Save last accepted in this run.
	ID string
	// Stale: the post changed (its text or picture was edited) since ID was made
	// for it. The adapter carries on from ID only where that step already made the
	// post public; otherwise it starts again, so what goes out is the post as it
	// is now, not as it was when the earlier run died.
	Stale bool
	// Save must record id durably (the pipeline: in the target's pending ledger
	// entry) and return nil. The adapter calls it before the step that makes the post
	// public and does not take that step when Save fails.
	Save func(id string) error
}

// Record hands id to Save and, once it is recorded, keeps it as ID for the next
// attempt. A nil Checkpoint records nothing and succeeds.
func (c *Checkpoint) Record(id string) error {
	if c == nil {
		return nil
	}
	if c.Save != nil {
		if err := c.Save(id); err != nil {
			return err
		}
	}
	c.ID = id
	return nil
}

// Resume is the id an earlier attempt recorded, or "".
func (c *Checkpoint) Resume() string {
	if c == nil {
		return ""
	}
	return c.ID
}

// Receipt identifies a post that exists on a platform.
type Receipt struct {
	ID  string
	URL string
}

// Poster publishes on one account of one platform. Every adapter implements it and
// passes the shared suite in publish/postertest.
type Poster interface {
	// Post publishes p once. It does not retry: retries are the caller's decision,
	// made from the error's classification.
	Post(ctx context.Context, p Post) (Receipt, error)
	// Find looks through the account's recent posts for one that links to link, so a
	// post sent by a run that died mid-request can be adopted instead of sent again.
	Find(ctx context.Context, link string) (Receipt, bool, error)
	// Verify makes a read-only call that proves the credentials work and returns the
	// account's name or handle as the platform knows it.
	Verify(ctx context.Context) (string, error)
}

// Kind says whether trying the same request again may succeed.
type Kind int

const (
	Permanent Kind = iota
	Transient
)

// Error is a platform's refusal, classified once where the answer is read. It keeps the
// platform's own status, code and message and never any credential.
type Error struct {
	Platform   string
	Op         string // "post", "find", "verify", "upload"
	Status     int    // HTTP status, 0 when no answer arrived
	Code       string // the platform's own error code or type, if any
	Message    string
	Kind       Kind
	RetryAfter time.Duration // how long the platform asked us to wait, if it said
	Duplicate  bool          // the platform refused the text as a duplicate
	// QuotaFrees is set when the account's publishing quota is spent (Instagram:
	// 50 posts in 24 hours): nothing was sent, and the target waits until this time
	// instead of failing.
	QuotaFrees time.Time
	// Delivery says whether the failed request may have made the post; the zero
	// value leaves it to MayHavePosted's rules.
	Delivery Delivery
	// Fix is what a person can do about a permanent failure, "" when the message
	// says it or there is nothing to do but wait.
	Fix string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Platform, e.Op)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", ErrorText(e.Code))
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", ErrorText(e.Message))
	}
	return b.String()
}

// IsTransient reports whether err may go away if the same request is sent again:
// a classified transient platform error, a timeout, or a connection that failed.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind == Transient
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

// RetryAfter returns how long the platform asked the caller to wait, or 0.
func RetryAfter(err error) time.Duration {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
}

// ErrCannotLook is what Find returns, wrapped, on a platform that offers no way to
// read the account's posts (Telegram's Bot API cannot read a channel's history), and
// what Post returns when it knows a post went out but cannot tell which it is. It is
// permanent: asking again cannot help. The caller must never take it for "not found"
// and post again: a target left pending waits for a person to say whether the post
// went out (humas resolve).
var ErrCannotLook = errors.New("the platform cannot be asked whether the post went out")

// QuotaFrees reports whether err is a spent publishing quota, and when it frees.
func QuotaFrees(err error) (time.Time, bool) {
	var pe *Error
	if errors.As(err, &pe) && !pe.QuotaFrees.IsZero() {
		return pe.QuotaFrees, true
	}
	return time.Time{}, false
}

// Getenv reads one environment variable; tests pass their own.
type Getenv func(string) string

// EnvName is the variable that holds one credential of an account, for example
// EnvName("kpu", "X_ACCESS_TOKEN") is HUMAS_KPU_X_ACCESS_TOKEN.
func EnvName(account, field string) string {
	return "HUMAS_" + strings.ToUpper(strings.ReplaceAll(account, "-", "_")) + "_" + field
}

// MissingCredentialsError names the variables a target needs that are not set.
type MissingCredentialsError struct {
	Account  string
	Platform string
	Vars     []string
}

func (e *MissingCredentialsError) Error() string {
	verb := "is"
	if len(e.Vars) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("%s/%s: %s %s not set", e.Account, e.Platform, strings.Join(e.Vars, ", "), verb)
}
