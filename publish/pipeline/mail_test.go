package pipeline

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/release"
)

// fakeMailer is a press list on an in-memory mail server.
type fakeMailer struct {
	list []publish.Recipient

	mu sync.Mutex
	// answer, by address, is what the next delivery to it gets (consumed);
	// delivered says whether the message reached the mailbox all the same.
	answer    map[string]error
	delivered map[string]bool
	inbox     map[string][]string // address → Message-IDs received
	attempts  map[string]int
	closed    int
}

func newFakeMailer(addrs ...string) *fakeMailer {
	m := &fakeMailer{answer: map[string]error{}, delivered: map[string]bool{}, inbox: map[string][]string{}, attempts: map[string]int{}}
	for _, a := range addrs {
		m.list = append(m.list, publish.Recipient{Address: a})
	}
	return m
}

func (m *fakeMailer) Recipients() ([]publish.Recipient, error) { return m.list, nil }

func (m *fakeMailer) MessageID(p publish.Post, to publish.Recipient) string {
	return p.Document.ID + "." + strings.ToLower(to.Address) + "@humas.example"
}

func (m *fakeMailer) Deliver(ctx context.Context, p publish.Post, to publish.Recipient, id string) (publish.Receipt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.attempts[to.Address]++
	err := m.answer[to.Address]
	delete(m.answer, to.Address)
	if err == nil || m.delivered[to.Address] {
		m.inbox[to.Address] = append(m.inbox[to.Address], id)
		delete(m.delivered, to.Address)
	}
	return publish.Receipt{ID: id}, err
}

func (m *fakeMailer) Post(context.Context, publish.Post) (publish.Receipt, error) {
	panic("a mailer is sent to recipient by recipient")
}
func (m *fakeMailer) Find(context.Context, string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, nil
}
func (m *fakeMailer) Verify(context.Context) (string, error) { return "humas@kpu.example", nil }
func (m *fakeMailer) Close() error                           { m.closed++; return nil }

func mailJob() Job {
	return Job{File: "releases/2021-06-09-sinergi.md", Slug: "sinergi", URL: articleURL, Classification: release.Berkala, Date: now,
		Document: &publish.Document{ID: "sinergi"},
		Targets:  []Target{{Account: "kpu", Platform: "email", Issuer: true, Text: "SIARAN PERS: Sinergi", Limit: 998}}}
}

