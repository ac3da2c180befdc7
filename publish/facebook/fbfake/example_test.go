package fbfake_test

import (
	"context"
	"fmt"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/facebook"
	"github.com/balikpapan/humas/publish/facebook/fbfake"
	"github.com/balikpapan/humas/publish/postertest"
)

// A pipeline or command test starts the fake, registers the pages of humas.yaml with
// the tokens it puts in the environment, scripts faults, and reads back what was posted.
func Example() {
	s := fbfake.New()
	defer s.Close()
	s.AddPage(fbfake.Page{ID: "100000000000002", Name: "KPU Kota Balikpapan", Token: "kpu-token", AppSecret: "kpu-secret"})
	s.Fail("100000000000002", postertest.Unavailable, 1)

	// HUMAS_FACEBOOK_GRAPH_URL=s.URL, HUMAS_KPU_FACEBOOK_PAGE_TOKEN=kpu-token, …
	c := facebook.New(facebook.Config{BaseURL: s.URL, PageID: "100000000000002", PageToken: "kpu-token", AppSecret: "kpu-secret"})
	p := publish.Post{Text: "Pemilu damai", Link: "https://humas.balikpapan.go.id/pemilu-damai/"}
	_, err := c.Post(context.Background(), p)
	fmt.Println("first try transient:", publish.IsTransient(err))
	_, err = c.Post(context.Background(), p)
	fmt.Println("second try:", err)
	for _, post := range s.Posts("100000000000002") {
		fmt.Println(post.ID, post.Message, post.Link)
	}
	// Output:
	// first try transient: true
	// second try: <nil>
	// 100000000000002_1001 Pemilu damai https://humas.balikpapan.go.id/pemilu-damai/
}
