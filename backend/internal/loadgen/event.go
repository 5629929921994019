package loadgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// errMalformed is a message from the server that is not a flat JSON object
// with the fields its type needs.
var errMalformed = errors.New("loadgen: malformed event")

// kind is the type of an event, among those of the tutorial (and this
// project's "draw").
type kind uint8

const (
	kindOther kind = iota // a type the tutorial does not have
	kindPlay
	kindWin
	kindDraw
	kindError
	kindInit
)

// event is a message from the server, read by [parseEvent]. Its byte slices
// point into the message, or hold unescaped copies of its strings.
type event struct {
	kind         kind
	typ          []byte // the "type", as sent
	player       []byte
	column, row  int
	hasColumn    bool
	hasRow       bool
	join, watch  []byte
	message      []byte
	cells        []byte // the raw JSON of a win's "cells", this project's addition
	hasPlayer    bool
	hasJoin      bool
	hasWatch     bool
	hasCellsJSON bool
}

// The keys of the fields that the tutorial's events use.
var (
	keyType    = []byte("type")
	keyPlayer  = []byte("player")
	keyColumn  = []byte("column")
	keyRow     = []byte("row")
	keyJoin    = []byte("join")
	keyWatch   = []byte("watch")
	keyMessage = []byte("message")
	keyCells   = []byte("cells")
)

// The types of the tutorial's events.
var kinds = []struct {
	name []byte
	kind kind
}{
	{[]byte("play"), kindPlay},
	{[]byte("win"), kindWin},
	{[]byte("draw"), kindDraw},
	{[]byte("error"), kindError},
	{[]byte("init"), kindInit},
}

// parseEvent reads msg, one JSON object, into e. It is tolerant of what the
// servers written for the tutorial may send (spaces, any order of keys,
// fields it does not know, which it skips) and strict about the fields it
// reads: "column" and "row" must be integers and the strings strings. It
// allocates only for strings with escapes.
func parseEvent(msg []byte, e *event) error {
	*e = event{}
	s := scanner{b: msg}
	s.space()
	if !s.take('{') {
		return fmt.Errorf("%w: not a JSON object: %.80q", errMalformed, msg)
	}
	s.space()
	if !s.take('}') {
		for {
			s.space()
			key, err := s.str()
			if err != nil {
				return err
			}
			s.space()
			if !s.take(':') {
				return s.fail("a colon")
			}
			s.space()
			start := s.i
			if err := s.value(0); err != nil {
				return err
			}
			if err := e.set(key, msg[start:s.i]); err != nil {
				return err
			}
			s.space()
			if s.take('}') {
				break
			}
			if !s.take(',') {
				return s.fail("a comma or a closing brace")
			}
		}
	}
	s.space()
	if s.i != len(msg) {
		return s.fail("the end of the message")
	}
	if e.typ == nil {
		return fmt.Errorf("%w: no \"type\": %.80q", errMalformed, msg)
	}
	for _, k := range kinds {
		if bytes.Equal(e.typ, k.name) {
			e.kind = k.kind
		}
	}
	return nil
}

// set records the raw JSON value v of key.
func (e *event) set(key, v []byte) error {
	var err error
	switch {
	case bytes.Equal(key, keyType):
		e.typ, err = stringValue(key, v)
	case bytes.Equal(key, keyPlayer):
		e.player, err = stringValue(key, v)
		e.hasPlayer = true
	case bytes.Equal(key, keyColumn):
		e.column, err = intValue(key, v)
		e.hasColumn = true
	case bytes.Equal(key, keyRow):
		e.row, err = intValue(key, v)
		e.hasRow = true
	case bytes.Equal(key, keyJoin):
		e.join, err = stringValue(key, v)
		e.hasJoin = true
	case bytes.Equal(key, keyWatch):
		e.watch, err = stringValue(key, v)
		e.hasWatch = true
	case bytes.Equal(key, keyMessage):
		e.message, err = stringValue(key, v)
	case bytes.Equal(key, keyCells):
		e.cells, e.hasCellsJSON = v, true
	}
	return err
}

// stringValue returns the content of the JSON string v, unescaped.
func stringValue(key, v []byte) ([]byte, error) {
	if len(v) < 2 || v[0] != '"' {
		return nil, fmt.Errorf("%w: %q is %s, not a string", errMalformed, key, v)
	}
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("%w: %q: %v", errMalformed, key, err)
	}
	return []byte(s), nil
}

// intValue returns the JSON number v, which must be a whole number written
// without a fraction or an exponent.
func intValue(key, v []byte) (int, error) {
	n, err := strconv.Atoi(string(v)) // does not allocate
	if err != nil {
		return 0, fmt.Errorf("%w: %q is %s, not a whole number", errMalformed, key, v)
	}
	return n, nil
}

// maxDepth bounds the nesting of the values that parseEvent skips.
const maxDepth = 16

// scanner walks through JSON text.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) fail(want string) error {
	if s.i >= len(s.b) {
		return fmt.Errorf("%w: the message ends where %s should be: %.80q", errMalformed, want, s.b)
	}
	return fmt.Errorf("%w: %q at byte %d where %s should be: %.80q", errMalformed, s.b[s.i], s.i, want, s.b)
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *scanner) take(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str skips a string and returns its raw content, between the quotes.
func (s *scanner) str() ([]byte, error) {
	if !s.take('"') {
		return nil, s.fail("a string")
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], nil
		case c == '\\':
			s.i += 2
		case c < 0x20:
			return nil, s.fail("no control character in a string")
		default:
			s.i++
		}
	}
	return nil, s.fail("the end of a string")
}

// value skips one JSON value at nesting depth.
func (s *scanner) value(depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: nested deeper than %d", errMalformed, maxDepth)
	}
	if s.i >= len(s.b) {
		return s.fail("a value")
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		s.i++
		s.space()
		if s.take(end) {
			return nil
		}
		for {
			s.space()
			if c == '{' {
				if _, err := s.str(); err != nil {
					return err
				}
				s.space()
				if !s.take(':') {
					return s.fail("a colon")
				}
				s.space()
			}
			if err := s.value(depth + 1); err != nil {
				return err
			}
			s.space()
			if s.take(end) {
				return nil
			}
			if !s.take(',') {
				return s.fail("a comma")
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	}
	for _, word := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(s.b[s.i:], []byte(word)) {
			s.i += len(word)
			return nil
		}
	}
	return s.fail("a value")
}

// number skips a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() error {
	s.take('-')
	if !s.take('0') && s.digits() == 0 {
		return s.fail("a digit")
	}
	if s.take('.') && s.digits() == 0 {
		return s.fail("a digit")
	}
	if s.take('e') || s.take('E') {
		if !s.take('+') {
			s.take('-')
		}
		if s.digits() == 0 {
			return s.fail("a digit")
		}
	}
	return nil
}

// digits skips digits and returns how many.
func (s *scanner) digits() int {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i - start
}
