package fbfake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/balikpapan/humas/publish/facebook/fbfake"
	"github.com/balikpapan/humas/publish/postertest"
)

const (
	pageA  = "100000000000001"
	tokenA = "token-a"
	pageB  = "100000000000002"
	tokenB = "token-b"
	secret = "secret-b"
)

func start(t *testing.T) *fbfake.Server {
	t.Helper()
	s := fbfake.New()
	t.Cleanup(s.Close)
	s.AddPage(fbfake.Page{ID: pageA, Name: "Diskominfo Kota Balikpapan", Token: tokenA})
	s.AddPage(fbfake.Page{ID: pageB, Name: "KPU Kota Balikpapan", Token: tokenB, AppSecret: secret})
	return s
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (a answer) code() int {
	e, _ := a.body["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return int(c)
}

func call(t *testing.T, method, u, token string, form url.Values) answer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "OAuth "+token)
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&a.body); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return a
}

func post(message, link string) url.Values {
	v := url.Values{}
	if message != "" {
		v.Set("message", message)
	}
	if link != "" {
		v.Set("link", link)
	}
	return v
}

func withProof(v url.Values, token, secret string) url.Values {
	v.Set("appsecret_proof", fbfake.Proof(token, secret))
	return v
}

func TestRefusals(t *testing.T) {
	s := start(t)
	feedA := s.URL + "/v25.0/" + pageA + "/feed"
	tests := []struct {
		name   string
		method string
		url    string
		token  string
		form   url.Values
		status int
		code   int
	}{
		{"a path without a version", "GET", s.URL + "/me", tokenA, nil, 400, 2500},
		{"a request without a token", "POST", feedA, "", post("x", ""), 400, 104},
		{"an unknown token", "POST", feedA, "nope", post("x", ""), 400, 190},
		{"another page's token", "POST", feedA, tokenB, withProof(post("x", ""), tokenB, secret), 403, 200},
		{"a missing appsecret_proof", "GET", s.URL + "/v25.0/me", tokenB, nil, 400, 100},
		{"a wrong appsecret_proof", "POST", s.URL + "/v25.0/" + pageB + "/feed", tokenB, withProof(post("x", ""), tokenB, "other"), 400, 100},
		{"a post with neither message nor link", "POST", feedA, tokenA, url.Values{}, 400, 100},
		{"a link that is no URL", "POST", feedA, tokenA, post("x", "pemilu"), 400, 100},
		{"an unknown page", "POST", s.URL + "/v25.0/123/feed", tokenA, post("x", ""), 400, 100},
		{"an unknown edge", "GET", s.URL + "/v25.0/" + pageA + "/albums", tokenA, nil, 400, 100},
		{"a field a post does not have", "GET", feedA + "?fields=id,likes", tokenA, nil, 400, 100},
		{"a photo without a file", "POST", s.URL + "/v25.0/" + pageA + "/photos", tokenA, post("x", ""), 400, 324},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, tt.method, tt.url, tt.token, tt.form)
			if a.status != tt.status || a.code() != tt.code {
				t.Fatalf("answer %d %v; want HTTP %d code %d", a.status, a.body, tt.status, tt.code)
			}
		})
	}
	if n := len(s.Posts(pageA)) + len(s.Posts(pageB)); n != 0 {
		t.Fatalf("fake holds %d posts after refusals; want none", n)
	}
	if n := s.Requests(); n != len(tests) {
		t.Fatalf("Requests() = %d; want %d", n, len(tests))
	}
}

func TestPostsAndDuplicates(t *testing.T) {
	s := start(t)
	feed := s.URL + "/v25.0/" + pageA + "/feed"
	first := call(t, "POST", feed, tokenA, post("Sama", "https://humas.example/a/"))
	if first.status != 200 || !strings.HasPrefix(fmt.Sprint(first.body["id"]), pageA+"_") {
		t.Fatalf("first post: %d %v; want a page post id", first.status, first.body)
	}
	t.Run("the same message and link again is refused with 506", func(t *testing.T) {
		a := call(t, "POST", feed, tokenA, post("Sama", "https://humas.example/a/"))
		if a.status != 400 || a.code() != 506 {
			t.Fatalf("answer %d %v; want 506", a.status, a.body)
		}
	})
	t.Run("the same message with another link is a new post", func(t *testing.T) {
		if a := call(t, "POST", feed, tokenA, post("Sama", "https://humas.example/b/")); a.status != 200 {
			t.Fatalf("answer %d %v", a.status, a.body)
		}
	})
	t.Run("the token may also come as access_token", func(t *testing.T) {
		v := post("Lewat parameter", "")
		v.Set("access_token", tokenA)
		if a := call(t, "POST", feed, "", v); a.status != 200 {
			t.Fatalf("answer %d %v", a.status, a.body)
		}
	})
	t.Run("a page with an app secret takes the right proof", func(t *testing.T) {
		a := call(t, "POST", s.URL+"/v25.0/"+pageB+"/feed", tokenB, withProof(post("KPU", ""), tokenB, secret))
		if a.status != 200 || len(s.Posts(pageB)) != 1 {
			t.Fatalf("answer %d %v; want the post recorded", a.status, a.body)
		}
	})
	posts := s.Posts(pageA)
	if len(posts) != 3 || posts[0].Message != "Sama" || posts[0].Link != "https://humas.example/a/" {
		t.Fatalf("posts %+v; want 3, oldest first", posts)
	}
}

