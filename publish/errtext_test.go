package publish

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestErrorTextIsShortPrintableAndFreeOfSecrets(t *testing.T) {
	const token = "123456:AAH-bot+token/with=odd"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"a secret", "invalid token " + token, "invalid token [redacted]"},
		{"query-escaped", "GET /me?access_token=123456%3AAAH-bot%2Btoken%2Fwith%3Dodd failed", "GET /me?access_token=[redacted] failed"},
		{"path-escaped", "POST /bot123456:AAH-bot+token%2Fwith=odd/sendMessage", "POST /bot[redacted]/sendMessage"},
		{"half of a bot token", "secret part AAH-bot+token/with=odd leaked", "secret part [redacted] leaked"},
		{"control characters and line breaks", "bad\x1b[31m request\r\n\tnow\x00", "bad [31m request now"},
		{"bidirectional controls", "halo \u202edlrow", "halo dlrow"},
		{"invalid UTF-8", "a\xff\xfeb", "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorText(tc.in, token); got != tc.want {
				t.Errorf("ErrorText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	// A 4 MB binary body, as a platform's proxy may answer.
	body := strings.Repeat("\x00\x01<html>\xff", 4<<20/9)
	got := ErrorText(body)
	if n := utf8.RuneCountInString(got); n > MaxErrorText || !strings.HasSuffix(got, "…") {
		t.Errorf("%d characters: %q", n, got)
	}
	// A secret just past what is read is not cut in half into the text.
	pad := strings.Repeat(" ", errorTextScan-3)
	if got := ErrorText(pad+token, token); strings.Contains(got, token[:3]) {
		t.Errorf("part of the secret kept: %q", got)
	}
}

type failing struct{ err error }

func (f failing) Post(context.Context, Post) (Receipt, error)         { return Receipt{}, f.err }
func (f failing) Find(context.Context, string) (Receipt, bool, error) { return Receipt{}, false, f.err }
func (f failing) Verify(context.Context) (string, error)              { return "", f.err }

func TestScrubbedPostersKeepTheClassificationAndLoseTheSecrets(t *testing.T) {
	const secret = "EAAG-page-token-value"
	pe := &Error{Platform: Facebook, Op: "post", Status: 429, Message: "rate limited for " + secret + strings.Repeat(" x", 1000),
		Kind: Transient, RetryAfter: time.Minute, Duplicate: true}
	p := Scrubbed(failing{pe}, []string{secret})
	_, err := p.Post(context.Background(), Post{})
	var got *Error
	if !errors.As(err, &got) || got.Kind != Transient || got.RetryAfter != time.Minute || !got.Duplicate || got.Status != 429 {
		t.Fatalf("err = %#v, want the classification kept", err)
	}
	if strings.Contains(err.Error(), secret) || utf8.RuneCountInString(got.Message) > MaxErrorText {
		t.Errorf("err = %q", err)
	}
	if pe.Message == got.Message {
		t.Error("the adapter's error was changed in place, or not cleaned")
	}

	// Any other error prints cleaned, and still classifies by its cause.
	ne := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("https://api.telegram.org/bot" + secret + "/sendPhoto: connection refused")}
	_, _, err = Scrubbed(failing{ne}, []string{secret}).Find(context.Background(), "")
	if strings.Contains(err.Error(), secret) || !IsTransient(err) {
		t.Errorf("err = %q, transient %v", err, IsTransient(err))
	}
}

func TestErrorPrintsItsMessageCleaned(t *testing.T) {
	e := &Error{Platform: "x", Op: "post", Status: 500, Message: "<html>\n<body>" + strings.Repeat("oops ", 500)}
	if s := e.Error(); strings.Contains(s, "\n") || utf8.RuneCountInString(s) > MaxErrorText+40 {
		t.Errorf("Error() = %q", s)
	}
}

// failingMailer refuses every recipient, naming its password.
type failingMailer struct{ failing }

func (failingMailer) Recipients() ([]Recipient, error) {
	return []Recipient{{Address: "a@b.example"}}, nil
}
func (failingMailer) MessageID(Post, Recipient) string { return "id@b.example" }
func (f failingMailer) Deliver(context.Context, Post, Recipient, string) (Receipt, error) {
	return Receipt{}, &RecipientError{Err: f.err}
}

// TestAScrubbedMailerIsStillAMailer: the pipeline sends to a list one recipient at
// a time only when the adapter it is given is a Mailer; wrapping it must not turn it
// into a Poster that sends through Post.
func TestAScrubbedMailerIsStillAMailer(t *testing.T) {
	const secret = "smtp-password-4711"
	m, ok := Scrubbed(failingMailer{failing{errors.New("550 refused " + secret)}}, []string{secret}).(Mailer)
	if !ok {
		t.Fatal("Scrubbed hid the Mailer")
	}
	_, err := m.Deliver(context.Background(), Post{}, Recipient{}, "id")
	var re *RecipientError
	if !errors.As(err, &re) || strings.Contains(err.Error(), secret) {
		t.Errorf("err = %v: want a recipient's refusal, without the password", err)
	}
}
