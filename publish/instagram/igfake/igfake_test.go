package igfake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/instagram/igfake"
)

const (
	userA  = "17841400000000001"
	tokenA = "token-a"
	userB  = "17841400000000002"
	tokenB = "token-b"
	secret = "secret-b"
)

type reply struct {
	status int
	header http.Header
	body   map[string]any
}

func (r reply) code() (int, int) {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(float64)
	s, _ := e["error_subcode"].(float64)
	return int(c), int(s)
}

func start(t *testing.T) (*igfake.Server, *httptest.Server, *atomic.Int32) {
	t.Helper()
	s := igfake.New()
	t.Cleanup(s.Close)
	s.AddAccount(igfake.Account{UserID: userA, Username: "diskominfobpp", Token: tokenA})
	s.AddAccount(igfake.Account{UserID: userB, Username: "kpubalikpapan", Token: tokenB, AppSecret: secret})
	var fetched atomic.Int32
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 400, 500)), nil); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		if r.URL.Path != "/kartu.jpg" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b.Bytes())
	}))
	t.Cleanup(site.Close)
	return s, site, &fetched
}

func call(t *testing.T, s *igfake.Server, method, path, token string, form url.Values) reply {
	t.Helper()
	u := s.URL + path
	var req *http.Request
	var err error
	if method == http.MethodGet {
		if len(form) > 0 {
			u += "?" + form.Encode()
		}
		req, err = http.NewRequest(method, u, nil)
	} else {
		req, err = http.NewRequest(method, u, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "OAuth "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&r.body); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return r
}

// graphHeaders asserts what Graph sends on every answer.
func graphHeaders(t *testing.T, r reply) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if r.header.Get("x-fb-trace-id") == "" || r.header.Get("facebook-api-version") == "" {
		t.Errorf("headers %v; want x-fb-trace-id and facebook-api-version", r.header)
	}
}

func createContainer(t *testing.T, s *igfake.Server, site string, caption string) string {
	t.Helper()
	r := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media", tokenA,
		url.Values{"image_url": {site + "/kartu.jpg"}, "caption": {caption}, "alt_text": {"kartu"}})
	if r.status != http.StatusOK {
		t.Fatalf("create container: %d %v", r.status, r.body)
	}
	return r.body["id"].(string)
}

func status(t *testing.T, s *igfake.Server, id string) string {
	t.Helper()
	r := call(t, s, http.MethodGet, "/v25.0/"+id, tokenA, url.Values{"fields": {"id,status_code"}})
	graphHeaders(t, r)
	return fmt.Sprint(r.body["status_code"])
}

func TestEveryAnswerCarriesGraphsHeaders(t *testing.T) {
	s, _, _ := start(t)
	ok := call(t, s, http.MethodGet, "/v25.0/"+userA, tokenA, url.Values{"fields": {"id,username"}})
	graphHeaders(t, ok)
	if ok.header.Get("facebook-api-version") != "v25.0" || !strings.Contains(ok.header.Get("X-Business-Use-Case-Usage"), `"type":"instagram"`) {
		t.Errorf("headers %v; want the version asked for and Instagram's usage", ok.header)
	}
	bad := call(t, s, http.MethodGet, "/v25.0/"+userA, "tidak-dikenal", nil)
	graphHeaders(t, bad)
	if c, _ := bad.code(); c != 190 || !strings.HasPrefix(bad.header.Get("WWW-Authenticate"), `OAuth "Facebook Platform" "invalid_token"`) {
		t.Errorf("unknown token: code %d, WWW-Authenticate %q", c, bad.header.Get("WWW-Authenticate"))
	}
	if c, _ := call(t, s, http.MethodGet, "/"+userA, tokenA, nil).code(); c != 2500 {
		t.Errorf("a path without a version: code %d; want 2500", c)
	}
}

