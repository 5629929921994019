package protocol

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects in a message.
const maxDepth = 64

// ScanObject reads data, which must be valid UTF-8, as exactly one JSON object,
// the way the decoders of this package read a message, and calls member with
// each key and raw value, both sub-slices of data (a key is unescaped first if
// it has escapes); it stops at the first error member returns, and returns it
// as it is. It refuses anything else with an error wrapping ErrMalformed or
// ErrDuplicateKey: other JSON values, invalid JSON, data after the object,
// nesting deeper than 64 levels and keys given twice. It allocates nothing for
// keys without escapes.
//
// It exists because encoding/json, besides allocating and weighing a megabyte
// in the browser's wasm, matches keys regardless of case and keeps the last of
// repeated keys, neither of which a protocol that refuses ambiguous messages
// can allow.
func ScanObject(data []byte, member func(key, value []byte) error) error {
	s := scanner{data: data}
	s.space()
	if !s.take('{') {
		return fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	var seen [16][]byte // the keys so far, to refuse repeats; more spill to extra
	var extra [][]byte
	n := 0
	s.space()
	if !s.take('}') {
		for {
			s.space()
			keyStart := s.i
			if err := s.string(); err != nil {
				return err
			}
			key, err := unquote(data[keyStart:s.i])
			if err != nil {
				return err
			}
			for i := range min(n, len(seen)) {
				if bytes.Equal(seen[i], key) {
					return fmt.Errorf("%w: %q", ErrDuplicateKey, key)
				}
			}
			for _, k := range extra {
				if bytes.Equal(k, key) {
					return fmt.Errorf("%w: %q", ErrDuplicateKey, key)
				}
			}
			if n < len(seen) {
				seen[n] = key
			} else {
				extra = append(extra, key)
			}
			n++
			s.space()
			if !s.take(':') {
				return s.fail("a colon after a key")
			}
			s.space()
			valueStart := s.i
			if err := s.value(1); err != nil {
				return err
			}
			if err := member(key, data[valueStart:s.i]); err != nil {
				return err
			}
			s.space()
			if s.take('}') {
				break
			}
			if !s.take(',') {
				return s.fail("a comma or the end of the object")
			}
		}
	}
	s.space()
	if s.i != len(data) {
		return fmt.Errorf("%w: data after the object", ErrMalformed)
	}
	return nil
}

// scanArray reads data as exactly one JSON array and calls elem with each
// element, a sub-slice of data, stopping at the first error elem returns.
func scanArray(data []byte, elem func(value []byte) error) error {
	s := scanner{data: data}
	s.space()
	if !s.take('[') {
		return fmt.Errorf("%w: not a JSON array", ErrMalformed)
	}
	s.space()
	if !s.take(']') {
		for {
			s.space()
			start := s.i
			if err := s.value(1); err != nil {
				return err
			}
			if err := elem(data[start:s.i]); err != nil {
				return err
			}
			s.space()
			if s.take(']') {
				break
			}
			if !s.take(',') {
				return s.fail("a comma or the end of the array")
			}
		}
	}
	s.space()
	if s.i != len(data) {
		return fmt.Errorf("%w: data after the array", ErrMalformed)
	}
	return nil
}

// unquote returns the text of quoted, a JSON string that the scanner has
// checked: a sub-slice without its quotes when it has no escapes, else a
// decoded copy, in which a \u escape of half a surrogate pair becomes U+FFFD,
// as encoding/json decodes it.
func unquote(quoted []byte) ([]byte, error) {
	inner := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	out := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); {
		c := inner[i]
		i++
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i >= len(inner) {
			return nil, fmt.Errorf("%w: a string ends in a backslash", ErrMalformed)
		}
		e := inner[i]
		i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(inner[i:])
			if !ok {
				return nil, fmt.Errorf("%w: a bad \\u escape", ErrMalformed)
			}
			i += 4
			if utf16.IsSurrogate(r) {
				low, ok := rune(0), false
				if i+6 <= len(inner) && inner[i] == '\\' && inner[i+1] == 'u' {
					low, ok = hex4(inner[i+2:])
				}
				if pair := utf16.DecodeRune(r, low); ok && pair != utf8.RuneError {
					r = pair
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, fmt.Errorf("%w: unknown escape \\%c", ErrMalformed, e)
		}
	}
	return out, nil
}

// hex4 reads four hex digits.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// scanner reads JSON from data[i:].
type scanner struct {
	data []byte
	i    int
}

func (s *scanner) fail(want string) error {
	if s.i >= len(s.data) {
		return fmt.Errorf("%w: the message ends where %s should be", ErrMalformed, want)
	}
	return fmt.Errorf("%w: %q at byte %d where %s should be", ErrMalformed, s.data[s.i], s.i, want)
}

// take skips c if it comes next.
func (s *scanner) take(c byte) bool {
	if s.i < len(s.data) && s.data[s.i] == c {
		s.i++
		return true
	}
	return false
}

// space skips white space.
func (s *scanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// literal skips word if it comes next.
func (s *scanner) literal(word string) bool {
	if bytes.HasPrefix(s.data[s.i:], []byte(word)) {
		s.i += len(word)
		return true
	}
	return false
}

// value skips one JSON value at nesting depth.
func (s *scanner) value(depth int) error {
	if s.i >= len(s.data) {
		return s.fail("a value")
	}
	switch c := s.data[s.i]; {
	case c == '"':
		return s.string()
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return fmt.Errorf("%w: nested deeper than %d", ErrMalformed, maxDepth)
		}
		return s.container(depth + 1)
	case s.literal("true"), s.literal("false"), s.literal("null"):
		return nil
	}
	return s.fail("a value")
}

// container skips an array or an object.
func (s *scanner) container(depth int) error {
	object := s.data[s.i] == '{'
	end := byte(']')
	if object {
		end = '}'
	}
	s.i++
	s.space()
	if s.take(end) {
		return nil
	}
	for {
		s.space()
		if object {
			if err := s.string(); err != nil {
				return err
			}
			s.space()
			if !s.take(':') {
				return s.fail("a colon after a key")
			}
			s.space()
		}
		if err := s.value(depth); err != nil {
			return err
		}
		s.space()
		if s.take(end) {
			return nil
		}
		if !s.take(',') {
			return s.fail("a comma or the end")
		}
	}
}

// string skips a JSON string.
func (s *scanner) string() error {
	if !s.take('"') {
		return s.fail("a string")
	}
	for s.i < len(s.data) {
		c := s.data[s.i]
		s.i++
		switch {
		case c == '"':
			return nil
		case c < 0x20:
			return fmt.Errorf("%w: a control character in a string", ErrMalformed)
		case c == '\\':
			if s.i >= len(s.data) {
				return s.fail("an escape")
			}
			e := s.data[s.i]
			s.i++
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for range 4 {
					if s.i >= len(s.data) || !isHex(s.data[s.i]) {
						return s.fail("a hex digit")
					}
					s.i++
				}
			default:
				return fmt.Errorf("%w: unknown escape \\%c", ErrMalformed, e)
			}
		}
	}
	return s.fail("the end of the string")
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// number skips a JSON number.
func (s *scanner) number() error {
	s.take('-')
	switch {
	case s.take('0'):
	case s.digits() == 0:
		return s.fail("a digit")
	}
	if s.take('.') && s.digits() == 0 {
		return s.fail("a digit after the point")
	}
	if s.take('e') || s.take('E') {
		if !s.take('+') {
			s.take('-')
		}
		if s.digits() == 0 {
			return s.fail("a digit in the exponent")
		}
	}
	return nil
}

// digits skips decimal digits and says how many.
func (s *scanner) digits() int {
	start := s.i
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
		s.i++
	}
	return s.i - start
}
