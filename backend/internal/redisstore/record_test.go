package redisstore

import (
	"errors"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
)

func TestRecordText(t *testing.T) {
	until := time.UnixMilli(1_700_000_060_000)
	tests := []struct {
		r    session.Record
		text string
	}{
		{session.Record{Op: session.Joined, Token: "tok-en_1", Conn: "c1"}, "Jtok-en_1 c1"},
		{session.Record{Op: session.Joined, Seat: 1, Token: "t", Conn: "c1"}, "Jt c1 1"},
		{session.Record{Op: session.Joined, Seat: 1, Token: "t", Conn: "c1", At: until}, "Jt c1 1 @1700000060000"},
		{session.Record{Op: session.Moved, Column: 6, At: until}, "M6 @1700000060000"},
		{session.Record{Op: session.NewRound, At: until}, "N @1700000060000"},
		{session.Record{Op: session.TimedOut, Seat: 1, At: until}, "T1 @1700000060000"},
		{session.Record{Op: session.TookBack, Column: 2}, "B2"},
		{session.Record{Op: session.Held, Seat: 1, Conn: "c2"}, "H1 c2"},
		{session.Record{Op: session.Left, Seat: 0, At: until}, "L0 1700000060000"},
		{session.Record{Op: session.Moved, Column: 6}, "M6"},
		{session.Record{Op: session.Offered, Seat: 1}, "O1"},
		{session.Record{Op: session.NewRound}, "N"},
		{session.Record{Op: session.Abandoned, Seat: 0}, "A0"},
		{session.Record{Op: session.Closed}, "C"},
	}
	for _, tt := range tests {
		if got := encode(tt.r); got != tt.text {
			t.Errorf("encode(%+v) = %q, want %q", tt.r, got, tt.text)
		}
		got, err := decode(tt.text)
		if err != nil || !got.At.Equal(tt.r.At) {
			t.Errorf("decode(%q) = %+v, %v; want %+v", tt.text, got, err, tt.r)
			continue
		}
		got.At = tt.r.At
		if got != tt.r {
			t.Errorf("decode(%q) = %+v, want %+v", tt.text, got, tt.r)
		}
	}
}

func TestParseRecordRefuses(t *testing.T) {
	for _, text := range []string{"", "X", "M", "Mx", "H2 c", "H0", "L0 soon", "Jtoken", "Jt c 2", "Jt c 1 x", "N extra", "M3 @soon", "T", "T2 @1", "O1 2", "M3\nM4"} {
		if r, err := decode(text); !errors.Is(err, session.ErrBadRecord) {
			t.Errorf("decode(%q) = %+v, %v; want ErrBadRecord", text, r, err)
		}
	}
}
