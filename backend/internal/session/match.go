package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// matchIDs numbers the matches in the logs, which never show their keys.
var matchIDs atomic.Uint64

// match is the shell around the core of one match (core.go): this server's
// copy of two seats playing one game after another, with spectators, and the
// clients connected here, the timers, the Store and the computer.
//
// Its concurrency is one lock a match, mu: every command, timer, news of
// other servers' records and computer move takes it, decides on the core's
// state what records to add, appends them to the Store at the end of the
// records applied so far ([match.do]), applies them to the state and carries
// out the effects, which send the events to the clients here. Records that
// other servers append arrive through [match.Appended] and are applied the
// same way. So all clients, wherever they are connected, see the same events
// in the same order, and a client that enters gets the game so far and then
// every later move, none lost and none twice. The methods whose names end
// in Locked, and the unexported ones called from them, run with mu held.
//
// A lock rather than a goroutine a match: a match waits for nothing but its
// Store, and most have nothing to do most of the time; the computer thinks
// on a goroutine of its own without the lock.
type match struct {
	hub *Hub
	id  string // the watch key, and the match's id in the Store
	num uint64 // numbers the match in this server's logs

	mu       sync.Mutex
	st       state    // the core's state: what the records say
	loaded   bool     // the header and records are applied
	loading  bool     // the records are being applied by load
	closed   bool     // ended, or let go by this server: refusing everything
	opp      opponent // the computer, in a Computer match
	unfollow func()   // stops news of other servers' records
	recs     []Record // the records applied, to heal a Store that lost some
	here     [2]seatHere
	watchers map[*Client]struct{}
	idle     Timer // closes the match when nothing happens
	offer    Timer // offers the computer to the creator of a quick match who waits, or nil
	flag     Timer // records that the running clock ran out, in a timed game, or nil
	thinking bool  // the computer thinks of a move for this match
	counting bool  // the Observer was told of the current game's start, and not yet of its end
	// moved counts the games and moves applied, and the close, for a think
	// to tell without the lock whether the game moved on: it changes with
	// every Moved, NewRound and Closed record.
	moved atomic.Uint64
	// pending is where the records that do is appending end, 0 when it
	// appends none; skipped is set when news of records ending there was
	// let go (see [match.appending]).
	pending atomic.Int64
	skipped atomic.Bool
	// batching is set while applyAll applies several records, whose events
	// batch holds for the clients here until they are sent, each client's
	// at once.
	batching bool
	batch    []outgoing
	// fx is the room for a record's effects, reused (see state.applyInto).
	fx []effect
}

// maxFx bounds the room for effects that a match keeps between records.
const maxFx = 16

// outgoing is the events for a client that a batch holds.
type outgoing struct {
	c      *Client
	events []protocol.Event
}

// seatHere is what this server has of a seat besides its state: the client
// connected here that holds it, and the timers.
type seatHere struct {
	holder *Client // the Client that holds the seat, if connected here
	grace  Timer   // running while the holder is away, or nil
	// reclaiming is the client connected here that another server wrongly
	// recorded as away, while back runs to take its seat back.
	reclaiming *Client
	back       Timer
}

// takenError refuses a join to a match whose seats are taken, and names the
// match, to watch instead.
type takenError struct{ watch string }

func (takenError) Error() string { return protocol.ErrSeatTaken.Error() }
func (takenError) Unwrap() error { return protocol.ErrSeatTaken }

// errLetGo is returned for a match this server let go of while a client was
// entering it: the client finds it again in the Store.
var errLetGo = errors.New("session: match let go")

