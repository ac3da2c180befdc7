// Package ascii finds where plain printable ASCII ends in a text, many bytes at a
// time: every release of every command is scanned for what must not be in it, and
// nearly all of a release is plain ASCII.
package ascii

import (
	"encoding/binary"
	"math/bits"
)

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// Plain returns the length of the longest prefix of b that is printable ASCII,
// 0x20 to 0x7e: the index of the first byte that is a control character, DEL, or
// part of a multi-byte character.
func Plain(b []byte) int {
	i := 0
	for ; len(b)-i >= 32; i += 32 {
		c := b[i : i+32 : i+32]
		le := binary.LittleEndian
		m0, m1, m2, m3 := other(le.Uint64(c[0:8])), other(le.Uint64(c[8:16])), other(le.Uint64(c[16:24])), other(le.Uint64(c[24:32]))
		if m0|m1|m2|m3 != 0 {
			switch {
			case m0 != 0:
				return i + first(m0)
			case m1 != 0:
				return i + 8 + first(m1)
			case m2 != 0:
				return i + 16 + first(m2)
			}
			return i + 24 + first(m3)
		}
	}
	for ; len(b)-i >= 8; i += 8 {
		if m := other(binary.LittleEndian.Uint64(b[i : i+8])); m != 0 {
			return i + first(m)
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c > 0x7e {
			return i
		}
	}
	return i
}

// PlainString is Plain for a string.
func PlainString(s string) int {
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		if m := other(load(s[i : i+8])); m != 0 {
			return i + first(m)
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return i
		}
	}
	return i
}

// first is the index of the first byte other marks. Borrows and carries only run
// from a marked byte to the bytes after it, so the first mark is always a true one.
func first(m uint64) int { return bits.TrailingZeros64(m) >> 3 }

// other is non-zero when a byte of w is not printable ASCII: one below 0x20 gets
// its high bit set in w-0x20…, one of 0x7f or more in w+0x01…. Borrows and carries
// between bytes can only set more high bits, never clear the one that tells.
func other(w uint64) uint64 {
	return ((w + ones) | (w - 0x20*ones)) & high
}

// load reads eight bytes of s, little-endian (the compiler makes it one load).
func load(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
