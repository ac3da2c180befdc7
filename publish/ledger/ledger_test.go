package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func sample() *Record {
	at := time.Date(2021, 6, 9, 13, 0, 5, 123, time.FixedZone("WITA", 8*3600))
	return &Record{
		File: "releases/2021-06-09-sinergi.md",
		Slug: "sinergi",
		URL:  "https://humas.balikpapan.go.id/sinergi/",
		Targets: map[string]*Target{
			"kpu/x":               {State: Posted, ID: "1403", URL: "https://x.com/kpubalikpapan/status/1403", Fingerprint: Fingerprint("teks"), PostedAt: at, UpdatedAt: at, Attempts: 1},
			"diskominfo/x":        {State: Failed, Error: "x: post: HTTP 503", Attempts: 2, UpdatedAt: at},
			"diskominfo/facebook": {State: Pending, Attempts: 1, UpdatedAt: at},
		},
	}
}

func TestStore(t *testing.T) {
	t.Run("a release never published loads as an empty record", func(t *testing.T) {
		r, err := Open(t.TempDir()).Load("baru")
		if err != nil {
			t.Fatal(err)
		}
		if r.Slug != "baru" || len(r.Targets) != 0 {
			t.Fatalf("got %+v, want an empty record for baru", r)
		}
	})

	t.Run("a saved record loads back equal with times in UTC seconds", func(t *testing.T) {
		s := Open(t.TempDir())
		if err := s.Save(sample()); err != nil {
			t.Fatal(err)
		}
		r, err := s.Load("sinergi")
		if err != nil {
			t.Fatal(err)
		}
		got := r.Target("kpu", "x")
		want := time.Date(2021, 6, 9, 5, 0, 5, 0, time.UTC)
		if got.ID != "1403" || got.State != Posted || !got.PostedAt.Equal(want) || got.PostedAt.Location() != time.UTC {
			t.Fatalf("kpu/x = %+v, want posted 1403 at %v UTC", got, want)
		}
		if r.Target("diskominfo", "facebook").State != Pending || len(r.Targets) != 3 {
			t.Fatalf("targets = %v", r.Keys())
		}
	})

	t.Run("the file is indented with sorted keys and an RFC 3339 UTC time", func(t *testing.T) {
		root := t.TempDir()
		if err := Open(root).Save(sample()); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(root, ".humas", "ledger", "sinergi.json"))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		order := []string{`"file"`, `"slug"`, `"targets"`, `"diskominfo/facebook"`, `"diskominfo/x"`, `"kpu/x"`, `"attempts"`, `"fingerprint"`, `"id"`, `"posted_at": "2021-06-09T05:00:05Z"`, `"state"`, `"url"`}
		at := 0
		for _, s := range order {
			i := strings.Index(text[at:], s)
			if i < 0 {
				t.Fatalf("%s missing or out of order in\n%s", s, text)
			}
			at += i
		}
		if !strings.Contains(text, "\n    \"kpu/x\": {\n") || !strings.HasSuffix(text, "}\n") {
			t.Fatalf("not indented:\n%s", text)
		}
	})

	t.Run("saving twice leaves no temporary file behind", func(t *testing.T) {
		root := t.TempDir()
		s := Open(root)
		for range 2 {
			if err := s.Save(sample()); err != nil {
				t.Fatal(err)
			}
		}
		entries, _ := os.ReadDir(filepath.Join(root, Dir))
		if len(entries) != 1 || entries[0].Name() != "sinergi.json" {
			t.Fatalf("ledger dir holds %v, want only sinergi.json", entries)
		}
		info, _ := entries[0].Info()
		if info.Mode().Perm() != 0o644 {
			t.Fatalf("mode %v, want 0644 so git shares it", info.Mode().Perm())
		}
	})

	t.Run("all lists every record in name order", func(t *testing.T) {
		s := Open(t.TempDir())
		for _, slug := range []string{"b", "a"} {
			if err := s.Save(&Record{Slug: slug}); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := s.All()
		if err != nil || len(rs) != 2 || rs[0].Slug != "a" || rs[1].Slug != "b" {
			t.Fatalf("all = %v, %v; want a, b", rs, err)
		}
	})

	t.Run("a slug that would escape the ledger folder is refused", func(t *testing.T) {
		s := Open(t.TempDir())
		for _, slug := range []string{"", "../x", "a/b", ".hidden"} {
			if _, err := s.Load(slug); err == nil {
				t.Errorf("load %q: no error", slug)
			}
			if err := s.Save(&Record{Slug: slug}); err == nil {
				t.Errorf("save %q: no error", slug)
			}
		}
	})
}

