// Package session runs the games: it turns each client's commands into moves on
// the right game and sends the resulting events to everyone concerned.
//
// A game between two seats, with its spectators and its rematches, is a match.
// The first seat belongs to the client that starts the match; the second to the
// one that joins it with the join key; anyone with the watch key follows it.
// A quick match's join key goes into a [Queue] instead of to a friend: the next
// player who seeks an opponent joins it (quick.go). A
// seat holder whose connection drops keeps the seat for a grace time and takes
// it back with the seat's resume token.
//
// The package knows nothing of sockets. A connection is anything with a
// [Conn.Send] that never blocks; the transport feeds each connection's commands
// to its [Client], one at a time and in order, and closes the Client when the
// connection ends.
//
// Nor does it know where the matches are kept: a [Store] holds their keys and
// the records of what happened in them. The default keeps them in the
// process; one that several servers share lets players of one match connect
// to different servers.
package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
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
	// SendAll queues events, in order, as Send does, but as one: a replay
	// of a whole game counts once against a limit on the events waiting.
	SendAll(events []protocol.Event)
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
	// Invitation is how long a match between friends waits for the friend,
	// while no one took its second seat, even with its creator away. The
	// default is a day.
	Invitation time.Duration
	// MaxMatches caps the matches held at once: past it, starting one is
	// refused with protocol.ErrServerFull. The default is 10,000; negative means
	// no limit.
	MaxMatches int
	// MaxMatchesPerClient caps the matches that one client address may hold,
	// as Hub.Connect names it: those it started and that have not ended,
	// invitations waiting for a friend included, even with no one connected.
	// Past it, starting one is refused with protocol.ErrTooManyGames. The
	// default is 32; negative means no limit. Each server counts the matches
	// started on it.
	MaxMatchesPerClient int
	// Queue pairs the players looking for an opponent. Nil means the
	// Store, if it is a Queue, or else a queue of this Hub's own: give the
	// Store's when it is wrapped, so that servers sharing it pair their
	// players.
	Queue Queue
	// QuickWait is how long a player looking for an opponent waits before
	// the computer is offered instead; the default is 20 seconds.
	QuickWait time.Duration
	// AfterFunc schedules f after d; the default is time.AfterFunc. Tests set
	// their own to make time pass on demand.
	AfterFunc func(d time.Duration, f func()) Timer
	// Observer is told what happens, for metrics; nil tells no one.
	Observer Observer
	// Computer returns the computer player of a level, or an error for an
	// unknown one. Nil means no games against the computer.
	Computer func(level string) (Bot, error)
	// Thinkers bounds the computer moves being chosen at once; the others
	// wait their turn, the players' addresses taking turns, one think running
	// for each at most. The default is GOMAXPROCS-1, which leaves one core to
	// the connections, and at least 2, so that one address alone never holds
	// back another.
	Thinkers int
	// MaxThinksWaiting bounds the computer moves waiting for a thinker in
	// all, and MaxThinksWaitingPerClient those of one client address; one past
	// them is tried again a second later. The defaults are 1,000 and 4.
	MaxThinksWaiting, MaxThinksWaitingPerClient int
	// ThinkTime bounds the time to choose one computer move; the default is 3
	// seconds. A Bot answers earlier on its own: this is a safety net.
	ThinkTime time.Duration
	// Store keeps the matches; the default, NewMemStore, keeps them in
	// this process for the Lifetimes of this Config.
	Store Store
	// StoreTimeout bounds each call to the Store; the default is 2 seconds.
	StoreTimeout time.Duration
	// Now tells the time; the default is time.Now. Tests set it with
	// AfterFunc.
	Now func() time.Time
	// Server names this run of this server among those sharing the Store,
	// as the Store knows it (Store.Alive); with a Store that is a Registry,
	// the default is a random name, and otherwise "" shares the Store with
	// no other server. Seats held by the connections of a server that
	// stopped running, killed rather than stopped, are recorded as left, as
	// if the connections had dropped: when a match is loaded, and every
	// CheckServers if the Store is shared by several processes (it is not
	// a Registry).
	Server string
	// CheckServers is how often the servers holding seats in this server's
	// matches are checked; the default is 2 seconds.
	CheckServers time.Duration
}

