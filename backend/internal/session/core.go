package session

import (
	"slices"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// This file is the core of a match: what a command decides, and what a record
// changes. It is plain Go on plain data: no locks, no timers, no I/O, no
// goroutines. A command's decide method returns the records to append, or
// why the command is refused; [state.apply] applies one record and returns
// its effects, which the shell (match.go) carries out: the events to send,
// the timers to arm or stop, the computer to set thinking, the metrics and
// logs.

// state is a match as its header and records make it.
type state struct {
	head    Header
	n       int // records applied
	game    connect4.Game
	round   int          // games started before this one; colours swap each round
	seats   [2]seatState // 0 started the match, 1 joined it
	offers  [2]bool      // which seats asked for a rematch
	leaver  connect4.Player
	timeout connect4.Player // whose clock ran out, in a timed game
	clock   clockState
	playing bool // the current game has started and not ended
	closed  bool // a Closed record: the match is over for good
}

// seatPhase names the states of a seat.
type seatPhase uint8

const (
	seatOpen     seatPhase = iota // no one took it yet
	seatHeld                      // its holder is connected, here or on another server
	seatAway                      // its holder left, and may come back with the token
	seatGone                      // its holder left for good: a seat without a token
	seatComputer                  // the computer's, for good
)

// seatState is one side of a match as the records say.
type seatState struct {
	phase seatPhase
	token string    // resumes the seat; "" for a tutorial hot-seat game
	conn  string    // the connection that holds it, while seatHeld
	until time.Time // while seatAway: when the game is abandoned
	away  int       // counts the holder's departures, to spot stale timers
}

// taken reports whether someone sat down, whether there now or not.
func (s seatState) taken() bool { return s.phase != seatOpen }

// newState returns the state of a match as its header starts it: the first
// seat held by its creator, and the computer in the second seat of a game
// against it.
func newState(head Header) state {
	// A quick match's game starts once paired.
	st := state{head: head, game: *connect4.NewGame(), playing: head.Mode != protocol.Quick}
	st.seats[0] = seatState{phase: seatHeld, token: head.Token, conn: head.Conn}
	st.clock.left = [2]time.Duration{head.Clock.Base, head.Clock.Base}
	if head.Mode == protocol.Computer {
		st.seats[1].phase = seatComputer
		if head.Yellow {
			st.round = 1 // colours as after a rematch: the human is yellow
		}
	}
	return st
}

// colour returns the colour of seat i in this round: the seats swap colours
// at each rematch. In a hot-seat game the one seat plays both: NoPlayer.
func (st *state) colour(i int) connect4.Player {
	if st.head.Mode == protocol.HotSeat || i == spectator {
		return connect4.NoPlayer
	}
	if (i+st.round)%2 == 0 {
		return connect4.Red
	}
	return connect4.Yellow
}

// over reports whether the current game has ended, by a result or abandoned.
func (st *state) over() bool {
	return st.game.Over() || st.leaver != connect4.NoPlayer || st.timeout != connect4.NoPlayer
}

// invitation reports whether the match is an invitation that no friend took
// yet.
func (st *state) invitation() bool {
	return st.head.Mode == protocol.Friends && !st.seats[1].taken()
}

// twoPeople reports whether the match is between two people, each on a
// connection of their own: friends, or strangers paired by quick match.
func (st *state) twoPeople() bool {
	return st.head.Mode == protocol.Friends || st.head.Mode == protocol.Quick
}

// seeking reports whether the match is a quick match whose creator waits for
// an opponent.
func (st *state) seeking() bool {
	return st.head.Mode == protocol.Quick && !st.seats[1].taken() && !st.closed
}

// computerToMove reports whether the computer is to move in a game against
// it.
func (st *state) computerToMove() bool {
	return st.head.Mode == protocol.Computer && !st.closed && !st.over() && st.game.Turn() == st.colour(1)
}

// The commands' decisions. Each returns the records to append, none if the
// command changes nothing, or the error that refuses it.

// decideJoin gives the second seat to conn, with token, now. An inviter
// away, maybe for hours, gets the grace from now, until, when the game
// starts. A quick match is joined only while its creator waits there;
// joinerRed says which of the two plays red first, as the pairing drew it.
func (st *state) decideJoin(conn, token string, now, until time.Time, joinerRed bool) ([]Record, error) {
	switch {
	case !st.twoPeople() || st.closed:
		return nil, protocol.ErrInvitation
	case st.seats[1].taken():
		return nil, protocol.ErrSeatTaken
	case st.head.Mode == protocol.Quick && st.seats[0].phase != seatHeld:
		return nil, protocol.ErrInvitation // its creator left the queue
	}
	seat := 0
	if joinerRed && st.head.Mode == protocol.Quick {
		seat = 1
	}
	recs := []Record{{Op: Joined, Seat: seat, Token: token, Conn: conn, At: st.stamp(now)}}
	if st.seats[0].phase != seatHeld {
		recs = append(recs, Record{Op: Left, Seat: 0, At: until})
	}
	return recs, nil
}

// decideResume gives the seat of token to conn, and returns the seat.
func (st *state) decideResume(token, conn string) (int, []Record, error) {
	i := slices.IndexFunc(st.seats[:], func(s seatState) bool { return s.token != "" && s.token == token })
	if i < 0 {
		return 0, nil, protocol.ErrTokenExpired
	}
	return i, []Record{{Op: Held, Seat: i, Conn: conn}}, nil
}

// decidePlay plays a checker of seat i in column, now; in a timed game, a
// move after the player's time ran out records that instead.
func (st *state) decidePlay(i, column int, now time.Time) ([]Record, error) {
	if st.leaver != connect4.NoPlayer {
		return nil, protocol.ErrAbandoned
	}
	switch {
	case st.timeout != connect4.NoPlayer:
		return nil, connect4.ErrGameOver
	case !st.over() && st.flagged(i, now):
		return []Record{{Op: TimedOut, Seat: i, At: st.stamp(now)}}, nil
	}
	p := st.colour(i)
	if st.head.Mode == protocol.HotSeat {
		p = st.game.Turn()
	}
	trial := st.game
	if _, err := trial.Play(p, column); err != nil {
		return nil, err
	}
	return []Record{{Op: Moved, Column: column, At: st.stamp(now)}}, nil
}

// decideComputer plays the computer's choice of column, thought out in round
// after n moves; a choice the game has moved past is dropped, and a column
// that cannot be played is replaced by the first that can.
func (st *state) decideComputer(round, n, column int) []Record {
	if !st.computerToMove() || st.round != round || st.game.Len() != n {
		return nil
	}
	if !st.game.CanPlay(column) {
		column = firstPlayable(&st.game)
	}
	return []Record{{Op: Moved, Column: column}}
}

// decideRematch records seat i's wish for a new game, now; the second wish
// starts it, and a game without a second person starts over at once.
func (st *state) decideRematch(i int, now time.Time) ([]Record, error) {
	switch {
	case !st.twoPeople(): // no one to agree with
		return []Record{{Op: NewRound, At: st.stamp(now)}}, nil
	case !st.over():
		return nil, protocol.ErrNotOver
	case st.offers[i]:
		return nil, nil
	}
	return []Record{{Op: Offered, Seat: i, At: st.stamp(now)}}, nil
}

// decideLeave records that conn, the holder of seat i, left and may come
// back until then; nothing if someone took the seat back meanwhile.
func (st *state) decideLeave(i int, conn string, until time.Time) []Record {
	if s := st.seats[i]; st.closed || s.phase != seatHeld || s.conn != conn {
		return nil
	}
	return []Record{{Op: Left, Seat: i, At: until}}
}

// decideTakeBack takes back seat i's last move, with the computer's reply
// if it came, in a hot-seat game (the last move, whoever made it) or
// against the computer.
func (st *state) decideTakeBack(i int) ([]Record, error) {
	if st.twoPeople() {
		return nil, protocol.ErrTakeBackMode
	}
	moves := st.game.Moves()
	n := 0
	switch st.head.Mode {
	case protocol.HotSeat:
		n = min(len(moves), 1)
	case protocol.Computer:
		for k := len(moves) - 1; k >= 0; k-- {
			if moves[k].Player == st.colour(i) {
				n = len(moves) - k
				break
			}
		}
	}
	if n == 0 || st.closed {
		return nil, protocol.ErrNoTakeBack
	}
	return []Record{{Op: TookBack, Column: n}}, nil
}

// decideAbandon gives up, now, on the holder of seat i, away for the away-th
// time: a game in progress between two people ends, if the other seat was taken.
func (st *state) decideAbandon(i, away int, now time.Time) []Record {
	s := st.seats[i]
	if st.closed || s.phase != seatAway || s.away != away || !st.twoPeople() || st.over() || !st.seats[1-i].taken() {
		return nil
	}
	return []Record{{Op: Abandoned, Seat: i, At: st.stamp(now)}}
}

// decideClose closes the match, now: it went without a record for too long,
// or its creator gave up waiting for an opponent.
func (st *state) decideClose(now time.Time) []Record {
	if st.closed {
		return nil
	}
	return []Record{{Op: Closed, At: st.stamp(now)}}
}

// decideHold records that conn holds seat i again, as its server knows and
// another server doubted; nothing if the seat is held.
func (st *state) decideHold(i int, conn string) []Record {
	if st.closed || st.seats[i].phase == seatHeld {
		return nil
	}
	return []Record{{Op: Held, Seat: i, Conn: conn}}
}

// effectOp is the kind of an effect.
type effectOp uint8

const (
	tell         effectOp = iota + 1 // send event to everyone in the match
	tellAbandon                      // tell everyone that the game was abandoned, in words their version knows
	seatTaken                        // seat is held by conn now: a holder here on another connection is replaced
	seatLeft                         // seat's holder left: arm the grace timer for until, the away-th departure
	moveMade                         // a move was played (metrics)
	gameStarted                      // a game began (metrics, logs)
	gameEnded                        // the game ended, how (metrics, logs)
	roundStarted                     // a new game of the match: tell each client here its Started
	matchClosed                      // the match closed for idleness: close every connection, end the match
	computerTurn                     // the computer may be to move
	paired                           // a quick match found its second player: tell the first its Started
	clockSet                         // the running clock changed: set the timer of its flag
	tellTakeBack                     // moves were taken back: tell everyone the moves left, in words their version knows
)

// effect is something the shell carries out after a record.
type effect struct {
	op    effectOp
	event protocol.Event // tell
	seat  int            // seatTaken, seatLeft
	conn  string         // seatTaken
	until time.Time      // seatLeft
	away  int            // seatLeft
	how   string         // gameEnded: win, draw, abandoned, unfinished
}

// apply applies one record and returns what follows from it. A record that
// the state cannot apply, which the Store's order makes impossible, changes
// nothing but the count.
func (st *state) apply(r Record) []effect { return st.applyInto(nil, r) }

// applyInto is apply, with room for the effects of a move in fx, which the
// shell reuses from one record to the next: a move then takes no
// allocation of its own for them.
func (st *state) applyInto(fx []effect, r Record) []effect {
	st.n++
	switch r.Op {
	case Joined:
		st.seats[1] = seatState{phase: seatHeld, token: r.Token, conn: r.Conn}
		if st.head.Mode != protocol.Quick {
			return append(st.presence(1, true), st.startClocks(r.At)...)
		}
		if r.Seat == 1 {
			st.round = 1 // colours as after a rematch: the joiner is red
		}
		st.playing = true
		fx := append([]effect{{op: gameStarted}, {op: paired}}, st.presence(1, true)...)
		return append(fx, st.startClocks(r.At)...)
	case Held:
		s := &st.seats[r.Seat]
		was := s.phase == seatHeld
		s.phase, s.conn = seatHeld, r.Conn
		fx := []effect{{op: seatTaken, seat: r.Seat, conn: r.Conn}}
		if !was {
			fx = append(fx, st.presence(r.Seat, true)...)
		}
		return append(fx, effect{op: computerTurn})
	case Left:
		s := &st.seats[r.Seat]
		s.phase, s.conn, s.until = seatAway, "", r.At
		s.away++
		return []effect{{op: seatLeft, seat: r.Seat, until: r.At, away: s.away}}
	case Moved:
		mover := st.mover()
		mv, err := st.game.Play(st.game.Turn(), r.Column)
		if err != nil {
			return nil // the Store's order makes it impossible
		}
		// Room for what most moves make (the move, its event, the
		// computer's turn): one allocation at most, not a growth at
		// each append.
		if cap(fx) < 4 {
			fx = make([]effect, 0, 4)
		}
		fx = append(fx[:0], effect{op: moveMade})
		for _, e := range protocol.Result(&st.game, mv) {
			fx = append(fx, effect{op: tell, event: e})
		}
		fx = append(fx, st.moved(mover, r.At)...)
		switch {
		case st.game.Winner() != connect4.NoPlayer:
			fx = append(fx, st.endGame("win")...)
		case st.game.Draw():
			fx = append(fx, st.endGame("draw")...)
		default:
			fx = append(fx, effect{op: computerTurn})
		}
		return fx
	case Offered:
		st.offers[r.Seat] = true
		fx := []effect{{op: tell, event: protocol.RematchOffer{Player: st.colour(r.Seat)}}}
		if st.offers[0] && st.offers[1] {
			fx = append(fx, st.newRound(r.At)...)
		}
		return fx
	case NewRound:
		return st.newRound(r.At)
	case Abandoned:
		st.leaver = st.colour(r.Seat)
		fx := append([]effect{{op: tellAbandon}}, st.endGame("abandoned")...)
		return append(fx, st.stopClocks(r.At)...)
	case Closed:
		fx := st.endGame("unfinished")
		st.closed = true
		fx = append(fx, st.stopClocks(r.At)...)
		return append(fx, effect{op: matchClosed})
	case TimedOut:
		if st.over() {
			return nil
		}
		return st.timedOut(r.Seat, r.At)
	case TookBack:
		return st.tookBack(r.Column)
	}
	return nil
}

// tookBack takes back the last n moves: the game goes on from before them,
// and everyone is told the moves left.
func (st *state) tookBack(n int) []effect {
	moves := st.game.Moves()
	if n <= 0 || n > len(moves) {
		return nil // the Store's order makes it impossible
	}
	columns := make([]int, len(moves)-n)
	for k := range columns {
		columns[k] = moves[k].Column
	}
	g, err := connect4.Replay(columns...)
	if err != nil {
		return nil
	}
	st.game = *g
	st.leaver = connect4.NoPlayer
	fx := []effect{{op: tellTakeBack, event: protocol.Snapshot{Moves: columns}}}
	if !st.playing {
		st.playing = true
		fx = append(fx, effect{op: gameStarted})
	}
	return append(fx, effect{op: computerTurn})
}

// presence returns the event that seat i's holder came or went, for the
// matches between friends: no one else sees who comes and goes.
func (st *state) presence(i int, online bool) []effect {
	if !st.twoPeople() {
		return nil
	}
	return []effect{{op: tell, event: protocol.Presence{Player: st.colour(i), Online: online}}}
}

// endGame ends the current game, how; nothing if it has ended already.
func (st *state) endGame(how string) []effect {
	if !st.playing {
		return nil
	}
	st.playing = false
	return []effect{{op: gameEnded, how: how}}
}

// newRound starts the next game at at, colours swapped.
func (st *state) newRound(at time.Time) []effect {
	fx := st.endGame("unfinished")
	st.round++
	st.game = *connect4.NewGame()
	st.offers = [2]bool{}
	st.leaver, st.timeout = connect4.NoPlayer, connect4.NoPlayer
	st.clock = clockState{left: [2]time.Duration{st.head.Clock.Base, st.head.Clock.Base}}
	st.playing = true
	fx = append(fx, effect{op: gameStarted}, effect{op: roundStarted}, effect{op: computerTurn})
	return append(fx, st.startClocks(at)...)
}

// firstPlayable returns the column nearest the centre that can take a checker.
func firstPlayable(g *connect4.Game) int {
	for _, c := range [...]int{3, 2, 4, 1, 5, 0, 6} {
		if g.CanPlay(c) {
			return c
		}
	}
	return 0
}

// lastGame returns a match that ended, as its header and records make it, as
// an archived game: its last game's moves, or the game's before when the
// last never began (a rematch agreed, then no move), so that the game
// played is the one reviewed.
func lastGame(head Header, recs []Record) protocol.Archived {
	st := newState(head)
	var before []connect4.Move // the game before the last new one
	for _, r := range recs {
		round, moves := st.round, st.game.Moves()
		st.apply(r)
		if st.round != round {
			before = moves
		}
	}
	moves := st.game.Moves()
	if len(moves) == 0 {
		moves = before
	}
	columns := make([]int, len(moves))
	for k, m := range moves {
		columns[k] = m.Column
	}
	return protocol.Archived{Watch: head.ID, Mode: head.Mode, Moves: columns}
}
