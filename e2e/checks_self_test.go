package e2e

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// brokenPage breaks rules both checkers know: no lang, an image without alt, text
// too faint to read, and a stray end tag.
const brokenPage = `<!DOCTYPE html><html><head><title>rusak</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#eee;background:#fff">nyaris tak terbaca</p></span>
</body></html>`

// The checks must be able to fail, or a green run proves nothing.
func TestCheckersReportABrokenPage(t *testing.T) {
	t.Run("axe-core finds the violations", func(t *testing.T) {
		ctx := tab(t)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(brokenPage))
		}))
		defer srv.Close()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
			t.Fatal(err)
		}
		violations, err := axeViolations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, v := range violations {
			found[v.ID] = true
		}
		for _, id := range []string{"html-has-lang", "image-alt", "color-contrast"} {
			if !found[id] {
				t.Errorf("axe did not report %s; it reported %v", id, found)
			}
		}
	})
	t.Run("vnu finds the stray end tag", func(t *testing.T) {
		requireTools(t)
		msgs, err := checkHTML(t.TempDir(), map[string][]byte{"broken": []byte(brokenPage)})
		if err != nil {
			t.Fatal(err)
		}
		errs := 0
		for _, m := range msgs {
			if m.isError() {
				errs++
				if m.Page != "broken" {
					t.Errorf("message names page %q, want broken", m.Page)
				}
			}
		}
		if errs == 0 {
			t.Errorf("vnu reported no error on a broken page: %+v", msgs)
		}
	})
}
