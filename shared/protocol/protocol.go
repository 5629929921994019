// Package protocol defines the messages that the browser and the server exchange
// over the WebSocket, and their JSON.
//
// The wire format is the one of the python-websockets Connect Four tutorial, so
// that clients written for it keep working: each WebSocket text frame holds one
// JSON object whose "type" names the message. A [Command] goes from the browser to
// the server; an [Event] goes from the server to the browser. Both sets are closed:
// only the types of this package implement them.
//
// The package knows nothing of sockets; it turns values into bytes and back.
package protocol

import (
	"time"

	"github.com/connect4go/connect4/shared/connect4"
)

// Command is a message from a browser to the server: [Init], [Resume], [Play],
// [Rematch], [Ping], and from Version 3 on [Seek], [Cancel] and [TakeBack].
type Command interface {
	command()
}

// Event is a message from the server to a browser: [Started], [Played], [Win],
// [Draw], [Error], for clients of Version 2 on, [Snapshot], [Presence],
// [RematchOffer], [Abandoned] and [Pong], from Version 3 on [Seeking],
// [Cancelled], [Lobby], [Clock] and [Timeout], and from Version 4 on
// [Archived]. [Since] says which.
type Event interface {
	event()
}

// The versions of the protocol. A client says its version in its [Init] or
// [Resume] (a Resume without one speaks Version2; a [Seek], Version3) and is
// sent only the events its version knows
// ([Since]): the tutorial's client fails on any other type.
const (
	// Version1 is the tutorial's, the default: [Started], [Played], [Win],
	// [Draw] and [Error].
	Version1 = 1
	// Version2 adds resume, snapshots, presence, rematch offers, abandons
	// and pings.
	Version2 = 2
	// Version3 adds quick match: [Seek], [Cancel], [Seeking], and the
	// [Quick] mode.
	Version3 = 3
	// Version4 adds the games that ended, watched from the archive:
	// [Archived].
	Version4 = 4
	// Version is the protocol version of this package.
	Version = Version4
)

// Mode is the kind of game an [Init] starts.
type Mode string

// The kinds of game.
const (
	// Friends is a game between two browsers: the creator plays red and shares
	// a join key with the opponent. It is the tutorial's part 2, and the default.
	Friends Mode = "friends"
	// HotSeat is a game that one connection plays for both sides, as in the
	// tutorial's part 1, but that survives reconnections.
	HotSeat Mode = "hotseat"
	// Computer is a game against the server, at the [Init]'s Level.
	Computer Mode = "computer"
	// Quick is a game between two people whom the server paired: a [Seek]
	// starts it (Version 3).
	Quick Mode = "quick"
)

// Init starts, joins or watches a game, and must be a connection's first
// message (a connection whose first message is a Play gets a hot-seat game of
// its own, as in the tutorial's part 1).
//
// On the wire: {"type": "init"} starts a game, {"type": "init", "join": KEY}
// takes its second seat and {"type": "init", "watch": KEY} follows it; an
// optional "mode" ("friends", "hotseat" or "computer") says what to start, and
// "version": 2 asks for this package's events besides the tutorial's. A game
// against the computer also takes a "level" ("easy", "medium" or "perfect")
// and the "player" the sender plays ("red", the default, or "yellow").
type Init struct {
	Join, Watch string
	Mode        Mode            // "" means Friends
	Level       string          // for Computer
	Player      connect4.Player // for Computer: the sender's colour; NoPlayer means Red
	Clock       TimeControl     // for Friends (Version 3): the game's clock; zero means untimed
	Version     int             // 0 means 1, the tutorial's
}

// Resume takes back a seat after a dropped connection, with the token that
// [Started] gave. It speaks Version, or [Version2] when it is 0. On the wire:
// {"type": "resume", "token": TOKEN}, or with "version": 3.
type Resume struct {
	Token   string
	Version int // 0 means 2
}

// Play asks to drop a checker into Column (0 to 6, left to right).
// On the wire: {"type": "play", "column": 3}.
type Play struct {
	Column int
}

// Rematch offers, or accepts, a new game with colours swapped once the game is
// over; in a hot-seat game it starts a new game at once. On the wire:
// {"type": "rematch"}.
type Rematch struct{}

// Seek puts the sender in the queue of players looking for an opponent, who
// are paired two by two as they come (Version 3). The server answers with a
// [Started] of mode [Quick] without a player, and a [Seeking]; once paired,
// with a [Started] that gives the sender's colour, as a rematch does. It must be a
// connection's first message, like [Init]. Players are paired only with
// those who chose the same Clock. On the wire: {"type": "seek"}, or
// {"type": "seek", "clock": "3+2"}.
type Seek struct {
	Clock TimeControl
}

