// Package local referees the games that the page plays alone, without the
// game server: a game against the computer when the server cannot be
// reached. It speaks the server's protocol, commands in and events out, so
// that the page shows such a game as it shows any other; the computer's
// moves come from the page's worker, which the caller asks when a method
// says the computer is to move.
//
// A game played alone has no spectators and no other device, which need
// the server; the page keeps it in the browser ([Match.Save], [Load]) to
// take it up again after a reload, with the Resume of [Key].
package local

import (
	"errors"
	"strings"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// Key is the watch key and the resume token of every game played alone:
// no one can follow it or take its seat elsewhere.
const Key = "in-browser"

// Playable reports whether the page can play the game that hello starts
// alone: a new game against the computer.
func Playable(hello protocol.Command) bool {
	init, ok := hello.(protocol.Init)
	return ok && init.Mode == protocol.Computer && init.Join == "" && init.Watch == ""
}

// Match is a game against the computer played alone, and the rematches
// that follow it, as the server plays one: the colours swap at each new
// game. The zero value has not started: its first command must be the Init
// that Playable accepts. A Match is not safe for concurrent use.
type Match struct {
	started bool
	level   string
	player  connect4.Player // the page's colour in this game
	game    connect4.Game
}

// Handle returns the events that answer cmd, and reports whether the
// computer is to move: the caller then asks for its move in [Match.Moves]
// at [Match.Level], and passes it to [Match.Moved].
func (m *Match) Handle(cmd protocol.Command) (events []protocol.Event, think bool) {
	switch cmd := cmd.(type) {
	case protocol.Ping:
		return []protocol.Event{protocol.Pong{}}, false
	case protocol.Init:
		if m.started {
			return refuse(protocol.ErrInGame)
		}
		if !Playable(cmd) {
			return refuse(protocol.ErrGameNotFound)
		}
		m.started, m.level, m.player = true, cmd.Level, cmd.Player
		if m.player == connect4.NoPlayer {
			m.player = connect4.Red
		}
		return m.begin()
	case protocol.Resume:
		if !m.started || cmd.Token != Key {
			return refuse(protocol.ErrTokenExpired)
		}
		return m.resume()
	}
	if !m.started {
		return refuse(protocol.ErrNotInGame)
	}
	switch cmd := cmd.(type) {
	case protocol.Play:
		return m.play(m.player, cmd.Column)
	case protocol.Rematch:
		// Against the computer a new game starts at once, as on the server.
		m.player = m.player.Other()
		m.game = connect4.Game{}
		return m.begin()
	case protocol.TakeBack:
		return m.takeBack()
	}
	return refuse(protocol.ErrNotInGame)
}

// Moved plays the computer's column in the position moves, as [Match.Moves]
// named it when the caller asked. It returns nothing for a position that is
// gone (a move taken back, a new game): that move is no longer wanted.
func (m *Match) Moved(moves string, column int) (events []protocol.Event, think bool) {
	if moves != m.Moves() || !m.computerToMove() {
		return nil, false
	}
	return m.play(m.player.Other(), column)
}

// Failed returns the events that tell the player that the computer could not
// choose its move in the position moves.
func (m *Match) Failed(moves string) []protocol.Event {
	if moves != m.Moves() || !m.computerToMove() {
		return nil
	}
	return []protocol.Event{protocol.Error{Message: ComputerFailed}}
}

// ComputerFailed is the error a player is shown when the computer cannot
// move in the page.
const ComputerFailed = "The computer could not move in this browser: take back your move or start a new game."

// Moves returns the position as the page's worker names it: each column's
// number from 1 to 7, in the order played.
func (m *Match) Moves() string {
	var b strings.Builder
	for _, mv := range m.game.Moves() {
		b.WriteByte(byte('1' + mv.Column))
	}
	return b.String()
}

// Level returns the computer's level.
func (m *Match) Level() string { return m.level }

// ErrSaved is what Load returns for a text that Save did not write.
var ErrSaved = errors.New("local: not a saved match")

// Save returns the match as a line of text to keep, for [Load] to take up
// again: the level, the page's colour and the moves, such as "perfect
// yellow 4453"; "" for a match not started.
func (m *Match) Save() string {
	if !m.started {
		return ""
	}
	return m.level + " " + m.player.String() + " " + m.Moves()
}

// Load returns the match that [Match.Save] wrote as s, started: its first
// command is the Resume of [Key], which it answers with the game so far. It
// returns an error wrapping ErrSaved for anything else.
func Load(s string) (Match, error) {
	// strings.Cut rather than Split, which would weigh on app.wasm.
	level, rest, ok1 := strings.Cut(s, " ")
	colour, moves, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || level == "" || strings.Contains(moves, " ") {
		return Match{}, ErrSaved
	}
	m := Match{started: true, level: level}
	switch colour {
	case connect4.Red.String():
		m.player = connect4.Red
	case connect4.Yellow.String():
		m.player = connect4.Yellow
	default:
		return Match{}, ErrSaved
	}
	for _, ch := range moves {
		if _, err := m.game.Play(m.game.Turn(), int(ch-'1')); err != nil || ch < '1' || ch > '7' {
			return Match{}, ErrSaved
		}
	}
	return m, nil
}

// resume returns the events that take a page back into the match: its
// Started, the moves so far, and its result if it ended.
func (m *Match) resume() ([]protocol.Event, bool) {
	events, _ := m.begin()
	moves := m.game.Moves()
	events = append(events, protocol.Snapshot{Moves: columnsOf(moves)})
	if len(moves) > 0 {
		// The result, after the last move's Played, which the Snapshot
		// replaces.
		events = append(events, protocol.Result(&m.game, moves[len(moves)-1])[1:]...)
	}
	return events, m.computerToMove()
}

// begin returns the Started of a new game.
func (m *Match) begin() ([]protocol.Event, bool) {
	started := protocol.Started{Watch: Key, Token: Key, Mode: protocol.Computer, Level: m.level, Player: m.player}
	return []protocol.Event{started}, m.computerToMove()
}

// computerToMove reports whether the game goes on with the computer to move.
func (m *Match) computerToMove() bool {
	return m.started && !m.game.Over() && m.game.Turn() == m.player.Other()
}

// play plays p's column.
func (m *Match) play(p connect4.Player, column int) ([]protocol.Event, bool) {
	mv, err := m.game.Play(p, column)
	if err != nil {
		return refuse(err)
	}
	return protocol.Result(&m.game, mv), m.computerToMove()
}

// takeBack takes back the player's last move, with the computer's reply if
// it came.
func (m *Match) takeBack() ([]protocol.Event, bool) {
	moves := m.game.Moves()
	last := -1
	for i, mv := range moves {
		if mv.Player == m.player {
			last = i
		}
	}
	if last < 0 {
		return refuse(protocol.ErrNoTakeBack)
	}
	columns := columnsOf(moves[:last])
	g, err := connect4.Replay(columns...)
	if err != nil {
		return refuse(err) // cannot happen: these moves were played
	}
	m.game = *g
	return []protocol.Event{protocol.Snapshot{Moves: columns}}, m.computerToMove()
}

// columnsOf returns the columns of moves, in order.
func columnsOf(moves []connect4.Move) []int {
	columns := make([]int, len(moves))
	for i, mv := range moves {
		columns[i] = mv.Column
	}
	return columns
}

// refuse returns the Error that tells why a command was refused.
func refuse(err error) ([]protocol.Event, bool) {
	e, _ := protocol.ErrorFor(err)
	return []protocol.Event{e}, false
}
