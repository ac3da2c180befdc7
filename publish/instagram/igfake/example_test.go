package igfake_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/instagram"
	"github.com/balikpapan/humas/publish/instagram/igfake"
	"github.com/balikpapan/humas/publish/postertest"
)

// A pipeline or command test starts the fake, registers the accounts of humas.yaml
// with the tokens it puts in the environment, maps the site's host to a local
// server so Instagram's fetch of the image works, scripts faults and reads back what
// was posted.
func Example() {
	var card bytes.Buffer
	_ = jpeg.Encode(&card, image.NewGray(image.Rect(0, 0, 1080, 1350)), nil)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(card.Bytes()) }))
	defer site.Close()

	s := igfake.New()
	defer s.Close()
	s.AddAccount(igfake.Account{UserID: "17841400000000002", Username: "kpubalikpapan", Token: "kpu-token"})
	s.ServeHost("humas.balikpapan.go.id", site.Listener.Addr().String())
	s.Fail("17841400000000002", postertest.Unavailable, 1)

	// HUMAS_INSTAGRAM_GRAPH_URL=s.URL, HUMAS_KPU_INSTAGRAM_TOKEN=kpu-token
	c := instagram.New(instagram.Config{BaseURL: s.URL, UserID: "17841400000000002", Username: "kpubalikpapan",
		Token: "kpu-token", Poll: instagram.Poll{Initial: time.Millisecond}})
	p := publish.Post{
		Text:       "Pemilu damai",
		Link:       "https://humas.balikpapan.go.id/pemilu-damai/",
		Image:      &publish.Image{URL: "https://humas.balikpapan.go.id/pemilu-damai/card.jpg", Alt: "Kartu"},
		Checkpoint: &publish.Checkpoint{},
	}
	_, err := c.Post(context.Background(), p)
	fmt.Println("first try transient:", publish.IsTransient(err))
	_, err = c.Post(context.Background(), p)
	fmt.Println("second try:", err)
	for _, post := range s.Posts("17841400000000002") {
		fmt.Printf("%q from container %v\n", post.Caption, post.ContainerID == p.Checkpoint.ID)
	}
	fmt.Println("containers:", len(s.Containers("17841400000000002")))
	// Output:
	// first try transient: true
	// second try: <nil>
	// "Pemilu damai\n\nhumas.balikpapan.go.id/pemilu-damai" from container true
	// containers: 1
}
