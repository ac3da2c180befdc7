package hold_test

import (
	"testing"
	"time"

	"github.com/balikpapan/humas/publish/config"
	"github.com/balikpapan/humas/publish/hold"
	"github.com/balikpapan/humas/publish/platform"
	"github.com/balikpapan/humas/publish/release"
)

var wita = time.FixedZone("WITA", 8*3600)

func at(day, hour int) time.Time { return time.Date(2024, 2, day, hour, 0, 0, 0, wita) }

func TestCheck(t *testing.T) {
	pol := hold.Policy{
		Since:    at(1, 0),
		Blackout: config.Blackouts{{From: at(11, 0), To: at(14, 13), Reason: "masa tenang Pemilu 2024"}},
		File:     "humas.yaml",
		Location: wita,
	}
	social := &platform.Platform{Name: "x"}
	press := &platform.Platform{Name: "email", BeforeEmbargo: true}
	berkala := hold.Facts{Classification: release.Berkala, Date: at(5, 10)}
	with := func(f func(*hold.Facts)) hold.Facts { c := berkala; f(&c); return c }
	tests := []struct {
		name  string
		facts hold.Facts
		now   time.Time
		on    *platform.Platform // nil: the site
		want  hold.Reason
		msg   string
	}{
		{"nothing holds a release in time", berkala, at(5, 11), social, "", ""},
		{"errors hold it before anything else", with(func(f *hold.Facts) { f.Invalid = true; f.Draft = true }), at(5, 11), social, hold.Invalid, "invalid: it has errors, so nothing of it goes out"},
		{"exempted, even from the site", with(func(f *hold.Facts) { f.Classification = release.Dikecualikan }), at(5, 11), nil, hold.Exempted, "classification dikecualikan: exempted information is never published"},
		{"a draft", with(func(f *hold.Facts) { f.Draft = true }), at(5, 11), nil, hold.Draft, "draft: a draft is checked and previewed, never built or published"},
		{"the archive is never posted", with(func(f *hold.Facts) { f.Date = at(1, 0).Add(-time.Minute) }), at(5, 11), social,
			hold.Archive, "archive: dated before publish.since (Kamis, 1 Februari 2024 in humas.yaml), so it is on the site but never cross-posted"},
		{"the archive is on the site", with(func(f *hold.Facts) { f.Date = at(1, 0).Add(-time.Minute) }), at(5, 11), nil, "", ""},
		{"an embargo holds the posts", with(func(f *hold.Facts) { f.Embargo = at(5, 12) }), at(5, 11), social,
			hold.Embargo, "embargo lifts at Senin, 5 Februari 2024 pukul 12.00 WITA (2024-02-05T12:00:00+08:00)"},
		{"and the site", with(func(f *hold.Facts) { f.Embargo = at(5, 12) }), at(5, 11), nil, hold.Embargo, ""},
		{"but not the press", with(func(f *hold.Facts) { f.Embargo = at(5, 12) }), at(5, 11), press, "", ""},
		{"nor anyone once lifted", with(func(f *hold.Facts) { f.Embargo = at(5, 12) }), at(5, 12), social, "", ""},
		{"a blackout holds every post", berkala, at(12, 9), social,
			hold.Blackout, "blackout: masa tenang Pemilu 2024 until Rabu, 14 Februari 2024 pukul 13.00 WITA (2024-02-14T13:00:00+08:00)"},
		{"the press too", berkala, at(12, 9), press, hold.Blackout, ""},
		{"but not an article already up", berkala, at(12, 9), nil, "", ""},
		{"while one that would first appear in it waits", with(func(f *hold.Facts) { f.Date = at(12, 8) }), at(12, 9), nil, hold.Blackout, ""},
		{"serta-merta goes out in a blackout", with(func(f *hold.Facts) { f.Classification = release.SertaMerta }), at(12, 9), social, "", ""},
		{"a partner's embargo holds our press too", with(func(f *hold.Facts) { f.Embargo = at(5, 12); f.Partner = true }), at(5, 11), press, hold.Embargo, ""},
		{"a partner's old release is never reposted", with(func(f *hold.Facts) { f.Date = at(1, 0).Add(-time.Minute); f.Partner = true }), at(5, 11), social,
			hold.Archive, "archive: dated before publish.since (Kamis, 1 Februari 2024 in humas.yaml), so it is never reposted"},
		{"a partner's release waits out our blackout", with(func(f *hold.Facts) { f.Partner = true }), at(12, 9), social, hold.Blackout, ""},
		{"unless serta-merta", with(func(f *hold.Facts) { f.Partner = true; f.Classification = release.SertaMerta }), at(12, 9), social, "", ""},
		{"and it is never exempted information", with(func(f *hold.Facts) { f.Partner = true; f.Classification = release.Dikecualikan }), at(5, 11), social, hold.Exempted, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := pol.Check(tt.facts, tt.now, tt.on)
			if h.Reason != tt.want || tt.msg != "" && h.Message != tt.msg {
				t.Fatalf("Check = %q %q, want %q %q", h.Reason, h.Message, tt.want, tt.msg)
			}
			if h.Held() && (h.Teks == "" || h.Message == "") {
				t.Errorf("%s: no words for the page or the terminal", h.Reason)
			}
			if lifts := h.Reason == hold.Embargo || h.Reason == hold.Blackout; h.Held() && lifts == h.Never() {
				t.Errorf("%s: Never() = %v", h.Reason, h.Never())
			}
		})
	}
}

func TestPostsGoWhenOnePlatformMay(t *testing.T) {
	pol := hold.Policy{}
	f := hold.Facts{Classification: release.Berkala, Date: at(5, 10), Embargo: at(5, 12)}
	social := &platform.Platform{Name: "x"}
	press := &platform.Platform{Name: "email", BeforeEmbargo: true}
	if h := pol.Posts(f, at(5, 11), []*platform.Platform{social, press}); h.Held() {
		t.Errorf("the press may receive it before the embargo, yet %q", h.Message)
	}
	if h := pol.Posts(f, at(5, 11), []*platform.Platform{social}); h.Reason != hold.Embargo {
		t.Errorf("only social targets: %q, want the embargo", h.Reason)
	}
}

func TestAllSaysEveryHold(t *testing.T) {
	f := hold.Facts{Classification: release.Berkala, Draft: true, Date: at(5, 10), Embargo: at(5, 12)}
	var got []hold.Reason
	for _, h := range (hold.Policy{}).All(f, at(5, 11), &platform.Platform{Name: "x"}) {
		got = append(got, h.Reason)
	}
	if len(got) != 2 || got[0] != hold.Draft || got[1] != hold.Embargo {
		t.Errorf("All = %v, want draft then embargo", got)
	}
}
