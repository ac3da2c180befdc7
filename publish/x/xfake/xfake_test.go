package xfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/postertest"
)

var (
	kpu = Account{Username: "kpubalikpapan", APIKey: "kpu-key", APISecret: "kpu-api-secret-Q1",
		AccessToken: "1-kpu-token", AccessSecret: "kpu-access-secret-W2"}
	kominfo = Account{Username: "diskominfobpp", APIKey: "kominfo-key", APISecret: "kominfo-api-secret-E3",
		AccessToken: "2-kominfo-token", AccessSecret: "kominfo-access-secret-R4"}
)

func TestVerifierMatchesXWorkedExample(t *testing.T) {
	b, err := os.ReadFile("../testdata/oauth1-x-signature.json")
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Method         string            `json:"method"`
		Query          map[string]string `json:"query"`
		FormBody       map[string]string `json:"form_body"`
		ConsumerSecret string            `json:"consumer_secret"`
		TokenSecret    string            `json:"token_secret"`
		Expected       map[string]string `json:"expected"`
	}
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	_ = json.Unmarshal(b, &raw)
	oauth := map[string]string{}
	for k, v := range raw {
		if s, ok := v.(string); ok && strings.HasPrefix(k, "oauth_") {
			oauth[k] = s
		}
	}
	if len(oauth) != 6 || len(ex.Expected) != 2 {
		t.Fatalf("example has %d oauth fields and %d hosts", len(oauth), len(ex.Expected))
	}
	query, form := url.Values{}, url.Values{}
	for k, v := range ex.Query {
		query.Set(k, v)
	}
	for k, v := range ex.FormBody {
		form.Set(k, v)
	}
	for endpoint, want := range ex.Expected {
		t.Run(endpoint, func(t *testing.T) {
			u, _ := url.Parse(endpoint)
			base := baseString(ex.Method, u.Scheme, u.Host, u.EscapedPath(), query, form, oauth)
			if got := signature(base, ex.ConsumerSecret, ex.TokenSecret); got != want {
				t.Errorf("signature %q, want %q", got, want)
			}
		})
	}
}

// signer makes requests as a client of the fake would, with the clock and nonce in the
// test's hands.
type signer struct {
	t     *testing.T
	url   string
	nonce atomic.Int64
}

type req struct {
	method, path string
	query        url.Values
	contentType  string
	body         string
	as           Account
	at           time.Time             // zero: now
	nonce        string                // empty: a fresh one
	tamper       func(r *http.Request) // after signing
}

// build returns the signed request r describes.
func (s *signer) build(r req) *http.Request {
	s.t.Helper()
	target := s.url + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	hr, err := http.NewRequest(r.method, target, strings.NewReader(r.body))
	if err != nil {
		s.t.Fatal(err)
	}
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	}
	if r.as.APIKey != "" {
		at := r.at
		if at.IsZero() {
			at = time.Now()
		}
		nonce := r.nonce
		if nonce == "" {
			nonce = fmt.Sprintf("nonce-%d-%d", time.Now().UnixNano(), s.nonce.Add(1))
		}
		oauth := map[string]string{"oauth_consumer_key": r.as.APIKey, "oauth_token": r.as.AccessToken,
			"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": strconv.FormatInt(at.Unix(), 10),
			"oauth_nonce": nonce, "oauth_version": "1.0"}
		var form url.Values
		if r.contentType == "application/x-www-form-urlencoded" {
			form, _ = url.ParseQuery(r.body)
		}
		base := baseString(r.method, hr.URL.Scheme, hr.URL.Host, hr.URL.EscapedPath(), hr.URL.Query(), form, oauth)
		oauth["oauth_signature"] = signature(base, r.as.APISecret, r.as.AccessSecret)
		var parts []string
		for k, v := range oauth {
			parts = append(parts, encode(k)+`="`+encode(v)+`"`)
		}
		sort.Strings(parts)
		hr.Header.Set("Authorization", "OAuth "+strings.Join(parts, ", "))
	}
	if r.tamper != nil {
		r.tamper(hr)
	}
	return hr
}

func (s *signer) do(r req) (int, map[string]any) {
	s.t.Helper()
	resp, err := http.DefaultClient.Do(s.build(r))
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for _, a := range []Account{kpu, kominfo} {
		for _, sec := range []string{a.APISecret, a.AccessSecret} {
			if strings.Contains(string(data), sec) {
				s.t.Fatalf("answer %s holds a secret", data)
			}
		}
	}
	var body map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &body); err != nil {
			s.t.Fatalf("answer %q is not JSON: %v", data, err)
		}
	}
	return resp.StatusCode, body
}

