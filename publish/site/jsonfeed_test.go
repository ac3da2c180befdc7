package site

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/feed"
	"github.com/balikpapan/humas/publish/feed/feedtest"
	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/templates"
)

// readFeed reads the built feed.json, checked against the JSON Feed 1.1 rules and
// read back as strictly as a partner's humas reads it.
func readFeed(t *testing.T, in input) *feed.Feed {
	t.Helper()
	data := readOut(t, in, feed.FileName)
	if p := feedtest.Validate([]byte(data)); len(p) > 0 {
		t.Fatalf("feed.json is not valid JSON Feed 1.1:\n%s", strings.Join(p, "\n"))
	}
	f, err := feed.Parse([]byte(data))
	if err != nil {
		t.Fatalf("feed.json does not read as a humas feed: %v", err)
	}
	return f
}

func slugsOf(f *feed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(it.URL, "https://humas.balikpapan.go.id/"), "/"))
	}
	return out
}

func TestFeedJSONListsWhatTheSiteShowsNewestFirst(t *testing.T) {
	in := newTestProject(t)
	// Before the embargo lifts, even a preview build (humas serve) leaves the
	// embargoed release out of the feed; the draft and the exempted release are
	// never in it.
	mustBuild(t, in, fixtureReleases(), Options{Embargoed: true})
	if got := fmt.Sprint(slugsOf(readFeed(t, in))); got != "[sinergi-tangkal-hoaks ktp-ke-tps]" {
		t.Fatalf("before the embargo: items %s", got)
	}
	mustBuild(t, in, fixtureReleases(), Options{Now: time.Date(2021, 6, 9, 10, 0, 0, 0, wita)})
	f := readFeed(t, in)
	if got := fmt.Sprint(slugsOf(f)); got != "[jadwal-kampanye sinergi-tangkal-hoaks ktp-ke-tps]" {
		t.Fatalf("once it lifts: items %s", got)
	}
	if e := f.Items[0].Humas.Embargo; e != "2021-06-09T10:00:00+08:00" {
		t.Errorf("embargo %q", e)
	}
}

func TestFeedJSONCarriesWhatAPartnerReposts(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{})
	f := readFeed(t, in)
	if f.FeedURL != "https://humas.balikpapan.go.id/feed.json" || f.HomePageURL != "https://humas.balikpapan.go.id/" {
		t.Errorf("feed_url %q, home_page_url %q", f.FeedURL, f.HomePageURL)
	}
	it := f.Items[0]
	h := it.Humas
	if h.Issuer != "kpu" || h.IssuerName != "KPU Kota Balikpapan" || h.Classification != "berkala" || h.Kind != "siaran-pers" || h.Number != "012/HM/KPU-BPP/VI/2021" || h.Embargo != "" {
		t.Errorf("_humas = %+v", h)
	}
	// Every target the ledger holds as posted, with its id, so a partner can quote it.
	if got := fmt.Sprint(h.Posts); got != "[{kpu x 1403000000000000001 https://x.com/kpubalikpapan/status/1403000000000000001} {diskominfo facebook 100000000000001_2 https://www.facebook.com/100000000000001/posts/2}]" {
		t.Errorf("posts %s", got)
	}
	if it.Image != "https://humas.balikpapan.go.id/sinergi-tangkal-hoaks/audiensi.jpg" || it.DatePublished != "2021-06-08T13:00:00+08:00" {
		t.Errorf("image %q, date %q", it.Image, it.DatePublished)
	}
	if !strings.Contains(it.ContentHTML, "<strong>Selasa</strong>") {
		t.Errorf("content_html %q", it.ContentHTML)
	}
	hoax := f.Items[1]
	if hoax.Title != "[HOAKS] Pemilih Tidak Wajib Membawa Fotokopi KTP ke TPS" || hoax.Humas.Hoax == nil || hoax.Humas.Hoax.Verdict != "HOAKS" {
		t.Errorf("hoax item %+v %+v", hoax, hoax.Humas.Hoax)
	}
}

func TestFeedJSONLeavesOutWhatABlackoutHoldsBack(t *testing.T) {
	in := newTestProject(t)
	in.cfg.Blackout = config.Blackouts{{From: time.Date(2021, 6, 8, 0, 0, 0, 0, wita), To: time.Date(2021, 6, 10, 0, 0, 0, 0, wita), Reason: "masa tenang"}}
	mustBuild(t, in, fixtureReleases(), Options{Embargoed: true})
	// The berkala release first appearing during the window waits; the
	// serta-merta clarification is out.
	if got := fmt.Sprint(slugsOf(readFeed(t, in))); got != "[ktp-ke-tps]" {
		t.Fatalf("items %s", got)
	}
}

func TestFeedJSONHoldsTheNewestReleasesOnly(t *testing.T) {
	in := newTestProject(t)
	rels := corpus(feed.MaxItems+7, in.cfg.Site.Location)
	mustBuild(t, in, rels, Options{})
	f := readFeed(t, in)
	if len(f.Items) != feed.MaxItems {
		t.Fatalf("%d items, want %d", len(f.Items), feed.MaxItems)
	}
	for i := 1; i < len(f.Items); i++ {
		a, _ := time.Parse(time.RFC3339, f.Items[i-1].DatePublished)
		b, _ := time.Parse(time.RFC3339, f.Items[i].DatePublished)
		if b.After(a) {
			t.Fatalf("items[%d] is newer than items[%d]", i, i-1)
		}
	}
}

