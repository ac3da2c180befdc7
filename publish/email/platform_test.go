package email_test

import (
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/email"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/release"
)

// TestThePressMayHaveItBeforeTheEmbargoAndNothingElse holds the email platform of
// the registry to SPEC section 9: the embargo alone gives way for it; exempted
// information, a draft, the archive and a blackout hold the mail as every post.
func TestThePressMayHaveItBeforeTheEmbargoAndNothingElse(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	at := func(day, hour int) time.Time { return time.Date(2024, 2, day, hour, 0, 0, 0, wita) }
	pol := hold.Policy{Since: at(1, 0), Location: wita, File: "humas.yaml",
		Blackout: config.Blackouts{{From: at(11, 0), To: at(14, 13), Reason: "masa tenang"}}}
	embargoed := hold.Facts{Classification: release.Berkala, Date: at(5, 10), Embargo: at(5, 12)}
	with := func(f func(*hold.Facts)) hold.Facts { c := embargoed; f(&c); return c }
	for _, tc := range []struct {
		name  string
		facts hold.Facts
		now   time.Time
		want  hold.Reason
	}{
		{"before the embargo", embargoed, at(5, 11), ""},
		{"exempted", with(func(f *hold.Facts) { f.Classification = release.Dikecualikan }), at(5, 11), hold.Exempted},
		{"a draft", with(func(f *hold.Facts) { f.Draft = true }), at(5, 11), hold.Draft},
		{"the archive", with(func(f *hold.Facts) { f.Date = at(1, 0).Add(-time.Hour) }), at(5, 11), hold.Archive},
		{"a blackout", with(func(f *hold.Facts) { f.Date, f.Embargo = at(12, 8), at(12, 12) }), at(12, 9), hold.Blackout},
	} {
		if got := pol.Check(tc.facts, tc.now, email.Platform).Reason; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