// Cancel takes the sender out of the queue that its [Seek] put it in, unless
// it was paired meanwhile (then the server refuses it with an [Error]). The
// server answers with [Cancelled]; the connection may then start another
// game. On the wire: {"type": "cancel"}.
type Cancel struct{}

// TakeBack takes back the sender's last move (Version 3), in a hot-seat game
// or against the computer, with the computer's reply if it came: the game
// goes on from before that move, and everyone is sent a [Snapshot] of the
// moves left. Between two browsers there is none. On the wire:
// {"type": "takeback"}.
type TakeBack struct{}

// Ping asks the server for a [Pong], to learn that the connection still works:
// a browser cannot see the WebSocket's own pings, and a connection can die
// silently, for example while a phone sleeps. On the wire: {"type": "ping"}.
type Ping struct{}

// Pong answers a [Ping], to its sender only. On the wire: {"type": "pong"}.
type Pong struct{}

// Started tells a client that it has entered a game, which begins empty: the
// moves played so far follow as [Played] events. On the wire it is the
// tutorial's {"type": "init", "join": KEY, "watch": KEY}, sent to the creator of
// a game; clients of Version 2 get it whenever they enter a game or a rematch
// begins, with "mode", their "player" (absent for spectators and in hot-seat
// games, where one client plays both) and their resume "token" (seat holders
// only).
type Started struct {
	Join   string          // the key that takes the second seat, for the creator
	Watch  string          // the key that follows the game
	Mode   Mode            // Friends, HotSeat or Computer
	Level  string          // the computer's level, in a Computer game
	Player connect4.Player // the holder's colour, or NoPlayer
	Token  string          // the resume token of the holder's seat, or ""
	Clock  TimeControl     // the game's clock (Version 3), or zero for none
}

// Snapshot tells a Version 2 client that enters a game, right after its
// [Started], every move played so far, as columns in the order played (red
// first). The client replays them on its own board: it shows the whole game
// at once, however long, and knows when the replay is over. How the game
// ended, who is there and the rematch offers follow as their own events. The
// tutorial's clients get a [Played] event a move instead. On the wire:
// {"type": "snapshot", "moves": [3, 3, 4]}.
type Snapshot struct {
	Moves []int
}

// Presence tells Version 2 clients that a player took or took back their seat
// (Online) or lost their connection, in which case the seat is held for Grace
// before the game is abandoned. On the wire:
// {"type": "presence", "player": "yellow", "online": false, "grace": 60}, the
// grace in whole seconds.
type Presence struct {
	Player connect4.Player
	Online bool
	Grace  time.Duration
}

// RematchOffer tells Version 2 clients that Player asks for a rematch. On the
// wire: {"type": "rematch", "player": "red"}.
type RematchOffer struct {
	Player connect4.Player
}

// Abandoned tells Version 2 clients that the game is over because Player left
// and did not come back in time. On the wire:
// {"type": "abandoned", "player": "yellow"}.
type Abandoned struct {
	Player connect4.Player
}

// Seeking tells a client of Version 3 that it is in the queue of players
// looking for an opponent, since Since, with Playing people connected to the
// server. Once the server's wait for an opponent has passed, it comes again
// with Offer set: the client may play the computer instead, or wait on. On the
// wire: {"type": "seeking", "since": 1764667200000, "playing": 12, "offer": true}.
//
// Since is Unix time in milliseconds, as on the wire (time.UnixMilli reads
// it), not a time.Time: the page holds events in interfaces, and a time.Time
// in one would link time's formatting into app.wasm.
type Seeking struct {
	Since   int64
	Playing int
	Offer   bool
}

// Lobby tells the start screen what goes on (Version 3): how many people are
// Playing on the server now, and a few quick-match Games being played, to
// watch. It is the body of GET /lobby, not sent on a game socket. On the wire:
// {"type": "lobby", "playing": 12, "games": [{"watch": KEY, "moves": 9}]}.
type Lobby struct {
	Playing int
	Games   []LiveGame
}

// LiveGame is a game of the [Lobby]: its watch key and its moves so far.
type LiveGame struct {
	Watch string
	Moves int
}

// Clock tells clients of Version 3 the time left to each player of a timed
// game, and whose clock runs (NoPlayer: none, before the game starts or after
// it ended): after each move, when a game starts, and to a client entering
// it. The client counts the running clock down itself; the server alone says
// when it runs out, with [Timeout]. On the wire:
// {"type": "clock", "red": 179000, "yellow": 180000, "running": "yellow"},
// in milliseconds.
type Clock struct {
	Red, Yellow time.Duration
	Running     connect4.Player
}

