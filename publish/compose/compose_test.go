package compose

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/publish/xtext"
	"github.com/balikpapan/humas/templates"
)

const humasYAML = `site:
  title: Siaran Pers Kota Balikpapan
  base_url: https://humas.balikpapan.go.id/
  language: id
  timezone: Asia/Makassar
  output: public
accounts:
  diskominfo:
    name: Diskominfo Kota Balikpapan
    x: {username: diskominfobpp}
    facebook: {page_id: "100000000000001"}
  kpu:
    name: KPU Kota Balikpapan
    x: {username: kpubalikpapan}
    facebook: {page_id: "100000000000002"}
  dprd:
    name: DPRD Kota Balikpapan
    facebook: {page_id: "100000000000003"}
`

const articleURL = "https://humas.balikpapan.go.id/kpu-diskominfo-tangkal-hoaks/"

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("humas.yaml", []byte(humasYAML))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func testRelease() *release.Release {
	return &release.Release{
		File:    "releases/2021-06-09-kpu-diskominfo-tangkal-hoaks.md",
		Title:   "KPU Balikpapan dan Diskominfo Bersinergi Tangkal Hoaks Pemilu",
		Issuer:  "kpu",
		Summary: "KPU Kota Balikpapan beraudiensi dengan Diskominfo untuk menangkal hoaks menjelang Pemilu 2024.",
		Tags:    []string{"pemilu-2024", "kehumasan"},
		Slug:    "kpu-diskominfo-tangkal-hoaks",
		Lines:   map[string]int{"targets": 12},
	}
}

func compose(t *testing.T, r *release.Release) []Target {
	t.Helper()
	targets, err := ComposeWith(testConfig(t), templates.FS, r)
	if err != nil {
		t.Fatal(err)
	}
	return targets
}

func keysOf(targets []Target) []string {
	var ks []string
	for _, tg := range targets {
		ks = append(ks, tg.Account+"/"+tg.Platform)
	}
	return ks
}

func TestTargetsIssuerFirstThenConfigOrder(t *testing.T) {
	tests := []struct {
		name    string
		targets []string
		want    []string
	}{
		{"no targets means every account on every platform it has", nil,
			[]string{"kpu/x", "kpu/facebook", "diskominfo/x", "diskominfo/facebook", "dprd/facebook"}},
		{"an account alone means all its platforms", []string{"diskominfo/x", "kpu"},
			[]string{"kpu/x", "kpu/facebook", "diskominfo/x"}},
		{"written order does not matter and repeats collapse", []string{"dprd", "diskominfo/facebook", "kpu/facebook", "diskominfo/facebook"},
			[]string{"kpu/facebook", "diskominfo/facebook", "dprd/facebook"}},
		{"issuer not targeted", []string{"diskominfo"},
			[]string{"diskominfo/x", "diskominfo/facebook"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRelease()
			r.Targets = tt.targets
			got := compose(t, r)
			if ks := keysOf(got); !slices.Equal(ks, tt.want) {
				t.Fatalf("targets = %q, want %q", ks, tt.want)
			}
			for _, tg := range got {
				if tg.Issuer != (tg.Account == "kpu") {
					t.Errorf("%s/%s: Issuer = %v", tg.Account, tg.Platform, tg.Issuer)
				}
			}
		})
	}
}