// newMatch starts a match of mode whose first seat creator holds, and tells the
// creator its keys if announce is set (a tutorial hot-seat game, started by a
// first play, is told nothing).
func newMatch(h *Hub, mode protocol.Mode, opp opponent, clock protocol.TimeControl, creator *Client, announce bool) (*match, error) {
	head := Header{ID: randomKey(12), Mode: mode, Conn: creator.id, Level: opp.level, Yellow: opp.yellow, Clock: clock}
	if mode == protocol.Friends || mode == protocol.Quick {
		head.Join = randomKey(12)
	}
	if announce {
		head.Token = randomKey(18)
	}
	m := &match{hub: h, id: head.ID, num: matchIDs.Add(1)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := h.register(m, creator.from); err != nil {
		return nil, err
	}
	ctx := h.storeContext()
	defer ctx.cancel()
	if err := h.store.Create(ctx, head); err != nil {
		h.unregister(m)
		h.holdUntil(m.id, time.Time{})
		return nil, unavailable(err)
	}
	m.unfollow = h.store.Follow(m.id, m)
	m.start(head, opp)
	m.here[0].holder = creator
	if m.st.playing {
		m.carry([]effect{{op: gameStarted}}, true)
	}
	if announce && mode != protocol.Quick { // a quick match's, once it waits (quick.go)
		creator.send(m.started(0))
	}
	m.computerTurn()
	return m, nil
}

// start sets the match up as its header says, before any record.
func (m *match) start(head Header, opp opponent) {
	m.st, m.opp = newState(head), opp
	m.loaded = true
	m.watchers = make(map[*Client]struct{})
	m.idle = m.hub.cfg.AfterFunc(m.idleTime(), m.expireIdle)
}

// idleTime returns how long the match may go without a record before it is
// closed: an invitation waits for the friend longer than a game waits for a
// move.
func (m *match) idleTime() time.Duration {
	if m.st.invitation() {
		return m.hub.cfg.Invitation
	}
	return m.hub.cfg.Idle
}

// load sets up a match that another server started, or an earlier run of
// this one, from the Store. It starts following the match first, so that no
// record is missed.
func (m *match) load() error {
	h := m.hub
	m.unfollow = h.store.Follow(m.id, m)
	ctx := h.storeContext()
	defer ctx.cancel()
	head, recs, err := h.store.Load(ctx, m.id, 0)
	if err != nil {
		m.unfollow()
		return err
	}
	var opp opponent
	if head.Mode == protocol.Computer {
		bot, err := h.cfg.Computer(head.Level)
		if err != nil {
			m.unfollow()
			return fmt.Errorf("%w: %v", protocol.ErrBadLevel, err)
		}
		opp = opponent{bot: bot, level: head.Level, yellow: head.Yellow}
	}
	m.start(head, opp)
	if head.Token == "" {
		m.st.seats[0].phase = seatGone // a tutorial hot-seat game: no one comes back
	}
	m.loading = true
	for _, r := range recs {
		m.apply(r, false)
	}
	m.loading = false
	return nil
}

// randomKey returns n random bytes, URL-safe: 12 bytes make the tutorial's
// 16-character keys.
func randomKey(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: see crypto/rand.Read
	return base64.RawURLEncoding.EncodeToString(b)
}

// unavailable wraps an error of the Store for the client.
func unavailable(err error) error {
	return fmt.Errorf("%w: %v", protocol.ErrUnavailable, err)
}

// do appends the records that decide returns, if any, and applies them. When
// another server changed the match first, it catches up and decides again.
// decide sees m.closed, the match let go by this server, and says what then.
func (m *match) do(decide func() ([]Record, error)) error {
	for tries := 0; ; tries++ {
		recs, err := decide()
		if err != nil || len(recs) == 0 {
			return err
		}
		ctx := m.hub.storeContext()
		m.pending.Store(int64(m.st.n + len(recs)))
		err = m.hub.store.Append(ctx, m.id, m.st.n, recs...)
		m.pending.Store(0)
		ctx.cancel()
		if m.skipped.Swap(false) && err != nil && (tries == 10 || !errors.Is(err, ErrConflict) && !errors.Is(err, ErrBehind) && !errors.Is(err, ErrNotFound)) {
			// News of another's records ending where these would was let
			// go, and the failure is not one that catches up below: catch
			// up now. Should that fail too, the next append finds the
			// match behind, and catches up then.
			if err := m.catchUp(); err != nil {
				m.hub.log.Warn("catching up after a failed append", "match", m.num, "err", err)
			}
		}
		switch {
		case err == nil:
			m.applyAll(recs, true)
			return nil
		case tries == 10:
			return unavailable(err) // cannot happen but with a storm of appends
		case errors.Is(err, ErrBehind) || errors.Is(err, ErrNotFound) && m.hub.shared():
			if err := m.heal(); err != nil {
				return err
			}
		case errors.Is(err, ErrNotFound):
			m.vanish() // it expired, or ended
			return protocol.ErrGameNotFound
		case !errors.Is(err, ErrConflict):
			return unavailable(err)
		}
		if err := m.catchUp(); err != nil {
			return err
		}
	}
}

// seatedHere reports whether a seat holder is connected here.
func (m *match) seatedHere() bool {
	return m.here[0].holder != nil || m.here[1].holder != nil
}

// heal gives the Store back the records it lost of a match this server
// holds, as a Redis restarted without persistence does: the whole match if
// it has none of it, else the records past those it has. The game goes on.
func (m *match) heal() error {
	ctx := m.hub.storeContext()
	defer ctx.cancel()
	_, recs, err := m.hub.store.Load(ctx, m.id, 0)
	have := len(recs)
	switch {
	case errors.Is(err, ErrNotFound):
		if err := m.hub.store.Create(ctx, m.st.head); err != nil {
			return unavailable(err)
		}
		have = 0
	case err != nil:
		return unavailable(err)
	case have >= m.st.n:
		return nil // another server appended meanwhile: catch up and decide again
	}
	if err := m.hub.store.Append(ctx, m.id, have, m.recs[have:]...); err != nil && !errors.Is(err, ErrConflict) {
		return unavailable(err)
	}
	m.hub.log.Warn("the store had lost records of a match: given back", "match", m.num, "had", have, "records", m.st.n)
	return nil
}

// catchUp applies the records that other servers appended since the last one
// applied here.
func (m *match) catchUp() error {
	ctx := m.hub.storeContext()
	defer ctx.cancel()
	_, recs, err := m.hub.store.Load(ctx, m.id, m.st.n)
	switch {
	case errors.Is(err, ErrNotFound) && m.seatedHere() && m.hub.shared():
		// Someone plays here: the shared Store lost the match, or its
		// latest records, as a Redis restarted without persistence does.
		return m.heal()
	case errors.Is(err, ErrNotFound):
		m.vanish()
		return protocol.ErrGameNotFound
	case err != nil:
		return unavailable(err)
	}
	m.applyAll(recs, false)
	return nil
}

// Appended applies the records other servers appended; it implements
// Follower.
func (m *match) Appended(at int, recs []Record) {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || !m.loaded || at+len(recs) <= m.st.n {
		return // news of what this server has already
	}
	if at > m.st.n {
		m.resync() // some were missed
		return
	}
	m.applyAll(recs[m.st.n-at:], false)
	m.letGoIfEmpty()
}

// appending implements appender: while do appends records ending at end, a
// Store in this process publishes them before it returns, and the news need
// not wait for the lock that do holds. News of another's records ending
// there means that this append fails: it catches up then, and the news is
// let go too.
func (m *match) appending(end int) bool {
	if m.pending.Load() != int64(end) {
		return false
	}
	m.skipped.Store(true)
	return true
}

// Resync catches up with the Store; it implements Follower.
func (m *match) Resync() {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || !m.loaded {
		return
	}
	m.resync()
}

func (m *match) resync() {
	if err := m.catchUp(); err != nil && !errors.Is(err, protocol.ErrGameNotFound) {
		m.hub.log.Warn("catching up", "match", m.num, "err", err)
	}
	m.letGoIfEmpty()
}

// applyAll applies recs in order. Their events are sent to each client here
// at once, in one batch: catching up with many records that other servers
// appended takes one place in a client's send queue, as a replay does, and
// never gets the client dropped as a slow reader.
func (m *match) applyAll(recs []Record, local bool) {
	if len(recs) == 1 || m.batching {
		for _, r := range recs {
			m.apply(r, local)
		}
		return
	}
	m.batching = true
	defer m.flush()
	for _, r := range recs {
		m.apply(r, local)
	}
}

// send sends e to c now, or with the rest of c's batch while applyAll
// applies several records.
func (m *match) send(c *Client, e protocol.Event) {
	if !m.batching {
		c.send(e)
		return
	}
	for i := range m.batch {
		if m.batch[i].c == c {
			m.batch[i].events = append(m.batch[i].events, e)
			return
		}
	}
	m.batch = append(m.batch, outgoing{c: c, events: []protocol.Event{e}})
}

// closeConn closes c's connection, telling the client why in reason, after
// the events batched for it.
func (m *match) closeConn(c *Client, reason string) {
	for i := range m.batch {
		if o := &m.batch[i]; o.c == c && len(o.events) > 0 {
			c.sendAll(o.events)
			o.events = nil
		}
	}
	c.conn.Close(reason)
}

// flush sends each client its batch, and ends batching.
func (m *match) flush() {
	for _, o := range m.batch {
		if len(o.events) > 0 {
			o.c.sendAll(o.events)
		}
	}
	clear(m.batch)
	m.batch, m.batching = m.batch[:0], false
}

// apply applies one record to the core's state and carries out its effects.
// local is set for the records this server appended, which its metrics and
// logs count.
func (m *match) apply(r Record, local bool) {
	m.recs = append(m.recs, r)
	fx := m.st.applyInto(m.fx, r)
	m.fx = nil // carry may apply no other record, but if it did, not into fx
	switch r.Op {
	case Moved, NewRound, Offered, Closed, TimedOut, Abandoned, TookBack:
		m.moved.Add(1) // a think of the game before is worth nothing
	}
	m.carry(fx, local)
	if cap(fx) <= maxFx {
		clear(fx) // the events, for the collector
		m.fx = fx[:0]
	}
	if !m.closed {
		m.active()
	}
}

// carry carries out the effects of a record.
func (m *match) carry(fx []effect, local bool) {
	for _, e := range fx {
		switch e.op {
		case tell:
			m.broadcast(e.event)
		case tellAbandon:
			m.each(m.sendAbandoned)
		case seatTaken:
			m.taken(e.seat, e.conn)
		case seatLeft:
			m.away(e.seat, e.until, e.away)
		case moveMade:
			if local {
				m.hub.cfg.Observer.MoveAccepted(m.st.head.Mode)
			}
		case gameStarted:
			if local {
				m.counting = true
				m.hub.cfg.Observer.GameStarted(m.st.head.Mode)
				if m.hub.logsInfo() {
					m.hub.log.Info("game started", "match", m.num, "mode", m.st.head.Mode, "round", m.st.round)
				}
			}
		case gameEnded:
			if local || m.counting { // ended here, or elsewhere a game counted here
				m.logEnd(e.how)
			}
		case roundStarted:
			m.roundStarted()
		case matchClosed:
			reason := protocol.CloseIdle.Reason(m.hub.cfg.Idle)
			if m.st.invitation() {
				reason = protocol.CloseInvitationExpired.Reason(m.hub.cfg.Invitation)
			}
			m.each(func(c *Client) { m.closeConn(c, reason) })
			m.end(local)
		case computerTurn:
			m.computerTurn()
		case clockSet:
			m.armFlag()
		case tellTakeBack:
			m.tellTakeBack(e.event)
		case paired:
			if m.offer != nil {
				m.offer.Stop()
				m.offer = nil
			}
			if h := m.here[0].holder; h != nil {
				m.send(h, m.started(0))
			}
		}
	}
}

// guard recovers a panic in the match's code, on any of its goroutines: it
// logs it with the match's number and ends this match only, closing the
// connections of everyone in it here; every other game goes on. Each entry
// point defers it before it takes the lock, so that it runs once the lock
// is released; err, if not nil, is set to say that the command failed.
func (m *match) guard(err *error) {
	p := recover()
	if p == nil {
		return
	}
	m.hub.log.Error("panic in a match: ending it", "match", m.num, "panic", p, "stack", string(debug.Stack()))
	if err != nil {
		*err = fmt.Errorf("session: panic in match %d: %v", m.num, p)
	}
	defer func() {
		if p := recover(); p != nil {
			m.hub.log.Error("panic ending a match", "match", m.num, "panic", p)
		}
	}()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.each(func(c *Client) { c.conn.Close(protocol.CloseInternal.Reason()) })
	m.end(true)
}

// logEnd counts and logs the end of the current game.
func (m *match) logEnd(how string) {
	if m.counting {
		// Only a game this process counted as started: one loaded
		// from the Store after a restart was counted by the process
		// before.
		m.counting = false
		m.hub.cfg.Observer.GameEnded(m.st.head.Mode, how)
	}
	if !m.hub.logsInfo() {
		return
	}
	attrs := []any{"match", m.num, "mode", m.st.head.Mode, "round", m.st.round, "how", how, "moves", m.st.game.Len()}
	switch how {
	case "win":
		attrs = append(attrs, "winner", m.st.game.Winner())
	case "abandoned":
		attrs = append(attrs, "leaver", m.st.leaver)
	}
	m.hub.log.Info("game ended", attrs...)
}

// started returns the Started event for seat i, or for a spectator.
func (m *match) started(i int) protocol.Started {
	e := protocol.Started{Watch: m.id, Mode: m.st.head.Mode, Level: m.st.head.Level, Player: m.st.colour(i), Clock: m.st.head.Clock}
	if i != spectator {
		e.Token = m.st.seats[i].token
	}
	switch {
	case m.st.seeking():
		e.Player = 0 // no colour before the pairing draws them
	case i == 0 && m.st.head.Mode == protocol.Friends:
		e.Join = m.st.head.Join // a quick match's stays private
	}
	return e
}

// each calls f for every client of the match connected here.
func (m *match) each(f func(*Client)) {
	for _, s := range m.here {
		if s.holder != nil {
			f(s.holder)
		}
	}
	for c := range m.watchers {
		f(c)
	}
}

// broadcast sends e to every client of the match connected here.
func (m *match) broadcast(e protocol.Event) {
	m.each(func(c *Client) { m.send(c, e) })
}

// replay sends c, in one batch after first, what it needs to catch up: the
// moves so far, how the game ended, where the players are, and pending
// rematch offers. A replay of any length takes one place in the client's
// send queue, so that a late spectator is never taken for a slow reader.
func (m *match) replay(c *Client, first ...protocol.Event) {
	st := &m.st
	events := append(first, protocol.Replay(&st.game, c.version)...)
	if st.leaver != connect4.NoPlayer {
		events = append(events, m.abandoned(c))
	}
	if st.timeout != connect4.NoPlayer {
		events = append(events, protocol.Timeout{Player: st.timeout})
	}
	if st.timed() {
		events = append(events, st.clockEvent(m.hub.cfg.Now()))
	}
	if st.twoPeople() { // else no one else comes and goes
		for i, s := range st.seats {
			switch {
			case i == c.seat || !s.taken():
			case s.phase == seatHeld:
				events = append(events, protocol.Presence{Player: st.colour(i), Online: true})
			default:
				events = append(events, protocol.Presence{Player: st.colour(i), Grace: max(s.until.Sub(m.hub.cfg.Now()), 0)})
			}
			if st.offers[i] {
				events = append(events, protocol.RematchOffer{Player: st.colour(i)})
			}
		}
	}
	c.sendAll(events)
}

// abandoned returns the event that tells c that the game was abandoned, in
// words its version knows.
func (m *match) abandoned(c *Client) protocol.Event {
	if c.version < protocol.Version2 {
		e, _ := protocol.ErrorFor(protocol.ErrAbandoned)
		return e
	}
	return protocol.Abandoned{Player: m.st.leaver}
}

// sendAbandoned tells c that the game was abandoned.
func (m *match) sendAbandoned(c *Client) { m.send(c, m.abandoned(c)) }

// active notes that something happened, which puts off closing for idleness.
func (m *match) active() { m.idle.Reset(m.idleTime()) }

// join gives c the second seat; in a quick match, joinerRed says who plays
// red first.
func (m *match) join(c *Client, joinerRed bool) (err error) {
	defer m.guard(&err)
	m.mu.Lock()
	defer m.mu.Unlock()
	err = m.do(func() ([]Record, error) {
		if m.closed {
			return nil, errLetGo
		}
		return m.st.decideJoin(c.id, randomKey(18), m.hub.cfg.Now(), m.graceEnd(), joinerRed)
	})
	if errors.Is(err, protocol.ErrSeatTaken) {
		return takenError{watch: m.id}
	}
	if err != nil {
		return err
	}
	m.here[1].holder = c
	c.seat = 1
	if c.version < protocol.Version2 {
		m.replay(c) // the tutorial's joiner expects no init
		return nil
	}
	m.replay(c, m.started(1))
	return nil
}

// graceEnd returns when the grace of a player who leaves now ends.
func (m *match) graceEnd() time.Time {
	return m.hub.cfg.Now().Add(m.hub.cfg.Grace).Truncate(time.Millisecond)
}

// follow makes c a spectator.
func (m *match) follow(c *Client) (err error) {
	defer m.guard(&err)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errLetGo
	}
	m.watchers[c] = struct{}{}
	c.seat = spectator
	if c.version < protocol.Version2 {
		m.replay(c) // the tutorial's spectator expects no init
		return nil
	}
	m.replay(c, m.started(spectator))
	return nil
}

