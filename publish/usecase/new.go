package usecase

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/balikpapan/humas/publish/project"
	"github.com/balikpapan/humas/publish/release"
)

// newRelease is what templates/release.md is given.
type newRelease struct {
	Title      string
	Date       string // "2006-01-02 15:04" in the site's zone
	Issuer     string
	Targets    string // every account key, comma separated
	Year       int
	RomanMonth string // VI for June, as release numbers write it
}

var romanMonths = [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// NewRequest is the release to start.
type NewRequest struct {
	Title  string
	Issuer string // account key; "" for the first account of humas.yaml
	Now    time.Time
}

// New writes releases/<today>-<slug>.md from templates/release.md, dated now in
// the site's zone, and returns its path relative to the project root. It never
// replaces a file: a release someone is writing is worth more than a skeleton.
func New(p *project.Project, req NewRequest) (string, error) {
	if req.Title == "" {
		return "", Input(errors.New("new: the title is empty"))
	}
	cfg := p.Config
	issuer := req.Issuer
	if issuer == "" {
		issuer = cfg.Accounts[0].Key
	}
	keys := make([]string, len(cfg.Accounts))
	for i, a := range cfg.Accounts {
		keys[i] = a.Key
	}
	if _, ok := cfg.Account(issuer); !ok {
		return "", &InputError{Err: fmt.Errorf("new: --issuer %q is not an account", issuer), Hint: "accounts: " + strings.Join(keys, ", ")}
	}
	slug := release.Slugify(req.Title)
	if slug == "" {
		return "", Input(fmt.Errorf("new: title %q has no letters or digits to make a file name from", req.Title))
	}
	now := req.Now.In(cfg.Site.Location)
	rel := release.Dir + "/" + now.Format("2006-01-02") + "-" + slug + ".md"

	text, err := fs.ReadFile(p.Templates, "release.md")
	if err != nil {
		return "", fmt.Errorf("new: release template: %w", err)
	}
	tmpl, err := template.New("release.md").Funcs(template.FuncMap{"yaml": yamlString}).Parse(string(text))
	if err != nil {
		return "", fmt.Errorf("new: templates/release.md: %w", err)
	}
	var buf bytes.Buffer
	err = tmpl.Execute(&buf, newRelease{
		Title: req.Title, Date: now.Format("2006-01-02 15:04"), Issuer: issuer,
		Targets: strings.Join(keys, ", "), Year: now.Year(), RomanMonth: romanMonths[now.Month()-1],
	})
	if err != nil {
		return "", fmt.Errorf("new: templates/release.md: %w", err)
	}

	full := filepath.Join(p.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", &InputError{Err: fmt.Errorf("new: %s already exists", rel), Hint: "edit it, or choose another title"}
	}
	if err != nil {
		return "", err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return rel, nil
}

// yamlString writes s as a YAML scalar: plain when that reads back the same, else
// double-quoted (a JSON string is a valid YAML double-quoted scalar).
func yamlString(s string) string {
	plain := s != "" && s == strings.TrimSpace(s) &&
		!strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") &&
		!strings.Contains(s, ": ") && !strings.Contains(s, " #") && !strings.HasSuffix(s, ":") &&
		!strings.ContainsAny(s, "\n\t\\")
	if plain {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "null", "~":
			plain = false
		}
	}
	if plain {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
