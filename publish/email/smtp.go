package email

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/platform"
)

// TLS modes of HUMAS_<ACCOUNT>_SMTP_TLS.
const (
	StartTLS = "starttls" // the default: plain connection, then STARTTLS, required
	TLS      = "tls"      // TLS from the first byte (port 465)
	NoTLS    = "none"     // only to a loopback host: a relay on the same machine
)

// Config is one account's mail server and list.
type Config struct {
	Account  string        // "kpu", for messages
	From     *mail.Address // accounts.<key>.email.from
	List     string        // accounts.<key>.email.list, relative to Root
	Root     string
	Host     string
	Port     int    // 0: 587, or 465 for TLS
	Username string // "" sends no AUTH (a relay that knows the office by address)
	Password string
	TLS      string // StartTLS when ""
	// Timeout bounds connecting and each SMTP exchange; default 30s. Each call's
	// context bounds it too.
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests trust their own authority); nil
	// verifies the server as the system does.
	TLSConfig *tls.Config
	// Now is the Date header's clock; default time.Now.
	Now func() time.Time
}

// Client sends one account's messages through its mail server, one recipient per
// message, over one connection it opens on the first message and reopens after a
// failure. Its methods may be called from one goroutine at a time.
type Client struct {
	cfg Config
	mc  *gomail.Client

	mu   sync.Mutex
	sc   *smtp.Client
	conn net.Conn // the connection sc runs on, to close when a context ends
}

var (
	_ publish.Poster = (*Client)(nil)
	_ publish.Mailer = (*Client)(nil)
)

// CheckTLS says what is wrong with a TLS mode for host, and the fix; "" when
// nothing is. Without TLS the password and the release would cross the network in
// clear text, so "none" is for a relay on the machine itself.
func CheckTLS(mode, host, modeVar string) string {
	switch mode {
	case "", StartTLS, TLS:
		return ""
	case NoTLS:
		if IsLoopback(host) {
			return ""
		}
		return fmt.Sprintf("%s=none sends the password and the release in clear text, which humas allows only to a loopback host, not %q: use starttls (port 587) or tls (port 465)", modeVar, host)
	}
	return fmt.Sprintf("%s=%q: use starttls (the default), tls or none", modeVar, mode)
}

// IsLoopback reports whether host is this machine by name or address, without
// asking DNS (a name that resolves to 127.0.0.1 today may not tomorrow).
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// New returns the client of cfg; it connects on first use.
func New(cfg Config) (*Client, error) {
	if cfg.TLS == "" {
		cfg.TLS = StartTLS
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == TLS {
			cfg.Port = 465
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if msg := CheckTLS(cfg.TLS, cfg.Host, publish.EnvName(cfg.Account, "SMTP_TLS")); msg != "" {
		return nil, errors.New(msg)
	}
	c := &Client{cfg: cfg}
	opts := []gomail.Option{
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithDialContextFunc(c.dial),
		// The HELO name is the site's machine to the server; the host name of a CI
		// runner says nothing and may not be a valid domain.
		gomail.WithHELO("localhost"),
	}
	tc := cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{}
	}
	tc = tc.Clone()
	tc.ServerName = cfg.Host
	tc.MinVersion = tls.VersionTLS12
	opts = append(opts, gomail.WithTLSConfig(tc))
	switch cfg.TLS {
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLS:
		// c.dial speaks TLS itself, so that the connection can be closed when a
		// context ends; go-mail must only know not to ask for STARTTLS.
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	opts = append(opts, gomail.WithPort(cfg.Port))
	if cfg.Username != "" {
		if cfg.TLS == NoTLS {
			// Loopback only (CheckTLS): PLAIN without TLS does not leave the machine.
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlainNoEnc))
		} else {
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(
				gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin, gomail.SMTPAuthCramMD5))
		}
		opts = append(opts, gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	mc, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, errors.New(scrub(err.Error(), cfg))
	}
	c.mc = mc
	return c, nil
}

