package ledger

import (
	"regexp"
	"slices"
	"testing"
	"time"
)

func facts() Facts {
	return Facts{File: "releases/2021-06-09-sinergi.md", Slug: "sinergi", URL: "https://humas.balikpapan.go.id/sinergi/",
		Issuer: "kpu", Title: "KPU dan Diskominfo Bersinergi", Date: sample().Date}
}

func TestMatch(t *testing.T) {
	none := func(string) bool { return false }
	all := func(string) bool { return true }

	t.Run("a release never recorded gets a fresh record named by its file", func(t *testing.T) {
		got := Match(nil, []Facts{facts()}, none)[0]
		if !got.New || !got.Changed || got.ID != "2021-06-09-sinergi" || got.Slug != "sinergi" || got.Issuer != "kpu" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a release is found by its file, and nothing changes", func(t *testing.T) {
		got := Match([]*Record{sample()}, []Facts{facts()}, none)[0]
		if got.New || got.Changed || got.RenamedFrom != "" || got.Target("kpu", "x").ID != "1403" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a renamed file keeps its record, and its old slug becomes an alias", func(t *testing.T) {
		f := facts()
		f.File, f.Slug, f.URL = "releases/2021-06-09-sinergi-kpu.md", "sinergi-kpu", "https://humas.balikpapan.go.id/sinergi-kpu/"
		got := Match([]*Record{sample()}, []Facts{f}, all)[0]
		if got.New || !got.Changed || got.RenamedFrom != "releases/2021-06-09-sinergi.md" || got.OldSlug != "sinergi" {
			t.Fatalf("got %+v", got)
		}
		if got.ID != "2021-06-09-sinergi" || got.File != f.File || got.URL != f.URL || !slices.Equal(got.Aliases, []string{"sinergi"}) {
			t.Fatalf("record %+v", got.Record)
		}
	})

	t.Run("a rename with a retouched title is still the release when the slug stays", func(t *testing.T) {
		f := facts()
		f.File, f.Title = "releases/2021-06-10-sinergi.md", "KPU dan Diskominfo Bersinergi Tangkal Hoaks"
		got := Match([]*Record{sample()}, []Facts{f}, all)[0]
		if got.New || got.OldSlug != "" || len(got.Aliases) != 0 {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a slug changed in the front matter keeps the record and adds an alias", func(t *testing.T) {
		f := facts()
		f.Slug = "sinergi-tangkal-hoaks"
		got := Match([]*Record{sample()}, []Facts{f}, none)[0]
		if got.New || got.OldSlug != "sinergi" || !slices.Equal(got.Aliases, []string{"sinergi"}) {
			t.Fatalf("got %+v", got)
		}
		// Changed back: the alias goes, the slug before it stays an alias.
		got = Match([]*Record{got.Record}, []Facts{facts()}, none)[0]
		if !slices.Equal(got.Aliases, []string{"sinergi-tangkal-hoaks"}) || got.Slug != "sinergi" {
			t.Fatalf("back: %+v", got.Record)
		}
	})

	t.Run("a typo fixed in the title and the file name at once is still the release", func(t *testing.T) {
		r := sample()
		r.File, r.Slug, r.Title = "releases/2021-06-09-sinergi-kpu-diskominfo.md", "sinergi-kpu-diskominfo", "KPU dan Diskominfo Bersinegri"
		got := Match([]*Record{r}, []Facts{facts()}, all)[0]
		if got.New || got.RenamedFrom != "releases/2021-06-09-sinergi-kpu-diskominfo.md" || got.OldSlug != "sinergi-kpu-diskominfo" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a title and file both rewritten is another release", func(t *testing.T) {
		f := facts()
		f.File, f.Slug, f.Title = "releases/2021-06-09-kerja-sama.md", "kerja-sama", "KPU dan Diskominfo Teken Kerja Sama"
		got := Match([]*Record{sample()}, []Facts{f}, all)[0]
		if !got.New {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a wrong date corrected with the file name is still the release when title and slug stay", func(t *testing.T) {
		f := facts()
		f.File, f.Date = "releases/2021-06-10-sinergi.md", f.Date.AddDate(0, 0, 1)
		got := Match([]*Record{sample()}, []Facts{f}, all)[0]
		if got.New || got.RenamedFrom != "releases/2021-06-09-sinergi.md" || !got.Date.Equal(f.Date) {
			t.Fatalf("got %+v", got)
		}
		f.Title = "Sinergi Lagi"
		if got := Match([]*Record{sample()}, []Facts{f}, all)[0]; !got.New {
			t.Fatalf("another title on another date taken for the release: %+v", got)
		}
	})

	t.Run("another release of the same day by the same issuer is not taken for a rename", func(t *testing.T) {
		f := facts()
		f.File, f.Slug, f.Title = "releases/2021-06-09-rapat.md", "rapat", "Rapat Pleno Terbuka"
		got := Match([]*Record{sample()}, []Facts{f}, all)[0]
		if !got.New || got.ID != "2021-06-09-rapat" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a record whose file is still there is never taken by another release", func(t *testing.T) {
		f := facts()
		f.File = "releases/2021-06-09-sinergi-salinan.md"
		got := Match([]*Record{sample()}, []Facts{f}, none)[0]
		if !got.New || got.ID != "2021-06-09-sinergi-salinan" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("two releases with one slug have a record each", func(t *testing.T) {
		a, b := facts(), facts()
		b.File, b.Date, b.Title = "releases/2022-01-05-sinergi.md", time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC), "Sinergi Lagi"
		got := Match([]*Record{sample()}, []Facts{a, b}, none)
		if got[0].ID != "2021-06-09-sinergi" || got[0].New || !got[1].New || got[1].ID != "2022-01-05-sinergi" {
			t.Fatalf("got %+v, %+v", got[0].Record, got[1].Record)
		}
	})

	t.Run("a fresh id never takes a folder another record holds", func(t *testing.T) {
		old := sample()
		old.File = "releases/2021-06-09-sinergi-lama.md" // renamed away, its folder stays
		f := facts()
		f.Title, f.Slug = "Lain", "lain"
		got := Match([]*Record{old}, []Facts{f}, none)[0]
		if !got.New || got.ID != "2021-06-09-sinergi-2" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a record of an older humas is followed by its slug, as it was then", func(t *testing.T) {
		old := &Record{ID: "2021-06-08-sinergi", File: "releases/2021-06-08-sinergi.md", Slug: "sinergi", legacy: ".humas/ledger/sinergi.json",
			Targets: map[string]*Target{"kpu/x": {State: Posted, ID: "1"}}}
		got := Match([]*Record{old}, []Facts{facts()}, all)[0]
		if got.New || !got.Changed || got.Target("kpu", "x").ID != "1" || got.Issuer != "kpu" {
			t.Fatalf("got %+v", got)
		}
	})

	t.Run("a change is what the record's file would show, and nothing else", func(t *testing.T) {
		wita := time.FixedZone("WITA", 8*3600)
		for _, c := range []struct {
			name    string
			edit    func(*Facts)
			changed bool
		}{
			{"same release", func(*Facts) {}, false},
			{"same instant in another zone", func(f *Facts) { f.Date = f.Date.UTC() }, false},
			{"less than a second later", func(f *Facts) { f.Date = f.Date.Add(time.Millisecond) }, false},
			{"a second later", func(f *Facts) { f.Date = f.Date.Add(time.Second) }, true},
			{"another day", func(f *Facts) { f.Date = time.Date(2021, 6, 10, 13, 0, 0, 0, wita) }, true},
			{"no date", func(f *Facts) { f.Date = time.Time{} }, true},
			{"another title", func(f *Facts) { f.Title += "!" }, true},
			{"another issuer", func(f *Facts) { f.Issuer = "diskominfo" }, true},
			{"another address", func(f *Facts) { f.URL += "x/" }, true},
		} {
			f := facts()
			c.edit(&f)
			if got := Match([]*Record{sample()}, []Facts{f}, none)[0]; got.New || got.Changed != c.changed {
				t.Errorf("%s: new %v, changed %v, want changed %v", c.name, got.New, got.Changed, c.changed)
			}
		}
		// The file keeps aliases sorted: another order is the same record.
		r := sample()
		r.Aliases = []string{"sinergi-b", "sinergi-a"}
		if got := Match([]*Record{r}, []Facts{facts()}, none)[0]; got.Changed {
			t.Errorf("aliases in another order: changed")
		}
	})
}

// TestIDNames holds the hand-written match of a ledger folder's name to the
// pattern it stands for.
func TestIDNames(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	for _, id := range []string{"", "a", "2021-06-09-sinergi", "A.b_c-D", ".hidden", "-a", "_a", "a b", "a/b", "sinergi\\x",
		"é", "a\x00", "..", "a..b", "a.", "Z9", "9", "a\u00e9"} {
		if got, want := isIDName(id), re.MatchString(id); got != want {
			t.Errorf("isIDName(%q) = %v, the pattern says %v", id, got, want)
		}
	}
}