// Bot chooses the computer's moves.
type Bot interface {
	// Move returns the column to play in g, where it is the bot's turn, by
	// the deadline of ctx. g is the bot's own copy.
	Move(ctx context.Context, g *connect4.Game) (int, error)
}

// A QuickBot is a Bot that chooses some moves at once, without a search,
// such as from an opening book: those never wait for a thinker.
type QuickBot interface {
	Bot
	// QuickMove returns the column to play in g, or false if choosing one
	// takes a search. It must return within microseconds.
	QuickMove(g *connect4.Game) (int, bool)
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

// DefaultConfig returns the defaults of the settings that people choose:
// the grace, idle and invitation times and the cap on matches.
func DefaultConfig() Config {
	return Config{Grace: time.Minute, Idle: 30 * time.Minute, Invitation: 24 * time.Hour, MaxMatches: 10000, MaxMatchesPerClient: 32, QuickWait: 20 * time.Second}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Grace == 0 {
		c.Grace = d.Grace
	}
	if c.Idle == 0 {
		c.Idle = d.Idle
	}
	if c.Invitation == 0 {
		c.Invitation = d.Invitation
	}
	if c.MaxMatches == 0 {
		c.MaxMatches = d.MaxMatches
	}
	if c.MaxMatchesPerClient == 0 {
		c.MaxMatchesPerClient = d.MaxMatchesPerClient
	}
	if c.QuickWait == 0 {
		c.QuickWait = d.QuickWait
	}
	if c.Queue == nil {
		c.Queue = &localQueue{}
		if q, ok := c.Store.(Queue); ok {
			c.Queue = q
		}
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
		c.Thinkers = max(2, runtime.GOMAXPROCS(0)-1)
	}
	if c.MaxThinksWaiting == 0 {
		c.MaxThinksWaiting = 1000
	}
	if c.MaxThinksWaitingPerClient == 0 {
		c.MaxThinksWaitingPerClient = 4
	}
	if c.ThinkTime == 0 {
		c.ThinkTime = 3 * time.Second
	}
	if c.Store == nil {
		c.Store = NewMemStore(c.lifetimes())
	}
	if c.StoreTimeout == 0 {
		c.StoreTimeout = 2 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CheckServers == 0 {
		c.CheckServers = 2 * time.Second
	}
	return c
}

// Lifetimes returns how long a Store should keep the matches of a Hub with
// this Config: longer than the Hub keeps them open, so that the idle close
// finds the match and records it.
func (c Config) Lifetimes() Lifetimes { return c.withDefaults().lifetimes() }

// lifetimes is Lifetimes for a Config with its defaults set.
func (c Config) lifetimes() Lifetimes {
	return Lifetimes{Match: 2 * c.Idle, Invitation: c.Invitation + c.Idle, Now: c.Now}
}

// Stats counts what a Hub holds at one moment.
type Stats struct {
	Clients int // connected clients
	Matches int // matches that someone is in or may come back to
}

// Hub holds every client and match of one server. It is safe for concurrent
// use; the zero value is not usable: call [NewHub].
type Hub struct {
	cfg   Config
	log   *slog.Logger
	store Store

	// thinkers chooses the computer's moves.
	thinkers *thinkers
	// queue pairs the players looking for an opponent (Config.Queue).
	queue Queue

	// mu guards what follows. It is never held while taking a match's lock.
	mu         sync.Mutex
	clients    int
	matches    map[string]*match // by id
	quota      quota             // the matches of each client address
	checks     Timer             // checks the other servers, if any
	stopServer func()            // tells a Registry that this server stopped
	closed     bool
}

// NewHub returns an empty Hub that logs the starts and ends of games to logger.
func NewHub(cfg Config, logger *slog.Logger) *Hub {
	cfg = cfg.withDefaults()
	h := &Hub{
		cfg:      cfg,
		log:      logger,
		store:    cfg.Store,
		thinkers: newThinkers(cfg.Thinkers, cfg.MaxThinksWaitingPerClient, cfg.MaxThinksWaiting),
		matches:  make(map[string]*match),
		quota:    newQuota(cfg.MaxMatchesPerClient),
		queue:    cfg.Queue,
	}
	switch r, ok := cfg.Store.(Registry); {
	case ok:
		if h.cfg.Server == "" {
			h.cfg.Server = "run-" + randomKey(6)
		}
		h.stopServer = r.Register(h.cfg.Server)
	case cfg.Server != "":
		h.checks = cfg.AfterFunc(cfg.CheckServers, h.checkServers)
	}
	return h
}

// Close stops checking the other servers, and tells a Registry that this
// server stopped. The hub's matches and clients are the transport's to close.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.checks != nil {
		h.checks.Stop()
	}
	if h.stopServer != nil {
		h.stopServer()
	}
}

