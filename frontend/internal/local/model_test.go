package local_test

import (
	"slices"
	"testing"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
	"pgregory.net/rapid"
)

// pageModel is what a page knows of a match played alone: the board it
// mirrors from the events, its colour, and the position in which it asked
// the computer for a move, if it waits for one.
type pageModel struct {
	m       local.Match
	board   connect4.Game
	player  connect4.Player
	pending string // the position of the move asked for, or ""
	asked   bool   // a move is asked for
	old     []string
}

// apply applies events to the page's mirror, as the page does, and fails
// on any the mirror cannot follow.
func (p *pageModel) apply(t *rapid.T, events []protocol.Event, think bool) {
	for _, e := range events {
		switch e := e.(type) {
		case protocol.Started:
			p.board, p.player = connect4.Game{}, e.Player
		case protocol.Played:
			mv, err := p.board.Play(e.Player, e.Column)
			if err != nil || mv.Row != e.Row {
				t.Fatalf("the mirror cannot play %+v: %v", e, err)
			}
		case protocol.Win:
			if p.board.Winner() != e.Player {
				t.Fatalf("%+v, but the mirror's winner is %v", e, p.board.Winner())
			}
		case protocol.Draw:
			if !p.board.Draw() {
				t.Fatal("a draw, not on the mirror")
			}
		case protocol.Snapshot:
			g, err := connect4.Replay(e.Moves...)
			if err != nil {
				t.Fatalf("snapshot %v: %v", e.Moves, err)
			}
			p.board = *g
		case protocol.Error:
		default:
			t.Fatalf("unexpected event %#v", e)
		}
	}
	if think {
		if p.asked {
			p.old = append(p.old, p.pending)
		}
		p.pending, p.asked = p.m.Moves(), true
	}
}

// TestMatchModel drives a match with random commands and computer moves,
// some stale, and checks after each step that the page's mirror shows the
// referee's game, and that the computer is asked for a move exactly when
// it is its turn.
func TestMatchModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := &pageModel{}
		colour := rapid.SampledFrom([]connect4.Player{connect4.NoPlayer, connect4.Red, connect4.Yellow}).Draw(t, "colour")
		events, think := p.m.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: colour})
		p.apply(t, events, think)
		t.Repeat(map[string]func(*rapid.T){
			"play": func(t *rapid.T) {
				before := p.board
				events, think := p.m.Handle(protocol.Play{Column: rapid.IntRange(0, 6).Draw(t, "column")})
				if _, refused := events[0].(protocol.Error); refused && think {
					t.Fatal("a refused move asks for the computer's")
				}
				p.apply(t, events, think)
				if _, refused := events[0].(protocol.Error); refused && p.board.Len() != before.Len() {
					t.Fatal("a refused move changed the board")
				}
			},
			"computer": func(t *rapid.T) {
				if !p.asked {
					t.Skip("no move asked for")
				}
				moves := p.pending
				p.asked = false
				var columns []int
				for c := range connect4.Columns {
					if p.board.CanPlay(c) {
						columns = append(columns, c)
					}
				}
				events, think := p.m.Moved(moves, rapid.SampledFrom(columns).Draw(t, "column"))
				p.apply(t, events, think)
			},
			"stale computer": func(t *rapid.T) {
				if len(p.old) == 0 {
					t.Skip("no stale move")
				}
				moves := rapid.SampledFrom(p.old).Draw(t, "stale")
				if p.asked && moves == p.pending {
					t.Skip("the same position is asked again")
				}
				events, think := p.m.Moved(moves, rapid.IntRange(0, 6).Draw(t, "column"))
				if len(events) > 0 || think {
					t.Fatalf("a stale move of %q was played: %v", moves, events)
				}
			},
			"rematch": func(t *rapid.T) {
				was := p.player
				if p.asked {
					p.old, p.asked = append(p.old, p.pending), false
				}
				events, think := p.m.Handle(protocol.Rematch{})
				p.apply(t, events, think)
				if p.player != was.Other() {
					t.Fatalf("colour %v after a rematch, was %v", p.player, was)
				}
			},
			"take back": func(t *rapid.T) {
				events, think := p.m.Handle(protocol.TakeBack{})
				if _, ok := events[0].(protocol.Snapshot); ok && p.asked {
					p.old, p.asked = append(p.old, p.pending), false
				}
				p.apply(t, events, think)
			},
			"": func(t *rapid.T) {
				var moves []byte
				for _, mv := range p.board.Moves() {
					moves = append(moves, byte('1'+mv.Column))
				}
				if string(moves) != p.m.Moves() {
					t.Fatalf("the page shows %q, the referee has %q", moves, p.m.Moves())
				}
				computersTurn := !p.board.Over() && p.board.Turn() == p.player.Other()
				if computersTurn != p.asked {
					t.Fatalf("the computer's turn %v, a move asked for %v (board %q)", computersTurn, p.asked, moves)
				}
				if p.asked && slices.Contains(p.old, p.pending) && p.pending != p.m.Moves() {
					t.Fatal("the pending position is not the referee's")
				}
			},
		})
	})
}
