package site

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/ledger"
	"github.com/balikpapan/humas/publish/project"
)

// writeProject lays out a real project on disk so the parser and config loader
// the command uses feed the site.
func writeProject(t *testing.T, files map[string]string) *project.Project {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const projectYAML = `site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id/
  timezone: Asia/Makassar
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
`

const projectRelease = `---
title: Rapat <b>Koordinasi</b>
date: 2021-06-09T13:00:00+08:00
issuer: kpu
classification: berkala
embargo: 2021-06-09T10:00:00+08:00
---
Rapat koordinasi <script>alert(1)</script> digelar [di sini](javascript:alert(1)).
`

func TestParsedReleasesBuildThroughTheProject(t *testing.T) {
	p := writeProject(t, map[string]string{"humas.yaml": projectYAML, "releases/2021-06-09-rapat.md": projectRelease})
	before := time.Date(2021, 6, 9, 9, 0, 0, 0, wita)
	stamp, _, ok := UpToDate(p, Options{Now: before, Embargoed: true})
	if ok {
		t.Fatal("up to date before the first build")
	}
	rels, diags := p.LoadAll()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	st, err := Build(context.Background(), p, rels, Options{Now: before, Stamp: stamp, Embargoed: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 1 {
		t.Errorf("stats = %+v, want one article", st)
	}
	page, err := os.ReadFile(filepath.Join(p.Root, "public", "rapat", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<h1>Rapat &lt;b&gt;Koordinasi&lt;/b&gt;</h1>",
		"EMBARGO:</strong> tidak untuk disiarkan sebelum Rabu, 9 Juni 2021 pukul 10.00 WITA",
		"Rabu, 9 Juni 2021 pukul 13.00 WITA",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert", `href="javascript:`} {
		if strings.Contains(string(page), bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if _, _, ok := UpToDate(p, Options{Now: before, Embargoed: true}); !ok {
		t.Error("not up to date right after a build")
	}
	if _, _, ok := UpToDate(p, Options{Now: before.Add(2 * time.Hour), Embargoed: true}); ok {
		t.Error("up to date after the embargo lifted: the embargo line would stay")
	}
}

func TestRenderArticleAndArticleHTMLForPreview(t *testing.T) {
	p := writeProject(t, map[string]string{"humas.yaml": projectYAML, "releases/2021-06-09-rapat.md": projectRelease})
	rels, diags := p.LoadAll()
	if diags.HasErrors() || len(rels) != 1 {
		t.Fatal(diags)
	}
	body, err := ArticleHTML(p, rels[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "<script>") || strings.Contains(string(body), "javascript:") || !strings.Contains(string(body), "Rapat koordinasi") {
		t.Errorf("body = %s", body)
	}
	var buf bytes.Buffer
	links := []Link{{Account: "kpu", Platform: "x", URL: "https://x.com/kpubalikpapan/status/1"}}
	if err := RenderArticle(&buf, p, rels[0], links); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<!DOCTYPE html>") || !strings.Contains(buf.String(), "X: KPU Kota Balikpapan") {
		t.Errorf("preview page lacks the document or the cross-post link")
	}
}

func TestLedgerLinksListOnlyPostedTargets(t *testing.T) {
	cfg := testConfig()
	recs := []*ledger.Record{{Slug: "a", Targets: map[string]*ledger.Target{
		"kpu/x":               {State: ledger.Posted, URL: "https://x.com/kpubalikpapan/status/1"},
		"kpu/facebook":        {State: ledger.Failed},
		"diskominfo/facebook": {State: ledger.Posted, URL: "https://facebook.com/1/posts/2"},
		"diskominfo/x":        {State: ledger.Pending},
	}}}
	got := LedgerLinks(cfg, recs)("a")
	if len(got) != 2 {
		t.Fatalf("links = %+v, want the two posted targets", got)
	}
	names := map[string]string{}
	for _, l := range got {
		names[l.Account+"/"+l.Platform] = l.AccountName
	}
	if names["kpu/x"] != "KPU Kota Balikpapan" || names["diskominfo/facebook"] != "Diskominfo Kota Balikpapan" {
		t.Errorf("links = %+v", got)
	}
	if l := LedgerLinks(cfg, recs)("b"); len(l) != 0 {
		t.Errorf("links for an unposted release = %+v", l)
	}
}
