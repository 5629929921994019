package local_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// A step of a match: a command of the page, or the computer's move (when
// cmd is nil) in the position moves; the events it answers and whether the
// computer is to move next.
type step struct {
	cmd    protocol.Command
	moves  string
	column int
	want   []protocol.Event
	think  bool
}

// message returns the Error that the server sends for err.
func message(err error) protocol.Error {
	e, _ := protocol.ErrorFor(err)
	return e
}

const red, yellow = connect4.Red, connect4.Yellow

func started(level string, p connect4.Player) protocol.Started {
	return protocol.Started{Watch: local.Key, Token: local.Key, Mode: protocol.Computer, Level: level, Player: p}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"a game to the player's win", []step{
			{cmd: protocol.Init{Mode: protocol.Computer, Level: "easy", Version: 3}, want: []protocol.Event{started("easy", red)}},
			{cmd: protocol.Play{Column: 0}, want: []protocol.Event{protocol.Played{Player: red, Column: 0}}, think: true},
			{moves: "1", column: 1, want: []protocol.Event{protocol.Played{Player: yellow, Column: 1}}},
			{cmd: protocol.Play{Column: 0}, want: []protocol.Event{protocol.Played{Player: red, Column: 0, Row: 1}}, think: true},
			{moves: "121", column: 1, want: []protocol.Event{protocol.Played{Player: yellow, Column: 1, Row: 1}}},
			{cmd: protocol.Play{Column: 0}, want: []protocol.Event{protocol.Played{Player: red, Column: 0, Row: 2}}, think: true},
			{moves: "12121", column: 1, want: []protocol.Event{protocol.Played{Player: yellow, Column: 1, Row: 2}}},
			{cmd: protocol.Play{Column: 0}, want: []protocol.Event{
				protocol.Played{Player: red, Column: 0, Row: 3},
				protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: 0, Row: 0}, {Column: 0, Row: 1}, {Column: 0, Row: 2}, {Column: 0, Row: 3}}},
			}},
			{cmd: protocol.Play{Column: 3}, want: []protocol.Event{message(connect4.ErrGameOver)}},
			{cmd: protocol.Rematch{}, want: []protocol.Event{started("easy", yellow)}, think: true},
			{moves: "", column: 3, want: []protocol.Event{protocol.Played{Player: red, Column: 3}}},
		}},
		{"the computer opens for a yellow player", []step{
			{cmd: protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow}, want: []protocol.Event{started("perfect", yellow)}, think: true},
			{cmd: protocol.Play{Column: 3}, want: []protocol.Event{message(connect4.ErrNotYourTurn)}},
			{moves: "", column: 3, want: []protocol.Event{protocol.Played{Player: red, Column: 3}}},
			{moves: "", column: 3}, // asked twice: the second is stale
			{cmd: protocol.Play{Column: 3}, want: []protocol.Event{protocol.Played{Player: yellow, Column: 3, Row: 1}}, think: true},
		}},
		{"take-back", []step{
			{cmd: protocol.Init{Mode: protocol.Computer, Level: "medium"}, want: []protocol.Event{started("medium", red)}},
			{cmd: protocol.TakeBack{}, want: []protocol.Event{message(protocol.ErrNoTakeBack)}},
			{cmd: protocol.Play{Column: 3}, want: []protocol.Event{protocol.Played{Player: red, Column: 3}}, think: true},
			{moves: "4", column: 2, want: []protocol.Event{protocol.Played{Player: yellow, Column: 2}}},
			{cmd: protocol.Play{Column: 4}, want: []protocol.Event{protocol.Played{Player: red, Column: 4}}, think: true},
			// Taken back before the computer's reply came: the reply is stale.
			{cmd: protocol.TakeBack{}, want: []protocol.Event{protocol.Snapshot{Moves: []int{3, 2}}}},
			{moves: "435", column: 0},
			{cmd: protocol.TakeBack{}, want: []protocol.Event{protocol.Snapshot{Moves: []int{}}}},
		}},
		{"refusals", []step{
			{cmd: protocol.Play{Column: 3}, want: []protocol.Event{message(protocol.ErrNotInGame)}},
			{cmd: protocol.Ping{}, want: []protocol.Event{protocol.Pong{}}},
			{cmd: protocol.Resume{Token: local.Key}, want: []protocol.Event{message(protocol.ErrTokenExpired)}},
			{cmd: protocol.Init{Mode: protocol.HotSeat}, want: []protocol.Event{message(protocol.ErrGameNotFound)}},
			{cmd: protocol.Init{Watch: "KEY"}, want: []protocol.Event{message(protocol.ErrGameNotFound)}},
			{moves: "", column: 3},
			{cmd: protocol.Init{Mode: protocol.Computer, Level: "easy"}, want: []protocol.Event{started("easy", red)}},
			{cmd: protocol.Init{Mode: protocol.Computer, Level: "easy"}, want: []protocol.Event{message(protocol.ErrInGame)}},
			{cmd: protocol.Play{Column: 7}, want: []protocol.Event{message(connect4.ErrNoColumn)}},
			{cmd: protocol.Seek{}, want: []protocol.Event{message(protocol.ErrNotInGame)}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m local.Match
			for i, s := range tt.steps {
				var got []protocol.Event
				var think bool
				if s.cmd != nil {
					got, think = m.Handle(s.cmd)
				} else {
					got, think = m.Moved(s.moves, s.column)
				}
				if !reflect.DeepEqual(got, s.want) || think != s.think {
					t.Fatalf("step %d (%#v, moves %q): got %#v, think %v; want %#v, think %v", i, s.cmd, s.moves, got, think, s.want, s.think)
				}
			}
		})
	}
}

