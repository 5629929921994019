package redisstore

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
)

// The records of a match are kept in Redis, and published, as text: the
// record's Op, then its fields separated by spaces, then, for a record of a
// timed game stamped with its time, "@" and the time in Unix milliseconds.
// Keys and connection ids hold no spaces.

// encode returns the text of r, from which decode reads it back.
func encode(r session.Record) string {
	s := string(r.Op)
	switch r.Op {
	case session.Joined:
		s += r.Token + " " + r.Conn
		if r.Seat != 0 {
			s += " " + strconv.Itoa(r.Seat) // who plays red first, in a quick match
		}
	case session.Held:
		s += strconv.Itoa(r.Seat) + " " + r.Conn
	case session.Left:
		s += strconv.Itoa(r.Seat) + " " + strconv.FormatInt(r.At.UnixMilli(), 10)
	case session.Moved, session.TookBack:
		s += strconv.Itoa(r.Column)
	case session.Offered, session.Abandoned, session.TimedOut:
		s += strconv.Itoa(r.Seat)
	}
	if r.Op != session.Left && !r.At.IsZero() {
		s += " @" + strconv.FormatInt(r.At.UnixMilli(), 10)
	}
	return s
}

// arity counts the fields of each kind of record.
var arity = map[session.Op]int{
	session.Joined: 2, session.Held: 2, session.Left: 2, session.Moved: 1,
	session.Offered: 1, session.Abandoned: 1, session.NewRound: 0, session.Closed: 0, session.TimedOut: 1, session.TookBack: 1,
}

// decode reads back a record from its text.
func decode(s string) (session.Record, error) {
	bad := fmt.Errorf("%w: %q", session.ErrBadRecord, s)
	if s == "" {
		return session.Record{}, bad
	}
	r := session.Record{Op: session.Op(s[0])}
	args := strings.Fields(s[1:])
	if last := len(args) - 1; last >= 0 && strings.HasPrefix(args[last], "@") && r.Op != session.Left {
		ms, err := strconv.ParseInt(args[last][1:], 10, 64)
		if err != nil {
			return session.Record{}, bad
		}
		r.At, args = time.UnixMilli(ms), args[:last]
	}
	n, ok := arity[r.Op]
	if r.Op == session.Joined && len(args) == 3 {
		n = 3 // with the seat that plays red first
	}
	if !ok || len(args) != n || strings.ContainsAny(s, "\n") {
		return session.Record{}, bad
	}
	var err error
	switch r.Op {
	case session.Joined:
		r.Token, r.Conn = args[0], args[1]
		if len(args) == 3 {
			r.Seat, err = seatOf(args[2])
		}
	case session.Held:
		r.Seat, err = seatOf(args[0])
		r.Conn = args[1]
	case session.Left:
		r.Seat, err = seatOf(args[0])
		var ms int64
		if err == nil {
			ms, err = strconv.ParseInt(args[1], 10, 64)
		}
		r.At = time.UnixMilli(ms)
	case session.Moved, session.TookBack:
		r.Column, err = strconv.Atoi(args[0])
	case session.Offered, session.Abandoned, session.TimedOut:
		r.Seat, err = seatOf(args[0])
	}
	if err != nil {
		return session.Record{}, bad
	}
	return r, nil
}

func seatOf(s string) (int, error) {
	switch s {
	case "0":
		return 0, nil
	case "1":
		return 1, nil
	}
	return 0, session.ErrBadRecord
}