// resume gives c the seat of token back. A connection that still holds the
// seat, in another window, is closed.
func (m *match) resume(c *Client, token string) (err error) {
	defer m.guard(&err)
	m.mu.Lock()
	defer m.mu.Unlock()
	i := -1
	err = m.do(func() ([]Record, error) {
		var (
			recs []Record
			err  error
		)
		if m.closed {
			return nil, errLetGo
		}
		i, recs, err = m.st.decideResume(token, c.id)
		return recs, err
	})
	if err != nil {
		return err
	}
	m.here[i].holder = c
	c.seat = i
	m.replay(c, m.started(i))
	m.computerTurn()
	return nil
}

// taken records that conn holds seat i now. A client here that held it
// before, in another window, is closed.
func (m *match) taken(i int, conn string) {
	s := &m.here[i]
	if s.holder != nil && s.holder.id != conn {
		m.closeConn(s.holder, protocol.CloseReplaced.Reason())
		s.holder = nil
	}
	if s.grace != nil {
		s.grace.Stop()
		s.grace = nil
	}
}

// holds returns an error if c holds no seat here.
func (m *match) holds(c *Client) error {
	switch {
	case c.seat == spectator:
		return protocol.ErrSpectator
	case m.here[c.seat].reclaiming == c:
		return protocol.ErrUnavailable // in a moment
	case m.here[c.seat].holder != c:
		return protocol.ErrReplaced
	case m.closed:
		return protocol.ErrGameNotFound
	}
	return nil
}

