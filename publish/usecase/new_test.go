package usecase

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

func TestTitlesSurviveTheFrontMatter(t *testing.T) {
	titles := []string{
		"Audiensi KPU ke Diskominfo",
		"KPU Balikpapan: Sosialisasi Pemilu 2024",
		"#HoaksPemilu Diklarifikasi",
		"- Daftar Pemilih",
		`Kata "Netral" dalam Pemilu`,
		"Ya",
		"Rapat pukul 13.00 # tidak ada komentar",
		"Café & Résumé <b>",
		"2024",
	}
	for _, title := range titles {
		t.Run(title, func(t *testing.T) {
			var got struct{ Title string }
			doc := "title: " + yamlString(title) + "\n"
			if err := yaml.Unmarshal([]byte(doc), &got); err != nil {
				t.Fatalf("%q: %v", doc, err)
			}
			if got.Title != title {
				t.Errorf("%q reads back as %q", strings.TrimSpace(doc), got.Title)
			}
		})
	}
}
