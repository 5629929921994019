package protocol_test

import (
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// AppendEvent writes what EncodeEvent returns after what the buffer holds,
// and, into a buffer with room, without allocating.
func TestAppendEvent(t *testing.T) {
	events := []protocol.Event{
		protocol.Played{Player: connect4.Red, Column: 3, Row: 0},
		protocol.Win{Player: connect4.Yellow, Cells: [4]connect4.Cell{{Column: 0, Row: 0}, {Column: 1, Row: 1}, {Column: 2, Row: 2}, {Column: 3, Row: 3}}},
		protocol.Draw{},
		protocol.Error{Message: "This slot is full."},
		protocol.Snapshot{Moves: []int{3, 3, 4}},
	}
	for _, e := range events {
		want, err := protocol.EncodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := protocol.AppendEvent([]byte("prefix"), e)
		if err != nil || string(got) != "prefix"+string(want) {
			t.Errorf("AppendEvent(%T) = %s, %v; want prefix%s", e, got, err, want)
		}
		buf := make([]byte, 0, 256)
		if n := testing.AllocsPerRun(10, func() { buf, _ = protocol.AppendEvent(buf[:0], e) }); n != 0 {
			t.Errorf("AppendEvent(%T) into a buffer with room: %v allocations, want 0", e, n)
		}
	}
}
