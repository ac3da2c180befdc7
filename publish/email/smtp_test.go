package email_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/email"
	"github.com/balikpapan/humas/publish/email/mailpittest"
)

const secret = "s3cret-smtp-password-4711"

// pdfBytes stands in for the release PDF (publish/pressdoc draws the real one; the
// scenarios attach it).
const pdfBytes = "%PDF-1.7\n% a stand-in\n%%EOF\n"

func doc() *publish.Document {
	wita := time.FixedZone("WITA", 8*3600)
	return &publish.Document{
		ID:        "kpu-diskominfo-tangkal-hoaks",
		Headline:  "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
		Number:    "012/HM/KPU-BPP/VI/2021",
		Date:      time.Date(2021, 6, 9, 13, 0, 0, 0, wita),
		Issuer:    "KPU Kota Balikpapan",
		IssuerKey: "kpu",
		Location:  wita,
		HTML:      "<p>KPU Kota Balikpapan <strong>bersinergi</strong> dengan Diskominfo.</p>",
		Markdown:  []byte("KPU Kota Balikpapan **bersinergi** dengan [Diskominfo](https://diskominfo.example/).\n\n- satu\n- dua\n"),
		Contact:   &publish.Contact{Name: "Ridwan", Role: "Subbag Teknis dan Hupmas", Phone: "+62 542 000000", Email: "humas@kpu.example.go.id"},
		PDF:       func() ([]byte, error) { return []byte(pdfBytes), nil },
	}
}

func post(d *publish.Document) publish.Post {
	return publish.Post{Text: "SIARAN PERS: " + d.Headline, Link: "https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/", Document: d}
}

func client(t *testing.T, s *mailpittest.Server, account string, mod func(*email.Config)) *email.Client {
	t.Helper()
	from, _ := mail.ParseAddress("Humas KPU Kota Balikpapan <humas@kpu.example.go.id>")
	cfg := email.Config{Account: account, From: from, Host: s.SMTPHost, Port: s.SMTPPort, TLS: email.NoTLS,
		Username: "humas", Password: secret, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := email.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func noSecret(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), secret) {
			t.Fatalf("the password is in an error: %v", e)
		}
	}
}

func TestEachRecipientGetsOneMessageAddressedToThemAlone(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	c := client(t, s, "kpu", nil)
	p := post(doc())
	to := []publish.Recipient{
		{Address: "budi@tribun.example", Name: "Budi Santoso", Outlet: "Tribun Kaltim"},
		{Address: "sari@kaltimpost.example", Name: "Sari", Outlet: "Kaltim Post"},
	}
	for _, r := range to {
		id := c.MessageID(p, r)
		rec, err := c.Deliver(ctx(t), p, r, id)
		if err != nil {
			t.Fatalf("deliver to %s: %v", r.Address, err)
		}
		if rec.ID != "<"+id+">" {
			t.Errorf("receipt %q, want the Message-ID <%s>", rec.ID, id)
		}
	}
	for _, r := range to {
		got, err := s.To(r.Address)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("%s received %d messages, want 1", r.Address, len(got))
		}
		m := got[0]
		if len(m.To) != 1 || !strings.EqualFold(m.To[0].Address, r.Address) || len(m.Cc) != 0 || len(m.Bcc) != 0 {
			t.Errorf("%s: To %v Cc %v Bcc %v, want the recipient alone", r.Address, m.To, m.Cc, m.Bcc)
		}
		if m.MessageID != c.MessageID(p, r) || !strings.HasSuffix(m.MessageID, "@humas.balikpapan.go.id") {
			t.Errorf("Message-ID %q, want %q at the site's domain", m.MessageID, c.MessageID(p, r))
		}
		if m.Subject != "SIARAN PERS: KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu" {
			t.Errorf("subject %q", m.Subject)
		}
		full, err := s.Message(m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Yth. " + r.Name + " (" + r.Outlet + ")", "Nomor: 012/HM/KPU-BPP/VI/2021", "Rabu, 9 Juni 2021",
			"bersinergi dengan Diskominfo (https://diskominfo.example/)", "- satu", "Selengkapnya: https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/",
			"Narahubung:", "Ridwan, Subbag Teknis dan Hupmas", "Telp. +62 542 000000", "-selesai-"} {
			if !strings.Contains(full.Text, want) {
				t.Errorf("plain text lacks %q:\n%s", want, full.Text)
			}
		}
		if strings.Contains(full.Text, "EMBARGO") || strings.Contains(full.Text, "Sumber:") {
			t.Errorf("an ordinary release from its issuer has no embargo and no credit:\n%s", full.Text)
		}
		for _, want := range []string{"<strong>bersinergi</strong>", `href="https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/"`, "-selesai-"} {
			if !strings.Contains(full.HTML, want) {
				t.Errorf("HTML lacks %q", want)
			}
		}
		if len(full.Attachments) != 1 || full.Attachments[0].FileName != "siaran-pers.pdf" || full.Attachments[0].ContentType != "application/pdf" {
			t.Fatalf("attachments %+v, want siaran-pers.pdf", full.Attachments)
		}
		pdf, err := s.Part(m.ID, full.Attachments[0].PartID)
		if err != nil || string(pdf) != pdfBytes {
			t.Errorf("attached PDF %q, %v; want the document's bytes", pdf, err)
		}
		h, err := s.Headers(m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := h["From"]; len(got) != 1 || !strings.Contains(got[0], "<humas@kpu.example.go.id>") {
			t.Errorf("From %q", got)
		}
		for k, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, secret) {
					t.Errorf("header %s carries the password", k)
				}
			}
		}
	}
}

