package facebook_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/balikpapan/humas/publish"
)

// BenchmarkPost measures one link post against the fake, round trip included.
func BenchmarkPost(b *testing.B) {
	s := fake(b)
	c := client(s, pageToken, appSecret)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, err := c.Post(ctx, publish.Post{Text: fmt.Sprint("Berita ", i), Link: article}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindWorstCase measures a Find that reads all three pages of 100 and misses.
func BenchmarkFindWorstCase(b *testing.B) {
	s := fake(b)
	c := client(s, pageToken, appSecret)
	ctx := context.Background()
	for i := range 300 {
		if _, err := c.Post(ctx, publish.Post{Text: fmt.Sprint("Berita ", i), Link: fmt.Sprintf("https://humas.balikpapan.go.id/b-%d/", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, ok, err := c.Find(ctx, "https://humas.balikpapan.go.id/tidak-ada/"); ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
