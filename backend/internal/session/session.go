// Package session runs the games: it turns each client's commands into moves on
// the right game and sends the resulting events to everyone concerned.
//
// A game between two seats, with its spectators and its rematches, is a match.
// The first seat belongs to the client that starts the match; the second to the
// one that joins it with the join key; anyone with the watch key follows it. A
// seat holder whose connection drops keeps the seat for a grace time and takes
// it back with the seat's resume token.
//
// The package knows nothing of sockets. A connection is anything with a
// [Conn.Send] that never blocks; the transport feeds each connection's commands
// to its [Client], one at a time and in order, and closes the Client when the
// connection ends.
package session

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// Conn is a client connection as the session logic sees it.
type Conn interface {
	// Send queues e for the client and returns at once. It never blocks: a
	// transport that cannot deliver in time drops the connection instead.
	Send(e protocol.Event)
	// Close ends the connection once the events already queued are sent,
	// telling the client why in reason. It never blocks.
	Close(reason string)
}

// Timer is a pending call of a function, as [time.AfterFunc] returns.
type Timer interface {
	Stop() bool
	Reset(d time.Duration) bool
}

// Config holds the timings of the games. The zero value of a field means its
// default.
type Config struct {
	// Grace is how long a seat is held for a player whose connection dropped.
	// After it, a game in progress ends as abandoned. The default is a minute.
	Grace time.Duration
	// Idle is how long a match may go without a command before it is closed,
	// with everyone in it. The default is 30 minutes.
	Idle time.Duration
	// MaxMatches caps the matches held at once: past it, starting one is
	// refused with protocol.ErrServerFull. The default is 10,000; negative means
	// no limit.
	MaxMatches int
	// AfterFunc schedules f after d; the default is time.AfterFunc. Tests set
	// their own to make time pass on demand.
	AfterFunc func(d time.Duration, f func()) Timer
	// Observer is told what happens, for metrics; nil tells no one.
	Observer Observer
	// Computer returns the computer player of a level, or an error for an
	// unknown one. Nil means no games against the computer.
	Computer func(level string) (Bot, error)
	// Thinkers bounds the computer moves being chosen at once; the others
	// wait their turn. The default leaves one core to the connections:
	// GOMAXPROCS-1, at least 1.
	Thinkers int
	// ThinkTime bounds the time to choose one computer move; the default is 3
	// seconds. A Bot answers earlier on its own: this is a safety net.
	ThinkTime time.Duration
}

// Bot chooses the computer's moves.
type Bot interface {
	// Move returns the column to play in g, where it is the bot's turn, by
	// the deadline of ctx. g is the bot's own copy.
	Move(ctx context.Context, g *connect4.Game) (int, error)
}

// Observer is told what happens in the games, for metrics. The Hub calls it with
// a match's lock held: its methods must be quick, safe for concurrent use, and
// must not call the Hub.
type Observer interface {
	// GameStarted and GameEnded pair up: every game that starts ends once,
	// how being "win", "draw", "abandoned" or "unfinished" (left before the end).
	GameStarted(mode protocol.Mode)
	GameEnded(mode protocol.Mode, how string)
	// MoveAccepted counts the moves played.
	MoveAccepted(mode protocol.Mode)
	// Refused counts the errors sent to clients, by protocol.Reason.
	Refused(reason string)
}

// nobody is the Observer that tells no one.
type nobody struct{}

func (nobody) GameStarted(protocol.Mode)       {}
func (nobody) GameEnded(protocol.Mode, string) {}
func (nobody) MoveAccepted(protocol.Mode)      {}
func (nobody) Refused(string)                  {}

func (c Config) withDefaults() Config {
	if c.Grace == 0 {
		c.Grace = time.Minute
	}
	if c.Idle == 0 {
		c.Idle = 30 * time.Minute
	}
	if c.MaxMatches == 0 {
		c.MaxMatches = 10000
	}
	if c.AfterFunc == nil {
		c.AfterFunc = func(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
	}
	if c.Observer == nil {
		c.Observer = nobody{}
	}
	if c.Computer == nil {
		c.Computer = func(string) (Bot, error) { return nil, protocol.ErrBadLevel }
	}
	if c.Thinkers == 0 {
		c.Thinkers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if c.ThinkTime == 0 {
		c.ThinkTime = 3 * time.Second
	}
	return c
}

// Stats counts what a Hub holds at one moment.
type Stats struct {
	Clients int // connected clients
	Matches int // matches that someone is in or may come back to
}

// Hub holds every client and match of one server. It is safe for concurrent
// use; the zero value is not usable: call [NewHub].
type Hub struct {
	cfg Config
	log *slog.Logger

	// thinkers holds a token per computer move being chosen.
	thinkers chan struct{}

	// mu guards what follows. It is never held while taking a match's lock.
	mu      sync.Mutex
	clients int
	matches map[*match]struct{}
	byJoin  map[string]*match
	byWatch map[string]*match
	byToken map[string]*match
}

// NewHub returns an empty Hub that logs the starts and ends of games to logger.
func NewHub(cfg Config, logger *slog.Logger) *Hub {
	cfg = cfg.withDefaults()
	return &Hub{
		cfg:      cfg,
		log:      logger,
		thinkers: make(chan struct{}, cfg.Thinkers),
		matches:  make(map[*match]struct{}),
		byJoin:   make(map[string]*match),
		byWatch:  make(map[string]*match),
		byToken:  make(map[string]*match),
	}
}

// Stats returns what the hub holds now.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Stats{Clients: h.clients, Matches: len(h.matches)}
}

// Connect registers a new connection and returns its Client.
func (h *Hub) Connect(c Conn) *Client {
	h.mu.Lock()
	h.clients++
	h.mu.Unlock()
	return &Client{hub: h, conn: c, seat: spectator}
}

// lookup returns the match that key names in index, or nil.
func (h *Hub) lookup(index map[string]*match, key string) *match {
	h.mu.Lock()
	defer h.mu.Unlock()
	return index[key]
}

// register adds m to the hub under its keys and the token of its first seat,
// unless the hub holds MaxMatches already.
func (h *Hub) register(m *match) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cfg.MaxMatches >= 0 && len(h.matches) >= h.cfg.MaxMatches {
		return protocol.ErrServerFull
	}
	h.matches[m] = struct{}{}
	if m.joinKey != "" {
		h.byJoin[m.joinKey] = m
	}
	h.byWatch[m.watch] = m
	for _, s := range m.seats {
		if s.token != "" {
			h.byToken[s.token] = m
		}
	}
	return nil
}

