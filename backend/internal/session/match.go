package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// matchIDs numbers the matches in the logs, which never show their keys.
var matchIDs atomic.Uint64

// match is this server's copy of two seats playing one game after another,
// with spectators: the Store's header and records, applied in order, and the
// clients connected here.
//
// A command decides, under mu, what records it adds; [match.do] appends them
// to the Store at the end of the records applied so far, and applies them,
// which sends the events to the clients here. Records that other servers
// append arrive through [match.Appended] and are applied the same way. So all
// clients, wherever they are connected, see the same events in the same
// order, and a client that enters gets the moves so far and then every later
// one, none lost and none twice.
type match struct {
	hub *Hub
	id  string // the watch key, and the match's id in the Store
	num uint64 // numbers the match in this server's logs

	mu       sync.Mutex
	loaded   bool // the header and records are applied
	loading  bool // the records are being applied by load
	closed   bool // ended, or let go by this server: refusing everything
	head     Header
	opp      opponent // the computer, in a Computer match
	unfollow func()   // stops news of other servers' records
	n        int      // records applied
	recs     []Record // the records applied, to heal a Store that lost some
	game     *connect4.Game
	round    int     // games started before this one; colours swap each round
	seats    [2]seat // 0 started the match, 1 joined it
	watchers map[*Client]struct{}
	offers   [2]bool         // which seats asked for a rematch
	leaver   connect4.Player // who abandoned this game, or NoPlayer
	playing  bool            // the game has started and not ended
	idle     Timer           // closes the match when nothing happens
}

// seat is one side of a match.
type seat struct {
	token  string  // resumes the seat; "" for a tutorial hot-seat game
	taken  bool    // someone has held the seat
	held   bool    // someone holds it now, here or on another server
	conn   string  // the id of the Client that holds it
	holder *Client // the Client that holds it, if connected here
	away   int     // counts the holder's departures, to spot stale timers
	grace  Timer   // running while the holder is away, or nil
	until  time.Time
	// reclaiming is the client connected here that another server wrongly
	// recorded as away, while back runs to take its seat back.
	reclaiming *Client
	back       Timer
}

// errLetGo is returned for a match this server let go of while a client was
// entering it: the client finds it again in the Store.
var errLetGo = errors.New("session: match let go")

