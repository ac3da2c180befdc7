package facebook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/facebook"
	"github.com/balikpapan/humas/publish/facebook/fbfake"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/postertest"
)

const (
	pageID    = "100000000000002"
	pageToken = "EAAGkpuPageTokenSecretValue123"
	appSecret = "kpu-app-secret-0f9e8d7c"
	otherID   = "100000000000001"
	otherTok  = "EAAGdiskominfoPageToken456"
	article   = "https://humas.balikpapan.go.id/pemilu-damai/"
)

// png is the smallest PNG header http.DetectContentType calls an image.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// fake starts a fake Graph with the KPU page (app secret required) and the Diskominfo
// page, closed when t ends.
func fake(t testing.TB) *fbfake.Server {
	t.Helper()
	s := fbfake.New()
	t.Cleanup(s.Close)
	s.AddPage(fbfake.Page{ID: pageID, Name: "KPU Kota Balikpapan", Token: pageToken, AppSecret: appSecret})
	s.AddPage(fbfake.Page{ID: otherID, Name: "Diskominfo Kota Balikpapan", Token: otherTok})
	return s
}

func client(s *fbfake.Server, token, secret string) *facebook.Client {
	return facebook.New(facebook.Config{BaseURL: s.URL, PageID: pageID, PageToken: token, AppSecret: secret})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestConformance(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Setup {
		s := fake(t)
		return postertest.Setup{
			Poster:       client(s, pageToken, appSecret),
			Fake:         s.Fake(pageID),
			Unauthorized: client(s, "EAAGrevokedToken789", appSecret),
			Secrets:      []string{pageToken, appSecret, "EAAGrevokedToken789"},
			Image:        &publish.Image{Name: "foto.png", Data: png, Alt: "Ketua KPU menyerahkan logistik"},
			// Graph answers a Page's name, which humas.yaml does not hold: the
			// adapter compares the Page id itself.
			OtherAccount: client(s, otherTok, ""),
		}
	})
}

func TestPostSendsWhatGraphExpects(t *testing.T) {
	t.Run("a link post carries message and link", func(t *testing.T) {
		s := fake(t)
		r, err := client(s, pageToken, appSecret).Post(ctx(t), publish.Post{Text: "Pemilu damai", Link: article})
		if err != nil {
			t.Fatal(err)
		}
		posts := s.Posts(pageID)
		if len(posts) != 1 || posts[0].Message != "Pemilu damai" || posts[0].Link != article || posts[0].Photo {
			t.Fatalf("fake holds %+v; want one link post", posts)
		}
		if r.ID != posts[0].ID || r.URL != "https://www.facebook.com/"+r.ID {
			t.Fatalf("receipt %+v; want id %s and its facebook.com URL", r, posts[0].ID)
		}
	})
	t.Run("a photo post puts the link in its caption and keeps the alt text", func(t *testing.T) {
		s := fake(t)
		img := &publish.Image{Name: "foto.png", Data: png, Alt: "Rapat pleno terbuka"}
		r, err := client(s, pageToken, appSecret).Post(ctx(t), publish.Post{Text: "Rapat pleno", Link: article, Image: img})
		if err != nil {
			t.Fatal(err)
		}
		posts := s.Posts(pageID)
		if len(posts) != 1 || !posts[0].Photo || posts[0].AltText != "Rapat pleno terbuka" ||
			posts[0].Message != "Rapat pleno\n\n"+article {
			t.Fatalf("fake holds %+v; want one photo post with caption and alt text", posts)
		}
		if r.ID != posts[0].ID {
			t.Fatalf("receipt id %s; want the post id %s, not the photo id", r.ID, posts[0].ID)
		}
		found, ok, err := client(s, pageToken, appSecret).Find(ctx(t), article)
		if err != nil || !ok || found.ID != r.ID {
			t.Fatalf("find = %+v, %v, %v; want the photo post by its caption", found, ok, err)
		}
	})
}

