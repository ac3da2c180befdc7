package idtime

import "testing"

func TestWrittenReadsDatesAsPeopleWriteThem(t *testing.T) {
	for in, want := range map[string]string{
		"9 Juni 2021":                        "2021-06-09",
		"09/06/2021":                         "2021-06-09",
		"9/6/2021":                           "2021-06-09",
		"9-6-2021":                           "2021-06-09",
		"09.06.2021":                         "2021-06-09",
		"2021/06/09":                         "2021-06-09",
		"Rabu, 9 Juni 2021":                  "2021-06-09",
		"9 Jun 2021 13.00":                   "2021-06-09 13:00",
		"9 Juni 2021 pukul 13.00":            "2021-06-09 13:00",
		"Rabu, 9 Juni 2021 pukul 13.00 WITA": "2021-06-09T13:00:00+08:00",
		"09/06/2021 08:30 WIB":               "2021-06-09T08:30:00+07:00",
		"17 Agustus 1945":                    "1945-08-17",
		"1 Okt 2024":                         "2024-10-01",
		"June 9, 2021":                       "2021-06-09",
		"2021-06-09 13.00":                   "2021-06-09 13:00",
		"2021-06-09T13:00":                   "2021-06-09 13:00",
		"2021-06-09 13:00 WITA":              "2021-06-09T13:00:00+08:00",
		"2021-06-09 pukul 13.00 WIB":         "2021-06-09T13:00:00+07:00",
	} {
		got, ok := Written(in)
		if !ok || got != want {
			t.Errorf("Written(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "besok", "31/02/2021", "9 Juni", "13/13/2021", "9 Juni 2021 jam dua", "2021-06-09x"} {
		if got, ok := Written(in); ok {
			t.Errorf("Written(%q) = %q, want no reading", in, got)
		}
	}
}

func TestNoSuchDaySaysHowManyDaysTheMonthHas(t *testing.T) {
	for in, want := range map[string]string{
		"2026-02-30":       "Februari 2026 has 28 days",
		"2024-02-30":       "Februari 2024 has 29 days",
		"2021-06-31 13:00": "Juni 2021 has 30 days",
	} {
		if got, ok := NoSuchDay(in); !ok || got != want {
			t.Errorf("NoSuchDay(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"2021-06-30", "2021-13-01", "9 Juni 2021", "2021-06-00"} {
		if got, ok := NoSuchDay(in); ok {
			t.Errorf("NoSuchDay(%q) = %q, want no answer", in, got)
		}
	}
}
