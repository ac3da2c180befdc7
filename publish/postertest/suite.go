// Package postertest is the conformance suite every platform adapter passes: the same
// behaviour, asserted the same way, against each platform's fake server.
package postertest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
)

// Fault is a failure a fake platform is told to give its next posting requests.
type Fault int

const (
	// Unavailable answers 503.
	Unavailable Fault = iota + 1
	// RateLimited answers 429 with a reset one second away.
	RateLimited
	// Unauthorized answers as an expired or revoked token does (X 401, Graph 190).
	Unauthorized
	// DropAfterRecord records the post, then closes the connection without an answer.
	DropAfterRecord
	// Hang never answers; the client must give up on its own deadline.
	Hang
	// RecordAndHang records the post, then never answers: the platform has the
	// post when the run that sent it is stopped (SIGINT, SIGTERM from CI).
	RecordAndHang
)

// Fake is the control side of a platform's fake server, for the account under test.
type Fake interface {
	// Fail makes the next n posting requests fail with f.
	Fail(f Fault, n int)
	// PostCount is how many posts the account under test has on the fake.
	PostCount() int
	// NewestAlt is the alt text the platform keeps for the picture of the
	// account's newest post, "" when it has none.
	NewestAlt() string
}

// Setup is one fresh fake server and an adapter pointed at it.
type Setup struct {
	Poster publish.Poster
	Fake   Fake
	// Unauthorized is an adapter for the same account holding wrong credentials.
	Unauthorized publish.Poster
	// Secrets are the credential values in use; no error may contain any of them.
	Secrets []string
	// Image is an image the platform accepts, to attach to a post.
	Image *publish.Image

	// The fields below say how the platform differs; their zero values are X's and
	// Facebook's behaviour, which the suite asserts unless told otherwise.

	// NeedsImage says the platform takes no post without an image (Instagram): the
	// suite attaches Image to every post.
	NeedsImage bool
	// AcceptsDuplicates says the platform publishes the same text twice (Instagram,
	// Telegram): no refusal saves a re-sent post, only the ledger does, and the
	// suite asserts that a second identical post is a second post.
	AcceptsDuplicates bool
	// CannotLook says the platform cannot be asked what the account holds
	// (Telegram's Bot API cannot read a channel): Find must answer
	// publish.ErrCannotLook, permanently, and never "not found".
	CannotLook bool
	// Checkpoints says the adapter posts in two steps and records the first
	// through publish.Post.Checkpoint (Instagram's container): the suite asserts
	// the id is saved before anything is public and that a later attempt carries on
	// from it without posting twice.
	Checkpoints bool
	// NoAlt says the platform keeps no alt text for a picture (Telegram).
	NoAlt bool

	// Identity is what Verify returns for the account under test ("@kpubalikpapan"),
	// or "" when the platform answers something humas.yaml does not hold (a
	// Page's name) and the adapter compares the account's id itself.
	Identity string
	// OtherAccount is an adapter set up for the account under test but holding
	// the credentials of another account the fake knows, as a personal account's
	// keys in an office's CI variables would be: Verify must refuse, or answer
	// something other than Identity.
	OtherAccount publish.Poster
}

const (
	link      = "https://humas.balikpapan.go.id/uji-adapter/"
	otherLink = "https://humas.balikpapan.go.id/uji-lain/"
)

