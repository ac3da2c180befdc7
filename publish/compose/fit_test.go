package compose

import (
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/xtext"
	"github.com/balikpapan/humas/templates"
)

// fitSummary fits a bare summary within limit runes.
func fitSummary(t *testing.T, summary string, limit int) fitted {
	t.Helper()
	tmpl := template.Must(template.New("t").Parse("{{.Summary}}"))
	f, err := fit(tmpl, Data{Summary: summary}, utf8.RuneCountInString, limit)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSummaryIsCutAtTheStrongestBoundary(t *testing.T) {
	const issue10 = "Pendaftaran petugas KPPS dibuka mulai Senin. Berkas diterima di kantor kelurahan hingga Sabtu, 19 Februari 2024 pukul 16.00 WITA."
	tests := []struct {
		name, summary string
		limit         int
		want          string
	}{
		{"after the last whole sentence that fits, not mid-sentence", issue10, 110,
			"Pendaftaran petugas KPPS dibuka mulai Senin."},
		{"a question or an exclamation ends a sentence too", "Sudah cek DPT? Ayo cek sekarang juga di situs KPU!", 30,
			"Sudah cek DPT?"},
		{"a closing quote stays with its sentence", `Ketua KPU berkata, "Datanglah ke TPS." Pemungutan suara dimulai pukul tujuh.`, 45,
			`Ketua KPU berkata, "Datanglah ke TPS."`},
		{"at a comma, with …, when no sentence fits", "Berkas diterima di kantor kelurahan hingga Sabtu, 19 Februari 2024 pukul 16.00 WITA.", 60,
			"Berkas diterima di kantor kelurahan hingga Sabtu…"},
		{"not inside a list, which would read as if it ended there",
			"KPU menggelar sosialisasi mulai Senin, dengan melibatkan PPK, PPS, dan KPPS untuk memastikan warga memahami jadwal.", 85,
			"KPU menggelar sosialisasi mulai Senin…"},
		{"not inside a list closed by a conjunction alone",
			"KPU menggelar sosialisasi mulai Senin, dengan melibatkan PPK, PPS dan KPPS untuk memastikan warga memahami jadwal.", 80,
			"KPU menggelar sosialisasi mulai Senin…"},
		{"at a semicolon or a colon", "Syaratnya dua: fotokopi KTP dan surat keterangan sehat dari puskesmas", 40,
			"Syaratnya dua…"},
		{"at a spaced dash", "Rapat pleno digelar terbuka — kecuali sesi tertutup yang membahas data pribadi pemilih", 45,
			"Rapat pleno digelar terbuka…"},
		{"at a word, with …, only when no clause fits", "Rapat pleno terbuka rekapitulasi hasil penghitungan suara tingkat kota", 40,
			"Rapat pleno terbuka rekapitulasi hasil…"},
		{"an abbreviation is not a sentence", "Kantor KPU di Jl. Sudirman No. 1 dibuka untuk umum. Warga dapat datang langsung.", 60,
			"Kantor KPU di Jl. Sudirman No. 1 dibuka untuk umum."},
		{"an initial is not a sentence", "Ketua dijabat M. Yusuf sejak Januari lalu oleh keputusan rapat pleno", 40,
			"Ketua dijabat M. Yusuf sejak Januari…"},
		{"a decimal or a time is not a sentence", "Rapat dimulai pukul 09.00 WITA di aula kantor wali kota Balikpapan", 35,
			"Rapat dimulai pukul 09.00 WITA di…"},
		{"paragraphs of a Facebook summary are cut at their sentences", "Paragraf pertama selesai.\n\nParagraf kedua yang cukup panjang.", 30,
			"Paragraf pertama selesai."},
		{"nothing fits: the summary is left out", "Berkas diterima hingga Sabtu.", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fitSummary(t, tt.summary, tt.limit)
			if f.Text != tt.want {
				t.Errorf("fit(%q, %d) = %q, want %q", tt.summary, tt.limit, f.Text, tt.want)
			}
			if len(f.Cuts) != 1 || f.Cuts[0].Part != "summary" {
				t.Fatalf("cuts = %+v, want one of the summary", f.Cuts)
			}
			c := f.Cuts[0]
			if c.Whole != (tt.want == "") {
				t.Errorf("cut = %+v", c)
			}
			// What is left out is every word after the kept text, a clause's mark
			// or a dash aside.
			rest := strings.Fields(tt.summary[len(strings.TrimSuffix(tt.want, "…")):])
			if len(rest) > 0 && strings.Trim(rest[0], ",;:—") == "" {
				rest = rest[1:]
			}
			want := strings.Join(rest, " ")
			if len(rest) > 12 {
				want = strings.Join(rest[:12], " ") + " …"
			}
			if c.Words != len(rest) || c.Omitted != want {
				t.Errorf("left out %d words %q, want %d words %q", c.Words, c.Omitted, len(rest), want)
			}
		})
	}
}

func TestAPostThatFitsIsWholeAndWarnsNothing(t *testing.T) {
	for _, tg := range compose(t, testRelease()) {
		if len(tg.Shortened) != 0 || len(tg.Warnings) != 0 {
			t.Errorf("%s/%s: %v %v", tg.Account, tg.Platform, tg.Shortened, tg.Warnings)
		}
	}
}

