package idtime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Written reads a date as people write it in Indonesia, to say how to write it in
// a humas file: "9 Juni 2021", "Rabu, 9 Juni 2021 pukul 13.00 WITA", "09/06/2021",
// "9-6-2021 13:00", English month names too. It returns the date in the form humas
// reads ("2021-06-09", "2021-06-09 13:00", or RFC 3339 when a zone is named), and
// false when s is none of these. Day first: 09/06/2021 is the 9th of June.
func Written(s string) (string, bool) {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '/'
	})
	if len(f) > 0 && len(f[0]) > 11 && f[0][10] == 't' && isoDate(f[0][:10]) {
		// 2021-06-09T13:00, without the seconds and zone RFC 3339 needs
		f = append([]string{f[0][:10], f[0][11:]}, f[1:]...)
	}
	if len(f) > 0 && weekday(f[0]) {
		f = f[1:]
	}
	var day, month, year int
	switch {
	case len(f) >= 3 && monthNumber(f[1]) > 0:
		day, month, year = atoi(f[0]), monthNumber(f[1]), atoi(f[2])
		f = f[3:]
	case len(f) >= 3 && monthNumber(f[0]) > 0: // June 9 2021
		month, day, year = monthNumber(f[0]), atoi(f[1]), atoi(f[2])
		f = f[3:]
	case len(f) >= 1 && strings.Count(f[0], "-")+strings.Count(f[0], ".") == 2:
		parts := strings.FieldsFunc(f[0], func(r rune) bool { return r == '-' || r == '.' })
		if len(parts) != 3 {
			return "", false
		}
		day, month, year = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
		if len(parts[0]) == 4 { // 2021-06-09, year first, with a time written otherwise
			day, year = year, day
		}
		f = f[1:]
	case len(f) >= 3: // 09/06/2021, split at the slashes
		day, month, year = atoi(f[0]), atoi(f[1]), atoi(f[2])
		if len(f[0]) == 4 { // 2021/06/09
			day, year = year, day
		}
		f = f[3:]
	default:
		return "", false
	}
	if year >= 0 && year < 100 { // 9/6/21
		year += 2000
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || month < 1 || month > 12 || year < 1000 || t.Day() != day {
		return "", false
	}
	out := t.Format("2006-01-02")
	if len(f) > 0 && (f[0] == "pukul" || f[0] == "pkl" || f[0] == "jam" || f[0] == "at") {
		f = f[1:]
	}
	if len(f) == 0 {
		return out, true
	}
	h, m, ok := clock(f[0])
	if !ok {
		return "", false
	}
	out += " " + pad(h) + ":" + pad(m)
	f = f[1:]
	if len(f) == 0 {
		return out, true
	}
	offsets := map[string]string{"wib": "+07:00", "wita": "+08:00", "wit": "+09:00"}
	if off, ok := offsets[f[0]]; ok && len(f) == 1 {
		return strings.Replace(out, " ", "T", 1) + ":00" + off, true
	}
	return "", false
}

func weekday(s string) bool {
	for _, d := range days {
		if strings.EqualFold(d, s) {
			return true
		}
	}
	switch s {
	case "jum'at", "ahad", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

// monthNumber reads an Indonesian or English month name or its three-letter
// abbreviation ("Agu", "Okt", "Des", "Aug"); 0 when s is none.
func monthNumber(s string) int {
	s = strings.TrimSuffix(s, ".")
	for i, m := range months {
		if strings.EqualFold(m, s) || len(s) == 3 && strings.EqualFold(m[:3], s) {
			return i + 1
		}
	}
	english := [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
	for i, m := range english {
		if m == s || len(s) == 3 && m[:3] == s {
			return i + 1
		}
	}
	switch s { // old and short spellings still seen
	case "pebruari", "peb":
		return 2
	case "agt", "agust":
		return 8
	case "nopember", "nop":
		return 11
	}
	return 0
}

// clock reads "13.00", "13:00" or "13.00.00".
func clock(s string) (h, m int, ok bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ':' })
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, false
	}
	h, m = atoi(parts[0]), atoi(parts[1])
	return h, m, h >= 0 && h < 24 && m >= 0 && m < 60 && len(parts[1]) == 2
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || len(s) > 4 {
		return -1
	}
	return n
}

func pad(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// isoDate reports whether s is written 2006-01-02 (digits and dashes in place).
func isoDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// NoSuchDay says why s, written 2006-01-02 with a month and day in range, is not a
// day of the calendar ("Februari 2026 has 28 days"); ok is false for anything else.
func NoSuchDay(s string) (why string, ok bool) {
	if len(s) < 10 || !isoDate(s[:10]) {
		return "", false
	}
	year, month, day := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:10])
	if month < 1 || month > 12 || day < 1 {
		return "", false
	}
	last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if day <= last {
		return "", false
	}
	return fmt.Sprintf("%s %d has %d days", months[month-1], year, last), true
}
