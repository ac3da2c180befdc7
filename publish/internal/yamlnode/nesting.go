package yamlnode

// nesting returns how deeply src nests, counting flow collections ([ and {) and
// block levels (indentation and "- " entries), and the line where it is deepest.
// It reads bytes once, without parsing: its job is to refuse input too deep to hand
// to the parser, so it errs on the side of counting (a [ inside a plain scalar
// counts too, which only matters past MaxDepth of them).
func nesting(src []byte) (line, depth int) {
	var indents []int // indentation of the open block levels
	flow := 0         // open [ and {
	num := 1
	deepest := func(d int) {
		if d > depth {
			depth, line = d, num
		}
	}
	for i := 0; i < len(src); {
		// The start of a line: its indentation and "- " entries.
		col := 0
		for i < len(src) && src[i] == ' ' {
			i++
			col++
		}
		if i >= len(src) {
			break
		}
		if flow == 0 && src[i] != '\n' && src[i] != '#' && src[i] != '\r' {
			for len(indents) > 0 && indents[len(indents)-1] >= col {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, col)
			for i+1 < len(src) && src[i] == '-' && (src[i+1] == ' ' || src[i+1] == '\n') {
				i += 2
				col += 2
				for i < len(src) && src[i] == ' ' {
					i++
					col++
				}
				indents = append(indents, col)
			}
			deepest(len(indents))
		}
		// The rest of the line: flow collections, outside quotes and comments. A
		// quote starts a scalar only where a value starts; elsewhere (it's) it is text.
		valueStart := true
		for i < len(src) && src[i] != '\n' {
			c := src[i]
			if c == '"' || c == '\'' {
				if !valueStart {
					i++
					continue
				}
			}
			switch c {
			case ' ', '\t':
				i++
				continue
			case ':', '-', ',', '[', '{', '?':
				valueStart = true
			default:
				valueStart = false
			}
			switch c {
			case '[', '{':
				flow++
				deepest(len(indents) + flow)
			case ']', '}':
				if flow > 0 {
					flow--
				}
			case '"', '\'':
				// A quoted scalar may span lines; skip to its end.
				for i++; i < len(src) && src[i] != c; i++ {
					if c == '"' && src[i] == '\\' {
						i++
					}
					if i < len(src) && src[i] == '\n' {
						num++
					}
				}
			case '#':
				if i == 0 || src[i-1] == ' ' || src[i-1] == '\t' {
					for i < len(src) && src[i] != '\n' {
						i++
					}
					continue
				}
			}
			i++
		}
		i++
		num++
	}
	return line, depth
}