// serverOf returns the server of a connection id, or "".
func serverOf(conn string) string {
	if i := strings.LastIndexByte(conn, '/'); i >= 0 {
		return conn[:i]
	}
	return ""
}

// checkServers records as left the seats held by connections of servers that
// stopped running, then checks again later.
func (h *Hub) checkServers() {
	defer func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.closed {
			h.checks.Reset(h.cfg.CheckServers)
		}
	}()
	// First the servers holding seats here, without any lock held while
	// asking the Store about them.
	held := make(map[string][]*match)
	for _, m := range h.snapshot() {
		m.mu.Lock()
		for _, srv := range m.othersLocked() {
			held[srv] = append(held[srv], m)
		}
		m.mu.Unlock()
	}
	for srv, matches := range held {
		if !h.gone(srv) {
			continue
		}
		h.log.Warn("server gone: its players are away", "server", srv, "matches", len(matches))
		for _, m := range matches {
			m.mu.Lock()
			m.awayFromLocked(srv)
			m.mu.Unlock()
		}
	}
}

// gone reports whether the Store says that server srv stopped running.
func (h *Hub) gone(srv string) bool {
	ctx := h.storeContext()
	defer ctx.cancel()
	alive, err := h.store.Alive(ctx, srv)
	return err == nil && !alive
}

// snapshot returns the matches the hub holds now.
func (h *Hub) snapshot() []*match {
	h.mu.Lock()
	defer h.mu.Unlock()
	matches := make([]*match, 0, len(h.matches))
	for _, m := range h.matches {
		matches = append(matches, m)
	}
	return matches
}

// shared reports whether other processes share the Store, which may then
// lose what this server holds (a Redis restarted without persistence); a
// Store of one process, a Registry, loses nothing that it answered for.
func (h *Hub) shared() bool { return h.stopServer == nil }

// logsInfo reports whether the logger writes what is logged at the Info
// level: the lines of every game's start and end are not even put together
// when it does not (a server run with -log-level warn).
func (h *Hub) logsInfo() bool { return h.log.Enabled(context.Background(), slog.LevelInfo) }

// storeContext returns the context of one call to the Store.
func (h *Hub) storeContext() *storeCtx {
	return newStoreCtx(h.cfg.StoreTimeout)
}

// Stats returns what the hub holds now.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Stats{Clients: h.clients, Matches: len(h.matches)}
}

// Lobby returns what the start screen shows: the clients connected here,
// and up to n of the quick-match games being played here, those with the
// most moves first. [MergeLobbies] joins the lobbies of several servers.
func (h *Hub) Lobby(n int) protocol.Lobby {
	l := protocol.Lobby{Playing: h.Stats().Clients}
	for _, m := range h.snapshot() {
		m.mu.Lock()
		if m.loaded && !m.closed && m.st.head.Mode == protocol.Quick && m.st.playing && m.st.seats[1].taken() {
			l.Games = append(l.Games, protocol.LiveGame{Watch: m.id, Moves: m.st.game.Len()})
		}
		m.mu.Unlock()
	}
	return MergeLobbies(n, l)
}

// Tell sends the error event for err, such as protocol.ErrUnavailable, to
// every client in a match on this server.
func (h *Hub) Tell(err error) {
	e, _ := protocol.ErrorFor(err)
	for _, m := range h.snapshot() {
		m.mu.Lock()
		if m.loaded && !m.closed {
			m.each(func(c *Client) { c.send(e) })
		}
		m.mu.Unlock()
	}
}

// Connect registers a new connection from the client address from, which
// Config.MaxMatchesPerClient counts by, and returns its Client. The empty
// address is not limited.
func (h *Hub) Connect(c Conn, from string) *Client {
	h.mu.Lock()
	h.clients++
	h.mu.Unlock()
	id := randomKey(9)
	if h.cfg.Server != "" {
		id = h.cfg.Server + "/" + id
	}
	return &Client{hub: h, conn: c, id: id, from: from, version: protocol.Version1, seat: spectator}
}

