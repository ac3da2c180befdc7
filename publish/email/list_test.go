package email_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/email"
	"github.com/balikpapan/humas/publish/platform"
)

func problems(ps []platform.FileProblem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.File)
		if p.Line > 0 {
			b.WriteString(":" + itoa(p.Line))
		}
		if p.Field != "" {
			b.WriteString(": " + p.Field)
		}
		b.WriteString(": " + p.Message + "\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

func TestAPressListIsReadWithEveryJournalistOnce(t *testing.T) {
	src := "\uFEFFEmail, Name, Outlet\r\n" +
		"budi@tribun.example,Budi Santoso,Tribun Kaltim\r\n" +
		"\r\n" +
		"sari@kaltimpost.example,\"Sari, S.Sos\",\"Kaltim Post\"\r\n" +
		"redaksi@radio.example\r\n"
	rs, ps := email.ParseList("press/kpu.csv", []byte(src))
	if len(ps) > 0 {
		t.Fatalf("problems:\n%s", problems(ps))
	}
	if len(rs) != 3 || rs[0].Address != "budi@tribun.example" || rs[0].Name != "Budi Santoso" || rs[0].Outlet != "Tribun Kaltim" ||
		rs[1].Name != "Sari, S.Sos" || rs[1].Line != 4 || rs[2].Address != "redaksi@radio.example" || rs[2].Name != "" {
		t.Fatalf("recipients %+v", rs)
	}
}

// Excel with Indonesian (or any comma-decimal) regional settings saves "CSV UTF-8"
// with semicolons between the fields, a byte order mark and CRLF line ends: that is
// how most offices' press lists arrive, and it was refused for its header.
func TestAPressListSavedByExcelWithSemicolonsIsRead(t *testing.T) {
	src := "\uFEFFemail;name;outlet\r\n" +
		"budi@tribun.example;Budi Santoso;Tribun Kaltim\r\n" +
		"sari@kaltimpost.example;Sari, S.Sos;\"Kaltim; Post\"\r\n" +
		"redaksi@radio.example;;\r\n"
	rs, ps := email.ParseList("press/kpu.csv", []byte(src))
	if len(ps) > 0 {
		t.Fatalf("problems:\n%s", problems(ps))
	}
	if len(rs) != 3 || rs[0].Name != "Budi Santoso" || rs[0].Outlet != "Tribun Kaltim" ||
		rs[1].Name != "Sari, S.Sos" || rs[1].Outlet != "Kaltim; Post" || rs[1].Line != 3 || rs[2].Address != "redaksi@radio.example" {
		t.Fatalf("recipients %+v", rs)
	}
	// Its mistakes are named at their lines as in a list with commas.
	_, ps = email.ParseList("press/kpu.csv", []byte("email;name;outlet\r\nbudi@tribun.example;Budi\r\nBUDI@tribun.example;Budi;Tribun\r\n"))
	if got := problems(ps); !strings.Contains(got, "press/kpu.csv:3: email: BUDI@tribun.example is listed twice, on line 2 and line 3") {
		t.Errorf("problems:\n%s", got)
	}
}

func TestAPressListsProblemsAreNamedAtTheirLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"empty file", "", []string{"press/kpu.csv:1: is empty"}},
		{"header only", "email,name,outlet\n", []string{"press/kpu.csv:1: lists no one"}},
		{"wrong header", "alamat,nama\nbudi@tribun.example,Budi\n", []string{`press/kpu.csv:1: the header is "alamat,nama", not email,name,outlet`}},
		{"display name", "email,name,outlet\nBudi <budi@tribun.example>,Budi,Tribun\n", []string{`press/kpu.csv:2: email: "Budi <budi@tribun.example>" is not a bare address`}},
		{"mailto query", "email,name,outlet\nbudi@tribun.example?cc=all@tribun.example,Budi,Tribun\n", []string{`press/kpu.csv:2: email: "budi@tribun.example?cc=all@tribun.example" is not an email address: it has a character of a link`}},
		{"two in one", "email,name,outlet\n\"a@tribun.example,b@tribun.example\",Budi,Tribun\n", []string{"press/kpu.csv:2: email: \"a@tribun.example,b@tribun.example\" holds more than one address"}},
		{"no domain", "email,name,outlet\nbudi@,Budi,Tribun\nbudi@localhost,Budi,Tribun\nbudi,Budi,Tribun\n", []string{
			`press/kpu.csv:2: email: "budi@" is not an email address`,
			`press/kpu.csv:3: email: "budi@localhost" is not an email address: "localhost" is not a domain name`,
			`press/kpu.csv:4: email: "budi" is not an email address`}},
		{"header injection", "email,name,outlet\n\"budi@tribun.example\nBcc: all@x.example\",Budi,Tribun\n", []string{`press/kpu.csv:2: email: "budi@tribun.example\nBcc: all@x.example" has a space or a control character`}},
		{"duplicate in another case", "email,name,outlet\nbudi@tribun.example,Budi,Tribun\nsari@kaltimpost.example,Sari,KP\nBudi@Tribun.Example,Budi S,Tribun\n", []string{
			"press/kpu.csv:4: email: Budi@Tribun.Example is listed twice, on line 2 and line 4"}},
		{"too many fields", "email,name,outlet\nbudi@tribun.example,Budi,Tribun,Balikpapan\n", []string{"press/kpu.csv:2: has 4 fields, not 3"}},
		{"open quote", "email,name,outlet\nbudi@tribun.example,\"Budi,Tribun\n", []string{"press/kpu.csv:2: a double quote is not closed"}},
		// Excel's plain "CSV (Comma delimited)" is Windows-1252: the line and the character are named.
		{"not utf-8", "email,name,outlet\nbudi@tribun.example,B\xfcdi,Tribun\n", []string{`press/kpu.csv:2: the file is not UTF-8 text: it looks like Windows-1252 (as Word and older Notepad save): byte 0xFC would be "ü" there`}},
		{"utf-16", "\xff\xfee\x00m\x00", []string{"press/kpu.csv:1: the file is not UTF-8 text: it looks like UTF-16"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, ps := email.ParseList("press/kpu.csv", []byte(tc.src))
			got := problems(ps)
			if rs != nil {
				t.Errorf("recipients %+v from a list with problems", rs)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems:\n%s\nwant %q", got, w)
				}
			}
			if n := strings.Count(got, "\n"); n != len(tc.want) {
				t.Errorf("%d problems, want %d:\n%s", n, len(tc.want), got)
			}
		})
	}
}

