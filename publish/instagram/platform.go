package instagram

import (
	"regexp"
	"strings"
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

// Platform is an Instagram professional account as the rest of humas sees it.
var Platform = &platform.Platform{
	Name:        Name,
	DisplayName: "Instagram",
	Length:      utf8.RuneCountInString,
	Limit:       MaxCaption,
	MaxHashtags: MaxHashtags,
	CheckText: func(caption string) string {
		if err := CheckCaption(caption); err != nil {
			return err.Error()
		}
		return ""
	},
	// Links in a caption are not clickable: the caption names the address.
	Address: Address,
	// IG User Media reference, "Image specifications": JPEG only, 8 MB at most, an
	// aspect ratio from 4:5 to 1.91:1 (narrower than 320 or wider than 1440 pixels
	// is scaled, not refused). No post goes out without a picture.
	Media: platform.Media{
		Formats:       []string{"jpeg"},
		MaxBytes:      8 << 20,
		MinAspect:     4.0 / 5,
		MaxAspect:     1.91,
		ImageRequired: true,
		FromSite:      true,
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
		}, {
			// On the issuer's entry: partners are invited as collaborators on the
			// issuer's post (a Collab post, shown on both profiles) instead of
			// posting their own.
			Key:   "collab",
			Hint:  "true to invite partners as collaborators on this account's posts, or false",
			Clean: strings.ToLower,
			Check: platform.Matches(regexp.MustCompile(`^(true|false)$`), "true or false"),
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
	// The picture above its caption, whose links are plain text.
	Look: platform.Look{Logo: "◎", PictureFirst: true, PlainLinks: true},
	// A partner posts its own post crediting the issuer, or, with collab: true on
	// the issuer, is invited on the issuer's post (publish.Post.Collaborators).
	Repost:        platform.Credit,
	Collaborators: MaxCollaborators,
}

func handle(a platform.Account) string { return "@" + a.Get("username") }
