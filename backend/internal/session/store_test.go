package session_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

func TestRecordText(t *testing.T) {
	until := time.UnixMilli(1_700_000_060_000)
	tests := []struct {
		r    session.Record
		text string
	}{
		{session.Record{Op: session.Joined, Token: "tok-en_1", Conn: "c1"}, "Jtok-en_1 c1"},
		{session.Record{Op: session.Held, Seat: 1, Conn: "c2"}, "H1 c2"},
		{session.Record{Op: session.Left, Seat: 0, Until: until}, "L0 1700000060000"},
		{session.Record{Op: session.Moved, Column: 6}, "M6"},
		{session.Record{Op: session.Offered, Seat: 1}, "O1"},
		{session.Record{Op: session.NewRound}, "N"},
		{session.Record{Op: session.Abandoned, Seat: 0}, "A0"},
		{session.Record{Op: session.Closed}, "C"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.text {
			t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.text)
		}
		got, err := session.ParseRecord(tt.text)
		if err != nil || !got.Until.Equal(tt.r.Until) {
			t.Errorf("ParseRecord(%q) = %+v, %v; want %+v", tt.text, got, err, tt.r)
			continue
		}
		got.Until = tt.r.Until
		if got != tt.r {
			t.Errorf("ParseRecord(%q) = %+v, want %+v", tt.text, got, tt.r)
		}
	}
}

func TestParseRecordRefuses(t *testing.T) {
	for _, text := range []string{"", "X", "M", "Mx", "H2 c", "H0", "L0 soon", "Jtoken", "N extra", "O1 2", "M3\nM4"} {
		if r, err := session.ParseRecord(text); !errors.Is(err, session.ErrBadRecord) {
			t.Errorf("ParseRecord(%q) = %+v, %v; want ErrBadRecord", text, r, err)
		}
	}
}

func TestMemStore(t *testing.T) {
	ctx := context.Background()
	s := session.NewMemStore()
	h := session.Header{ID: "watch", Mode: protocol.Friends, Join: "join", Token: "t0", Conn: "c0"}
	if err := s.Create(ctx, h); err != nil {
		t.Fatal(err)
	}
	find := func(kind session.KeyKind, key string, want error) {
		t.Helper()
		id, err := s.Find(ctx, kind, key)
		if !errors.Is(err, want) || (err == nil && id != "watch") {
			t.Errorf("Find(%s, %q) = %q, %v; want watch, %v", kind, key, id, err, want)
		}
	}
	find(session.JoinKey, "join", nil)
	find(session.WatchKey, "watch", nil)
	find(session.TokenKey, "t0", nil)
	find(session.TokenKey, "t1", session.ErrNotFound)
	find(session.JoinKey, "watch", session.ErrNotFound)

	if err := s.Append(ctx, "watch", 0, session.Record{Op: session.Joined, Token: "t1", Conn: "c1"}); err != nil {
		t.Fatal(err)
	}
	find(session.TokenKey, "t1", nil)
	if err := s.Append(ctx, "watch", 0, session.Record{Op: session.Moved, Column: 3}); !errors.Is(err, session.ErrConflict) {
		t.Errorf("Append at a taken position: %v, want ErrConflict", err)
	}
	if err := s.Append(ctx, "watch", 1, session.Record{Op: session.Moved, Column: 3}); err != nil {
		t.Errorf("Append at the end: %v", err)
	}
	s.Drop(ctx, "watch")
	find(session.TokenKey, "t1", session.ErrNotFound)
	find(session.WatchKey, "watch", session.ErrNotFound)
	if err := s.Append(ctx, "watch", 2, session.Record{Op: session.Moved, Column: 3}); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Append to a dropped match: %v, want ErrNotFound", err)
	}
}
