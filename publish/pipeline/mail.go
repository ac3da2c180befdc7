package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/pipeline/retry"
)

// mail sends target t to every recipient of its list not yet sent to, one message
// each, every recipient recorded on its own in the target's ledger entry:
//
//   - pending, with the Message-ID, before the message is sent; posted once the
//     server accepted it; failed when it refused that recipient, who alone is
//     left out;
//   - a recipient found pending (an earlier run died, or no answer came after the
//     message was sent) is sent the message again with the same Message-ID: SMTP
//     cannot be asked whether it arrived, and mail programs show one message per
//     id, so the journalist sees it once, where waiting for a person would leave
//     them without the release;
//   - an error about the whole target (the server, the login) stops going down
//     the list: the rest are tried by the next run.
//
// The target is posted once everyone on the list is. A journalist added to the
// list later receives the releases not yet fully sent, not the ones before.
func (p *Pipeline) mail(ctx context.Context, run *releaseRun, t Target, m publish.Mailer, tr TargetResult, link string) TargetResult {
	if c, ok := m.(io.Closer); ok {
		defer c.Close()
	}
	list, err := m.Recipients()
	if err != nil {
		// A list that cannot be read fails for good until someone corrects it
		// (check says where, before merge).
		if serr := run.update(p, t, func(lt *ledger.Target) {
			if lt.State != ledger.Pending {
				lt.State = ledger.Failed
				lt.Permanent, lt.Basis, lt.Fix = !publish.IsTransient(err), p.basis(run, t), "correct the press list (humas check names each problem at its line)"
			}
			lt.Error = err.Error()
		}); serr != nil {
			err = errors.Join(err, serr)
		}
		tr.Status, tr.Error = StatusFailed, err.Error()
		return tr
	}
	// Pending while the list is worked on: a run that dies mid-list leaves it so,
	// and the next one goes on from the recipients' own records.
	if err := run.update(p, t, func(lt *ledger.Target) { lt.State = ledger.Pending; lt.Attempts++ }); err != nil {
		tr.Status, tr.Error = StatusFailed, fmt.Sprintf("not sent: the ledger could not record the attempt: %v", err)
		return tr
	}
	post := publish.Post{Text: t.Text, Link: link, Document: run.job.Document}
	ro := p.retryOptions(t.Account, t.Platform)

	var sent, unsure, transient int
	var refused []string
	var stop error // about the whole target: the rest of the list waits
	for _, to := range list {
		if stop == nil {
			stop = ctx.Err()
		}
		if stop != nil {
			break
		}
		prev := run.recipient(t, to.Address)
		if prev != nil && prev.State == ledger.Posted && !p.opts.Force {
			sent++
			continue
		}
		id := m.MessageID(post, to)
		switch {
		case prev != nil && prev.State == ledger.Posted:
			// --force: a message sent anew must not be taken for the old one.
			id = resent(id, prev.Attempts)
		case prev != nil && prev.MessageID != "":
			id = prev.MessageID // the same message as before, if it arrived
		}
		if err := run.update(p, t, func(lt *ledger.Target) {
			rc := lt.Recipient(to.Address)
			rc.State, rc.MessageID, rc.Error = ledger.Pending, id, ""
			rc.Attempts++
			rc.UpdatedAt = p.opts.Now()
		}); err != nil {
			stop = fmt.Errorf("not sent to %s: the ledger could not record the attempt: %w", to.Address, err)
			break
		}
		one := &oneRecipient{m: m, to: to, id: id}
		_, err := retry.New(one, ro).Post(ctx, post)
		if one.refused != nil {
			err = one.refused
		}
		var uncertain *retry.UncertainError
		maybe := errors.As(err, &uncertain) || err != nil && ctx.Err() != nil
		if serr := run.update(p, t, func(lt *ledger.Target) {
			rc := lt.Recipient(to.Address)
			rc.UpdatedAt = p.opts.Now()
			switch {
			case err == nil:
				rc.State, rc.SentAt = ledger.Posted, p.opts.Now()
			case maybe:
				rc.Error = err.Error() // stays pending: sent again with the same id
			default:
				rc.State, rc.Error = ledger.Failed, err.Error()
			}
		}); serr != nil {
			stop = fmt.Errorf("sent to %s, but the ledger could not record it: %w", to.Address, serr)
			break
		}
		var re *publish.RecipientError
		switch {
		case err == nil:
			sent++
		case maybe:
			unsure++
			stop = err
		case errors.As(err, &re):
			refused = append(refused, err.Error())
			if publish.IsTransient(err) {
				transient++
			}
		default:
			stop = err
		}
	}

	total := len(list)
	summary := fmt.Sprintf("sent to %d of %d recipients", sent, total)
	var problems []string
	if len(refused) > 0 {
		problems = append(problems, fmt.Sprintf("%d refused: %s", len(refused), strings.Join(refused, "; ")))
	}
	if stop != nil {
		problems = append(problems, fmt.Sprintf("stopped: %v", stop))
	}
	// Failed for good: the server answered no for every journalist left, and will
	// again until a person corrects the list or the server (scheduled runs leave it
	// alone until then, as every failure for good).
	forGood := sent < total && unsure == 0 && transient == 0 &&
		(stop == nil && len(refused) > 0 || stop != nil && !publish.IsTransient(stop) && !publish.MayHavePosted(stop))
	serr := run.update(p, t, func(lt *ledger.Target) {
		lt.Permanent, lt.Basis, lt.Fix = false, "", ""
		switch {
		case sent == total:
			lt.State, lt.ID, lt.Error = ledger.Posted, fmt.Sprintf("%d recipients", total), ""
			lt.Fingerprint = ledger.Fingerprint(post.Text)
			lt.PostedAt = p.opts.Now()
		case unsure > 0 || anyPending(lt):
			lt.State, lt.Error = ledger.Pending, summary+"; "+strings.Join(problems, "; ")
		case forGood:
			lt.State, lt.Error = ledger.Failed, summary+"; "+strings.Join(problems, "; ")
			lt.Permanent, lt.Basis = true, p.basis(run, t)
			lt.Fix = "correct or remove the refused addresses in the press list"
			if stop != nil {
				lt.Fix = FixOf(stop, t.Account)
			}
		default:
			lt.State, lt.Error = ledger.Failed, summary+"; "+strings.Join(problems, "; ")
		}
	})
	tr.Note = summary
	switch {
	case serr != nil:
		tr.Status, tr.Error = StatusFailed, fmt.Sprintf("%s, but the ledger could not record it: %v", summary, serr)
	case sent == total:
		tr.Status, tr.ID = p.posted(), fmt.Sprintf("%d recipients", total)
	default:
		tr.Status, tr.Error = StatusFailed, summary+"; "+strings.Join(problems, "; ")
		if forGood {
			tr.Needs, tr.Fix = NeedsPerson, "correct or remove the refused addresses in the press list"
			if stop != nil {
				tr.Fix = FixOf(stop, t.Account)
			}
		}
	}
	return tr
}