// A new post in the ledger changes the feed (its id is there), and nothing else
// of a build with nothing changed rewrites it.
func TestFeedJSONIsRewrittenWhenAPostIsRecorded(t *testing.T) {
	in := newTestProject(t)
	rels := fixtureReleases()
	mustBuild(t, in, rels, Options{})
	st := mustBuild(t, in, rels, Options{})
	if st.Pages != 0 {
		t.Fatalf("a build with nothing changed rendered %d pages", st.Pages)
	}
	links := func(slug string) []Link {
		if slug == "ktp-ke-tps" {
			return []Link{{Account: "diskominfo", Platform: "x", URL: "https://x.com/diskominfobpp/status/77", ID: "77"}}
		}
		return fixtureLinks(slug)
	}
	mustBuild(t, in, rels, Options{Links: links})
	if got := readFeed(t, in).Items[1].Humas.Posts; len(got) != 1 || got[0].ID != "77" {
		t.Fatalf("posts of ktp-ke-tps: %+v", got)
	}
}

// The site is deployed before the posting jobs run: each item names the issuer's
// targets still to be posted, so a partner waits to quote them, and the feed is
// rewritten as they settle. Posted, failed for good and held for good are settled.
func TestFeedJSONNamesTheIssuersPostsStillToCome(t *testing.T) {
	in := newTestProject(t)
	rels := fixtureReleases()
	recorded := map[string]*ledger.Target{}
	targets := func(slug string) map[string]*ledger.Target {
		if slug == "sinergi-tangkal-hoaks" {
			return recorded
		}
		return nil
	}
	awaiting := func() string {
		t.Helper()
		f := readFeed(t, in)
		if f.Items[0].URL != "https://humas.balikpapan.go.id/sinergi-tangkal-hoaks/" {
			t.Fatalf("items[0] is %s", f.Items[0].URL)
		}
		return fmt.Sprint(f.Items[0].Humas.Awaiting, f.Items[1].Humas.Awaiting)
	}
	mustBuild(t, in, rels, Options{Links: func(string) []Link { return nil }, Targets: targets})
	// Only the issuer's targets: KPU's of its release, Diskominfo's of its own.
	if got := awaiting(); got != "[{kpu x} {kpu facebook}] [{diskominfo x} {diskominfo facebook}]" {
		t.Fatalf("nothing posted yet: awaiting %s", got)
	}
	recorded[ledger.Key("kpu", "x")] = &ledger.Target{State: ledger.Posted, ID: "1403000000000000001"}
	recorded[ledger.Key("kpu", "facebook")] = &ledger.Target{State: ledger.Failed, Error: "quota"}
	mustBuild(t, in, rels, Options{Targets: targets})
	if got := awaiting(); got != "[{kpu facebook}] [{diskominfo x} {diskominfo facebook}]" {
		t.Fatalf("x posted, facebook to be tried again: awaiting %s", got)
	}
	recorded[ledger.Key("kpu", "facebook")].Permanent = true
	mustBuild(t, in, rels, Options{Targets: targets})
	if got := awaiting(); got != "[] [{diskominfo x} {diskominfo facebook}]" {
		t.Fatalf("facebook failed for good: awaiting %s", got)
	}
	// The archive (dated before publish.since) is on the site, and never posted.
	in.cfg.Publish.Since = time.Date(2100, 1, 1, 0, 0, 0, 0, wita)
	mustBuild(t, in, rels, Options{Targets: targets})
	if got := awaiting(); got != "[] []" {
		t.Fatalf("the archive: awaiting %s", got)
	}
}

func TestEveryPageAdvertisesTheJSONFeed(t *testing.T) {
	in := newTestProject(t)
	mustBuild(t, in, fixtureReleases(), Options{})
	want := `<link rel="alternate" type="application/feed+json" title="Siaran Pers Kota Balikpapan (JSON Feed)" href="https://humas.balikpapan.go.id/feed.json">`
	for _, page := range []string{"index.html", "sinergi-tangkal-hoaks/index.html", "tags/index.html", "tags/pemilu-2024/index.html"} {
		if !strings.Contains(readOut(t, in, page), want) {
			t.Errorf("%s does not advertise feed.json", page)
		}
	}
}

// BenchmarkJSONFeed renders feed.json of a 2,000-release site: the 50 newest
// articles' bodies and the document around them.
func BenchmarkJSONFeed(b *testing.B) {
	cfg := testConfig()
	rels := corpus(2000, cfg.Site.Location)
	r, err := newRenderer(cfg, templates.FS, "")
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	bl := &builder{in: input{root: root, cfg: cfg, fsys: templates.FS}, r: r, now: testNow, kit: presskit.New(root, cfg, "")}
	live, err := bl.selectLive(rels)
	if err != nil {
		b.Fatal(err)
	}
	cards := make([]card, len(live))
	sums := make([]string, len(live))
	for i, rel := range live {
		cards[i] = r.card(rel, "")
		sums[i] = cardHash(&cards[i])
	}
	p := bl.jsonFeed(live, cards, sums)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := p.render(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}
