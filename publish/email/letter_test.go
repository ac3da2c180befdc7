package email_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/email"
	"github.com/balikpapan/humas/publish/email/mailpittest"
	"github.com/balikpapan/humas/publish/platform"
)

// The preview draws the press's message with Platform.Letter; what it draws must
// be what a journalist receives, read back from a real mail server: sender,
// subject with its EMBARGO mark, both bodies with the greeting and the partner's
// credit, and the PDF.
func TestTheLetterThePreviewDrawsIsTheMessageSent(t *testing.T) {
	s := mailpittest.Start(t, mailpittest.Options{})
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "press"), 0o755); err != nil {
		t.Fatal(err)
	}
	list := "email,name,outlet\nbudi@tribun.example,Budi Santoso,Tribun Kaltim\nsari@kaltimpost.example,Sari,Kaltim Post\n"
	if err := os.WriteFile(filepath.Join(root, "press", "diskominfo.csv"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	// A partner's list, before the embargo: the credit and the EMBARGO mark.
	acc := platform.Account{Key: "diskominfo", Platform: "email", Settings: map[string]string{
		"from": "Humas Diskominfo Kota Balikpapan <humas@diskominfo.example.go.id>", "list": "press/diskominfo.csv"}}
	d := doc()
	d.Embargo = d.Date.Add(3 * time.Hour)
	p := post(d)
	now := d.Date

	poster, err := email.Platform.New(platform.Conn{Account: acc, Root: root, Secrets: map[string]string{
		"SMTP_HOST": s.SMTPHost, "SMTP_PORT": strconv.Itoa(s.SMTPPort), "SMTP_TLS": email.NoTLS}})
	if err != nil {
		t.Fatal(err)
	}
	c := poster.(*email.Client)
	t.Cleanup(func() { c.Close() })
	rs, err := c.Recipients()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Deliver(ctx(t), p, rs[0], c.MessageID(p, rs[0])); err != nil {
		t.Fatal(err)
	}
	got, err := s.To("budi@tribun.example")
	if err != nil || len(got) != 1 {
		t.Fatalf("budi received %v, %v", got, err)
	}
	sent, err := s.Message(got[0].ID)
	if err != nil {
		t.Fatal(err)
	}

	l, problems, err := email.Platform.Letter(root, acc, p, now)
	if err != nil || len(problems) > 0 {
		t.Fatalf("letter: %v %v", problems, err)
	}
	if sent.From == nil || l.FromName != sent.From.Name || l.FromAddress != sent.From.Address {
		t.Errorf("letter from %q <%s>, sent from %+v", l.FromName, l.FromAddress, sent.From)
	}
	if l.To.Address != "budi@tribun.example" || l.List != "press/diskominfo.csv" || l.Count != 2 {
		t.Errorf("letter to %+v, list %s of %d", l.To, l.List, l.Count)
	}
	if l.Subject != sent.Subject || !strings.HasPrefix(l.Subject, "[EMBARGO: tidak untuk disiarkan sebelum Rabu, 9 Juni 2021 pukul 16.00 WITA] SIARAN PERS: ") {
		t.Errorf("letter subject %q, sent %q", l.Subject, sent.Subject)
	}
	if text := strings.ReplaceAll(sent.Text, "\r\n", "\n"); strings.TrimSpace(l.Text) != strings.TrimSpace(text) {
		t.Errorf("letter text\n%s\nsent\n%s", l.Text, text)
	}
	if html := strings.ReplaceAll(sent.HTML, "\r\n", "\n"); strings.TrimSpace(l.HTML) != strings.TrimSpace(html) {
		t.Errorf("letter HTML\n%s\nsent\n%s", l.HTML, html)
	}
	for _, want := range []string{"Yth. Budi Santoso (Tribun Kaltim)", "Sumber: KPU Kota Balikpapan", "EMBARGO: tidak untuk disiarkan"} {
		if !strings.Contains(l.Text, want) || !strings.Contains(l.HTML, want) {
			t.Errorf("the letter lacks %q", want)
		}
	}
	if len(l.Attachments) != 1 || len(sent.Attachments) != 1 {
		t.Fatalf("letter attachments %d, sent %+v", len(l.Attachments), sent.Attachments)
	}
	a := l.Attachments[0]
	data, err := s.Part(sent.ID, sent.Attachments[0].PartID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != sent.Attachments[0].FileName || a.Type != sent.Attachments[0].ContentType || string(a.Data) != string(data) {
		t.Errorf("letter attaches %s (%s, %d bytes), sent %+v (%d bytes)", a.Name, a.Type, len(a.Data), sent.Attachments[0], len(data))
	}
}

// A list with problems is drawn without a recipient, its problems said.
func TestALetterToABadListSaysWhy(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "press"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "press", "kpu.csv"), []byte("email,name,outlet\nbudi@tribun.example,,\nBUDI@tribun.example,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	acc := platform.Account{Key: "kpu", Platform: "email", Settings: map[string]string{"from": "humas@kpu.example.go.id", "list": "press/kpu.csv"}}
	l, problems, err := email.Platform.Letter(root, acc, post(doc()), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Line != 3 || !strings.Contains(problems[0].Message, "listed twice") {
		t.Errorf("problems %+v, want the duplicate at line 3", problems)
	}
	if l.To != (publish.Recipient{}) || l.Count != 0 || l.Subject == "" || !strings.Contains(l.HTML, "SIARAN PERS") || strings.Contains(l.Text, "Yth.") {
		t.Errorf("letter to a bad list: to %+v, count %d, subject %q", l.To, l.Count, l.Subject)
	}
}
