package facebook

import (
	"regexp"
	"unicode/utf16"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

// Limit is the longest message a Page post may have, in UTF-16 code units.
const Limit = 63206

var pageIDRE = regexp.MustCompile(`^[0-9]+$`)

// Platform is a Facebook Page as the rest of humas sees it.
var Platform = &platform.Platform{
	Name:        publish.Facebook,
	DisplayName: "Facebook",
	Length:      utf16Len,
	Limit:       Limit,
	// https://developers.facebook.com/docs/graph-api/reference/page/photos/:
	// JPEG, BMP, PNG, GIF and TIFF (and WebP, which Pages show), up to 4 MB. The
	// alt_text_custom field documents no limit.
	Media: platform.Media{
		Formats:  []string{"jpeg", "png", "gif", "webp", "bmp", "tiff"},
		MaxBytes: 4 << 20,
	},
	Account: platform.Schema{
		Fields: []platform.Field{{
			Key:      "page_id",
			Required: true,
			Hint:     `the numeric id of the Page, in quotes, e.g. "100000000000002"`,
			Check:    platform.Matches(pageIDRE, "a Page id"),
		}},
		Example:     `{page_id: "100000000000002"}`,
		Placeholder: func(string) map[string]string { return map[string]string{"page_id": "0"} },
	},
	Credentials: []platform.Credential{
		{Field: "FACEBOOK_PAGE_TOKEN", Required: true, About: "a long-lived Page access token with pages_manage_posts and pages_read_engagement"},
		{Field: "FACEBOOK_APP_SECRET", About: "the app secret: turns on appsecret_proof"},
	},
	Endpoint: platform.Endpoint{Var: "HUMAS_FACEBOOK_GRAPH_URL", Default: DefaultBaseURL},
	New: func(c platform.Conn) (publish.Poster, error) {
		return New(Config{
			BaseURL:   c.BaseURL,
			PageID:    c.Account.Get("page_id"),
			PageToken: c.Secret("FACEBOOK_PAGE_TOKEN"),
			AppSecret: c.Secret("FACEBOOK_APP_SECRET"),
		}), nil
	},
	// Facebook shows links as written and a link card with the domain, the title
	// and the description.
	Look:       platform.Look{Logo: "f", CardDescription: true},
	VerifyCall: "GET /me",
	// Graph answers the Page's name, which humas.yaml does not hold; Verify itself
	// refuses a token of another page.
	Identity: func(platform.Account) string { return "" },
	Handle:   func(platform.Account) string { return "Halaman Facebook" },
	Repost:   platform.Credit,
}

// utf16Len counts as Facebook does, in UTF-16 code units, without a copy of s:
// fitting a long summary counts it several times.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
