package e2e

import (
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// Every kind of page humas writes goes through the Nu HTML Checker in one run (the
// JVM's start is most of its cost), as served, with the live-reload script in it.
func TestEveryKindOfPageIsValidHTML(t *testing.T) {
	requireTools(t)
	srv := serve(t)
	pages := map[string][]byte{}
	for name, path := range map[string]string{
		"article":                    "kpu-diskominfo-tangkal-hoaks/",
		"hoax article":               "hoaks-fotokopi-ktp/",
		"article of one institution": "diskominfo-literasi-digital/",
		"index":                      "",
		"tag page":                   "tags/pemilu-2024/",
		"tag list":                   "tags/",
		"dari mitra":                 "mitra/",
		"preview":                    "_preview/kpu-diskominfo-tangkal-hoaks/",
		"hoax preview":               "_preview/hoaks-fotokopi-ktp/",
		"preview of one institution": "_preview/diskominfo-literasi-digital/",
		"preview list":               "_preview/",
	} {
		pages[name] = fetch(t, srv.url+path)
	}

	// The messages to the press, as the preview frames them and as they are sent
	// (TestPreviewShowsTheMailAsItArrives holds the two equal).
	for i, m := range mailBody.FindAllSubmatch(pages["preview"], -1) {
		pages["mail to the press "+strconv.Itoa(i+1)] = []byte(html.UnescapeString(string(m[1])))
	}
	if len(pages) != 13 {
		t.Fatalf("%d pages to check, want 11 and two messages to the press", len(pages))
	}

	out := filepath.Join(t.TempDir(), "pratinjau.html")
	humas(t, srv.root, "preview", "--out", out, articleFile)
	file, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	pages["preview file"] = file

	editRelease(t, srv.root, "issuer: kpu", "issuer: kpuu")
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(srv.url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusInternalServerError {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the server never showed the build error")
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	pages["build error"] = readAll(t, resp)

	validateHTML(t, pages)
}

// mailBody finds the HTML of each message to the press in a preview page.
var mailBody = regexp.MustCompile(`<iframe class="mail-body"[^>]*\ssrcdoc="([^"]*)"`)