// play plays c's move and sends the result to everyone.
func (m *match) play(c *Client, column int) error {
	return m.byHolder(c, func() ([]Record, error) { return m.st.decidePlay(c.seat, column, m.clockNow()) })
}

// clockNow returns the time for the records of a command that only a timed
// game reads the time for (the zero time in another): a move of an untimed
// game asks the clock nothing.
func (m *match) clockNow() time.Time {
	if !m.st.timed() {
		return time.Time{}
	}
	return m.hub.cfg.Now()
}

// byHolder carries out a command of c, which must hold a seat here, as
// decide decides it.
func (m *match) byHolder(c *Client, decide func() ([]Record, error)) (err error) {
	defer m.guard(&err)
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.do(func() ([]Record, error) {
		if err := m.holds(c); err != nil {
			return nil, err
		}
		return decide()
	})
}

// computerTurn sets the computer thinking if it is to move and its opponent is
// connected here. A move that needs no search, such as one from the opening
// book (QuickBot), is played at once; the others are chosen on the Hub's
// thinkers, without the match's lock: no connection waits for them, and no
// other game. The thinkers take the players' addresses in turn, one think
// running for each at most, so that one client's many games never hold back
// another player's.
//
// A match thinks once at a time: a resume or a rematch while the computer
// thinks starts no other think, and the one under way, when it ends, looks
// again. A think whose game moved on while it waited for its turn among the
// thinkers is dropped before it starts.
func (m *match) computerTurn() {
	if m.closed || m.thinking || !m.st.computerToMove() || m.here[0].holder == nil {
		return
	}
	m.thinking = true
	g, round, n, gen := m.st.game, m.st.round, m.st.game.Len(), m.moved.Load()
	client := m.here[0].holder.from
	if client == "" {
		client = "match " + m.id // no address to share a turn with
	}
	go func() {
		defer m.guard(nil)
		if q, ok := m.opp.bot.(QuickBot); ok {
			if column, ok := q.QuickMove(&g); ok {
				m.computerMoved(&g, round, n, column, nil)
				return
			}
		}
		queued := m.hub.thinkers.submit(client, think{
			run:   func() { m.think(g, round, n) },
			stale: func() bool { return m.moved.Load() != gen },
			drop:  m.dropThink,
		})
		if !queued {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.hub.log.Warn("computer move: too many thinks waiting, trying again", "match", m.num, "client", client)
			m.thinkAgain()
		}
	}()
}