func start(t *testing.T) (*Server, *signer) {
	s := New()
	t.Cleanup(s.Close)
	s.AddAccount(kpu)
	s.AddAccount(kominfo)
	return s, &signer{t: t, url: s.URL}
}

func TestAuthentication(t *testing.T) {
	me := req{method: "GET", path: "/2/users/me", as: kpu}
	cases := []struct {
		name string
		r    func(r req) req
		want int
	}{
		{"a well signed request is answered", func(r req) req { return r }, 200},
		{"a request without authorization is refused", func(r req) req { r.as = Account{}; return r }, 401},
		{"a bearer token is refused", func(r req) req {
			r.tamper = func(h *http.Request) { h.Header.Set("Authorization", "Bearer abc") }
			return r
		}, 401},
		{"a malformed header is refused", func(r req) req {
			r.tamper = func(h *http.Request) {
				h.Header.Set("Authorization", strings.ReplaceAll(h.Header.Get("Authorization"), `"`, ""))
			}
			return r
		}, 401},
		{"an unknown consumer key is refused", func(r req) req { r.as.APIKey = "other"; return r }, 401},
		{"an unknown token is refused", func(r req) req { r.as.AccessToken = "3-other"; return r }, 401},
		{"a token with another account's consumer key is refused", func(r req) req {
			r.as.APIKey, r.as.APISecret = kominfo.APIKey, kominfo.APISecret
			return r
		}, 401},
		{"a wrong consumer secret is refused", func(r req) req { r.as.APISecret = "x"; return r }, 401},
		{"a wrong token secret is refused", func(r req) req { r.as.AccessSecret = "x"; return r }, 401},
		{"a timestamp four minutes old is accepted", func(r req) req { r.at = time.Now().Add(-4 * time.Minute); return r }, 200},
		{"a timestamp six minutes old is refused", func(r req) req { r.at = time.Now().Add(-6 * time.Minute); return r }, 401},
		{"a timestamp six minutes ahead is refused", func(r req) req { r.at = time.Now().Add(6 * time.Minute); return r }, 401},
		{"a query changed after signing is refused", func(r req) req {
			r.path, r.query = "/2/users/1/tweets", url.Values{"max_results": {"5"}}
			r.tamper = func(h *http.Request) { h.URL.RawQuery = "max_results=6" }
			return r
		}, 401},
		{"a path changed after signing is refused", func(r req) req {
			r.tamper = func(h *http.Request) { h.URL.Path = "/2/users/mE" }
			return r
		}, 401},
		{"a signed form body passes authentication", func(r req) req {
			r.method, r.path, r.contentType, r.body = "POST", "/1.1/none", "application/x-www-form-urlencoded", "status=Halo+%2B+semua"
			return r
		}, 404},
		{"a form body changed after signing is refused", func(r req) req {
			r.method, r.path, r.contentType, r.body = "POST", "/1.1/none", "application/x-www-form-urlencoded", "status=Halo"
			r.tamper = func(h *http.Request) { h.Body = io.NopCloser(strings.NewReader("status=Hai")); h.ContentLength = 10 }
			return r
		}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, sg := start(t)
			status, body := sg.do(c.r(me))
			if status != c.want {
				t.Fatalf("status %d, want %d (%v)", status, c.want, body)
			}
			if status == 401 && (body["title"] != "Unauthorized" || body["status"] != float64(401)) {
				t.Errorf("401 body %v; want X's problem format", body)
			}
		})
	}
	t.Run("a nonce is accepted once", func(t *testing.T) {
		_, sg := start(t)
		r := me
		r.nonce = "once"
		if status, _ := sg.do(r); status != 200 {
			t.Fatalf("first use: %d", status)
		}
		if status, _ := sg.do(r); status != 401 {
			t.Fatalf("second use: %d, want 401", status)
		}
	})
}

func tweet(as Account, body string) req {
	return req{method: "POST", path: "/2/tweets", contentType: "application/json", body: body, as: as}
}