func TestDamagedLedger(t *testing.T) {
	full := func(t *testing.T) string {
		root := t.TempDir()
		if err := Open(root).Save(sample()); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(root, Dir, "sinergi.json"))
		return string(data)
	}(t)
	tests := []struct {
		name, content, want string
	}{
		{"a file truncated mid-write", full[:len(full)/2], "unexpected end of JSON input"},
		{"an empty file", "", "the file is empty"},
		{"an unknown state", strings.Replace(full, `"state": "posted"`, `"state": "postd"`, 1), `"postd" is not one of pending, posted, failed`},
		{"an unknown field", strings.Replace(full, `"attempts"`, `"tries": 1, "attempts"`, 1), `unknown field "tries"`},
		{"posted without an id", strings.Replace(full, `"id": "1403",`, ``, 1), "posted without an id"},
		{"another release's slug", strings.Replace(full, `"slug": "sinergi"`, `"slug": "lain"`, 1), "does not match the file name"},
		{"two records in one file", full + full, "data after the record"},
		{"a target key without platform", strings.Replace(full, `"kpu/x"`, `"kpu"`, 1), "want account/platform"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error naming the file and the fix", func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, Dir), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, Dir, "sinergi.json"), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			s := Open(root)
			_, err := s.Load("sinergi")
			var de *DamagedError
			if !errors.As(err, &de) {
				t.Fatalf("load: %v, want a damaged ledger error", err)
			}
			msg := err.Error()
			for _, want := range []string{".humas/ledger/sinergi.json: ", tt.want, "git checkout -- .humas/ledger/sinergi.json", "only if you are sure nothing was posted"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if _, err := s.All(); !errors.As(err, &de) {
				t.Errorf("all: %v, want the damaged file reported", err)
			}
		})
	}
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
	got, err := s.Load("sinergi")
	if err != nil {
		t.Fatal(err)
	}
	if g := got.Target("kpu", "email").Recipients["budi@tribun.example"]; g == nil || *g != *rc {
		t.Fatalf("read back %+v, want %+v", g, rc)
	}
	data, _ := os.ReadFile(filepath.Join(root, Dir, "sinergi.json"))
	for name, bad := range map[string]struct{ from, to, want string }{
		"no message id":                 {`"message_id": "sinergi.kpu.ab12@humas.example"`, `"message_id": ""`, "pending without a message_id"},
		"a key that is not its address": {`"budi@tribun.example": {`, `"sari@kaltimpost.example": {`, "is not the address"},
		"an unknown state":              {`"message_id": "sinergi.kpu.ab12@humas.example",` + "\n          \"state\": \"pending\"", `"message_id": "sinergi.kpu.ab12@humas.example",` + "\n          \"state\": \"sent\"", `"sent" is not one of`},
	} {
		t.Run(name, func(t *testing.T) {
			changed := strings.Replace(string(data), bad.from, bad.to, 1)
			if changed == string(data) {
				t.Fatalf("%q is not in the file:\n%s", bad.from, data)
			}
			os.WriteFile(filepath.Join(root, Dir, "sinergi.json"), []byte(changed), 0o644)
			_, err := s.Load("sinergi")
			var de *DamagedError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), bad.want) {
				t.Fatalf("load: %v, want damaged: %s", err, bad.want)
			}
		})
	}
}

func TestALedgerFileThatIsALinkOrAPipeIsDamagedNotRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	dir := filepath.Join(root, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "nol.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "env.json")); err != nil {
		t.Fatal(err)
	}
	s := Open(root)
	for _, slug := range []string{"nol", "env"} {
		_, err := s.Load(slug)
		var de *DamagedError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "is a symbolic link") {
			t.Errorf("%s: err = %v, want a damaged ledger file", slug, err)
		}
	}
}
