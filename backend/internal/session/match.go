package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// matchIDs numbers the matches in the logs, which never show their keys.
var matchIDs atomic.Uint64

// match is two seats playing one game after another, with spectators. Every
// change and every event it sends happens under mu, so that all its clients see
// the same events in the same order, and a client that enters gets the moves so
// far and then every later one, none lost and none twice.
type match struct {
	hub     *Hub
	id      uint64
	mode    protocol.Mode
	joinKey string   // the key that takes the second seat; "" unless Friends
	watch   string   // the key that follows the match
	opp     opponent // the computer, in a Computer match

	mu       sync.Mutex
	closed   bool // ended: out of the hub, refusing everything
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
	holder *Client // the connected holder, or nil
	away   int     // counts the holder's departures, to spot stale timers
	grace  Timer   // running while the holder is away, or nil
	until  time.Time
}

// newMatch starts a match of mode whose first seat creator holds, and tells the
// creator its keys if announce is set (a tutorial hot-seat game, started by a
// first play, is told nothing).
func newMatch(h *Hub, mode protocol.Mode, opp opponent, creator *Client, announce bool) (*match, error) {
	m := &match{
		hub:      h,
		id:       matchIDs.Add(1),
		mode:     mode,
		opp:      opp,
		watch:    randomKey(12),
		game:     connect4.NewGame(),
		watchers: make(map[*Client]struct{}),
	}
	if mode == protocol.Friends {
		m.joinKey = randomKey(12)
	}
	if announce {
		m.seats[0].token = randomKey(18)
	}
	m.seats[0].taken, m.seats[0].holder = true, creator
	if mode == protocol.Computer {
		m.seats[1].taken = true // by the computer, for good
		if opp.yellow {
			m.round = 1 // colours as after a rematch: the human is yellow
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := h.register(m); err != nil {
		return nil, err
	}
	m.idle = h.cfg.AfterFunc(h.cfg.Idle, m.expireIdle)
	m.startGame()
	if announce {
		creator.send(m.started(0))
	}
	m.computerTurn()
	return m, nil
}

// randomKey returns n random bytes, URL-safe: 12 bytes make the tutorial's
// 16-character keys.
func randomKey(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: see crypto/rand.Read
	return base64.RawURLEncoding.EncodeToString(b)
}

// colour returns the colour of seat i in this round: the seats swap colours at
// each rematch. In a hot-seat game the one seat plays both: NoPlayer.
func (m *match) colour(i int) connect4.Player {
	if m.mode == protocol.HotSeat || i == spectator {
		return connect4.NoPlayer
	}
	if (i+m.round)%2 == 0 {
		return connect4.Red
	}
	return connect4.Yellow
}

// started returns the Started event for seat i, or for a spectator.
func (m *match) started(i int) protocol.Started {
	e := protocol.Started{Watch: m.watch, Mode: m.mode, Level: m.opp.level, Player: m.colour(i)}
	if i != spectator {
		e.Token = m.seats[i].token
	}
	if i == 0 {
		e.Join = m.joinKey
	}
	return e
}

// over reports whether the current game has ended, by a result or abandoned.
func (m *match) over() bool { return m.game.Over() || m.leaver != connect4.NoPlayer }

// each calls f for every connected client of the match.
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

// broadcast sends e to every client of the match but skip.
func (m *match) broadcast(e protocol.Event, skip *Client) {
	m.each(func(c *Client) {
		if c != skip {
			c.send(e)
		}
	})
}

// replay sends c what it needs to catch up: the moves so far, how the game
// ended, where the players are, and pending rematch offers.
func (m *match) replay(c *Client) {
	for _, mv := range m.game.Moves() {
		c.send(protocol.Played{Player: mv.Player, Column: mv.Column, Row: mv.Row})
	}
	if w := m.game.Winner(); w != connect4.NoPlayer {
		line, _ := m.game.WinningLine()
		c.send(protocol.Win{Player: w, Cells: line})
	} else if m.game.Draw() {
		c.send(protocol.Draw{})
	}
	if m.leaver != connect4.NoPlayer {
		m.sendAbandoned(c)
	}
	if m.mode != protocol.Friends {
		return // no one else to come and go
	}
	for i, s := range m.seats {
		switch {
		case i == c.seat || !s.taken:
		case s.holder != nil:
			c.send(protocol.Presence{Player: m.colour(i), Online: true})
		default:
			c.send(protocol.Presence{Player: m.colour(i), Grace: max(time.Until(s.until), 0)})
		}
		if m.offers[i] {
			c.send(protocol.RematchOffer{Player: m.colour(i)})
		}
	}
}

// sendAbandoned tells c that the game was abandoned, in words its version knows.
func (m *match) sendAbandoned(c *Client) {
	if c.version < protocol.Version {
		e, _ := protocol.ErrorFor(protocol.ErrAbandoned)
		c.send(e)
		return
	}
	c.send(protocol.Abandoned{Player: m.leaver})
}

// active notes that something happened, which puts off closing for idleness.
func (m *match) active() { m.idle.Reset(m.hub.cfg.Idle) }

// join gives c the second seat.
func (m *match) join(c *Client) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || m.mode != protocol.Friends {
		return protocol.ErrGameNotFound
	}
	s := &m.seats[1]
	if s.taken {
		return protocol.ErrSeatTaken
	}
	s.taken, s.holder, s.token = true, c, randomKey(18)
	m.hub.addToken(s.token, m)
	c.seat = 1
	m.active()
	if c.version >= protocol.Version {
		c.send(m.started(1)) // the tutorial's joiner expects no init
	}
	m.replay(c)
	m.broadcast(protocol.Presence{Player: m.colour(1), Online: true}, c)
	return nil
}

// follow makes c a spectator.
func (m *match) follow(c *Client) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return protocol.ErrGameNotFound
	}
	m.watchers[c] = struct{}{}
	c.seat = spectator
	m.active()
	if c.version >= protocol.Version {
		c.send(m.started(spectator))
	}
	m.replay(c)
	return nil
}