func TestTargetsRejectsWhatHumasYAMLLacks(t *testing.T) {
	tests := []struct {
		name, target, want string
	}{
		{"unknown account", "bawaslu", `releases/2021-06-09-kpu-diskominfo-tangkal-hoaks.md:12: targets: unknown account "bawaslu"`},
		// A network long closed: a new platform package may take any live one's name.
		{"unknown platform", "kpu/friendster", `targets: unknown platform "friendster" in "kpu/friendster": use x or facebook or instagram or telegram`},
		{"platform the account does not have", "dprd/x", `targets: account "dprd" has no x in humas.yaml`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRelease()
			r.Targets = []string{"kpu", tt.target}
			_, err := ComposeWith(testConfig(t), templates.FS, r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func find(t *testing.T, targets []Target, account, platform string) Target {
	t.Helper()
	for _, tg := range targets {
		if tg.Account == account && tg.Platform == platform {
			return tg
		}
	}
	t.Fatalf("no target %s/%s in %q", account, platform, keysOf(targets))
	return Target{}
}

func TestIssuerPosts(t *testing.T) {
	r := testRelease()
	targets := compose(t, r)

	x := find(t, targets, "kpu", publish.X)
	wantX := r.Title + "\n\n" + r.Summary + "\n\n" + articleURL + " #Pemilu2024 #Kehumasan"
	if x.Text != wantX {
		t.Errorf("kpu/x text:\n%s\nwant:\n%s", x.Text, wantX)
	}
	if x.Quote || x.Length != xtext.Length(x.Text) || x.Limit != xtext.Limit || x.AccountName != "KPU Kota Balikpapan" {
		t.Errorf("kpu/x = %+v", x)
	}

	fb := find(t, targets, "kpu", publish.Facebook)
	wantFB := r.Title + "\n\n" + r.Summary + "\n\nSelengkapnya: " + articleURL + "\n\n#Pemilu2024 #Kehumasan"
	if fb.Text != wantFB {
		t.Errorf("kpu/facebook text:\n%s\nwant:\n%s", fb.Text, wantFB)
	}
	if fb.Link != articleURL || fb.Limit != 63206 || fb.Length != len([]rune(fb.Text)) {
		t.Errorf("kpu/facebook = %+v", fb)
	}
}

func TestFacebookLengthCountsUTF16(t *testing.T) {
	r := testRelease()
	r.Title, r.Summary, r.Tags = "Ayo ke TPS 🗳", "", nil
	fb := find(t, compose(t, r), "kpu", publish.Facebook)
	// "🗳" is outside the BMP: one rune, two UTF-16 code units.
	if want := len([]rune(fb.Text)) + 1; fb.Length != want {
		t.Errorf("Length(%q) = %d, want %d", fb.Text, fb.Length, want)
	}
}

func TestPartnerPostsCreditTheIssuer(t *testing.T) {
	t.Run("on X a partner quotes the issuer and falls back to a credited post", func(t *testing.T) {
		x := find(t, compose(t, testRelease()), "diskominfo", publish.X)
		want := testRelease().Title + "\n\nDibagikan ulang dari KPU Kota Balikpapan. " + articleURL
		if !x.Quote || x.Text != want || x.Length != xtext.Length(want) {
			t.Errorf("diskominfo/x = %+v, want quote with text %q", x, want)
		}
		if !strings.HasSuffix(x.Fallback, "\n\nSumber: KPU Kota Balikpapan") || !strings.Contains(x.Fallback, articleURL) ||
			x.FallbackLength != xtext.Length(x.Fallback) || x.FallbackLength > xtext.Limit {
			t.Errorf("diskominfo/x fallback (%d) = %q", x.FallbackLength, x.Fallback)
		}
	})
	t.Run("on Facebook a partner names the issuer", func(t *testing.T) {
		fb := find(t, compose(t, testRelease()), "diskominfo", publish.Facebook)
		if fb.Quote || !strings.HasSuffix(fb.Text, "\n\nSumber: KPU Kota Balikpapan") || fb.Link != articleURL {
			t.Errorf("diskominfo/facebook = %+v", fb)
		}
	})
	t.Run("on X without an issuer X post a partner names the issuer", func(t *testing.T) {
		r := testRelease()
		r.Targets = []string{"kpu/facebook", "diskominfo/x"}
		x := find(t, compose(t, r), "diskominfo", publish.X)
		if x.Quote || x.Fallback != "" || !strings.HasSuffix(x.Text, "Sumber: KPU Kota Balikpapan") || !strings.Contains(x.Text, articleURL) {
			t.Errorf("diskominfo/x = %+v", x)
		}
	})
	t.Run("the issuer never credits itself", func(t *testing.T) {
		for _, tg := range compose(t, testRelease()) {
			if tg.Issuer && strings.Contains(tg.Text, "Sumber:") {
				t.Errorf("%s/%s: %q", tg.Account, tg.Platform, tg.Text)
			}
		}
	})
}

func TestHoaxClarificationIsPrefixedEverywhere(t *testing.T) {
	r := testRelease()
	r.Kind = release.KlarifikasiHoaks
	r.Title = "Pemilih Tidak Wajib Membawa Fotokopi KTP ke TPS"
	r.Hoax = &release.Hoax{Claim: "Pemilih wajib membawa fotokopi KTP.", Verdict: "HOAKS"}
	// Every post, the partners' quotes and their fallbacks included, starts with the
	// verdict: a reader scrolling past sees it first.
	for _, tg := range compose(t, r) {
		if !strings.HasPrefix(tg.Text, "[HOAKS] Pemilih Tidak Wajib") {
			t.Errorf("%s/%s: %q lacks the verdict", tg.Account, tg.Platform, tg.Text)
		}
		if tg.Fallback != "" && !strings.HasPrefix(tg.Fallback, "[HOAKS] Pemilih Tidak Wajib") {
			t.Errorf("%s/%s fallback: %q lacks the verdict", tg.Account, tg.Platform, tg.Fallback)
		}
	}
}

func TestPostsOverrideTheSummaryPerPlatform(t *testing.T) {
	r := testRelease()
	r.Posts = map[string]string{"x": "Teks khusus untuk X."}
	targets := compose(t, r)
	if x := find(t, targets, "kpu", publish.X); !strings.Contains(x.Text, "Teks khusus untuk X.") || strings.Contains(x.Text, r.Summary) {
		t.Errorf("kpu/x = %q", x.Text)
	}
	if fb := find(t, targets, "kpu", publish.Facebook); !strings.Contains(fb.Text, r.Summary) {
		t.Errorf("kpu/facebook = %q", fb.Text)
	}
}

// The officer's own text for X keeps its paragraphs and spaces: only a summary
// taken from the release is folded into one line there.
func TestATextWrittenForXKeepsItsLines(t *testing.T) {
	r := testRelease()
	r.Summary = "Paragraf satu.\n\nParagraf dua."
	if x := find(t, compose(t, r), "kpu", publish.X); !strings.Contains(x.Text, "Paragraf satu. Paragraf dua.") {
		t.Errorf("kpu/x = %q: the release's summary is folded into one line", x.Text)
	}
	r.Posts = map[string]string{"x": "Baris pertama.\n\nBaris kedua  dengan dua spasi."}
	if x := find(t, compose(t, r), "kpu", publish.X); !strings.Contains(x.Text, "Baris pertama.\n\nBaris kedua  dengan dua spasi.") {
		t.Errorf("kpu/x = %q, want the text as written", x.Text)
	}
}

func TestImageOnEveryTarget(t *testing.T) {
	r := testRelease()
	r.Image = "images/audiensi.jpg"
	r.ImageAlt = "Ketua KPU berbicara di depan jajaran Diskominfo"
	for _, tg := range compose(t, r) {
		if tg.Image == nil || *tg.Image != (Image{Path: r.Image, Alt: r.ImageAlt}) {
			t.Errorf("%s/%s: image %+v", tg.Account, tg.Platform, tg.Image)
		}
	}
	for _, tg := range compose(t, testRelease()) {
		if tg.Image != nil {
			t.Errorf("%s/%s: image %+v without one in the release", tg.Account, tg.Platform, tg.Image)
		}
	}
}

func TestXPostsFit(t *testing.T) {
	long := strings.Repeat("Pemungutan suara ulang digelar di tiga TPS karena kotak suara rusak. ", 8)
	tests := []struct {
		name     string
		title    string
		summary  string
		tags     []string
		cut      bool // the summary cannot be whole
		keepTags int  // hashtags expected to remain, -1: not checked
	}{
		{"short post is whole", "Rapat Pleno", "Rapat pleno terbuka rekapitulasi.", []string{"pemilu-2024"}, false, 1},
		{"hashtags go before the summary is cut", "Rapat Pleno", long, []string{"pemilu-2024", "kehumasan"}, true, 0},
		{"a hashtag that fits stays", "Rapat Pleno", strings.Repeat("Rapat pleno terbuka. ", 11), []string{"pemilu-2024", "kehumasan"}, false, 1},
		{"emoji weigh two", "Ayo ke TPS 🗳️", strings.Repeat("Gunakan hak pilih 🗳️✅🇮🇩 ", 20), []string{"pemilu-2024"}, true, 0},
		{"CJK weighs two", "選挙のお知らせ", strings.Repeat("投票は午前七時から午後一時まで 行われます ", 12), nil, true, 0},
		{"bare domains count 23 each", "Cek DPT Anda", strings.Repeat("Cek di kpu.go.id atau balikpapan.go.id dan cekdptonline.kpu.go.id ", 6), nil, true, 0},
		{"a summary without spaces is dropped whole", "Rapat Pleno", strings.Repeat("x", 400), []string{"pemilu-2024"}, true, 0},
		{"hashtags give way while the summary stays whole", strings.Repeat("Judul ", 30), "Ringkasan singkat.",
			[]string{"pemilihan-umum-serentak-2024", "pemilihan-kepala-daerah-2024", "komisi-pemilihan-umum", "kehumasan-pemerintah"}, false, 2},
		{"a headline too long is cut last", strings.Repeat("Sosialisasi Tahapan Pemilu ", 15), "Ringkasan.", []string{"pemilu-2024"}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRelease()
			r.Title, r.Summary, r.Tags = tt.title, tt.summary, tt.tags
			for _, tg := range compose(t, r) {
				if tg.Platform != publish.X {
					continue
				}
				for _, text := range []string{tg.Text, tg.Fallback} {
					if text == "" {
						continue
					}
					n := xtext.Length(text)
					if n > xtext.Limit {
						t.Errorf("%s: %d weighted characters:\n%s", tg.Account, n, text)
					}
					if !slices.Contains(xtext.ExtractURLs(text), articleURL) {
						t.Errorf("%s: article URL not intact in %q", tg.Account, text)
					}
				}
				if tg.Length != xtext.Length(tg.Text) || tg.FallbackLength != xtext.Length(tg.Fallback) {
					t.Errorf("%s: Length %d/%d, xtext says %d/%d", tg.Account, tg.Length, tg.FallbackLength, xtext.Length(tg.Text), xtext.Length(tg.Fallback))
				}
				if !tg.Issuer {
					continue
				}
				whole := strings.Contains(tg.Text, strings.Join(strings.Fields(tt.summary), " "))
				if whole == tt.cut {
					t.Errorf("summary whole = %v, want %v:\n%s", whole, !tt.cut, tg.Text)
				}
				if tt.cut {
					checkCut(t, tg.Text, tt.title, tt.summary)
				}
				if tt.keepTags >= 0 {
					if got := strings.Count(tg.Text, "#"); got != tt.keepTags {
						t.Errorf("%d hashtags left, want %d:\n%s", got, tt.keepTags, tg.Text)
					}
				}
			}
		})
	}
}

// checkCut checks that a shortened part of text ends after a whole sentence of the
// original summary, or with "…" right after a whole word of the summary or title.
func checkCut(t *testing.T, text, title, summary string) {
	t.Helper()
	folded := strings.Join(strings.Fields(summary), " ")
	for _, line := range strings.Split(text, "\n") {
		if line != folded && strings.HasPrefix(folded, line) && strings.HasSuffix(line, ".") && folded[len(line)] == ' ' {
			return // a whole sentence
		}
		before, ok := strings.CutSuffix(line, "…")
		if !ok {
			continue
		}
		for _, orig := range []string{folded, title} {
			if strings.HasPrefix(orig, before) && (len(orig) == len(before) || orig[len(before)] == ' ' || strings.ContainsRune(".,;:!?", rune(orig[len(before)]))) {
				return
			}
		}
		t.Errorf("%q is not cut at a word boundary", line)
		return
	}
	if strings.Contains(text, summary) {
		return
	}
	// The summary may be gone entirely; then it must not have left a stray "…".
	if strings.Contains(text, "…") {
		t.Errorf("stray … in %q", text)
	}
}

func TestTextIsClean(t *testing.T) {
	r := testRelease()
	r.Summary, r.Tags = "", nil
	for _, tg := range compose(t, r) {
		for _, text := range []string{tg.Text, tg.Fallback} {
			if text != strings.TrimSpace(text) || strings.Contains(text, "\n\n\n") || strings.Contains(text, " \n") {
				t.Errorf("%s/%s: untidy text %q", tg.Account, tg.Platform, text)
			}
		}
	}
	x := find(t, compose(t, r), "kpu", publish.X)
	if want := r.Title + "\n\n" + articleURL; x.Text != want {
		t.Errorf("kpu/x = %q, want %q", x.Text, want)
	}
}

func TestProjectTemplatesOverrideTheDefaults(t *testing.T) {
	t.Run("from an fs.FS", func(t *testing.T) {
		fbDefault, err := fs.ReadFile(templates.FS, "posts/facebook.tmpl")
		if err != nil {
			t.Fatal(err)
		}
		tmpl := fstest.MapFS{
			"posts/x.tmpl":        {Data: []byte("📢 {{.Headline}} {{.URL}}{{if .Source}} ({{.Source}}){{end}}\n\n\n")},
			"posts/facebook.tmpl": {Data: fbDefault},
		}
		r := testRelease()
		r.Targets = []string{"kpu/x", "diskominfo/facebook"}
		targets, err := ComposeWith(testConfig(t), tmpl, r)
		if err != nil {
			t.Fatal(err)
		}
		if want := "📢 " + r.Title + " " + articleURL; targets[0].Text != want || targets[0].Length != xtext.Length(want) {
			t.Errorf("kpu/x = %q, want %q", targets[0].Text, want)
		}
		if !strings.HasSuffix(targets[1].Text, "Sumber: KPU Kota Balikpapan") {
			t.Errorf("diskominfo/facebook = %q", targets[1].Text)
		}
	})
	t.Run("from a project folder", func(t *testing.T) {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "templates", "posts"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "templates", "posts", "facebook.tmpl"), []byte("{{.Headline}} — {{.Issuer}}"), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := project.Open(root)
		if err != nil {
			t.Fatal(err)
		}
		r := testRelease()
		r.Issuer = p.Config.Accounts[0].Key
		targets, err := Compose(p, r)
		if err != nil {
			t.Fatal(err)
		}
		fb := find(t, targets, r.Issuer, publish.Facebook)
		if want := r.Title + " — " + p.Config.Accounts[0].Name; fb.Text != want {
			t.Errorf("facebook = %q, want %q", fb.Text, want)
		}
		if x := find(t, targets, r.Issuer, publish.X); !strings.Contains(x.Text, r.Summary) {
			t.Errorf("x should keep the embedded template: %q", x.Text)
		}
	})
	t.Run("a broken template is an error naming it", func(t *testing.T) {
		tmpl := fstest.MapFS{"posts/x.tmpl": {Data: []byte("{{.Headline")}}
		r := testRelease()
		r.Targets = []string{"kpu/x"}
		if _, err := ComposeWith(testConfig(t), tmpl, r); err == nil || !strings.Contains(err.Error(), "templates/posts/x.tmpl") {
			t.Errorf("err = %v", err)
		}
		r.Targets = []string{"kpu/facebook"}
		if _, err := ComposeWith(testConfig(t), tmpl, r); err == nil || !strings.Contains(err.Error(), "templates/posts/facebook.tmpl: no such template") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestHashtags(t *testing.T) {
	tests := []struct {
		name  string
		tags  []string
		names map[string]string
		want  []string
	}{
		{"dashes become CamelCase", []string{"pemilu-2024", "cek-fakta"}, nil, []string{"#Pemilu2024", "#CekFakta"}},
		{"one word is capitalised", []string{"kehumasan"}, nil, []string{"#Kehumasan"}},
		{"spaces and underscores split words too", []string{"masa tenang", "hari_pemungutan"}, nil, []string{"#MasaTenang", "#HariPemungutan"}},
		{"a tag of digits alone is no hashtag on any platform", []string{"2024", "17-08", "pemilu-2024"},
			map[string]string{"17-08": "17 08"}, []string{"#Pemilu2024"}},
		{"repeats and empty tags are dropped", []string{"pemilu", "Pemilu", "--"}, nil, []string{"#Pemilu"}},
		{"acronyms stay in capitals", []string{"kpu", "ppid", "tps", "kpu-balikpapan", "hut-ri-81"}, nil,
			[]string{"#KPU", "#PPID", "#TPS", "#KPUBalikpapan", "#HUTRI81"}},
		{"acronyms read as words are words", []string{"bawaslu", "diskominfo", "pilkada"}, nil, []string{"#Bawaslu", "#Diskominfo", "#Pilkada"}},
		{"capitals written in a tag are kept", []string{"PemiluDamai", "KPU"}, nil, []string{"#PemiluDamai", "#KPU"}},
		{"humas.yaml names a tag", []string{"dprd-bpp", "pemilu-2024", "Sekolah"},
			map[string]string{"dprd-bpp": "DPRD Balikpapan", "sekolah": "SekolahKu"},
			[]string{"#DPRDBalikpapan", "#Pemilu2024", "#SekolahKu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hashtags(tt.tags, tt.names); !slices.Equal(got, tt.want) {
				t.Errorf("Hashtags(%q) = %q, want %q", tt.tags, got, tt.want)
			}
		})
	}
}

func BenchmarkComposeLongRelease(b *testing.B) {
	cfg, err := config.Parse("humas.yaml", []byte(humasYAML))
	if err != nil {
		b.Fatal(err)
	}
	r := testRelease()
	r.Summary = strings.Repeat("Pemungutan suara ulang digelar di tiga TPS karena kotak suara rusak. ", 10)
	for b.Loop() {
		if _, err := ComposeWith(cfg, templates.FS, r); err != nil {
			b.Fatal(err)
		}
	}
}
