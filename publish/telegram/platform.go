package telegram

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

// channelRE is a channel as humas.yaml may name it: "@" and its public name (5 to
// 32 letters, digits and underscores, starting with a letter), or the numeric id
// (-100…) of a channel without one.
var channelRE = regexp.MustCompile(`^(@[A-Za-z][A-Za-z0-9_]{4,31}|-100[0-9]{6,})$`)

// Platform is a Telegram channel as the rest of humas sees it.
var Platform = &platform.Platform{
	Name:        Name,
	DisplayName: "Telegram",
	Length:      Length,
	// A message; a photo's caption is held to CaptionLimit (LimitFor).
	Limit:      MessageLimit,
	ImageLimit: CaptionLimit,
	// sendPhoto: "The photo must be at most 10 MB in size. The photo's width and
	// height must not exceed 10000 in total. Width and height ratio must be at most
	// 20." Telegram re-encodes what it takes; photos do not carry alt text.
	Media: platform.Media{
		Formats:   []string{"jpeg", "png", "webp"},
		MaxBytes:  10 << 20,
		MinAspect: 1.0 / 20,
		MaxAspect: 20,
	},
	Account: platform.Schema{
		Fields: []platform.Field{{
			Key:      "channel",
			Required: true,
			Hint:     `the channel's public name with @, e.g. "@kpubalikpapan", or its numeric id "-100…"`,
			Clean: func(v string) string {
				v = strings.TrimSpace(v)
				if v != "" && !strings.HasPrefix(v, "@") && !strings.HasPrefix(v, "-") {
					v = "@" + v
				}
				return v
			},
			Check: platform.Matches(channelRE, "a Telegram channel"),
		}},
		Example: `{channel: "@kpubalikpapan"}`,
	},
	Credentials: []platform.Credential{
		{Field: "TELEGRAM_BOT_TOKEN", Required: true,
			About: "the token @BotFather gives the bot, which is an administrator of the channel allowed to post messages"},
	},
	Endpoint: platform.Endpoint{Var: "HUMAS_TELEGRAM_API_URL", Default: DefaultBaseURL},
	New: func(c platform.Conn) (publish.Poster, error) {
		return New(Config{
			BaseURL:  c.BaseURL,
			Channel:  c.Account.Get("channel"),
			Token:    c.Secret("TELEGRAM_BOT_TOKEN"),
			TokenVar: publish.EnvName(c.Account.Key, "TELEGRAM_BOT_TOKEN"),
		}), nil
	},
	VerifyCall: "getMe, getChat, getChatMember",
	Identity: func(a platform.Account) string {
		if ch := a.Get("channel"); strings.HasPrefix(ch, "@") {
			return ch
		}
		return "" // a channel named by id answers with its title
	},
	Handle: func(a platform.Account) string { return a.Get("channel") },
	// The Bot API cannot read a channel: a message a dead run may have sent is
	// for a person to find (humas resolve).
	CannotLook: true,
	PostID:     postID,
	// A photo above its caption; a message's link shows a preview with the page's
	// description.
	// Photos carry no alt text (sendPhoto has no such field).
	Look: platform.Look{Logo: "✈", PictureFirst: true, CardDescription: true, NoAlt: true},
	// A partner's post links the issuer's message when the issuer posted on
	// Telegram (publish.Post.Quote), and names the issuer either way.
	Repost:    platform.Quote,
	QuoteLink: quoteLink,
}

// quoteLink is the link Text adds to a partner's post: the issuer's message id in
// the issuer's channel, by its public name or, without one, its numeric id.
func quoteLink(issuer platform.Account, id string) string {
	ch := strings.TrimPrefix(issuer.Get("channel"), "@")
	if n, ok := strings.CutPrefix(ch, "-100"); ok {
		ch = "c/" + n
	}
	return MessageURL(ch + "/" + id)
}

// postID is the Receipt ID of a's message at u (MessageRef), refused when the
// link is another channel's: recorded, it would stand for a message never sent.
func postID(a platform.Account, u string) (string, error) {
	ref, err := MessageRef(u)
	if err != nil {
		return "", err
	}
	ch := strings.TrimPrefix(a.Get("channel"), "@")
	if n, ok := strings.CutPrefix(ch, "-100"); ok {
		ch = "c/" + n
	}
	if got := ref[:strings.LastIndexByte(ref, '/')]; !strings.EqualFold(got, ch) {
		return "", fmt.Errorf("%q is a message of %s, not of the channel %s: copy the link (Copy Post Link) of the message in %s", u, MessageURL(got), a.Get("channel"), a.Get("channel"))
	}
	return ref, nil
}
