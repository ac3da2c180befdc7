package site

import (
	"path/filepath"
	"testing"
)

func TestRelToAgreesWithFilepathRel(t *testing.T) {
	tests := []struct{ root, p string }{
		{"/srv/situs", "/srv/situs/releases/a.md"},
		{"/srv/situs", "/srv/situs"},
		{"/srv/situs", "/srv/situs2/releases/a.md"},
		{"/srv/situs/", "/srv/situs/releases/a.md"},
		{"/", "/releases/a.md"},
		{".", "releases/a.md"},
		{".", "."},
		{".", "../luar/a.md"},
		{"./situs", "situs/releases/a.md"},
		{"situs", "situs/releases/a.md"},
		{"situs/../situs", "situs/releases/a.md"},
	}
	for _, tt := range tests {
		t.Run(tt.root+" "+tt.p, func(t *testing.T) {
			want, err := filepath.Rel(tt.root, tt.p)
			if err != nil {
				want = ""
			}
			if got := relTo(tt.root, tt.p); got != want {
				t.Errorf("relTo = %q, filepath.Rel = %q", got, want)
			}
		})
	}
}
