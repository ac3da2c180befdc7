package dryrun

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/balikpapan/humas/publish"
)

func TestTransportRefusesEveryRequest(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, srv.URL, nil)
		_, err := Client().Do(req)
		if !errors.Is(err, ErrNoNetwork) {
			t.Errorf("%s: err = %v, want %v", method, err, ErrNoNetwork)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the server got %d requests", hits.Load())
	}
}

func TestPosterRecordsInsteadOfSending(t *testing.T) {
	p := &Poster{Account: "kpu", Platform: publish.X}
	r, err := p.Post(context.Background(), publish.Post{Text: "a"})
	if err != nil || r.ID != ReceiptID {
		t.Fatalf("post = %+v, %v", r, err)
	}
	if _, ok, err := p.Find(context.Background(), "https://h/"); ok || err != nil {
		t.Errorf("find = %v, %v; want nothing found", ok, err)
	}
	if _, err := p.Verify(context.Background()); !errors.Is(err, ErrNoNetwork) {
		t.Errorf("verify err = %v", err)
	}
	if got := p.Posts(); len(got) != 1 || got[0].Text != "a" {
		t.Errorf("posts = %+v", got)
	}
}
