package pressdoc

import (
	"bytes"
	"encoding/binary"
	"flag"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/idtime"
	"github.com/balikpapan/humas/publish/release"
)

var update = flag.Bool("update", false, "rewrite docs/siaran-pers.png from the first example release")

// examples reads the project's example releases and maps each onto a Release, as the
// build will (publish/presskit), with the letterhead of its issuer's identity in
// humas.yaml: what docs/siaran-pers.png shows.
func examples(t testing.TB) []Release {
	t.Helper()
	root := filepath.Join("..", "..")
	cfg, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "releases", "*.md"))
	if err != nil || len(files) < 5 {
		t.Fatalf("example releases: %v, %v", files, err)
	}
	var out []Release
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, diags := release.Parse(f, src, cfg)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f, diags)
		}
		acct, ok := cfg.Account(r.Issuer)
		if !ok || acct.Name == "" || acct.Identity.LogoData == nil {
			t.Fatalf("%s: humas.yaml gives issuer %q no name or logo", f, r.Issuer)
		}
		id := acct.Identity
		rel := Release{
			Issuer: Identity{Name: acct.Name, Address: id.Address, Phone: id.Phone, Website: id.Website, Logo: id.LogoData},
			Title:  r.Title, Number: r.Number, Date: r.Date,
			Embargo: r.Embargo, Location: cfg.Site.Location, Body: r.Body,
			URL: cfg.ArticleURL(r.Slug), Language: cfg.Site.Language,
		}
		if c := r.Contact; c != nil {
			rel.Contact = &Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
		}
		if h := r.Hoax; h != nil {
			rel.Hoax = &Hoax{Claim: h.Claim, Verdict: h.Verdict, Sources: h.Sources}
		}
		out = append(out, rel)
	}
	return out
}

// tool finds a poppler-utils program: a test that needs it fails under CI=true when it
// is missing, and elsewhere says loudly that it did not run.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " (Debian poppler-utils) is not installed: run bash e2e/setup.sh"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("NOT TESTED: " + msg)
	return ""
}

// run runs a poppler tool and returns what it printed; a complaint on stderr (poppler
// reports a damaged cross-reference table or font there, and carries on) fails the test.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tool(t, name), args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s %s complains:\n%s", name, strings.Join(args, " "), stderr.Bytes())
	}
	return stdout.String()
}

