package instagram

import (
	"regexp"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

var (
	userIDRE = regexp.MustCompile(`^[0-9]+$`)
	// Instagram usernames: up to 30 letters, digits, periods and underscores
	// (https://help.instagram.com/370452623149242).
	usernameRE = regexp.MustCompile(`^[A-Za-z0-9._]{1,30}$`)
)

// Platform is an Instagram professional account as the rest of humas sees it. It
// is not in the registry yet (publish/platform/all): wiring Instagram into config,
// compose, preview and the pipeline is the next step, and is that one line.
var Platform = &platform.Platform{
	Name:        Name,
	DisplayName: "Instagram",
	Length:      utf8.RuneCountInString,
	Limit:       MaxCaption,
	// IG User Media reference, "Image specifications": JPEG only, 8 MB at most, an
	// aspect ratio from 4:5 to 1.91:1 (narrower than 320 or wider than 1440 pixels
	// is scaled, not refused). No post goes out without a picture.
	Media: platform.Media{
		Formats:       []string{"jpeg"},
		MaxBytes:      8 << 20,
		MinAspect:     4.0 / 5,
		MaxAspect:     1.91,
		ImageRequired: true,
	},
	Account: platform.Schema{
		Fields: []platform.Field{{
			Key:      "user_id",
			Required: true,
			Hint:     `the Instagram professional account's numeric id (ig-user-id), in quotes, e.g. "17841400000000002"`,
			Check:    platform.Matches(userIDRE, "an Instagram account id"),
		}, {
			Key:      "username",
			Required: true,
			Hint:     "the handle without @ (letters, digits, . or _), e.g. kpubalikpapan",
			Clean:    platform.TrimPrefix("@"),
			Check:    platform.Matches(usernameRE, "an Instagram username"),
		}},
		Example: `{user_id: "17841400000000002", username: kpubalikpapan}`,
	},
	Credentials: []platform.Credential{
		{Field: "INSTAGRAM_TOKEN", Required: true,
			About: "a long-lived access token with instagram_basic, instagram_content_publish and pages_read_engagement"},
		{Field: "INSTAGRAM_APP_SECRET", About: "the Meta app's secret: turns on appsecret_proof"},
	},
	Endpoint: platform.Endpoint{Var: "HUMAS_INSTAGRAM_GRAPH_URL", Default: DefaultBaseURL},
	New: func(c platform.Conn) (publish.Poster, error) {
		return New(Config{
			BaseURL:   c.BaseURL,
			UserID:    c.Account.Get("user_id"),
			Username:  c.Account.Get("username"),
			Token:     c.Secret("INSTAGRAM_TOKEN"),
			TokenVar:  publish.EnvName(c.Account.Key, "INSTAGRAM_TOKEN"),
			AppSecret: c.Secret("INSTAGRAM_APP_SECRET"),
		}), nil
	},
	VerifyCall: "GET /{ig-user-id}?fields=id,username",
	Identity:   handle,
	Handle:     handle,
	// A partner posts its own post crediting the issuer; the Collab invitation is
	// the issuer's post naming partners in publish.Post.Collaborators.
	Repost: platform.Credit,
}

func handle(a platform.Account) string { return "@" + a.Get("username") }