// dial connects and keeps the connection, so a context that ends can close it:
// go-mail's exchanges take no context.
func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var conn net.Conn
	var err error
	d := &net.Dialer{Timeout: c.cfg.Timeout}
	if c.cfg.TLS == TLS {
		tc := &tls.Config{ServerName: c.cfg.Host, MinVersion: tls.VersionTLS12}
		if c.cfg.TLSConfig != nil {
			tc = c.cfg.TLSConfig.Clone()
			tc.ServerName, tc.MinVersion = c.cfg.Host, tls.VersionTLS12
		}
		conn, err = (&tls.Dialer{NetDialer: d, Config: tc}).DialContext(ctx, network, addr)
	} else {
		conn, err = d.DialContext(ctx, network, addr)
	}
	if err == nil {
		c.conn = conn
	}
	return conn, err
}

// connect opens the session (EHLO, STARTTLS, AUTH) unless one is open.
func (c *Client) connect(ctx context.Context) error {
	if c.sc != nil {
		return nil
	}
	stop := context.AfterFunc(ctx, c.closeConn)
	defer stop()
	sc, err := c.mc.DialToSMTPClientWithContext(ctx)
	if err != nil {
		c.closeConn()
		return c.classify("connect", err, ctx)
	}
	c.sc = sc
	return nil
}

func (c *Client) closeConn() {
	if c.conn != nil {
		c.conn.Close()
	}
}

// drop forgets the session after a failure: the next message opens a new one.
func (c *Client) drop() {
	c.closeConn()
	c.sc, c.conn = nil, nil
}

// Close ends the session politely (QUIT), if one is open.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil {
		return nil
	}
	err := c.mc.CloseWithSMTPClient(c.sc)
	c.drop()
	return err
}

// Recipients reads the account's press list.
func (c *Client) Recipients() ([]publish.Recipient, error) {
	rs, problems := ReadList(c.cfg.Root, c.cfg.List)
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = problemString(p)
		}
		return nil, &publish.Error{Platform: "email", Op: "read the press list", Kind: publish.Permanent, Message: strings.Join(msgs, "; ")}
	}
	return rs, nil
}

// MessageID is the stable id of p's message to one recipient.
func (c *Client) MessageID(p publish.Post, to publish.Recipient) string {
	id := ""
	if p.Document != nil {
		id = p.Document.ID
	}
	if id == "" {
		id = p.Link
	}
	return MessageID(id, c.cfg.Account, to.Address, Domain(p.Link))
}

// Letter is the message p makes for one recipient.
func (c *Client) Letter(p publish.Post, to publish.Recipient, id string) Letter {
	return NewLetter(c.cfg.Account, c.cfg.From, p, to, id, c.cfg.Now())
}

// Deliver sends p to one recipient. A refusal of that recipient (RCPT answered
// 5xx, 4xx) is a *publish.Error, permanent or transient, and the session goes on
// for the next one. An answer that never came after the message's final dot is
// transient with no status: the message may have been delivered, and the caller
// must send it again only with the same Message-ID.
func (c *Client) Deliver(ctx context.Context, p publish.Post, to publish.Recipient, id string) (publish.Receipt, error) {
	if _, msg := CheckAddress(to.Address); msg != "" {
		return publish.Receipt{}, &publish.RecipientError{Err: &publish.Error{Platform: "email", Op: "send to " + to.Address, Kind: publish.Permanent, Message: "the address " + msg}}
	}
	m, err := c.Letter(p, to, id).Msg()
	if err != nil {
		return publish.Receipt{}, &publish.Error{Platform: "email", Op: "compose", Kind: publish.Permanent, Message: err.Error()}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return publish.Receipt{}, err
	}
	if err := c.connect(ctx); err != nil {
		return publish.Receipt{}, err
	}
	stop := context.AfterFunc(ctx, c.closeConn)
	err = c.mc.SendWithSMTPClient(c.sc, m)
	stop()
	if err == nil || m.IsDelivered() {
		if err != nil {
			c.drop() // delivered, then RSET failed: start afresh
		}
		return publish.Receipt{ID: "<" + id + ">"}, nil
	}
	perr := c.classify("send to "+to.Address, err, ctx)
	var se *gomail.SendError
	if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && ctx.Err() == nil {
		// The server answered about this recipient; the session is sound.
		return publish.Receipt{}, &publish.RecipientError{Err: perr}
	}
	var pe *publish.Error
	if !errors.As(perr, &pe) || pe.Status == 0 {
		c.drop()
	}
	return publish.Receipt{}, perr
}

