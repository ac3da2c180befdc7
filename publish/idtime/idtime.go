// Package idtime writes dates and times the way Indonesian readers expect them:
// "Rabu, 9 Juni 2021 pukul 13.00 WITA".
package idtime

import (
	"fmt"
	"time"
)

var days = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

var months = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni",
	"Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// Day is the Indonesian name of a weekday: "Senin".
func Day(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return d.String()
	}
	return days[d]
}

// Month is the Indonesian name of a month: "Juni".
func Month(m time.Month) string {
	if m < time.January || m > time.December {
		return m.String()
	}
	return months[m-1]
}

// Date is "Rabu, 9 Juni 2021", in t's own location; convert t with In first.
func Date(t time.Time) string {
	return fmt.Sprintf("%s, %d %s %d", Day(t.Weekday()), t.Day(), Month(t.Month()), t.Year())
}

// Time is "13.00 WITA": Indonesian style separates hours and minutes with a dot.
func Time(t time.Time) string {
	return fmt.Sprintf("%02d.%02d %s", t.Hour(), t.Minute(), Zone(t))
}

// DateTime is "Rabu, 9 Juni 2021 pukul 13.00 WITA".
func DateTime(t time.Time) string {
	return Date(t) + " pukul " + Time(t)
}

// Zone names t's offset: WIB, WITA and WIT for the three Indonesian zones, whatever the
// location is called, and "UTC+05:30" for any other offset.
func Zone(t time.Time) string {
	_, off := t.Zone()
	switch off {
	case 7 * 3600:
		return "WIB"
	case 8 * 3600:
		return "WITA"
	case 9 * 3600:
		return "WIT"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
}

// In returns functions bound to loc, for callers that hold instants in any zone.
func In(loc *time.Location) Formatter { return Formatter{loc: loc} }

// Formatter writes Indonesian dates in one location.
type Formatter struct{ loc *time.Location }

// Date is Date(t.In(loc)).
func (f Formatter) Date(t time.Time) string { return Date(f.in(t)) }

// Time is Time(t.In(loc)).
func (f Formatter) Time(t time.Time) string { return Time(f.in(t)) }

// DateTime is DateTime(t.In(loc)).
func (f Formatter) DateTime(t time.Time) string { return DateTime(f.in(t)) }

func (f Formatter) in(t time.Time) time.Time {
	if f.loc == nil {
		return t
	}
	return t.In(f.loc)
}