func TestCreateTweet(t *testing.T) {
	long := strings.Repeat("é", 281)
	cases := []struct {
		name string
		body string
		want int
	}{
		{"a text is posted", `{"text":"Halo Balikpapan"}`, 201},
		{"280 characters are accepted", `{"text":"` + long[len("é"):] + `"}`, 201},
		{"281 characters are refused", `{"text":"` + long + `"}`, 403},
		{"a long link counts as 23, as X weighs it", `{"text":"` + strings.Repeat("a", 256) + ` https://humas.balikpapan.go.id/` + strings.Repeat("p", 80) + `"}`, 201},
		{"141 emoji weigh 282 and are refused", `{"text":"` + strings.Repeat("🎉", 141) + `"}`, 403},
		{"a post without text is refused", `{}`, 400},
		{"an empty text is refused", `{"text":" "}`, 400},
		{"an unknown field is refused", `{"text":"a","quote_tweet":"1"}`, 400},
		{"a body that is not JSON is refused", `text=a`, 400},
		{"a quote of an unknown post is refused", `{"text":"a","quote_tweet_id":"99"}`, 400},
		{"an unknown media id is refused", `{"text":"a","media":{"media_ids":["99"]}}`, 400},
		{"an empty media list is refused", `{"text":"a","media":{"media_ids":[]}}`, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, sg := start(t)
			status, body := sg.do(tweet(kpu, c.body))
			if status != c.want {
				t.Fatalf("status %d, want %d (%v)", status, c.want, body)
			}
			if n := len(s.Posts(kpu.Username)); (status == 201) != (n == 1) {
				t.Errorf("fake holds %d posts after a %d", n, status)
			}
		})
	}
	t.Run("the same text twice on one account is a duplicate", func(t *testing.T) {
		_, sg := start(t)
		sg.do(tweet(kpu, `{"text":"Sama"}`))
		status, body := sg.do(tweet(kpu, `{"text":"Sama"}`))
		if status != 403 || body["detail"] != "You are not allowed to create a Tweet with duplicate content." {
			t.Fatalf("%d %v; want X's duplicate refusal", status, body)
		}
		if status, _ := sg.do(tweet(kominfo, `{"text":"Sama"}`)); status != 201 {
			t.Fatalf("same text on another account: %d, want 201", status)
		}
	})
	t.Run("a quote of another account's post is accepted", func(t *testing.T) {
		s, sg := start(t)
		_, body := sg.do(tweet(kominfo, `{"text":"Asal"}`))
		id := body["data"].(map[string]any)["id"].(string)
		if status, body := sg.do(tweet(kpu, `{"text":"Kutip","quote_tweet_id":"`+id+`"}`)); status != 201 {
			t.Fatalf("%d %v", status, body)
		}
		if p := s.Posts(kpu.Username); len(p) != 1 || p[0].QuoteID != id {
			t.Errorf("posts %+v", p)
		}
	})
}

func upload(as Account, data string) req {
	body := "--b\r\nContent-Disposition: form-data; name=\"media_category\"\r\n\r\ntweet_image\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a.gif\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
		data + "\r\n--b--\r\n"
	return req{method: "POST", path: "/2/media/upload", contentType: "multipart/form-data; boundary=b", body: body, as: as}
}

const gif = "GIF89a\x01\x00\x01\x00\x00\x00\x00;"

func TestMedia(t *testing.T) {
	s, sg := start(t)
	status, body := sg.do(upload(kpu, gif))
	if status != 200 {
		t.Fatalf("upload: %d %v", status, body)
	}
	id := body["data"].(map[string]any)["id"].(string)
	t.Run("a file that is not an image is refused", func(t *testing.T) {
		if status, _ := sg.do(upload(kpu, "hello")); status != 400 {
			t.Fatalf("%d, want 400", status)
		}
	})
	t.Run("another account cannot describe the image", func(t *testing.T) {
		status, _ := sg.do(req{method: "POST", path: "/2/media/metadata", contentType: "application/json",
			body: `{"id":"` + id + `","metadata":{"alt_text":{"text":"curang"}}}`, as: kominfo})
		if status != 400 {
			t.Fatalf("%d, want 400", status)
		}
	})
	t.Run("another account cannot attach the image", func(t *testing.T) {
		if status, _ := sg.do(tweet(kominfo, `{"text":"a","media":{"media_ids":["`+id+`"]}}`)); status != 400 {
			t.Fatalf("%d, want 400", status)
		}
	})
	t.Run("the owner describes and attaches it", func(t *testing.T) {
		status, body := sg.do(req{method: "POST", path: "/2/media/metadata", contentType: "application/json",
			body: `{"id":"` + id + `","metadata":{"alt_text":{"text":"Balai kota"}}}`, as: kpu})
		if status != 200 {
			t.Fatalf("metadata: %d %v", status, body)
		}
		if status, body := sg.do(tweet(kpu, `{"text":"a","media":{"media_ids":["`+id+`"]}}`)); status != 201 {
			t.Fatalf("post: %d %v", status, body)
		}
		p := s.Posts(kpu.Username)
		if len(p) != 1 || len(p[0].MediaIDs) != 1 || p[0].MediaIDs[0] != id || p[0].AltTexts[0] != "Balai kota" {
			t.Errorf("posts %+v", p)
		}
	})
}

