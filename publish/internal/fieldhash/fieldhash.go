// Package fieldhash names content by its fields: a SHA-256 of length-prefixed
// fields, so ("ab", "c") and ("a", "bc") differ. The site's record of what it
// built and the press kit's cache key what they hold by such sums.
package fieldhash

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strconv"
	"time"
)

// Hash gathers fields. Small fields are collected in a buffer and hashed in
// blocks: most are a few bytes, and one Write per field cost more than the
// hashing; a large one (a body, a picture) goes to the hash without a copy.
type Hash struct {
	h   hash.Hash
	buf []byte
}

// New returns a Hash of parts, each a field.
func New(parts ...string) *Hash {
	h := &Hash{h: sha256.New(), buf: make([]byte, 0, 1024)}
	for _, p := range parts {
		h.Str(p)
	}
	return h
}

// Bytes adds b as one field.
func (h *Hash) Bytes(b []byte) *Hash {
	h.buf = binary.LittleEndian.AppendUint64(h.buf, uint64(len(b)))
	if len(h.buf)+len(b) > cap(h.buf) {
		h.h.Write(h.buf)
		h.buf = h.buf[:0]
		if len(b) > cap(h.buf) {
			h.h.Write(b)
			return h
		}
	}
	h.buf = append(h.buf, b...)
	return h
}

// Str adds s as one field.
func (h *Hash) Str(s string) *Hash {
	if len(h.buf)+8+len(s) > cap(h.buf) {
		return h.Bytes([]byte(s))
	}
	h.buf = binary.LittleEndian.AppendUint64(h.buf, uint64(len(s)))
	h.buf = append(h.buf, s...)
	return h
}

// Int adds n as one field.
func (h *Hash) Int(n int) *Hash { return h.Str(strconv.Itoa(n)) }

// Time adds t as one field: its instant and its zone's offset, which a page
// showing the time as written depends on; the zero time is a field of its own.
func (h *Hash) Time(t time.Time) *Hash {
	b, _ := t.MarshalBinary()
	return h.Bytes(b)
}

// Sum is the sum of the fields added so far, as 32 hex digits (128 bits: a
// name, not a signature). More fields may be added after it.
func (h *Hash) Sum() string {
	h.h.Write(h.buf)
	h.buf = h.buf[:0]
	return hex.EncodeToString(h.h.Sum(nil)[:16])
}
