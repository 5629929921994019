package protocol

import (
	"errors"

	"github.com/connect4go/connect4/shared/connect4"
)

// Errors for messages that cannot be understood. [DecodeCommand] and
// [DecodeEvent] wrap them with details; [ErrorFor] gives the sentence to send.
var (
	ErrMalformed   = errors.New("protocol: malformed message")
	ErrNoType      = errors.New("protocol: message without a type")
	ErrUnknownType = errors.New("protocol: unknown message type")
	ErrNoColumn    = errors.New("protocol: play without a column")
	ErrBadColumn   = errors.New("protocol: column is not an integer")
	ErrBinary      = errors.New("protocol: binary message")
)

// messages maps each error a client can cause to the sentence it is shown. The
// first two are the tutorial's, word for word.
var messages = []struct {
	err     error
	message string
}{
	{connect4.ErrNotYourTurn, "It isn't your turn."},
	{connect4.ErrColumnFull, "This slot is full."},
	{connect4.ErrNoColumn, "There is no such column: columns go from 0 to 6."},
	{connect4.ErrGameOver, "The game is over: start a new one to play again."},
	{ErrMalformed, "That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}."},
	{ErrNoType, "That message has no \"type\"."},
	{ErrUnknownType, "That message type is unknown."},
	{ErrNoColumn, "A play needs a \"column\", from 0 to 6."},
	{ErrBadColumn, "The \"column\" must be a whole number from 0 to 6."},
	{ErrBinary, "Binary messages are not supported: send JSON text."},
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