func TestPhoto(t *testing.T) {
	s := start(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("caption", "Foto https://humas.example/a/")
	mw.WriteField("alt_text_custom", "Petugas KPP")
	fw, _ := mw.CreateFormFile("source", "foto.png")
	fw.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/v25.0/"+pageA+"/photos", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tokenA)
	a := send(t, req)
	if a.status != 200 || a.body["id"] == nil || !strings.HasPrefix(fmt.Sprint(a.body["post_id"]), pageA+"_") {
		t.Fatalf("answer %d %v; want id and post_id", a.status, a.body)
	}
	p := s.Posts(pageA)
	if len(p) != 1 || !p[0].Photo || p[0].AltText != "Petugas KPP" || p[0].ID != a.body["post_id"] {
		t.Fatalf("posts %+v", p)
	}
	feed := call(t, "GET", s.URL+"/v25.0/"+pageA+"/feed?fields=id,link,message", tokenA, nil)
	data := feed.body["data"].([]any)
	if link := data[0].(map[string]any)["link"]; !strings.Contains(fmt.Sprint(link), "photo.php?fbid=") {
		t.Fatalf("a photo post's link is %v; want the photo page, as Graph gives", link)
	}
}

func TestFeedIsNewestFirstAndPaged(t *testing.T) {
	s := start(t)
	for i := range 5 {
		call(t, "POST", s.URL+"/v25.0/"+pageA+"/feed", tokenA, post(fmt.Sprintf("Berita %d", i), ""))
	}
	var got []string
	next := s.URL + "/v25.0/" + pageA + "/feed?fields=id,message&limit=2"
	pages := 0
	for next != "" {
		a := call(t, "GET", next, tokenA, nil)
		if a.status != 200 {
			t.Fatalf("feed: %d %v", a.status, a.body)
		}
		for _, d := range a.body["data"].([]any) {
			got = append(got, d.(map[string]any)["message"].(string))
		}
		next = ""
		if p, ok := a.body["paging"].(map[string]any); ok {
			next, _ = p["next"].(string)
		}
		pages++
	}
	want := []string{"Berita 4", "Berita 3", "Berita 2", "Berita 1", "Berita 0"}
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
		t.Fatalf("feed gave %q over %d pages; want %q over 3", got, pages, want)
	}
}

func TestMe(t *testing.T) {
	s := start(t)
	a := call(t, "GET", s.URL+"/v25.0/me?fields=id,name&appsecret_proof="+fbfake.Proof(tokenB, secret), tokenB, nil)
	if a.status != 200 || a.body["id"] != pageB || a.body["name"] != "KPU Kota Balikpapan" {
		t.Fatalf("me = %d %v; want the KPU page", a.status, a.body)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		fail   func(s *fbfake.Server)
		status int
		code   int
		header string
	}{
		{"unavailable answers 503 code 2", func(s *fbfake.Server) { s.Fail(pageA, postertest.Unavailable, 1) }, 503, 2, ""},
		{"rate limited answers code 32 with a wait", func(s *fbfake.Server) { s.Fail(pageA, postertest.RateLimited, 1) }, 400, 32, "Retry-After"},
		{"unauthorized answers code 190", func(s *fbfake.Server) { s.Fail(pageA, postertest.Unauthorized, 1) }, 400, 190, ""},
		{"a scripted code answers as told", func(s *fbfake.Server) { s.FailCode(pageA, 500, 1, 1) }, 500, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t)
			tt.fail(s)
			a := call(t, "POST", s.URL+"/v25.0/"+pageA+"/feed", tokenA, post("Gangguan", ""))
			if a.status != tt.status || a.code() != tt.code {
				t.Fatalf("answer %d %v; want HTTP %d code %d", a.status, a.body, tt.status, tt.code)
			}
			if tt.header != "" && a.header.Get(tt.header) == "" {
				t.Fatalf("answer has no %s header", tt.header)
			}
			if n := len(s.Posts(pageA)); n != 0 {
				t.Fatalf("fake holds %d posts after a fault; want 0", n)
			}
			if a := call(t, "POST", s.URL+"/v25.0/"+pageA+"/feed", tokenA, post("Gangguan", "")); a.status != 200 {
				t.Fatalf("the fault outlived its count: %d %v", a.status, a.body)
			}
		})
	}
	t.Run("a fault hits only its page", func(t *testing.T) {
		s := start(t)
		s.Fail(pageB, postertest.Unavailable, 1)
		if a := call(t, "POST", s.URL+"/v25.0/"+pageA+"/feed", tokenA, post("Aman", "")); a.status != 200 {
			t.Fatalf("page A answered %d %v", a.status, a.body)
		}
	})
	t.Run("reads are not faulted", func(t *testing.T) {
		s := start(t)
		s.Fail(pageA, postertest.Unavailable, 1)
		if a := call(t, "GET", s.URL+"/v25.0/"+pageA+"/feed", tokenA, nil); a.status != 200 {
			t.Fatalf("feed answered %d %v", a.status, a.body)
		}
	})
}

func TestConcurrentPosts(t *testing.T) {
	s := start(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			v := post(fmt.Sprintf("Serentak %d", i), "")
			req, _ := http.NewRequest("POST", s.URL+"/v25.0/"+pageA+"/feed", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "OAuth "+tokenA)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	posts := s.Posts(pageA)
	ids := map[string]bool{}
	for _, p := range posts {
		ids[p.ID] = true
	}
	if len(posts) != 20 || len(ids) != 20 {
		t.Fatalf("fake holds %d posts with %d ids; want 20 distinct", len(posts), len(ids))
	}
}
