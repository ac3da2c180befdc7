package e2e

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/balikpapan/humas/publish/email/mailpittest"
)

// mailMockup is what a reader sees of one message to the press on the preview page.
type mailMockup struct {
	Heading     string `json:"heading"` // "Email · KPU Kota Balikpapan"
	From        string `json:"from"`
	Recipient   string `json:"recipient"`
	Count       string `json:"count"` // "3 penerima, satu pesan per penerima"
	List        string `json:"list"`
	Subject     string `json:"subject"`
	Attachments []struct {
		Name     string `json:"name"`
		Download string `json:"download"`
		Href     string `json:"href"`
		Size     string `json:"size"`
	} `json:"attachments"`
	Sandbox string `json:"sandbox"`
	Srcdoc  string `json:"srcdoc"`
	Body    string `json:"body"` // what the frame shows, as text
	Scripts int    `json:"scripts"`
}

const readMails = `[...document.querySelectorAll('article.mail')].map(a => {
	const f = a.querySelector('iframe.mail-body');
	const d = f.contentDocument;
	const text = sel => (a.querySelector(sel) || {innerText: ''}).innerText.trim();
	return {
		heading: [...a.querySelector('.platform').childNodes].filter(n => !(n.classList && n.classList.contains('logo'))).map(n => n.textContent).join('').trim(),
		from: text('.headers .from'),
		recipient: text('.headers .recipient'),
		count: text('.headers .count'),
		list: text('.headers .list'),
		subject: text('.headers .subject'),
		attachments: [...a.querySelectorAll('.attachments a')].map(l => ({
			name: l.innerText.trim(), download: l.getAttribute('download'), href: l.href,
			size: (l.nextElementSibling || {innerText: ''}).innerText.trim()})),
		sandbox: f.getAttribute('sandbox'),
		srcdoc: f.getAttribute('srcdoc'),
		body: d.body.innerText,
		scripts: d.scripts.length,
	};
})`