// recipient returns a copy of the ledger record of address on t, or nil.
func (r *releaseRun) recipient(t Target, address string) *ledger.Recipient {
	r.mu.Lock()
	defer r.mu.Unlock()
	lt := r.rec.Target(t.Account, t.Platform)
	if lt == nil {
		return nil
	}
	if rc := lt.Recipients[ledger.RecipientKey(address)]; rc != nil {
		c := *rc
		return &c
	}
	return nil
}

func anyPending(lt *ledger.Target) bool {
	for _, rc := range lt.Recipients {
		if rc.State == ledger.Pending {
			return true
		}
	}
	return false
}

// resent is the Message-ID of a message forced out again: the same id would be
// hidden by the recipient's mail program as the message it already has.
func resent(id string, n int) string {
	local, domain, ok := strings.Cut(id, "@")
	if !ok {
		return fmt.Sprintf("%s.r%d", id, n)
	}
	return fmt.Sprintf("%s.r%d@%s", local, n, domain)
}

// oneRecipient is a Mailer's delivery to one recipient as a Poster, so the retry
// decorator bounds and repeats it like any post. A refusal of the recipient is not
// tried again in this run (a greylisting server would hold every recipient for
// minutes): it is kept aside and the retry loop sees a plain error.
type oneRecipient struct {
	m       publish.Mailer
	to      publish.Recipient
	id      string
	refused error
}

var errRefused = errors.New("the server refused the recipient")

func (o *oneRecipient) Post(ctx context.Context, p publish.Post) (publish.Receipt, error) {
	rec, err := o.m.Deliver(ctx, p, o.to, o.id)
	var re *publish.RecipientError
	if errors.As(err, &re) {
		o.refused = err
		return rec, errRefused
	}
	return rec, err
}

// Find cannot look (SMTP): after a message that may have arrived, the retry
// decorator sends it again, with the same Message-ID.
func (o *oneRecipient) Find(context.Context, string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, nil
}

func (o *oneRecipient) Verify(ctx context.Context) (string, error) { return o.m.Verify(ctx) }