// think chooses the computer's move in g, the game of round after n moves,
// and plays it.
func (m *match) think(g connect4.Game, round, n int) {
	defer m.guard(nil)
	ctx, cancel := context.WithTimeout(context.Background(), m.hub.cfg.ThinkTime)
	defer cancel()
	column, err := m.opp.bot.Move(ctx, &g)
	m.computerMoved(&g, round, n, column, err)
}

// computerMoved plays the computer's choice of column in g, the game of round
// after n moves, or its error, if the match has not moved on.
func (m *match) computerMoved(g *connect4.Game, round, n, column int, err error) {
	h := m.hub
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil || !g.CanPlay(column) {
		h.log.Error("computer move", "match", m.num, "level", m.opp.level, "column", column, "err", err)
		column = -1 // the core plays the first column that can be played
	}
	err = m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil
		}
		return m.st.decideComputer(round, n, column), nil
	})
	if errors.Is(err, protocol.ErrUnavailable) {
		h.log.Warn("computer move: trying again", "match", m.num, "err", err)
		m.thinkAgain()
		return
	}
	m.thinking = false
	m.computerTurn() // the game may have moved on to another turn of the computer's
}

// thinkAgain sets the computer thinking again a second later, as if it still
// thought meanwhile: nothing else starts a think before. m.mu is held.
func (m *match) thinkAgain() {
	m.thinking = true
	m.later(func() {
		m.thinking = false
		m.computerTurn()
	})
}