// Run runs the suite; newSetup must return a new fake and adapter for each call.
func Run(t *testing.T, newSetup func(t *testing.T) Setup) {
	t.Run("a post is published once and found again by its link", func(t *testing.T) {
		s := newSetup(t)
		r, err := s.Poster.Post(ctx(t), s.post("Pertama"))
		if err != nil {
			t.Fatalf("post: %v", err)
		}
		if r.ID == "" || !strings.HasPrefix(r.URL, "https://") {
			t.Fatalf("receipt %+v: want an id and an https URL", r)
		}
		holds(t, s, 1)
		f, looked := found(t, s)
		if !looked {
			return
		}
		if f.ID != r.ID {
			t.Fatalf("find = %+v; want the post %s", f, r.ID)
		}
		if _, ok, err := s.Poster.Find(ctx(t), "https://humas.balikpapan.go.id/lain/"); ok || err != nil {
			t.Fatalf("find of another link = %v, %v; want not found", ok, err)
		}
	})
	t.Run("an image is attached with its alt text", func(t *testing.T) {
		s := newSetup(t)
		if s.Image == nil || s.Image.Alt == "" {
			t.Fatal("setup gives no image with alt text")
		}
		p := s.post("Bergambar")
		p.Image = s.Image
		if _, err := s.Poster.Post(ctx(t), p); err != nil {
			t.Fatalf("post with image: %v", err)
		}
		holds(t, s, 1)
		want := s.Image.Alt
		if s.NoAlt {
			want = ""
		}
		if got := s.Fake.NewestAlt(); got != want {
			t.Fatalf("the platform keeps alt text %q, want %q", got, want)
		}
	})
	t.Run("a duplicate is refused as permanent", func(t *testing.T) {
		s := newSetup(t)
		first, err := s.Poster.Post(ctx(t), s.post("Sama"))
		if err != nil {
			t.Fatal(err)
		}
		if s.AcceptsDuplicates {
			// The platform has no duplicate check to lean on: the same text is a
			// second post, which is why the ledger records pending before sending.
			second, err := s.Poster.Post(ctx(t), s.post("Sama"))
			if err != nil || second.ID == "" || second.ID == first.ID {
				t.Fatalf("second identical post = %+v, %v; want a second post with its own id", second, err)
			}
			holds(t, s, 2)
			return
		}
		_, err = s.Poster.Post(ctx(t), s.post("Sama"))
		var pe *publish.Error
		if !errors.As(err, &pe) || !pe.Duplicate || publish.IsTransient(err) {
			t.Fatalf("second identical post: err = %v; want a permanent duplicate refusal", err)
		}
		holds(t, s, 1)
	})
	t.Run("503 is transient and the next try goes through", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(Unavailable, 1)
		_, err := s.Poster.Post(ctx(t), s.post("Sibuk"))
		if !publish.IsTransient(err) {
			t.Fatalf("err = %v; want transient", err)
		}
		noSecret(t, s, err)
		if _, err := s.Poster.Post(ctx(t), s.post("Sibuk")); err != nil {
			t.Fatalf("second try: %v", err)
		}
		holds(t, s, 1)
	})
	t.Run("429 is transient and says when to come back", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(RateLimited, 1)
		_, err := s.Poster.Post(ctx(t), s.post("Batas"))
		if !publish.IsTransient(err) {
			t.Fatalf("err = %v; want transient", err)
		}
		noSecret(t, s, err)
		if d := publish.RetryAfter(err); d <= 0 || d > 2*time.Second {
			t.Fatalf("retry after %v; want about a second", d)
		}
	})
	t.Run("a refused token is permanent and names no secret", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(Unauthorized, 1)
		_, err := s.Poster.Post(ctx(t), s.post("Token"))
		if err == nil || publish.IsTransient(err) {
			t.Fatalf("err = %v; want permanent", err)
		}
		noSecret(t, s, err)
		holds(t, s, 0)
	})
	t.Run("a connection dropped after the post was recorded is found by its link", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(DropAfterRecord, 1)
		_, err := s.Poster.Post(ctx(t), s.post("Putus"))
		if !publish.IsTransient(err) {
			t.Fatalf("err = %v; want transient", err)
		}
		noSecret(t, s, err)
		holds(t, s, 1)
		found(t, s)
	})
	t.Run("a hanging server gives a transient error at the caller's deadline", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(Hang, 1)
		c, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := s.Poster.Post(c, s.post("Macet"))
		if !publish.IsTransient(err) {
			t.Fatalf("err = %v; want transient", err)
		}
		noSecret(t, s, err)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("post returned after %v; want it to honour the deadline", d)
		}
	})
	t.Run("a run stopped after the platform recorded the post may have posted it, and it is found", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(RecordAndHang, 1)
		c, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			// The run is stopped once the platform holds the post, as SIGTERM
			// from a cancelled CI job does.
			for s.Fake.PostCount() == 0 && c.Err() == nil {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
		}()
		_, err := s.Poster.Post(c, s.post("Dihentikan"))
		if !errors.Is(err, context.Canceled) || !publish.MayHavePosted(err) || !publish.IsTransient(err) {
			t.Fatalf("err = %v; want the cancellation, as maybe posted and worth a later run", err)
		}
		noSecret(t, s, err)
		holds(t, s, 1)
		found(t, s)
	})
	t.Run("a run stopped before the request left sent nothing", func(t *testing.T) {
		s := newSetup(t)
		c, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Poster.Post(c, s.post("Belum"))
		if err == nil || publish.MayHavePosted(err) {
			t.Fatalf("err = %v; want a failure that sent nothing", err)
		}
		holds(t, s, 0)
	})
	t.Run("a photo post recorded then dropped is found by its link", func(t *testing.T) {
		s := newSetup(t)
		p := s.post("Foto putus")
		p.Image = s.Image
		s.Fake.Fail(DropAfterRecord, 1)
		_, err := s.Poster.Post(ctx(t), p)
		if !publish.MayHavePosted(err) {
			t.Fatalf("err = %v; want maybe posted", err)
		}
		holds(t, s, 1)
		found(t, s)
	})
	t.Run("a quote of another post, recorded then dropped, is found by its own link", func(t *testing.T) {
		s := newSetup(t)
		first := publish.Post{Text: "Asal — uji adapter " + otherLink, Link: otherLink}
		if s.NeedsImage {
			first.Image = s.Image
		}
		r, err := s.Poster.Post(ctx(t), first)
		if err != nil {
			t.Fatal(err)
		}
		q := s.post("Kutipan")
		q.Quote = r.ID
		s.Fake.Fail(DropAfterRecord, 1)
		if _, err := s.Poster.Post(ctx(t), q); !publish.MayHavePosted(err) {
			t.Fatalf("err = %v; want maybe posted", err)
		}
		holds(t, s, 2)
		if q, looked := found(t, s); looked && q.ID == r.ID {
			t.Fatalf("find = %+v; want the quote, not the post it quotes (%s)", q, r.ID)
		}
	})
	t.Run("another account's credentials are told apart from the account's", func(t *testing.T) {
		s := newSetup(t)
		if s.OtherAccount == nil {
			t.Fatal("setup gives no adapter holding another account's credentials")
		}
		if s.Identity != "" {
			if got, err := s.Poster.Verify(ctx(t)); err != nil || !strings.EqualFold(got, s.Identity) {
				t.Fatalf("verify = %q, %v; want %q", got, err, s.Identity)
			}
		}
		got, err := s.OtherAccount.Verify(ctx(t))
		switch {
		case err != nil && publish.IsTransient(err):
			t.Fatalf("verify with another account's credentials: %v; want a permanent refusal or the other account's name", err)
		case err == nil && (got == "" || s.Identity == "" || strings.EqualFold(got, s.Identity)):
			t.Fatalf("verify with another account's credentials = %q; want a refusal, or a name other than %q", got, s.Identity)
		}
		if err != nil {
			noSecret(t, s, err)
		}
	})
	t.Run("verify proves the credentials and refuses wrong ones", func(t *testing.T) {
		s := newSetup(t)
		name, err := s.Poster.Verify(ctx(t))
		if err != nil || name == "" {
			t.Fatalf("verify = %q, %v; want the account's name", name, err)
		}
		_, err = s.Unauthorized.Verify(ctx(t))
		if err == nil || publish.IsTransient(err) {
			t.Fatalf("verify with wrong credentials: err = %v; want permanent", err)
		}
		noSecret(t, s, err)
	})
	if probe := newSetup(t); probe.Checkpoints {
		checkpoints(t, newSetup)
	}
}

