package session

import (
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// The clock of a timed game between two people, part of the pure core: the
// records that start or end a turn carry their time (Record.At), and the
// state counts each seat's time left from them. The shell arms a timer for
// the moment the running clock runs out, and records TimedOut then; a move
// that comes later is refused the same way. The clock runs while a player
// is away: the grace and the clock both run, and whichever ends first ends
// the game.

// clockState is the clock of the current game.
type clockState struct {
	left   [2]time.Duration // by seat: the time left, as of turnAt for the seat to move
	turnAt time.Time        // when the running clock started; zero while none runs
}

// timed reports whether the match's games have a clock.
func (st *state) timed() bool { return st.head.Clock.Timed() }

// running reports whether a clock runs: a timed game is under way with both
// players seated.
func (st *state) running() bool { return st.timed() && !st.clock.turnAt.IsZero() }

// mover returns the seat whose turn it is.
func (st *state) mover() int {
	if st.colour(0) == st.game.Turn() {
		return 0
	}
	return 1
}

// remaining returns seat i's time left at now.
func (st *state) remaining(i int, now time.Time) time.Duration {
	left := st.clock.left[i]
	if st.running() && i == st.mover() {
		left -= now.Sub(st.clock.turnAt)
	}
	return max(left, 0)
}

// flagAt returns when the running clock runs out, and false if none runs.
func (st *state) flagAt() (time.Time, bool) {
	if !st.running() {
		return time.Time{}, false
	}
	return st.clock.turnAt.Add(st.clock.left[st.mover()]), true
}

// stamp returns now for the records of a timed match, and the zero time
// otherwise: untimed games keep no times.
func (st *state) stamp(now time.Time) time.Time {
	if !st.timed() {
		return time.Time{}
	}
	return now.Truncate(time.Millisecond)
}

// flagged reports whether seat i, to move, has run out of time at now.
func (st *state) flagged(i int, now time.Time) bool {
	at, ok := st.flagAt()
	return ok && i == st.mover() && !now.Before(at)
}

// decideFlag records that the running clock ran out, if it has at now.
func (st *state) decideFlag(now time.Time) []Record {
	if st.closed || st.over() || !st.flagged(st.mover(), now) {
		return nil
	}
	return []Record{{Op: TimedOut, Seat: st.mover(), At: st.stamp(now)}}
}

// startClocks gives both seats the whole base and starts the clock of the
// seat to move at at, in a timed game whose both seats are taken.
func (st *state) startClocks(at time.Time) []effect {
	if !st.timed() || !st.seats[1].taken() || st.over() {
		return nil
	}
	base := st.head.Clock.Base
	st.clock = clockState{left: [2]time.Duration{base, base}, turnAt: at}
	return st.clockEffects(at)
}

// moved charges the seat that just moved, i, for its turn ending at at, and
// starts the other's clock; it stops both if the game is over.
func (st *state) moved(i int, at time.Time) []effect {
	if !st.running() {
		return nil
	}
	st.clock.left[i] -= at.Sub(st.clock.turnAt)
	st.clock.left[i] += st.head.Clock.Increment
	st.clock.turnAt = at
	if st.over() {
		st.clock.turnAt = time.Time{}
	}
	return st.clockEffects(at)
}

// stopClocks stops the running clock at at, if any.
func (st *state) stopClocks(at time.Time) []effect {
	if !st.running() {
		return nil
	}
	i := st.mover()
	st.clock.left[i] = st.remaining(i, at)
	st.clock.turnAt = time.Time{}
	return st.clockEffects(at)
}

// timedOut ends the game: seat i ran out of time.
func (st *state) timedOut(i int, at time.Time) []effect {
	st.clock.left[i] = 0
	st.clock.turnAt = time.Time{}
	st.timeout = st.colour(i)
	fx := []effect{{op: tell, event: protocol.Timeout{Player: st.timeout}}}
	fx = append(fx, st.clockEffects(at)...)
	return append(fx, st.endGame("time")...)
}

// clockEffects tells everyone the clocks as of at, and the shell to set the
// timer of the running one.
func (st *state) clockEffects(at time.Time) []effect {
	return []effect{{op: tell, event: st.clockEvent(at)}, {op: clockSet}}
}

// clockEvent returns the clocks at now, for the clients.
func (st *state) clockEvent(now time.Time) protocol.Clock {
	e := protocol.Clock{}
	for i := range st.seats {
		left := st.remaining(i, now)
		if st.colour(i) == connect4.Red {
			e.Red = left
		} else {
			e.Yellow = left
		}
	}
	if st.running() {
		e.Running = st.colour(st.mover())
	}
	return e
}
