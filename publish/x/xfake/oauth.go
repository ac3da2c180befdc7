package xfake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// This file checks OAuth 1.0a signatures as X does. It is written apart from the
// adapter's signer on purpose: two implementations that must agree, each held to X's
// published worked example, catch what one implementation checking itself cannot.

// parseAuthorization reads the oauth_ parameters of an "OAuth k="v", …" header.
func parseAuthorization(h string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok {
		return nil, errors.New("authorization is not OAuth")
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, errors.New("malformed oauth parameter")
		}
		key, err1 := url.PathUnescape(k)
		val, err2 := url.PathUnescape(v[1 : len(v)-1])
		if err1 != nil || err2 != nil {
			return nil, errors.New("malformed oauth parameter encoding")
		}
		if _, dup := params[key]; dup {
			return nil, errors.New("repeated oauth parameter")
		}
		params[key] = val
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_token", "oauth_signature_method",
		"oauth_timestamp", "oauth_nonce", "oauth_signature"} {
		if params[k] == "" {
			return nil, errors.New("missing " + k)
		}
	}
	if params["oauth_signature_method"] != "HMAC-SHA1" {
		return nil, errors.New("unsupported signature method")
	}
	if v, ok := params["oauth_version"]; ok && v != "1.0" {
		return nil, errors.New("unsupported oauth version")
	}
	return params, nil
}

// baseString is RFC 5849 section 3.4.1 for a request as the server received it. Only
// the query and an application/x-www-form-urlencoded body are signed parameters.
func baseString(method, scheme, host, escapedPath string, query, form url.Values, oauth map[string]string) string {
	var pairs [][2]string
	for _, vals := range []url.Values{query, form} {
		for k, vs := range vals {
			for _, v := range vs {
				pairs = append(pairs, [2]string{encode(k), encode(v)})
			}
		}
	}
	for k, v := range oauth {
		if k == "oauth_signature" || k == "realm" {
			continue
		}
		pairs = append(pairs, [2]string{encode(k), encode(v)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p[0] + "=" + p[1])
	}
	scheme = strings.ToLower(scheme)
	host = strings.ToLower(host)
	if scheme == "http" {
		host = strings.TrimSuffix(host, ":80")
	} else if scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	}
	uri := scheme + "://" + host + escapedPath
	return strings.ToUpper(method) + "&" + encode(uri) + "&" + encode(b.String())
}

// signature is HMAC-SHA1 keyed with the encoded consumer and token secrets.
func signature(base, consumerSecret, tokenSecret string) string {
	mac := hmac.New(sha1.New, []byte(encode(consumerSecret)+"&"+encode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// encode is RFC 3986 percent-encoding: everything but ALPHA, DIGIT, "-", ".", "_", "~".
func encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// requestBase is the base string of r as it arrived.
func requestBase(r *http.Request, oauth map[string]string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	var form url.Values
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		form = r.PostForm
	}
	return baseString(r.Method, scheme, r.Host, r.URL.EscapedPath(), r.URL.Query(), form, oauth)
}
