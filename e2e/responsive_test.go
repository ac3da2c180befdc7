package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// On a phone (390 px wide, as an iPhone 12-15) no page may scroll sideways: press
// officers review previews on their phones, readers read articles there.
func TestPagesFitAPhoneScreen(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"article": "kpu-diskominfo-tangkal-hoaks/",
		"index":   "",
		"preview": "_preview/kpu-diskominfo-tangkal-hoaks/",
	} {
		t.Run(name, func(t *testing.T) {
			load(t, ctx, srv.url+path)
			// Text that does not wrap overflows its box without widening it, so
			// look at what scrolls as well as at boxes.
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
				const width = document.documentElement.clientWidth;
				if (document.documentElement.scrollWidth <= width) return [];
				return [...document.querySelectorAll('body *')]
					.filter(e => e.getBoundingClientRect().right > width + 1 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
					.slice(-5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': ' + e.textContent.trim().slice(0, 60));
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range wide {
				t.Errorf("wider than the screen: %s", e)
			}
			shot, _ := screenshot(t, ctx, "phone-"+name)
			t.Logf("screenshot: %s", shot)
		})
	}
}
