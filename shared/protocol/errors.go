package protocol

import (
	"errors"

	"github.com/connect4go/connect4/shared/connect4"
)

// Errors for messages that cannot be understood. [DecodeCommand] and
// [DecodeEvent] wrap them with details; [ErrorFor] gives the sentence to send.
var (
	ErrMalformed    = errors.New("protocol: malformed message")
	ErrEncoding     = errors.New("protocol: message is not UTF-8")
	ErrDuplicateKey = errors.New("protocol: key given twice")
	ErrNoType       = errors.New("protocol: message without a type")
	ErrUnknownType  = errors.New("protocol: unknown message type")
	ErrNoColumn     = errors.New("protocol: play without a column")
	ErrBadColumn    = errors.New("protocol: column is not an integer")
	ErrBinary       = errors.New("protocol: binary message")
	ErrBadInit      = errors.New("protocol: malformed init")
	ErrBadResume    = errors.New("protocol: resume without a token")
)

// Errors of the games, which the server sends with the sentences of [ErrorFor].
var (
	ErrGameNotFound = errors.New("protocol: game not found")
	ErrSeatTaken    = errors.New("protocol: both seats are taken")
	ErrSpectator    = errors.New("protocol: spectators cannot play")
	ErrInGame       = errors.New("protocol: already in a game")
	ErrNotInGame    = errors.New("protocol: not in a game")
	ErrNotOver      = errors.New("protocol: the game is not over")
	ErrTokenExpired = errors.New("protocol: resume token unknown or expired")
	ErrAbandoned    = errors.New("protocol: the game was abandoned")
	ErrReplaced     = errors.New("protocol: the seat was taken back elsewhere")
	ErrTooFast      = errors.New("protocol: too many messages")
	ErrServerFull   = errors.New("protocol: too many games in progress")
	ErrBadLevel     = errors.New("protocol: unknown level")
	ErrUnavailable  = errors.New("protocol: game store unavailable")
)

// messages maps each error a client can cause to the sentence it is shown. The
// first two are the tutorial's, word for word.
var messages = []struct {
	err     error
	reason  string // a short name, for metrics and logs
	message string
}{
	{connect4.ErrNotYourTurn, "not_your_turn", "It isn't your turn."},
	{connect4.ErrColumnFull, "column_full", "This slot is full."},
	{connect4.ErrNoColumn, "no_such_column", "There is no such column: columns go from 0 to 6."},
	{connect4.ErrGameOver, "game_over", "The game is over: start a new one to play again."},
	{ErrMalformed, "malformed", "That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}."},
	{ErrEncoding, "encoding", "Messages must be valid UTF-8 text."},
	{ErrDuplicateKey, "duplicate_key", "Each key may appear only once in a message."},
	{ErrNoType, "no_type", "That message has no \"type\"."},
	{ErrUnknownType, "unknown_type", "That message type is unknown."},
	{ErrNoColumn, "no_column", "A play needs a \"column\", from 0 to 6."},
	{ErrBadColumn, "bad_column", "The \"column\" must be a whole number from 0 to 6."},
	{ErrBinary, "binary", "Binary messages are not supported: send JSON text."},
	{ErrBadInit, "bad_init", "That init is not valid: send {\"type\": \"init\"}, or add a \"join\" or a \"watch\" key, or a \"mode\"."},
	{ErrBadResume, "bad_resume", "A resume needs the \"token\" the server gave."},
	{ErrGameNotFound, "game_not_found", "Game not found."},
	{ErrSeatTaken, "seat_taken", "This game already has two players: you can watch it instead."},
	{ErrSpectator, "spectator", "Spectators cannot play."},
	{ErrInGame, "in_game", "You are already in a game: open a new connection for another."},
	{ErrNotInGame, "not_in_game", "Start or join a game first."},
	{ErrNotOver, "not_over", "A rematch can only start once the game is over."},
	{ErrTokenExpired, "token_expired", "That game is over or no longer exists."},
	{ErrAbandoned, "abandoned", "The game was abandoned."},
	{ErrReplaced, "replaced", "You took your seat back in another window."},
	{ErrTooFast, "too_fast", "Too many messages: slow down."},
	{ErrServerFull, "server_full", "The server is full: please try again in a minute."},
	{ErrBadLevel, "bad_level", "Choose the computer's level: easy, medium or perfect."},
	{ErrUnavailable, "unavailable", "The server cannot reach its game store just now: try again in a moment."},
}

// internalMessage is shown for an error that the table does not know. The server
// logs those: they are bugs, not the client's doing.
const internalMessage = "Something went wrong on the server."

// ErrorFor returns the Error event that tells a client why err refused its
// message, and whether err was one a client can cause (false means a server bug).
func ErrorFor(err error) (Error, bool) {
	for _, m := range messages {
		if errors.Is(err, m.err) {
			return Error{Message: m.message}, true
		}
	}
	return Error{Message: internalMessage}, false
}

// Reason returns a short name for the cause of err, such as "column_full", for
// metrics and logs: one of a fixed set, "internal" for an error the table does
// not know.
func Reason(err error) string {
	for _, m := range messages {
		if errors.Is(err, m.err) {
			return m.reason
		}
	}
	return "internal"
}
