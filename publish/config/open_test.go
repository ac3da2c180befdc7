package config

import (
	"strings"
	"testing"
	"time"
)

func TestTheDefaultTakesAnyAccountAReleaseNames(t *testing.T) {
	c := Default()
	a, ok := c.Account("kpu")
	if !ok || a.Key != "kpu" || strings.Join(a.PlatformNames(), ",") != "x,facebook" {
		t.Fatalf("default config: Account(kpu) = %+v, %v; want an account made up for it", a, ok)
	}
	if _, ok := c.Account("KPU Kota"); ok {
		t.Error("default config accepts a malformed key")
	}
	written, err := Parse(FileName, []byte("site: {base_url: https://a.go.id/}\naccounts:\n  kpu: {name: KPU}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := written.Account("diskominfo"); ok {
		t.Error("a written humas.yaml accepts an account it does not list")
	}
}

func TestPublishSinceIsReadInTheSiteZone(t *testing.T) {
	c, err := Parse(FileName, []byte("site: {base_url: https://a.go.id/}\naccounts:\n  kpu: {name: KPU}\npublish:\n  since: 2026-12-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-12-01T00:00:00+08:00"; c.Publish.Since.Format(time.RFC3339) != want {
		t.Errorf("since = %v, want %s", c.Publish.Since, want)
	}
	_, err = Parse(FileName, []byte("site: {base_url: https://a.go.id/}\naccounts:\n  kpu: {name: KPU}\npublish:\n  sinse: 2026-12-01\n"))
	if err == nil || !strings.Contains(err.Error(), `humas.yaml:5: publish: unknown key "sinse"`) {
		t.Errorf("err = %v", err)
	}
}
