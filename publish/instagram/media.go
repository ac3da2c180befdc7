package instagram

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // to name what a refused picture is
	_ "image/jpeg"
	_ "image/png"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

// What Instagram takes in a single-image feed post, as Meta documents it for
// POST /{ig-user-id}/media ("Image specifications" and the caption parameter) and in
// the Content Publishing guide. The picture's rules are Platform.Media, which check
// and the preview read from the registry; these are the caption's and the post's.
const (
	// MaxCaption is the caption's limit in characters.
	MaxCaption = 2200
	// MaxHashtags and MaxMentions are the most hashtags and @-mentions a caption may hold.
	MaxHashtags = 30
	MaxMentions = 20
	// MaxCollaborators is how many accounts one post may invite as collaborators.
	MaxCollaborators = 3
	// PublishingLimit is the documented quota of API-published posts in 24 hours;
	// the adapter reads the account's own figure from content_publishing_limit.
	PublishingLimit = 50
)

// imageProblem says why Instagram would refuse data, by Platform.Media, or "".
func imageProblem(data []byte) string {
	img := platform.Image{Bytes: int64(len(data))}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		img.Format, img.Width, img.Height = format, cfg.Width, cfg.Height
	}
	problems := Platform.CheckImage(img)
	if len(problems) == 0 {
		return ""
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// CheckCaption says why Instagram would refuse caption: too long, or too many
// hashtags or mentions.
func CheckCaption(caption string) error {
	if n := utf8.RuneCountInString(caption); n > MaxCaption {
		return fmt.Errorf("the caption is %d characters: Instagram takes at most %d", n, MaxCaption)
	}
	if n := Hashtags(caption); n > MaxHashtags {
		return fmt.Errorf("the caption has %d hashtags: Instagram takes at most %d", n, MaxHashtags)
	}
	if n := count(caption, '@', isUsernameRune); n > MaxMentions {
		return fmt.Errorf("the caption mentions %d accounts: Instagram takes at most %d", n, MaxMentions)
	}
	return nil
}

// Hashtags counts the hashtags in caption as Instagram links them: # followed by
// letters, digits or underscores, not in the middle of a word.
func Hashtags(caption string) int {
	return count(caption, '#', func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) })
}

func isUsernameRune(r rune) bool {
	return r == '_' || r == '.' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// count counts sigil followed by at least one rune that body accepts, where the
// sigil does not continue a word.
func count(s string, sigil rune, body func(rune) bool) int {
	n := 0
	prev := ' '
	for i, r := range s {
		if r == sigil && !unicode.IsLetter(prev) && !unicode.IsDigit(prev) && prev != '_' {
			if next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):]); body(next) {
				n++
			}
		}
		prev = r
	}
	return n
}

// Address is how a caption names the article: links in a caption are not clickable,
// so it is the address a reader types, without scheme or trailing slash
// (humas.balikpapan.go.id/pemilu-damai).
func Address(link string) string {
	a := strings.TrimSpace(link)
	for _, scheme := range []string{"https://", "http://"} {
		if len(a) >= len(scheme) && strings.EqualFold(a[:len(scheme)], scheme) {
			a = a[len(scheme):]
			break
		}
	}
	return strings.TrimRight(a, "/")
}

// CaptionNames reports whether caption names the article at link, with or without
// its scheme, as a whole address: humas.balikpapan.go.id/a is not named by
// humas.balikpapan.go.id/a-b or by xhumas.balikpapan.go.id/a.
func CaptionNames(caption, link string) bool {
	addr := Address(link)
	if addr == "" {
		return false
	}
	for i := 0; i < len(caption); {
		j := strings.Index(caption[i:], addr)
		if j < 0 {
			return false
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(caption[:at])
		if at == 0 || !isHostRune(before) {
			// publish.LinksTo judges where the address ends, as for every platform.
			if publish.LinksTo(caption[at:at+len(addr)]+endOf(caption[at+len(addr):]), addr) {
				return true
			}
		}
		i = at + 1
	}
	return false
}

// endOf is the rest of a caption after an address, cut to what LinksTo needs to see:
// an optional slash and the character after it.
func endOf(rest string) string {
	n := 0
	if strings.HasPrefix(rest, "/") {
		n = 1
	}
	if n < len(rest) {
		_, size := utf8.DecodeRuneInString(rest[n:])
		n += size
	}
	return rest[:n]
}

func isHostRune(r rune) bool {
	return r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