func TestBeforeTheEmbargoTheMessageSaysSoFirst(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	c := client(t, s, "kpu", nil)
	d := doc()
	d.Embargo = time.Date(2021, 6, 9, 10, 0, 0, 0, time.UTC) // 18.00 WITA
	p := post(d)
	r := publish.Recipient{Address: "budi@tribun.example"}
	if _, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.To(r.Address)
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	line := "EMBARGO: tidak untuk disiarkan sebelum Rabu, 9 Juni 2021 pukul 18.00 WITA"
	if !strings.HasPrefix(got[0].Subject, "["+line+"] SIARAN PERS: ") {
		t.Errorf("subject %q, want it to start with the embargo in WITA", got[0].Subject)
	}
	full, _ := s.Message(got[0].ID)
	if !strings.HasPrefix(strings.ReplaceAll(full.Text, "\r\n", "\n"), line+"\n") {
		t.Errorf("the plain text does not start with the embargo:\n%s", full.Text)
	}
	if i := strings.Index(full.HTML, line); i < 0 || i > strings.Index(full.HTML, "SIARAN PERS") {
		t.Errorf("the HTML does not say the embargo before the release")
	}
}

func TestAPartnerCreditsTheIssuer(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	c := client(t, s, "diskominfo", nil)
	p := post(doc())
	r := publish.Recipient{Address: "budi@tribun.example"}
	if _, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.To(r.Address)
	full, _ := s.Message(got[0].ID)
	if !strings.Contains(full.Text, "Sumber: KPU Kota Balikpapan") || !strings.Contains(full.HTML, "Sumber: KPU Kota Balikpapan") {
		t.Errorf("the partner's message does not credit the issuer:\n%s", full.Text)
	}
	kpu := client(t, s, "kpu", nil)
	if kpu.MessageID(p, r) == c.MessageID(p, r) {
		t.Error("two institutions' messages to one journalist share a Message-ID: the second would be hidden as a duplicate")
	}
}

func TestARefusedRecipientIsThatRecipientsFailureAlone(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{AllowedRecipients: `@tribun\.example$`})
	c := client(t, s, "kpu", nil)
	p := post(doc())
	bad := publish.Recipient{Address: "ditolak@kaltimpost.example"}
	_, err := c.Deliver(ctx(t), p, bad, c.MessageID(p, bad))
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.Permanent || pe.Status < 500 || !strings.Contains(pe.Message, "refused the recipient") || publish.MayHavePosted(err) {
		t.Fatalf("refused recipient: %#v, want a permanent 5xx refusal of the recipient", err)
	}
	noSecret(t, err)
	good := publish.Recipient{Address: "budi@tribun.example"}
	if _, err := c.Deliver(ctx(t), p, good, c.MessageID(p, good)); err != nil {
		t.Fatalf("the next recipient on the same session: %v", err)
	}
	if got, _ := s.To(good.Address); len(got) != 1 {
		t.Errorf("the next recipient received %d messages", len(got))
	}
}

func TestA4xxIsTransientAndNothingIsSent(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{Chaos: true})
	c := client(t, s, "kpu", nil)
	if err := s.SetChaos("Recipient", 451); err != nil {
		t.Fatal(err)
	}
	p := post(doc())
	r := publish.Recipient{Address: "budi@tribun.example"}
	_, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r))
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.Transient || pe.Status != 451 || publish.MayHavePosted(err) {
		t.Fatalf("451 on RCPT: %#v, want transient 451", err)
	}
	if got, _ := s.To(r.Address); len(got) != 0 {
		t.Fatalf("a refused message was delivered")
	}
	if err := s.SetChaos("Recipient", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r)); err != nil {
		t.Fatalf("after the server recovers: %v", err)
	}
}