// newMatch starts a match of mode whose first seat creator holds, and tells the
// creator its keys if announce is set (a tutorial hot-seat game, started by a
// first play, is told nothing).
func newMatch(h *Hub, mode protocol.Mode, opp opponent, creator *Client, announce bool) (*match, error) {
	head := Header{ID: randomKey(12), Mode: mode, Conn: creator.id, Level: opp.level, Yellow: opp.yellow}
	if mode == protocol.Friends {
		head.Join = randomKey(12)
	}
	if announce {
		head.Token = randomKey(18)
	}
	m := &match{hub: h, id: head.ID, num: matchIDs.Add(1)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := h.register(m); err != nil {
		return nil, err
	}
	ctx, cancel := h.storeContext()
	defer cancel()
	if err := h.store.Create(ctx, head); err != nil {
		h.unregister(m)
		return nil, unavailable(err)
	}
	m.unfollow = h.store.Follow(m.id, m)
	m.start(head, opp)
	m.seats[0].holder = creator
	m.startGame(true)
	if announce {
		creator.send(m.started(0))
	}
	m.computerTurn()
	return m, nil
}

// start sets the match up as its header says, before any record.
func (m *match) start(head Header, opp opponent) {
	m.head, m.opp = head, opp
	m.loaded = true
	m.game = connect4.NewGame()
	m.watchers = make(map[*Client]struct{})
	m.seats[0] = seat{token: head.Token, taken: true, held: true, conn: head.Conn}
	if head.Mode == protocol.Computer {
		m.seats[1].taken = true // by the computer, for good
		if head.Yellow {
			m.round = 1 // colours as after a rematch: the human is yellow
		}
	}
	m.playing = true
	m.idle = m.hub.cfg.AfterFunc(m.idleTime(), m.expireIdle)
}

// invitation reports whether the match is an invitation that no friend took
// yet.
func (m *match) invitation() bool {
	return m.head.Mode == protocol.Friends && !m.seats[1].taken
}

// idleTime returns how long the match may go without a record before it is
// closed: an invitation waits for the friend longer than a game waits for a
// move.
func (m *match) idleTime() time.Duration {
	if m.invitation() {
		return m.hub.cfg.Invitation
	}
	return m.hub.cfg.Idle
}

// load sets up a match that another server started, from the Store. It starts
// following the match first, so that no record is missed.
func (m *match) load() error {
	h := m.hub
	m.unfollow = h.store.Follow(m.id, m)
	ctx, cancel := h.storeContext()
	defer cancel()
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
	m.seats[0].held = head.Token != "" // a tutorial hot-seat game has no one to come back
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
func (m *match) do(decide func() ([]Record, error)) error {
	for tries := 0; ; tries++ {
		recs, err := decide()
		if err != nil || len(recs) == 0 {
			return err
		}
		ctx, cancel := m.hub.storeContext()
		err = m.hub.store.Append(ctx, m.id, m.n, recs...)
		cancel()
		switch {
		case err == nil:
			for _, r := range recs {
				m.apply(r, true)
			}
			return nil
		case tries == 10:
			return unavailable(err) // cannot happen but with a storm of appends
		case errors.Is(err, ErrNotFound) || errors.Is(err, ErrBehind):
			if err := m.heal(); err != nil {
				return err
			}
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
	return m.seats[0].holder != nil || m.seats[1].holder != nil
}

// heal gives the Store back the records it lost of a match this server
// holds, as a Redis restarted without persistence does: the whole match if
// it has none of it, else the records past those it has. The game goes on.
func (m *match) heal() error {
	ctx, cancel := m.hub.storeContext()
	defer cancel()
	_, recs, err := m.hub.store.Load(ctx, m.id, 0)
	have := len(recs)
	switch {
	case errors.Is(err, ErrNotFound):
		if err := m.hub.store.Create(ctx, m.head); err != nil {
			return unavailable(err)
		}
		have = 0
	case err != nil:
		return unavailable(err)
	case have >= m.n:
		return nil // another server appended meanwhile: catch up and decide again
	}
	if err := m.hub.store.Append(ctx, m.id, have, m.recs[have:]...); err != nil && !errors.Is(err, ErrConflict) {
		return unavailable(err)
	}
	m.hub.log.Warn("the store had lost records of a match: given back", "match", m.num, "had", have, "records", m.n)
	return nil
}

// catchUp applies the records that other servers appended since the last one
// applied here.
func (m *match) catchUp() error {
	ctx, cancel := m.hub.storeContext()
	defer cancel()
	_, recs, err := m.hub.store.Load(ctx, m.id, m.n)
	switch {
	case errors.Is(err, ErrNotFound) && m.seatedHere():
		// Someone plays here: the Store lost the match, or its latest
		// records.
		if err := m.heal(); err != nil {
			return err
		}
		return nil
	case errors.Is(err, ErrNotFound):
		m.vanish()
		return protocol.ErrGameNotFound
	case err != nil:
		return unavailable(err)
	}
	for _, r := range recs {
		m.apply(r, false)
	}
	return nil
}

// Appended applies the records other servers appended; it implements
// Follower.
func (m *match) Appended(at int, recs []Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || !m.loaded || at+len(recs) <= m.n {
		return // news of what this server has already
	}
	if at > m.n {
		m.resync() // some were missed
		return
	}
	for _, r := range recs[m.n-at:] {
		m.apply(r, false)
	}
	m.letGoIfEmpty()
}

// Resync catches up with the Store; it implements Follower.
func (m *match) Resync() {
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

// apply applies one record: it changes the match and tells the clients here.
// local is set for the records this server appended, which its metrics and
// logs count.
func (m *match) apply(r Record, local bool) {
	m.n++
	m.recs = append(m.recs, r)
	defer func() {
		if !m.closed {
			m.active()
		}
	}()
	switch r.Op {
	case Joined:
		s := &m.seats[1]
		s.taken, s.token, s.held, s.conn = true, r.Token, true, r.Conn
		m.broadcast(protocol.Presence{Player: m.colour(1), Online: true}, nil)
	case Held:
		m.hold(r.Seat, r.Conn)
	case Left:
		m.away(r.Seat, r.Until)
	case Moved:
		m.move(r.Column, local)
	case Offered:
		m.offers[r.Seat] = true
		m.broadcast(protocol.RematchOffer{Player: m.colour(r.Seat)}, nil)
		if m.offers[0] && m.offers[1] {
			m.newRound(local)
		}
	case NewRound:
		m.newRound(local)
	case Abandoned:
		m.leaver = m.colour(r.Seat)
		m.each(m.sendAbandoned)
		m.endGame(local, "abandoned", "leaver", m.leaver)
	case Closed:
		reason := protocol.CloseIdle.Reason(m.hub.cfg.Idle)
		if m.invitation() {
			reason = protocol.CloseInvitationExpired.Reason(m.hub.cfg.Invitation)
		}
		m.each(func(c *Client) { c.conn.Close(reason) })
		m.end(local)
	default:
		m.hub.log.Error("unknown record", "match", m.num, "record", r.String())
	}
}

// colour returns the colour of seat i in this round: the seats swap colours at
// each rematch. In a hot-seat game the one seat plays both: NoPlayer.
func (m *match) colour(i int) connect4.Player {
	if m.head.Mode == protocol.HotSeat || i == spectator {
		return connect4.NoPlayer
	}
	if (i+m.round)%2 == 0 {
		return connect4.Red
	}
	return connect4.Yellow
}

// started returns the Started event for seat i, or for a spectator.
func (m *match) started(i int) protocol.Started {
	e := protocol.Started{Watch: m.id, Mode: m.head.Mode, Level: m.head.Level, Player: m.colour(i)}
	if i != spectator {
		e.Token = m.seats[i].token
	}
	if i == 0 {
		e.Join = m.head.Join
	}
	return e
}

// over reports whether the current game has ended, by a result or abandoned.
func (m *match) over() bool { return m.game.Over() || m.leaver != connect4.NoPlayer }

// each calls f for every client of the match connected here.
func (m *match) each(f func(*Client)) {
	for _, s := range m.seats {
		if s.holder != nil {
			f(s.holder)
		}
	}
	for c := range m.watchers {
		f(c)
	}
}

// broadcast sends e to every client of the match connected here but skip. The
// events of who comes and goes are for Friends matches only.
func (m *match) broadcast(e protocol.Event, skip *Client) {
	if _, ok := e.(protocol.Presence); ok && m.head.Mode != protocol.Friends {
		return
	}
	m.each(func(c *Client) {
		if c != skip {
			c.send(e)
		}
	})
}

// replay sends c, in one batch after first, what it needs to catch up: the
// moves so far, how the game ended, where the players are, and pending
// rematch offers. A replay of any length takes one place in the client's
// send queue, so that a late spectator is never taken for a slow reader.
func (m *match) replay(c *Client, first ...protocol.Event) {
	events := append(first, protocol.Replay(m.game, c.version)...)
	if m.leaver != connect4.NoPlayer {
		events = append(events, m.abandoned(c))
	}
	if m.head.Mode == protocol.Friends { // else no one else comes and goes
		for i, s := range m.seats {
			switch {
			case i == c.seat || !s.taken:
			case s.held:
				events = append(events, protocol.Presence{Player: m.colour(i), Online: true})
			default:
				events = append(events, protocol.Presence{Player: m.colour(i), Grace: max(s.until.Sub(m.hub.cfg.Now()), 0)})
			}
			if m.offers[i] {
				events = append(events, protocol.RematchOffer{Player: m.colour(i)})
			}
		}
	}
	c.sendAll(events)
}

// abandoned returns the event that tells c that the game was abandoned, in
// words its version knows.
func (m *match) abandoned(c *Client) protocol.Event {
	if c.version < protocol.Version {
		e, _ := protocol.ErrorFor(protocol.ErrAbandoned)
		return e
	}
	return protocol.Abandoned{Player: m.leaver}
}

// sendAbandoned tells c that the game was abandoned.
func (m *match) sendAbandoned(c *Client) { c.send(m.abandoned(c)) }

// active notes that something happened, which puts off closing for idleness.
func (m *match) active() { m.idle.Reset(m.idleTime()) }

// join gives c the second seat.
func (m *match) join(c *Client) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.do(func() ([]Record, error) {
		switch {
		case m.closed:
			return nil, errLetGo
		case m.head.Mode != protocol.Friends:
			return nil, protocol.ErrGameNotFound
		case m.seats[1].taken:
			return nil, protocol.ErrSeatTaken
		}
		recs := []Record{{Op: Joined, Token: randomKey(18), Conn: c.id}}
		if !m.seats[0].held {
			// The inviter is away, maybe for hours: the game starts
			// now, and so does the time to come back.
			recs = append(recs, Record{Op: Left, Seat: 0, Until: m.hub.cfg.Now().Add(m.hub.cfg.Grace).Truncate(time.Millisecond)})
		}
		return recs, nil
	})
	if err != nil {
		return err
	}
	m.seats[1].holder = c
	c.seat = 1
	if c.version < protocol.Version {
		m.replay(c) // the tutorial's joiner expects no init
		return nil
	}
	m.replay(c, m.started(1))
	return nil
}

// follow makes c a spectator.
func (m *match) follow(c *Client) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errLetGo
	}
	m.watchers[c] = struct{}{}
	c.seat = spectator
	if c.version < protocol.Version {
		m.replay(c) // the tutorial's spectator expects no init
		return nil
	}
	m.replay(c, m.started(spectator))
	return nil
}

// resume gives c the seat of token back. A connection that still holds the
// seat, in another window, is closed.
func (m *match) resume(c *Client, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := -1
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, errLetGo
		}
		i = slices.IndexFunc(m.seats[:], func(s seat) bool { return s.token == token })
		if i < 0 {
			return nil, protocol.ErrTokenExpired
		}
		return []Record{{Op: Held, Seat: i, Conn: c.id}}, nil
	})
	if err != nil {
		return err
	}
	m.seats[i].holder = c
	c.seat = i
	m.replay(c, m.started(i))
	m.computerTurn()
	return nil
}

