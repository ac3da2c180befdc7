// Package all lists every platform humas posts to. Adding a platform is its package
// and one line here.
package all

import (
	"github.com/balikpapan/humas/publish/email"
	"github.com/balikpapan/humas/publish/facebook"
	"github.com/balikpapan/humas/publish/instagram"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/telegram"
	"github.com/balikpapan/humas/publish/x"
)

// Platforms returns the registry, in the order targets are listed and posted.
func Platforms() platform.Registry {
	return platform.Registry{
		x.Platform,
		facebook.Platform,
		instagram.Platform,
		telegram.Platform,
		email.Platform,
	}
}