// addToken makes token resume a seat of m.
func (h *Hub) addToken(token string, m *match) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byToken[token] = m
}

// unregister forgets m and its keys.
func (h *Hub) unregister(m *match) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.matches, m)
	delete(h.byJoin, m.joinKey)
	delete(h.byWatch, m.watch)
	for _, s := range m.seats {
		delete(h.byToken, s.token)
	}
}

// spectator is the seat of a Client that holds none.
const spectator = -1

// Client is one connection's part in the games. Its methods must be called from
// one goroutine at a time, in the order the connection received the commands.
type Client struct {
	hub     *Hub
	conn    Conn
	version int    // the protocol version the client speaks, from its Init
	match   *match // the match the client is in, or nil
	seat    int    // its seat in match, or spectator
	closed  bool
}

// Handle carries out one command and sends its results.
func (c *Client) Handle(cmd protocol.Command) {
	if c.closed {
		return
	}
	var err error
	switch cmd := cmd.(type) {
	case protocol.Init:
		err = c.init(cmd)
	case protocol.Resume:
		err = c.resume(cmd.Token)
	case protocol.Play:
		if c.match == nil {
			// The tutorial's part 1: a first play starts a hot-seat game.
			if err = c.start(protocol.HotSeat, opponent{}, false); err != nil {
				break
			}
		}
		err = c.match.play(c, cmd.Column)
	case protocol.Ping:
		c.conn.Send(protocol.Pong{}) // asked for, so sent whatever the version
	case protocol.Rematch:
		if c.match == nil {
			err = protocol.ErrNotInGame
			break
		}
		err = c.match.rematch(c)
	default:
		err = fmt.Errorf("%w: %T", protocol.ErrUnknownType, cmd)
	}
	if err != nil {
		c.Refuse(err)
	}
}

// Refuse sends the client the error event for err, for example when its message
// could not be decoded.
func (c *Client) Refuse(err error) {
	e, ok := protocol.ErrorFor(err)
	if !ok {
		c.hub.log.Error("unexpected error", "err", err)
	}
	c.hub.cfg.Observer.Refused(protocol.Reason(err))
	c.conn.Send(e)
}

func (c *Client) init(cmd protocol.Init) error {
	if c.match != nil {
		return protocol.ErrInGame
	}
	c.version = max(cmd.Version, 1)
	switch {
	case cmd.Join != "":
		return c.enter(c.hub.lookup(c.hub.byJoin, cmd.Join), (*match).join)
	case cmd.Watch != "":
		return c.enter(c.hub.lookup(c.hub.byWatch, cmd.Watch), (*match).follow)
	}
	mode := cmd.Mode
	if mode == "" {
		mode = protocol.Friends
	}
	var opp opponent
	if mode == protocol.Computer {
		bot, err := c.hub.cfg.Computer(cmd.Level)
		if err != nil {
			return fmt.Errorf("%w: %v", protocol.ErrBadLevel, err)
		}
		opp = opponent{bot: bot, level: cmd.Level, yellow: cmd.Player == connect4.Yellow}
	}
	return c.start(mode, opp, true)
}

// opponent is the computer in a game against it.
type opponent struct {
	bot    Bot
	level  string
	yellow bool // the human plays yellow in the first game
}

// start puts the client in the first seat of a new match.
func (c *Client) start(mode protocol.Mode, opp opponent, announce bool) error {
	m, err := newMatch(c.hub, mode, opp, c, announce)
	if err != nil {
		return err
	}
	c.match, c.seat = m, 0
	return nil
}

func (c *Client) resume(token string) error {
	if c.match != nil {
		return protocol.ErrInGame
	}
	c.version = protocol.Version
	m := c.hub.lookup(c.hub.byToken, token)
	if m == nil {
		return protocol.ErrTokenExpired
	}
	return c.enter(m, func(m *match, c *Client) error { return m.resume(c, token) })
}

// enter puts the client in m with how, which sets c.seat.
func (c *Client) enter(m *match, how func(*match, *Client) error) error {
	if m == nil {
		return protocol.ErrGameNotFound
	}
	if err := how(m, c); err != nil {
		return err
	}
	c.match = m
	return nil
}

// send sends e to the client, if its version of the protocol knows it.
func (c *Client) send(e protocol.Event) {
	if c.version < protocol.Version {
		if !protocol.Tutorial(e) {
			return
		}
		if s, ok := e.(protocol.Started); ok {
			e = protocol.Started{Join: s.Join, Watch: s.Watch}
		}
	}
	c.conn.Send(e)
}

// Close ends the client's part in its match: a seat is held for the grace time.
// Later commands are ignored.
func (c *Client) Close() {
	if c.closed {
		return
	}
	c.closed = true
	if c.match != nil {
		c.match.leave(c)
	}
	c.hub.mu.Lock()
	defer c.hub.mu.Unlock()
	c.hub.clients--
}