// hold records that conn holds seat i now. A client here that held it before,
// in another window, is closed.
func (m *match) hold(i int, conn string) {
	s := &m.seats[i]
	if s.holder != nil && s.holder.id != conn {
		s.holder.conn.Close(protocol.CloseReplaced.Reason())
		s.holder = nil
	}
	if s.grace != nil {
		s.grace.Stop()
		s.grace = nil
	}
	was := s.held
	s.held, s.conn = true, conn
	if !was {
		m.broadcast(protocol.Presence{Player: m.colour(i), Online: true}, nil)
	}
}

// holds returns c's seat, or an error if c holds none.
func (m *match) holds(c *Client) (*seat, error) {
	switch {
	case c.seat == spectator:
		return nil, protocol.ErrSpectator
	case m.seats[c.seat].reclaiming == c:
		return nil, protocol.ErrUnavailable // in a moment
	case m.seats[c.seat].holder != c:
		return nil, protocol.ErrReplaced
	case m.closed:
		return nil, protocol.ErrGameNotFound
	}
	return &m.seats[c.seat], nil
}

// play plays c's move and sends the result to everyone.
func (m *match) play(c *Client, column int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.do(func() ([]Record, error) {
		if _, err := m.holds(c); err != nil {
			return nil, err
		}
		if m.leaver != connect4.NoPlayer {
			return nil, protocol.ErrAbandoned
		}
		p := m.colour(c.seat)
		if m.head.Mode == protocol.HotSeat {
			p = m.game.Turn()
		}
		trial := *m.game
		if _, err := trial.Play(p, column); err != nil {
			return nil, err
		}
		return []Record{{Op: Moved, Column: column}}, nil
	})
}