func TestAContainerIsInProgressThenFinishedThenPublishedOnce(t *testing.T) {
	s, site, fetched := start(t)
	s.Processing(2)
	id := createContainer(t, s, site.URL, "Rapat pleno")
	if fetched.Load() != 1 {
		t.Fatalf("the image was fetched %d times; want once, at creation", fetched.Load())
	}
	publish := func() reply {
		return call(t, s, http.MethodPost, "/v25.0/"+userA+"/media_publish", tokenA, url.Values{"creation_id": {id}})
	}
	if c, sub := publish().code(); c != 9007 || sub != 2207027 {
		t.Fatalf("publishing an unfinished container: %d/%d; want 9007/2207027", c, sub)
	}
	for i, want := range []string{"IN_PROGRESS", "IN_PROGRESS", "FINISHED"} {
		if got := status(t, s, id); got != want {
			t.Fatalf("check %d: %s; want %s", i+1, got, want)
		}
	}
	r := publish()
	if r.status != http.StatusOK || r.body["id"] == "" {
		t.Fatalf("publish: %d %v", r.status, r.body)
	}
	if got := status(t, s, id); got != "PUBLISHED" {
		t.Fatalf("after publishing: %s", got)
	}
	if r := publish(); r.status != http.StatusBadRequest {
		t.Fatalf("publishing twice: %d; want a refusal", r.status)
	}
	if n := len(s.Posts(userA)); n != 1 {
		t.Fatalf("%d posts; want 1", n)
	}
}

func TestAContainerExpiresAfter24Hours(t *testing.T) {
	s, site, _ := start(t)
	id := createContainer(t, s, site.URL, "Lama")
	s.Advance(24 * time.Hour)
	if got := status(t, s, id); got != "EXPIRED" {
		t.Fatalf("status %s; want EXPIRED", got)
	}
	r := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media_publish", tokenA, url.Values{"creation_id": {id}})
	if c, sub := r.code(); c != -2 || sub != 2207020 {
		t.Fatalf("publishing an expired container: %d/%d; want -2/2207020", c, sub)
	}
}

func TestThePublishingLimitCountsAMoving24Hours(t *testing.T) {
	s, site, _ := start(t)
	s.AddAccount(igfake.Account{UserID: userA, Username: "diskominfobpp", Token: tokenA, Quota: 1})
	s.Processing(0)
	id := createContainer(t, s, site.URL, "Satu")
	call(t, s, http.MethodPost, "/v25.0/"+userA+"/media_publish", tokenA, url.Values{"creation_id": {id}})
	limit := func(since time.Time) reply {
		q := url.Values{"fields": {"quota_usage,config"}}
		if !since.IsZero() {
			q.Set("since", strconv.FormatInt(since.Unix(), 10))
		}
		return call(t, s, http.MethodGet, "/v25.0/"+userA+"/content_publishing_limit", tokenA, q)
	}
	r := limit(time.Time{})
	data := r.body["data"].([]any)[0].(map[string]any)
	if data["quota_usage"].(float64) != 1 || data["config"].(map[string]any)["quota_total"].(float64) != 1 {
		t.Fatalf("limit %v; want 1 of 1", r.body)
	}
	s.Advance(3 * time.Second)
	if u := limit(s.Now().Add(-time.Second)).body["data"].([]any)[0].(map[string]any)["quota_usage"]; u.(float64) != 0 {
		t.Fatalf("usage since a second ago = %v; want 0", u)
	}
	if c, _ := limit(s.Now().Add(-25 * time.Hour)).code(); c != 100 {
		t.Fatalf("since older than 24 hours: code %d; want 100", c)
	}
	id2 := createContainer(t, s, site.URL, "Dua")
	if c, sub := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media_publish", tokenA, url.Values{"creation_id": {id2}}).code(); c != 9 || sub != 2207042 {
		t.Fatalf("publishing past the limit: %d/%d; want 9/2207042", c, sub)
	}
	s.Advance(24 * time.Hour)
	if r := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media_publish", tokenA, url.Values{"creation_id": {id2}}); r.status != http.StatusBadRequest {
		// the container expired with the window: a new one is needed
		t.Fatalf("publish: %d", r.status)
	}
}

