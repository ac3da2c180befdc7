package project

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, root, name, text string) {
	t.Helper()
	full := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func releaseText(title string) string {
	return "---\ntitle: " + title + "\ndate: 2021-06-09 13:00\nissuer: humas\nclassification: berkala\n---\nIsi.\n"
}

func TestLoadTakesRelativeAndAbsolutePaths(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/2021-06-09-a.md", releaseText("A"))
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"releases/2021-06-09-a.md", filepath.Join(root, "releases", "2021-06-09-a.md")} {
		r, diags := p.Load(path)
		if len(diags) > 0 {
			t.Fatalf("%s: %v", path, diags)
		}
		if r.File != "releases/2021-06-09-a.md" {
			t.Errorf("%s: File = %q, want it relative to the root", path, r.File)
		}
	}
}

func TestLoadReportsAMissingFile(t *testing.T) {
	p, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r, diags := p.Load("releases/2021-06-09-hilang.md")
	if r != nil || !diags.HasErrors() || !strings.Contains(diags.Error(), "releases/2021-06-09-hilang.md: cannot read") {
		t.Errorf("r = %v, diags = %v", r, diags)
	}
}

func TestLoadAllKeepsFileOrderAndEveryProblem(t *testing.T) {
	root := t.TempDir()
	const n = 50
	for i := range n {
		text := releaseText(fmt.Sprintf("Rilis %d", i))
		if i%10 == 3 {
			text = strings.Replace(text, "issuer: humas", "issuer: KPU Kota", 1) // not an account key
		}
		write(t, root, fmt.Sprintf("releases/2021-06-09-r%02d.md", i), text)
	}
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	rs, diags := p.LoadAll()
	if len(rs) != n {
		t.Fatalf("got %d releases, want %d", len(rs), n)
	}
	for i, r := range rs {
		if want := fmt.Sprintf("r%02d", i); r.Slug != want {
			t.Fatalf("release %d is %s, want %s", i, r.Slug, want)
		}
	}
	if got := len(diags.Errors()); got != 5 {
		t.Errorf("got %d errors, want 5:\n%v", got, diags)
	}
}

func TestOpenFailsOnABadConfig(t *testing.T) {
	root := t.TempDir()
	write(t, root, "humas.yaml", "site: {base_url: https://a.test/}\naccounts: {kpu: {nama: KPU}}\n")
	if _, err := Open(root); err == nil || !strings.Contains(err.Error(), `humas.yaml:2: accounts.kpu: unknown key "nama"`) {
		t.Errorf("err = %v", err)
	}
}

func TestTheRepositoryReleasesAreClean(t *testing.T) {
	p, err := Open(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	rs, diags := p.LoadAll()
	if len(diags) > 0 {
		t.Errorf("example releases have problems:\n%v", diags)
	}
	if len(rs) < 5 {
		t.Errorf("only %d example releases", len(rs))
	}
}

func TestTheTemplatesPlaceholderTextIsAnErrorWhereItIsLeft(t *testing.T) {
	root := t.TempDir()
	write(t, root, "templates/release.md", "---\ntitle: {{.Title}}\n---\nTulis paragraf pembuka di sini, lengkap.\n\nParagraf kedua yang masih contoh saja.\n")
	write(t, root, "releases/2021-06-09-r.md", "---\ntitle: R\ndate: 2021-06-09\nissuer: humas\nclassification: berkala\n---\nParagraf pertama yang sudah ditulis.\n\nParagraf kedua yang masih contoh saja.\n")
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	_, diags := p.Load("releases/2021-06-09-r.md")
	if len(diags) != 1 || diags[0].Line != 9 || diags[0].Field != "body" || diags[0].Warning {
		t.Errorf("diags = %v, want one error at line 9 for the line left from the template", diags)
	}
}

func TestSlugsAreUniqueAcrossTheProject(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/2021-06-09-rapat.md", releaseText("A"))
	write(t, root, "releases/2021-06-10-rapat.md", releaseText("B"))
	write(t, root, "releases/2021-06-11-lain.md", strings.Replace(releaseText("C"), "title: C\n", "title: C\nslug: \"rapat\"  # sama\n", 1))
	write(t, root, "releases/2021-06-12-sendiri.md", releaseText("D"))
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	_, diags := p.LoadAll()
	diags = diags.Errors() // the dates in the names differ from the text's, a warning
	for _, want := range []string{
		`releases/2021-06-09-rapat.md:1: slug: "rapat" is also the slug of releases/2021-06-10-rapat.md, releases/2021-06-11-lain.md`,
		`releases/2021-06-10-rapat.md:1: slug: "rapat" is also the slug of releases/2021-06-09-rapat.md, releases/2021-06-11-lain.md`,
		`releases/2021-06-11-lain.md:3: slug: "rapat" is also the slug of releases/2021-06-09-rapat.md, releases/2021-06-10-rapat.md`,
	} {
		if !strings.Contains(diags.Error(), want) {
			t.Errorf("no %q in\n%v", want, diags)
		}
	}
	if strings.Contains(diags.Error(), "sendiri") {
		t.Errorf("a unique slug is reported:\n%v", diags)
	}

	// One file loaded alone still learns the others' slugs, reading only their start.
	_, diags = p.LoadFiles([]string{"releases/2021-06-11-lain.md"})
	diags = diags.Errors()
	if len(diags) != 1 || !strings.Contains(diags[0].String(), "also the slug of releases/2021-06-09-rapat.md, releases/2021-06-10-rapat.md") {
		t.Errorf("diags = %v", diags)
	}
}

func TestADateMoreThanAYearAheadIsAWarning(t *testing.T) {
	root := t.TempDir()
	write(t, root, "releases/2031-06-09-a.md", strings.Replace(releaseText("A"), "2021-06-09", "2031-06-09", 1))
	write(t, root, "releases/2022-06-01-b.md", strings.Replace(releaseText("B"), "2021-06-09", "2022-06-01", 1))
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p.Now = func() time.Time { return time.Date(2021, 6, 9, 0, 0, 0, 0, time.UTC) }
	_, diags := p.LoadAll()
	if len(diags) != 1 || !diags[0].Warning || diags[0].String() != "warning: releases/2031-06-09-a.md:3: date: 2031-06-09 is more than a year ahead: check the year" {
		t.Errorf("diags = %v", diags)
	}
}
