// Package mailpittest runs Mailpit, a real SMTP server, for tests: started on
// loopback with ports of its own, read back through its HTTP API.
//
// The binary is installed by scripts/test into .tools/ (go install
// github.com/axllent/mailpit@v1.33.1); it is never part of humas. Without it a test
// is skipped, visibly and with the command to run, except under CI=true, where a
// missing server is a failure.
package mailpittest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Install is the command that puts Mailpit where Binary looks first.
const Install = "GOBIN=$PWD/.tools go install github.com/axllent/mailpit@v1.33.1 (scripts/test does it)"

// Options are the server's settings beyond the defaults (any login accepted,
// PLAIN and LOGIN allowed without TLS, every recipient accepted).
type Options struct {
	// AllowedRecipients, when set, is a regular expression the server refuses
	// every other recipient with (550 on RCPT).
	AllowedRecipients string
	// IgnoreDuplicateIDs keeps one message per Message-ID, as a recipient's mail
	// program shows one.
	IgnoreDuplicateIDs bool
	// CertFile and KeyFile turn on STARTTLS (required, with RequireTLS), or TLS
	// from the first byte with ImplicitTLS.
	CertFile, KeyFile string
	RequireTLS        bool
	ImplicitTLS       bool
	// Chaos lets SetChaos make the server refuse senders, recipients or logins.
	Chaos bool
}

// Server is one Mailpit process.
type Server struct {
	SMTPHost string // "127.0.0.1"
	SMTPPort int
	API      string // "http://127.0.0.1:port"
	cmd      *exec.Cmd
	log      *logBuffer
}

// logBuffer collects the server's output while tests read it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Binary finds mailpit: .tools/mailpit at the module root, then $PATH. It returns
// "" when there is none.
func Binary() string {
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			p := filepath.Join(dir, ".tools", "mailpit")
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	return ""
}

// Need returns the binary, or skips t (fails it under CI=true) when there is none.
func Need(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mailpit is not installed, and CI must run the mail tests: %s", Install)
		}
		t.Skipf("SKIP: mailpit is not installed; install it to run the mail tests: %s", Install)
	}
	return bin
}

// Start runs a Mailpit for t, stopped when t ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := Need(t)
	s, err := Launch(bin, o, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Launch runs the binary bin with o, its database in dir, and waits until it
// answers. Ports are chosen free just before; another process taking one in
// between is retried.
func Launch(bin string, o Options, dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var last error
	for range 5 {
		s, err := launch(bin, o, dir)
		if err == nil {
			return s, nil
		}
		last = err
	}
	return nil, last
}

func launch(bin string, o Options, dir string) (*Server, error) {
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{
		"--smtp", "127.0.0.1:" + strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
		"--database", filepath.Join(dir, fmt.Sprintf("mailpit-%d.db", smtpPort)),
		"--smtp-auth-accept-any",
		"--disable-version-check", "--smtp-disable-rdns", "--quiet",
	}
	if !o.RequireTLS && !o.ImplicitTLS {
		args = append(args, "--smtp-auth-allow-insecure")
	}
	if o.AllowedRecipients != "" {
		args = append(args, "--smtp-allowed-recipients", o.AllowedRecipients)
	}
	if o.IgnoreDuplicateIDs {
		args = append(args, "--ignore-duplicate-ids")
	}
	if o.CertFile != "" {
		args = append(args, "--smtp-tls-cert", o.CertFile, "--smtp-tls-key", o.KeyFile)
		switch {
		case o.ImplicitTLS:
			args = append(args, "--smtp-require-tls")
		case o.RequireTLS:
			args = append(args, "--smtp-require-starttls")
		}
	}
	if o.Chaos {
		args = append(args, "--enable-chaos")
	}
	log := &logBuffer{}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("mailpit: %w", err)
	}
	s := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, API: "http://127.0.0.1:" + strconv.Itoa(httpPort), cmd: cmd, log: log}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("mailpit exited: %v: %s", err, log.String())
		default:
		}
		if _, err := s.get("/api/v1/info"); err == nil {
			if c, err := net.DialTimeout("tcp", s.SMTPAddr(), time.Second); err == nil {
				// Only a port is waited for: a TLS port says nothing before the handshake.
				c.Close()
				go func() { <-exited }()
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("mailpit did not answer in 20s: %s", log.String())
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// SMTPAddr is "127.0.0.1:port".
func (s *Server) SMTPAddr() string { return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)) }

// Stop ends the server.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
	}
}

// Address is a name and address as Mailpit reports them.
type Address struct {
	Name    string
	Address string
}

// Summary is a message as Mailpit's list shows it.
type Summary struct {
	ID          string
	MessageID   string
	From        *Address
	To, Cc, Bcc []Address
	Subject     string
	Attachments int
}

// Attachment is one attached file of a message.
type Attachment struct {
	PartID, FileName, ContentType string
	Size                          int
}

// Message is one message in full.
type Message struct {
	Summary
	Text, HTML  string
	Attachments []Attachment
}

func (s *Server) get(path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.API+path, nil)
	if err != nil {
		return nil, err
	}
	return do(req)
}

func do(req *http.Request) ([]byte, error) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode/100 != 2 {
		return nil, fmt.Errorf("mailpit %s %s: %s: %s", req.Method, req.URL.Path, res.Status, b)
	}
	return b, nil
}

// Messages lists every message held, newest first.
func (s *Server) Messages() ([]Summary, error) {
	b, err := s.get("/api/v1/messages?limit=10000")
	if err != nil {
		return nil, err
	}
	var out struct{ Messages []Summary }
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("mailpit messages: %w", err)
	}
	return out.Messages, nil
}

// To lists the messages addressed to address (case-insensitive), in To, Cc or Bcc.
func (s *Server) To(address string) ([]Summary, error) {
	all, err := s.Messages()
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, m := range all {
		for _, a := range append(append(append([]Address{}, m.To...), m.Cc...), m.Bcc...) {
			if strings.EqualFold(a.Address, address) {
				out = append(out, m)
				break
			}
		}
	}
	return out, nil
}

// Message reads one message in full.
func (s *Server) Message(id string) (*Message, error) {
	b, err := s.get("/api/v1/message/" + url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("mailpit message: %w", err)
	}
	return &m, nil
}

// Headers are a message's headers as sent.
func (s *Server) Headers(id string) (map[string][]string, error) {
	b, err := s.get("/api/v1/message/" + url.PathEscape(id) + "/headers")
	if err != nil {
		return nil, err
	}
	var h map[string][]string
	return h, json.Unmarshal(b, &h)
}

// Raw is the message as the server received it.
func (s *Server) Raw(id string) ([]byte, error) {
	return s.get("/api/v1/message/" + url.PathEscape(id) + "/raw")
}

// Part is one attachment's bytes.
func (s *Server) Part(id, part string) ([]byte, error) {
	return s.get("/api/v1/message/" + url.PathEscape(id) + "/part/" + url.PathEscape(part))
}

// SetChaos makes the server answer code on every RCPT (Recipient), MAIL
// (Sender) or AUTH (Authentication) from now on; code 0 stops it. The server must
// have been started with Options.Chaos.
func (s *Server) SetChaos(stage string, code int) error {
	prob := 100
	if code == 0 {
		code, prob = 451, 0
	}
	body, err := json.Marshal(map[string]map[string]int{stage: {"ErrorCode": code, "Probability": prob}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.API+"/api/v1/chaos", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	_, err = do(req)
	return err
}

// Log is what the server printed (errors only: it runs quiet).
func (s *Server) Log() string { return s.log.String() }