// move plays the move of a Moved record and tells everyone of it and what
// follows from it: the end of the game, or the computer's turn.
func (m *match) move(column int, local bool) {
	mv, err := m.game.Play(m.game.Turn(), column)
	if err != nil {
		m.hub.log.Error("stored move", "match", m.num, "column", column, "err", err) // the Store checks
		return
	}
	if local {
		m.hub.cfg.Observer.MoveAccepted(m.head.Mode)
	}
	for _, e := range protocol.Result(m.game, mv) {
		m.broadcast(e, nil)
	}
	switch {
	case m.game.Winner() != connect4.NoPlayer:
		m.endGame(local, "win", "winner", m.game.Winner())
	case m.game.Draw():
		m.endGame(local, "draw")
	default:
		m.computerTurn()
	}
}

// computerTurn sets the computer thinking if it is to move and its opponent is
// connected here. It thinks on a goroutine of its own, among at most
// Config.Thinkers, without the match's lock: no connection waits for it, and
// no other game.
func (m *match) computerTurn() {
	if m.closed || m.head.Mode != protocol.Computer || m.over() || m.game.Turn() != m.colour(1) || m.seats[0].holder == nil {
		return
	}
	g, round, n := *m.game, m.round, m.game.Len()
	h := m.hub
	go func() {
		h.thinkers <- struct{}{}
		defer func() { <-h.thinkers }()
		ctx, cancel := context.WithTimeout(context.Background(), h.cfg.ThinkTime)
		defer cancel()
		column, err := m.opp.bot.Move(ctx, &g)
		m.mu.Lock()
		defer m.mu.Unlock()
		err = m.do(func() ([]Record, error) {
			if m.closed || m.round != round || m.game.Len() != n {
				return nil, nil // the game moved on while the computer thought
			}
			if err != nil || !m.game.CanPlay(column) {
				h.log.Error("computer move", "match", m.num, "level", m.opp.level, "column", column, "err", err)
				column, err = firstPlayable(m.game), nil
			}
			return []Record{{Op: Moved, Column: column}}, nil
		})
		if errors.Is(err, protocol.ErrUnavailable) {
			h.log.Warn("computer move: trying again", "match", m.num, "err", err)
			m.later(m.computerTurn)
		}
	}()
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

// rematch records c's wish for a new game, and starts it once both seats want
// it; a hot-seat game starts over at once.
func (m *match) rematch(c *Client) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.do(func() ([]Record, error) {
		if _, err := m.holds(c); err != nil {
			return nil, err
		}
		if m.head.Mode != protocol.Friends { // no one to agree with
			return []Record{{Op: NewRound}}, nil
		}
		if !m.over() {
			return nil, protocol.ErrNotOver
		}
		if m.offers[c.seat] {
			return nil, nil
		}
		return []Record{{Op: Offered, Seat: c.seat}}, nil
	})
}

