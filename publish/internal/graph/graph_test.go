package graph

import "testing"

func TestProofKnownVector(t *testing.T) {
	// RFC 4231 test case 2: key "Jefe".
	const want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := Proof("what do ya want for nothing?", "Jefe"); got != want {
		t.Fatalf("Proof = %s; want %s", got, want)
	}
}