// checkpoints asserts what an adapter that posts in two steps owes the ledger.
func checkpoints(t *testing.T, newSetup func(t *testing.T) Setup) {
	t.Run("the checkpoint is saved before anything is public", func(t *testing.T) {
		s := newSetup(t)
		var saved []string
		p := s.post("Bertahap")
		p.Checkpoint = &publish.Checkpoint{Save: func(id string) error {
			if n := s.Fake.PostCount(); n != 0 {
				t.Errorf("checkpoint %s saved after %d posts went public; want it saved first", id, n)
			}
			saved = append(saved, id)
			return nil
		}}
		if _, err := s.Poster.Post(ctx(t), p); err != nil {
			t.Fatal(err)
		}
		if len(saved) != 1 || saved[0] == "" || p.Checkpoint.ID != saved[0] {
			t.Fatalf("saved %q, checkpoint %q; want one id saved and kept", saved, p.Checkpoint.ID)
		}
		holds(t, s, 1)
	})
	t.Run("a checkpoint that cannot be saved stops the post", func(t *testing.T) {
		s := newSetup(t)
		p := s.post("Tak tercatat")
		p.Checkpoint = &publish.Checkpoint{Save: func(string) error { return errors.New("ledger: disk full") }}
		_, err := s.Poster.Post(ctx(t), p)
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("err = %v; want the save error", err)
		}
		if n := s.Fake.PostCount(); n != 0 {
			t.Fatalf("fake holds %d posts, want 0: nothing may go public unrecorded", n)
		}
	})
	t.Run("a post whose answer was lost resumes from its checkpoint without posting twice", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(DropAfterRecord, 1)
		p := s.post("Lanjut")
		p.Checkpoint = &publish.Checkpoint{Save: func(string) error { return nil }}
		if _, err := s.Poster.Post(ctx(t), p); !publish.IsTransient(err) {
			t.Fatalf("err = %v; want transient", err)
		}
		// The next run starts from what the ledger holds: the checkpoint's id.
		next := s.post("Lanjut")
		next.Checkpoint = &publish.Checkpoint{ID: p.Checkpoint.ID, Save: func(string) error { return nil }}
		r, err := s.Poster.Post(ctx(t), next)
		if err != nil || r.ID == "" {
			t.Fatalf("resumed post = %+v, %v; want the post that went out", r, err)
		}
		holds(t, s, 1)
	})
	t.Run("a post refused before publishing resumes from its checkpoint", func(t *testing.T) {
		s := newSetup(t)
		s.Fake.Fail(Unavailable, 1)
		p := s.post("Ulang")
		p.Checkpoint = &publish.Checkpoint{Save: func(string) error { return nil }}
		if _, err := s.Poster.Post(ctx(t), p); !publish.IsTransient(err) {
			t.Fatalf("err = %v; want transient", err)
		}
		if _, err := s.Poster.Post(ctx(t), p); err != nil {
			t.Fatalf("second try: %v", err)
		}
		holds(t, s, 1)
	})
}

