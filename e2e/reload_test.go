package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const articleFile = "releases/2021-06-09-kpu-diskominfo-tangkal-hoaks.md"

// waitFor polls the open page until expr (JavaScript) gives want, and returns how
// long that took from since. Errors while the page reloads are expected and ignored.
func waitFor(t *testing.T, ctx context.Context, expr, want string, since time.Time) time.Duration {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		c, cancel := context.WithTimeout(ctx, time.Second)
		v, err := chromedp.Run(c, chromedp.Evaluate[string](expr))
		cancel()
		if err == nil {
			got = v
			if v == want {
				return time.Since(since)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("after 15s the page still shows %q for %s, want %q", got, expr, want)
	return 0
}

// editRelease rewrites one front-matter line of the served project's article.
func editRelease(t *testing.T, root, from, to string) time.Time {
	t.Helper()
	path := filepath.Join(root, articleFile)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), from) {
		t.Fatalf("%s has no %q", articleFile, from)
	}
	start := time.Now()
	if err := os.WriteFile(path, []byte(strings.Replace(string(src), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return start
}

func TestOpenPageReloadsWhenTheReleaseChanges(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	const title = "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu"
	const h1 = `(document.querySelector('h1') || {}).innerText || ''`
	load(t, ctx, srv.url+"kpu-diskominfo-tangkal-hoaks/")

	current := "title: " + title
	var took []time.Duration
	for i := 1; i <= 5; i++ {
		next := fmt.Sprintf("title: %s (pembaruan %d)", title, i)
		start := editRelease(t, srv.root, current, next)
		took = append(took, waitFor(t, ctx, h1, strings.TrimPrefix(next, "title: "), start))
		current = next
	}
	slices.Sort(took)
	t.Logf("save to reloaded page, 5 edits: min %s, median %s, max %s (target under 1s; debounce 100ms)",
		took[0].Round(time.Millisecond), took[2].Round(time.Millisecond), took[4].Round(time.Millisecond))

	t.Run("a broken release shows its error in the page", func(t *testing.T) {
		start := editRelease(t, srv.root, "issuer: kpu", "issuer: kpuu")
		waitFor(t, ctx, h1, "Build gagal", start)
		p, err := chromedp.Run(ctx, chromedp.Evaluate[page](readPage))
		if err != nil {
			t.Fatal(err)
		}
		want := articleFile + `:4: issuer: "kpuu" is not an account`
		if !strings.Contains(p.Text, want) {
			t.Errorf("error page lacks %q:\n%s", want, p.Text)
		}
		checkAccessibility(t, ctx, "error page")
	})
	t.Run("fixing it brings the article back", func(t *testing.T) {
		start := editRelease(t, srv.root, "issuer: kpuu", "issuer: kpu")
		waitFor(t, ctx, h1, strings.TrimPrefix(current, "title: "), start)
	})
}