// Verify opens a session (EHLO, STARTTLS, AUTH) and closes it (QUIT), sending
// nothing, and answers the from address: the server cannot say whose mailbox the
// login is, so that is what doctor shows.
func (c *Client) Verify(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil {
		if err := c.connect(ctx); err != nil {
			return "", err
		}
	}
	err := c.mc.CloseWithSMTPClient(c.sc)
	c.drop()
	if err != nil {
		return "", c.classify("quit", err, ctx)
	}
	return c.cfg.From.Address, nil
}

// Post is not how mail goes out: the pipeline sends one message per recipient
// with Deliver and records each.
func (c *Client) Post(context.Context, publish.Post) (publish.Receipt, error) {
	return publish.Receipt{}, &publish.Error{Platform: "email", Op: "post", Kind: publish.Permanent,
		Message: "email is sent one recipient at a time (Deliver), each recorded in the ledger"}
}

// Find cannot look: SMTP has no way to ask whether a message was delivered. It
// answers "not found", never an error, on purpose: a recipient left pending is sent
// the message again with the same Message-ID, which the recipient's mail program
// shows once. A second copy in a mailbox is a smaller harm than a journalist who
// never got the release, which is what waiting for a person would risk on every
// interrupted run.
func (c *Client) Find(context.Context, string) (publish.Receipt, bool, error) {
	return publish.Receipt{}, false, nil
}

// classify turns go-mail's and the network's errors into a *publish.Error: the
// SMTP reply code decides (RFC 5321 section 4.2.1: 4yz is transient, 5yz is
// permanent); no reply is transient. The password never appears, even if a
// server echoed it.
func (c *Client) classify(op string, err error, ctx context.Context) error {
	if cerr := ctx.Err(); cerr != nil {
		// The run ended mid-session: a message may have been on its way.
		d := publish.MaybeSent
		if op == "connect" {
			d = publish.NotSent
		}
		if errors.Is(cerr, context.DeadlineExceeded) {
			return &replyError{&publish.Error{Platform: "email", Op: op, Kind: publish.Transient, Delivery: d, Message: "no answer from " + c.addr() + " in time"}}
		}
		return &replyError{&publish.Error{Platform: "email", Op: op, Kind: publish.Transient, Delivery: d, Message: "stopped: " + cerr.Error()}}
	}
	pe := &publish.Error{Platform: "email", Op: op, Kind: publish.Transient}
	msg := scrub(err.Error(), c.cfg)
	var se *gomail.SendError
	if errors.As(err, &se) {
		msg = scrub(reply(se), c.cfg)
		pe.Status = se.ErrorCode()
		if pe.Status == 0 {
			// go-mail reads the code from the first error it kept.
			pe.Status = replyCode(msg)
		}
		switch se.Reason {
		case gomail.ErrSMTPRcptTo:
			pe.Message = "the server refused the recipient: " + msg
		case gomail.ErrSMTPMailFrom:
			pe.Message = "the server refused the sender " + c.cfg.From.Address + ": " + msg
		case gomail.ErrSMTPDataClose:
			if pe.Status == 0 {
				pe.Message = "the message was sent but its answer never came: " + msg
			} else {
				pe.Message = "the server refused the message: " + msg
			}
		default:
			pe.Message = msg
		}
	} else {
		pe.Status = replyCode(msg)
		pe.Message = msg
		var tlsErr *tls.CertificateVerificationError
		var rec tls.RecordHeaderError
		switch {
		case errors.As(err, &tlsErr):
			pe.Kind = publish.Permanent
			pe.Message = "the server's certificate cannot be trusted: " + msg + ": fix the server's certificate, or name the host the certificate is for in " + publish.EnvName(c.cfg.Account, "SMTP_HOST")
		case errors.As(err, &rec):
			pe.Kind = publish.Permanent
			pe.Message = "the server does not speak TLS on port " + strconv.Itoa(c.cfg.Port) + ": set " + publish.EnvName(c.cfg.Account, "SMTP_TLS") + "=starttls for port 587, or tls for port 465"
		case op == "connect" && isTimeout(err) && c.cfg.TLS != TLS:
			pe.Message = "no answer from " + c.addr() + " in time: " + msg + ": if that port speaks TLS from the first byte (465), set " + publish.EnvName(c.cfg.Account, "SMTP_TLS") + "=tls"
		case strings.Contains(msg, "STARTTLS"):
			pe.Kind = publish.Permanent
			// go-mail's own words ("STARTTLS mode set to: \"TLSMandatory\"") mean nothing to a press office.
			pe.Message = c.addr() + " does not offer STARTTLS: use " + publish.EnvName(c.cfg.Account, "SMTP_TLS") + "=tls on port 465, or a server that encrypts"
			if IsLoopback(c.cfg.Host) {
				pe.Message += " (a server on this machine may take " + publish.EnvName(c.cfg.Account, "SMTP_TLS") + "=none)"
			}
		case strings.Contains(msg, "SMTP AUTH") || strings.Contains(msg, "AUTH"):
			pe.Message = "login refused: " + msg + ": check " + publish.EnvName(c.cfg.Account, "SMTP_USERNAME") + " and " + publish.EnvName(c.cfg.Account, "SMTP_PASSWORD")
			if pe.Status == 0 || pe.Status >= 500 {
				pe.Kind = publish.Permanent
			}
		}
	}
	if pe.Status >= 500 {
		pe.Kind = publish.Permanent
	}
	if pe.Status >= 400 && pe.Status < 500 {
		pe.Kind = publish.Transient
	}
	pe.Delivery = delivery(pe, se)
	return &replyError{pe}
}