func TestTimeline(t *testing.T) {
	s, sg := start(t)
	for _, text := range []string{"Satu https://humas.balikpapan.go.id/satu/", "Dua di balikpapan.go.id", "Tiga https://humas.balikpapan.go.id/tiga/ selesai"} {
		if status, body := sg.do(tweet(kpu, `{"text":"`+text+`"}`)); status != 201 {
			t.Fatalf("%d %v", status, body)
		}
	}
	_, me := sg.do(req{method: "GET", path: "/2/users/me", as: kpu})
	uid := me["data"].(map[string]any)["id"].(string)
	q := url.Values{"max_results": {"100"}, "tweet.fields": {"entities,created_at"}}

	t.Run("posts come newest first with their links expanded", func(t *testing.T) {
		status, body := sg.do(req{method: "GET", path: "/2/users/" + uid + "/tweets", query: q, as: kpu})
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		data := body["data"].([]any)
		posts := s.Posts(kpu.Username)
		if len(data) != 3 || data[0].(map[string]any)["id"] != posts[2].ID || data[2].(map[string]any)["id"] != posts[0].ID {
			t.Fatalf("data %v; want the three posts newest first", data)
		}
		newest := data[0].(map[string]any)
		if strings.Contains(newest["text"].(string), "humas.balikpapan") {
			t.Errorf("text %q; X shows links as t.co", newest["text"])
		}
		urls := newest["entities"].(map[string]any)["urls"].([]any)
		u := urls[0].(map[string]any)
		if len(urls) != 1 || u["expanded_url"] != "https://humas.balikpapan.go.id/tiga/" || u["start"] != float64(5) {
			t.Errorf("urls %v", urls)
		}
		bare := data[1].(map[string]any)["entities"].(map[string]any)["urls"].([]any)[0].(map[string]any)
		if bare["expanded_url"] != "http://balikpapan.go.id" || bare["start"] != float64(7) {
			t.Errorf("a bare domain is listed as %v; want it expanded with http://", bare)
		}
		if body["meta"].(map[string]any)["result_count"] != float64(3) {
			t.Errorf("meta %v", body["meta"])
		}
	})
	t.Run("max_results limits the page", func(t *testing.T) {
		_, body := sg.do(req{method: "GET", path: "/2/users/" + uid + "/tweets", query: url.Values{"max_results": {"5"}}, as: kpu})
		if n := len(body["data"].([]any)); n != 3 {
			t.Errorf("%d posts", n)
		}
		if status, _ := sg.do(req{method: "GET", path: "/2/users/" + uid + "/tweets", query: url.Values{"max_results": {"500"}}, as: kpu}); status != 400 {
			t.Errorf("max_results 500: %d, want 400", status)
		}
	})
	t.Run("another account cannot read the timeline", func(t *testing.T) {
		if status, _ := sg.do(req{method: "GET", path: "/2/users/" + uid + "/tweets", query: q, as: kominfo}); status != 403 {
			t.Errorf("%d, want 403", status)
		}
	})
	t.Run("an account without posts has an empty page", func(t *testing.T) {
		_, me := sg.do(req{method: "GET", path: "/2/users/me", as: kominfo})
		id := me["data"].(map[string]any)["id"].(string)
		status, body := sg.do(req{method: "GET", path: "/2/users/" + id + "/tweets", query: q, as: kominfo})
		if _, ok := body["data"]; status != 200 || ok || body["meta"].(map[string]any)["result_count"] != float64(0) {
			t.Errorf("%d %v", status, body)
		}
	})
	t.Run("a post without links has no entities", func(t *testing.T) {
		if status, body := sg.do(tweet(kominfo, `{"text":"Tanpa tautan"}`)); status != 201 {
			t.Fatalf("%d %v", status, body)
		}
		_, me := sg.do(req{method: "GET", path: "/2/users/me", as: kominfo})
		id := me["data"].(map[string]any)["id"].(string)
		_, body := sg.do(req{method: "GET", path: "/2/users/" + id + "/tweets", query: q, as: kominfo})
		if _, ok := body["data"].([]any)[0].(map[string]any)["entities"]; ok {
			t.Errorf("data %v", body["data"])
		}
	})
}