func TestAPressListIsReadOnlyAsTheProjectsOwnFile(t *testing.T) {
	root := t.TempDir()
	if _, ps := email.ReadList(root, "press/kpu.csv"); len(ps) != 1 || ps[0].File != "press/kpu.csv" || !strings.Contains(ps[0].Hint, "email,name,outlet") {
		t.Errorf("a missing list: %+v", ps)
	}
	os.MkdirAll(filepath.Join(root, "press"), 0o755)
	secrets := filepath.Join(t.TempDir(), "secrets.csv")
	os.WriteFile(secrets, []byte("email,name,outlet\nx@y.example,,\n"), 0o644)
	if err := os.Symlink(secrets, filepath.Join(root, "press", "kpu.csv")); err != nil {
		t.Skip(err)
	}
	if rs, ps := email.ReadList(root, "press/kpu.csv"); rs != nil || len(ps) != 1 || !strings.Contains(ps[0].Message, "symbolic link") {
		t.Errorf("a list that is a link: %+v %+v", rs, ps)
	}
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte("email,name,outlet\nbudi@tribun.example,Budi,Tribun\n"))
	f.Add([]byte("email,name,outlet\n\"a@b.example\",\"x\"\"y\",z\nA@B.example,,\n"))
	f.Add([]byte("\uFEFFemail,name,outlet\r\n\"open,quote\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, ps := email.ParseList("press/x.csv", data)
		if (rs == nil) == (ps == nil) {
			t.Fatalf("want recipients or problems, got %d and %d", len(rs), len(ps))
		}
		seen := map[string]bool{}
		for _, r := range rs {
			if a, msg := email.CheckAddress(r.Address); msg != "" || a != r.Address {
				t.Fatalf("accepted %q: %s", r.Address, msg)
			}
			k := strings.ToLower(r.Address)
			if seen[k] {
				t.Fatalf("%q twice", r.Address)
			}
			seen[k] = true
			if strings.ContainsAny(r.Name+r.Outlet, "\r\n") {
				t.Fatalf("a name or outlet spans lines: %q %q", r.Name, r.Outlet)
			}
		}
		for _, p := range ps {
			if p.Line < 0 || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}
