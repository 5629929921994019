package game

import (
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// TakeBack returns the [protocol.TakeBack] that the "Take back" button sends:
// on a shared screen, the last move; against the computer, the page's last
// move, with the computer's reply if it came. The server answers with a
// Snapshot of the moves left. It returns false when the button is not shown.
func (s *State) TakeBack() (protocol.Command, bool) {
	if !s.canTakeBack() {
		return nil, false
	}
	s.moving = true // until the server answers
	return protocol.TakeBack{}, true
}

// canTakeBack reports whether the page may take a move back now.
func (s *State) canTakeBack() bool {
	if s.link != open || !s.started || s.moving || s.held != nil || !s.holder() || s.stopped != "" {
		return false
	}
	switch s.mode {
	case protocol.HotSeat:
		return s.cur.board.Len() > 0
	case protocol.Computer:
		for _, m := range s.cur.board.Moves() {
			if m.Player == s.player && s.player != connect4.NoPlayer {
				return true
			}
		}
	}
	return false
}