// delivery says how far a failed message got. Any reply code is the server's
// answer, and a 4xx or 5xx answer means it took nothing (RFC 5321 section 4.2.5:
// the message is the server's only once it answers 250 to the final dot). Without
// a reply, only the wait for the answer to the final dot leaves doubt: the server
// may have taken the message.
func delivery(pe *publish.Error, se *gomail.SendError) publish.Delivery {
	switch {
	case pe.Status != 0:
		return publish.Sent
	case se != nil && se.Reason == gomail.ErrSMTPDataClose:
		return publish.MaybeSent
	}
	return publish.NotSent
}

// replyError is a *publish.Error told the way SMTP tells it: the server's reply
// carries its own code ("550 5.1.1 …"), which publish.Error would call HTTP.
type replyError struct{ pe *publish.Error }

func (e *replyError) Error() string { return e.pe.Platform + ": " + e.pe.Op + ": " + e.pe.Message }
func (e *replyError) Unwrap() error { return e.pe }

// reply is what the server said, without go-mail's framing ("sending SMTP RCPT
// TO command: ", the recipients and Message-ID it repeats).
func reply(se *gomail.SendError) string {
	msg := se.Error()
	if i := strings.Index(msg, ", affected recipient(s): "); i >= 0 {
		msg = msg[:i]
	} else if i := strings.Index(msg, ", affected message ID: "); i >= 0 {
		msg = msg[:i]
	}
	if p := se.Reason.String() + ": "; strings.HasPrefix(msg, p) {
		msg = msg[len(p):]
	}
	return msg
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (c *Client) addr() string { return net.JoinHostPort(c.cfg.Host, strconv.Itoa(c.cfg.Port)) }

// replyCode reads an SMTP reply code at the start of msg or after "... : ".
func replyCode(msg string) int {
	for _, part := range strings.Split(msg, ": ") {
		if len(part) >= 3 {
			if n, err := strconv.Atoi(part[:3]); err == nil && n >= 200 && n < 600 && (len(part) == 3 || part[3] == ' ' || part[3] == '-') {
				return n
			}
		}
	}
	return 0
}

// scrub removes the password from a message, should a server or a library ever
// repeat it: as is, and in base64 as AUTH PLAIN ("\x00user\x00password", RFC 4616)
// and AUTH LOGIN send it, which a refusal that echoes the command repeats and
// anyone decodes. Without its padding, so a shortened echo is caught too.
func scrub(msg string, cfg Config) string {
	if cfg.Password == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, cfg.Password, "[redacted]")
	for _, sent := range []string{"\x00" + cfg.Username + "\x00" + cfg.Password, cfg.Password} {
		msg = strings.ReplaceAll(msg, strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(sent)), "="), "[redacted]")
	}
	return msg
}

// problemString is "press/kpu.csv:4: email: message: hint".
func problemString(p platform.FileProblem) string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	s += ": " + p.Message
	if p.Hint != "" {
		s += ": " + p.Hint
	}
	return s
}
