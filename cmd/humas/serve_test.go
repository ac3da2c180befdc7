package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/internal/iostreams"
)

func TestServeServesSiteAndPreviewsOnLoopbackAndStopsOnCancel(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "releases"), 0o755)
	os.WriteFile(filepath.Join(root, "humas.yaml"), []byte(`site:
  title: Siaran Pers
  base_url: https://humas.balikpapan.go.id/
accounts:
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
`), 0o644)
	os.WriteFile(filepath.Join(root, "releases", "2021-06-09-sinergi.md"), []byte(`---
title: KPU dan Diskominfo Bersinergi
date: 2021-06-09T13:00:00+08:00
issuer: kpu
classification: berkala
---
Isi.
`), 0o644)

	ios, _, _, _ := iostreams.Test()
	out, w := io.Pipe()
	ios.Out = w
	f := &Factory{IO: ios, Getenv: func(string) string { return "" }, Now: time.Now, Dir: root}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, &ServeOptions{f: f, Port: 0, Bind: "127.0.0.1"}) }()

	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "serving ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Fatalf("printed %q, want serving http://127.0.0.1:PORT/", line)
	}
	go io.Copy(io.Discard, out)

	for path, want := range map[string]string{
		"sinergi/":          "KPU dan Diskominfo Bersinergi",
		"_preview/sinergi/": "Unggahan media sosial (1)",
		"":                  `new EventSource("/_humas/events")`,
	} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET /%s: %s, want 200 with %q\n%s", path, resp.Status, want, body)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve still running 10s after cancel")
	}
}
