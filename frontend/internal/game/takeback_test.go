package game

import (
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestTakeBack checks the "Take back" button: shown on a shared screen and
// against the computer once there is a move to take back, never between two
// browsers; the server's Snapshot sets the board back, result and all.
func TestTakeBack(t *testing.T) {
	hot := opened(plays(t, 0, 1, 0, 1, 0, 1, 0)) // red wins
	if v := hot.View(); !v.TakeBack || v.Kind != KindWin {
		t.Fatalf("a won hot-seat game: %+v", v)
	}
	cmd, ok := hot.TakeBack()
	if !ok || encode(t, cmd) != `{"type":"takeback"}` {
		t.Fatalf("TakeBack() = %v, %v", cmd, ok)
	}
	if _, again := hot.TakeBack(); again || hot.View().TakeBack {
		t.Error("a second take-back before the server answered")
	}
	hot.Apply(protocol.Snapshot{Moves: []int{0, 1, 0, 1, 0, 1}})
	if v := hot.View(); !v.TakeBack || v.Kind != KindTurn || v.Status != "Red to play" || !v.Playable {
		t.Errorf("after the take-back: %+v", v)
	}

	computer := versus(connect4.Yellow, protocol.Played{Player: connect4.Red, Column: 3})
	if computer.View().TakeBack {
		t.Error("take-back offered before any move of the player's")
	}
	computer.Apply(protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1})
	if !computer.View().TakeBack {
		t.Error("no take-back after the player's move")
	}
	if seated(connect4.Red, online(connect4.Yellow), protocol.Played{Player: connect4.Red, Column: 3}).View().TakeBack {
		t.Error("take-back between two browsers")
	}
}
