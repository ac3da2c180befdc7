// Package graph is what publish/facebook and publish/instagram, the two clients
// of Meta's Graph API, share: the version both pin (one Meta app speaks one
// version), where Graph lives, appsecret_proof, keeping a token on Graph's own
// host, and how an answer's error object and the wait it asks for are read. What
// each API decides on those (which codes are transient, what a person can do) stays
// in its package.
package graph

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Version is the Graph API version every request names. It is pinned so a new
// Graph release never changes behaviour under a running press office; v25.0
// (February 2026) is supported until July 2028.
const Version = "v25.0"

// DefaultBaseURL is where the Graph API lives; each platform's variable
// (HUMAS_FACEBOOK_GRAPH_URL, HUMAS_INSTAGRAM_GRAPH_URL) overrides it.
const DefaultBaseURL = "https://graph.facebook.com"

// MaxBody bounds how much of an answer is read; Graph answers here are small.
const MaxBody = 4 << 20

// Base is the address every request starts with: baseURL (DefaultBaseURL when
// empty) and version (Version when empty), without a trailing slash.
func Base(baseURL, version string) string {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if version == "" {
		version = Version
	}
	return strings.TrimRight(baseURL, "/") + "/" + strings.Trim(version, "/")
}

// HTTPClient is hc, or when nil a client with a 60 s timeout (every call also
// carries the caller's context, and this is the floor for callers that give none
// with a deadline), that never follows a redirect: Graph's paging links carry the
// token in their query, and net/http following a redirect sends the address it
// left as Referer to wherever the redirect points. Graph answers the calls humas
// makes without redirecting, so a redirect is answered as the failure it is.
func HTTPClient(hc *http.Client) *http.Client {
	c := http.Client{Timeout: 60 * time.Second}
	if hc != nil {
		c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// Proof is what Graph expects in appsecret_proof: the token signed with the app
// secret (hex HMAC-SHA256), so a stolen token alone cannot be used from elsewhere.
func Proof(token, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// SameHost reports whether u is on base's scheme and host: a paging link Graph
// gives is followed only there, since the token travels with the request.
func SameHost(base, u string) bool {
	a, err1 := url.Parse(u)
	b, err2 := url.Parse(base)
	return err1 == nil && err2 == nil && a.Scheme == b.Scheme && a.Host == b.Host
}

// Scrub removes every one of secrets from s, as is and URL-escaped, however it
// got there.
func Scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
			s = strings.ReplaceAll(s, url.QueryEscape(sec), "[redacted]")
		}
	}
	return s
}

// Error is the error object Graph answers with ("Handling Errors" in the Graph
// API documentation); Instagram adds the user-facing title and message.
type Error struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	IsTransient bool   `json:"is_transient"`
	UserTitle   string `json:"error_user_title"`
	UserMsg     string `json:"error_user_msg"`
}

// ErrorOf is the error object of an answer's body, nil when it has none: a body
// that is not Graph's JSON (a proxy's page) is judged by its status alone.
func ErrorOf(body []byte) *Error {
	var env struct {
		Error *Error `json:"error"`
	}
	_ = json.Unmarshal(body, &env)
	return env.Error
}

// RetryAfter reads how long Graph asked to wait: Retry-After (seconds, or an HTTP
// date) when Graph or a proxy sends it, the finer figure; else the largest
// estimated_time_to_regain_access (minutes) of the Business Use Case usage header
// and of the flat usage headers named (X-App-Usage, X-Page-Usage), those the API
// counts the token's calls in.
func RetryAfter(h http.Header, flat ...string) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			if d := time.Until(t); d > 0 {
				return d
			}
		}
	}
	minutes := 0
	// X-Business-Use-Case-Usage: {"<id>": [{"type": "pages", ..., "estimated_time_to_regain_access": 5}]}
	var buc map[string][]usage
	if json.Unmarshal([]byte(h.Get("X-Business-Use-Case-Usage")), &buc) == nil {
		for _, list := range buc {
			for _, u := range list {
				minutes = max(minutes, u.EstimatedTimeToRegainAccess)
			}
		}
	}
	for _, name := range flat {
		var u usage
		if json.Unmarshal([]byte(h.Get(name)), &u) == nil {
			minutes = max(minutes, u.EstimatedTimeToRegainAccess)
		}
	}
	return time.Duration(minutes) * time.Minute
}

type usage struct {
	EstimatedTimeToRegainAccess int `json:"estimated_time_to_regain_access"`
}
