package publish

import (
	"context"
	"time"
)

// Document is a whole release, for a platform that sends it entire rather than as a
// post: the press, by email. Other platforms ignore it.
type Document struct {
	// ID is the release's stable identity: the id of its ledger record, fixed
	// when the release was first recorded and kept when its file or slug is
	// renamed. The pipeline sets it from the record. A message's Message-ID is
	// derived from it, so a message sent again is recognised as the same one.
	ID       string
	Headline string // the title, "[HOAKS] …" for a hoax clarification
	Number   string // "012/HM/KPU-BPP/VI/2021", "" when none
	Date     time.Time
	Issuer   string // the issuer's name: "KPU Kota Balikpapan"
	// IssuerKey is the issuer's account key: another account sending the release
	// is a partner, and credits the issuer.
	IssuerKey string
	// Embargo is when the release may be broadcast, set only while it has not
	// passed when the run began: the message is then marked EMBARGO.
	Embargo time.Time
	// Location is where dates are told to readers (WITA).
	Location *time.Location
	HTML     string // the body as the article shows it, sanitised
	Markdown []byte // the body as written, for a plain-text rendering
	Contact  *Contact
	// Hoax is what a hoax clarification answers, nil for any other release: the
	// press must read the claim and the verdict, as on the article and the PDF.
	Hoax *Hoax
	// PDF draws the official release (siaran-pers.pdf), attached when set; it is
	// called when a message is built, so a run that sends no mail draws nothing.
	PDF func() ([]byte, error)
}

// Hoax is the claim a hoax clarification answers, its verdict (HOAKS,
// DISINFORMASI, MISINFORMASI or SATIRE) and the official sources.
type Hoax struct {
	Claim, Verdict string
	Sources        []string
}

// Contact is the person the press can call about a release.
type Contact struct {
	Name, Role, Phone, Email string
}

// Recipient is one person a target sends to on their own: a journalist on a press
// list.
type Recipient struct {
	Address string // a bare address, as the list writes it; compared case-insensitively
	Name    string
	Outlet  string
	Line    int // in the list, for messages
}

// Mailer is a Poster whose target is a list of people, each sent a message of their
// own and recorded on their own (the press, by email). The pipeline calls Deliver
// for each recipient not yet sent to and records each answer; Post is not used.
type Mailer interface {
	Poster
	// Recipients reads the list; it makes no network call.
	Recipients() ([]Recipient, error)
	// MessageID is the Message-ID of p's message to one recipient: derived from the
	// release and the recipient, so a message sent again carries the same one.
	MessageID(p Post, to Recipient) string
	// Deliver sends p to one recipient with the Message-ID id. A refusal of that
	// recipient alone is a *publish.Error for that recipient; the others go on.
	Deliver(ctx context.Context, p Post, to Recipient, id string) (Receipt, error)
}

// RecipientError is a refusal of one recipient alone (SMTP: RCPT answered 4xx or
// 5xx, or an address that cannot be sent to): the message to the others goes on.
// Any other error of Deliver is about the whole target (the server, the login),
// and the pipeline stops going down the list.
type RecipientError struct{ Err error }

func (e *RecipientError) Error() string { return e.Err.Error() }
func (e *RecipientError) Unwrap() error { return e.Err }

// Letter is one message of a target sent person by person, as that person's mail
// program shows it: what the preview draws. The platform makes it with the code
// that sends the message (platform.Platform.Letter), so what the preview shows
// is what goes out.
type Letter struct {
	FromName, FromAddress string // "Humas KPU Kota Balikpapan", "humas@kpu.example.go.id"
	// To is the person it is drawn for, the first on the list; zero when the
	// list cannot be read.
	To Recipient
	// List is the list's file in the project (press/kpu.csv), and Count how many
	// people are on it, each sent a message of their own.
	List  string
	Count int
	// Subject is the subject line as sent, its EMBARGO mark included.
	Subject string
	// Text and HTML are the two bodies, the HTML whole (<!DOCTYPE html>…).
	Text, HTML  string
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name string // "siaran-pers.pdf"
	Type string // "application/pdf"
	Data []byte
}
