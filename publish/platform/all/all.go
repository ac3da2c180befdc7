// Package all lists every platform humas posts to. Adding a platform is its package
// and one line here. Its credentials still have to reach CI: GitHub Actions passes
// only the secrets a workflow names, so each institution's posting step in
// .github/workflows/publish.yml lists the new variables, and internal/ciconfig's
// tests name the lines missing.
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