// Timeout tells clients of Version 3 that Player's clock ran out: the other
// player wins. Earlier clients get the other player's [Win] instead. On the
// wire: {"type": "timeout", "player": "red"}.
type Timeout struct {
	Player connect4.Player
}

// Cancelled tells a client of Version 3 that its [Cancel] took it out of
// the queue. On the wire: {"type": "cancelled"}.
type Cancelled struct{}

// Archived answers a client of Version 4 that watches a game that has
// ended, if the server's archive keeps it: the game's Watch key, its Mode,
// and the moves of its last game as columns in the order played (red first),
// for the client to show and review. The client is then in no game, and may
// send another [Init]. An older client, or a game the archive does not keep,
// gets [ErrGameNotFound]'s error instead. On the wire:
// {"type": "archived", "watch": KEY, "mode": "friends", "moves": [3, 3, 4]}.
type Archived struct {
	Watch string
	Mode  Mode
	Moves []int
}

// Played reports an accepted move to everyone in the game.
// On the wire: {"type": "play", "player": "red", "column": 3, "row": 0}.
type Played struct {
	Player      connect4.Player
	Column, Row int
}

// Win follows the winning move's Played: Player has four in a row, at Cells.
// On the wire: {"type": "win", "player": "red", "cells": [{"column": 3, "row": 0}, …]};
// the tutorial's clients read only "player".
type Win struct {
	Player connect4.Player
	Cells  [4]connect4.Cell
}

// Draw follows the last move's Played when the board is full without a winner.
// On the wire: {"type": "draw"}.
type Draw struct{}

// Error tells one client why its last message was refused, in a sentence fit to
// show the player. On the wire: {"type": "error", "message": "This slot is full."}.
// A join refused because both seats are taken also gives the game's watch
// key, so that the page can offer to watch it instead:
// {"type": "error", "message": "…", "watch": KEY}.
type Error struct {
	Message string
	Watch   string
}

func (Init) command()     {}
func (Resume) command()   {}
func (Play) command()     {}
func (Rematch) command()  {}
func (Ping) command()     {}
func (Seek) command()     {}
func (TakeBack) command() {}
func (Cancel) command()   {}

func (Started) event()      {}
func (Played) event()       {}
func (Win) event()          {}
func (Draw) event()         {}
func (Error) event()        {}
func (Snapshot) event()     {}
func (Presence) event()     {}
func (RematchOffer) event() {}
func (Abandoned) event()    {}
func (Pong) event()         {}
func (Seeking) event()      {}
func (Cancelled) event()    {}
func (Lobby) event()        {}
func (Clock) event()        {}
func (Timeout) event()      {}
func (Archived) event()     {}

// Since returns the first version of the protocol that has event e: a client
// of an earlier version is not sent it.
func Since(e Event) int {
	switch e.(type) {
	case Archived:
		return Version4
	case Seeking, Cancelled, Lobby, Clock, Timeout:
		return Version3
	case Snapshot, Presence, RematchOffer, Abandoned, Pong:
		return Version2
	}
	return Version1
}

// Tutorial reports whether the tutorial's clients know e, so that a client of
// version 1 may be sent it.
func Tutorial(e Event) bool { return Since(e) == Version1 }

// Replay returns the events that tell a client of version what happened in g
// so far: one [Snapshot] for Version 2, a [Played] a move for the tutorial's
// clients; then a [Win] or a [Draw] if g is over by a result.
func Replay(g *connect4.Game, version int) []Event {
	moves := g.Moves()
	var events []Event
	if version >= Version2 {
		cols := make([]int, len(moves))
		for i, m := range moves {
			cols[i] = m.Column
		}
		events = append(events, Snapshot{Moves: cols})
	} else {
		events = make([]Event, 0, len(moves)+1)
		for _, m := range moves {
			events = append(events, Played{Player: m.Player, Column: m.Column, Row: m.Row})
		}
	}
	if w := g.Winner(); w != connect4.NoPlayer {
		line, _ := g.WinningLine()
		events = append(events, Win{Player: w, Cells: line})
	} else if g.Draw() {
		events = append(events, Draw{})
	}
	return events
}

// Result returns the events that follow an accepted move m in g: m's Played, then
// Win or Draw if m ended the game.
func Result(g *connect4.Game, m connect4.Move) []Event {
	events := []Event{Played{Player: m.Player, Column: m.Column, Row: m.Row}}
	switch {
	case g.Winner() != connect4.NoPlayer:
		line, _ := g.WinningLine()
		events = append(events, Win{Player: g.Winner(), Cells: line})
	case g.Draw():
		events = append(events, Draw{})
	}
	return events
}
