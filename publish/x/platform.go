package x

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/xtext"
)

// usernameRE is X's rule for a handle: 1 to 15 letters, digits or underscores
// (https://help.x.com/en/managing-your-account/x-username-rules).
var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// Platform is X as the rest of humas sees it.
var Platform = &platform.Platform{
	Name:        publish.X,
	DisplayName: "X",
	Length:      xtext.Length,
	Limit:       xtext.Limit,
	FoldSummary: true,
	// https://docs.x.com/x-api/media: images up to 5 MB through the API (GIFs
	// 15 MB, but a release's picture is a photo); JPG, PNG, GIF and WEBP; alt text
	// (POST /2/media/metadata) up to 1,000 characters.
	Media: platform.Media{
		Formats:  []string{"jpeg", "png", "gif", "webp"},
		MaxBytes: 5 << 20,
		MaxAlt:   1000,
	},
	Account: platform.Schema{
		Fields: []platform.Field{{
			Key:      "username",
			Required: true,
			Hint:     "the handle without @ (1 to 15 letters, digits or _), e.g. kpubalikpapan",
			Clean:    platform.TrimPrefix("@"),
			Check:    platform.Matches(usernameRE, "an X username"),
		}},
		Example:     "{username: kpubalikpapan}",
		Placeholder: func(key string) map[string]string { return map[string]string{"username": key} },
	},
	Credentials: []platform.Credential{
		{Field: "X_API_KEY", Required: true, About: "the app's API key (OAuth 1.0a consumer key)"},
		{Field: "X_API_SECRET", Required: true, About: "the app's API key secret"},
		{Field: "X_ACCESS_TOKEN", Required: true, About: "the account's access token"},
		{Field: "X_ACCESS_SECRET", Required: true, About: "the account's access token secret"},
	},
	Endpoint: platform.Endpoint{Var: "HUMAS_X_API_URL", Default: DefaultBaseURL},
	New: func(c platform.Conn) (publish.Poster, error) {
		return New(Config{
			BaseURL:      c.BaseURL,
			Username:     c.Account.Get("username"),
			APIKey:       c.Secret("X_API_KEY"),
			APISecret:    c.Secret("X_API_SECRET"),
			AccessToken:  c.Secret("X_ACCESS_TOKEN"),
			AccessSecret: c.Secret("X_ACCESS_SECRET"),
		}), nil
	},
	// X shows a link without its scheme and www., cut after 27 characters
	// (display_url), a card with the page's title and domain only, and an ALT
	// badge on a picture that has alt text.
	Look:       platform.Look{Logo: "𝕏", LinkChars: 27, AltBadge: true},
	VerifyCall: "GET /2/users/me",
	Identity:   handle,
	Handle:     handle,
	Repost:     platform.Quote,
	PostID:     postID,
}

// statusRE is a post's address on X (or twitter.com, which X still answers):
// https://x.com/<handle>/status/<id>.
var statusRE = regexp.MustCompile(`^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?:([A-Za-z0-9_]{1,15})|i/web)/status/([0-9]+)/?(?:[?#].*)?$`)

// postID is the id of a's post at u, for a post a person records (humas resolve).
// An address naming another account is refused (handles ignore case); an i/web
// address names none.
func postID(a platform.Account, u string) (string, error) {
	m := statusRE.FindStringSubmatch(u)
	if m == nil {
		return "", fmt.Errorf("%q is not a post on X such as https://x.com/%s/status/1403…", u, a.Get("username"))
	}
	if m[1] != "" && !strings.EqualFold(m[1], a.Get("username")) {
		return "", fmt.Errorf("%q is a post of @%s, not of @%s: copy the link of the post on @%s", u, m[1], a.Get("username"), a.Get("username"))
	}
	return m[2], nil
}

func handle(a platform.Account) string { return "@" + a.Get("username") }
