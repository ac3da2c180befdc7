package config

import "testing"

func TestTheDefaultTakesAnyAccountAReleaseNames(t *testing.T) {
	c := Default()
	a, ok := c.Account("kpu")
	if !ok || a.Key != "kpu" || a.X == nil || a.Facebook == nil {
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
