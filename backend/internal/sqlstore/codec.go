package sqlstore

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
)

// The records are kept as bytes: a match's log is its records one after the
// other, and a journal entry is the records of one transaction, each with
// its match and position. A record is its Op, its seat, then its column,
// token, connection and time as varints and length-prefixed strings.

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

// entry is one record of a journal entry.
type entry struct {
	match string
	seq   int
	rec   session.Record
}

// appendEntry appends e's bytes to b.
func appendEntry(b []byte, e entry) []byte {
	b = appendString(b, e.match)
	b = binary.AppendUvarint(b, uint64(e.seq))
	return appendRecord(b, e.rec)
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

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
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

// entries reads a journal entry.
func entries(data []byte) ([]entry, error) {
	r := reader{b: data}
	var es []entry
	for len(r.b) > 0 && r.err == nil {
		e := entry{match: r.string(), seq: int(r.uvarint())}
		e.rec = r.record()
		es = append(es, e)
	}
	return es, r.err
}
