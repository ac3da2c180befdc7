package ascii

import (
	"strings"
	"testing"
)

func TestPlainStopsAtTheFirstOtherByteWhereverItIs(t *testing.T) {
	for c := range 256 {
		printable := c >= 0x20 && c <= 0x7e
		for at := range 70 {
			s := strings.Repeat("a", at) + string([]byte{byte(c)}) + strings.Repeat("z", 40)
			want := at
			if printable {
				want = len(s)
			}
			if got := PlainString(s); got != want {
				t.Fatalf("byte %#02x at %d: PlainString = %d, want %d", c, at, got, want)
			}
			if got := Plain([]byte(s)); got != want {
				t.Fatalf("byte %#02x at %d: Plain([]byte) = %d, want %d", c, at, got, want)
			}
		}
	}
	if PlainString("") != 0 || PlainString("~ ") != 2 || Plain(nil) != 0 {
		t.Error("short texts")
	}
}

func FuzzPlain(f *testing.F) {
	f.Add("BALIKPAPAN — KPU\n")
	f.Fuzz(func(t *testing.T, s string) {
		want := len(s)
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				want = i
				break
			}
		}
		if got := PlainString(s); got != want {
			t.Fatalf("PlainString(%q) = %d, want %d", s, got, want)
		}
		if got := Plain([]byte(s)); got != want {
			t.Fatalf("Plain(%q) = %d, want %d", s, got, want)
		}
	})
}
