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
	ErrInvitation   = errors.New("protocol: invitation expired or unknown")
	ErrSeatTaken    = errors.New("protocol: both seats are taken")
	ErrSpectator    = errors.New("protocol: spectators cannot play")
	ErrInGame       = errors.New("protocol: already in a game")
	ErrNotInGame    = errors.New("protocol: not in a game")
	ErrNotOver      = errors.New("protocol: the game is not over")
	ErrTokenExpired = errors.New("protocol: resume token unknown or expired")
	ErrAbandoned    = errors.New("protocol: the game was abandoned")
	ErrReplaced     = errors.New("protocol: the seat was taken back elsewhere")
	ErrServerFull   = errors.New("protocol: too many games in progress")
	ErrTooManyGames = errors.New("protocol: too many games from one address")
	ErrSeeking      = errors.New("protocol: already seeking an opponent")
	ErrBadClock     = errors.New("protocol: unknown time control")
	ErrNoTakeBack   = errors.New("protocol: no move to take back")
	ErrTakeBackMode = errors.New("protocol: no take-back between two people")
	ErrNotSeeking   = errors.New("protocol: not seeking an opponent")
	ErrBadLevel     = errors.New("protocol: unknown level")
	ErrUnavailable  = errors.New("protocol: game store unavailable")
)

// messages maps each error a client can cause to the sentence it is shown. The
// first two are the tutorial's, word for word.
var messages = []struct {
	err       error
	reason    string // a short name, for metrics and logs
	message   string
	temporary bool // the same message may work a little later
}{
	{connect4.ErrNotYourTurn, "not_your_turn", "It isn't your turn.", false},
	{connect4.ErrColumnFull, "column_full", "This slot is full.", false},
	{connect4.ErrNoColumn, "no_such_column", "There is no such column: columns go from 0 to 6.", false},
	{connect4.ErrGameOver, "game_over", "The game is over: start a new one to play again.", false},
	{ErrMalformed, "malformed", "That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}.", false},
	{ErrEncoding, "encoding", "Messages must be valid UTF-8 text.", false},
	{ErrDuplicateKey, "duplicate_key", "Each key may appear only once in a message.", false},
	{ErrNoType, "no_type", "That message has no \"type\".", false},
	{ErrUnknownType, "unknown_type", "That message type is unknown.", false},
	{ErrNoColumn, "no_column", "A play needs a \"column\", from 0 to 6.", false},
	{ErrBadColumn, "bad_column", "The \"column\" must be a whole number from 0 to 6.", false},
	{ErrBinary, "binary", "Binary messages are not supported: send JSON text.", false},
	{ErrBadInit, "bad_init", "That init is not valid: send {\"type\": \"init\"}, or add a \"join\" or a \"watch\" key, or a \"mode\".", false},
	{ErrBadResume, "bad_resume", "A resume needs the \"token\" the server gave.", false},
	{ErrGameNotFound, "game_not_found", "This game has ended, or its link is wrong.", false},
	{ErrInvitation, "invitation_expired", "This invitation has expired: ask your friend for a new link.", false},
	{ErrSeatTaken, "seat_taken", "This game already has two players: you can watch it instead.", false},
	{ErrSpectator, "spectator", "Spectators cannot play.", false},
	{ErrInGame, "in_game", "You are already in a game: open a new connection for another.", false},
	{ErrNotInGame, "not_in_game", "Start or join a game first.", false},
	{ErrNotOver, "not_over", "A rematch can only start once the game is over.", false},
	{ErrTokenExpired, "token_expired", "That game is over or no longer exists.", false},
	{ErrAbandoned, "abandoned", "The game was abandoned.", false},
	{ErrReplaced, "replaced", "You took your seat back in another window.", false},
	{ErrServerFull, "server_full", "The server is full: please try again in a minute.", true},
	{ErrTooManyGames, "too_many_games", "Too many games from your address: finish one, or let an invitation expire, before you start another.", false},
	{ErrSeeking, "seeking", "You are already looking for an opponent.", false},
	{ErrNoTakeBack, "no_takeback", "There is no move of yours to take back.", false},
	{ErrTakeBackMode, "takeback_mode", "Moves are taken back only on one screen and against the computer.", false},
	{ErrBadClock, "bad_clock", "Unknown time control: give minutes each and seconds added a move, from 0.1+0 to 60+60, such as 3+2.", false},
	{ErrNotSeeking, "not_seeking", "You are not looking for an opponent.", false},
	{ErrBadLevel, "bad_level", "Choose the computer's level: easy, medium or perfect.", false},
	{ErrUnavailable, "unavailable", "The server cannot reach its game store just now: try again in a moment.", true},
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

// Temporary reports whether message, the Message of an Error event, tells of
// a passing refusal: the same command may work a little later, so that a
// client should try again rather than give up its plan.
func Temporary(message string) bool {
	for _, m := range messages {
		if m.message == message {
			return m.temporary
		}
	}
	return false
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