// post is an ordinary post linking the suite's article, with the setup's image when
// the platform takes no post without one.
func (s Setup) post(title string) publish.Post {
	p := publish.Post{Text: title + " — uji adapter " + link, Link: link}
	if s.NeedsImage {
		p.Image = s.Image
	}
	return p
}

// holds asserts that the account under test holds want posts on the fake.
func holds(t *testing.T, s Setup, want int) {
	t.Helper()
	if n := s.Fake.PostCount(); n != want {
		t.Fatalf("fake holds %d posts, want %d", n, want)
	}
}

// found asserts that Find turns up the post linking the suite's article, and
// returns it; on a platform that cannot look (the post is there and nothing can
// see it: only a person can say so), that Find says so, and looked is false.
func found(t *testing.T, s Setup) (r publish.Receipt, looked bool) {
	t.Helper()
	if s.CannotLook {
		cannotLook(t, s)
		return publish.Receipt{}, false
	}
	r, ok, err := s.Poster.Find(ctx(t), link)
	if !ok || err != nil {
		t.Fatalf("find = %+v, %v, %v; want the post linking %s", r, ok, err, link)
	}
	return r, true
}

// cannotLook asserts that Find says it cannot look, in a way no caller can take for
// "not found" or retry.
func cannotLook(t *testing.T, s Setup) {
	t.Helper()
	r, ok, err := s.Poster.Find(ctx(t), link)
	if ok || !errors.Is(err, publish.ErrCannotLook) || publish.IsTransient(err) {
		t.Fatalf("find = %+v, %v, %v; want a permanent publish.ErrCannotLook", r, ok, err)
	}
	noSecret(t, s, err)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func noSecret(t *testing.T, s Setup, err error) {
	t.Helper()
	for _, sec := range s.Secrets {
		if sec != "" && strings.Contains(err.Error(), sec) {
			t.Fatalf("error %q contains a credential", err)
		}
	}
}
