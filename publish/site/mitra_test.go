package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
)

func fromKPU() []FromPartner {
	return []FromPartner{{
		Partner: "kpu", PartnerName: "KPU Kota Balikpapan",
		Headline: `[HOAKS] Pemilih <script>alert(1)</script> Tidak Wajib Membawa KTP`, Summary: "Pesan berantai <b>tidak benar</b>.",
		URL:  "https://kota-balikpapan.kpu.go.id/siaran-pers/ktp/",
		Date: time.Date(2024, 3, 1, 9, 0, 0, 0, wita),
		Links: []Link{{Account: "diskominfo", AccountName: "Diskominfo Kota Balikpapan", Platform: "x", URL: "https://x.com/diskominfobpp/status/77"},
			{Account: "diskominfo", Platform: "facebook", URL: "https://www.facebook.com/100000000000001/posts/9"}},
	}}
}

func TestDariMitraListsThePartnersArticlesWeReposted(t *testing.T) {
	in := newTestProject(t)
	in.cfg.Partners = []config.Partner{{Key: "kpu", Name: "KPU Kota Balikpapan", Feed: "https://kota-balikpapan.kpu.go.id/siaran-pers/feed.json"}}
	mustBuild(t, in, fixtureReleases(), Options{FromPartners: fromKPU()})
	page := readOut(t, in, "mitra/index.html")
	for _, want := range []string{
		`<h1>Dari mitra</h1>`,
		// The partner's own article, not a copy of it.
		`<a href="https://kota-balikpapan.kpu.go.id/siaran-pers/ktp/" rel="external">[HOAKS] Pemilih &lt;script&gt;alert(1)&lt;/script&gt; Tidak Wajib Membawa KTP</a>`,
		`· Sumber: KPU Kota Balikpapan</p>`,
		`<p>Pesan berantai &lt;b&gt;tidak benar&lt;/b&gt;.</p>`,
		`Dibagikan ulang dari KPU Kota Balikpapan di: <a href="https://x.com/diskominfobpp/status/77">X: Diskominfo Kota Balikpapan</a>, <a href="https://www.facebook.com/100000000000001/posts/9">Facebook: Diskominfo Kota Balikpapan</a>`,
		`<link rel="canonical" href="https://humas.balikpapan.go.id/mitra/">`,
		// Sharing it names the partner and links its article.
		`Bagikan, dengan sumber KPU Kota Balikpapan: <a href="https://wa.me/?text=%5BHOAKS%5D%20Pemilih%20%3Cscript%3Ealert%281%29%3C%2Fscript%3E%20Tidak%20Wajib%20Membawa%20KTP%20%28Sumber%3A%20KPU%20Kota%20Balikpapan%29%0Ahttps%3A%2F%2Fkota-balikpapan.kpu.go.id%2Fsiaran-pers%2Fktp%2F">WhatsApp</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("mitra/index.html lacks %s", want)
		}
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>tidak") {
		t.Error("the partner's markup reached the page")
	}
	for _, p := range []string{"index.html", "sinergi-tangkal-hoaks/index.html", "tags/index.html"} {
		if !strings.Contains(readOut(t, in, p), `mitra/">Dari mitra</a>`) {
			t.Errorf("%s does not link Dari mitra", p)
		}
	}
	if !strings.Contains(readOut(t, in, "sitemap.xml"), "https://humas.balikpapan.go.id/mitra/") {
		t.Error("the sitemap lacks mitra/")
	}
	// Nothing changed: nothing rewritten. A new repost: the page, and only it.
	if st := mustBuild(t, in, fixtureReleases(), Options{FromPartners: fromKPU()}); st.Pages != 0 {
		t.Errorf("an unchanged build rendered %d pages", st.Pages)
	}
	more := append(fromKPU(), FromPartner{Partner: "kpu", PartnerName: "KPU Kota Balikpapan", Headline: "Rapat Pleno", URL: "https://kota-balikpapan.kpu.go.id/siaran-pers/rapat/", Date: time.Date(2024, 2, 1, 9, 0, 0, 0, wita)})
	if st := mustBuild(t, in, fixtureReleases(), Options{FromPartners: more}); st.Pages != 1 {
		t.Errorf("a new repost rendered %d pages, want the Dari mitra page", st.Pages)
	}
}

func TestWithoutPartnersThereIsNoDariMitraPage(t *testing.T) {
	in := newTestProject(t)
	in.cfg.Partners = []config.Partner{{Key: "kpu", Name: "KPU Kota Balikpapan"}}
	mustBuild(t, in, fixtureReleases(), Options{})
	if page := readOut(t, in, "mitra/index.html"); !strings.Contains(page, "Belum ada siaran pers mitra yang dibagikan ulang.") {
		t.Errorf("an empty list says nothing:\n%s", page)
	}
	in.cfg.Partners = nil
	mustBuild(t, in, fixtureReleases(), Options{})
	if _, err := os.Stat(filepath.Join(in.root, "public", "mitra")); err == nil {
		t.Error("the page stays once the partners are gone")
	}
	if strings.Contains(readOut(t, in, "index.html"), "Dari mitra") {
		t.Error("the index links Dari mitra without partners")
	}
}
