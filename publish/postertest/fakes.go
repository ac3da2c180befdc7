package postertest

import "net/http"

// What every fake server does alike to play a Fault, whatever its platform
// answers otherwise: take the next fault of an account's script, drop the
// connection, or answer nothing.

// Next takes the first fault of a fake's script for one account, and reports
// whether there was one. The caller holds the fake's lock.
func Next[F any](script *[]F) (F, bool) {
	var f F
	if len(*script) == 0 {
		return f, false
	}
	f, *script = (*script)[0], (*script)[1:]
	return f, true
}

// Drop closes w's connection without an answer: what DropAfterRecord looks like
// to a client, whose request the platform has acted on. fake names the fake for
// the panic of a server that cannot hijack its connections.
func Drop(w http.ResponseWriter, fake string) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(fake + ": cannot drop the connection: " + err.Error())
	}
	conn.Close()
}

// Wait answers nothing until the client gives up or the fake is closed (closing):
// Hang, and RecordAndHang once the post is recorded.
func Wait(r *http.Request, closing <-chan struct{}) {
	select {
	case <-r.Context().Done():
	case <-closing:
	}
}
