package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/compose"
)

func TestFromCompose(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "releases", "images"), 0o755)
	if err := os.WriteFile(filepath.Join(root, "releases", "images", "audiensi.jpg"), []byte("jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	img := &compose.Image{Path: "releases/images/audiensi.jpg", Alt: "Ketua KPU"}
	in := []compose.Target{
		{Account: "kpu", AccountName: "KPU Kota Balikpapan", Platform: "x", Issuer: true, Text: "a", Length: 1, Limit: 280, Link: articleURL, Image: img},
		{Account: "diskominfo", Platform: "x", Text: "b", Quote: true, Fallback: "b Sumber: KPU", FallbackLength: 13, Image: img},
	}
	out, err := FromCompose(root, in)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Image == nil || string(out[0].Image.Data) != "jpeg" || out[0].Image.Name != "audiensi.jpg" || out[0].Image.Alt != "Ketua KPU" {
		t.Errorf("image = %+v", out[0].Image)
	}
	if !out[0].Issuer || out[0].AccountName != "KPU Kota Balikpapan" || out[0].Link != articleURL || out[0].Limit != 280 {
		t.Errorf("issuer target = %+v", out[0])
	}
	if !out[1].Quote || out[1].Fallback != "b Sumber: KPU" || out[1].FallbackLength != 13 {
		t.Errorf("partner target = %+v", out[1])
	}

	in[0].Image = &compose.Image{Path: "releases/images/hilang.jpg"}
	if _, err := FromCompose(root, in); err == nil || !strings.Contains(err.Error(), "image releases/images/hilang.jpg") {
		t.Errorf("missing image: err = %v", err)
	}
}
