package ledger

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2021, 6, 9, 13, 0, 5, 123, time.FixedZone("WITA", 8*3600))

func sample() *Record {
	return &Record{
		ID:     "2021-06-09-sinergi",
		File:   "releases/2021-06-09-sinergi.md",
		Slug:   "sinergi",
		URL:    "https://humas.balikpapan.go.id/sinergi/",
		Issuer: "kpu",
		Title:  "KPU dan Diskominfo Bersinergi",
		Date:   time.Date(2021, 6, 9, 13, 0, 0, 0, time.FixedZone("WITA", 8*3600)),
		Targets: map[string]*Target{
			"kpu/x":               {State: Posted, ID: "1403", URL: "https://x.com/kpubalikpapan/status/1403", Fingerprint: Fingerprint("teks"), PostedAt: at, UpdatedAt: at, Attempts: 1},
			"diskominfo/x":        {State: Failed, Error: "x: post: HTTP 503", Attempts: 2, UpdatedAt: at},
			"diskominfo/facebook": {State: Pending, Attempts: 1, UpdatedAt: at},
		},
	}
}

func readFile(t *testing.T, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, root, rel, content string) {
	t.Helper()
	name := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func only(t *testing.T, s *Store) *Record {
	t.Helper()
	rs, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("ledger holds %d records, want 1", len(rs))
	}
	return rs[0]
}

func TestStore(t *testing.T) {
	t.Run("a record is a folder: release.json and one file per target", func(t *testing.T) {
		root := t.TempDir()
		if err := Open(root).Save(sample()); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(filepath.Join(root, Dir, "2021-06-09-sinergi"))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
			info, _ := e.Info()
			if info.Mode().Perm() != 0o644 {
				t.Errorf("%s: mode %v, want 0644 so git shares it", e.Name(), info.Mode().Perm())
			}
		}
		want := []string{"diskominfo.facebook.json", "diskominfo.x.json", "kpu.x.json", "release.json"}
		if !slices.Equal(names, want) {
			t.Fatalf("folder holds %v, want %v and no temporary file", names, want)
		}
	})

	t.Run("a saved record loads back equal with times in UTC seconds", func(t *testing.T) {
		s := Open(t.TempDir())
		if err := s.Save(sample()); err != nil {
			t.Fatal(err)
		}
		r := only(t, s)
		got := r.Target("kpu", "x")
		want := time.Date(2021, 6, 9, 5, 0, 5, 0, time.UTC)
		if got.ID != "1403" || got.State != Posted || !got.PostedAt.Equal(want) || got.PostedAt.Location() != time.UTC {
			t.Fatalf("kpu/x = %+v, want posted 1403 at %v UTC", got, want)
		}
		if r.Target("diskominfo", "facebook").State != Pending || len(r.Targets) != 3 {
			t.Fatalf("targets = %v", r.Keys())
		}
		if r.ID != "2021-06-09-sinergi" || r.Issuer != "kpu" || !r.Date.Equal(sample().Date) || r.Title != sample().Title {
			t.Fatalf("release = %+v", r)
		}
	})

	t.Run("files are indented, keys sorted, times RFC 3339 UTC, and release.json holds no time of a run", func(t *testing.T) {
		root := t.TempDir()
		if err := Open(root).Save(sample()); err != nil {
			t.Fatal(err)
		}
		inOrder(t, readFile(t, root, ".humas/ledger/2021-06-09-sinergi/kpu.x.json"),
			`"attempts": 1`, `"fingerprint"`, `"id": "1403"`, `"posted_at": "2021-06-09T05:00:05Z"`, `"state": "posted"`, `"updated_at"`, `"url"`)
		rel := readFile(t, root, ".humas/ledger/2021-06-09-sinergi/release.json")
		inOrder(t, rel, `"date": "2021-06-09T05:00:00Z"`, `"file"`, `"id"`, `"issuer"`, `"slug"`, `"title"`, `"url"`)
		if strings.Contains(rel, "updated") || strings.Contains(rel, "attempts") || !strings.HasPrefix(rel, "{\n  \"") {
			t.Fatalf("release.json:\n%s", rel)
		}
	})

	t.Run("saving one target writes that target's file alone", func(t *testing.T) {
		root := t.TempDir()
		s := Open(root)
		r := sample()
		if err := s.Save(r); err != nil {
			t.Fatal(err)
		}
		before := readFile(t, root, ".humas/ledger/2021-06-09-sinergi/kpu.x.json")
		r.Targets["diskominfo/x"].State = Posted
		r.Targets["diskominfo/x"].ID = "1404"
		r.Targets["kpu/x"].Attempts = 9 // changed in memory, not saved
		if err := s.SaveTarget(r, "diskominfo", "x"); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, root, ".humas/ledger/2021-06-09-sinergi/kpu.x.json"); got != before {
			t.Fatalf("kpu.x.json changed:\n%s", got)
		}
		if got := only(t, s).Target("diskominfo", "x"); got.State != Posted || got.ID != "1404" {
			t.Fatalf("diskominfo/x = %+v", got)
		}
	})

	t.Run("all lists every record in id order", func(t *testing.T) {
		s := Open(t.TempDir())
		for _, id := range []string{"b", "a"} {
			if err := s.Save(&Record{ID: id, File: "releases/" + id + ".md", Slug: id}); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := s.All()
		if err != nil || len(rs) != 2 || rs[0].ID != "a" || rs[1].ID != "b" {
			t.Fatalf("all = %v, %v; want a, b", rs, err)
		}
	})

	t.Run("an id that would escape the ledger folder is refused", func(t *testing.T) {
		s := Open(t.TempDir())
		for _, id := range []string{"", "../x", "a/b", ".hidden", "a..b"} {
			if err := s.Save(&Record{ID: id, File: "releases/x.md", Slug: "x"}); err == nil {
				t.Errorf("save %q: no error", id)
			}
		}
	})
}