func writePDF(t *testing.T, rel Release) (string, []byte) {
	t.Helper()
	b, err := Render(rel)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "siaran-pers.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// pdfText is the PDF's text as pdftotext reads it in layout mode, with every run of
// spaces and line ends folded into one space, so that a test can look for phrases
// whatever the justification and the line breaks did; pages stay apart by form feeds.
func pdfText(t *testing.T, pdf string) string {
	raw := run(t, "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
	return regexp.MustCompile(`[ \t\n]+`).ReplaceAllString(raw, " ")
}

// inOrder checks that each phrase appears, and after the one before it.
func inOrder(t *testing.T, txt string, phrases ...string) {
	t.Helper()
	at := 0
	for _, p := range phrases {
		i := strings.Index(txt[at:], p)
		if i < 0 {
			if strings.Contains(txt, p) {
				t.Errorf("%q is there, but before %q: out of reading order", p, phrases)
			} else {
				t.Errorf("%q is missing from the PDF's text", p)
			}
			continue
		}
		at += i + len(p)
	}
}

func TestExampleReleasesReadBack(t *testing.T) {
	for _, rel := range examples(t) {
		t.Run(rel.Number, func(t *testing.T) {
			pdf, raw := writePDF(t, rel)
			txt := pdfText(t, pdf)
			dateline := "Balikpapan, " + idtime.In(rel.Location).Date(rel.Date)
			want := []string{strings.ToUpper(rel.Issuer.Name), "Telepon " + rel.Issuer.Phone,
				"SIARAN PERS", "Nomor: " + rel.Number}
			if rel.Hoax != nil {
				want = append(want, rel.Hoax.Verdict, "Klaim yang beredar:")
			}
			want = append(want, dateline, "BALIKPAPAN —", "Narahubung:", rel.Contact.Name, "Telepon "+rel.Contact.Phone, "-selesai-")
			inOrder(t, txt, want...)
			if strings.Count(txt, "-selesai-") != 1 {
				t.Errorf("-selesai- %d times", strings.Count(txt, "-selesai-"))
			}
			if strings.Contains(txt, "\uFFFD") {
				t.Error("a character of the release has no glyph in the PDF")
			}

			// Every font embedded, as a subset, in the file: no reader substitutes a font.
			fonts := run(t, "pdffonts", pdf)
			rows := strings.Split(strings.TrimSpace(fonts), "\n")[2:]
			if len(rows) == 0 {
				t.Fatal("pdffonts lists no fonts")
			}
			for _, r := range rows {
				f := strings.Fields(r)
				// name type... encoding emb sub uni object ID
				n := len(f)
				if n < 7 || f[n-5] != "yes" || f[n-4] != "yes" || f[n-3] != "yes" {
					t.Errorf("font not embedded as a subset with a Unicode map: %s", r)
				}
				if !strings.Contains(f[0], "+liberationsans") {
					t.Errorf("font %s is not the embedded Liberation Sans", f[0])
				}
			}

			info := map[string]string{}
			for _, l := range strings.Split(run(t, "pdfinfo", pdf), "\n") {
				if k, v, ok := strings.Cut(l, ":"); ok {
					info[k] = strings.TrimSpace(v)
				}
			}
			title := rel.Title
			if rel.Hoax != nil {
				title = "[" + rel.Hoax.Verdict + "] " + title
			}
			for k, v := range map[string]string{
				"Title": title, "Author": rel.Issuer.Name, "Page size": "595.28 x 841.89 pts (A4)",
				// the release's own date, read in UTC: the instant is right in every viewer
				"CreationDate": rel.Date.UTC().Format("Mon Jan _2 15:04:05 2006 UTC"),
			} {
				if info[k] != v {
					t.Errorf("pdfinfo %s: %q, want %q", k, info[k], v)
				}
			}
			if !bytes.Contains(raw, []byte("/Lang (id)")) {
				t.Error("the document's language is not set")
			}
		})
	}
}

// pngHeader is the signature and IHDR chunk of a w×h 8-bit grey PNG, without pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

func TestTheSameReleaseGivesTheSameBytes(t *testing.T) {
	rel := examples(t)[0]
	a, err := Render(rel)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(rel)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renders of one release differ: a build cannot cache the PDF by content")
	}
	rel.Title += "!"
	c, _ := Render(rel)
	if bytes.Equal(a, c) {
		t.Error("a changed title gave the same bytes")
	}
}

func TestEmbargoLineInWITA(t *testing.T) {
	rel := examples(t)[0]
	rel.Embargo = time.Date(2021, 6, 9, 2, 0, 0, 0, time.UTC) // 10.00 WITA
	pdf, _ := writePDF(t, rel)
	inOrder(t, pdfText(t, pdf), "Nomor: "+rel.Number,
		"EMBARGO: tidak untuk disiarkan sebelum Rabu, 9 Juni 2021 pukul 10.00 WITA", "Balikpapan, Rabu, 9 Juni 2021")

	rel.Embargo = time.Time{}
	pdf, _ = writePDF(t, rel)
	if strings.Contains(pdfText(t, pdf), "EMBARGO") {
		t.Error("an EMBARGO line on a release without an embargo")
	}
}

const featureBody = `Paragraf dengan **tebal**, *miring*, ~~coret~~, ` + "`kode`" + `, tautan ke [situs KPU](https://kpu.go.id/) dan https://jdih.kpu.go.id/ serta [laman lain](/arsip/) dan [skrip](javascript:alert(1)). Emoji 🗳️ tetap terlihat.
Baris kedua paragraf yang sama.

## Jadwal tahapan

| Tahapan | Mulai | Selesai |
| --- | :---: | ---: |
| Pemutakhiran data pemilih | 14 Oktober 2022 | 21 Juni 2023 |
| Pencalonan anggota DPRD kabupaten/kota yang sangat panjang namanya sehingga harus dibungkus | 24 April 2023 | 25 November 2023 |

1. Pertama
2. Kedua, dengan butir di dalamnya:
   - butir bersarang
3. Ketiga

- [x] tugas selesai
- [ ] tugas belum

> Kutipan dari Ketua KPU Kota Balikpapan.

<div>HTML mentah tidak boleh tampil</div>

---

    kode blok
`

func TestMarkdownBodyReadsBack(t *testing.T) {
	rel := examples(t)[0]
	rel.Body = []byte(featureBody)
	pdf, raw := writePDF(t, rel)
	txt := pdfText(t, pdf)
	inOrder(t, txt,
		"Paragraf dengan tebal, miring, coret, kode, tautan ke situs KPU (kpu.go.id) dan https://jdih.kpu.go.id/",
		"laman lain (humas.balikpapan.go.id/arsip)", "dan skrip.", "Emoji",
		"Baris kedua paragraf yang sama.",
		"Jadwal tahapan",
		"Tahapan", "Mulai", "Selesai",
		"Pemutakhiran data pemilih", "14 Oktober 2022", "21 Juni 2023",
		"Pencalonan anggota DPRD",
		"1. Pertama", "2. Kedua", "• butir bersarang", "3. Ketiga",
		"[x] tugas selesai", "[ ] tugas belum",
		"Kutipan dari Ketua KPU Kota Balikpapan.",
		"kode blok",
		"Narahubung:", "-selesai-")
	if strings.Contains(txt, "HTML mentah") {
		t.Error("raw HTML reached the PDF")
	}
	for _, link := range []string{"/URI (https://kpu.go.id/)", "/URI (https://jdih.kpu.go.id/)", "/URI (https://humas.balikpapan.go.id/arsip/)"} {
		if !bytes.Contains(raw, []byte(link)) {
			t.Errorf("no link annotation %s", link)
		}
	}
	if bytes.Contains(raw, []byte("javascript")) {
		t.Error("a javascript: link became a link")
	}
}

func TestImageAndCaptionFollowTheBody(t *testing.T) {
	rel := examples(t)[0]
	rel.Image, rel.ImageAlt = testPhoto(t, 800, 500), "Ketua KPU berbicara di depan jajaran Diskominfo"
	pdf, _ := writePDF(t, rel)
	inOrder(t, pdfText(t, pdf), "pemilu berlangsung.", rel.ImageAlt, "Narahubung:", "-selesai-")
	list := run(t, "pdfimages", "-list", pdf)
	if !regexp.MustCompile(`(?m)^\s*\d+\s+\d+\s+image\s+800\s+500\s+rgb`).MatchString(list) {
		t.Errorf("the 800×500 photo is not in the PDF:\n%s", list)
	}
}

func TestLongReleaseBreaksPagesAndNumbersThem(t *testing.T) {
	rel := examples(t)[0]
	var body strings.Builder
	body.WriteString("| No | Kecamatan | Jumlah TPS |\n| --- | --- | ---: |\n")
	for i := 1; i <= 70; i++ {
		body.WriteString("| " + strconv.Itoa(i) + " | Balikpapan Kota | " + strconv.Itoa(100+i) + " |\n")
	}
	body.WriteString("\nAkhir tabel.\n")
	rel.Body = []byte(body.String())
	pdf, _ := writePDF(t, rel)
	txt := pdfText(t, pdf)
	pages := strings.Split(txt, "\f")
	if len(pages) < 3 { // two or more pages, and what follows the last form feed
		t.Fatalf("a 70-row table fits on %d page", len(pages)-1)
	}
	n := len(pages) - 1
	for i, p := range pages[:n] {
		if !strings.Contains(p, "Halaman "+strconv.Itoa(i+1)+" dari "+strconv.Itoa(n)) {
			t.Errorf("page %d has no page number", i+1)
		}
		if !strings.Contains(p, "No Kecamatan Jumlah TPS") {
			t.Errorf("page %d: the table's header is not repeated", i+1)
		}
	}
	inOrder(t, txt, "No Kecamatan Jumlah TPS", "70 Balikpapan Kota 170", "Akhir tabel.", "-selesai-")
}

func TestFirstPageRendersToPNG(t *testing.T) {
	pdf, _ := writePDF(t, examples(t)[0])
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, prefix)
	b, err := os.ReadFile(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// A4 at 80 dpi is 661.4×935.4, which pdftoppm rounds up; the page is mostly white
	// paper with dark text on it.
	if s := img.Bounds().Size(); s.X != 662 || s.Y != 936 {
		t.Errorf("first page is %v pixels, want 662×936", s)
	}
	dark := 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x6000 {
				dark++
			}
		}
	}
	if frac := float64(dark) / float64(662*936); frac < 0.02 || frac > 0.3 {
		t.Errorf("%.1f%% of the page is dark: not a page of text", 100*frac)
	}
	if *update {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "siaran-pers.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRefusals(t *testing.T) {
	base := examples(t)[0]
	for _, c := range []struct {
		name string
		edit func(*Release)
		want string
	}{
		{"empty title", func(r *Release) { r.Title = " " }, "pressdoc: the title is empty"},
		{"no issuer name", func(r *Release) { r.Issuer.Name = "" }, "pressdoc: the issuer has no name"},
		{"logo not an image", func(r *Release) { r.Issuer.Logo = []byte("<svg/>") }, "pressdoc: logo: not a JPEG, PNG, GIF or WebP image"},
		{"image too large", func(r *Release) { r.Image = pngHeader(10000, 6000) }, "pressdoc: image: 10000×6000 pixels: at most 50 megapixels, make it smaller"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rel := base
			c.edit(&rel)
			_, err := Render(rel)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

// BenchmarkRender: the first example release, two pages with the letterhead's logo.
func BenchmarkRender(b *testing.B) {
	rel := examples(b)[0]
	for b.Loop() {
		if _, err := Render(rel); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderHoaxWithPhoto: the hoax clarification with a 1600×1067 JPEG photo.
func BenchmarkRenderHoaxWithPhoto(b *testing.B) {
	rel := examples(b)[4]
	rel.Image, rel.ImageAlt = testPhoto(b, 1600, 1067), "Petugas KPPS melayani pemilih di TPS"
	for b.Loop() {
		if _, err := Render(rel); err != nil {
			b.Fatal(err)
		}
	}
}

func testPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	photo := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			photo.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 0x80, 0xff})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, photo, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzBody: whatever the Markdown, the PDF is made, and nothing panics.
func FuzzBody(f *testing.F) {
	f.Add([]byte(featureBody))
	f.Add([]byte(strings.Repeat("> - ", 200) + "deep"))
	f.Add([]byte("| a |\n| - |\n| " + strings.Repeat("x", 3000) + " |"))
	f.Add([]byte("1. a\n\n   ```\n   code\n   ```\n\n2. b\x00\xff"))
	rel := examples(f)[0]
	rel.Issuer.Logo = nil // the letterhead is not what is fuzzed
	f.Fuzz(func(t *testing.T, body []byte) {
		r := rel
		r.Body = body
		if _, err := Render(r); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDatelineTakesTheTownFromTheAddress(t *testing.T) {
	for _, c := range []struct{ place, address, want string }{
		{"", "Jl. Jenderal Sudirman No. 1, Balikpapan", "Balikpapan"},
		{"", "Jl. Jenderal Sudirman No. 1, Kota Balikpapan 76114", "Balikpapan"},
		{"", "Jl. Jenderal Sudirman No. 1, Balikpapan, Kalimantan Timur", "Kalimantan Timur"},
		{"Samarinda", "Jl. Jenderal Sudirman No. 1, Balikpapan", "Samarinda"},
		{"", "Jl. Jenderal Sudirman No. 1", ""},
	} {
		d := &doc{rel: Release{Place: c.place, Issuer: Identity{Address: c.address}}}
		if got := d.place(); got != c.want {
			t.Errorf("place %q, address %q: got %q, want %q", c.place, c.address, got, c.want)
		}
	}
}

// The official release reads as the article does: escapes and entity references
// are the characters they stand for ("PT A &amp; B" was printed as written).
func TestEscapesAndEntitiesPrintAsCharacters(t *testing.T) {
	rel := examples(t)[0]
	rel.Body = []byte("PT A &amp; B \\*resmi\\* &quot;kutip&quot; &#8212; selesai.\n")
	pdf, _ := writePDF(t, rel)
	txt := pdfText(t, pdf)
	inOrder(t, txt, `PT A & B *resmi* "kutip" — selesai.`)
	if strings.Contains(txt, "&amp;") || strings.Contains(txt, `\*`) {
		t.Errorf("escapes or entities printed as written:\n%s", txt)
	}
}
