package release

import "testing"

func TestHandWrittenNameChecksAgreeWithThePatterns(t *testing.T) {
	inputs := []string{
		"", "a", "-", "a-", "-a", "a-b", "a--b", "abc123", "ABC", "a_b", "a b", "é", "a\n", "\xff",
		"2021-06-09-audiensi.md", "2021-06-09-.md", "2021-06-09-x.md", "2021-06-09-x.md.md", "2021-06-09-a\nb.md",
		"2021-06-09-Audiensi KPU.md", "2021-6-09-x.md", "2021-06-09x.md", "2021-06-09-x.markdown", "2021-06-09-x.MD",
		"20a1-06-09-x.md", "2021-06-09-\xff.md", "2021-06-09.md", "2021-06-09-", "2021-06-09-x", "x-2021-06-09-x.md",
		"99999-06-09-x.md", "2021-06-09-2021-06-10-x.md", ".md", "2021-06-09-x.md\n",
	}
	for _, s := range inputs {
		t.Run(s, func(t *testing.T) {
			if got, want := validSlug(s), slugRE.MatchString(s); got != want {
				t.Errorf("validSlug = %v, slugRE matches = %v", got, want)
			}
			date, slug, ok := splitFileName(s)
			m := fileNameRE.FindStringSubmatch(s)
			if ok != (m != nil) || ok && (date != m[1] || slug != m[2]) {
				t.Errorf("splitFileName = %q, %q, %v; fileNameRE = %q", date, slug, ok, m)
			}
			if got, want := trimDatePrefix(s), datePrefix.ReplaceAllString(s, ""); got != want {
				t.Errorf("trimDatePrefix = %q, datePrefix gives %q", got, want)
			}
		})
	}
}