func TestFailed(t *testing.T) {
	var m local.Match
	m.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow})
	if got := m.Failed("4"); got != nil {
		t.Errorf("Failed in a position that is gone: %v", got)
	}
	want := []protocol.Event{protocol.Error{Message: local.ComputerFailed}}
	if got := m.Failed(""); !reflect.DeepEqual(got, want) {
		t.Errorf("Failed: %v, want %v", got, want)
	}
	if m.Moves() != "" || m.Level() != "perfect" {
		t.Errorf("Moves %q, Level %q", m.Moves(), m.Level())
	}
}

func TestPlayable(t *testing.T) {
	tests := []struct {
		hello protocol.Command
		want  bool
	}{
		{protocol.Init{Mode: protocol.Computer, Level: "easy"}, true},
		{protocol.Init{Mode: protocol.HotSeat}, false},
		{protocol.Init{}, false},
		{protocol.Init{Mode: protocol.Computer, Watch: "KEY"}, false},
		{protocol.Resume{Token: "T"}, false},
		{protocol.Seek{}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := local.Playable(tt.hello); got != tt.want {
			t.Errorf("Playable(%#v) = %v, want %v", tt.hello, got, tt.want)
		}
	}
}

// TestSaveLoad keeps a match and takes it up again: the Resume of Key
// answers with its Started, its moves and its result, and the computer is
// asked to move if it is its turn; anything Save did not write is refused.
func TestSaveLoad(t *testing.T) {
	var m local.Match
	if m.Save() != "" {
		t.Errorf("a match not started saved as %q", m.Save())
	}
	m.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow})
	m.Moved("", 3)
	m.Handle(protocol.Play{Column: 3})
	saved := m.Save()
	if saved != "perfect yellow 44" {
		t.Fatalf("saved %q", saved)
	}
	n, err := local.Load(saved)
	if err != nil {
		t.Fatal(err)
	}
	events, think := n.Handle(protocol.Resume{Token: local.Key, Version: 4})
	want := []protocol.Event{started("perfect", yellow), protocol.Snapshot{Moves: []int{3, 3}}}
	if !reflect.DeepEqual(events, want) || !think {
		t.Errorf("resumed: %+v, think %v; want %+v and the computer to move", events, think, want)
	}
	if events, _ := n.Moved("44", 2); !reflect.DeepEqual(events, []protocol.Event{protocol.Played{Player: red, Column: 2}}) {
		t.Errorf("the computer's move after the resume: %+v", events)
	}
	if events, _ := n.Handle(protocol.Resume{Token: "other"}); !reflect.DeepEqual(events, []protocol.Event{message(protocol.ErrTokenExpired)}) {
		t.Errorf("a resume with another token: %+v", events)
	}

	// A game that ended comes back with its result.
	won, err := local.Load("easy red 1212121")
	if err != nil {
		t.Fatal(err)
	}
	events, think = won.Handle(protocol.Resume{Token: local.Key})
	wantWon := []protocol.Event{started("easy", red), protocol.Snapshot{Moves: []int{0, 1, 0, 1, 0, 1, 0}},
		protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: 0, Row: 0}, {Column: 0, Row: 1}, {Column: 0, Row: 2}, {Column: 0, Row: 3}}}}
	if !reflect.DeepEqual(events, wantWon) || think {
		t.Errorf("resumed after the end: %+v, think %v; want %+v", events, think, wantWon)
	}
	if s := won.Save(); s != "easy red 1212121" {
		t.Errorf("saved again as %q", s)
	}

	for _, bad := range []string{"", "easy", "easy red", "easy blue 4", "easy red 48", "easy red 12121211", "easy red 1111111", " red 4", "easy red 4 4"} {
		if _, err := local.Load(bad); !errors.Is(err, local.ErrSaved) {
			t.Errorf("Load(%q): %v, want ErrSaved", bad, err)
		}
	}
	// A match with no move yet.
	if _, err := local.Load("medium red "); err != nil {
		t.Errorf("a match with no move: %v", err)
	}
}