func inOrder(t *testing.T, text string, parts ...string) {
	t.Helper()
	at := 0
	for _, s := range parts {
		i := strings.Index(text[at:], s)
		if i < 0 {
			t.Fatalf("%s missing or out of order in\n%s", s, text)
		}
		at += i
	}
}

// legacy is a record as humas kept it before records were folders.
const legacy = `{
  "file": "releases/2021-06-09-sinergi.md",
  "slug": "sinergi",
  "targets": {
    "kpu/facebook": {
      "attempts": 1,
      "id": "100000000000002_1",
      "posted_at": "2021-06-09T05:00:05Z",
      "state": "posted",
      "url": "https://www.facebook.com/100000000000002_1"
    },
    "kpu/x": {
      "attempts": 1,
      "id": "1403",
      "state": "posted",
      "url": "https://x.com/kpubalikpapan/status/1403"
    }
  },
  "url": "https://humas.balikpapan.go.id/sinergi/"
}
`

func TestLegacy(t *testing.T) {
	t.Run("a record of an older humas is read, and moves to a folder on the next save", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, root, ".humas/ledger/sinergi.json", legacy)
		s := Open(root)
		r := only(t, s)
		if !r.Legacy() || r.ID != "2021-06-09-sinergi" || r.Target("kpu", "x").ID != "1403" || r.Target("kpu", "facebook").State != Posted {
			t.Fatalf("read %+v", r)
		}
		r.Ensure("diskominfo", "x").State = Pending
		if err := s.SaveTarget(r, "diskominfo", "x"); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(root, Dir, "sinergi.json")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("the old file is still there: %v", err)
		}
		r = only(t, s)
		if r.Legacy() || len(r.Targets) != 3 || r.Target("kpu", "facebook").ID != "100000000000002_1" {
			t.Fatalf("after the move: %+v %v", r, r.Keys())
		}
	})

	t.Run("an old file merged beside the folder of its release adds what the folder lacks", func(t *testing.T) {
		root := t.TempDir()
		s := Open(root)
		r := sample()
		delete(r.Targets, "kpu/x")
		if err := s.Save(r); err != nil {
			t.Fatal(err)
		}
		writeFile(t, root, ".humas/ledger/sinergi.json", legacy)
		got := only(t, s)
		if got.Target("kpu", "x").ID != "1403" || got.Target("kpu", "facebook").ID == "" || got.Target("diskominfo", "x").State != Failed {
			t.Fatalf("merged %+v", got.Targets)
		}
		if err := s.Save(got); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(root, Dir, "sinergi.json")); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("the old file is still there")
		}
	})
}

