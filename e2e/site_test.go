package e2e

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// page is what a reader sees of a loaded page.
type page struct {
	Title string `json:"title"`
	H1    string `json:"h1"`
	Text  string `json:"text"`
	// Broken lists images that did not load.
	Broken []string `json:"broken"`
}

const readPage = `({
	title: document.title,
	h1: (document.querySelector('h1') || {}).innerText || '',
	text: document.body.innerText,
	broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80)),
})`

// load opens url in the tab and returns what a reader sees once it has loaded.
func load(t *testing.T, ctx context.Context, url string) page {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[page](readPage))
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return p
}

// screenshot saves the whole page as a PNG in the test's temporary folder (or in
// E2E_ARTIFACTS, where CI can keep it) and returns its path.
func screenshot(t *testing.T, ctx context.Context, name string) (string, []byte) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("E2E_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, png
}

// fetch returns the body of url as served, for the HTML checker.
func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, body)
	}
	return body
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestSitePagesShowWhatReadersNeed(t *testing.T) {
	ctx := tab(t)
	srv := serve(t)
	tests := []struct {
		name, path string
		h1         string
		shows      []string // in reading order
		hides      []string
	}{
		{
			name: "article", path: "kpu-diskominfo-tangkal-hoaks/",
			h1: "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
			shows: []string{"Rabu, 9 Juni 2021", "012/HM/KPU-BPP/VI/2021", "KPU Kota Balikpapan",
				"Ketua KPU Kota Balikpapan berbicara di depan jajaran Diskominfo dalam audiensi",
				"Langkah bersama", "Ridwan", "pemilu-2024", "kehumasan"},
		},
		{
			name: "hoax article", path: "hoaks-fotokopi-ktp/",
			h1:    "[HOAKS] Pemilih Tidak Wajib Membawa Fotokopi KTP ke TPS",
			shows: []string{"Kamis, 10 Juni 2021", "HOAKS", "Beredar pesan berantai bahwa pemilih wajib membawa fotokopi KTP ke TPS.", "KTP elektronik asli"},
		},
		{
			name: "index", path: "",
			// Newest first.
			shows: []string{"Diskominfo Gelar Pelatihan Literasi Digital bagi Ketua RT", "[HOAKS] Pemilih Tidak Wajib", "KPU Balikpapan dan Diskominfo Bersinergi"},
		},
		{
			name: "tag page", path: "tags/pemilu-2024/",
			shows: []string{"pemilu-2024", "[HOAKS] Pemilih Tidak Wajib", "KPU Balikpapan dan Diskominfo Bersinergi"},
			hides: []string{"Literasi Digital"},
		},
		{
			name: "tag list", path: "tags/",
			shows: []string{"hoaks", "kehumasan", "pemilu-2024"},
		},
		{
			// A partner's release we reposted links the partner's own article.
			name: "dari mitra", path: "mitra/", h1: "Dari mitra",
			shows: []string{"Bawaslu Ajak Warga Awasi Tahapan Pemilu", "Sumber: Bawaslu Kota Balikpapan",
				"Dibagikan ulang dari Bawaslu Kota Balikpapan di: Facebook: Diskominfo Kota Balikpapan"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := srv.url + tt.path
			p := load(t, ctx, url)
			if tt.h1 != "" && p.H1 != tt.h1 {
				t.Errorf("h1 %q, want %q", p.H1, tt.h1)
			}
			inOrder(t, p.Text, tt.shows)
			for _, s := range tt.hides {
				if strings.Contains(p.Text, s) {
					t.Errorf("page shows %q, which does not belong here", s)
				}
			}
			if len(p.Broken) > 0 {
				t.Errorf("images that did not load: %v", p.Broken)
			}
			checkAccessibility(t, ctx, tt.name)
			shot, _ := screenshot(t, ctx, strings.ReplaceAll(tt.name, " ", "-"))
			t.Logf("screenshot: %s", shot)
		})
	}
}

// inOrder fails the test unless text shows every string of want, in that order.
func inOrder(t *testing.T, text string, want []string) {
	t.Helper()
	rest := text
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			if strings.Contains(text, w) {
				t.Errorf("page shows %q, but not after %q", w, text[:len(text)-len(rest)])
			} else {
				t.Errorf("page does not show %q; it shows:\n%s", w, text)
			}
			continue
		}
		rest = rest[i+len(w):]
	}
}
