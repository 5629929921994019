package protocol

import "fmt"

// Close is a reason for which the server closes a connection or refuses to
// open one: it gives the WebSocket close code, or the HTTP status, and the
// sentence the client is shown.
type Close int

// The reasons to close.
const (
	CloseIdle              Close = iota + 1 // a game without a move for its idle time
	CloseInvitationExpired                  // an invitation no friend took for its time
	CloseNewRound                           // a tutorial spectator, when the players start a rematch
	CloseTakenBack                          // a tutorial spectator, when a move is taken back
	CloseGameOver                           // the game ended elsewhere, or expired
	CloseReplaced                           // the seat was taken back in another window
	CloseShutdown                           // the server stops, or is stopping
	CloseTooSlow                            // the client stopped reading its events
	CloseTooBig                             // a message over the size limit
	CloseNoFirstMessage                     // no message after connecting
	CloseTooMany                            // messages past the rate limit, again and again
	CloseFull                               // connections at the server's limit (HTTP)
	CloseTooManyFromYou                     // connections at the limit of one address (HTTP)
	CloseTooFast                            // new connections past the rate of one address (HTTP)
	CloseInternal                           // a bug of the server ended the game
)

// closes is the table of the reasons: the code (a WebSocket close code, or
// an HTTP status for those refused before the upgrade), and the sentence, a
// format for the reason's argument where it takes one.
var closes = map[Close]struct {
	code   int
	format string
}{
	CloseIdle:              {1000, "This game was closed after %v without a move."},
	CloseInvitationExpired: {1000, "This invitation expired after %v without a friend joining: start a new game for a new link."},
	CloseNewRound:          {1000, "The players started a new game: reload the page to follow it."},
	CloseTakenBack:         {1000, "A move was taken back: reload the page to follow the game."},
	CloseGameOver:          {1000, "This game is over."},
	CloseReplaced:          {1000, "You took your seat back in another window."},
	CloseShutdown:          {1001, "The server is shutting down."},
	CloseTooSlow:           {1008, "Too slow: the client stopped reading."},
	CloseTooBig:            {1009, "Message too big: the limit is %d bytes."},
	CloseNoFirstMessage:    {1008, "No message within %v of connecting."},
	CloseTooMany:           {1008, "Too many messages."},
	CloseFull:              {503, "The server is full: please try again in a minute."},
	CloseTooManyFromYou:    {429, "Too many connections from your address."},
	CloseTooFast:           {429, "Too many new connections from your address: wait a moment."},
	CloseInternal:          {1011, "Something went wrong on the server: this game has ended."},
}

// Code returns the WebSocket close code of c, or the HTTP status of a
// refusal before the upgrade (CloseFull, CloseTooManyFromYou, CloseTooFast).
func (c Close) Code() int { return closes[c].code }

// Reason returns the sentence of c, with the argument that its sentence
// takes, if any: the idle time, a size in bytes, a timeout.
func (c Close) Reason(arg ...any) string {
	f := closes[c].format
	if len(arg) == 0 {
		return f
	}
	return fmt.Sprintf(f, arg...)
}

// Final reports whether a connection that the server closed with code and
// reason would be closed the same way again, so that a client should show
// the reason and not reconnect by itself: a normal closure (1000) is the
// server's decision, a game ended by a bug (1011) is over, and a message too
// big (1009) or a client that sends too much or nothing (1008) would do the
// same again. A slow reader (1008 too),
// a server going away (1001) or a lost connection (1006) would not.
func Final(code int, reason string) bool {
	switch code {
	case 1000, CloseTooBig.Code(), CloseInternal.Code():
		return true
	case CloseTooMany.Code():
		return reason != CloseTooSlow.Reason()
	}
	return false
}

// Closes returns every reason to close, in the order of their values.
func Closes() []Close {
	all := make([]Close, 0, len(closes))
	for c := Close(1); c <= CloseInternal; c++ {
		all = append(all, c)
	}
	return all
}

// Messages returns the sentence of every error a client can cause, as
// ErrorFor gives them.
func Messages() []string {
	all := make([]string, len(messages))
	for i, m := range messages {
		all[i] = m.message
	}
	return all
}
