package x

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
)

type signatureExample struct {
	Method         string            `json:"method"`
	Query          map[string]string `json:"query"`
	FormBody       map[string]string `json:"form_body"`
	ConsumerKey    string            `json:"oauth_consumer_key"`
	ConsumerSecret string            `json:"consumer_secret"`
	Nonce          string            `json:"oauth_nonce"`
	Timestamp      int64             `json:"oauth_timestamp,string"`
	Token          string            `json:"oauth_token"`
	TokenSecret    string            `json:"token_secret"`
	Expected       map[string]string `json:"expected"`
}

func loadExample(t *testing.T) signatureExample {
	t.Helper()
	b, err := os.ReadFile("testdata/oauth1-x-signature.json")
	if err != nil {
		t.Fatal(err)
	}
	var ex signatureExample
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Expected) != 2 {
		t.Fatalf("example gives %d expected signatures, want one per host", len(ex.Expected))
	}
	return ex
}

// authParams reads back the parameters of an OAuth Authorization header.
func authParams(t *testing.T, h string) map[string]string {
	t.Helper()
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok {
		t.Fatalf("authorization %q is not OAuth", h)
	}
	out := map[string]string{}
	for _, part := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(part, "=")
		v, err := url.PathUnescape(strings.Trim(v, `"`))
		if err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

func TestSignatureMatchesXWorkedExample(t *testing.T) {
	ex := loadExample(t)
	for endpoint, want := range ex.Expected {
		t.Run(endpoint, func(t *testing.T) {
			s := signer{
				consumerKey: ex.ConsumerKey, consumerSecret: ex.ConsumerSecret,
				token: ex.Token, tokenSecret: ex.TokenSecret,
				nonce: func() string { return ex.Nonce },
				now:   func() time.Time { return time.Unix(ex.Timestamp, 0) },
			}
			q := url.Values{}
			for k, v := range ex.Query {
				q.Set(k, v)
			}
			form := url.Values{}
			for k, v := range ex.FormBody {
				form.Set(k, v)
			}
			req, err := http.NewRequest(ex.Method, endpoint+"?"+q.Encode(), strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.authorize(req, form); err != nil {
				t.Fatal(err)
			}
			got := authParams(t, req.Header.Get("Authorization"))
			if got["oauth_signature"] != want {
				t.Errorf("signature %q, want %q", got["oauth_signature"], want)
			}
			for k, v := range map[string]string{"oauth_consumer_key": ex.ConsumerKey, "oauth_token": ex.Token,
				"oauth_nonce": ex.Nonce, "oauth_signature_method": "HMAC-SHA1", "oauth_version": "1.0",
				"oauth_timestamp": "1318622958"} {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// capture answers nothing and keeps the request the library signed.
type capture struct{ req *http.Request }

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	c.req = r
	return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
}

type fixedNonce string

func (n fixedNonce) Nonce() string { return string(n) }

// The library's own transport cannot be given a clock, so its header is compared with
// ours at the timestamp it chose: both must sign a v2 request identically.
func TestSignatureAgreesWithOAuth1Transport(t *testing.T) {
	ex := loadExample(t)
	cases := []struct{ name, method, url, contentType, body string }{
		{"json post", "POST", "https://api.x.com/2/tweets", "application/json", `{"text":"Halo Balikpapan"}`},
		{"query with commas", "GET", "https://api.x.com/2/users/12/tweets?max_results=100&tweet.fields=entities,created_at", "", ""},
		{"form body", "POST", "http://127.0.0.1:8080/1.1/x?b=2&a=1", "application/x-www-form-urlencoded", "status=Hello+Ladies+%2B+Gentlemen%21&z=%E2%9C%93"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := oauth1.NewConfig(ex.ConsumerKey, ex.ConsumerSecret)
			cfg.Noncer = fixedNonce(ex.Nonce)
			rt := &capture{}
			hc := cfg.Client(oauth1.NoContext, oauth1.NewToken(ex.Token, ex.TokenSecret))
			hc.Transport.(*oauth1.Transport).Base = rt
			req, _ := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			lib := authParams(t, rt.req.Header.Get("Authorization"))

			sec, err := strconv.ParseInt(lib["oauth_timestamp"], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			s := signer{
				consumerKey: ex.ConsumerKey, consumerSecret: ex.ConsumerSecret,
				token: ex.Token, tokenSecret: ex.TokenSecret,
				nonce: func() string { return ex.Nonce },
				now:   func() time.Time { return time.Unix(sec, 0) },
			}
			ours, _ := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
			var form url.Values
			if c.contentType == "application/x-www-form-urlencoded" {
				form, _ = url.ParseQuery(c.body)
			}
			if err := s.authorize(ours, form); err != nil {
				t.Fatal(err)
			}
			if got := authParams(t, ours.Header.Get("Authorization")); got["oauth_signature"] != lib["oauth_signature"] {
				t.Errorf("signature %q, library signs %q", got["oauth_signature"], lib["oauth_signature"])
			}
		})
	}
}

func BenchmarkSign(b *testing.B) {
	s := signer{consumerKey: "k", consumerSecret: "cs", token: "t", tokenSecret: "ts",
		nonce: oauth1.Base64Noncer{}.Nonce, now: time.Now}
	q := "https://api.x.com/2/users/1400000001/tweets?max_results=100&tweet.fields=entities,created_at"
	for range b.N {
		req, _ := http.NewRequest("GET", q, nil)
		if err := s.authorize(req, nil); err != nil {
			b.Fatal(err)
		}
	}
}
