package xtext

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"
)

// The conformance files are twitter-text's own (testdata/twitter-text/README.md);
// every case runs and none is skipped.

func readConformance(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "twitter-text", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type weightedCase struct {
	Description string `yaml:"description"`
	Text        string `yaml:"text"`
	Expected    struct {
		WeightedLength    int  `yaml:"weightedLength"`
		Valid             bool `yaml:"valid"`
		Permillage        int  `yaml:"permillage"`
		DisplayRangeStart int  `yaml:"displayRangeStart"`
		DisplayRangeEnd   int  `yaml:"displayRangeEnd"`
		ValidRangeStart   int  `yaml:"validRangeStart"`
		ValidRangeEnd     int  `yaml:"validRangeEnd"`
	} `yaml:"expected"`
}

func TestConformanceWeightedLength(t *testing.T) {
	var doc struct {
		Tests struct {
			V2          []weightedCase `yaml:"WeightedTweetsCounterTest"`
			V3          []weightedCase `yaml:"WeightedTweetsWithDiscountedEmojiCounterTest"`
			Directional []weightedCase `yaml:"UnicodeDirectionalMarkerCounterTest"`
		} `yaml:"tests"`
	}
	readConformance(t, "validate.yml", &doc)

	// WeightedTweetsCounterTest is run by twitter-text against config/v2.json: v3
	// without emojiParsingEnabled, so every code point of an emoji counts 2.
	v2 := v3()
	v2.emoji = false
	sections := []struct {
		name  string
		cfg   config
		cases []weightedCase
	}{
		{"WeightedTweetsCounterTest", v2, doc.Tests.V2},
		{"WeightedTweetsWithDiscountedEmojiCounterTest", v3(), doc.Tests.V3},
		{"UnicodeDirectionalMarkerCounterTest", v3(), doc.Tests.Directional},
	}
	for _, sec := range sections {
		cases := sec.cases
		if len(cases) == 0 {
			t.Fatalf("validate.yml: no cases in %s", sec.name)
		}
		t.Run(sec.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.Description, func(t *testing.T) {
					got := parse(c.Text, sec.cfg)
					want := Result{
						WeightedLength:  c.Expected.WeightedLength,
						Permillage:      c.Expected.Permillage,
						Valid:           c.Expected.Valid,
						DisplayRangeEnd: c.Expected.DisplayRangeEnd,
						ValidRangeEnd:   c.Expected.ValidRangeEnd,
					}
					if got != want {
						t.Errorf("parse(%.80q)\n got %+v\nwant %+v", c.Text, got, want)
					}
					if c.Expected.DisplayRangeStart != 0 || c.Expected.ValidRangeStart != 0 {
						t.Errorf("ranges are expected to start at 0")
					}
				})
			}
		})
	}
}

func TestConformanceExtractURLs(t *testing.T) {
	var doc struct {
		Tests struct {
			URLs []struct {
				Description string   `yaml:"description"`
				Text        string   `yaml:"text"`
				Expected    []string `yaml:"expected"`
			} `yaml:"urls"`
			URLsWithIndices []indexedCase `yaml:"urls_with_indices"`
			Directional     []indexedCase `yaml:"urls_with_directional_markers"`
			TCOWithParams   []struct {
				Description string   `yaml:"description"`
				Text        string   `yaml:"text"`
				Expected    []string `yaml:"expected"`
			} `yaml:"tco_urls_with_params"`
		} `yaml:"tests"`
	}
	readConformance(t, "extract.yml", &doc)
	if len(doc.Tests.URLs) == 0 || len(doc.Tests.URLsWithIndices) == 0 {
		t.Fatal("extract.yml: no url cases")
	}
	urls := append(doc.Tests.URLs, doc.Tests.TCOWithParams...)
	for _, c := range urls {
		t.Run("urls/"+c.Description, func(t *testing.T) {
			if got := ExtractURLs(c.Text); !slices.Equal(got, c.Expected) && !(len(got) == 0 && len(c.Expected) == 0) {
				t.Errorf("ExtractURLs(%q)\n got %q\nwant %q", c.Text, got, c.Expected)
			}
		})
	}
	for _, c := range append(doc.Tests.URLsWithIndices, doc.Tests.Directional...) {
		t.Run("urls_with_indices/"+c.Description, func(t *testing.T) {
			var got []indexedURL
			for _, m := range extractURLs(c.Text) {
				got = append(got, indexedURL{URL: m.url, Indices: []int{utf16Len(c.Text[:m.start]), utf16Len(c.Text[:m.end])}})
			}
			if !slices.EqualFunc(got, c.Expected, func(a, b indexedURL) bool {
				return a.URL == b.URL && slices.Equal(a.Indices, b.Indices)
			}) {
				t.Errorf("extractURLs(%q)\n got %v\nwant %v", c.Text, got, c.Expected)
			}
		})
	}
}

type indexedURL struct {
	URL     string `yaml:"url"`
	Indices []int  `yaml:"indices"`
}

type indexedCase struct {
	Description string       `yaml:"description"`
	Text        string       `yaml:"text"`
	Expected    []indexedURL `yaml:"expected"`
}

func TestConformanceTLDs(t *testing.T) {
	var doc struct {
		Tests map[string][]struct {
			Description string   `yaml:"description"`
			Text        string   `yaml:"text"`
			Expected    []string `yaml:"expected"`
		} `yaml:"tests"`
	}
	readConformance(t, "tlds.yml", &doc)
	n := 0
	for _, sec := range []string{"country", "generic"} {
		for _, c := range doc.Tests[sec] {
			n++
			if got := ExtractURLs(c.Text); !slices.Equal(got, c.Expected) {
				t.Errorf("%s: ExtractURLs(%q) = %q, want %q", c.Description, c.Text, got, c.Expected)
			}
		}
	}
	if n != len(genericTLDs)+len(countryTLDs) {
		t.Errorf("tlds.yml has %d cases, the embedded lists %d TLDs: run go generate", n, len(genericTLDs)+len(countryTLDs))
	}
}
