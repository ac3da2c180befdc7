package instagram

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

func TestCaptionNamesTheArticleAsAWholeAddress(t *testing.T) {
	const link = "https://humas.balikpapan.go.id/pemilu/"
	tests := []struct {
		name    string
		caption string
		want    bool
	}{
		{"the address without scheme", "Selengkapnya: humas.balikpapan.go.id/pemilu", true},
		{"the full URL", "Baca https://humas.balikpapan.go.id/pemilu/", true},
		{"before a full stop and hashtags", "Baca humas.balikpapan.go.id/pemilu.\n#Pemilu", true},
		{"at the very start", "humas.balikpapan.go.id/pemilu/ selengkapnya", true},
		{"a longer slug", "humas.balikpapan.go.id/pemilu-2024", false},
		{"a page below it", "humas.balikpapan.go.id/pemilu/foto", false},
		{"inside another host", "xhumas.balikpapan.go.id/pemilu", false},
		{"not at all", "Rapat pleno terbuka", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CaptionNames(tt.caption, link); got != tt.want {
				t.Fatalf("CaptionNames(%q) = %v; want %v", tt.caption, got, tt.want)
			}
		})
	}
}

func TestHashtagsAreCountedAsInstagramLinksThem(t *testing.T) {
	tests := []struct {
		caption string
		want    int
	}{
		{"#Pemilu2024 #KPU_Balikpapan", 2},
		{"#PemiluDamai, #Pilkada.", 2},
		{"#Indonésia #日本", 2},
		{"nomor#1 C# # #!", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := Hashtags(tt.caption); got != tt.want {
			t.Errorf("Hashtags(%q) = %d; want %d", tt.caption, got, tt.want)
		}
	}
}

func TestCheckCaptionAtItsLimits(t *testing.T) {
	tags := func(n int) string { return strings.Repeat("#a ", n) }
	if err := CheckCaption(strings.Repeat("é", MaxCaption)); err != nil {
		t.Errorf("2,200 characters: %v; want accepted", err)
	}
	if err := CheckCaption(strings.Repeat("é", MaxCaption+1)); err == nil {
		t.Error("2,201 characters accepted")
	}
	if err := CheckCaption(tags(MaxHashtags)); err != nil {
		t.Errorf("30 hashtags: %v; want accepted", err)
	}
	if err := CheckCaption(tags(MaxHashtags + 1)); err == nil {
		t.Error("31 hashtags accepted")
	}
}

func TestImagesAreHeldToThePlatformsMediaRules(t *testing.T) {
	enc := func(w, h int) []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var pngImg bytes.Buffer
	if err := png.Encode(&pngImg, image.NewGray(image.Rect(0, 0, 4, 5))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string // "" when Instagram takes it
	}{
		{"the 4:5 card", enc(1080, 1350), ""},
		{"Meta's landscape example, 1080×566", enc(1080, 566), ""},
		{"just taller than 4:5", enc(1080, 1351), "this one is 0.80:1"},
		{"a 2:1 photo", enc(400, 200), "this one is 2.00:1"},
		{"a PNG", pngImg.Bytes(), "takes jpeg, not png"},
		{"over 8 MB", append(enc(320, 400), make([]byte, 8<<20)...), "up to 8 MB"},
		{"not a picture", []byte("bukan gambar"), "not a picture it can read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := imageProblem(tt.data)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Fatalf("imageProblem = %q; want %q", got, tt.want)
			}
		})
	}
}