// find returns the match that key names as kind, loading it from the Store
// if this server has no copy of it yet, or notFound.
func (h *Hub) find(kind KeyKind, key string, notFound error) (*match, error) {
	ctx := h.storeContext()
	id, err := h.store.Find(ctx, kind, key)
	ctx.cancel()
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, notFound
	case err != nil:
		return nil, unavailable(err)
	}
	h.mu.Lock()
	m := h.matches[id]
	if m == nil {
		if h.full() {
			h.mu.Unlock()
			return nil, protocol.ErrServerFull
		}
		m = &match{hub: h, id: id, num: matchIDs.Add(1)}
		h.matches[id] = m
	}
	h.mu.Unlock()

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loaded || m.closed {
		return m, nil
	}
	if err := m.load(); err != nil {
		m.closed = true
		h.unregister(m)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil, notFound
		case errors.Is(err, protocol.ErrBadLevel):
			return nil, err // a level this server does not have
		}
		return nil, unavailable(err)
	}
	h.log.Debug("match loaded", "match", m.num, "mode", m.st.head.Mode, "records", m.st.n)
	h.mu.Lock()
	h.quota.open(id) // if started here, it counts while it is open again
	h.mu.Unlock()
	// The seats held by servers that stopped, such as an earlier run of
	// this one, are empty.
	for _, srv := range m.othersLocked() {
		if h.gone(srv) {
			m.awayFromLocked(srv)
		}
	}
	if m.closed {
		return nil, notFound // closed for idleness, not yet expired
	}
	return m, nil
}

// archived returns the game that the watch key id names from the Store's
// archive, if the Store keeps one and the game has ended.
func (h *Hub) archived(id string) (protocol.Archived, bool) {
	a, ok := h.store.(Archive)
	if !ok {
		return protocol.Archived{}, false
	}
	ctx := h.storeContext()
	defer ctx.cancel()
	head, recs, err := a.Archived(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return protocol.Archived{}, false
	case err != nil:
		h.log.Warn("archive unavailable", "err", err)
		return protocol.Archived{}, false
	}
	return lastGame(head, recs), true
}

// full reports whether the hub holds MaxMatches already; h.mu is held.
func (h *Hub) full() bool {
	return h.cfg.MaxMatches >= 0 && len(h.matches) >= h.cfg.MaxMatches
}

// register adds m, a new match that from starts, to the hub, unless it holds
// MaxMatches already or from holds MaxMatchesPerClient.
func (h *Hub) register(m *match, from string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.full() {
		return protocol.ErrServerFull
	}
	if !h.quota.take(from, m.id, h.cfg.Now()) {
		return protocol.ErrTooManyGames
	}
	h.matches[m.id] = m
	return nil
}

// unregister forgets m.
func (h *Hub) unregister(m *match) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.matches[m.id] == m {
		delete(h.matches, m.id)
	}
}

// holdUntil makes match id count for the client that started it until until,
// or no more if until is zero: it ended.
func (h *Hub) holdUntil(id string, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if until.IsZero() {
		h.quota.release(id)
	} else {
		h.quota.park(id, until)
	}
}

// spectator is the seat of a Client that holds none.
const spectator = -1

// Client is one connection's part in the games. Its methods must be called from
// one goroutine at a time, in the order the connection received the commands.
type Client struct {
	hub     *Hub
	conn    Conn
	id      string // tells this connection from others, on every server
	from    string // the client's address, for Config.MaxMatchesPerClient
	version int    // the protocol version the client speaks, from its Init: Version1 until then
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
		err = c.resume(cmd)
	case protocol.Play:
		if c.match == nil {
			// The tutorial's part 1: a first play starts a hot-seat game.
			if err = c.start(protocol.HotSeat, opponent{}, protocol.TimeControl{}, false); err != nil {
				break
			}
		}
		err = c.match.play(c, cmd.Column)
	case protocol.Ping:
		c.conn.Send(protocol.Pong{}) // asked for, so sent whatever the version
	case protocol.Seek:
		err = c.seek(cmd)
	case protocol.Cancel:
		err = c.cancel()
	case protocol.TakeBack:
		switch {
		case c.version < protocol.Version3:
			err = fmt.Errorf("%w: takeback, before version 3", protocol.ErrUnknownType)
		case c.match == nil:
			err = protocol.ErrNotInGame
		default:
			err = c.match.takeBack(c)
		}
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
	switch {
	case !ok:
		c.hub.log.Error("unexpected error", "err", err)
	case errors.Is(err, protocol.ErrUnavailable):
		c.hub.log.Warn("store unavailable", "err", err)
	}
	if st, ok := errors.AsType[takenError](err); ok {
		e.Watch = st.watch
	}
	c.hub.cfg.Observer.Refused(protocol.Reason(err))
	c.conn.Send(e)
}

