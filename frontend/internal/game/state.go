// Package game holds the state of the Connect Four page, apart from any browser:
// the board as the server reports it, whose turn it is, the messages to show and
// the state of the connection.
//
// The server is the referee. The page sends a [protocol.Play] for every click
// while it can play and shows what the server answers: a [State] applies the
// server's events to a mirror of the game and describes the page to paint as a
// [View]. Time never passes inside this package: the caller says when an error
// has been shown long enough (see [State.ExpireError]) and how long until the
// next attempt to reconnect (see [State.Lost]), so that everything here is tested
// without sleeping.
package game

import (
	"fmt"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// link is the state of the connection to the server.
type link int

const (
	connecting link = iota // opening, or about to
	open                   // open: moves can be sent
	lost                   // dropped, waiting to reconnect
)

// State is the state of the page: the game as the server reports it, the status
// line, the hovered column and the connection.
//
// The zero value is a new game whose connection is opening. A State is not safe
// for concurrent use.
type State struct {
	board connect4.Game // the server's game, mirrored from its Played events

	// From the server's Win and Draw events. The mirror reaches the same result
	// from the moves, but the server's word is final.
	winner  connect4.Player
	line    [4]connect4.Cell
	hasLine bool
	draw    bool

	errMsg string // the error being shown, or ""
	errSeq uint64 // numbers every error shown, from 1

	notice  string // news shown until the next move, or ""
	desync  bool   // an event disagreed with the mirror
	link    link
	dropped bool          // the connection was lost since the game began
	retryIn time.Duration // while lost: how long until the next attempt
	// unreachable reports that the connection was lost before it opened.
	unreachable bool

	hovered bool
	hover   int // the column under the pointer, when hovered
}

// The status line's sentences that are not built from a player's name.
const (
	drawText   = "It's a draw!"
	desyncText = "Out of sync with the server. Press “New game” to start again."
	// newGameNotice opens the status line after a reconnection that lost moves:
	// the server's game lives and dies with its connection.
	newGameNotice = "The connection dropped, so a new game began."
)

// Apply updates the state with an event from the server. A [protocol.Played]
// that the mirrored game cannot play as reported puts the state out of sync: the
// status says so and clicks are off until [State.Reset].
//
// For a [protocol.Error], Apply returns the error's sequence number, to pass to
// [State.ExpireError] a few seconds later; for other events it returns 0.
func (s *State) Apply(e protocol.Event) (errSeq uint64) {
	switch e := e.(type) {
	case protocol.Played:
		s.played(e)
	case protocol.Win:
		s.winner = e.Player
		s.line, s.hasLine = e.Cells, validLine(e.Cells)
		if !s.hasLine && s.board.Winner() == e.Player {
			// The tutorial's server sends no cells: find them on the mirror.
			s.line, s.hasLine = s.board.WinningLine()
		}
	case protocol.Draw:
		s.draw = true
	case protocol.Error:
		return s.ShowError(e.Message)
	}
	return 0
}

// played applies an accepted move to the mirror.
func (s *State) played(e protocol.Played) {
	s.errMsg, s.notice = "", ""
	m, err := s.board.Play(e.Player, e.Column)
	if err != nil || m.Row != e.Row {
		s.desync = true
	}
}

// validLine reports whether cells are four distinct cells on the board, and not
// the zero value sent for a win without cells.
func validLine(cells [4]connect4.Cell) bool {
	for i, c := range cells {
		if c.Column < 0 || c.Column >= connect4.Columns || c.Row < 0 || c.Row >= connect4.Rows {
			return false
		}
		for _, d := range cells[:i] {
			if c == d {
				return false
			}
		}
	}
	return true
}

// ShowError shows message in the status line in place of the usual text, until
// the next move, [State.Reset], or a call to [State.ExpireError] with the
// sequence number it returns. It is for problems the page finds itself, such as
// a message from the server it cannot read; Apply calls it for a
// [protocol.Error].
func (s *State) ShowError(message string) (seq uint64) {
	s.errSeq++
	s.errMsg = message
	return s.errSeq
}

// ExpireError stops showing the error numbered seq, if it is still shown: an
// error that a newer one replaced stays until its own expiry.
func (s *State) ExpireError(seq uint64) {
	if seq == s.errSeq {
		s.errMsg = ""
	}
}

// Click returns the command that a click on column sends: a [protocol.Play]
// while the connection is open and the game goes on, even into a full column or
// out of turn, since the server is the referee and its error is shown. It
// returns false when there is nothing to send.
func (s *State) Click(column int) (protocol.Command, bool) {
	if !s.playable() || column < 0 || column >= connect4.Columns {
		return nil, false
	}
	return protocol.Play{Column: column}, true
}

// Hover records the column under the pointer, or -1 (or any other number off
// the board) when there is none. While the game can be played, the cell where
// the next checker would land in that column shows a preview.
func (s *State) Hover(column int) {
	s.hovered = column >= 0 && column < connect4.Columns
	s.hover = column
}

// Connecting records that a connection to the server is being opened.
func (s *State) Connecting() {
	s.link = connecting
}

// Opened records that the connection is open, so that moves can be sent. If an
// earlier connection was lost, the server has forgotten its game: the board is
// cleared and, if moves were lost, the status line says that a new game began.
func (s *State) Opened() {
	if s.dropped {
		hadMoves := s.board.Len() > 0
		s.Reset()
		if hadMoves {
			s.notice = newGameNotice
		}
	}
	s.link = open
}

// Lost records that the connection dropped, or failed to open, and that the
// next attempt to connect is in retryIn; call it again to count down.
func (s *State) Lost(retryIn time.Duration) {
	if s.link != lost {
		s.unreachable = s.link == connecting
	}
	s.link = lost
	s.dropped = true
	s.retryIn = retryIn
}

// Reset clears the board and every message for a new game; the state of the
// connection stays. The server ties a game to its connection, so the caller
// opens a new one for the new game.
func (s *State) Reset() {
	*s = State{link: s.link, errSeq: s.errSeq, hovered: s.hovered, hover: s.hover}
}

// over reports whether the game has ended, by the server's word or by the
// mirror's.
func (s *State) over() bool {
	return s.winner != connect4.NoPlayer || s.draw || s.board.Over()
}

// playable reports whether a click can send a move now.
func (s *State) playable() bool {
	return s.link == open && !s.desync && !s.over()
}

// View returns what the page shows now.
func (s *State) View() View {
	var v View
	for c := range connect4.Columns {
		for r := range connect4.Rows {
			v.Cells[c][r].Checker = s.board.At(c, r)
		}
	}
	if m, ok := s.board.LastMove(); ok {
		v.Cells[m.Column][m.Row].Last = true
	}
	line, hasLine := s.line, s.hasLine
	if s.winner == connect4.NoPlayer {
		line, hasLine = s.board.WinningLine()
	}
	if hasLine {
		for _, c := range line {
			v.Cells[c.Column][c.Row].Win = true
		}
	}
	v.Playable = s.playable()
	if v.Playable && s.hovered && s.board.CanPlay(s.hover) {
		v.Cells[s.hover][s.board.Height(s.hover)].Preview = s.board.Turn()
	}
	v.Status, v.Kind, v.Player = s.status()
	v.Connection = s.connection()
	return v
}

// status returns the status line, its kind and the player it is about.
func (s *State) status() (string, Kind, connect4.Player) {
	winner := s.winner
	if winner == connect4.NoPlayer {
		winner = s.board.Winner()
	}
	turn := s.board.Turn()
	switch {
	case s.desync:
		return desyncText, KindError, connect4.NoPlayer
	case s.errMsg != "":
		return s.errMsg, KindError, connect4.NoPlayer
	case winner != connect4.NoPlayer:
		return name(winner) + " wins!", KindWin, winner
	case s.draw || s.board.Draw():
		return drawText, KindDraw, connect4.NoPlayer
	case s.notice != "":
		return s.notice + " " + name(turn) + " to play.", KindInfo, turn
	}
	return name(turn) + " to play", KindTurn, turn
}

// connection returns the connection banner's text, or "" when all is well.
func (s *State) connection() string {
	switch s.link {
	case connecting:
		if s.dropped {
			return "Reconnecting…"
		}
		return "Connecting…"
	case lost:
		what, again := "Connection lost.", "Reconnecting"
		if s.unreachable {
			what, again = "Cannot reach the server.", "Retrying"
		}
		if s.retryIn <= 0 {
			return what + " " + again + "…"
		}
		// Round up: "in 0 s" would be wrong while time remains.
		secs := (s.retryIn + time.Second - 1) / time.Second
		return fmt.Sprintf("%s %s in %d s…", what, again, secs)
	}
	return ""
}

// name returns a player's name for a sentence: "Red" or "Yellow".
func name(p connect4.Player) string {
	switch p {
	case connect4.Red:
		return "Red"
	case connect4.Yellow:
		return "Yellow"
	}
	return "Nobody"
}
