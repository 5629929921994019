package loadgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/connect4go/connect4/shared/protocol"
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

// parseEvent reads msg, one JSON object, into e, with the protocol's own
// scanner (protocol.ScanObject). It is tolerant of what the servers written
// for the tutorial may send (spaces, any order of keys, fields it does not
// know, which it skips) and strict about the fields it reads: "column" and
// "row" must be integers and the strings strings. It allocates only for
// strings with escapes.
func parseEvent(msg []byte, e *event) error {
	*e = event{}
	if err := protocol.ScanObject(msg, e.set); err != nil {
		if errors.Is(err, errMalformed) {
			return err // from set, which names the field
		}
		return fmt.Errorf("%w: %v: %.80q", errMalformed, err, msg)
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
