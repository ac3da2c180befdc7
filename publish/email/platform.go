// Package email sends a release to the press: one message per journalist on an
// institution's press list, through the office's own mail server (SMTP), with the
// release in HTML and plain text and its PDF attached.
package email

import (
	"fmt"
	"net/mail"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

// Name is the platform's name in humas.yaml, targets and --only.
const Name = "email"

// SubjectLimit bounds the composed subject: RFC 5322 section 2.1.1 limits a line to
// 998 characters, and the header folds a longer subject but no reader wants one.
const SubjectLimit = 998

// Platform is email in the registry.
var Platform = &platform.Platform{
	Name:        Name,
	DisplayName: "Email",
	Length:      utf8.RuneCountInString,
	Limit:       SubjectLimit,
	FoldSummary: true,
	// A message carries the release as its PDF, not the release's picture.
	Media: platform.Media{NoPicture: true},
	Account: platform.Schema{
		Fields: []platform.Field{{
			Key:      "from",
			Required: true,
			Hint:     `the office's address, with its name: "Humas KPU Kota Balikpapan <humas@kpu.example.go.id>"`,
			Check:    checkFrom,
		}, {
			Key:      "list",
			Required: true,
			Hint:     "the press list, a CSV file in the project: press/kpu.csv",
			Check:    checkListPath,
		}},
		Example: `{from: "Humas KPU Kota Balikpapan <humas@kpu.example.go.id>", list: press/kpu.csv}`,
	},
	Credentials: []platform.Credential{
		{Field: "SMTP_HOST", Required: true, Public: true, About: "the office's mail server: smtp.kpu.example.go.id"},
		{Field: "SMTP_PORT", Public: true, About: "its port: 587 (the default) for starttls, 465 for tls"},
		{Field: "SMTP_USERNAME", About: "the login, when the server asks for one"},
		{Field: "SMTP_PASSWORD", About: "the login's password"},
		{Field: "SMTP_TLS", Public: true, About: "starttls (the default), tls, or none (only to a loopback host)"},
	},
	// The preview draws the message itself (Letter); the glyph heads it.
	Look:       platform.Look{Logo: "✉"},
	New:        open,
	VerifyCall: "EHLO, STARTTLS, AUTH, QUIT (no message is sent)",
	Identity:   func(a platform.Account) string { return fromAddress(a.Get("from")) },
	Handle:     func(a platform.Account) string { return fromAddress(a.Get("from")) },
	// A partner sends the release to its own list, naming the issuer.
	Repost: platform.Credit,
	// The press may have a release before its embargo, marked EMBARGO (SPEC
	// section 9); the site and the social accounts wait.
	BeforeEmbargo: true,
	Check: func(root string, a platform.Account) []platform.FileProblem {
		_, problems := ReadList(root, a.Get("list"))
		return problems
	},
	Sent:   func(p publish.Post) string { return Letter{Subject: p.Text, Doc: p.Document}.SubjectOf() },
	Letter: letter,
}

// letter is the message a's list gets for p, drawn for the first journalist on
// it, as NewLetter makes every message sent: the preview shows it. Its Message-ID
// is left out: it is the ledger's to give, once the release is sent.
func letter(root string, a platform.Account, p publish.Post, now time.Time) (*publish.Letter, []platform.FileProblem, error) {
	from, err := mail.ParseAddress(a.Get("from"))
	if err != nil {
		return nil, nil, fmt.Errorf("accounts.%s.email.from: %q is not an email address", a.Key, a.Get("from"))
	}
	list, problems := ReadList(root, a.Get("list"))
	var to publish.Recipient
	if len(list) > 0 {
		to = list[0]
	}
	l := NewLetter(a.Key, from, p, to, "", now)
	text, html, err := l.Bodies()
	if err != nil {
		return nil, nil, err
	}
	files, err := l.Attachments()
	if err != nil {
		return nil, nil, err
	}
	return &publish.Letter{
		FromName: from.Name, FromAddress: from.Address,
		To: to, List: a.Get("list"), Count: len(list),
		Subject: l.SubjectOf(), Text: text, HTML: html, Attachments: files,
	}, problems, nil
}

// checkFrom accepts "Name <address>" or a bare address, and no more than one.
func checkFrom(v string) string {
	a, err := mail.ParseAddress(v)
	if err != nil {
		return fmt.Sprintf("%q is not an email address", v)
	}
	if _, msg := CheckAddress(a.Address); msg != "" {
		return "the address " + msg
	}
	return ""
}

func fromAddress(v string) string {
	if a, err := mail.ParseAddress(v); err == nil {
		return a.Address
	}
	return v
}

// checkListPath wants a CSV file inside the project; whether it is there and
// sound is check's question (Platform.Check), asked with the project at hand.
func checkListPath(v string) string {
	p := path.Clean(strings.ReplaceAll(v, `\`, "/"))
	switch {
	case path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Sprintf("%q is outside the project: keep the press list in it, e.g. press/kpu.csv", v)
	case !strings.EqualFold(path.Ext(p), ".csv"):
		return fmt.Sprintf("%q is not a .csv file", v)
	}
	return ""
}

// open builds an account's client from humas.yaml and the environment.
func open(c platform.Conn) (publish.Poster, error) {
	key := c.Account.Key
	from, err := mail.ParseAddress(c.Account.Get("from"))
	if err != nil {
		return nil, fmt.Errorf("%s/email: accounts.%s.email.from: %q is not an email address", key, key, c.Account.Get("from"))
	}
	cfg := Config{
		Account: key, From: from, List: c.Account.Get("list"), Root: c.Root,
		Host:     strings.TrimSpace(c.Secret("SMTP_HOST")),
		Username: c.Secret("SMTP_USERNAME"),
		Password: c.Secret("SMTP_PASSWORD"),
		TLS:      strings.ToLower(strings.TrimSpace(c.Secret("SMTP_TLS"))),
	}
	if p := strings.TrimSpace(c.Secret("SMTP_PORT")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s/email: %s=%q is not a port: use 587 (starttls) or 465 (tls)", key, publish.EnvName(key, "SMTP_PORT"), p)
		}
		cfg.Port = n
	}
	switch {
	case cfg.Username != "" && cfg.Password == "":
		return nil, &publish.MissingCredentialsError{Account: key, Platform: Name, Vars: []string{publish.EnvName(key, "SMTP_PASSWORD")}}
	case cfg.Username == "" && cfg.Password != "":
		return nil, &publish.MissingCredentialsError{Account: key, Platform: Name, Vars: []string{publish.EnvName(key, "SMTP_USERNAME")}}
	}
	cl, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s/email: %w", key, err)
	}
	return cl, nil
}
