package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/platform/all"
	"github.com/balikpapan/humas/publish/preview"
	"github.com/balikpapan/humas/publish/project"
)

// mockup is what a reader sees of one post on the preview page.
type mockup struct {
	Heading string `json:"heading"` // "X · KPU Kota Balikpapan"
	Names   string `json:"names"`   // account name and handle
	Text    string `json:"text"`
	Meter   string `json:"meter"` // "235 / 280"
	Over    bool   `json:"over"`
	Images  []struct {
		Alt    string `json:"alt"`
		Loaded bool   `json:"loaded"`
	} `json:"images"`
	Quoted    string `json:"quoted"`    // the quoted post's author line, if any
	QuoteLink string `json:"quoteLink"` // the link to the issuer's post after the text (Telegram)
	CardText  string `json:"cardText"`  // the link card, if any
}

const readMockups = `[...document.querySelectorAll('article.post')].map(a => ({
	heading: a.querySelector('.platform').innerText.trim(),
	names: [...a.querySelectorAll('.card > .author .names > *')].map(e => e.innerText.trim()).join(' '),
	text: a.querySelector('.card > .text').innerText,
	meter: a.querySelector('.meter .count').innerText,
	over: a.querySelector('.meter').classList.contains('over'),
	images: [...a.querySelectorAll('img')].map(i => ({alt: i.alt, loaded: i.complete && i.naturalWidth > 0})),
	quoted: [...a.querySelectorAll('.quoted .author .names > *')].map(e => e.innerText.trim()).join(' '),
	cardText: (a.querySelector('.card > .linkcard') || {innerText: ''}).innerText.trim(),
	quoteLink: (a.querySelector('.card > .quote-link .link') || {innerText: ''}).innerText.trim(),
}))`

// checkJSON is the part of `humas check --json` the preview must agree with.
type checkJSON struct {
	Releases []struct {
		Targets []struct {
			Account  string `json:"account"`
			Platform string `json:"platform"`
			Text     string `json:"text"`
			Length   int    `json:"length"`
			Limit    int    `json:"limit"`
		} `json:"targets"`
	} `json:"releases"`
}