// newRound starts the next game, colours swapped, and tells everyone. The
// tutorial's spectators cannot follow a new game on the same page: they are
// let go.
func (m *match) newRound(local bool) {
	m.endGame(local, "unfinished")
	m.round++
	m.game = connect4.NewGame()
	m.offers = [2]bool{}
	m.leaver = connect4.NoPlayer
	m.startGame(local)
	for i, s := range m.seats {
		if s.holder != nil {
			s.holder.send(m.started(i))
		}
	}
	for c := range m.watchers {
		if c.version < protocol.Version {
			c.conn.Close(protocol.CloseNewRound.Reason())
			delete(m.watchers, c)
			continue
		}
		c.send(m.started(spectator))
	}
	m.computerTurn()
}

// leave takes c out of the match. A seat is held for the grace time, if it has
// a token to come back with.
func (m *match) leave(c *Client) {
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
	i, s := c.seat, &m.seats[c.seat]
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
	if s.token == "" {
		s.held = false // no one can come back to it
		return
	}
	m.recordLeft(i, c.id, m.hub.cfg.Now().Add(m.hub.cfg.Grace).Truncate(time.Millisecond))
}

// retryDelay is how long a server waits before it tries again a record that
// the Store could not take, such as while Redis is away.
const retryDelay = time.Second