func TestEveryCutIsAWarningWithFileLineAndWhatWasLeftOut(t *testing.T) {
	long := "Pendaftaran petugas KPPS dibuka mulai Senin. " + strings.Repeat("Berkas diterima di kantor kelurahan hingga Sabtu, 19 Februari 2024 pukul 16.00 WITA. ", 4)
	t.Run("summary from the body", func(t *testing.T) {
		r := testRelease()
		r.Summary = long
		r.Lines = map[string]int{"tags": 8, "title": 2}
		r.Body, r.BodyLine = []byte("## Sub\n\n"+long+"\n"), 10
		x := find(t, compose(t, r), "kpu", publish.X)
		if len(x.Warnings) != 2 {
			t.Fatalf("warnings = %v", x.Warnings)
		}
		tags, sum := x.Warnings[0], x.Warnings[1]
		if !tags.Warning || tags.File != r.File || tags.Line != 8 || tags.Field != "tags" ||
			tags.Message != "kpu/x: #Pemilu2024 #Kehumasan left out to fit 280 characters" {
			t.Errorf("hashtag warning = %+v", tags)
		}
		if !sum.Warning || sum.Line != 12 || sum.Field != "body" ||
			!strings.HasPrefix(sum.Message, `kpu/x: shortened to fit 280 characters: left out 39 words: "Berkas diterima di kantor kelurahan hingga Sabtu, 19 Februari 2024 pukul 16.00 …"`) ||
			!strings.Contains(sum.Hint, "posts.x") {
			t.Errorf("summary warning = %+v", sum)
		}
		if fb := find(t, compose(t, r), "kpu", publish.Facebook); len(fb.Warnings) != 0 {
			t.Errorf("facebook fits whole, warned %v", fb.Warnings)
		}
	})
	t.Run("summary of the front matter and posts.x", func(t *testing.T) {
		r := testRelease()
		r.Summary = long
		r.Tags = nil
		r.Lines = map[string]int{"summary": 6, "posts.x": 9}
		if w := find(t, compose(t, r), "kpu", publish.X).Warnings; len(w) != 1 || w[0].Line != 6 || w[0].Field != "summary" {
			t.Errorf("warnings = %v", w)
		}
		r.Posts = map[string]string{"x": long}
		if w := find(t, compose(t, r), "kpu", publish.X).Warnings; len(w) != 1 || w[0].Line != 9 || w[0].Field != "posts.x" {
			t.Errorf("warnings = %v", w)
		}
	})
	t.Run("a partner's quote warns of its fallback", func(t *testing.T) {
		r := testRelease()
		r.Summary = long
		r.Tags = nil
		d := find(t, compose(t, r), "diskominfo", publish.X)
		if !d.Quote || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "without the quote") || len(d.Shortened) != 0 {
			t.Errorf("quote target: shortened %v, warnings %v", d.Shortened, d.Warnings)
		}
	})
	t.Run("a template without hashtags or summary never reports them left out", func(t *testing.T) {
		r := testRelease()
		r.Title = strings.Repeat("Judul panjang sekali ", 20)
		r.Summary = long
		r.Targets = []string{"kpu/x"}
		tmpl := fstestTemplate("{{.Headline}} {{.URL}}")
		ts, err := ComposeWith(testConfig(t), tmpl, r)
		if err != nil {
			t.Fatal(err)
		}
		if c := ts[0].Shortened; len(c) != 1 || c[0].Part != "headline" {
			t.Errorf("cuts = %+v", c)
		}
	})
}

// A 400 KB first paragraph (issue 9) used to keep one shortened copy of itself per
// word: 22 GB. Composing is now linear: a few renders of the text, each once.
func TestALongSummaryComposesInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("composes a 400 KB summary")
	}
	r := testRelease()
	r.Summary = hugeSummary()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ts := compose(t, r)
	runtime.ReadMemStats(&after)
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(160*len(r.Summary)); got > limit {
		t.Errorf("composing a %d-byte summary allocated %d MB, want under %d MB", len(r.Summary), got>>20, limit>>20)
	}
	x := find(t, ts, "kpu", publish.X)
	if x.Length > xtext.Limit || !strings.HasSuffix(strings.Split(x.Text, "\n\n")[1], ".") {
		t.Errorf("x = %q", x.Text)
	}
}

func hugeSummary() string {
	const s = "Pemungutan suara ulang digelar di tiga TPS karena kotak suara rusak. "
	return strings.TrimSpace(strings.Repeat(s, 400<<10/len(s)))
}

func BenchmarkCompose400KBSummary(b *testing.B) {
	cfg, err := config.Parse("humas.yaml", []byte(humasYAML))
	if err != nil {
		b.Fatal(err)
	}
	r := testRelease()
	r.Summary = hugeSummary()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComposeWith(cfg, templates.FS, r); err != nil {
			b.Fatal(err)
		}
	}
}

// fstestTemplate is the templates with x.tmpl replaced by src.
func fstestTemplate(src string) fstest.MapFS {
	fb, _ := fs.ReadFile(templates.FS, "posts/facebook.tmpl")
	return fstest.MapFS{"posts/x.tmpl": {Data: []byte(src)}, "posts/facebook.tmpl": {Data: fb}}
}
