package site

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish/release"
)

var corpusWords = strings.Fields(`pemilu pemilih partisipasi informasi publik masyarakat kota balikpapan komisi
pemilihan umum dinas komunikasi informatika kehumasan koordinasi sinergi media sosial berita
kegiatan program pelayanan data keterbukaan pejabat pengelola dokumentasi hoaks klarifikasi
tahapan verifikasi daftar calon kampanye sosialisasi anggaran rapat kerja pelatihan petugas
kelurahan kecamatan warga relawan digital literasi jaringan aplikasi layanan pengaduan`)

var corpusTags = []string{"pemilu-2024", "kehumasan", "ppid", "hoaks", "pelayanan-publik", "sosialisasi",
	"data", "pelatihan", "kampanye", "tps", "logistik", "literasi-digital"}

// corpus makes n releases like /work/shared/bench/gen-releases does (500-900 words of
// Markdown with headings, lists, quotes, links and tables), newest first. The same n
// gives the same releases.
func corpus(n int, loc *time.Location) []*release.Release {
	rng := rand.New(rand.NewPCG(9, uint64(n)))
	sentence := func(lo, hi int, plain bool) string {
		w := make([]string, lo+rng.IntN(hi-lo+1))
		for i := range w {
			w[i] = corpusWords[rng.IntN(len(corpusWords))]
		}
		if !plain && rng.Float64() < .15 {
			w[rng.IntN(len(w))] = "**" + w[0] + "**"
		}
		if !plain && rng.Float64() < .08 {
			i := rng.IntN(len(w))
			w[i] = fmt.Sprintf("[%s](https://example.go.id/%s)", strings.Trim(w[i], "*"), corpusWords[rng.IntN(len(corpusWords))])
		}
		return strings.ToUpper(w[0][:1]) + w[0][1:] + " " + strings.Join(w[1:], " ") + "."
	}
	paragraph := func() string {
		p := make([]string, 2+rng.IntN(4))
		for i := range p {
			p[i] = sentence(8, 22, false)
		}
		return strings.Join(p, " ")
	}
	start := time.Date(2019, 4, 14, 0, 0, 0, 0, loc)
	rels := make([]*release.Release, n)
	for i := range n {
		var b strings.Builder
		b.WriteString(paragraph())
		for range 3 + rng.IntN(4) {
			switch k := rng.Float64(); {
			case k < .2:
				fmt.Fprintf(&b, "\n\n## %s", strings.TrimSuffix(sentence(3, 6, true), "."))
			case k < .35:
				for range 2 + rng.IntN(4) {
					fmt.Fprintf(&b, "\n- %s", sentence(4, 10, false))
				}
				b.WriteString("\n")
			case k < .45:
				fmt.Fprintf(&b, "\n\n> \"%s\" ujar Ketua KPU.", sentence(8, 22, false))
			case k < .5:
				b.WriteString("\n\n| Kecamatan | TPS | Pemilih |\n| --- | ---: | ---: |")
				for range 3 + rng.IntN(4) {
					fmt.Fprintf(&b, "\n| %s | %d | %d |", corpusWords[rng.IntN(len(corpusWords))], 50+rng.IntN(350), 5000+rng.IntN(85000))
				}
			}
			b.WriteString("\n\n" + paragraph())
		}
		b.WriteString("\n")
		// Newest first: release 0 is the most recent.
		date := start.Add(time.Duration(n-i) * 2190 * 24 * time.Hour / time.Duration(n)).Add(time.Duration(7+rng.IntN(10)) * time.Hour)
		title := strings.TrimSuffix(sentence(5, 11, true), ".")
		issuer := []string{"kpu", "diskominfo"}[rng.IntN(2)]
		seen := map[string]bool{}
		var tags []string
		for range 1 + rng.IntN(3) {
			tg := corpusTags[rng.IntN(len(corpusTags))]
			if !seen[tg] {
				seen[tg] = true
				tags = append(tags, tg)
			}
		}
		slug := fmt.Sprintf("%s-%d", strings.Join(strings.Fields(strings.ToLower(title))[:3], "-"), i)
		rels[i] = &release.Release{
			File: fmt.Sprintf("releases/%s-%s.md", date.Format("2006-01-02"), slug), Title: title, Date: date,
			Issuer: issuer, Classification: release.Berkala, Kind: release.SiaranPers,
			Number:  fmt.Sprintf("%03d/HM/%s/%d", i%1000, strings.ToUpper(issuer), date.Year()),
			Summary: strings.TrimSuffix(sentence(10, 20, true), "."), Tags: tags, Slug: slug,
			Contact: &release.Contact{Name: "Humas " + strings.ToUpper(issuer), Phone: fmt.Sprintf("+62 542 %06d", rng.IntN(1000000))},
			Body:    []byte(b.String()),
		}
	}
	return rels
}