func (c *Client) init(cmd protocol.Init) error {
	if c.match != nil {
		return protocol.ErrInGame
	}
	c.version = min(max(cmd.Version, protocol.Version1), protocol.Version)
	switch {
	case cmd.Join != "":
		return c.enter(JoinKey, cmd.Join, protocol.ErrInvitation, func(m *match, c *Client) error { return m.join(c, false) })
	case cmd.Watch != "":
		err := c.enter(WatchKey, cmd.Watch, protocol.ErrGameNotFound, (*match).follow)
		if errors.Is(err, protocol.ErrGameNotFound) && c.version >= protocol.Version4 {
			if e, ok := c.hub.archived(cmd.Watch); ok {
				c.conn.Send(e) // the client stays in no game
				return nil
			}
		}
		return err
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
	return c.start(mode, opp, cmd.Clock, true)
}

// opponent is the computer in a game against it.
type opponent struct {
	bot    Bot
	level  string
	yellow bool // the human plays yellow in the first game
}

// start puts the client in the first seat of a new match, with the clock of
// its games.
func (c *Client) start(mode protocol.Mode, opp opponent, clock protocol.TimeControl, announce bool) error {
	m, err := newMatch(c.hub, mode, opp, clock, c, announce)
	if err != nil {
		return err
	}
	c.match, c.seat = m, 0
	return nil
}

func (c *Client) resume(cmd protocol.Resume) error {
	if c.match != nil {
		return protocol.ErrInGame
	}
	token := cmd.Token
	c.version = protocol.Version2
	if cmd.Version != 0 {
		c.version = min(max(cmd.Version, protocol.Version1), protocol.Version)
	}
	err := c.enter(TokenKey, token, protocol.ErrTokenExpired, func(m *match, c *Client) error {
		return m.resume(c, token)
	})
	if err == nil && c.seat == 0 && c.match.isSeeking() {
		return c.pair(true) // back in the queue; its Started came with the replay
	}
	return err
}

// enter puts the client, with how, in the match that key names as kind, or
// returns notFound. how sets c.seat.
func (c *Client) enter(kind KeyKind, key string, notFound error, how func(*match, *Client) error) error {
	for tries := 0; ; tries++ {
		m, err := c.hub.find(kind, key, notFound)
		if err != nil {
			return err
		}
		err = how(m, c)
		if errors.Is(err, errLetGo) && tries < 3 {
			continue // let go meanwhile: find it anew, if it still is
		}
		if errors.Is(err, errLetGo) {
			return notFound
		}
		if err != nil {
			m.letGo() // if no one else is in it here
			return err
		}
		c.match = m
		return nil
	}
}

// send sends e to the client, if its version of the protocol knows it.
func (c *Client) send(e protocol.Event) {
	if e, ok := c.translate(e); ok {
		c.conn.Send(e)
	}
}

// sendAll sends the client those of events that its version knows, at once.
func (c *Client) sendAll(events []protocol.Event) {
	kept := events[:0]
	for _, e := range events {
		if e, ok := c.translate(e); ok {
			kept = append(kept, e)
		}
	}
	if len(kept) > 0 {
		c.conn.SendAll(kept)
	}
}

// translate returns e as the client's version of the protocol says it, or
// false if that version does not know e.
func (c *Client) translate(e protocol.Event) (protocol.Event, bool) {
	if t, ok := e.(protocol.Timeout); ok && c.version < protocol.Since(e) {
		e = protocol.Win{Player: t.Player.Other()} // the end of the game, as it knows it
	}
	switch {
	case protocol.Since(e) > c.version:
		return nil, false
	case c.version >= protocol.Version2:
		return e, true
	}
	if s, ok := e.(protocol.Started); ok {
		e = protocol.Started{Join: s.Join, Watch: s.Watch}
	}
	return e, true
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
