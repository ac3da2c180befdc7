package telegram

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
)

// Telegram's limits on what one post may say, counted after entity parsing (Bot API,
// sendMessage "text: 1-4096 characters after entities parsing", sendPhoto
// "caption: 0-1024 characters after entities parsing"). Telegram counts characters:
// 4,096 emoji, 8,192 UTF-16 units, are accepted.
const (
	MessageLimit = 4096
	CaptionLimit = 1024
)

// Length counts a post's text as Telegram counts it, in characters. humas sends
// every character escaped and no tag, so the text after entity parsing is the
// text itself.
func Length(text string) int { return utf8.RuneCountInString(text) }

// LimitFor is the limit p's text is held to: a photo's caption, or a message.
func LimitFor(p publish.Post) int {
	if p.Image != nil {
		return CaptionLimit
	}
	return MessageLimit
}

// MessageURL is where a message opens: https://t.me/<channel>/<id>, or
// https://t.me/c/<id>/<id> in a channel without a public name. ref is a Receipt's ID.
func MessageURL(ref string) string { return "https://t.me/" + ref }

// MessageRef is the Receipt ID of the message at u, a t.me link as the channel's
// "Copy Post Link" gives it, for a message a person records (humas resolve).
func MessageRef(u string) (string, error) {
	ref, ok := strings.CutPrefix(strings.TrimSuffix(u, "/"), "https://t.me/")
	if !ok || !messageRef.MatchString(ref) {
		return "", fmt.Errorf("%q is not a Telegram message link such as https://t.me/kpubalikpapan/123 (Copy Post Link in the channel)", u)
	}
	return ref, nil
}

// messageRef is what a Receipt's ID looks like: "kpubalikpapan/123" or
// "c/1234567890/123", the path of the message's t.me link.
var messageRef = regexp.MustCompile(`^(?:[A-Za-z][A-Za-z0-9_]{3,31}|c/[0-9]+)/[0-9]+$`)

// Text is what readers see of p in the channel: its text, the article's link when the
// text does not carry it, and, for a partner's post, the link to the issuer's
// message (p.Quote, the ID of the issuer's Telegram receipt).
func Text(p publish.Post) (string, error) {
	text := strings.TrimSpace(p.Text)
	if p.Link != "" && !publish.LinksTo(text, p.Link) {
		text = strings.TrimSpace(text + "\n\n" + p.Link)
	}
	if p.Quote != "" {
		if !messageRef.MatchString(p.Quote) {
			return "", fmt.Errorf("the issuer's message %q is not a Telegram message reference such as kpubalikpapan/123", p.Quote)
		}
		if u := MessageURL(p.Quote); !publish.LinksTo(text, u) {
			text += "\n" + u
		}
	}
	return text, nil
}

// escapeHTML escapes text for parse_mode HTML as the Bot API asks: every <, > and &
// becomes &lt;, &gt; and &amp;, and " becomes &quot;, the only named entities it
// knows. Nothing else is touched, so the text after parsing is text itself.
func escapeHTML(text string) string {
	return htmlEscaper.Replace(text)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
