package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/media/mediatest"
)

// project writes humas.yaml and files (path → content) into a new folder.
func project(t *testing.T, yaml string, files map[string][]byte) string {
	t.Helper()
	root := t.TempDir()
	files[FileName] = []byte(yaml)
	for name, data := range files {
		full := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const identityYAML = `site: {base_url: https://humas.balikpapan.go.id/}
accounts:
  kpu:
    name: KPU Kota Balikpapan
    logo: assets/kpu.png
    address: Jl. Jenderal Sudirman No. 1, Balikpapan
    phone: "+62 542 000000"
    website: https://kota-balikpapan.kpu.go.id
`

func TestIdentityIsReadWithItsLogo(t *testing.T) {
	logo := mediatest.PNG(256, 256)
	c, err := Load(project(t, identityYAML, map[string][]byte{"assets/kpu.png": logo}))
	if err != nil {
		t.Fatal(err)
	}
	id := c.Accounts[0].Identity
	if id.Logo != "assets/kpu.png" || string(id.LogoData) != string(logo) {
		t.Errorf("logo %q, %d bytes; want assets/kpu.png, %d bytes", id.Logo, len(id.LogoData), len(logo))
	}
	if id.Address != "Jl. Jenderal Sudirman No. 1, Balikpapan" || id.Phone != "+62 542 000000" || id.Website != "https://kota-balikpapan.kpu.go.id" {
		t.Errorf("identity = %+v", id)
	}
}

func TestIdentityProblemsNameTheirLine(t *testing.T) {
	account := func(lines string) string {
		return "site: {base_url: https://humas.balikpapan.go.id/}\naccounts:\n  kpu:\n    name: KPU\n" + lines
	}
	tests := []struct {
		name  string
		yaml  string
		files map[string][]byte
		want  string
	}{
		{"logo missing", account("    logo: assets/kpu.png\n"), nil,
			`humas.yaml:5: accounts.kpu.logo: assets/kpu.png: no such file: a PNG or JPEG in the project's assets/ folder`},
		{"logo outside the project", account("    logo: ../kpu.png\n"), nil,
			`humas.yaml:5: accounts.kpu.logo: "../kpu.png" must be a file inside the project`},
		{"logo out of its place", account("    logo: humas.yaml\n"), nil,
			`humas.yaml:5: accounts.kpu.logo: humas.yaml: is not in releases/ or assets/`},
		{"logo that is not an image", account("    logo: assets/kpu.png\n"), map[string][]byte{"assets/kpu.png": []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")},
			`humas.yaml:5: accounts.kpu.logo: assets/kpu.png: is an SVG`},
		{"logo that is a GIF", account("    logo: assets/kpu.gif\n"), map[string][]byte{"assets/kpu.gif": mediatest.GIF(128, 128)},
			`humas.yaml:5: accounts.kpu.logo: assets/kpu.gif: is a GIF: the letterhead and the cards take a PNG or JPEG logo`},
		{"logo too small", account("    logo: assets/kpu.png\n"), map[string][]byte{"assets/kpu.png": mediatest.PNG(16, 16)},
			`humas.yaml:5: accounts.kpu.logo: assets/kpu.png: is 16×16 pixels, too small to print sharp`},
		{"logo too large", account("    logo: assets/kpu.png\n"), map[string][]byte{"assets/kpu.png": mediatest.PNG(5000, 100)},
			`humas.yaml:5: accounts.kpu.logo: assets/kpu.png: is 5000×100 pixels, more than a logo's 4096 a side`},
		{"empty address", account("    address: \"\"\n"), nil, `humas.yaml:5: accounts.kpu.address: is empty`},
		{"address on two lines", account("    address: |\n      Jl. Sudirman\n      Balikpapan\n"), nil, `humas.yaml:5: accounts.kpu.address: must be one line`},
		{"address as a list", account("    address: [Jl. Sudirman, Balikpapan]\n"), nil, `humas.yaml:5: accounts.kpu.address: must be text`},
		{"phone with letters", account("    phone: \"0542 KPU\"\n"), nil, `humas.yaml:5: accounts.kpu.phone: "0542 KPU" has 'K'`},
		{"phone too short", account("    phone: \"112\"\n"), nil, `humas.yaml:5: accounts.kpu.phone: "112" has too few digits`},
		{"website without scheme", account("    website: kpu.go.id\n"), nil, `humas.yaml:5: accounts.kpu.website: "kpu.go.id" is not an absolute http(s) URL`},
		{"website of another scheme", account("    website: javascript:alert(1)\n"), nil, `is not an absolute http(s) URL`},
		{"misspelt key", account("    adress: Jl. Sudirman\n"), nil, `humas.yaml:5: accounts.kpu: unknown key "adress": did you mean "address"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := tt.files
			if files == nil {
				files = map[string][]byte{}
			}
			_, err := Load(project(t, tt.yaml, files))
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestALogoThatIsALinkIsRefused(t *testing.T) {
	root := project(t, identityYAML, map[string][]byte{})
	if err := os.MkdirAll(filepath.Join(root, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(root, "assets", "kpu.png")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := Load(root)
	if err == nil || !strings.Contains(err.Error(), `humas.yaml:5: accounts.kpu.logo: assets/kpu.png: is a symbolic link to "/etc/passwd"`) {
		t.Errorf("err = %v", err)
	}
}

func TestTheRepositoryHasAnIdentityForEveryAccount(t *testing.T) {
	c, err := Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Accounts {
		id := a.Identity
		if len(id.LogoData) == 0 || id.Address == "" || id.Phone == "" || id.Website == "" {
			t.Errorf("%s: identity %q %q %q %q, logo %d bytes", a.Key, id.Logo, id.Address, id.Phone, id.Website, len(id.LogoData))
		}
	}
}
