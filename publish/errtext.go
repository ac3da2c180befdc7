package publish

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxErrorText is the most characters of an error humas prints or keeps in the
// ledger: a platform may answer a failure with megabytes (an HTML error page, a
// binary body), and the ledger is committed to git.
const MaxErrorText = 300

// errorTextScan is how many bytes of an error ErrorText reads: far more than
// MaxErrorText characters need even when most of it is white space.
const errorTextScan = 8 << 10

// ErrorText makes text for an error safe to print and to store, in one place for
// every platform: every secret, URL-escaped or not, becomes [redacted] (a token
// whose two halves are joined by ':' has each half redacted too, as the Bot API's
// are); control characters, bidirectional controls and bytes that are not UTF-8
// become spaces; white space is folded; and the text is cut at MaxErrorText
// characters with "…".
func ErrorText(s string, secrets ...string) string {
	forms := secretForms(secrets)
	var b strings.Builder
	b.Grow(min(len(s), errorTextScan))
	space := false
	emit := func(r rune) {
		if r == ' ' {
			space = b.Len() > 0
			return
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	chars := 0
	for i := 0; i < len(s) && i < errorTextScan && chars <= MaxErrorText; {
		if f := secretAt(s[i:], forms); f > 0 {
			for _, r := range "[redacted]" {
				emit(r)
			}
			chars += len("[redacted]")
			i += f
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1, unicode.IsSpace(r), unicode.IsControl(r),
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			emit(' ')
		default:
			emit(r)
			chars++
		}
	}
	out := b.String()
	if utf8.RuneCountInString(out) > MaxErrorText {
		n := 0
		for i := range out {
			if n == MaxErrorText-1 {
				return strings.TrimRight(out[:i], " ") + "…"
			}
			n++
		}
	}
	return out
}

// secretForms are the spellings of each secret that can appear in an answer or a
// URL, longest first so a longer form is redacted whole. Secrets shorter than four
// bytes are not secrets worth the name, and redacting them would blank ordinary words.
func secretForms(secrets []string) []string {
	var forms []string
	add := func(s string) {
		if len(s) >= 4 && !slices.Contains(forms, s) {
			forms = append(forms, s)
		}
	}
	for _, s := range secrets {
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		for _, half := range strings.Split(s, ":") {
			if len(half) >= 8 && half != s {
				add(half)
			}
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

// secretAt returns the length of the secret form s starts with, or 0.
func secretAt(s string, forms []string) int {
	for _, f := range forms {
		if strings.HasPrefix(s, f) {
			return len(f)
		}
	}
	return 0
}

// Scrubbed returns p with every error its calls return made safe by ErrorText with
// secrets: the credentials p was built with. A platform's classification (Kind,
// RetryAfter, Duplicate, QuotaFrees) is kept; other errors still unwrap to their
// cause for classification, but print only the cleaned text.
func Scrubbed(p Poster, secrets []string) Poster {
	s := scrubbed{p: p, secrets: secrets}
	if m, ok := p.(Mailer); ok {
		// A list's adapter keeps what makes it one, or the pipeline would send
		// through Post.
		return scrubbedMailer{scrubbed: s, m: m}
	}
	return s
}

// scrubbedMailer is Scrubbed for a Mailer: its errors cleaned the same way.
type scrubbedMailer struct {
	scrubbed
	m Mailer
}

func (s scrubbedMailer) Recipients() ([]Recipient, error) {
	rs, err := s.m.Recipients()
	return rs, s.clean(err)
}

func (s scrubbedMailer) MessageID(p Post, to Recipient) string { return s.m.MessageID(p, to) }

func (s scrubbedMailer) Deliver(ctx context.Context, p Post, to Recipient, id string) (Receipt, error) {
	r, err := s.m.Deliver(ctx, p, to, id)
	return r, s.clean(err)
}

// Close ends the adapter's session, when it keeps one (SMTP).
func (s scrubbedMailer) Close() error {
	if c, ok := s.m.(interface{ Close() error }); ok {
		return c.Close()
	}
	return nil
}

type scrubbed struct {
	p       Poster
	secrets []string
}

func (s scrubbed) Post(ctx context.Context, post Post) (Receipt, error) {
	r, err := s.p.Post(ctx, post)
	return r, s.clean(err)
}

func (s scrubbed) Find(ctx context.Context, link string) (Receipt, bool, error) {
	r, ok, err := s.p.Find(ctx, link)
	return r, ok, s.clean(err)
}

func (s scrubbed) Verify(ctx context.Context) (string, error) {
	name, err := s.p.Verify(ctx)
	if err == nil {
		name = ErrorText(name, s.secrets...)
	}
	return name, s.clean(err)
}

func (s scrubbed) clean(err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*Error); ok {
		c := *pe
		c.Message = ErrorText(pe.Message, s.secrets...)
		c.Code = ErrorText(pe.Code, s.secrets...)
		c.Op = ErrorText(pe.Op, s.secrets...)
		c.Fix = ErrorText(pe.Fix, s.secrets...)
		return &c
	}
	return &cleanError{text: ErrorText(err.Error(), s.secrets...), err: err}
}

// cleanError prints cleaned text and unwraps to its cause, which may say more than
// may be printed: it is there for errors.Is and errors.As only.
type cleanError struct {
	text string
	err  error
}

func (e *cleanError) Error() string { return e.text }
func (e *cleanError) Unwrap() error { return e.err }

// Unscrubbed returns the adapter Scrubbed wraps, or p itself: for tests that look
// at what an adapter was built with.
func Unscrubbed(p Poster) Poster {
	switch s := p.(type) {
	case scrubbed:
		return s.p
	case scrubbedMailer:
		return s.p
	}
	return p
}
