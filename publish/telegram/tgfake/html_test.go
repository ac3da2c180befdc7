package tgfake

import (
	"reflect"
	"testing"
)

// Cases from TDLib's test/message_entities.cpp (check_parse_html), which is what
// the Bot API runs on a parse_mode HTML text.
func TestParseHTMLAsTelegramDoes(t *testing.T) {
	errs := []struct{ html, want string }{
		{"&#57311;", "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"},
		{"&#xDFDF", "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"},
		{"🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"},
		{"🏟 🏟&lt;<abac aba>", `Unsupported start tag "abac" at byte offset 13`},
		{"🏟 🏟&lt;<abac>", `Unsupported start tag "abac" at byte offset 13`},
		{"🏟 🏟&lt;<i   =aba>", `Empty attribute name in the tag "i" at byte offset 13`},
		{"🏟 🏟&lt;<i    aba>", `Can't find end tag corresponding to start tag "i"`},
		{"🏟 🏟&lt;<i    aba  =  ", `Unclosed start tag "i" at byte offset 13`},
		{"🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"},
		{`🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>`, "Unclosed start tag at byte offset 13"},
		{"🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"},
		{"🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"},
		{"🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"},
		{"🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"},
		{"🏟 🏟&lt;<i>a</em   >", `Unmatched end tag at byte offset 17, expected "</i>", found "</em>"`},
		{"<span>x</span>", `Tag "span" must have class "tg-spoiler" at byte offset 0`},
	}
	for _, tt := range errs {
		if _, _, err := parseHTML(tt.html); string(err) != tt.want {
			t.Errorf("parseHTML(%q) error %q; want %q", tt.html, err, tt.want)
		}
	}
	texts := []struct {
		html, text string
		entities   []Entity
	}{
		{"", "", nil},
		{"&ge;&lt;&gt;&amp;&quot;&laquo;&raquo;&#12345678;", `&ge;<>&"&laquo;&raquo;&#12345678;`, nil},
		{"&Or;", "&Or;", nil},
		{"AT&T &#39;x&#x27;", "AT&T 'x'", nil},
		{"➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", []Entity{{Type: "italic", Offset: 5, Length: 5}}},
		{"🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", []Entity{{Type: "italic", Offset: 5, Length: 6}}},
		{"🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>", "🏟 🏟🏟 ><🏟",
			[]Entity{{Type: "bold", Offset: 9, Length: 3}, {Type: "italic", Offset: 5, Length: 7}}},
		{"🏟 🏟&lt;<i    aba  =  190azAz-.>a</i>", "🏟 🏟<a", []Entity{{Type: "italic", Offset: 6, Length: 1}}},
		{"🏟 🏟&lt;<i>a</    >", "🏟 🏟<a", []Entity{{Type: "italic", Offset: 6, Length: 1}}},
		{"🏟 🏟&lt;<b></b>", "🏟 🏟<", nil},
		{"<a href=telegram.org> </a>", " ", []Entity{{Type: "text_link", Offset: 0, Length: 1, URL: "telegram.org"}}},
		{"<a> </a>", " ", nil},
	}
	for _, tt := range texts {
		text, entities, err := parseHTML(tt.html)
		if err != "" || text != tt.text || !reflect.DeepEqual(entities, tt.entities) {
			t.Errorf("parseHTML(%q) = %q, %+v, %q; want %q, %+v", tt.html, text, entities, err, tt.text, tt.entities)
		}
	}
}
