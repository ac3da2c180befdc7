package publish

import "strings"

// SameLink compares two article URLs as the platforms hand them back: they may drop
// or keep a trailing slash.
func SameLink(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}

// LinksTo reports whether text carries link as a whole URL, so adapters can find a
// post by the article it links: https://x/a/ is not found inside https://x/a-b/ or
// https://x/a/foto/, but is before a full stop, a line break or a query string.
func LinksTo(text, link string) bool {
	u := strings.TrimRight(strings.TrimSpace(link), "/")
	if u == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], u)
		if j < 0 {
			return false
		}
		rest := strings.TrimPrefix(text[i+j+len(u):], "/")
		if rest == "" || strings.ContainsRune(" \t\r\n)]}>\"'.,;:!?#", rune(rest[0])) {
			return true
		}
		i += j + 1
	}
}