func TestARefusedLoginNamesTheVariablesNotThePassword(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{Chaos: true})
	if err := s.SetChaos("Authentication", 535); err != nil {
		t.Fatal(err)
	}
	c := client(t, s, "kpu", nil)
	_, err := c.Verify(ctx(t))
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.Permanent || !strings.Contains(err.Error(), "HUMAS_KPU_SMTP_USERNAME") {
		t.Fatalf("refused login: %v, want a permanent error naming the variables", err)
	}
	noSecret(t, err)
}

// A server's refusal may repeat the command it refuses, and AUTH PLAIN carries the
// password in base64 (RFC 4616), which anyone decodes: that form is a secret too.
func TestARefusalThatEchoesTheLoginShowsNoPassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				fmt.Fprint(conn, "220 echo ESMTP\r\n")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimRight(line, "\r\n")
					switch cmd := strings.ToUpper(line); {
					case strings.HasPrefix(cmd, "EHLO"):
						fmt.Fprint(conn, "250-echo\r\n250 AUTH PLAIN\r\n")
					case strings.HasPrefix(cmd, "AUTH"):
						fmt.Fprintf(conn, "535 5.7.8 authentication failed: %s\r\n", line)
					case strings.HasPrefix(cmd, "QUIT"):
						fmt.Fprint(conn, "221 bye\r\n")
						return
					default:
						fmt.Fprint(conn, "502 5.5.1 unknown\r\n")
					}
				}
			}()
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	from, _ := mail.ParseAddress("humas@kpu.example.go.id")
	var p int
	fmt.Sscan(port, &p)
	c, err := email.New(email.Config{Account: "kpu", From: from, Host: host, Port: p, TLS: email.NoTLS,
		Username: "humas", Password: secret, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_, err = c.Verify(ctx(t))
	if err == nil {
		t.Fatal("verify: want the refusal")
	}
	plain := strings.TrimRight(base64.StdEncoding.EncodeToString([]byte("\x00humas\x00"+secret)), "=")
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), plain) {
			t.Fatalf("the password, base64 as AUTH PLAIN sends it, is in an error: %v", e)
		}
	}
	noSecret(t, err)
}

func TestVerifySendsNothing(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	c := client(t, s, "kpu", nil)
	who, err := c.Verify(ctx(t))
	if err != nil || who != "humas@kpu.example.go.id" {
		t.Fatalf("verify = %q, %v", who, err)
	}
	if all, _ := s.Messages(); len(all) != 0 {
		t.Errorf("verify sent %d messages", len(all))
	}
}

func TestStartTLSIsRequiredAndVerified(t *testing.T) {
	dir := t.TempDir()
	pool, certFile, keyFile := testCert(t, dir)
	s := mailpittest.Start(t, mailpittest.Options{CertFile: certFile, KeyFile: keyFile, RequireTLS: true})

	trusted := client(t, s, "kpu", func(c *email.Config) {
		c.TLS, c.Host = email.StartTLS, "localhost"
		c.TLSConfig = &tls.Config{RootCAs: pool}
	})
	p := post(doc())
	r := publish.Recipient{Address: "budi@tribun.example"}
	if _, err := trusted.Deliver(ctx(t), p, r, trusted.MessageID(p, r)); err != nil {
		t.Fatalf("over STARTTLS: %v", err)
	}

	untrusted := client(t, s, "kpu", func(c *email.Config) { c.TLS, c.Host = email.StartTLS, "localhost" })
	_, err := untrusted.Verify(ctx(t))
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.Permanent || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an untrusted certificate: %v, want a permanent refusal", err)
	}
	noSecret(t, err)
}

func TestTLSFromTheFirstByte(t *testing.T) {
	pool, certFile, keyFile := testCert(t, t.TempDir())
	s := mailpittest.Start(t, mailpittest.Options{CertFile: certFile, KeyFile: keyFile, ImplicitTLS: true})
	c := client(t, s, "kpu", func(c *email.Config) {
		c.TLS, c.Host = email.TLS, "localhost"
		c.TLSConfig = &tls.Config{RootCAs: pool}
	})
	p := post(doc())
	r := publish.Recipient{Address: "budi@tribun.example"}
	if _, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r)); err != nil {
		t.Fatalf("over TLS: %v", err)
	}
	if got, _ := s.To(r.Address); len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	// A plain greeting never comes from a TLS port: the deadline ends the wait.
	plain := client(t, s, "kpu", func(c *email.Config) { c.TLS, c.Host, c.Timeout = email.StartTLS, "localhost", time.Second })
	_, err := plain.Verify(ctx(t))
	if err == nil || !strings.Contains(err.Error(), "HUMAS_KPU_SMTP_TLS=tls") {
		t.Fatalf("starttls to a TLS port: %v, want the fix", err)
	}
	noSecret(t, err)
}