// TestMergeInGit proves what the folder form is for: two branches that posted
// different targets of one release merge without a conflict.
func TestMergeInGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed")
		}
		t.Skip("git is not installed")
	}
	root := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", root, "-c", "user.email=ci@example.test", "-c", "user.name=ci"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	writeFile(t, root, "README.md", "proyek\n")
	git("add", "-A")
	git("commit", "-q", "-m", "start")
	git("checkout", "-q", "-b", "kpu")
	post := func(account, platform, id string) {
		r := sample()
		r.Targets = map[string]*Target{Key(account, platform): {State: Posted, ID: id, URL: "https://example.test/" + id, Attempts: 1, UpdatedAt: at, PostedAt: at}}
		if err := Open(root).SaveTarget(r, account, platform); err != nil {
			t.Fatal(err)
		}
		git("add", "-A")
		git("commit", "-q", "-m", account+" posted")
	}
	post("kpu", "x", "1")
	git("checkout", "-q", "main")
	git("checkout", "-q", "-b", "diskominfo")
	post("diskominfo", "x", "2")
	git("rebase", "-q", "kpu") // as the CI job does: git pull --rebase
	r := only(t, Open(root))
	if r.Target("kpu", "x").ID != "1" || r.Target("diskominfo", "x").ID != "2" {
		t.Fatalf("after the rebase: %v", r.Keys())
	}
}

