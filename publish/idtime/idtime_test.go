package idtime

import (
	"testing"
	"time"
)

func TestDayNamesEveryWeekday(t *testing.T) {
	// 2021-06-06 was a Sunday (Minggu).
	want := []string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	for i, name := range want {
		d := time.Date(2021, 6, 6+i, 12, 0, 0, 0, time.UTC)
		t.Run(name, func(t *testing.T) {
			if got := Day(d.Weekday()); got != name {
				t.Errorf("Day(%v) = %q, want %q", d.Weekday(), got, name)
			}
		})
	}
}

func TestMonthNamesEveryMonth(t *testing.T) {
	want := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}
	for i, name := range want {
		m := time.Month(i + 1)
		t.Run(name, func(t *testing.T) {
			if got := Month(m); got != name {
				t.Errorf("Month(%d) = %q, want %q", m, got, name)
			}
			d := time.Date(2023, m, 1, 0, 0, 0, 0, time.UTC)
			if got := Date(d); got[len(got)-len(name)-5:len(got)-5] != name {
				t.Errorf("Date(%v) = %q, want month %q", d, got, name)
			}
		})
	}
}

func TestFormatsInTheThreeIndonesianZones(t *testing.T) {
	instant := time.Date(2021, 6, 9, 5, 0, 0, 0, time.UTC) // 13.00 WITA
	tests := []struct {
		zone                  string
		date, clock, datetime string
		offset                int
	}{
		{"WIB", "Rabu, 9 Juni 2021", "12.00 WIB", "Rabu, 9 Juni 2021 pukul 12.00 WIB", 7},
		{"WITA", "Rabu, 9 Juni 2021", "13.00 WITA", "Rabu, 9 Juni 2021 pukul 13.00 WITA", 8},
		{"WIT", "Rabu, 9 Juni 2021", "14.00 WIT", "Rabu, 9 Juni 2021 pukul 14.00 WIT", 9},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			// The location name is deliberately unhelpful: the zone comes from the offset.
			loc := time.FixedZone("X", tt.offset*3600)
			local := instant.In(loc)
			if got := Date(local); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := Time(local); got != tt.clock {
				t.Errorf("Time = %q, want %q", got, tt.clock)
			}
			if got := DateTime(local); got != tt.datetime {
				t.Errorf("DateTime = %q, want %q", got, tt.datetime)
			}
			if got := In(loc).DateTime(instant); got != tt.datetime {
				t.Errorf("In(loc).DateTime = %q, want %q", got, tt.datetime)
			}
		})
	}
}

func TestZoneOutsideIndonesiaShowsTheOffset(t *testing.T) {
	tests := []struct {
		offset int // seconds
		want   string
	}{
		{0, "UTC+00:00"},
		{5*3600 + 1800, "UTC+05:30"},
		{-3 * 3600, "UTC-03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			d := time.Date(2021, 6, 9, 13, 0, 0, 0, time.FixedZone("", tt.offset))
			if got := Zone(d); got != tt.want {
				t.Errorf("Zone = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDateCrossesMidnightInTheSiteZone(t *testing.T) {
	// 23.30 UTC on the 8th is already the 9th in Balikpapan.
	instant := time.Date(2021, 6, 8, 23, 30, 0, 0, time.UTC)
	wita := time.FixedZone("WITA", 8*3600)
	if got, want := In(wita).Date(instant), "Rabu, 9 Juni 2021"; got != want {
		t.Errorf("In(WITA).Date = %q, want %q", got, want)
	}
}