// later calls f with the match's lock held after retryDelay, and returns the
// timer.
func (m *match) later(f func()) Timer {
	return m.hub.cfg.AfterFunc(retryDelay, func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		f()
	})
}

// recordLeft records that conn, the holder of seat i, left and may come back
// until then. While the Store cannot take the record, it tries again: the
// opponent must learn of it, and the game may have to be abandoned.
func (m *match) recordLeft(i int, conn string, until time.Time) {
	s := &m.seats[i]
	err := m.do(func() ([]Record, error) {
		if m.closed || s.conn != conn {
			return nil, nil // taken back meanwhile, on another server
		}
		return []Record{{Op: Left, Seat: i, Until: until}}, nil
	})
	if errors.Is(err, protocol.ErrUnavailable) {
		m.hub.log.Warn("leaving: trying again", "match", m.num, "err", err)
		// The timer keeps the match here until then; the seat's return
		// stops it.
		s.grace = m.later(func() {
			s.grace = nil
			m.recordLeft(i, conn, until)
			m.letGoIfEmpty()
		})
	}
}

// away records that the holder of seat i left, and may come back until then.
func (m *match) away(i int, until time.Time) {
	if now := m.hub.cfg.Now(); m.loading && until.Before(now.Add(m.hub.cfg.Grace)) {
		// No server held the match, as while this one restarted: the
		// player has the whole grace to come back from now on.
		until = now.Add(m.hub.cfg.Grace)
	}
	s := &m.seats[i]
	if h := s.holder; h != nil && !m.loading {
		// Another server took this one for dead, wrongly: its player is
		// connected here, and takes the seat back at once.
		m.hub.log.Warn("a player connected here was recorded as away: taking the seat back", "match", m.num)
		s.reclaiming = h
		s.back = m.later(func() { m.reclaim(i) })
	}
	s.held, s.conn, s.holder = false, "", nil
	s.away++
	s.until = until
	if s.grace != nil {
		s.grace.Stop()
	}
	away, left := s.away, until.Sub(m.hub.cfg.Now())
	s.grace = m.hub.cfg.AfterFunc(left, func() { m.expireGrace(i, away) })
	m.broadcast(protocol.Presence{Player: m.colour(i), Grace: max(left, 0)}, nil)
}

// reclaim records that the client connected here that another server took
// for gone holds seat i again, unless someone took it meanwhile.
func (m *match) reclaim(i int) {
	s := &m.seats[i]
	c := s.reclaiming
	s.reclaiming, s.back = nil, nil
	if m.closed || c == nil || s.held {
		return
	}
	err := m.do(func() ([]Record, error) {
		if m.closed || s.held {
			return nil, nil
		}
		return []Record{{Op: Held, Seat: i, Conn: c.id}}, nil
	})
	switch {
	case errors.Is(err, protocol.ErrUnavailable):
		s.reclaiming = c
		s.back = m.later(func() { m.reclaim(i) })
	case err == nil && s.conn == c.id:
		s.holder = c
	}
}

// expireGrace gives up on the holder of seat i who left for the away-th time:
// a game in progress against a present opponent is abandoned.
func (m *match) expireGrace(i, away int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := &m.seats[i]
	if m.closed || s.held || s.away != away {
		return // back in time, or a stale timer
	}
	s.grace = nil
	err := m.do(func() ([]Record, error) {
		if m.closed || s.held || s.away != away || m.head.Mode != protocol.Friends || m.over() || !m.seats[1-i].taken {
			return nil, nil
		}
		return []Record{{Op: Abandoned, Seat: i}}, nil
	})
	if errors.Is(err, protocol.ErrUnavailable) {
		m.hub.log.Warn("abandoning: trying again", "match", m.num, "err", err)
		s.grace = m.hub.cfg.AfterFunc(retryDelay, func() { m.expireGrace(i, away) })
		return
	}
	m.letGoIfEmpty()
}