func TestDamagedLedger(t *testing.T) {
	root := t.TempDir()
	if err := Open(root).Save(sample()); err != nil {
		t.Fatal(err)
	}
	const tfile = ".humas/ledger/2021-06-09-sinergi/kpu.x.json"
	const rfile = ".humas/ledger/2021-06-09-sinergi/release.json"
	target, release := readFile(t, root, tfile), readFile(t, root, rfile)
	tests := []struct {
		name, file, content, want string
		line                      int
	}{
		{"a file truncated mid-write", tfile, target[:len(target)/2], "unexpected end of JSON input", 0},
		{"an empty file", tfile, "", "the file is empty", 0},
		{"an unknown state", tfile, strings.Replace(target, `"state": "posted"`, `"state": "postd"`, 1), `"postd" is not one of pending, posted, failed`, 6},
		{"an unknown field", tfile, strings.Replace(target, `"attempts"`, "\"tries\": 1,\n  \"attempts\"", 1), `unknown field "tries"`, 2},
		{"posted without an id", tfile, strings.Replace(target, `"id": "1403",`, ``, 1), "posted without an id", 0},
		{"two records in one file", tfile, target + target, "data after the record", 0},
		{"an id that is not the folder's", rfile, strings.Replace(release, `"id": "2021-06-09-sinergi"`, `"id": "lain"`, 1), "the id never changes", 4},
		{"a file that is not a release", rfile, strings.Replace(release, `releases/2021-06-09-sinergi.md`, `../etc/passwd`, 1), "not a release file", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error naming the file, the line and the fix", func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(root)); err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, tt.file, tt.content)
			_, err := Open(dir).All()
			var de *DamagedError
			if !errors.As(err, &de) {
				t.Fatalf("all: %v, want a damaged ledger error", err)
			}
			msg := err.Error()
			for _, want := range []string{tt.file + ":", tt.want, "git checkout -- " + tt.file, "only if you are sure nothing was posted"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if tt.line != 0 && de.Line != tt.line {
				t.Errorf("line %d, want %d", de.Line, tt.line)
			}
			ps := Open(dir).Check()
			if len(ps) != 1 || ps[0].File != tt.file || !strings.Contains(ps[0].Message, tt.want) || ps[0].Hint == "" {
				t.Errorf("check = %+v, want the one problem with a hint", ps)
			}
		})
	}

	t.Run("check reports every problem, not the first", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(root)); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, tfile, "")
		writeFile(t, dir, ".humas/ledger/2021-06-09-sinergi/kpu.x.json.bak", "{}")
		writeFile(t, dir, ".humas/ledger/2021-06-09-lain/kpu.x.json", target)
		var got []string
		for _, p := range Open(dir).Check() {
			got = append(got, p.String())
		}
		want := []string{
			".humas/ledger/2021-06-09-lain/release.json: the file is missing: it says which release the folder records",
			".humas/ledger/2021-06-09-sinergi/kpu.x.json: the file is empty",
			".humas/ledger/2021-06-09-sinergi/kpu.x.json.bak: not a ledger file: a target's file is named account.platform.json",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("check =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("two folders for one release are one problem", func(t *testing.T) {
		dir := t.TempDir()
		s := Open(dir)
		a, b := sample(), sample()
		b.ID = "2021-06-09-sinergi-2"
		if err := s.Save(a); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(b); err != nil {
			t.Fatal(err)
		}
		ps := s.Check()
		if len(ps) != 1 || !strings.Contains(ps[0].String(), "2021-06-09-sinergi-2/release.json:3: file: releases/2021-06-09-sinergi.md is also the release of .humas/ledger/2021-06-09-sinergi:") {
			t.Fatalf("check = %+v", ps)
		}
	})
}

func TestFingerprint(t *testing.T) {
	if got := Fingerprint("abc"); got != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("fingerprint of abc = %s", got)
	}
}

// TestRecipientsAreRecordsOfTheirOwn: an email target keeps one record per
// journalist, read back as written, and a record that would lose a Message-ID or
// mix two addresses is damaged, not guessed at.
func TestRecipientsAreRecordsOfTheirOwn(t *testing.T) {
	root := t.TempDir()
	s := Open(root)
	r := sample()
	lt := r.Ensure("kpu", "email")
	lt.State = Pending
	rc := lt.Recipient("Budi@Tribun.example")
	rc.State, rc.MessageID, rc.Attempts = Pending, "sinergi.kpu.ab12@humas.example", 1
	if lt.Recipient("budi@tribun.EXAMPLE") != rc {
		t.Fatal("one journalist in two cases is two records")
	}
	if err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	got := only(t, s)
	if g := got.Target("kpu", "email").Recipients["budi@tribun.example"]; g == nil || *g != *rc {
		t.Fatalf("read back %+v, want %+v", g, rc)
	}
	const file = ".humas/ledger/2021-06-09-sinergi/kpu.email.json"
	data := readFile(t, root, file)
	for name, bad := range map[string]struct{ from, to, want string }{
		"no message id":                 {`"message_id": "sinergi.kpu.ab12@humas.example"`, `"message_id": ""`, "pending without a message_id"},
		"a key that is not its address": {`"budi@tribun.example": {`, `"sari@kaltimpost.example": {`, "is not the address"},
		"an unknown state":              {`"message_id": "sinergi.kpu.ab12@humas.example",` + "\n      \"state\": \"pending\"", `"message_id": "sinergi.kpu.ab12@humas.example",` + "\n      \"state\": \"sent\"", `"sent" is not one of`},
	} {
		t.Run(name, func(t *testing.T) {
			changed := strings.Replace(data, bad.from, bad.to, 1)
			if changed == data {
				t.Fatalf("%q is not in the file:\n%s", bad.from, data)
			}
			writeFile(t, root, file, changed)
			defer writeFile(t, root, file, data)
			_, err := s.All()
			var de *DamagedError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), bad.want) || de.Line == 0 {
				t.Fatalf("all: %v, want damaged at a line: %s", err, bad.want)
			}
		})
	}
}