func TestAppsecretProof(t *testing.T) {
	t.Run("the fake refuses a call without the proof its app requires", func(t *testing.T) {
		s := fake(t)
		_, err := client(s, pageToken, "").Post(ctx(t), publish.Post{Text: "Tanpa bukti", Link: article})
		assertGraphCode(t, err, "100", publish.Permanent)
		if !strings.Contains(err.Error(), "appsecret_proof") {
			t.Fatalf("err = %v; want it to name appsecret_proof", err)
		}
	})
	t.Run("the fake refuses a proof made with another secret", func(t *testing.T) {
		s := fake(t)
		_, err := client(s, pageToken, "wrong-secret").Verify(ctx(t))
		assertGraphCode(t, err, "100", publish.Permanent)
		if !strings.Contains(err.Error(), "Invalid appsecret_proof") {
			t.Fatalf("err = %v; want Graph's invalid proof message", err)
		}
	})
	t.Run("the adapter's proof is accepted", func(t *testing.T) {
		s := fake(t)
		name, err := client(s, pageToken, appSecret).Verify(ctx(t))
		if err != nil || name != "KPU Kota Balikpapan" {
			t.Fatalf("verify = %q, %v; want the page name", name, err)
		}
	})
	t.Run("the proof is the hex HMAC-SHA256 of the token keyed by the secret", func(t *testing.T) {
		// RFC 4231 test case 2.
		const want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
		if got := fbfake.Proof("what do ya want for nothing?", "Jefe"); got != want {
			t.Fatalf("proof = %s; want %s", got, want)
		}
	})
}

func TestAnotherPagesToken(t *testing.T) {
	s := fake(t)
	c := facebook.New(facebook.Config{BaseURL: s.URL, PageID: pageID, PageToken: otherTok})
	t.Run("posting is refused as a permission error", func(t *testing.T) {
		_, err := c.Post(ctx(t), publish.Post{Text: "Salah halaman", Link: article})
		assertGraphCode(t, err, "200", publish.Permanent)
		if n := len(s.Posts(pageID)) + len(s.Posts(otherID)); n != 0 {
			t.Fatalf("fake holds %d posts; want none", n)
		}
	})
	t.Run("verify says the token belongs to another page", func(t *testing.T) {
		_, err := c.Verify(ctx(t))
		if err == nil || publish.IsTransient(err) || !strings.Contains(err.Error(), "Diskominfo") {
			t.Fatalf("verify = %v; want a permanent error naming the token's page", err)
		}
		if strings.Contains(err.Error(), otherTok) {
			t.Fatalf("error %q contains the token", err)
		}
	})
}

func TestFindLooksBackThroughPages(t *testing.T) {
	s := fake(t)
	c := client(s, pageToken, appSecret)
	if _, err := c.Post(ctx(t), publish.Post{Text: "Yang dicari", Link: article}); err != nil {
		t.Fatal(err)
	}
	// 150 newer posts push it onto the second page of 100.
	for i := range 150 {
		if _, err := c.Post(ctx(t), publish.Post{Text: fmt.Sprintf("Berita %d", i), Link: fmt.Sprintf("https://humas.balikpapan.go.id/b-%d/", i)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		link string
		want bool
	}{
		{"the link as given", article, true},
		{"the link without its trailing slash", strings.TrimSuffix(article, "/"), true},
		{"a link that only starts like it", "https://humas.balikpapan.go.id/pemilu", false},
		{"a link never posted", "https://humas.balikpapan.go.id/tidak-ada/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok, err := c.Find(ctx(t), tt.link)
			if err != nil || ok != tt.want {
				t.Fatalf("find = %+v, %v, %v; want found %v", r, ok, err, tt.want)
			}
			if ok && r.ID != s.Posts(pageID)[0].ID {
				t.Fatalf("found %s; want %s", r.ID, s.Posts(pageID)[0].ID)
			}
			if ok && !strings.HasPrefix(r.URL, "https://www.facebook.com/"+pageID+"/posts/") {
				t.Fatalf("url %s; want the permalink Graph gave", r.URL)
			}
		})
	}
}

// Graph's paging.next carries the access token in its query ("Paginated
// Results" in the Graph API documentation), and net/http, following a redirect,
// sends the address it left as Referer: an answer that redirects (a proxy named by
// HUMAS_FACEBOOK_GRAPH_URL) must never hand the token to another host.
func TestARedirectNeverCarriesTheTokenElsewhere(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.String(), fmt.Sprint(r.Header))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[],"paging":{}}`)
	}))
	t.Cleanup(other.Close)
	// Another host: the same server by name, so net/http drops Authorization.
	elsewhere := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/elsewhere"
	var graph *httptest.Server
	graph = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/feed") && r.URL.Query().Get("after") == "" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"data":[{"id":"%s_1","message":"lain"}],"paging":{"next":"%s/v25.0/%s/feed?access_token=%s&after=QVFI"}}`,
				pageID, graph.URL, pageID, pageToken)
			return
		}
		http.Redirect(w, r, elsewhere, http.StatusFound)
	}))
	t.Cleanup(graph.Close)
	c := facebook.New(facebook.Config{BaseURL: graph.URL, PageID: pageID, PageToken: pageToken})
	_, _, _ = c.Find(ctx(t), article)
	fb := facebook.New(facebook.Config{BaseURL: graph.URL + "/redirect", PageID: pageID, PageToken: pageToken})
	_, _ = fb.Verify(ctx(t))
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		if strings.Contains(s, pageToken) {
			t.Fatalf("the host redirected to received the token: %s", s)
		}
	}
}