// dropThink ends a think that the thinkers dropped, its game having moved
// on: the computer looks at the turn the match has now.
func (m *match) dropThink() {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.thinking = false
	m.computerTurn()
}

// rematch records c's wish for a new game, and starts it once both seats want
// it; a hot-seat game starts over at once.
func (m *match) rematch(c *Client) error {
	return m.byHolder(c, func() ([]Record, error) { return m.st.decideRematch(c.seat, m.hub.cfg.Now()) })
}

// takeBack takes back c's last move.
func (m *match) takeBack(c *Client) error {
	return m.byHolder(c, func() ([]Record, error) { return m.st.decideTakeBack(c.seat) })
}

// tellTakeBack tells everyone here the moves left after a take-back, e: a
// Snapshot.
func (m *match) tellTakeBack(e protocol.Event) {
	m.renew(func(int) protocol.Event { return e }, protocol.CloseTakenBack)
}

// roundStarted tells everyone here that the next game began.
func (m *match) roundStarted() {
	m.renew(func(i int) protocol.Event { return m.started(i) }, protocol.CloseNewRound)
}

// renew tells everyone here the event for their seat, or for spectators,
// that the board changed under them. The tutorial's spectators cannot
// follow: they are let go, with why.
func (m *match) renew(event func(seat int) protocol.Event, why protocol.Close) {
	for i, s := range m.here {
		if s.holder != nil {
			m.send(s.holder, event(i))
		}
	}
	for c := range m.watchers {
		if c.version < protocol.Version2 {
			m.closeConn(c, why.Reason())
			delete(m.watchers, c)
			continue
		}
		m.send(c, event(spectator))
	}
}

