package publish

import "testing"

func TestLinksToFindsTheArticleAsAWholeURL(t *testing.T) {
	const u = "https://humas.balikpapan.go.id/pemilu/"
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"at the end", "Baca: https://humas.balikpapan.go.id/pemilu/", true},
		{"without the trailing slash", "Baca: https://humas.balikpapan.go.id/pemilu", true},
		{"before a line break", "https://humas.balikpapan.go.id/pemilu/\n#Pemilu", true},
		{"before a full stop", "Baca https://humas.balikpapan.go.id/pemilu.", true},
		{"with a query string", "https://humas.balikpapan.go.id/pemilu/?utm_source=fb", true},
		{"a longer slug is another article", "https://humas.balikpapan.go.id/pemilu-damai/", false},
		{"a sub-page is another article", "https://humas.balikpapan.go.id/pemilu/foto/", false},
		{"a later whole match after a partial one", "https://humas.balikpapan.go.id/pemilu-2 dan https://humas.balikpapan.go.id/pemilu/", true},
		{"an empty message", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LinksTo(tt.text, u); got != tt.want {
				t.Fatalf("LinksTo(%q) = %v; want %v", tt.text, got, tt.want)
			}
		})
	}
}
