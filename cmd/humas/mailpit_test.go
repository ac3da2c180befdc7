package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/balikpapan/humas/publish/email/mailpittest"
)

const mailpitKey = "mailpit"

// mailpitHolder is stored in the scenario's values so commands find its server.
type mailpitHolder struct {
	s      *mailpittest.Server
	proxy  *mailpittest.Proxy
	secret string
}

// mailpitCondition is the [mailpit] condition: a real SMTP server can be run.
// Under CI=true a missing one is an error, not a skip.
func mailpitCondition() (bool, error) {
	if mailpittest.Binary() != "" {
		return true, nil
	}
	if os.Getenv("CI") == "true" {
		return false, fmt.Errorf("mailpit is not installed, and CI must run the mail scenarios: %s", mailpittest.Install)
	}
	return false, nil
}

// cmdMailpit runs a real SMTP server (Mailpit) for a scenario and reads it back:
//
//	mailpit start [hold-after N] [refuse REGEXP]   start it on loopback, set every account's
//	                                               HUMAS_<ACCOUNT>_SMTP_* (no TLS: loopback);
//	                                               hold-after: the answer to message N+1 is held
//	                                               back (the message is delivered); refuse: only
//	                                               recipients matching REGEXP are accepted
//	mailpit wait-held                              wait (20s at most) until that answer is held
//	mailpit received TO FROM N                     TO has exactly N distinct messages (by
//	                                               Message-ID) from FROM, each to TO alone
//	mailpit copies TO FROM N                       TO's mailbox holds exactly N copies from FROM
//	mailpit subject TO FROM REGEXP                 the newest message's subject matches
//	mailpit text TO FROM REGEXP                    its plain text matches
//	mailpit html TO FROM REGEXP                    its HTML matches
//	mailpit message-id TO FROM REGEXP              its Message-ID matches (without < >)
//	mailpit attachment TO FROM NAME TYPE PREFIX    it has one attachment NAME of TYPE whose bytes
//	                                               start with PREFIX
//	mailpit total N                                the server holds exactly N messages
//	mailpit no-secrets [FILE…]                     the SMTP password is in no output or file
func cmdMailpit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: mailpit start|wait-held|received|copies|subject|text|html|message-id|attachment|total|no-secrets …")
	}
	h := ts.Value(mailpitKey).(*mailpitHolder)
	if args[0] == "start" {
		startMailpit(ts, h, args[1:])
		return
	}
	if h.s == nil {
		ts.Fatalf("mailpit: run 'mailpit start' first")
	}
	s := h.s
	switch args[0] {
	case "wait-held":
		select {
		case <-h.proxy.Held():
		case <-time.After(20 * time.Second):
			ts.Fatalf("mailpit: no answer was held back in 20s")
		}
	case "received", "copies":
		if len(args) != 4 {
			ts.Fatalf("usage: mailpit %s TO FROM N", args[0])
		}
		msgs := from(ts, s, args[1], args[2])
		ids := map[string]bool{}
		for _, m := range msgs {
			ids[m.MessageID] = true
			if len(m.To) != 1 || len(m.Cc) != 0 || len(m.Bcc) != 0 {
				ts.Fatalf("message %s: To %v Cc %v Bcc %v: want %s alone", m.MessageID, m.To, m.Cc, m.Bcc, args[1])
			}
		}
		got := len(msgs)
		if args[0] == "received" {
			got = len(ids)
		}
		if want := atoi(ts, args[3]); (got == want) == neg {
			ts.Fatalf("mailpit: %s %s from %s: %d, want %d (%d copies, ids %v)", args[0], args[1], args[2], got, want, len(msgs), keys(ids))
		}
	case "subject", "text", "html", "message-id":
		if len(args) != 4 {
			ts.Fatalf("usage: mailpit %s TO FROM REGEXP", args[0])
		}
		m := newest(ts, s, args[1], args[2])
		got := m.Subject
		switch args[0] {
		case "text":
			got = strings.ReplaceAll(m.Text, "\r\n", "\n")
		case "html":
			got = m.HTML
		case "message-id":
			got = m.MessageID
		}
		re, err := regexp.Compile("(?m)" + args[3])
		ts.Check(err)
		if re.MatchString(got) == neg {
			ts.Fatalf("mailpit: %s of the message to %s: %q does not match %q", args[0], args[1], got, args[3])
		}
	case "attachment":
		if len(args) != 6 {
			ts.Fatalf("usage: mailpit attachment TO FROM NAME TYPE PREFIX")
		}
		m := newest(ts, s, args[1], args[2])
		if len(m.Attachments) != 1 || m.Attachments[0].FileName != args[3] || m.Attachments[0].ContentType != args[4] {
			ts.Fatalf("mailpit: attachments %+v, want one %s (%s)", m.Attachments, args[3], args[4])
		}
		data, err := s.Part(m.ID, m.Attachments[0].PartID)
		ts.Check(err)
		if !strings.HasPrefix(string(data), args[5]) {
			ts.Fatalf("mailpit: %s starts %q, want %q", args[3], string(data[:min(len(data), 16)]), args[5])
		}
	case "total":
		all, err := s.Messages()
		ts.Check(err)
		if want := atoi(ts, args[1]); (len(all) == want) == neg {
			ts.Fatalf("mailpit: %d messages, want %d", len(all), want)
		}
	case "no-secrets":
		files := append([]string{}, args[1:]...)
		for _, name := range files {
			if strings.Contains(ts.ReadFile(name), h.secret) {
				ts.Fatalf("mailpit: the SMTP password is in %s", name)
			}
		}
		for _, name := range []string{"stdout", "stderr"} {
			if strings.Contains(ts.ReadFile(name), h.secret) {
				ts.Fatalf("mailpit: the SMTP password is in %s", name)
			}
		}
	default:
		ts.Fatalf("mailpit: unknown subcommand %q", args[0])
	}
}

