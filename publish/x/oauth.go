package x

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dghubble/oauth1"
)

// signer adds an OAuth 1.0a (HMAC-SHA1, user context) Authorization header to a request.
// It builds the signature base string itself, instead of using oauth1.Transport, because
// the library's clock is unexported and the signature must be testable against X's worked
// example with a fixed timestamp; the digest and the encoding are the library's.
type signer struct {
	consumerKey, consumerSecret string
	token, tokenSecret          string
	nonce                       func() string
	now                         func() time.Time
}

// authorize signs req. form holds the parameters of an application/x-www-form-urlencoded
// body, the only body whose parameters OAuth 1.0a signs; JSON and multipart bodies are not.
func (s *signer) authorize(req *http.Request, form url.Values) error {
	oauth := map[string]string{
		"oauth_consumer_key":     s.consumerKey,
		"oauth_nonce":            s.nonce(),
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(s.now().Unix(), 10),
		"oauth_token":            s.token,
		"oauth_version":          "1.0",
	}
	base := signatureBase(req.Method, req.URL, form, oauth)
	sig, err := (&oauth1.HMACSigner{ConsumerSecret: s.consumerSecret}).Sign(s.tokenSecret, base)
	if err != nil {
		return err
	}
	oauth["oauth_signature"] = sig
	req.Header.Set("Authorization", authorizationHeader(oauth))
	return nil
}

// signatureBase is RFC 5849 section 3.4.1: method, base URI and the sorted, encoded
// parameters of the query, the form body and the oauth_ fields.
func signatureBase(method string, u *url.URL, form url.Values, oauth map[string]string) string {
	type pair struct{ k, v string }
	var pairs []pair
	add := func(vals url.Values) {
		for k, vs := range vals {
			for _, v := range vs {
				pairs = append(pairs, pair{oauth1.PercentEncode(k), oauth1.PercentEncode(v)})
			}
		}
	}
	add(u.Query())
	add(form)
	for k, v := range oauth {
		pairs = append(pairs, pair{oauth1.PercentEncode(k), oauth1.PercentEncode(v)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	params := make([]string, len(pairs))
	for i, p := range pairs {
		params[i] = p.k + "=" + p.v
	}
	return strings.ToUpper(method) + "&" + oauth1.PercentEncode(baseURI(u)) + "&" +
		oauth1.PercentEncode(strings.Join(params, "&"))
}

// baseURI is RFC 5849 section 3.4.1.2: lower-case scheme and host, no default port, no query.
func baseURI(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if port := u.Port(); scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		host = strings.TrimSuffix(host, ":"+port)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

func authorizationHeader(oauth map[string]string) string {
	keys := make([]string, 0, len(oauth))
	for k := range oauth {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = oauth1.PercentEncode(k) + `="` + oauth1.PercentEncode(oauth[k]) + `"`
	}
	return "OAuth " + strings.Join(parts, ", ")
}
