package xtext

import "strings"

// ideographicDots are the separators punycode.js reads as ".". Built once: a
// replacer costs more to build than to run, and every URL in every post comes here.
var ideographicDots = strings.NewReplacer("\u3002", ".", "\uFF0E", ".", "\uFF61", ".")

// punycodeToASCII is punycode.js 1.4.1 toASCII, which twitter-text uses to check
// the length of a host label: every dot-separated part holding a character
// outside printable ASCII becomes "xn--" and its RFC 3492 encoding.
func punycodeToASCII(s string) string {
	s = ideographicDots.Replace(s)
	parts := strings.Split(s, ".")
	for i, p := range parts {
		for _, r := range p {
			if r < 0x20 || r > 0x7E {
				parts[i] = "xn--" + punycodeEncode([]rune(p))
				break
			}
		}
	}
	return strings.Join(parts, ".")
}

// punycodeEncode is the encoding procedure of RFC 3492 section 6.3.
func punycodeEncode(input []rune) string {
	const (
		base        = 36
		tmin        = 1
		tmax        = 26
		initialBias = 72
		initialN    = 128
	)
	var out []byte
	for _, r := range input {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := rune(initialN), 0, initialBias
	for h < len(input) {
		m := rune(0x7FFFFFFF)
		for _, r := range input {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range input {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := k - bias
				if t < tmin {
					t = tmin
				} else if t > tmax {
					t = tmax
				}
				if q < t {
					break
				}
				out = append(out, punycodeDigit(t+(q-t)%(base-t)))
				q = (q - t) / (base - t)
			}
			out = append(out, punycodeDigit(q))
			bias = punycodeAdapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

func punycodeDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punycodeAdapt(delta, points int, first bool) int {
	const (
		base = 36
		tmin = 1
		tmax = 26
		skew = 38
		damp = 700
	)
	if first {
		delta /= damp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > ((base-tmin)*tmax)/2 {
		delta /= base - tmin
		k += base
	}
	return k + (base-tmin+1)*delta/(delta+skew)
}