func TestALedgerFileThatIsALinkOrAPipeIsDamagedNotRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	for _, name := range []string{"nol.json", "2021-06-09-sinergi/kpu.x.json"} {
		for _, to := range []string{"/dev/zero", "/proc/self/environ"} {
			root := t.TempDir()
			if err := Open(root).Save(sample()); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(root, Dir, filepath.FromSlash(name))
			os.Remove(link)
			if err := os.Symlink(to, link); err != nil {
				t.Fatal(err)
			}
			_, err := Open(root).All()
			var de *DamagedError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), "is a symbolic link") {
				t.Errorf("%s -> %s: err = %v, want a damaged ledger file", name, to, err)
			}
			if ps := Open(root).Check(); len(ps) != 1 || !strings.Contains(ps[0].Message, "symbolic link") {
				t.Errorf("%s -> %s: check = %+v", name, to, ps)
			}
		}
	}
}

// TestARecordBeingMadeIsNotDamaged: a reader (status, a build) that looks while a
// run writes a new record's first file sees no record yet, not a damaged one.
func TestARecordBeingMadeIsNotDamaged(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, ".humas/ledger/2021-06-09-baru/.release.json.123.tmp", "{")
	s := Open(root)
	if rs, err := s.All(); err != nil || len(rs) != 0 {
		t.Fatalf("all = %v, %v; want no record and no error", rs, err)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check = %+v", ps)
	}
	// A folder with a target but no release.json is no record being made.
	writeFile(t, root, ".humas/ledger/2021-06-09-baru/kpu.x.json", `{"attempts": 1, "state": "pending"}`)
	if _, err := s.All(); err == nil || !strings.Contains(err.Error(), "release.json: the file is missing") {
		t.Fatalf("all: %v, want release.json missing", err)
	}
}

// A partner office's release reposted from its feed (humas repost) is recorded under
// its article's address, in a folder whose name says so; no other folder may
// name an address as its file.
func TestAPartnersReleaseIsRecordedByItsArticle(t *testing.T) {
	root := t.TempDir()
	s := Open(root)
	const url = "https://kota-balikpapan.kpu.go.id/siaran-pers/audiensi/"
	rec := &Record{ID: PartnerPrefix + "kpu.0123456789abcdef", Slug: PartnerPrefix + "kpu.0123456789abcdef", File: url, URL: url,
		Targets: map[string]*Target{"diskominfo/x": {State: Posted, ID: "77", Attempts: 1}}}
	if err := s.Save(rec); err != nil {
		t.Fatal(err)
	}
	all, err := s.All()
	if err != nil || len(all) != 1 || all[0].File != url || all[0].Target("diskominfo", "x").ID != "77" {
		t.Fatalf("read back %+v, %v", all, err)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check = %+v", ps)
	}
	for _, tc := range []struct{ id, file, want string }{
		{"2021-06-09-sinergi", url, "not a release file"},
		{PartnerPrefix + "kpu.0123456789abcdef", "releases/2021-06-09-sinergi.md", "not a partner's article"},
	} {
		dir := t.TempDir()
		writeFile(t, dir, ".humas/ledger/"+tc.id+"/release.json", `{"file": "`+tc.file+`", "id": "`+tc.id+`", "slug": "x", "url": "`+url+`"}`)
		if _, err := Open(dir).All(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s with file %s: %v, want %q", tc.id, tc.file, err, tc.want)
		}
	}
}
