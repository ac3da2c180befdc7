package pipeline

import (
	"fmt"
	"path"
	"path/filepath"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/compose"
	"github.com/balikpapan/humas/publish/projfile"
)

// FromCompose turns composed targets into pipeline targets, reading each image once
// from root (compose names images by path; adapters are handed the bytes). A
// picture the build makes (a card, a rendition) is handed by its URL on the site.
func FromCompose(root string, ts []compose.Target) ([]Target, error) {
	images := map[string][]byte{}
	out := make([]Target, len(ts))
	for i, c := range ts {
		t := Target{
			Account: c.Account, AccountName: c.AccountName, Platform: c.Platform, Issuer: c.Issuer,
			Text: c.Text, Length: c.Length, Limit: c.Limit, Link: c.Link,
			Quote: c.Quote, Fallback: c.Fallback, FallbackLength: c.FallbackLength,
			Collaborators: c.Collaborators, Collab: c.Collab, Invitee: c.Invitee,
		}
		if c.Image != nil && c.Image.Made != "" {
			// Drawn by the build beside the article, and fetched from there.
			t.Image = &publish.Image{Name: path.Base(c.Image.URL), Alt: c.Image.Alt, URL: c.Image.URL}
		} else if c.Image != nil {
			data, ok := images[c.Image.Path]
			if !ok {
				var err error
				data, err = projfile.Read(root, c.Image.Path, projfile.Image)
				if err != nil {
					return nil, fmt.Errorf("image %w", err)
				}
				images[c.Image.Path] = data
			}
			t.Image = &publish.Image{Name: filepath.Base(c.Image.Path), Data: data, Alt: c.Image.Alt, URL: c.Image.URL}
		}
		out[i] = t
	}
	return out, nil
}