// othersLocked returns the other servers whose connections hold seats in
// the match; m.mu is held.
func (m *match) othersLocked() []string {
	var servers []string
	for _, s := range m.seats {
		if srv := serverOf(s.conn); s.held && s.holder == nil && srv != m.hub.cfg.Server && srv != "" && !slices.Contains(servers, srv) {
			servers = append(servers, srv)
		}
	}
	return servers
}

// awayFromLocked records as left the seats held by the connections of
// server srv, which stopped running; m.mu is held.
func (m *match) awayFromLocked(srv string) {
	for i, s := range m.seats {
		if serverOf(s.conn) == srv && s.held && s.holder == nil {
			m.recordLeft(i, s.conn, m.hub.cfg.Now().Add(m.hub.cfg.Grace).Truncate(time.Millisecond))
		}
	}
}

// startGame records the start of the current game.
func (m *match) startGame(local bool) {
	m.playing = true
	if local {
		m.hub.cfg.Observer.GameStarted(m.head.Mode)
		m.hub.log.Info("game started", "match", m.num, "mode", m.head.Mode, "round", m.round)
	}
}

// endGame records the end of the current game, how it ended, with more log
// attributes; it does nothing if the game has ended already.
func (m *match) endGame(local bool, how string, attrs ...any) {
	if !m.playing {
		return
	}
	m.playing = false
	if local {
		m.hub.cfg.Observer.GameEnded(m.head.Mode, how)
		m.hub.log.Info("game ended", append([]any{"match", m.num, "mode", m.head.Mode, "round", m.round,
			"how", how, "moves", m.game.Len()}, attrs...)...)
	}
}

// letGoIfEmpty lets the match go once no one is in it here, nor may come back
// to it here. The Store forgets it too if no one holds a seat anywhere.
func (m *match) letGoIfEmpty() {
	if m.closed || len(m.watchers) > 0 {
		return
	}
	deserted := true
	for _, s := range m.seats {
		if s.holder != nil || s.grace != nil || s.reclaiming != nil {
			return
		}
		deserted = deserted && !s.held
	}
	if deserted && !m.invitation() {
		m.end(true)
		return
	}
	m.stop() // the Store keeps it, for whoever comes back or joins
}

// letGo lets the match go if no one is in it here.
func (m *match) letGo() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.letGoIfEmpty()
}

// expireIdle closes the match, and the connections of everyone in it, after
// the idle time without a command.
func (m *match) expireIdle() {
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.do(func() ([]Record, error) {
		if m.closed {
			return nil, nil
		}
		return []Record{{Op: Closed}}, nil
	})
	if err != nil && !m.closed {
		m.hub.log.Warn("closing an idle match: trying again", "match", m.num, "err", err)
		m.idle.Reset(retryDelay)
	}
}

// vanish ends the match here, which the Store does not have any more: it
// expired, or another server closed it.
func (m *match) vanish() {
	m.each(func(c *Client) { c.conn.Close(protocol.CloseGameOver.Reason()) })
	m.end(false)
}

// end ends the match for good: the Store forgets it if drop is set.
func (m *match) end(drop bool) {
	m.endGame(drop, "unfinished")
	m.stop()
	if drop {
		ctx, cancel := m.hub.storeContext()
		defer cancel()
		m.hub.store.Drop(ctx, m.id)
		m.hub.log.Info("match ended", "match", m.num, "mode", m.head.Mode, "games", m.round+1)
	}
}

// stop lets the match go: this server forgets it.
func (m *match) stop() {
	m.closed = true
	m.idle.Stop()
	for i := range m.seats {
		for _, t := range []Timer{m.seats[i].grace, m.seats[i].back} {
			if t != nil {
				t.Stop()
			}
		}
	}
	m.unfollow()
	m.hub.unregister(m)
}