// leave takes c out of the match. A seat is held for the grace time, if it has
// a token to come back with.
func (m *match) leave(c *Client) {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	defer m.letGoIfEmpty()
	if m.closed {
		return
	}
	if c.seat == spectator {
		delete(m.watchers, c)
		return
	}
	i, s := c.seat, &m.here[c.seat]
	if s.reclaiming == c {
		// Recorded as away already, by another server: it stays away.
		s.back.Stop()
		s.reclaiming, s.back = nil, nil
		return
	}
	if s.holder != c {
		return // replaced by a newer connection
	}
	s.holder = nil
	if m.st.seats[i].token == "" {
		// A tutorial hot-seat game: no one can come back to it, and no one
		// else is told.
		m.st.seats[i].phase = seatGone
		return
	}
	if i == 0 && m.st.seeking() {
		m.unseek() // no one may be paired with a player who left
	}
	m.recordLeft(i, c.id, m.graceEnd())
}

// armFlag sets the timer that records the running clock running out, or
// stops it if no clock runs.
func (m *match) armFlag() {
	if m.flag != nil {
		m.flag.Stop()
		m.flag = nil
	}
	at, ok := m.st.flagAt()
	if !ok || m.closed {
		return
	}
	m.flag = m.hub.cfg.AfterFunc(max(at.Sub(m.hub.cfg.Now()), 0), m.expireFlag)
}

// expireFlag records that the running clock ran out, if it has.
func (m *match) expireFlag() {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	fell := false
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil
		}
		recs := m.st.decideFlag(m.hub.cfg.Now())
		fell = len(recs) > 0
		return recs, nil
	})
	switch {
	case err != nil && !m.closed:
		m.hub.log.Warn("recording a clock that ran out: trying again", "match", m.num, "err", err)
		m.flag = m.hub.cfg.AfterFunc(retryDelay, m.expireFlag)
	case err == nil && !fell:
		m.armFlag() // early, by a clock set back: wait for the flag again
	}
}

// retryDelay is how long a server waits before it tries again a record that
// the Store could not take, such as while Redis is away.
const retryDelay = time.Second

// later calls f with the match's lock held after retryDelay, and returns the
// timer.
func (m *match) later(f func()) Timer {
	return m.hub.cfg.AfterFunc(retryDelay, func() {
		defer m.guard(nil)
		m.mu.Lock()
		defer m.mu.Unlock()
		f()
	})
}

// recordLeft records that conn, the holder of seat i, left and may come back
// until then. While the Store cannot take the record, it tries again: the
// opponent must learn of it, and the game may have to be abandoned.
func (m *match) recordLeft(i int, conn string, until time.Time) {
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil // taken back meanwhile, on another server
		}
		return m.st.decideLeave(i, conn, until), nil
	})
	if errors.Is(err, protocol.ErrUnavailable) {
		m.hub.log.Warn("leaving: trying again", "match", m.num, "err", err)
		// The timer keeps the match here until then; the seat's return
		// stops it.
		s := &m.here[i]
		s.grace = m.later(func() {
			s.grace = nil
			m.recordLeft(i, conn, until)
			m.letGoIfEmpty()
		})
	}
}

// away carries out a Left record: the holder of seat i left for the away-th
// time, and may come back until then.
func (m *match) away(i int, until time.Time, away int) {
	if now := m.hub.cfg.Now(); m.loading && until.Before(now.Add(m.hub.cfg.Grace)) {
		// No server held the match, as while this one restarted: the
		// player has the whole grace to come back from now on.
		until = now.Add(m.hub.cfg.Grace)
		m.st.seats[i].until = until
	}
	s := &m.here[i]
	if h := s.holder; h != nil && !m.loading {
		// Another server took this one for dead, wrongly: its player is
		// connected here, and takes the seat back at once.
		m.hub.log.Warn("a player connected here was recorded as away: taking the seat back", "match", m.num)
		s.reclaiming = h
		s.back = m.later(func() { m.reclaim(i) })
	}
	s.holder = nil
	if s.grace != nil {
		s.grace.Stop()
	}
	left := until.Sub(m.hub.cfg.Now())
	s.grace = m.hub.cfg.AfterFunc(left, func() { m.expireGrace(i, away) })
	if m.st.twoPeople() {
		m.broadcast(protocol.Presence{Player: m.st.colour(i), Grace: max(left, 0)})
	}
}

