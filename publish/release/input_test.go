package release

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/internal/yamlnode"
)

// wantDiags parses src and checks that every wanted "line: text" fragment is in
// one diagnostic (as "line: field: message: hint").
func wantDiags(t *testing.T, name string, src []byte, want ...string) Diagnostics {
	t.Helper()
	_, diags := Parse(name, src, testCfg(t, t.TempDir()))
	for _, w := range want {
		found := false
		for _, d := range diags {
			s := strings.TrimPrefix(d.String(), d.File+":")
			if strings.Contains(s, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no diagnostic %q in:\n%v", w, diags)
		}
	}
	return diags
}

func TestTextThatMustNotReachAPageIsAnErrorAtItsLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want string
	}{
		{"NUL", "---\n" + valid + "---\nIsi\x00.\n", "7: body: invisible control character U+0000 (NUL) at column 4: delete it"},
		{"ESC in the title", strings.Replace(string(release(valid, "Isi.\n")), "Audiensi", "Au\x1b[31mdiensi", 1), "2: invisible control character U+001B (ESC) at column 25"},
		{"right-to-left override", "---\n" + valid + "---\nBaca \u202egnp.exe\n", "7: body: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at column 6"},
		{"isolate", "---\n" + valid + "---\n\nx \u2067y\n", "8: body: bidirectional control U+2067 (RIGHT-TO-LEFT ISOLATE)"},
		{"C1 control", "---\n" + valid + "---\nIsi\u0085.\n", "7: body: invisible control character U+0085 (NEL)"},
		{"lone CR", "---\n" + valid + "---\nSatu\rDua\n", "7: body: a carriage return (CR) alone breaks the line"},
		{"lone CR before the closing ---", "---\n" + valid + "summary: a\r---\nIsi.\n", "6: a carriage return (CR) alone"},
		{"lone CR in the front matter", "---\n" + valid + "summary: a\rb\n---\nIsi.\n", "6: a carriage return (CR) alone"},
		{"Windows-1252", "---\n" + valid + "---\nKata \x93Pemilu\x94.\n", "7: the file is not UTF-8 text: it looks like Windows-1252 (as Word and older Notepad save): byte 0x93 would be \"“\" there: save the file as UTF-8"},
		{"UTF-16", "\xff\xfe-\x00-\x00-\x00\n\x00", "1: the file is not UTF-8 text: it looks like UTF-16 (little-endian, as Notepad saves \"Unicode\")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantDiags(t, file, []byte(tc.src), tc.want)
		})
	}
}

func TestTextThatIsFineStaysFine(t *testing.T) {
	for name, src := range map[string]string{
		"UTF-8 byte order mark": "\xef\xbb\xbf" + string(release(valid, "Isi.\n")),
		"CRLF line ends":        strings.ReplaceAll(string(release(valid, "Isi.\n\nDua.\n")), "\n", "\r\n"),
		"tabs and Unicode":      string(release(valid, "Kode:\n\n\tx := 1\n\nBahasa Indonesia — “kutipan” 🇮🇩 \u200fok.\n")),
	} {
		t.Run(name, func(t *testing.T) {
			if _, diags := Parse(file, []byte(src), testCfg(t, t.TempDir())); len(diags) > 0 {
				t.Errorf("unexpected diagnostics:\n%v", diags)
			}
		})
	}
}

func TestManyInvisibleCharactersAreSummed(t *testing.T) {
	diags := wantDiags(t, file, release(valid, strings.Repeat("\x1b", 50)+"\n"), "7: and 40 more invisible characters", "7: body: invisible control")
	if len(diags) != 11 {
		t.Errorf("%d diagnostics, want 10 and a sum", len(diags))
	}
}

