package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/balikpapan/humas/publish/preview"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// benchProject writes a project of n releases of both institutions.
func benchProject(b *testing.B, n int) string {
	b.Helper()
	root := b.TempDir()
	os.MkdirAll(filepath.Join(root, "releases"), 0o755)
	os.WriteFile(filepath.Join(root, "humas.yaml"), []byte(`site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id/
  timezone: Asia/Makassar
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    facebook: {page_id: "100000000000002"}
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
`), 0o644)
	for i := range n {
		day := 1 + i%28
		src := fmt.Sprintf(`---
title: Siaran Pers Nomor %d tentang Tahapan Pemilu
date: 2021-06-%02dT10:00:00+08:00
issuer: kpu
classification: berkala
tags: [pemilu-2024, tahapan-%d]
---
KPU Kota Balikpapan menyampaikan informasi tahapan nomor %d kepada warga.

Paragraf kedua menjelaskan jadwal, tempat dan cara warga ikut serta.
`, i, day, i%10, i)
		os.WriteFile(filepath.Join(root, "releases", fmt.Sprintf("2021-06-%02d-siaran-%d.md", day, i)), []byte(src), 0o644)
	}
	return root
}

// renderPreview is the preview humas serve uses, without credentials.
func renderPreview(p *project.Project, r *release.Release) ([]byte, error) {
	var out bytes.Buffer
	_, err := preview.Render(&out, p, r, preview.Options{})
	return out.Bytes(), err
}

// BenchmarkRebuildAfterOneEdit is what a save costs in humas serve: the whole
// project read again and the site updated in place; previews wait for a request.
func BenchmarkRebuildAfterOneEdit(b *testing.B) {
	for _, n := range []int{10, 200} {
		b.Run(fmt.Sprintf("releases=%d", n), func(b *testing.B) {
			root := benchProject(b, n)
			build := ProjectBuilder(root, renderPreview, io.Discard)
			dir := b.TempDir()
			if _, err := build(context.Background(), dir); err != nil {
				b.Fatal(err)
			}
			file := filepath.Join(root, "releases", "2021-06-01-siaran-0.md")
			src, _ := os.ReadFile(file)
			i := 0
			for b.Loop() {
				i++
				os.WriteFile(file, append(src, fmt.Sprintf("\nSunting %d.\n", i)...), 0o644)
				if _, err := build(context.Background(), dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFirstBuildEmptyCache is how long humas serve takes to show its first
// page in a project whose press kit cache is empty (a fresh clone): the pages
// only, the kits being drawn when asked for.
func BenchmarkFirstBuildEmptyCache(b *testing.B) {
	root := benchProject(b, 200)
	build := ProjectBuilder(root, renderPreview, io.Discard)
	for b.Loop() {
		b.StopTimer()
		os.RemoveAll(filepath.Join(root, ".humas"))
		dir := b.TempDir()
		b.StartTimer()
		if _, err := build(context.Background(), dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreviewPage is what opening /_preview/<slug>/ costs the first time.
func BenchmarkPreviewPage(b *testing.B) {
	root := benchProject(b, 10)
	previews, err := ProjectBuilder(root, renderPreview, io.Discard)(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		b.Fatal(err)
	}
	r, diags := p.Load("releases/2021-06-01-siaran-0.md")
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	if _, ok, err := previews.Page(r.Slug); !ok || err != nil {
		b.Fatal(ok, err)
	}
	for b.Loop() {
		if _, err := renderPreview(p, r); err != nil {
			b.Fatal(err)
		}
	}
}
