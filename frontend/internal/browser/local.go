//go:build js && wasm

package browser

import (
	"errors"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/protocol"
)

// Errors of a localConn: a command sent after it closed, or encoded.
var (
	errLocalClosed  = errors.New("browser: the game in the browser is closed")
	errLocalEncoded = errors.New("browser: the game in the browser takes commands, not text")
)

// localConn is a conn to the page's own referee, for a game against the
// computer that the page plays alone when the server cannot be reached
// (package local): it takes the commands the server would, and reports
// the server's events, already decoded, with the page's brain as the
// computer. The loop gives it commands as they are ([localConn.command]),
// and it reports the events as they are: the page decodes and encodes
// nothing for it. Only the event loop uses it.
type localConn struct {
	match  local.Match
	report func(socketEvent)
	think  func(moves, level string)
	// keep keeps the match in the browser, as local.Match.Save writes it,
	// after each change; "" once it is closed: the player left it.
	keep   func(saved string)
	closed bool
	// retried is the position whose move the brain was asked for again
	// after it failed once, or "".
	retried string
}

var _ conn = (*localConn)(nil)

// dialLocal opens a localConn on match (new, or taken up again from the
// browser's storage), which reports itself open at once. think asks the
// brain for the computer's move, whose answer the loop passes to
// [localConn.thought]; keep keeps the match.
func dialLocal(match local.Match, report func(socketEvent), think func(moves, level string), keep func(string)) *localConn {
	c := &localConn{match: match, report: report, think: think, keep: keep}
	report(socketEvent{kind: socketOpened})
	return c
}

// localKey is the storage key of the game played alone, which a reload of
// its address takes up again.
const localKey = "connect4.local"

// send is for the conn interface: the loop gives a localConn its commands
// as they are, through command, without encoding them.
func (c *localConn) send([]byte) error {
	return errLocalEncoded
}

// command takes a command of the page.
func (c *localConn) command(cmd protocol.Command) error {
	if c.closed {
		return errLocalClosed
	}
	c.tell(c.match.Handle(cmd))
	return nil
}

func (c *localConn) close() {
	if !c.closed {
		c.closed = true
		c.keep("")
		c.report(socketEvent{kind: socketClosed, code: 1006})
	}
}

// thought plays the computer's move that the brain found, or says that it
// found none. An answer at another level is for an earlier game played
// alone, which asked the same brain: it is not this game's.
func (c *localConn) thought(t thought) {
	if c.closed || t.level != c.match.Level() {
		return
	}
	if t.err != nil {
		warn("browser: the computer's move in ", t.moves, ": ", t.err.Error())
		if t.moves == c.match.Moves() && t.moves != c.retried {
			// Once more, from a new worker: a crash may not happen twice.
			c.retried = t.moves
			c.think(t.moves, t.level)
			return
		}
		c.tell(c.match.Failed(t.moves), false)
		return
	}
	c.tell(c.match.Moved(t.moves, t.column))
}

// tell reports the referee's events, and asks for the computer's move if
// it is to move.
func (c *localConn) tell(events []protocol.Event, think bool) {
	for _, e := range events {
		c.report(socketEvent{kind: socketMessage, event: e})
	}
	c.keep(c.match.Save())
	if think {
		c.think(c.match.Moves(), c.match.Level())
	}
}

// alone starts playing in the page, on a localConn, the game that the
// state plans when the connection to the server closed before it opened and
// the page can play that game alone (see [game.State.CanPlayAlone]); it
// reports whether it did. The localConn then serves the plan's connection
// as the server would have.
func (l *loop) alone() bool {
	if l.opened || l.cfg.brain == nil || !l.state.CanPlayAlone() {
		return false
	}
	l.playAlone(local.Match{})
	return true
}

// playAlone serves the plan's connection with a localConn on match.
func (l *loop) playAlone(match local.Match) {
	epoch := l.epoch
	l.conn = dialLocal(match,
		func(e socketEvent) { l.queue.push(fromSocket{epoch, e}) },
		func(moves, level string) { l.mind().Think(moves, level) },
		func(saved string) {
			if saved == "" {
				l.cfg.store.remove(localKey)
			} else {
				l.cfg.store.set(localKey, saved)
			}
		},
	)
}

// resumeAlone takes up again the game played alone that the browser keeps,
// as the plan wants (see [game.State.ResumesAlone]), and reports whether it
// did; without one the page goes to the start screen and says why.
func (l *loop) resumeAlone() bool {
	if !l.state.ResumesAlone() {
		return false
	}
	match, err := local.Load(l.cfg.store.get(localKey))
	if err != nil || l.cfg.brain == nil {
		l.state.AloneGone()
		l.queue.push(lobbyDue{}) // another settle, for the address
		return true
	}
	l.playAlone(match)
	return true
}

// mind returns the page's brain, made on first use.
func (l *loop) mind() brain {
	if l.brain == nil {
		l.brain = l.cfg.brain(l.queue.push)
	}
	return l.brain
}

// thought passes the computer's move to the game played alone, if it is
// still the page's connection.
func (l *loop) thought(t thought) {
	if c, ok := l.conn.(*localConn); ok {
		c.thought(t)
	}
}