// resume gives c the seat of token back. A connection that still holds the
// seat, in another window, is closed.
func (m *match) resume(c *Client, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := 0
	for i < len(m.seats) && m.seats[i].token != token {
		i++
	}
	if m.closed || i == len(m.seats) {
		return protocol.ErrTokenExpired
	}
	s := &m.seats[i]
	old := s.holder
	if old != nil {
		e, _ := protocol.ErrorFor(protocol.ErrReplaced)
		old.conn.Close(e.Message)
	}
	if s.grace != nil {
		s.grace.Stop()
		s.grace = nil
	}
	s.holder = c
	c.seat = i
	m.active()
	c.send(m.started(i))
	m.replay(c)
	if old == nil && m.mode == protocol.Friends {
		m.broadcast(protocol.Presence{Player: m.colour(i), Online: true}, c)
	}
	return nil
}

// holds returns c's seat, or an error if c holds none.
func (m *match) holds(c *Client) (*seat, error) {
	switch {
	case m.closed:
		return nil, protocol.ErrGameNotFound
	case c.seat == spectator:
		return nil, protocol.ErrSpectator
	case m.seats[c.seat].holder != c:
		return nil, protocol.ErrReplaced
	}
	return &m.seats[c.seat], nil
}

// play plays c's move and sends the result to everyone.
func (m *match) play(c *Client, column int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.holds(c); err != nil {
		return err
	}
	if m.leaver != connect4.NoPlayer {
		return protocol.ErrAbandoned
	}
	p := m.colour(c.seat)
	if m.mode == protocol.HotSeat {
		p = m.game.Turn()
	}
	mv, err := m.game.Play(p, column)
	if err != nil {
		return err
	}
	m.played(mv)
	return nil
}

// played tells everyone of an accepted move and what follows from it: the end
// of the game, or the computer's turn.
func (m *match) played(mv connect4.Move) {
	m.active()
	m.hub.cfg.Observer.MoveAccepted(m.mode)
	for _, e := range protocol.Result(m.game, mv) {
		m.broadcast(e, nil)
	}
	switch {
	case m.game.Winner() != connect4.NoPlayer:
		m.endGame("win", "winner", m.game.Winner())
	case m.game.Draw():
		m.endGame("draw")
	default:
		m.computerTurn()
	}
}

