package session_test

import (
	"slices"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

func played(p connect4.Player, column, row int) protocol.Event {
	return protocol.Played{Player: p, Column: column, Row: row}
}

func refused(message string) protocol.Event { return protocol.Error{Message: message} }

func TestHotSeat(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	tests := []struct {
		name    string
		columns []int
		want    []protocol.Event
	}{
		{
			name:    "red wins vertically",
			columns: []int{3, 4, 3, 4, 3, 4, 3},
			want: []protocol.Event{
				played(red, 3, 0), played(yellow, 4, 0), played(red, 3, 1), played(yellow, 4, 1),
				played(red, 3, 2), played(yellow, 4, 2), played(red, 3, 3),
				protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: 3, Row: 0}, {Column: 3, Row: 1}, {Column: 3, Row: 2}, {Column: 3, Row: 3}}},
			},
		},
		{
			name:    "a full column is refused and the same player moves again",
			columns: []int{0, 0, 0, 0, 0, 0, 0, 1},
			want: []protocol.Event{
				played(red, 0, 0), played(yellow, 0, 1), played(red, 0, 2), played(yellow, 0, 3),
				played(red, 0, 4), played(yellow, 0, 5), refused("This slot is full."), played(red, 1, 0),
			},
		},
		{
			name:    "no move after the win",
			columns: []int{0, 1, 0, 1, 0, 1, 0, 1},
			want: []protocol.Event{
				played(red, 0, 0), played(yellow, 1, 0), played(red, 0, 1), played(yellow, 1, 1),
				played(red, 0, 2), played(yellow, 1, 2), played(red, 0, 3),
				protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: 0, Row: 0}, {Column: 0, Row: 1}, {Column: 0, Row: 2}, {Column: 0, Row: 3}}},
				refused("The game is over: start a new one to play again."),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub, _ := newHub()
			conn := &recorder{}
			client := hub.Connect(conn, "")
			defer client.Close()
			for _, c := range tt.columns {
				client.Handle(protocol.Play{Column: c})
			}
			if got := conn.take(); !slices.Equal(got, tt.want) {
				t.Errorf("events:\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestHotSeatDraw(t *testing.T) {
	drawn := []int{5, 4, 5, 0, 6, 2, 4, 5, 5, 0, 4, 1, 1, 0, 4, 5, 6, 5, 3, 1, 1, 2, 2, 6, 2, 6, 6, 3, 6, 2, 0, 3, 0, 3, 3, 4, 3, 1, 4, 2, 1, 0}
	hub, _ := newHub()
	conn := &recorder{}
	client := hub.Connect(conn, "")
	defer client.Close()
	for _, c := range drawn {
		client.Handle(protocol.Play{Column: c})
	}
	got := conn.take()
	if len(got) != len(drawn)+1 || got[len(got)-1] != (protocol.Draw{}) {
		t.Errorf("got %d events ending in %v; want %d plays and a draw", len(got), got[len(got)-1], len(drawn))
	}
}

func TestRefuse(t *testing.T) {
	hub, _ := newHub()
	conn := &recorder{}
	client := hub.Connect(conn, "")
	defer client.Close()
	client.Refuse(protocol.ErrBinary)
	want := []protocol.Event{refused("Binary messages are not supported: send JSON text.")}
	if got := conn.take(); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestGamesAreSeparate(t *testing.T) {
	hub, _ := newHub()
	a, b := &recorder{}, &recorder{}
	ca, cb := hub.Connect(a, ""), hub.Connect(b, "")
	ca.Handle(protocol.Play{Column: 2})
	cb.Handle(protocol.Play{Column: 5})
	ca.Handle(protocol.Play{Column: 2})
	if got, want := a.take(), []protocol.Event{played(connect4.Red, 2, 0), played(connect4.Yellow, 2, 1)}; !slices.Equal(got, want) {
		t.Errorf("first game: %v, want %v", got, want)
	}
	if got, want := b.take(), []protocol.Event{played(connect4.Red, 5, 0)}; !slices.Equal(got, want) {
		t.Errorf("second game: %v, want %v", got, want)
	}
	if got := hub.Stats(); got != (session.Stats{Clients: 2, Matches: 2}) {
		t.Errorf("Stats() = %+v with two games", got)
	}
	ca.Close()
	cb.Close()
	cb.Close() // closing twice is harmless
	cb.Handle(protocol.Play{Column: 1})
	if got := b.take(); len(got) != 0 {
		t.Errorf("a closed client was sent %v", got)
	}
	// The tutorial's hot-seat games have no resume token: they end at once.
	if got := hub.Stats(); got != (session.Stats{}) {
		t.Errorf("Stats() = %+v after everyone left, want zero", got)
	}
}