func startMailpit(ts *testscript.TestScript, h *mailpitHolder, args []string) {
	if h.s != nil {
		ts.Fatalf("mailpit already started")
	}
	bin := mailpittest.Binary()
	if bin == "" {
		ts.Fatalf("mailpit is not installed (guard the scenario with [!mailpit] skip): %s", mailpittest.Install)
	}
	var o mailpittest.Options
	hold := -1
	for len(args) >= 2 {
		switch args[0] {
		case "hold-after":
			hold = atoi(ts, args[1])
		case "refuse":
			o.AllowedRecipients = args[1]
		default:
			ts.Fatalf("mailpit start: unknown option %q", args[0])
		}
		args = args[2:]
	}
	s, err := mailpittest.Launch(bin, o, ts.MkAbs(".mailpit"))
	ts.Check(err)
	h.s = s
	ts.Defer(s.Stop)
	p, err := mailpittest.StartProxy(s.SMTPAddr(), hold)
	ts.Check(err)
	h.proxy = p
	ts.Defer(p.Close)
	_, port, _ := strings.Cut(p.Addr, ":")
	h.secret = fmt.Sprintf("s3cret-smtp-%d", time.Now().UnixNano())
	for _, a := range testAccounts {
		up := "HUMAS_" + strings.ToUpper(a.key) + "_SMTP_"
		ts.Setenv(up+"HOST", "127.0.0.1")
		ts.Setenv(up+"PORT", port)
		ts.Setenv(up+"TLS", "none")
		ts.Setenv(up+"USERNAME", "humas-"+a.key)
		ts.Setenv(up+"PASSWORD", h.secret)
	}
}

// from lists the messages to to whose From address is from.
func from(ts *testscript.TestScript, s *mailpittest.Server, to, from string) []mailpittest.Summary {
	msgs, err := s.To(to)
	ts.Check(err)
	var out []mailpittest.Summary
	for _, m := range msgs {
		if m.From != nil && strings.EqualFold(m.From.Address, from) {
			out = append(out, m)
		}
	}
	return out
}

func newest(ts *testscript.TestScript, s *mailpittest.Server, to, sender string) *mailpittest.Message {
	msgs := from(ts, s, to, sender)
	if len(msgs) == 0 {
		ts.Fatalf("mailpit: no message to %s from %s", to, sender)
	}
	m, err := s.Message(msgs[0].ID)
	ts.Check(err)
	return m
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