// computerTurn sets the computer thinking if it is to move. It thinks on a
// goroutine of its own, among at most Config.Thinkers, without the match's
// lock: no connection waits for it, and no other game.
func (m *match) computerTurn() {
	if m.mode != protocol.Computer || m.over() || m.game.Turn() != m.colour(1) {
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
		if m.closed || m.round != round || m.game.Len() != n {
			return // the game moved on while the computer thought
		}
		if err != nil || !m.game.CanPlay(column) {
			h.log.Error("computer move", "match", m.id, "level", m.opp.level, "column", column, "err", err)
			column = firstPlayable(m.game)
		}
		mv, err := m.game.Play(m.colour(1), column)
		if err != nil {
			h.log.Error("computer move", "match", m.id, "err", err) // cannot happen: CanPlay said so
			return
		}
		m.played(mv)
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
	if _, err := m.holds(c); err != nil {
		return err
	}
	m.active()
	if m.mode != protocol.Friends { // no one to agree with
		m.newRound()
		return nil
	}
	if !m.over() {
		return protocol.ErrNotOver
	}
	if m.offers[c.seat] {
		return nil
	}
	m.offers[c.seat] = true
	m.broadcast(protocol.RematchOffer{Player: m.colour(c.seat)}, nil)
	if m.offers[0] && m.offers[1] {
		m.newRound()
	}
	return nil
}

// newRound starts the next game, colours swapped, and tells everyone. The
// tutorial's spectators cannot follow a new game on the same page: they are
// let go.
func (m *match) newRound() {
	m.endGame("unfinished")
	m.round++
	m.game = connect4.NewGame()
	m.offers = [2]bool{}
	m.leaver = connect4.NoPlayer
	m.startGame()
	for i, s := range m.seats {
		if s.holder != nil {
			s.holder.send(m.started(i))
		}
	}
	for c := range m.watchers {
		if c.version < protocol.Version {
			c.conn.Close("The players started a new game: reload the page to follow it.")
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
	if m.closed {
		return
	}
	if c.seat == spectator {
		delete(m.watchers, c)
		m.endIfEmpty()
		return
	}
	i, s := c.seat, &m.seats[c.seat]
	if s.holder != c {
		return // replaced by a newer connection
	}
	s.holder = nil
	if s.token == "" {
		m.endIfEmpty()
		return
	}
	grace := m.hub.cfg.Grace
	s.away++
	away := s.away
	s.until = time.Now().Add(grace)
	s.grace = m.hub.cfg.AfterFunc(grace, func() { m.expireGrace(i, away) })
	if m.mode == protocol.Friends {
		m.broadcast(protocol.Presence{Player: m.colour(i), Grace: grace}, nil)
	}
}

// expireGrace gives up on the holder of seat i who left for the away-th time:
// a game in progress against a present opponent is abandoned.
func (m *match) expireGrace(i, away int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := &m.seats[i]
	if m.closed || s.holder != nil || s.away != away {
		return // back in time, or a stale timer
	}
	s.grace = nil
	if m.mode == protocol.Friends && !m.over() && m.seats[1-i].taken {
		m.leaver = m.colour(i)
		m.each(m.sendAbandoned)
		m.endGame("abandoned", "leaver", m.leaver)
	}
	m.endIfEmpty()
}

// startGame records the start of the current game.
func (m *match) startGame() {
	m.playing = true
	m.hub.cfg.Observer.GameStarted(m.mode)
	m.hub.log.Info("game started", "match", m.id, "mode", m.mode, "round", m.round)
}

// endGame records the end of the current game, how it ended, with more log
// attributes; it does nothing if the game has ended already.
func (m *match) endGame(how string, attrs ...any) {
	if !m.playing {
		return
	}
	m.playing = false
	m.hub.cfg.Observer.GameEnded(m.mode, how)
	m.hub.log.Info("game ended", append([]any{"match", m.id, "mode", m.mode, "round", m.round,
		"how", how, "moves", m.game.Len()}, attrs...)...)
}

// endIfEmpty ends the match once no one is in it or may come back to it.
func (m *match) endIfEmpty() {
	if len(m.watchers) > 0 {
		return
	}
	for _, s := range m.seats {
		if s.holder != nil || s.grace != nil {
			return
		}
	}
	m.end()
}

// expireIdle closes the match, and the connections of everyone in it, after
// the idle time without a command.
func (m *match) expireIdle() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.each(func(c *Client) {
		c.conn.Close("This game was closed after " + m.hub.cfg.Idle.String() + " without a move.")
	})
	m.end()
}

// end takes the match out of the hub for good.
func (m *match) end() {
	m.endGame("unfinished")
	m.closed = true
	m.idle.Stop()
	for i := range m.seats {
		if g := m.seats[i].grace; g != nil {
			g.Stop()
		}
	}
	m.hub.unregister(m)
	m.hub.log.Info("match ended", "match", m.id, "mode", m.mode, "games", m.round+1)
}