func TestAHashInAPlainValueIsCutAsACommentAndSaysSo(t *testing.T) {
	front := strings.Replace(valid, "title: KPU Balikpapan Audiensi ke Diskominfo", "title: KPU Gelar Rapat #1 Tahun Ini", 1) +
		"summary: Ayo ramaikan kampanye #PemiluDamai di TPS\nposts:\n  x: Datang ke TPS #Pemilu2024\n"
	wantDiags(t, file, release(front, "Isi.\n"),
		`2: title: reads as "KPU Gelar Rapat": YAML takes "#1 Tahun Ini" for a comment: put the title in double quotes: title: "KPU Gelar Rapat #1 Tahun Ini"`,
		`6: summary: reads as "Ayo ramaikan kampanye": YAML takes "#PemiluDamai di TPS" for a comment: put the summary in double quotes: summary: "Ayo ramaikan kampanye #PemiluDamai di TPS"`,
		`8: posts.x: reads as "Datang ke TPS"`)

	// Comments proper, quoted hashes and hashes without a space are left alone.
	fine := strings.Replace(valid, "classification: berkala", "classification: berkala        # berkala | serta-merta", 1) +
		"summary: \"Rapat #1 KPU\"\nnumber: 012/HM#2021\nkind: siaran-pers  # bawaan\n"
	if _, diags := Parse(file, release(fine, "Isi.\n"), testCfg(t, t.TempDir())); len(diags) > 0 {
		t.Errorf("unexpected diagnostics:\n%v", diags)
	}
}

func TestCommonYAMLMistakesGetTheExactFix(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"colon in the title", "title: KPU Balikpapan Audiensi ke Diskominfo", "title: Rapat Pleno: Hasil Rekapitulasi",
			`2: title: the colon in the value makes YAML read a second key: put the title in double quotes: title: "Rapat Pleno: Hasil Rekapitulasi"`},
		{"leading quote", "title: KPU Balikpapan Audiensi ke Diskominfo", `title: "Pemilu Damai" Jadi Tema Rapat`,
			`2: title: starts with a quote, so YAML reads only up to the next one: put the whole title in quotes: title: '"Pemilu Damai" Jadi Tema Rapat'`},
		{"leading quote with an apostrophe inside", "title: KPU Balikpapan Audiensi ke Diskominfo", `title: "Jum'at Bersih" di Kantor KPU`,
			`put the whole title in quotes: title: "\"Jum'at Bersih\" di Kantor KPU"`},
		{"tab", "issuer: kpu\n", "contact:\n\tname: Ridwan\nissuer: kpu\n",
			"5: a tab indents this line, and YAML takes only spaces: indent with spaces, two for each level"},
		{"hashtags in tags", "issuer: kpu\n", "issuer: kpu\ntags: [#kpps, #pemilu2024]\n",
			"5: tags: a # starts a YAML comment, so the list is cut at the first one: write the tags without #, humas makes the hashtags: tags: [kpps, pemilu2024]"},
		{"a list not closed", "issuer: kpu\n", "issuer: kpu\ntags: [kpps, pemilu-2024\n",
			"5: tags: the list opened with [ is not closed: close it on the same line: tags: [kpps, pemilu-2024]"},
		{"braces not closed", "issuer: kpu\n", "issuer: kpu\ncontact: {name: Ridwan, phone: \"+62 542 000000\"\n",
			`5: contact: the braces opened with { are not closed: close it on the same line: contact: {name: Ridwan, phone: "+62 542 000000"}`},
		{"a quote not closed", "title: KPU Balikpapan Audiensi ke Diskominfo", `title: "KPU Balikpapan Audiensi ke Diskominfo`,
			`2: title: the quote that starts the title is never closed: end the title with the same quote: title: "KPU Balikpapan Audiensi ke Diskominfo"`},
		{"no space after the colon", "issuer: kpu", "issuer:kpu",
			`4: issuer: no space after the colon, so YAML reads "issuer:kpu" as one word: put a space after the colon: issuer: kpu`},
		{"a non-breaking space after the colon", "issuer: kpu", "issuer:\u00a0kpu",
			"4: issuer: the space after the colon is a non-breaking space (as Word or a web page copies it), which YAML does not read as a space: type the space after issuer: again, as an ordinary space: issuer: kpu"},
		{"an indented key", "issuer: kpu", " issuer: kpu",
			"4: issuer: this line starts with a space, so YAML reads it as part of the line above: start issuer: at the beginning of the line, without spaces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := wantDiags(t, file, release(strings.Replace(valid, tc.from, tc.to, 1), "Isi.\n"), tc.want)
			for _, d := range diags {
				for _, jargon := range []string{"mapping", "context", "token", "specified", "pre-defined", "non-map"} {
					if strings.Contains(d.Message, jargon) {
						t.Errorf("the parser's words leak: %v", d)
					}
				}
			}
		})
	}
}