func TestFailCodeIsClassified(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		code      int
		kind      publish.Kind
		duplicate bool
	}{
		{"an expired token is permanent", 400, 190, publish.Permanent, false},
		{"a page rate limit is transient", 400, 32, publish.Transient, false},
		{"an app rate limit is transient", 403, 4, publish.Transient, false},
		{"a duplicate is a permanent duplicate", 400, 506, publish.Permanent, true},
		{"an unknown error in a 500 is transient", 500, 1, publish.Transient, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fake(t)
			s.FailCode(pageID, tt.status, tt.code, 1)
			_, err := client(s, pageToken, appSecret).Post(ctx(t), publish.Post{Text: "Kode", Link: article})
			pe := assertGraphCode(t, err, fmt.Sprint(tt.code), tt.kind)
			if pe.Status != tt.status || pe.Duplicate != tt.duplicate {
				t.Fatalf("err = %+v; want status %d, duplicate %v", pe, tt.status, tt.duplicate)
			}
		})
	}
}

func TestNoSecretInErrors(t *testing.T) {
	secrets := []string{pageToken, appSecret}
	// A server that is gone: net/http errors name the URL, query string included.
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	// A server that hangs until the client gives up.
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	// A server whose paging link carries the token in its query, as Graph's does.
	paging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("after") != "" {
			// Drop the connection so net/http reports the URL, token and all.
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		fmt.Fprintf(w, `{"data":[{"id":"1_2","message":"lain"}],"paging":{"next":"http://%s%s?access_token=%s&after=x"}}`,
			r.Host, r.URL.Path, pageToken)
	}))
	t.Cleanup(paging.Close)
	// A server that echoes the token back in a Graph error.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":{"message":"Malformed access token %s","type":"OAuthException","code":190}}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "OAuth "))
	}))
	t.Cleanup(echo.Close)

	calls := []struct {
		name string
		call func(ctx context.Context, c *facebook.Client) error
	}{
		{"find", func(ctx context.Context, c *facebook.Client) error { _, _, err := c.Find(ctx, article); return err }},
		{"verify", func(ctx context.Context, c *facebook.Client) error { _, err := c.Verify(ctx); return err }},
		{"post", func(ctx context.Context, c *facebook.Client) error {
			_, err := c.Post(ctx, publish.Post{Text: "x", Link: article})
			return err
		}},
	}
	servers := []struct {
		name      string
		url       string
		transient bool
	}{
		{"a refused connection", goneURL, true},
		{"a hanging server", hang.URL, true},
		{"a paging link with the token in it", paging.URL, true},
		{"an error that echoes the token", echo.URL, false},
	}
	for _, srv := range servers {
		for _, call := range calls {
			t.Run(call.name+" against "+srv.name, func(t *testing.T) {
				c := facebook.New(facebook.Config{BaseURL: srv.url, PageID: pageID, PageToken: pageToken, AppSecret: appSecret})
				cx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
				defer cancel()
				err := call.call(cx, c)
				if err == nil {
					t.Fatal("want an error")
				}
				for _, sec := range append(secrets, facebookProof()) {
					if strings.Contains(err.Error(), sec) || strings.Contains(fmt.Sprintf("%+v", err), sec) {
						t.Fatalf("error %q contains a credential", err)
					}
				}
				if call.name == "find" && publish.IsTransient(err) != srv.transient {
					t.Fatalf("err = %v; transient = %v, want %v", err, publish.IsTransient(err), srv.transient)
				}
			})
		}
	}
}

func facebookProof() string { return fbfake.Proof(pageToken, appSecret) }

