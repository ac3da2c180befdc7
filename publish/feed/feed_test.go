package feed

import (
	"reflect"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/feed/feedtest"
)

func sample() *Feed {
	return &Feed{
		Version: Version, Title: "Siaran Pers KPU Kota Balikpapan",
		HomePageURL: "https://kpu.example.go.id/", FeedURL: "https://kpu.example.go.id/feed.json",
		Items: []Item{{
			ID: "https://kpu.example.go.id/audiensi/", URL: "https://kpu.example.go.id/audiensi/",
			Title: "Audiensi KPU dan Diskominfo", Summary: "Ringkas.", ContentHTML: "<p>Isi.</p>",
			DatePublished: "2021-06-09T13:00:00+08:00", Tags: []string{"pemilu-2024"},
			Humas: &Humas{Version: 1, Issuer: "kpu", IssuerName: "KPU Kota Balikpapan", Classification: "berkala", Kind: "siaran-pers",
				Posts:    []Post{{Account: "kpu", Platform: "x", ID: "1403", URL: "https://x.com/kpubalikpapan/status/1403"}},
				Awaiting: []Target{{Account: "kpu", Platform: "telegram"}}},
		}},
	}
}

func encoded(t *testing.T, f *Feed) string {
	t.Helper()
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWhatIsWrittenIsValidJSONFeedAndReadsBack(t *testing.T) {
	doc := encoded(t, sample())
	if p := feedtest.Validate([]byte(doc)); len(p) > 0 {
		t.Fatalf("not valid JSON Feed 1.1: %q\n%s", p, doc)
	}
	if !strings.HasPrefix(doc, "{\n  \"version\": \"https://jsonfeed.org/version/1.1\"") {
		t.Errorf("version is not first:\n%s", doc)
	}
	f, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Items[0].Humas.Posts[0].ID; got != "1403" {
		t.Errorf("post id %q", got)
	}
	if got := f.Items[0].Humas.Awaiting; len(got) != 1 || got[0] != (Target{Account: "kpu", Platform: "telegram"}) {
		t.Errorf("awaiting %+v", got)
	}
}

// A feed an older humas wrote has no awaiting: it reads as nothing awaited.
func TestAwaitingAbsentReadsAsNone(t *testing.T) {
	doc := strings.Replace(encoded(t, sample()), `"awaiting": [`, `"postz": [`, 1)
	doc = strings.Replace(doc, `,
        "postz": [
          {
            "account": "kpu",
            "platform": "telegram"
          }
        ]`, "", 1)
	if strings.Contains(doc, "postz") || strings.Contains(doc, "awaiting") {
		t.Fatalf("the awaiting list is still there:\n%s", doc)
	}
	f, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Items[0].Humas.Awaiting; len(got) != 0 {
		t.Errorf("awaiting %+v", got)
	}
}

// Every id the ledger records reads back: a Telegram message's id is the path of
// its t.me link, public channel or private.
func TestEveryPlatformsPostIDReadsBack(t *testing.T) {
	f := sample()
	f.Items[0].Humas.Posts = []Post{
		{Account: "kpu", Platform: "x", ID: "1403", URL: "https://x.com/kpubalikpapan/status/1403"},
		{Account: "kpu", Platform: "facebook", ID: "100000000000002_1001", URL: "https://www.facebook.com/100000000000002_1001"},
		{Account: "kpu", Platform: "instagram", ID: "17900000000000006", URL: "https://www.instagram.com/p/C_l_SFesAG/"},
		{Account: "kpu", Platform: "telegram", ID: "kpubalikpapan/12", URL: "https://t.me/kpubalikpapan/12"},
		{Account: "kpu", Platform: "telegram", ID: "c/1234567890/7", URL: "https://t.me/c/1234567890/7"},
	}
	got, err := Parse([]byte(encoded(t, f)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Items[0].Humas.Posts); n != 5 {
		t.Fatalf("%d posts read back, want 5", n)
	}
}

func TestAnEmptyFeedHasAnItemsArray(t *testing.T) {
	doc := encoded(t, &Feed{Version: Version, Title: "T"})
	if !strings.Contains(doc, `"items": []`) {
		t.Fatalf("items missing:\n%s", doc)
	}
	if p := feedtest.Validate([]byte(doc)); len(p) > 0 {
		t.Fatal(p)
	}
}

// HTML-significant characters in values go out escaped, so a value can never close
// an element of a page that embeds the feed.
func TestMarkupInValuesIsEscaped(t *testing.T) {
	f := sample()
	f.Items[0].Title = "</script><b>x"
	doc := encoded(t, f)
	if strings.Contains(doc, "</script>") || strings.Contains(doc, "<b>") {
		t.Fatalf("markup unescaped:\n%s", doc)
	}
}

func TestParseRefusesWhatAHumasFeedNeverHolds(t *testing.T) {
	good := encoded(t, sample())
	for _, tc := range []struct {
		name     string
		from, to string
		want     string
	}{
		{"not JSON", `"items": [`, `"items": [[`, "not JSON: invalid character"},
		{"truncated", good, good[:len(good)/2], "ends early"},
		{"wrong version", Version, "https://example.org/rss", "version"},
		{"no title", `"title": "Siaran Pers KPU Kota Balikpapan",`, ``, "title: is required"},
		{"no items", `"items": [`, `"itemz": [`, "items: is required"},
		{"item without id", `"id": "https://kpu.example.go.id/audiensi/",`, ``, "items[0] (https://kpu.example.go.id/audiensi/): id: is required"},
		{"item without content", `"content_html": "\u003cp\u003eIsi.\u003c/p\u003e",`, ``, "content_html or content_text"},
		{"item without url", `"url": "https://kpu.example.go.id/audiensi/",`, ``, "url: is required"},
		{"javascript url", `"url": "https://kpu.example.go.id/audiensi/"`, `"url": "javascript:alert(1)"`, "not an http(s) address"},
		{"url with a password", `"url": "https://kpu.example.go.id/audiensi/"`, `"url": "https://u:p@kpu.example.go.id/a/"`, "user information"},
		{"no date", `"date_published": "2021-06-09T13:00:00+08:00",`, ``, "date_published: is required"},
		{"bad date", `2021-06-09T13:00:00+08:00`, `9 Juni 2021`, "not an RFC 3339 date"},
		{"script in title", `Audiensi KPU`, `Audiensi \u003cscript\u003ealert(1)\u003c/script\u003e KPU`, "title: carries a script element"},
		{"script in summary, upper case", `Ringkas.`, `\u003cSCRIPT src=x\u003e`, "summary: carries a script element"},
		{"script in content_html", `\u003cp\u003eIsi.\u003c/p\u003e`, `\u003cp\u003e\u003cscript\u003ex()\u003c/script\u003e\u003c/p\u003e`, "content_html: carries a script element"},
		{"closing script in a tag", `pemilu-2024`, `\u003c/script\u003e`, "tags[0]: carries a script element"},
		{"right-to-left override", `Audiensi KPU`, `Audiensi \u202e KPU`, "title: invisible character U+202E"},
		{"escape character", `Ringkas.`, `Ring\u001b[31mkas`, "summary: invisible character U+001B"},
		{"not a humas feed", `"_humas": {`, `"_other": {`, "_humas: is required"},
		{"newer _humas", `"version": 1,`, `"version": 2,`, "_humas.version: 2"},
		{"unknown classification", `"berkala"`, `"rahasia"`, "_humas.classification"},
		{"unknown kind", `"siaran-pers"`, `"opini"`, "_humas.kind"},
		{"embargo not a date", `"kind": "siaran-pers",`, `"kind": "siaran-pers", "embargo": "besok",`, "_humas.embargo"},
		{"hoax kind without hoax", `"siaran-pers"`, `"klarifikasi-hoaks"`, "_humas.hoax: is required"},
		{"post id with a path", `"id": "1403"`, `"id": "1403/../../me"`, "_humas.posts[0].id"},
		{"post id with a query", `"id": "1403"`, `"id": "1403?fields=x"`, "_humas.posts[0].id"},
		{"awaiting a path", `"platform": "telegram"`, `"platform": "../x"`, "_humas.awaiting[0].platform"},
		{"issuer_name a number", `"issuer_name": "KPU Kota Balikpapan"`, `"issuer_name": 7`, "_humas.issuer_name: must be a string"},
		{"an array", good, `[1]`, "the document is array"},
		{"data after", good, good + "{}", "data after the feed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(good, tc.from, tc.to, 1)
			if doc == good {
				t.Fatalf("the case changes nothing: %q not in the feed", tc.from)
			}
			_, err := Parse([]byte(doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A humas that has not upgraded reads a newer one's feed: a field added within
// version 1 is left alone, as JSON Feed asks of unknown extensions, and what it
// knows reads as before. (The first field so added, awaiting, made every older
// partner refuse the whole feed.)
func TestAFieldFromANewerHumasIsLeftAlone(t *testing.T) {
	good := encoded(t, sample())
	doc := strings.Replace(good, `"version": 1,`, `"version": 1, "translations": {"en": "Audience"},`, 1)
	if doc == good {
		t.Fatal("the case changes nothing")
	}
	got, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("a newer humas's field: %v", err)
	}
	want, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read\n%+v\nwant\n%+v", got, want)
	}
}

func TestAHoaxClarificationKeepsItsVerdict(t *testing.T) {
	f := sample()
	f.Items[0].Humas.Kind = "klarifikasi-hoaks"
	f.Items[0].Humas.Hoax = &Hoax{Claim: "Pemilih wajib membawa fotokopi KTP.", Verdict: "HOAKS", Sources: []string{"https://kpu.example.go.id/"}}
	got, err := Parse([]byte(encoded(t, f)))
	if err != nil {
		t.Fatal(err)
	}
	if v := got.Items[0].Humas.Hoax.Verdict; v != "HOAKS" {
		t.Fatalf("verdict %q", v)
	}
	f.Items[0].Humas.Hoax.Verdict = "BENAR"
	if _, err := Parse([]byte(encoded(t, f))); err == nil || !strings.Contains(err.Error(), "hoax.verdict") {
		t.Fatalf("an unknown verdict: %v", err)
	}
}

// A JSON Feed 1.0 document from a humas site that has not upgraded reads too.
func TestVersion1FeedsRead(t *testing.T) {
	doc := strings.Replace(encoded(t, sample()), Version, "https://jsonfeed.org/version/1", 1)
	if _, err := Parse([]byte(doc)); err != nil {
		t.Fatal(err)
	}
}

func TestLessThanAngleIsText(t *testing.T) {
	f := sample()
	f.Items[0].Title = "Partisipasi < 50% di TPS <scripted> dan <b>"
	f.Items[0].Title = strings.ReplaceAll(f.Items[0].Title, "<scripted>", "x")
	if _, err := Parse([]byte(encoded(t, f))); err != nil {
		t.Fatal(err)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := Encode(sample())
	f.Add(b)
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fd, err := Parse(data)
		if err != nil {
			return
		}
		// What was read is written again and reads the same.
		again, err := Encode(fd)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(again); err != nil {
			t.Fatalf("re-encoded feed does not parse: %v", err)
		}
	})
}
