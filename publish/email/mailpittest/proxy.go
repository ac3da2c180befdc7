package mailpittest

import (
	"bytes"
	"io"
	"net"
	"sync"
)

// Proxy relays SMTP to a server and can hold back the server's answer to one
// message: the message is delivered, and the sender never learns it. It is the
// moment where a process killed, or a connection lost, leaves a message whose
// fate the sender cannot know.
type Proxy struct {
	Addr string // where to connect instead of the server

	target string
	ln     net.Listener

	mu    sync.Mutex
	pass  int           // answers to let through before holding one; -1 never holds
	held  chan struct{} // closed once an answer is held
	once  sync.Once
	conns []net.Conn
}

// StartProxy relays to target. With holdAfter >= 0, the answers to the first
// holdAfter messages pass and the answer to the next one is held back, once, for
// as long as the proxy runs; holdAfter < 0 relays everything.
func StartProxy(target string, holdAfter int) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, ln: ln, pass: holdAfter, held: make(chan struct{})}
	go p.accept()
	return p, nil
}

// Held is closed once an answer has been held back: the server has answered the
// message, so it holds what it accepted (the end of the message passing through
// is not enough: the server may not have read it yet).
func (p *Proxy) Held() <-chan struct{} { return p.held }

// Close stops the proxy and every connection through it.
func (p *Proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.relay(c, s)
	}
}

// relay copies both ways; a message's end ("\r\n.\r\n" from the client) counts one,
// and when it is the one to hold, everything the server says after it is dropped.
func (p *Proxy) relay(client, server net.Conn) {
	var mu sync.Mutex
	holding := false
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 {
				mu.Lock()
				h := holding
				mu.Unlock()
				if h {
					p.once.Do(func() { close(p.held) })
				} else {
					if _, werr := client.Write(buf[:n]); werr != nil {
						return
					}
				}
			}
			if err != nil {
				if err != io.EOF {
					client.Close()
				}
				return
			}
		}
	}()
	end := []byte("\r\n.\r\n")
	var tail []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			window := append(tail, buf[:n]...)
			if ends := bytes.Count(window, end); ends > 0 && p.count(ends) {
				mu.Lock()
				holding = true
				mu.Unlock()
			}
			// Keep less than a whole end mark, so no end is counted twice.
			keep := min(len(window), len(end)-1)
			tail = append([]byte(nil), window[len(window)-keep:]...)
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			server.Close()
			return
		}
	}
}

// count notes ends finished messages and reports whether the last is the one
// whose answer is held.
func (p *Proxy) count(ends int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pass < 0 {
		return false
	}
	p.pass -= ends
	if p.pass < 0 {
		p.pass = -1 // once
		return true
	}
	return false
}