func TestTransportErrorsKeepTheirCause(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	c := facebook.New(facebook.Config{BaseURL: hang.URL, PageID: pageID, PageToken: pageToken})

	t.Run("a deadline is transient and still a deadline", func(t *testing.T) {
		cx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.Verify(cx)
		var pe *publish.Error
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &pe) || !publish.IsTransient(err) {
			t.Fatalf("err = %v; want a transient *publish.Error wrapping the deadline", err)
		}
	})
	t.Run("a run cancelled mid-request may have been sent, and may go through next time", func(t *testing.T) {
		cx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Verify(cx)
		if !errors.Is(err, context.Canceled) || !publish.IsTransient(err) || !publish.MayHavePosted(err) {
			t.Fatalf("err = %v; want a transient error wrapping the cancellation, maybe sent", err)
		}
	})
	t.Run("a run cancelled before the request left sent nothing", func(t *testing.T) {
		cx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Verify(cx)
		if !errors.Is(err, context.Canceled) || publish.MayHavePosted(err) {
			t.Fatalf("err = %v; want the cancellation, not sent", err)
		}
	})
}

func TestOpenFromTheEnvironment(t *testing.T) {
	open := func(env map[string]string) (publish.Poster, error) {
		acc := platform.Account{Key: "kpu", Platform: "facebook", Settings: map[string]string{"page_id": pageID}}
		return facebook.Platform.Open(acc, func(k string) string { return env[k] }, "")
	}
	t.Run("a missing page token names its variable", func(t *testing.T) {
		_, err := open(map[string]string{"HUMAS_KPU_FACEBOOK_APP_SECRET": appSecret})
		var me *publish.MissingCredentialsError
		if !errors.As(err, &me) || len(me.Vars) != 1 || me.Vars[0] != "HUMAS_KPU_FACEBOOK_PAGE_TOKEN" {
			t.Fatalf("err = %v; want HUMAS_KPU_FACEBOOK_PAGE_TOKEN named as missing", err)
		}
		if err.Error() != "kpu/facebook: HUMAS_KPU_FACEBOOK_PAGE_TOKEN is not set" {
			t.Fatalf("message %q", err)
		}
	})
	t.Run("token and app secret reach the page", func(t *testing.T) {
		s := fake(t)
		c, err := open(map[string]string{
			"HUMAS_KPU_FACEBOOK_PAGE_TOKEN": pageToken,
			"HUMAS_KPU_FACEBOOK_APP_SECRET": appSecret,
			"HUMAS_FACEBOOK_GRAPH_URL":      s.URL + "/",
		})
		if err != nil {
			t.Fatal(err)
		}
		if name, err := c.Verify(ctx(t)); err != nil || name != "KPU Kota Balikpapan" {
			t.Fatalf("verify = %q, %v; want the page name", name, err)
		}
	})
	t.Run("without the app secret the proof is missing and the fake says so", func(t *testing.T) {
		s := fake(t)
		c, err := open(map[string]string{"HUMAS_KPU_FACEBOOK_PAGE_TOKEN": pageToken, "HUMAS_FACEBOOK_GRAPH_URL": s.URL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Verify(ctx(t))
		assertGraphCode(t, err, "100", publish.Permanent)
	})
}

func TestVersionIsPinnedInThePath(t *testing.T) {
	var (
		mu    sync.Mutex
		paths []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.URL.Path)
		fmt.Fprint(w, `{"id":"1","name":"Halaman"}`)
	}))
	t.Cleanup(srv.Close)
	for _, base := range []string{srv.URL, srv.URL + "/"} {
		c := facebook.New(facebook.Config{BaseURL: base, PageID: pageID, PageToken: pageToken})
		if _, err := c.Verify(ctx(t)); err == nil {
			t.Fatal("verify of a page with another id succeeded")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := "/" + facebook.GraphVersion + "/me"
	if len(paths) != 2 || paths[0] != want || paths[1] != want {
		t.Fatalf("paths %q; want %q twice", paths, want)
	}
}

func assertGraphCode(t *testing.T, err error, code string, kind publish.Kind) *publish.Error {
	t.Helper()
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Platform != "facebook" || pe.Code != code || pe.Kind != kind {
		t.Fatalf("err = %#v (%v); want a facebook error code %s, kind %v", pe, err, code, kind)
	}
	return pe
}