// The preview shows each institution's message to the press as the journalist's
// mail program will show it, and what it shows is what the mail scenario sends:
// the same release published with --only email to a real mail server (Mailpit)
// delivers that subject, from that sender, to that many journalists, with that
// HTML and that PDF.
func TestPreviewShowsTheMailAsItArrives(t *testing.T) {
	ctx := tab(t)
	server := mailpittest.Start(t, mailpittest.Options{})
	root := copyProject(t)
	out := filepath.Join(t.TempDir(), "pratinjau.html")
	humas(t, root, "preview", "--out", out, articleFile)
	p := load(t, ctx, "file://"+out)
	if len(p.Broken) > 0 {
		t.Errorf("images that did not load: %v", p.Broken)
	}
	mails, err := chromedp.Run(ctx, chromedp.Evaluate[[]mailMockup](readMails))
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 2 {
		t.Fatalf("the preview shows %d messages to the press, want one per institution's list: %+v", len(mails), mails)
	}

	t.Run("drawn as a mail program shows it", func(t *testing.T) {
		for _, m := range mails {
			if m.Sandbox != "allow-same-origin" || m.Scripts != 0 || strings.Contains(strings.ToLower(m.Srcdoc), "<script") {
				t.Errorf("%s: the body is framed with sandbox=%q and %d scripts; want no script able to run", m.Heading, m.Sandbox, m.Scripts)
			}
			inOrder(t, m.Body, []string{"Yth. ", "SIARAN PERS", "Nomor: 012/HM/KPU-BPP/VI/2021", "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
				"Langkah bersama", "Selengkapnya: https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/", "Narahubung:", "Ridwan", "-selesai-"})
			if len(m.Attachments) != 1 || m.Attachments[0].Name != "siaran-pers.pdf" || m.Attachments[0].Download != "siaran-pers.pdf" {
				t.Errorf("%s: attachments %+v, want siaran-pers.pdf to save", m.Heading, m.Attachments)
			}
		}
		if !strings.Contains(mails[1].Body, "Sumber: KPU Kota Balikpapan") || strings.Contains(mails[0].Body, "Sumber:") {
			t.Errorf("the partner's message credits the issuer, the issuer's does not: %q / %q", mails[0].Body, mails[1].Body)
		}
	})

	// The mail scenario: the same release, to the same lists, on a real server.
	var env []string
	for _, acc := range []string{"KPU", "DISKOMINFO"} {
		env = append(env, "HUMAS_"+acc+"_SMTP_HOST="+server.SMTPHost, "HUMAS_"+acc+"_SMTP_PORT="+strconv.Itoa(server.SMTPPort), "HUMAS_"+acc+"_SMTP_TLS=none")
	}
	cmd := exec.Command(suite.bin, "-C", root, "publish", "--only", "email", articleFile)
	cmd.Env = append(os.Environ(), env...)
	if outp, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("humas publish --only email: %v\n%s", err, outp)
	}

	for _, m := range mails {
		t.Run(m.Heading, func(t *testing.T) {
			all, err := server.Messages()
			if err != nil {
				t.Fatal(err)
			}
			var sent []string // recipients of this sender
			var first string  // the message to the recipient the preview draws
			for _, s := range all {
				if s.From == nil || !strings.Contains(m.From, "<"+s.From.Address+">") {
					continue
				}
				if want := s.From.Name + " <" + s.From.Address + ">"; m.From != want {
					t.Errorf("preview from %q, sent from %q", m.From, want)
				}
				if s.Subject != m.Subject {
					t.Errorf("preview subject %q, sent %q", m.Subject, s.Subject)
				}
				if len(s.To) != 1 {
					t.Fatalf("a message to %v: one journalist a message", s.To)
				}
				sent = append(sent, s.To[0].Address)
				if strings.Contains(m.Recipient, "<"+s.To[0].Address+">") {
					first = s.ID
				}
			}
			if want := strconv.Itoa(len(sent)) + " penerima, satu pesan per penerima"; m.Count != want || len(sent) == 0 || len(slices.Compact(slices.Sorted(slices.Values(sent)))) != len(sent) {
				t.Errorf("preview says %q; the list was sent %d messages (%v)", m.Count, len(sent), sent)
			}
			if first == "" {
				t.Fatalf("no message was sent to %s, the recipient the preview draws", m.Recipient)
			}
			msg, err := server.Message(first)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(strings.ReplaceAll(msg.HTML, "\r\n", "\n")); got != strings.TrimSpace(m.Srcdoc) {
				t.Errorf("the body the preview frames differs from the HTML sent to %s\npreview:\n%s\nsent:\n%s", m.Recipient, m.Srcdoc, got)
			}
			if len(msg.Attachments) != 1 {
				t.Fatalf("attachments sent: %+v", msg.Attachments)
			}
			pdf, err := server.Part(msg.ID, msg.Attachments[0].PartID)
			if err != nil {
				t.Fatal(err)
			}
			shown, err := dataURI(m.Attachments[0].Href, "application/pdf")
			if err != nil {
				t.Fatal(err)
			}
			if string(shown) != string(pdf) || !strings.HasPrefix(string(pdf), "%PDF-") {
				t.Errorf("the PDF the preview links (%d bytes) is not the one attached (%d bytes, %s)", len(shown), len(pdf), msg.Attachments[0].FileName)
			}
			built, err := os.ReadFile(filepath.Join(root, "public", "kpu-diskominfo-tangkal-hoaks", "siaran-pers.pdf"))
			if err != nil || string(built) != string(pdf) {
				t.Errorf("the PDF attached is not the one the site links (%v)", err)
			}
		})
	}

	t.Run("page is accessible", func(t *testing.T) {
		checkAccessibility(t, ctx, "preview with mail")
	})
	t.Run("each message is accessible as the journalist opens it", func(t *testing.T) {
		for i, m := range mails {
			f := filepath.Join(t.TempDir(), "surel"+strconv.Itoa(i)+".html")
			if err := os.WriteFile(f, []byte(m.Srcdoc), 0o644); err != nil {
				t.Fatal(err)
			}
			load(t, ctx, "file://"+f)
			checkAccessibility(t, ctx, m.Heading)
		}
	})
}

// dataURI decodes a base64 data: URI of type typ.
func dataURI(uri, typ string) ([]byte, error) {
	b64, ok := strings.CutPrefix(uri, "data:"+typ+";base64,")
	if !ok {
		return nil, &os.PathError{Op: "read data URI", Path: uri[:min(len(uri), 40)], Err: os.ErrInvalid}
	}
	return base64.StdEncoding.DecodeString(b64)
}
