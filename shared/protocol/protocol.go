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
	"github.com/connect4go/connect4/shared/connect4"
)

// Command is a message from a browser to the server: [Play].
type Command interface {
	command()
}

// Event is a message from the server to a browser: [Played], [Win], [Draw] or
// [Error].
type Event interface {
	event()
}

// Play asks to drop a checker into Column (0 to 6, left to right).
// On the wire: {"type": "play", "column": 3}.
type Play struct {
	Column int
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
type Error struct {
	Message string
}

func (Play) command() {}

func (Played) event() {}
func (Win) event()    {}
func (Draw) event()   {}
func (Error) event()  {}

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
