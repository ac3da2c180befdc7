package site

import (
	"bytes"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/presskit"
	"github.com/balikpapan/humas/publish/release"
	"github.com/balikpapan/humas/templates"
)

func TestTheEmbeddedTemplatesTakeTheGeneratedPathAndOverridesDoNot(t *testing.T) {
	r, err := newRenderer(testConfig(), templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	if !r.fast {
		t.Fatal("the embedded templates do not take the generated path: run go generate ./publish/site")
	}
	for _, name := range fastTemplateFiles {
		b, err := fs.ReadFile(templates.FS, path.Join("site", name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := newRenderer(testConfig(), overrideFS(t, "site/"+name, append(b, '\n')), "")
		if err != nil {
			t.Fatal(err)
		}
		if r.fast {
			t.Errorf("a project's own %s still takes the generated path", name)
		}
	}
}

// trickyReleases carry every character html/template escapes, invalid UTF-8,
// NUL, unsafe URL schemes and odd paths, in every field the pages show.
func trickyReleases() []*release.Release {
	odd := "A & B <i>\"kutip\"</i> 'satu' + dua \x00 nul \xff\xfe rusak é 😀 \ufdd0 \t tab"
	return []*release.Release{
		{
			File: "releases/2021-06-01-aneh.md", Slug: "aneh%zz'(x) ö", Title: odd, Summary: odd,
			Date: time.Date(2021, 6, 1, 8, 0, 0, 0, wita), Embargo: time.Date(2030, 1, 1, 0, 0, 0, 0, wita),
			Issuer: "tak-dikenal <x>", Kind: "jenis-aneh", Number: odd,
			Tags:     []string{odd, "a/b?c#d", "Pemilu 2024", "%41%zz"},
			Image:    "releases/images/foto aneh'\"<>%20&?#.jpg",
			ImageAlt: odd,
			Contact:  &release.Contact{Name: odd, Role: odd, Phone: "+62 (542) 000-000 ext. 7", Email: "a+b\"<x>@contoh.go.id?subject=x y"},
			Hoax: &release.Hoax{Claim: odd, Verdict: odd, Sources: []string{
				"https://contoh.go.id/a b?c=<d>&e='f'", "javascript:alert(1)", "JAVASCRIPT:x", "//cdn.example/x", "/relative:path", "data:text/html,x", "mailto:a@b.id", "HTTPS://X.ID/%7e%zz",
			}},
			Body: []byte("Isi *tebal* & <b>html</b>.\n"),
		},
		{
			File: "releases/2021-06-02-kosong.md", Slug: "kosong", Title: "", Date: time.Date(2021, 6, 2, 8, 0, 0, 0, wita),
			Issuer: "kpu", Contact: &release.Contact{Phone: "12"}, Body: nil,
		},
	}
}

func trickyLinks(slug string) []Link {
	return []Link{
		{Account: "kpu", Platform: "x", URL: "https://x.com/kpu/status/1?a=<b>&c='d'"},
		{Account: "aneh", AccountName: "A & <B>", Platform: "mastodon", URL: "javascript:alert(1)"},
		{Account: "diskominfo", Platform: "facebook", URL: "https://facebook.com/1_2 3%zz"},
	}
}

func TestFastPagesMatchTemplates(t *testing.T) {
	cfg := testConfig()
	r, err := newRenderer(cfg, templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	rels := append(fixtureReleases(), trickyReleases()...)
	rels = append(rels, corpus(200, cfg.Site.Location)...)
	md := newMarkdown()
	for _, rel := range rels {
		for _, links := range [][]Link{nil, fixtureLinks(rel.Slug), trickyLinks(rel.Slug)} {
			var body bodyBuffer
			html, err := articleHTML(md, &body, rel)
			if err != nil {
				t.Fatal(err)
			}
			render := func(fast bool) string {
				r.fast = fast
				var page bytes.Buffer
				if err := r.renderArticle(&page, rel, html, links, testNow); err != nil {
					t.Fatalf("%s: %v", rel.File, err)
				}
				return page.String()
			}
			if want, got := render(false), render(true); got != want {
				t.Fatalf("article page of %s with %d links differs from article.html:\n%s", rel.File, len(links), firstDiff(want, got))
			}
		}
		for _, root := range []string{"./", "../../", "../../../../"} {
			for _, tmpl := range []string{"index", "tag"} {
				c := r.card(rel, root)
				want, err := renderCardTemplate(r, tmpl, c)
				if err != nil {
					t.Fatal(err)
				}
				if got := cardHTML(&c); string(got) != want {
					t.Fatalf("card of %s at %s differs from the card template:\n%s", rel.File, root, firstDiff(want, string(got)))
				}
			}
		}
	}
}

// TestFastListPagesMatchTemplates renders every page of the index and of each
// tag both ways, for releases with every character html/template escapes in
// their titles, summaries, slugs and tags.
func TestFastListPagesMatchTemplates(t *testing.T) {
	cfg := testConfig()
	rels := append(fixtureReleases(), trickyReleases()...)
	rels = append(rels, corpus(200, cfg.Site.Location)...)
	render := func(fast bool) map[string]string {
		r, err := newRenderer(cfg, templates.FS, "")
		if err != nil {
			t.Fatal(err)
		}
		r.fast = fast
		root := t.TempDir()
		b := &builder{in: input{root: root, cfg: cfg, fsys: templates.FS}, r: r, now: testNow, kit: presskit.New(root, cfg, "")}
		live, err := b.selectLive(rels)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range b.lists(live, &manifest{}, &manifest{Pages: map[string]string{}}) {
			if !strings.HasSuffix(p.path, "index.html") || p.path == "tags/index.html" {
				continue
			}
			var buf bytes.Buffer
			if err := p.render(&buf); err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			out[p.path] = buf.String()
		}
		return out
	}
	want, got := render(false), render(true)
	if len(want) < 10 || len(got) != len(want) {
		t.Fatalf("%d pages with html/template, %d generated", len(want), len(got))
	}
	for path, w := range want {
		if got[path] != w {
			t.Fatalf("%s differs from its template:\n%s", path, firstDiff(w, got[path]))
		}
	}
}

func renderCardTemplate(r *renderer, name string, c card) (string, error) {
	t := r.index
	if name == "tag" {
		t = r.tag
	}
	var b bytes.Buffer
	err := t.ExecuteTemplate(&b, "card", c)
	return b.String(), err
}

// BenchmarkArticlePage renders article pages with the generated writer and with
// html/template: what pages_gen.go buys per page.
func BenchmarkArticlePage(b *testing.B) {
	cfg := testConfig()
	rels := corpus(200, cfg.Site.Location)
	bodies := make([]template.HTML, len(rels))
	md := newMarkdown()
	for i, rel := range rels {
		var body bodyBuffer
		html, err := articleHTML(md, &body, rel)
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = html
	}
	for _, fast := range []bool{true, false} {
		name := "html-template"
		if fast {
			name = "generated"
		}
		b.Run(name, func(b *testing.B) {
			r, err := newRenderer(cfg, templates.FS, "")
			if err != nil {
				b.Fatal(err)
			}
			r.fast = fast
			var page bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				for i, rel := range rels {
					page.Reset()
					if err := r.renderArticle(&page, rel, bodies[i], fixtureLinks(rel.Slug), testNow); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rels))/1000, "µs/page")
		})
	}
}