func TestFaults(t *testing.T) {
	t.Run("scripted statuses hit the named account's posts only, then stop", func(t *testing.T) {
		s, sg := start(t)
		s.FailStatus(kpu.Username, http.StatusBadGateway, 2)
		if status, _ := sg.do(req{method: "GET", path: "/2/users/me", as: kpu}); status != 200 {
			t.Fatalf("a read failed: %d", status)
		}
		if status, _ := sg.do(tweet(kominfo, `{"text":"a"}`)); status != 201 {
			t.Fatalf("another account failed: %d", status)
		}
		for i, want := range []int{502, 502, 201} {
			if status, _ := sg.do(tweet(kpu, `{"text":"a"}`)); status != want {
				t.Fatalf("post %d: %d, want %d", i, status, want)
			}
		}
		if n := len(s.Posts(kpu.Username)); n != 1 {
			t.Errorf("%d posts, want 1", n)
		}
	})
	t.Run("a rate limit says when it resets", func(t *testing.T) {
		s, sg := start(t)
		s.Fail(kpu.Username, postertest.RateLimited, 1)
		status, body := sg.do(tweet(kpu, `{"text":"a"}`))
		if status != 429 || body["title"] != "Too Many Requests" {
			t.Fatalf("%d %v", status, body)
		}
	})
	t.Run("a hanging request is released by Close", func(t *testing.T) {
		s, sg := start(t)
		s.Fail(kpu.Username, postertest.Hang, 1)
		hr := sg.build(tweet(kpu, `{"text":"a"}`))
		done := make(chan struct{})
		go func() {
			defer close(done)
			if resp, err := http.DefaultClient.Do(hr); err == nil {
				resp.Body.Close()
			}
		}()
		for s.Requests() == 0 {
			time.Sleep(time.Millisecond)
		}
		select {
		case <-done:
			t.Fatal("the hanging request was answered before Close")
		case <-time.After(50 * time.Millisecond):
		}
		s.Close()
		<-done
		if n := len(s.Posts(kpu.Username)); n != 0 {
			t.Errorf("%d posts, want 0", n)
		}
	})
}

func TestRequestsCountsEveryRequest(t *testing.T) {
	s, sg := start(t)
	sg.do(req{method: "GET", path: "/2/users/me", as: kpu})
	sg.do(req{method: "GET", path: "/2/users/me"})
	sg.do(req{method: "GET", path: "/nowhere", as: kpu})
	if n := s.Requests(); n != 3 {
		t.Errorf("Requests() = %d, want 3", n)
	}
}

func TestHandlerOnACallersListener(t *testing.T) {
	s, _ := start(t)
	other := httptest.NewServer(s.Handler())
	defer other.Close()
	sg := &signer{t: t, url: other.URL}
	if status, body := sg.do(tweet(kpu, `{"text":"lewat pendengar lain"}`)); status != 201 {
		t.Fatalf("%d %v", status, body)
	}
	if n := len(s.Posts(kpu.Username)); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}

// TestRateLimitHeadersOnEveryAnswer: X sends x-rate-limit-limit, -remaining and
// -reset on every answer, success or failure, and 429s once a window is spent.
func TestRateLimitHeadersOnEveryAnswer(t *testing.T) {
	s, c := start(t)
	s.Fail("kpubalikpapan", postertest.Unavailable, 1)
	tweet := func(text string) *http.Response {
		r := c.build(req{method: "POST", path: "/2/tweets", contentType: "application/json", body: `{"text":"` + text + `"}`, as: kpu})
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i, want := range []int{503, 201, 403} { // unavailable, posted, a duplicate refused
		resp := tweet("Sama")
		if resp.StatusCode != want {
			t.Fatalf("answer %d: HTTP %d, want %d", i, resp.StatusCode, want)
		}
		limit, _ := strconv.Atoi(resp.Header.Get("x-rate-limit-limit"))
		left, err := strconv.Atoi(resp.Header.Get("x-rate-limit-remaining"))
		reset, _ := strconv.ParseInt(resp.Header.Get("x-rate-limit-reset"), 10, 64)
		if limit != 100 || err != nil || left != limit-i-1 || time.Until(time.Unix(reset, 0)) < 14*time.Minute {
			t.Errorf("answer %d (HTTP %d): limit %d remaining %d reset in %v", i, want, limit, left, time.Until(time.Unix(reset, 0)))
		}
	}
	for range 97 {
		tweet(fmt.Sprint(time.Now().UnixNano()))
	}
	if resp := tweet("Lagi"); resp.StatusCode != 429 || resp.Header.Get("x-rate-limit-remaining") != "0" {
		t.Fatalf("past the limit: HTTP %d, remaining %q; want 429 and 0", resp.StatusCode, resp.Header.Get("x-rate-limit-remaining"))
	}
	if n := len(s.Posts("kpubalikpapan")); n != 98 {
		t.Fatalf("%d posts, want 98", n)
	}
}