// reclaim records that the client connected here that another server took
// for gone holds seat i again, unless someone took it meanwhile.
func (m *match) reclaim(i int) {
	s := &m.here[i]
	c := s.reclaiming
	s.reclaiming, s.back = nil, nil
	if c == nil {
		return
	}
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil
		}
		return m.st.decideHold(i, c.id), nil
	})
	switch {
	case errors.Is(err, protocol.ErrUnavailable):
		s.reclaiming = c
		s.back = m.later(func() { m.reclaim(i) })
	case err == nil && m.st.seats[i].conn == c.id:
		s.holder = c
	}
}

// expireGrace gives up on the holder of seat i who left for the away-th time:
// a game in progress against a present opponent is abandoned.
func (m *match) expireGrace(i, away int) {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.st.seats[i]; m.closed || s.phase != seatAway || s.away != away {
		return // back in time, or a stale timer
	}
	m.here[i].grace = nil
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil
		}
		return m.st.decideAbandon(i, away, m.hub.cfg.Now()), nil
	})
	if errors.Is(err, protocol.ErrUnavailable) {
		m.hub.log.Warn("abandoning: trying again", "match", m.num, "err", err)
		m.here[i].grace = m.hub.cfg.AfterFunc(retryDelay, func() { m.expireGrace(i, away) })
		return
	}
	m.letGoIfEmpty()
}

// othersLocked returns the other servers whose connections hold seats in
// the match; m.mu is held.
func (m *match) othersLocked() []string {
	var servers []string
	for i, s := range m.st.seats {
		srv := serverOf(s.conn)
		if s.phase == seatHeld && m.here[i].holder == nil && srv != m.hub.cfg.Server && srv != "" && !slices.Contains(servers, srv) {
			servers = append(servers, srv)
		}
	}
	return servers
}

// awayFromLocked records as left the seats held by the connections of
// server srv, which stopped running; m.mu is held.
func (m *match) awayFromLocked(srv string) {
	for i, s := range m.st.seats {
		if serverOf(s.conn) == srv && s.phase == seatHeld && m.here[i].holder == nil {
			m.recordLeft(i, s.conn, m.graceEnd())
		}
	}
}

// letGoIfEmpty lets the match go once no one is in it here, nor may come back
// to it here. The Store forgets it too if no one holds a seat anywhere, unless
// it is an invitation that waits for the friend.
func (m *match) letGoIfEmpty() {
	if m.closed || len(m.watchers) > 0 {
		return
	}
	deserted := true
	for i, s := range m.here {
		if s.holder != nil || s.grace != nil || s.reclaiming != nil {
			return
		}
		deserted = deserted && m.st.seats[i].phase != seatHeld
	}
	if deserted && !m.st.invitation() {
		m.end(true)
		return
	}
	m.stop() // the Store keeps it, for whoever comes back or joins
}

// letGo lets the match go if no one is in it here.
func (m *match) letGo() {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.letGoIfEmpty()
}

// expireIdle closes the match, and the connections of everyone in it, after
// the idle time without a command.
func (m *match) expireIdle() {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil
		}
		return m.st.decideClose(m.hub.cfg.Now()), nil
	})
	if err != nil && !m.closed {
		m.hub.log.Warn("closing an idle match: trying again", "match", m.num, "err", err)
		m.idle.Reset(retryDelay)
	}
}

// vanish ends the match here, which the Store does not have any more: it
// expired, or another server closed it.
func (m *match) vanish() {
	m.each(func(c *Client) { m.closeConn(c, protocol.CloseGameOver.Reason()) })
	m.end(false)
}

// end ends the match for good: the Store forgets it if drop is set.
func (m *match) end(drop bool) {
	if fx := m.st.endGame("unfinished"); len(fx) > 0 && drop {
		m.logEnd("unfinished")
	}
	m.stop()
	m.hub.holdUntil(m.id, time.Time{}) // over: it counts no more for its creator
	if drop {
		ctx := m.hub.storeContext()
		defer ctx.cancel()
		m.hub.store.Drop(ctx, m.id)
		if m.hub.logsInfo() {
			m.hub.log.Info("match ended", "match", m.num, "mode", m.st.head.Mode, "games", m.st.round+1)
		}
	}
}

// stop lets the match go: this server forgets it.
func (m *match) stop() {
	m.closed = true
	m.idle.Stop()
	for _, t := range []Timer{m.offer, m.flag} {
		if t != nil {
			t.Stop()
		}
	}
	for i := range m.here {
		for _, t := range []Timer{m.here[i].grace, m.here[i].back} {
			if t != nil {
				t.Stop()
			}
		}
	}
	m.unfollow()
	m.hub.unregister(m)
	// Its creator holds it while the Store may keep it, for whoever comes
	// back or joins.
	life := m.hub.cfg.lifetimes()
	keep := life.Match
	if m.st.invitation() && !m.hub.shared() {
		keep = life.Invitation // a Store shared by servers keeps it for Match
	}
	m.hub.holdUntil(m.id, m.hub.cfg.Now().Add(keep))
}