func TestAServerThatRefusesTheMessageTookNothing(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{Chaos: true})
	if err := s.SetChaos("Sender", 550); err != nil {
		t.Fatal(err)
	}
	c := client(t, s, "kpu", nil)
	p := post(doc())
	r := publish.Recipient{Address: "budi@tribun.example"}
	_, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r))
	var pe *publish.Error
	var re *publish.RecipientError
	if !errors.As(err, &pe) || pe.Kind != publish.Permanent || pe.Delivery != publish.Sent || publish.MayHavePosted(err) || errors.As(err, &re) {
		t.Fatalf("MAIL FROM refused: %#v, want a permanent answer about the whole list, nothing delivered", err)
	}
	if !strings.Contains(err.Error(), "refused the sender humas@kpu.example.go.id") {
		t.Errorf("err = %v", err)
	}
}

func TestWithoutTLSOnlyToALoopbackHost(t *testing.T) {
	from, _ := mail.ParseAddress("humas@kpu.example.go.id")
	for _, host := range []string{"smtp.kpu.example.go.id", "10.0.0.5", "localhost.example.com"} {
		_, err := email.New(email.Config{Account: "kpu", From: from, Host: host, TLS: email.NoTLS, Password: secret})
		if err == nil || !strings.Contains(err.Error(), "HUMAS_KPU_SMTP_TLS=none") || !strings.Contains(err.Error(), "use starttls") {
			t.Errorf("none to %s: %v, want a refusal with the fix", host, err)
		}
		noSecret(t, err)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1", "[::1]"} {
		if _, err := email.New(email.Config{Account: "kpu", From: from, Host: host, TLS: email.NoTLS}); err != nil {
			t.Errorf("none to %s: %v", host, err)
		}
	}
}

func TestAnUnansweredMessageIsUncertainNotRefused(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	// A relay that passes everything through but never returns the answer to the
	// message's final dot: the message is delivered, humas cannot know.
	proxy := holdingProxy(t, s.SMTPAddr())
	c := client(t, s, "kpu", func(c *email.Config) {
		_, port, _ := net.SplitHostPort(proxy)
		c.Port = atoi(port)
		c.Timeout = 2 * time.Second
	})
	p := post(doc())
	r := publish.Recipient{Address: "budi@tribun.example"}
	_, err := c.Deliver(ctx(t), p, r, c.MessageID(p, r))
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.Transient || pe.Status != 0 || pe.Delivery != publish.MaybeSent || !publish.MayHavePosted(err) {
		t.Fatalf("unanswered: %#v, want transient, maybe sent (may have been delivered)", err)
	}
	if got, _ := s.To(r.Address); len(got) != 1 {
		t.Fatalf("the server holds %d messages", len(got))
	}
}

func holdingProxy(t *testing.T, target string) string {
	t.Helper()
	p, err := mailpittest.StartProxy(target, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p.Addr
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// testCert writes a self-signed certificate for localhost and returns the pool
// that trusts it.
func testCert(t *testing.T, dir string) (*x509.CertPool, string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool, certFile, keyFile
}

// BenchmarkDeliver sends one journalist's message, over one session, to a real
// SMTP server on loopback: the cost humas adds per recipient of a press list.
func BenchmarkDeliver(b *testing.B) {
	s := mailpittest.Start(b, mailpittest.Options{})
	from, _ := mail.ParseAddress("Humas KPU Kota Balikpapan <humas@kpu.example.go.id>")
	c, err := email.New(email.Config{Account: "kpu", From: from, Host: s.SMTPHost, Port: s.SMTPPort, TLS: email.NoTLS})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	p := post(doc())
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		r := publish.Recipient{Address: "wartawan" + itoa(i+1) + "@tribun.example"}
		if _, err := c.Deliver(ctx, p, r, c.MessageID(p, r)); err != nil {
			b.Fatal(err)
		}
	}
}

// A server that does not offer STARTTLS is named with the fix, in humas's words,
// not go-mail's ("STARTTLS mode set to: \"TLSMandatory\""); on this machine (a test
// server, Mailpit) the fix includes none, which only a loopback host may use.
func TestAServerWithoutSTARTTLSIsNamedWithTheFix(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	c := client(t, s, "kpu", func(c *email.Config) { c.TLS = email.StartTLS })
	_, err := c.Verify(ctx(t))
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.Permanent {
		t.Fatalf("err = %v, want a permanent refusal", err)
	}
	msg := err.Error()
	for _, want := range []string{"does not offer STARTTLS", "HUMAS_KPU_SMTP_TLS=tls", "HUMAS_KPU_SMTP_TLS=none"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "TLSMandatory") || strings.Contains(msg, "mode set to") {
		t.Errorf("go-mail's words leak: %q", msg)
	}
	noSecret(t, err)
}