func TestLimitsAreErrorsWithTheLimit(t *testing.T) {
	var tags []string
	for i := range 1000 {
		tags = append(tags, "tag-"+strconv.Itoa(i))
	}
	long := strings.Repeat("kata ", 700)
	for _, tc := range []struct {
		name  string
		front string
		body  string
		want  string
	}{
		{"front matter size", valid + "summary: " + strings.Repeat("a", 70<<10) + "\n", "", "1: front matter is 71 KB, more than the 64 KB humas reads: keep long text in the body"},
		{"deep tags", valid + "tags: " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n", "", "6: front matter: nested 30001 levels deep, more than the 20 humas reads"},
		{"1,000 tags", valid + "tags: [" + strings.Join(tags, ", ") + "]\n", "", "6: tags: 1000 tags, more than 30: keep the few a reader would follow"},
		{"a long tag", valid + "tags: [" + strings.Repeat("x", 60) + "]\n", "", "6: tags: tag 1 is 60 characters, more than 50"},
		{"a long summary", valid + "summary: " + long + "\n", "", "6: summary: is 3,499 characters, more than 3,000"},
		{"a long first paragraph", valid, "# Judul\n\n" + long + "\n", "9: body: the first paragraph, which is the summary of every post, is 3,499 characters, more than 3,000: write summary: with"},
		{"a huge first paragraph", valid, strings.Repeat("kata ", 80000) + "\n", "7: body: the first paragraph, which is the summary of every post, is more than 3,000 characters"},
		{"nested quotes", valid + "summary: a\n", "Isi.\n\n" + strings.Repeat(">", 100000) + " x\n", "10: body: quotes and lists nested 100000 levels deep, more than 16"},
		{"nested lists", valid + "summary: a\n", strings.Repeat("- ", 50000) + "x\n", "8: body: quotes and lists nested 50000 levels deep"},
		{"indented lists", valid + "summary: a\n", func() string {
			var b strings.Builder
			for i := range 100 {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
			return b.String()
		}(), "24: body: quotes and lists nested 17 levels deep"},
		{"nested brackets", valid + "summary: a\n", strings.Repeat("[", 50000) + "x" + strings.Repeat("]", 50000) + "\n", "8: body: more than 32 [ inside one another"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantDiags(t, file, release(tc.front, tc.body), tc.want)
		})
	}
}

func TestLinkDefinitionsAreNotTheSummary(t *testing.T) {
	body := "[1]: https://kpu.go.id/a\n[dua]: https://kpu.go.id/b \"Judul\"\n\nKPU menggelar [rapat][1].\n"
	if got := firstParagraphText([]byte(body)); got != "KPU menggelar rapat." {
		t.Errorf("FirstParagraph = %q", got)
	}
}

func TestContactEmailKeepsTheAddressOnly(t *testing.T) {
	r, diags := Parse(file, release(valid+"contact: {name: Ridwan, email: \"Humas KPU <humas@kpu.example.go.id>\"}\n", "Isi.\n"), testCfg(t, t.TempDir()))
	if len(diags) > 0 || r.Contact.Email != "humas@kpu.example.go.id" {
		t.Errorf("Email = %q, diags %v", r.Contact.Email, diags)
	}
	for _, bad := range []string{"humas@kpu.example.go.id?cc=a@b.c&body=x", "humas@kpu.example.go.id?body=hai", "bukan alamat", "a%0a@kpu.example.go.id", "humas@localhost"} {
		t.Run(bad, func(t *testing.T) {
			r := wantDiags(t, file, release(valid+"contact:\n  email: "+yamlnode.DoubleQuoted(bad)+"\n", "Isi.\n"), "7: contact.email: ", "write the address only, e.g. email: humas@example.go.id")
			_ = r
		})
	}
}

func TestSlugsTheSiteUsesAreRefused(t *testing.T) {
	wantDiags(t, "releases/2021-06-09-tags.md", release(valid, "Isi.\n"), `1: slug: "tags" is where the site keeps its own pages (https://humas.balikpapan.go.id/tags/)`)
	wantDiags(t, file, release(valid+"slug: page\n", "Isi.\n"), `6: slug: "page" is where the site keeps its own pages`)
}

func TestReleaseFileNamesOtherThanMdSayHowToRename(t *testing.T) {
	for name, want := range map[string]string{
		"releases/2021-06-09-a.markdown": "1: humas reads releases named .md, not .markdown: rename it to releases/2021-06-09-a.md",
		"releases/2021-06-09-a.MD":       "1: humas reads releases named .md, not .MD: rename it to releases/2021-06-09-a.md",
		"releases/2021-06-09-a.md.txt":   "1: humas reads releases named .md, not .txt: rename it to releases/2021-06-09-a.md",
		"releases/2021/2021-06-09-a.md":  "1: a release lives directly in releases/, not in a folder inside it: move it to releases/2021-06-09-a.md",
	} {
		t.Run(name, func(t *testing.T) {
			diags := wantDiags(t, name, release(valid, "Isi.\n"), want)
			if len(diags.Errors()) != 1 {
				t.Errorf("want just the one error:\n%v", diags)
			}
		})
	}
}

func TestFindNIKFindsANumberWhereverItStarts(t *testing.T) {
	// Digits are looked for eight bytes at a time: try every alignment, with
	// multi-byte text before and after.
	for pad := range 20 {
		for _, filler := range []string{"a", "é", "—", " "} {
			text := strings.Repeat(filler, pad) + "6471010101900001" + strings.Repeat(filler, pad%7)
			if got := FindNIK([]byte(text)); len(got) != 1 || got[0] != len(strings.Repeat(filler, pad)) {
				t.Errorf("%q: FindNIK = %v", text, got)
			}
		}
	}
}

func TestInvisibleCharactersAreFoundWhereverTheyAre(t *testing.T) {
	// Plain text is skipped 32 and 8 bytes at a time: try every alignment.
	for _, tc := range []struct{ bad, want string }{
		{"\x00", "U+0000 (NUL)"}, {"\x1b", "U+001B (ESC)"}, {"\x7f", "U+007F (DEL)"}, {"\x01", "U+0001"},
		{"\r", "carriage return"}, {"\u0085", "U+0085 (NEL)"}, {"\u202e", "U+202E"}, {"\u2066", "U+2066"},
		{"\x93", "Windows-1252"}, {"\xff", "Windows-1252"},
	} {
		for at := range 70 {
			body := strings.Repeat("a", at) + tc.bad + strings.Repeat("b", 70-at) + "\n"
			_, diags := Parse(file, release(valid, body), testCfg(t, t.TempDir()))
			if len(diags) != 1 || !strings.Contains(diags[0].Message, tc.want) {
				t.Fatalf("%q at %d: diags = %v", tc.bad, at, diags)
			}
			if want := fmt.Sprintf("at column %d", at+1); !strings.Contains(tc.want, "Windows") && tc.bad != "\r" && !strings.Contains(diags[0].Message, want) {
				t.Errorf("%q at %d: %q does not say %q", tc.bad, at, diags[0].Message, want)
			}
		}
	}
}

// YAML writes any character as an escape in a double-quoted value: "\u202e",
// "\x1b", "\0", "\e", "\N". The file's bytes are plain ASCII, so the scan of the
// text sees nothing; the value the parser returns holds the character itself, and
// it reached the page and every post (issue 9).
func TestInvisibleCharactersWrittenAsYAMLEscapesAreFound(t *testing.T) {
	for _, tc := range []struct{ name, front, want string }{
		{"bidi override in the title", `title: "Rapat \u202eKPU"` + "\n" + strings.SplitN(valid, "\n", 2)[1], `2: title: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE), written as a YAML escape`},
		{"ESC in the summary", valid + `summary: "merah \x1b[31m"` + "\n", `6: summary: invisible control character U+001B (ESC), written as a YAML escape`},
		{"ESC as \\e", valid + `summary: "merah \e[31m"` + "\n", `6: summary: invisible control character U+001B (ESC), written as a YAML escape`},
		{"NUL in a tag", valid + `tags: [pemilu, "a\0b"]` + "\n", `6: tags: invisible control character U+0000 (NUL), written as a YAML escape`},
		{"NEL in the contact", valid + "contact:\n  name: \"Ridwan\\N\"\n", `7: contact.name: invisible control character U+0085 (NEL), written as a YAML escape`},
		{"isolate in a post", valid + "posts:\n  x: \"teks \\u2066 lain\"\n", `7: posts.x: bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE), written as a YAML escape`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantDiags(t, file, release(tc.front, "Isi.\n"), tc.want)
		})
	}
	// An escape that writes an ordinary character, or a line break, is text.
	if _, diags := Parse(file, release(valid+`summary: "Kantor \u004BPU\tBalikpapan\nbaris dua"`+"\n", "Isi.\n"), testCfg(t, t.TempDir())); len(diags.Errors()) > 0 {
		t.Errorf("ordinary escapes are refused: %v", diags)
	}
}