func TestImagesAreFetchedOnlyFromLocalServers(t *testing.T) {
	s, site, fetched := start(t)
	r := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media", tokenA,
		url.Values{"image_url": {"https://humas.balikpapan.go.id/kartu.jpg"}})
	if c, sub := r.code(); c != 9004 || sub != 2207052 || fetched.Load() != 0 {
		t.Fatalf("an unmapped public host: %d/%d, %d fetches; want 9004/2207052 and no fetch", c, sub, fetched.Load())
	}
	s.ServeHost("humas.balikpapan.go.id", strings.TrimPrefix(site.URL, "http://"))
	r = call(t, s, http.MethodPost, "/v25.0/"+userA+"/media", tokenA,
		url.Values{"image_url": {"https://humas.balikpapan.go.id/kartu.jpg"}})
	if r.status != http.StatusOK || fetched.Load() != 1 {
		t.Fatalf("a mapped host: %d %v, %d fetches", r.status, r.body, fetched.Load())
	}
}

func TestAnotherAccountsObjectsDoNotExist(t *testing.T) {
	s, site, _ := start(t)
	id := createContainer(t, s, site.URL, "Milik A")
	form := url.Values{"fields": {"id,status_code"}, "appsecret_proof": {igfake.Proof(tokenB, secret)}}
	if c, sub := call(t, s, http.MethodGet, "/v25.0/"+id, tokenB, form).code(); c != 100 || sub != 33 {
		t.Fatalf("B reading A's container: %d/%d; want 100/33", c, sub)
	}
	if c, _ := call(t, s, http.MethodGet, "/v25.0/"+userB, tokenB, nil).code(); c != 100 {
		t.Fatalf("B without its appsecret_proof: code %d; want 100", c)
	}
}

func TestCaptionLimits(t *testing.T) {
	s, site, _ := start(t)
	for name, caption := range map[string]string{
		"2,201 characters": strings.Repeat("a", 2201),
		"31 hashtags":      strings.Repeat("#x ", 31),
		"21 mentions":      strings.Repeat("@x ", 21),
	} {
		r := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media", tokenA,
			url.Values{"image_url": {site.URL + "/kartu.jpg"}, "caption": {caption}})
		if c, _ := r.code(); c != 100 {
			t.Errorf("%s: code %d; want 100", name, c)
		}
	}
	if r := call(t, s, http.MethodPost, "/v25.0/"+userA+"/media", tokenA,
		url.Values{"image_url": {site.URL + "/kartu.jpg"}, "caption": {strings.Repeat("#x ", 30)}}); r.status != http.StatusOK {
		t.Errorf("30 hashtags: %d %v; want accepted", r.status, r.body)
	}
}

func TestMediaArePagedNewestFirst(t *testing.T) {
	s, site, _ := start(t)
	s.Processing(0)
	for i := range 3 {
		id := createContainer(t, s, site.URL, fmt.Sprint("Berita ", i))
		call(t, s, http.MethodPost, "/v25.0/"+userA+"/media_publish", tokenA, url.Values{"creation_id": {id}})
	}
	r := call(t, s, http.MethodGet, "/v25.0/"+userA+"/media", tokenA, url.Values{"fields": {"id,caption"}, "limit": {"2"}})
	data := r.body["data"].([]any)
	next, _ := r.body["paging"].(map[string]any)["next"].(string)
	if len(data) != 2 || data[0].(map[string]any)["caption"] != "Berita 2" || next == "" {
		t.Fatalf("first page %v; want the two newest and a next link", r.body)
	}
	if c, _ := call(t, s, http.MethodGet, "/v25.0/"+userA+"/media", tokenA, url.Values{"fields": {"id,likes"}}).code(); c != 100 {
		t.Fatalf("an unknown field: code %d; want 100", c)
	}
}
