package e2e

import (
	"bytes"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// shareView is what a reader finds at the end of an article to pass it on.
type shareView struct {
	Links []struct {
		Text string `json:"text"`
		Href string `json:"href"`
	} `json:"links"`
	CopyShown bool   `json:"copyShown"`
	PDF       string `json:"pdf"`
}

const readShare = `({
	links: [...document.querySelectorAll('.share a')].map(a => ({text: a.innerText.trim(), href: a.href})),
	copyShown: (() => { const b = document.querySelector('.share button'); return !!b && b.offsetParent !== null; })(),
	pdf: (document.querySelector('.download a') || {href: ''}).href,
})`

// The clipboard of a headless browser is not the test's to read: the page's own
// script is handed a clipboard that keeps what it is given.
const fakeClipboard = `Object.defineProperty(navigator, 'clipboard', {configurable: true,
	value: {writeText: t => { window.copied = t; return Promise.resolve(); }}}); true`

func TestArticlesAreSharedWithPlainLinksAndLoadNothingFromElsewhere(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	base, err := url.Parse(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var requests []string
	chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	})
	const article = "https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/"
	for _, path := range []string{"kpu-diskominfo-tangkal-hoaks/", "hoaks-fotokopi-ktp/"} {
		p := load(t, ctx, srv.url+path)
		if len(p.Broken) > 0 {
			t.Errorf("%s: images that did not load: %v", path, p.Broken)
		}
	}
	mu.Lock()
	for _, u := range requests {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "data" && pu.Host != base.Host) {
			t.Errorf("an article page fetched %s: it may load nothing from elsewhere", u)
		}
	}
	if len(requests) == 0 {
		t.Error("no request seen, so the check above saw nothing")
	}
	mu.Unlock()

	load(t, ctx, srv.url+"kpu-diskominfo-tangkal-hoaks/")
	s, err := chromedp.Run(ctx, chromedp.Evaluate[shareView](readShare))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"WhatsApp": "https://wa.me/?text=",
		"Telegram": "https://t.me/share/url?url=",
		"Facebook": "https://www.facebook.com/sharer/sharer.php?u=",
		"X":        "https://x.com/intent/tweet?text=",
	}
	for _, l := range s.Links {
		prefix, ok := want[l.Text]
		if !ok {
			t.Errorf("unexpected share link %q", l.Text)
			continue
		}
		delete(want, l.Text)
		if !strings.HasPrefix(l.Href, prefix) || !strings.Contains(l.Href, url.QueryEscape(article)) {
			t.Errorf("%s shares %s, want %s… with the article's address", l.Text, l.Href, prefix)
		}
	}
	for name := range want {
		t.Errorf("no %s share link", name)
	}
	if !s.CopyShown {
		t.Fatal("the copy button does not show, though the page's script ran")
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fakeClipboard)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".share button"))); err != nil {
		t.Fatal(err)
	}
	copied, err := chromedp.Run(ctx, chromedp.Poll[string](`window.copied && document.querySelector('.share [role=status]').innerText.trim() === 'Tautan disalin.' && window.copied`))
	if err != nil || copied != article {
		t.Errorf("the copy button copied %q (%v), want %q, and says so", copied, err, article)
	}
	checkAccessibility(t, ctx, "article with share links")
	shot, _ := screenshot(t, ctx, "article-share")
	t.Logf("screenshot: %s", shot)

	// The PDF the page links is there, as the press receives it.
	if !strings.HasSuffix(s.PDF, "/kpu-diskominfo-tangkal-hoaks/siaran-pers.pdf") {
		t.Fatalf("the page links %q for its PDF", s.PDF)
	}
	if pdf := fetch(t, s.PDF); !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("%s is not a PDF", s.PDF)
	}
}

func TestThePreviewCopiesTheWhatsAppMessage(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	load(t, ctx, srv.url+"_preview/kpu-diskominfo-tangkal-hoaks/")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fakeClipboard)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-salin="wa-text"]`))); err != nil {
		t.Fatal(err)
	}
	copied, err := chromedp.Run(ctx, chromedp.Poll[string](`window.copied`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(copied, "*KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu*\n_Siaran Pers · KPU Kota Balikpapan · Rabu, 9 Juni 2021_") ||
		!strings.Contains(copied, "\nSelengkapnya: https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/") {
		t.Errorf("the copy button copied:\n%s", copied)
	}
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.wa-actions a').href`))
	if err != nil || !strings.HasPrefix(link, "https://wa.me/?text=%2AKPU%20Balikpapan%20dan%20Diskominfo") {
		t.Errorf("the WhatsApp link is %q (%v)", link, err)
	}
	shot, _ := screenshot(t, ctx, "preview-whatsapp")
	t.Logf("screenshot: %s", shot)
}
