package usecase

import (
	"fmt"

	"github.com/balikpapan/humas/publish/card"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/release"
)

// mediaProblems holds r's picture and its alt text to the rules of every platform
// in pls (the release's targets): a picture one platform would refuse fails the
// check before merge, instead of a partial publish after it.
func mediaProblems(r *release.Release, pls []*platform.Platform) release.Diagnostics {
	if r.Image == "" {
		return nil
	}
	img := platform.Image{Format: r.ImageInfo.Format, Width: r.ImageInfo.Width, Height: r.ImageInfo.Height, Bytes: int64(r.ImageInfo.Bytes)}
	var out release.Diagnostics
	for _, pl := range pls {
		problems := pl.CheckImage(img)
		if pl.Media.FromSite && len(problems) > 0 {
			// The build writes a JPEG rendition the platform takes; only a picture
			// too large to make one of is refused.
			problems = nil
			if px := img.Width * img.Height; px > card.MaxRenditionPixels {
				problems = append(problems, platform.Problem{Field: "image",
					Message: fmt.Sprintf("%s needs a JPEG rendition of this picture, and %d×%d pixels is more than the %d megapixels humas converts", pl.DisplayName, img.Width, img.Height, card.MaxRenditionPixels/1_000_000),
					Hint:    "export the picture smaller (for example 2048 pixels wide, JPEG, between 4:5 and 1.91:1)"})
			}
		}
		for _, pr := range problems {
			out = append(out, release.Diagnostic{File: r.File, Line: r.Line("image"), Field: pr.Field, Message: r.Image + ": " + pr.Message, Hint: pr.Hint})
		}
		if pr := pl.CheckAlt(r.ImageAlt); pr != nil {
			out = append(out, release.Diagnostic{File: r.File, Line: r.Line("image_alt"), Field: pr.Field, Message: pr.Message, Hint: pr.Hint})
		}
	}
	return out
}

// platformsOf are the platforms of targets, once each, in the order met.
func platformsOf(reg platform.Registry, names []string) []*platform.Platform {
	var out []*platform.Platform
	for _, n := range names {
		if pl, ok := reg.Lookup(n); ok {
			seen := false
			for _, o := range out {
				seen = seen || o == pl
			}
			if !seen {
				out = append(out, pl)
			}
		}
	}
	return out
}
