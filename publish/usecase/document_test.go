package usecase

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/media/mediatest"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/site"
)

// The press receives by email the PDF the site links: the same bytes, with the
// issuer's letterhead, taken from the press kit's cache the build filled.
func TestThePressGetsThePDFTheSiteLinks(t *testing.T) {
	root := t.TempDir()
	files := map[string][]byte{
		"humas.yaml": []byte(`site: {base_url: "https://humas.balikpapan.go.id/"}
accounts:
  kpu:
    name: KPU Kota Balikpapan
    logo: assets/kpu.png
    address: Jl. Jenderal Sudirman No. 1, Balikpapan
    phone: "+62 542 000000"
    website: https://kota-balikpapan.kpu.go.id
`),
		"assets/kpu.png": mediatest.PNG(128, 128),
		"releases/2021-06-09-audiensi.md": []byte(`---
title: KPU Balikpapan Audiensi ke Diskominfo
date: 2021-06-09T13:00:00+08:00
issuer: kpu
classification: berkala
number: 012/HM/KPU-BPP/VI/2021
---
BALIKPAPAN — KPU Kota Balikpapan beraudiensi ke Diskominfo.
`),
	}
	for name, data := range files {
		full := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2021, 6, 10, 9, 0, 0, 0, time.UTC)
	if _, err := Build(context.Background(), p, BuildRequest{Now: now}); err != nil {
		t.Fatal(err)
	}
	linked, err := os.ReadFile(filepath.Join(root, "public", "audiensi", "siaran-pers.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	r, diags := p.Load("releases/2021-06-09-audiensi.md")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, err := site.Document(p, r, now)
	if err != nil {
		t.Fatal(err)
	}
	mailed, err := d.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mailed, linked) {
		t.Errorf("the mailed PDF (%d bytes) is not the one the site links (%d bytes)", len(mailed), len(linked))
	}
}
