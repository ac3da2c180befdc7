package preview

import (
	"encoding/base64"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// loadPress writes a project whose institutions each have a press list.
func loadPress(t *testing.T, src, kpuList string) (*project.Project, *release.Release) {
	t.Helper()
	cfg := strings.Replace(config, `    facebook: {page_id: "100000000000002"}`, `    facebook: {page_id: "100000000000002"}
    email: {from: "Humas KPU Kota Balikpapan <humas@kpu.example.go.id>", list: press/kpu.csv}`, 1)
	cfg = strings.Replace(cfg, `    facebook: {page_id: "100000000000001"}`, `    facebook: {page_id: "100000000000001"}
    email: {from: "humas@diskominfo.example.go.id", list: press/diskominfo.csv}`, 1)
	root := t.TempDir()
	files := map[string]string{
		"humas.yaml":                     cfg,
		"releases/foto.png":              string(png),
		"releases/2021-06-09-sinergi.md": src,
		"press/kpu.csv":                  kpuList,
		"press/diskominfo.csv":           "email,name,outlet\nrudi@radio.example,,Radio Balikpapan\n",
	}
	for name, data := range files {
		full := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	r, diags := p.Load("releases/2021-06-09-sinergi.md")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p, r
}

var mailRE = regexp.MustCompile(`(?s)<article class="mail" aria-labelledby="[^"]*">.*?</article>`)

// mails are the page's messages to the press, in order.
func mails(t *testing.T, page string) []string {
	t.Helper()
	return mailRE.FindAllString(page, -1)
}

const twoJournalists = "email,name,outlet\nbudi@tribun.example,Budi Santoso,Tribun Kaltim\nsari@kaltimpost.example,Sari,Kaltim Post\n"

func TestThePressIsShownItsMailNotAPost(t *testing.T) {
	p, r := loadPress(t, sinergi, twoJournalists)
	before := time.Date(2021, 6, 9, 8, 0, 0, 0, wita) // the embargo lifts at 10.00
	page, _ := render(t, p, r, Options{Now: before, Getenv: allSet})
	if strings.Contains(page, `class="post email"`) {
		t.Error("the press's message is drawn as a post")
	}
	if !strings.Contains(page, `<h2 id="email-pers">Email ke pers (2)</h2>`) || !strings.Contains(page, "Unggahan media sosial (4)") {
		t.Error("want four posts and two messages to the press")
	}
	ms := mails(t, page)
	if len(ms) != 2 {
		t.Fatalf("%d messages to the press, want one per list", len(ms))
	}
	kpu := ms[0]
	for _, want := range []string{
		"Email · KPU Kota Balikpapan",
		`<dd class="from"><strong>Humas KPU Kota Balikpapan</strong> &lt;humas@kpu.example.go.id&gt;</dd>`,
		`<span class="recipient">Budi Santoso &lt;budi@tribun.example&gt;</span> <span class="count">2 penerima, satu pesan per penerima</span> <span class="list">(daftar pers press/kpu.csv)</span>`,
		// The subject as publish writes it: marked while the embargo holds.
		`<dd class="subject">[EMBARGO: tidak untuk disiarkan sebelum Rabu, 9 Juni 2021 pukul 10.00 WITA] SIARAN PERS: KPU dan Diskominfo Bersinergi</dd>`,
		"selama embargo berlaku, bertanda EMBARGO",
		`download="siaran-pers.pdf" type="application/pdf">siaran-pers.pdf</a>`,
		`sandbox="allow-same-origin"`,
	} {
		if !strings.Contains(kpu, want) {
			t.Errorf("the KPU message lacks %s", want)
		}
	}
	if !strings.Contains(ms[1], `<dd class="from">&lt;humas@diskominfo.example.go.id&gt;</dd>`) || !strings.Contains(ms[1], "Dikirim ke daftar pers mitra, menyebut sumber") {
		t.Errorf("the partner's message: %s", ms[1])
	}
	body := html.UnescapeString(regexp.MustCompile(`srcdoc="([^"]*)"`).FindStringSubmatch(kpu)[1])
	for _, want := range []string{"<!DOCTYPE html>", "Yth. Budi Santoso (Tribun Kaltim)", "EMBARGO: tidak untuk disiarkan sebelum", "-selesai-"} {
		if !strings.Contains(body, want) {
			t.Errorf("the body lacks %q", want)
		}
	}
	href := html.UnescapeString(regexp.MustCompile(`href="(data:application/pdf;base64,[^"]*)"`).FindStringSubmatch(kpu)[1])
	pdf, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(href, "data:application/pdf;base64,"))
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("the attachment's link is not the PDF: %v %.10q", err, pdf)
	}

	// After the embargo the message is an ordinary one.
	page, _ = render(t, p, r, Options{Now: before.Add(3 * time.Hour), Getenv: allSet})
	if kpu := mails(t, page)[0]; strings.Contains(kpu, "EMBARGO") || !strings.Contains(kpu, `<dd class="subject">SIARAN PERS: KPU dan Diskominfo Bersinergi</dd>`) {
		t.Errorf("after the embargo: %s", kpu)
	}
}

func TestNoScriptReachesTheMailBody(t *testing.T) {
	src := strings.Replace(sinergi, "sepakat saling membagikan klarifikasi hoaks.",
		"sepakat <script>alert(1)</script> [membagikan](javascript:alert(2)) klarifikasi <img src=x onerror=alert(3)> hoaks.", 1)
	p, r := loadPress(t, src, twoJournalists)
	page, _ := render(t, p, r, Options{Now: time.Date(2021, 6, 9, 12, 0, 0, 0, wita), Getenv: allSet})
	body := html.UnescapeString(regexp.MustCompile(`srcdoc="([^"]*)"`).FindStringSubmatch(mails(t, page)[0])[1])
	// What was inside the script tags is left as words; no tag, handler or
	// javascript: link is.
	for _, bad := range []string{"<script", "javascript:", "onerror", "<img"} {
		if strings.Contains(strings.ToLower(body), bad) {
			t.Errorf("the mail body holds %q:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, "klarifikasi") {
		t.Errorf("the text around it is gone:\n%s", body)
	}
}

func TestAPressListWithProblemsSaysNobodyIsSent(t *testing.T) {
	p, r := loadPress(t, sinergi, "email,name,outlet\nbudi@tribun.example,,\nBudi@Tribun.example,,\n")
	page, _ := render(t, p, r, Options{Now: time.Date(2021, 6, 9, 12, 0, 0, 0, wita), Getenv: allSet})
	kpu := mails(t, page)[0]
	if !strings.Contains(kpu, "Daftar pers press/kpu.csv bermasalah (1 galat, lihat di atas): tidak ada wartawan yang dikirimi sampai diperbaiki") {
		t.Errorf("the message to a bad list: %s", kpu)
	}
	if strings.Contains(kpu, "Yth.") || strings.Contains(kpu, `class="count"`) {
		t.Errorf("a bad list is drawn with a recipient: %s", kpu)
	}
}