func TestPreviewShowsEveryPostAsItWillBeSent(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	url := srv.url + "_preview/kpu-diskominfo-tangkal-hoaks/"
	p := load(t, ctx, url)
	if len(p.Broken) > 0 {
		t.Errorf("images that did not load: %v", p.Broken)
	}
	posts, err := chromedp.Run(ctx, chromedp.Evaluate[[]mockup](readMockups))
	if err != nil {
		t.Fatal(err)
	}

	// What compose gives is what the pipeline sends; the page must show exactly it.
	proj, err := project.Open(srv.root)
	if err != nil {
		t.Fatal(err)
	}
	rel, diags := proj.Load(articleFile)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	all, err := compose.Compose(proj, rel)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 10 {
		t.Fatalf("compose gives %d targets for a release of both institutions on five platforms, want 10", len(all))
	}
	// The press's messages are drawn as mail (TestPreviewShowsTheMailAsItArrives).
	targets := social(all)
	if len(posts) != len(targets) {
		t.Fatalf("preview shows %d posts, want %d: %+v", len(posts), len(targets), posts)
	}
	handles := map[string]string{"kpu/x": "@kpubalikpapan", "diskominfo/x": "@diskominfobpp",
		"kpu/facebook": "Halaman Facebook", "diskominfo/facebook": "Halaman Facebook",
		"kpu/instagram": "@kpubalikpapan", "diskominfo/instagram": "@diskominfobpp",
		"kpu/telegram": "@kpubalikpapan", "diskominfo/telegram": "@diskominfobpp"}
	platforms := map[string]string{"x": "X", "facebook": "Facebook", "instagram": "Instagram", "telegram": "Telegram"}
	for i, tg := range targets {
		post := posts[i]
		key := tg.Account + "/" + tg.Platform
		t.Run(key, func(t *testing.T) {
			if want := platforms[tg.Platform] + " · " + tg.AccountName; !strings.HasSuffix(post.Heading, want) {
				t.Errorf("heading %q, want it to end with %q", post.Heading, want)
			}
			if want := tg.AccountName + " " + handles[key]; post.Names != want {
				t.Errorf("author line %q, want %q", post.Names, want)
			}
			if want := shown(tg.Platform, tg.Text); post.Text != want {
				t.Errorf("text shown differs from the composed text as the platform draws it\nshown:\n%s\ncomposed:\n%s", post.Text, want)
			}
			if want := number(tg.Length) + " / " + number(tg.Limit); post.Meter != want {
				t.Errorf("length meter %q, want %q", post.Meter, want)
			}
			if post.Over != (tg.Length > tg.Limit) {
				t.Errorf("meter over = %v for %d / %d", post.Over, tg.Length, tg.Limit)
			}
			for _, img := range post.Images {
				if !img.Loaded {
					t.Errorf("an image of the post did not load")
				}
			}
			switch {
			case tg.Quote && tg.Platform == "telegram":
				// The quote is a link to the issuer's message on the line after the text.
				if want := "https://t.me/kpubalikpapan/…"; post.QuoteLink != want {
					t.Errorf("link to the issuer's message %q, want %q", post.QuoteLink, want)
				}
				if post.Quoted != "" {
					t.Errorf("a Telegram message embeds no post: %+v", post)
				}
			case tg.Quote:
				if want := "KPU Kota Balikpapan @kpubalikpapan"; post.Quoted != want {
					t.Errorf("quote card author %q, want the issuer's X post, %q", post.Quoted, want)
				}
			case tg.Image != nil:
				if len(post.Images) == 0 || post.Images[0].Alt != tg.Image.Alt {
					t.Errorf("post image alt %+v, want %q", post.Images, tg.Image.Alt)
				}
			}
		})
	}

	t.Run("the article shows as on the site", func(t *testing.T) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`(() => {
			const d = document.querySelector('iframe').contentDocument;
			return {title: d.title, h1: d.querySelector('h1').innerText, text: d.body.innerText,
				broken: [...d.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if want := "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu"; got.H1 != want {
			t.Errorf("article h1 %q, want %q", got.H1, want)
		}
		inOrder(t, got.Text, []string{"Rabu, 9 Juni 2021", "012/HM/KPU-BPP/VI/2021", "Langkah bersama", "Ridwan"})
		if len(got.Broken) > 0 {
			t.Errorf("article images that did not load: %v", got.Broken)
		}
	})

	t.Run("texts equal what check --json composes", func(t *testing.T) {
		var got checkJSON
		if err := json.Unmarshal(humas(t, srv.root, "check", "--json", articleFile), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Releases) != 1 {
			t.Fatalf("check --json lists %d releases, want 1", len(got.Releases))
		}
		var listed []struct {
			Account  string `json:"account"`
			Platform string `json:"platform"`
			Text     string `json:"text"`
			Length   int    `json:"length"`
			Limit    int    `json:"limit"`
		}
		for _, tg := range got.Releases[0].Targets {
			if tg.Platform != "email" {
				listed = append(listed, tg)
			}
		}
		if len(listed) != len(posts) {
			t.Fatalf("check --json lists %d targets, the preview shows %d", len(listed), len(posts))
		}
		for i, tg := range listed {
			if want := platforms[tg.Platform] + " · " + targets[i].AccountName; tg.Account != targets[i].Account || !strings.HasSuffix(posts[i].Heading, want) {
				t.Errorf("target %d: check --json lists %s/%s, the preview shows %q", i+1, tg.Account, tg.Platform, posts[i].Heading)
			}
			if want := shown(tg.Platform, tg.Text); posts[i].Text != want {
				t.Errorf("%s/%s: preview shows\n%s\ncheck --json composes (as the platform draws it)\n%s", tg.Account, tg.Platform, posts[i].Text, want)
			}
			if want := number(tg.Length) + " / " + number(tg.Limit); posts[i].Meter != want {
				t.Errorf("%s/%s: preview meter %q, check --json says %s", tg.Account, tg.Platform, posts[i].Meter, want)
			}
		}
	})

	t.Run("page is accessible", func(t *testing.T) {
		checkAccessibility(t, ctx, "preview")
	})

	t.Run("screenshot", func(t *testing.T) {
		path, png := screenshot(t, ctx, "preview")
		t.Logf("screenshot: %s", path)
		if *updateScreenshot {
			dst := filepath.Join(suite.repo, "docs", "preview.png")
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", dst)
		}
	})
}

func TestPreviewFileOpensOffline(t *testing.T) {
	ctx := tab(t)
	root := copyProject(t)
	out := filepath.Join(t.TempDir(), "pratinjau.html")
	printed := strings.TrimSpace(string(humas(t, root, "preview", "--out", out, articleFile)))
	if printed != out {
		t.Errorf("printed %q, want the page's path %q", printed, out)
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
	p := load(t, ctx, "file://"+out)
	if len(p.Broken) > 0 {
		t.Errorf("images that did not load: %v", p.Broken)
	}
	posts, err := chromedp.Run(ctx, chromedp.Evaluate[[]mockup](readMockups))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 8 {
		t.Errorf("the file shows %d posts, want 8", len(posts))
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requests {
		if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "about:") {
			t.Errorf("the page fetched %s; a preview must open offline", u)
		}
	}
	if !slices.ContainsFunc(requests, func(u string) bool { return strings.HasPrefix(u, "file:") }) {
		t.Errorf("no request seen for the page itself, so the check above saw nothing: %v", requests)
	}
}

// social are the targets drawn as posts: all but the press's messages.
func social(targets []compose.Target) []compose.Target {
	var out []compose.Target
	for _, t := range targets {
		if t.Platform != "email" {
			out = append(out, t)
		}
	}
	return out
}

// shown is text as the preview draws it on platform: links as the platform shows
// them (X: without https://, cut with …), everything else as composed.
func shown(platform, text string) string {
	if pl, ok := all.Platforms().Lookup(platform); ok {
		return preview.DisplayText(text, pl.Look)
	}
	return text
}

// number writes n as the preview does, with Indonesian thousands separators: 63.206.
func number(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// An author's initials stand in for a profile picture: they must fit inside its
// circle, the small one of a quoted post too, or part of them shows white on white.
func TestPreviewInitialsFitTheirCircles(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	load(t, ctx, srv.url+"_preview/kpu-diskominfo-tangkal-hoaks/")
	over, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.avatar')].flatMap(a => {
		const r = document.createRange(); r.selectNodeContents(a);
		const text = r.getBoundingClientRect().width, box = a.getBoundingClientRect().width;
		return text > box * 0.85 ? [a.textContent + ': ' + text.toFixed(1) + ' px of text in a ' + box.toFixed(1) + ' px circle (' + (a.closest('.quoted') ? 'quoted' : 'author') + ')'] : [];
	})`))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range over {
		t.Errorf("initials wider than their circle: %s", o)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.quoted .avatar').length`))
	if err != nil || n == 0 {
		t.Fatalf("no quoted post's initials on the page (%v): the check above saw none", err)
	}
}