func mailRun(t *testing.T, w *world, m *fakeMailer, mode Mode) Result {
	t.Helper()
	res, err := w.run(mode, []Job{mailJob()}, func(o *Options) {
		o.NewPoster = func(string, string) (publish.Poster, error) { return m, nil }
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestEachRecipientIsRecordedAndARefusalIsTheirsAlone(t *testing.T) {
	w := newWorld(t)
	m := newFakeMailer("budi@tribun.example", "ditolak@kaltimpost.example", "sari@kaltimpost.example")
	m.answer["ditolak@kaltimpost.example"] = &publish.RecipientError{Err: &publish.Error{Platform: "email", Op: "send to ditolak@kaltimpost.example", Status: 550, Kind: publish.Permanent, Message: "no such user"}}

	res := mailRun(t, w, m, Explicit)
	tr := target(t, res, "kpu/email")
	if tr.Status != StatusFailed || !strings.Contains(tr.Error, "sent to 2 of 3 recipients") || !strings.Contains(tr.Error, "no such user") {
		t.Fatalf("target %+v", tr)
	}
	if len(m.inbox["budi@tribun.example"]) != 1 || len(m.inbox["sari@kaltimpost.example"]) != 1 || len(m.inbox["ditolak@kaltimpost.example"]) != 0 {
		t.Fatalf("inbox %v", m.inbox)
	}
	lt := w.record("sinergi").Target("kpu", "email")
	if lt.State != ledger.Failed || lt.Recipients["ditolak@kaltimpost.example"].State != ledger.Failed || lt.Recipients["budi@tribun.example"].State != ledger.Posted {
		t.Fatalf("ledger %+v", lt)
	}
	if m.closed == 0 {
		t.Error("the session was not closed")
	}
	if !lt.Permanent || tr.Needs != NeedsPerson {
		t.Errorf("a refusal by the server is a failure for good: permanent %v, needs %q", lt.Permanent, tr.Needs)
	}

	// A scheduled run leaves a failure for good alone: it needs a person.
	// (Were it tried, it would go through now: the fake has no refusal left.)
	if tr := target(t, mailRun(t, w, m, Pending), "kpu/email"); tr.Status != StatusSkipped || tr.Needs != NeedsPerson {
		t.Fatalf("scheduled run: %+v", tr)
	}
	if n := m.attempts["ditolak@kaltimpost.example"]; n != 1 {
		t.Fatalf("the scheduled run tried the refused address again (%d attempts)", n)
	}

	// The address is fixed on the server; a person publishes the file again, which
	// sends to that one alone.
	res = mailRun(t, w, m, Explicit)
	if tr := target(t, res, "kpu/email"); tr.Status != StatusPosted || tr.ID != "3 recipients" {
		t.Fatalf("second run: %+v", tr)
	}
	for a, ids := range m.inbox {
		if len(ids) != 1 {
			t.Errorf("%s received %d messages", a, len(ids))
		}
	}
	if tr := target(t, mailRun(t, w, m, Explicit), "kpu/email"); tr.Status != StatusAlreadyPosted {
		t.Errorf("third run: %+v", tr)
	}
}

func TestAMessageThatMayHaveArrivedIsSentAgainWithTheSameID(t *testing.T) {
	w := newWorld(t)
	m := newFakeMailer("budi@tribun.example", "sari@kaltimpost.example")
	// No answer after the final dot, the message delivered all the same, every
	// attempt of this run: the recipient stays pending and the list stops.
	noAnswer := &publish.Error{Platform: "email", Op: "send to budi@tribun.example", Kind: publish.Transient, Message: "the message was sent but its answer never came"}
	m.answer["budi@tribun.example"] = noAnswer
	m.delivered["budi@tribun.example"] = true
	res, err := w.run(Explicit, []Job{mailJob()}, func(o *Options) {
		o.NewPoster = func(string, string) (publish.Poster, error) { return m, nil }
		o.RetryFor = 1 // one attempt
	})
	if err != nil {
		t.Fatal(err)
	}
	if tr := target(t, res, "kpu/email"); tr.Status != StatusFailed {
		t.Fatalf("first run: %+v", tr)
	}
	lt := w.record("sinergi").Target("kpu", "email")
	rc := lt.Recipients["budi@tribun.example"]
	if lt.State != ledger.Pending || rc.State != ledger.Pending || rc.MessageID == "" {
		t.Fatalf("ledger %+v %+v", lt, rc)
	}
	if _, ok := lt.Recipients["sari@kaltimpost.example"]; ok {
		t.Fatal("the list went on after a message whose fate is unknown")
	}

	res = mailRun(t, w, m, Pending)
	if tr := target(t, res, "kpu/email"); tr.Status != StatusPosted {
		t.Fatalf("second run: %+v", tr)
	}
	ids := m.inbox["budi@tribun.example"]
	if len(ids) != 2 || ids[0] != ids[1] || ids[0] != rc.MessageID {
		t.Fatalf("budi received %v; want the same Message-ID twice, %s", ids, rc.MessageID)
	}
	if len(m.inbox["sari@kaltimpost.example"]) != 1 {
		t.Fatalf("sari received %v", m.inbox["sari@kaltimpost.example"])
	}
}

func TestForceSendsAgainUnderANewID(t *testing.T) {
	w := newWorld(t)
	m := newFakeMailer("budi@tribun.example")
	mailRun(t, w, m, Explicit)
	if _, err := w.run(Explicit, []Job{mailJob()}, func(o *Options) {
		o.NewPoster = func(string, string) (publish.Poster, error) { return m, nil }
		o.Force = true
	}); err != nil {
		t.Fatal(err)
	}
	ids := m.inbox["budi@tribun.example"]
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Fatalf("forced: %v, want a second message under a new Message-ID", ids)
	}
}

// The Message-IDs of a release come from its ledger record's id, which a rename
// keeps: a journalist the list had not reached yet when the release was renamed
// gets an id of the same release as the others, and one already recorded keeps
// the id recorded. A new release that takes the freed slug is another release,
// with ids of its own: were they the first one's, a mail program that already
// shows the first would hide it.
func TestMessageIDsFollowTheReleaseNotItsSlug(t *testing.T) {
	w := newWorld(t)
	m := newFakeMailer("budi@tribun.example", "sari@kaltimpost.example")
	m.answer["budi@tribun.example"] = &publish.Error{Platform: "email", Op: "send to budi@tribun.example", Kind: publish.Transient, Message: "the message was sent but its answer never came"}
	m.delivered["budi@tribun.example"] = true
	job := func(file, slug string, date time.Time) Job {
		j := mailJob()
		j.File, j.Slug, j.URL, j.Date = file, slug, "https://humas.balikpapan.go.id/"+slug+"/", date
		j.Issuer, j.Title = "kpu", "Sinergi KPU dan Diskominfo"
		// What a caller knows before the ledger is read: the slug.
		j.Document = &publish.Document{ID: slug}
		return j
	}
	send := func(j Job) {
		t.Helper()
		if _, err := w.run(Explicit, []Job{j}, func(o *Options) {
			o.NewPoster = func(string, string) (publish.Poster, error) { return m, nil }
			o.RetryFor = 1
		}); err != nil {
			t.Fatal(err)
		}
	}
	send(job("releases/2021-06-09-sinergi.md", "sinergi", now))
	first := w.record("sinergi")
	budi := first.Target("kpu", "email").Recipients["budi@tribun.example"].MessageID
	if got, want := m.inbox["budi@tribun.example"], []string{budi}; !slices.Equal(got, want) || !strings.HasPrefix(budi, first.ID+".") {
		t.Fatalf("budi received %v; want %v, an id of record %s", got, want, first.ID)
	}

	// Renamed, file and slug, before the list was done.
	send(job("releases/2021-06-09-sinergi-kpu-diskominfo.md", "sinergi-kpu-diskominfo", now))
	renamed := w.record("sinergi-kpu-diskominfo")
	if renamed.ID != first.ID {
		t.Fatalf("the renamed release has record %s, want %s", renamed.ID, first.ID)
	}
	lt := renamed.Target("kpu", "email")
	if lt.State != ledger.Posted {
		t.Fatalf("after the rename: %+v", lt)
	}
	if got := m.inbox["budi@tribun.example"]; len(got) != 2 || got[1] != budi {
		t.Errorf("budi received %v; want %s again, as recorded", got, budi)
	}
	sari := m.inbox["sari@kaltimpost.example"]
	if len(sari) != 1 || !strings.HasPrefix(sari[0], first.ID+".") || sari[0] != lt.Recipients["sari@kaltimpost.example"].MessageID {
		t.Errorf("sari received %v; want one message with an id of record %s, as the ledger says (%s)", sari, first.ID, lt.Recipients["sari@kaltimpost.example"].MessageID)
	}

	// A new release takes the slug the first one left.
	send(job("releases/2021-07-01-sinergi.md", "sinergi", now.AddDate(0, 0, 22)))
	if got := m.inbox["budi@tribun.example"]; len(got) != 3 || got[2] == budi {
		t.Errorf("budi received %v; want a third message under an id of its own, not %s", got, budi)
	}
}
