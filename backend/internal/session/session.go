// Package session runs the games: it turns each client's commands into moves on
// the right game and sends the resulting events to the clients concerned.
//
// It knows nothing of sockets. A connection is anything with a [Conn.Send] that
// never blocks; the transport feeds each connection's commands to its [Client], one
// at a time and in order, and closes the Client when the connection ends.
package session

import (
	"log/slog"
	"sync"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// Conn is a client connection as the session logic sees it.
type Conn interface {
	// Send queues e for the client and returns at once. It never blocks: a
	// transport that cannot deliver in time drops the connection instead.
	Send(e protocol.Event)
}

// Stats counts what a Hub holds at one moment.
type Stats struct {
	Clients int // connected clients
	Games   int // games in progress, over or not, that someone still takes part in
}

// Hub holds every client and game of one server. It is safe for concurrent use;
// the zero value is not usable: call [NewHub].
type Hub struct {
	log *slog.Logger

	mu    sync.Mutex
	stats Stats
}

// NewHub returns an empty Hub that logs game starts and ends to logger.
func NewHub(logger *slog.Logger) *Hub {
	return &Hub{log: logger}
}

// Stats returns what the hub holds now.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// Connect registers a new connection and returns its Client.
func (h *Hub) Connect(c Conn) *Client {
	h.mu.Lock()
	h.stats.Clients++
	h.mu.Unlock()
	return &Client{hub: h, conn: c}
}

// Client is one connection's part in the games. Its methods must be called from
// one goroutine at a time, in the order the connection received the commands.
type Client struct {
	hub    *Hub
	conn   Conn
	game   *connect4.Game // the hot-seat game, created by the first play
	closed bool
}

// Handle carries out one command and sends its results.
func (c *Client) Handle(cmd protocol.Command) {
	if c.closed {
		return
	}
	switch cmd := cmd.(type) {
	case protocol.Play:
		c.play(cmd.Column)
	default:
		c.Refuse(protocol.ErrUnknownType)
	}
}

// Refuse sends the sender the error event for err, for example when its message
// could not be decoded.
func (c *Client) Refuse(err error) {
	e, ok := protocol.ErrorFor(err)
	if !ok {
		c.hub.log.Error("unexpected error", "err", err)
	}
	c.conn.Send(e)
}

// play plays column for whoever's turn it is in the client's hot-seat game,
// starting one on the first move as the tutorial's part 1 does.
func (c *Client) play(column int) {
	if c.game == nil {
		c.game = connect4.NewGame()
		c.hub.gameStarted()
		c.hub.log.Info("game started", "kind", "hotseat")
	}
	m, err := c.game.Play(c.game.Turn(), column)
	if err != nil {
		c.Refuse(err)
		return
	}
	for _, e := range protocol.Result(c.game, m) {
		c.conn.Send(e)
	}
	if c.game.Over() {
		c.hub.log.Info("game ended", "kind", "hotseat", "winner", c.game.Winner(), "moves", c.game.Len())
	}
}

// Close ends the client's part in its games. Later commands are ignored.
func (c *Client) Close() {
	if c.closed {
		return
	}
	c.closed = true
	c.hub.mu.Lock()
	defer c.hub.mu.Unlock()
	c.hub.stats.Clients--
	if c.game != nil {
		c.hub.stats.Games--
	}
}

func (h *Hub) gameStarted() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stats.Games++
}
