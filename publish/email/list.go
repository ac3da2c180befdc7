package email

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/internal/textenc"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/projfile"
)

// Header is the first line of every press list.
const Header = "email,name,outlet"

// ListHint is how a press list is written, for messages.
const ListHint = "a CSV file whose first line is " + Header + ", then one journalist a line: budi@tribun.example,Budi Santoso,Tribun Kaltim"

// ReadList reads and checks the press list at name (relative to root) through
// projfile, so a list that is a link, a device or too large is refused before it is
// read. It returns the recipients, or every problem, each at its line.
func ReadList(root, name string) ([]publish.Recipient, []platform.FileProblem) {
	data, err := projfile.Read(root, name, projfile.List)
	if err != nil {
		p := platform.FileProblem{File: name, Message: err.Error()}
		var pe *projfile.Error
		if errors.As(err, &pe) {
			p.Message, p.Hint = pe.Problem, pe.Hint
			if pe.Path != "" {
				p.File = pe.Path
			}
		}
		if p.Hint == "" && strings.Contains(p.Message, "no such file") {
			p.Hint = "write the press list there: " + ListHint
		}
		return nil, []platform.FileProblem{p}
	}
	return ParseList(name, data)
}

// ParseList reads a press list: the header email,name,outlet, then one recipient a
// line; a file whose header is email;name;outlet has semicolons between fields. An address must be a bare address that net/mail accepts, without a display
// name, angle brackets or anything a mail program would read as more recipients
// (",", ";", "?cc="); an address listed twice, in any case, is named with both
// lines; a list with no one on it is a problem too, since a release would reach
// nobody without a word.
func ParseList(file string, data []byte) ([]publish.Recipient, []platform.FileProblem) {
	var problems []platform.FileProblem
	add := func(line int, field, msg, hint string) {
		problems = append(problems, platform.FileProblem{File: file, Line: line, Field: field, Message: msg, Hint: hint})
	}
	// Excel's plain "CSV (Comma delimited)" is Windows-1252, Notepad's "Unicode"
	// UTF-16: say which, and where, as for a release.
	if line, what := textenc.NotUTF8(data); what != "" {
		add(line, "", "the file is not UTF-8 text: it looks like "+what, `save it from the spreadsheet as CSV UTF-8 (in Excel: Save As, "CSV UTF-8 (Comma delimited)")`)
		return nil, problems
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // spreadsheets save a byte-order mark
	r := csv.NewReader(bytes.NewReader(data))
	// Excel with comma-decimal regional settings (Indonesian among them) saves CSV
	// with semicolons between fields; its header line says which it is.
	if header, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(header, []byte(";")) == 2 && !bytes.Contains(header, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true

	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		add(1, "", "is empty", "write the header "+Header+" and one journalist a line under it")
		return nil, problems
	}
	if err != nil {
		add(csvLine(err, 1), "", csvMessage(err), "")
		return nil, problems
	}
	if got := strings.ToLower(strings.Join(trimAll(header), ",")); got != Header {
		add(1, "", fmt.Sprintf("the header is %q, not %s", strings.Join(header, ","), Header), ListHint)
		return nil, problems
	}

	var out []publish.Recipient
	first := map[string]int{} // lower-cased address → its line
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// After a quote error nothing that follows can be trusted to be where it seems.
			add(csvLine(err, 0), "", csvMessage(err), "")
			break
		}
		line, _ := r.FieldPos(0)
		rec = trimAll(rec)
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		if len(rec) > 3 {
			add(line, "", fmt.Sprintf("has %d fields, not 3", len(rec)), "write email,name,outlet; put a field that holds a comma in double quotes")
			continue
		}
		for len(rec) < 3 {
			rec = append(rec, "")
		}
		addr, msg := CheckAddress(rec[0])
		if msg != "" {
			add(line, "email", msg, "write the address alone, e.g. budi@tribun.example")
			continue
		}
		key := strings.ToLower(addr)
		if at, dup := first[key]; dup {
			add(line, "email", fmt.Sprintf("%s is listed twice, on line %d and line %d", addr, at, line),
				"keep one of the two lines: each journalist gets one message")
			continue
		}
		first[key] = line
		out = append(out, publish.Recipient{Address: addr, Name: clean(rec[1]), Outlet: clean(rec[2]), Line: line})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(out) == 0 {
		add(1, "", "lists no one", "add one journalist a line under the header: budi@tribun.example,Budi Santoso,Tribun Kaltim")
		return nil, problems
	}
	return out, nil
}

// CheckAddress returns s as a bare email address, or says what is wrong with it.
// net/mail decides what an address is; on top of it humas refuses what it takes
// as legal but a press list never needs and a mail program may misread: a display
// name or angle brackets (the name has its own column), comments, quoted local
// parts, and characters of URLs and lists.
func CheckAddress(s string) (string, string) {
	switch {
	case s == "":
		return "", "is empty"
	case len(s) > 254: // RFC 5321 section 4.5.3.1.3: a path is at most 256 octets with its brackets
		return "", fmt.Sprintf("%.40q… is longer than an address may be (254 characters)", s)
	case strings.ContainsAny(s, `<>()"`):
		return "", fmt.Sprintf("%q is not a bare address: the name goes in the name column", s)
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return "", fmt.Sprintf("%q has a space or a control character in it", s)
	case strings.ContainsAny(s, ",;"):
		return "", fmt.Sprintf("%q holds more than one address: write one journalist a line", s)
	case strings.ContainsAny(s, "?&=%/\\"):
		return "", fmt.Sprintf("%q is not an email address: it has a character of a link (?, &, =, %%, /)", s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", fmt.Sprintf("%q is not an email address", s)
	}
	local, domain, _ := strings.Cut(a.Address, "@")
	if local == "" || !validDomain(domain) {
		return "", fmt.Sprintf("%q is not an email address: %q is not a domain name", s, domain)
	}
	return a.Address, ""
}

// validDomain reports whether d is a host name with at least two labels, each of
// letters, digits and hyphens (an internationalised name is written in Unicode,
// as people type it).
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

func trimAll(rec []string) []string {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec
}

// clean keeps a name or outlet on one line, as it goes into a header.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func csvLine(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return fallback
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			return "a double quote is not closed, or stands inside a field: put a field with quotes or commas in double quotes, and double any quote inside it"
		}
		return pe.Err.Error()
	}
	return err.Error()
}
