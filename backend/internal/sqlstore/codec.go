package sqlstore

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// The records are kept as bytes: a match's log is its records one after the
// other. A record is its Op, its seat, then its column, token, connection
// and time as varints and length-prefixed strings. The journal's frames
// (journal.go) hold changes: a new match, records appended, a match dropped.

// appendRecord appends r's bytes to b.
func appendRecord(b []byte, r session.Record) []byte {
	b = append(b, byte(r.Op), byte(r.Seat))
	b = binary.AppendVarint(b, int64(r.Column))
	b = appendString(b, r.Token)
	b = appendString(b, r.Conn)
	return binary.AppendVarint(b, millis(r.At))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// reader reads what the appendX functions wrote; its first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("%w: truncated or damaged bytes", session.ErrBadRecord)
	}
	r.b = nil
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string { return string(r.bytes()) }

// bytes reads a string, as the frame holds it.
func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) byte() byte {
	if len(r.b) < 1 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// skipRecord reads past a record and returns its Op, and the token of a
// Joined record.
func (r *reader) skipRecord() (op session.Op, token string) {
	if len(r.b) < 2 {
		r.fail()
		return 0, ""
	}
	op = session.Op(r.b[0])
	r.b = r.b[2:]
	r.varint()
	if op == session.Joined {
		token = r.string()
	} else {
		r.skipString()
	}
	r.skipString()
	r.varint()
	return op, token
}

func (r *reader) skipString() {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return
	}
	r.b = r.b[n:]
}

func (r *reader) record() session.Record {
	if len(r.b) < 2 {
		r.fail()
		return session.Record{}
	}
	rec := session.Record{Op: session.Op(r.b[0]), Seat: int(r.b[1])}
	r.b = r.b[2:]
	rec.Column = int(r.varint())
	rec.Token = r.string()
	rec.Conn = r.string()
	if ms := r.varint(); ms != 0 {
		rec.At = time.UnixMilli(ms)
	}
	return rec
}

// records reads a match's log.
func records(log []byte) ([]session.Record, error) {
	r := reader{b: log}
	var recs []session.Record
	for len(r.b) > 0 && r.err == nil {
		recs = append(recs, r.record())
	}
	return recs, r.err
}

// A journal frame is the changes of one write: when (Unix milliseconds, a
// varint), then each change (one, as this package writes them), its op (as
// a request's) and its fields:
//
//	'c' a new match: id, mode, join key, token, connection, level, clock, yellow
//	'a' records appended: match, position, count, the records
//	'd' a match dropped: match

// change is one change of a journal frame, as read back. The records of
// an 'a' are left as bytes: a fold copies them to the match's log as they
// are.
type change struct {
	op     byte
	head   session.Header // of 'c'
	id     string
	at     int      // of 'a': the position of the first record
	n      int      // of 'a': how many records
	log    []byte   // of 'a': the records, as a match's log holds them
	tokens []string // of 'a': the tokens of the Joined records
}

// appendChange appends r's change to b.
func appendChange(b []byte, r *request) []byte {
	b = append(b, r.op)
	b = appendString(b, r.id)
	switch r.op {
	case 'c':
		h := r.head
		for _, s := range []string{string(h.Mode), h.Join, h.Token, h.Conn, h.Level, h.Clock.String()} {
			b = appendString(b, s)
		}
		if h.Yellow {
			return append(b, 1)
		}
		return append(b, 0)
	case 'a':
		b = binary.AppendUvarint(b, uint64(r.at))
		b = binary.AppendUvarint(b, uint64(len(r.recs)))
		for _, rec := range r.recs {
			b = appendRecord(b, rec)
		}
	}
	return b
}

// decoder reads the frames of a journal segment one after the other. It
// reuses the room of a frame's changes for the next frame's, and makes one
// string of a match's id for the whole segment, not one a frame: a fold
// reads a frame a move. The zero value is ready to use.
type decoder struct {
	cs  []change
	ids map[string]string
}

// changes reads a journal frame. The changes are good until the next call.
func (d *decoder) changes(frame []byte) (at time.Time, cs []change, err error) {
	r := reader{b: frame}
	at = time.UnixMilli(r.varint())
	cs = d.cs[:0]
	for len(r.b) > 0 && r.err == nil {
		c := change{op: r.byte(), id: d.id(r.bytes())}
		switch c.op {
		case 'c':
			c.head = session.Header{ID: c.id, Mode: protocol.Mode(r.string()), Join: r.string(), Token: r.string(), Conn: r.string(), Level: r.string()}
			clock, err := protocol.ParseTimeControl(r.string())
			if err != nil {
				r.fail()
			}
			c.head.Clock, c.head.Yellow = clock, r.byte() == 1
		case 'a':
			c.at = int(r.uvarint())
			n := r.uvarint()
			if n > uint64(len(r.b)) { // a record takes a byte at least
				r.fail()
				break
			}
			c.n = int(n)
			start := r.b
			for range c.n {
				if op, token := r.skipRecord(); op == session.Joined {
					c.tokens = append(c.tokens, token)
				}
			}
			if r.err == nil {
				c.log = start[:len(start)-len(r.b)]
			}
		case 'd':
		default:
			r.fail()
		}
		cs = append(cs, c)
	}
	d.cs = cs
	return at, cs, r.err
}

// id returns b as a string, the same string for the same id.
func (d *decoder) id(b []byte) string {
	if id, ok := d.ids[string(b)]; ok {
		return id
	}
	if d.ids == nil {
		d.ids = make(map[string]string)
	}
	id := string(b)
	d.ids[id] = id
	return id
}
