package card

import (
	"strings"

	"github.com/balikpapan/humas/publish/idtime"
)

// Files a build writes beside an article, in public/<slug>/, by these names. compose
// names the same files in the public URLs Instagram fetches (<base_url><slug>/card.jpg),
// so the build and the posts agree on one place.
const (
	// CardFile is the card of a release without an image (CardWidth×CardHeight JPEG).
	CardFile = "card.jpg"
	// OGFile is the link-preview picture of a release without an image (og:image).
	OGFile = "og.png"
	// RenditionFile is the JPEG rendition of a release's own image that Instagram
	// would refuse as it is (ForInstagram).
	RenditionFile = "instagram.jpg"
)

// Alt is the alt text of the card of rel: what it shows, in the order it shows it,
// as the site's og:image:alt and Instagram's alt_text say it.
func Alt(rel Release) string {
	label := strings.ToLower(kindLabel(rel))
	label = strings.ToUpper(label[:1]) + label[1:]
	title := strings.Join(strings.Fields(rel.Title), " ")
	s := label + " " + strings.TrimSpace(rel.Issuer) + ": "
	if rel.Verdict != "" {
		s += rel.Verdict + ": "
	}
	date := idtime.Date(rel.Date)
	if rel.Location != nil {
		date = idtime.In(rel.Location).Date(rel.Date)
	}
	return s + title + ". " + date
}
