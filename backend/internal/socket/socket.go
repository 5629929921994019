// Package socket carries the game over WebSocket connections with
// github.com/gorilla/websocket, the only package of the server that imports it.
//
// Each connection has one goroutine of its own, its reader, and a writer only
// while it has something to write. The reader decodes each text frame into a
// command for the connection's [session.Client], then writes the events that
// the command queued for its own client. Events queued by anyone else (a move
// of the opponent, a broadcast), the server's pings and the closing frame
// start a short-lived writer goroutine, which writes until the queue is empty
// and ends. One scheduler pings every connection of the server in turn. At
// most one goroutine writes to a connection at a time.
package socket

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect4go/connect4/backend/internal/netlimit"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/gorilla/websocket"
)

// Config holds the limits and timings of the connections. The zero value of a
// field means its default, from [DefaultConfig].
type Config struct {
	// MaxMessageSize is the largest message a client may send, in bytes. A larger
	// one closes the connection with code 1009 (message too big).
	MaxMessageSize int64
	// SendQueue is how many events may wait for a client that reads slowly. A
	// client that falls further behind is dropped, so that it never holds up
	// anyone else.
	SendQueue int
	// WriteTimeout bounds the time to write one message to a client.
	WriteTimeout time.Duration
	// PingInterval is how often the server pings an idle client. It must be
	// shorter than PongTimeout and than the idle timeout of any proxy in between.
	PingInterval time.Duration
	// PongTimeout is how long the server waits for any sign of life from a client
	// before it drops the connection.
	PongTimeout time.Duration
	// HandshakeTimeout bounds the WebSocket opening handshake.
	HandshakeTimeout time.Duration
	// CloseGrace is how long the server waits for the client to answer its
	// closing frame before it cuts the connection.
	CloseGrace time.Duration
	// MessageRate is how many messages a second a client may send on average,
	// and MessageBurst how many in a row. A client that sends faster is paced,
	// never dropped: its reader waits before it handles the next message (so
	// TCP holds the sender back), and every message is answered, in order. A
	// client so far ahead that it has kept the reader waiting for more than
	// MaxBacklog in a row, with its messages already there, is closed with
	// 1008 (policy violation). A negative MessageRate means no limit.
	MessageRate  float64
	MessageBurst int
	MaxBacklog   time.Duration
	// FirstMessageTimeout is how long a client may take after the handshake to
	// send its first message before it is closed with 1008.
	FirstMessageTimeout time.Duration
	// MaxConnections caps the open connections: a handshake past it gets 503.
	// MaxConnectionsPerClient caps those of one client address: past it, 429.
	// Negative means no limit.
	MaxConnections          int
	MaxConnectionsPerClient int
	// ConnectionRate is how many new connections a second one client address
	// may open on average, and ConnectionBurst how many in a row: past them,
	// a handshake gets 429 with Retry-After. A negative ConnectionRate means
	// no limit.
	ConnectionRate  float64
	ConnectionBurst int
	// ClientAddr returns the address a request comes from, for the limits per
	// client, which key it with netlimit.Key (an IPv6 address by its /64).
	// Nil means the IP address of the connection's peer; behind a reverse
	// proxy, see ClientAddrFrom.
	ClientAddr func(r *http.Request) string
	// CheckOrigin reports whether a page from the request's Origin may open a
	// game socket. Nil allows same-origin pages and clients that send no Origin.
	CheckOrigin func(r *http.Request) bool
	// Observer is told what happens, for metrics; nil tells no one.
	Observer Observer
}

// Observer is told what happens on the connections, for metrics. Its methods
// must be quick and safe for concurrent use.
type Observer interface {
	// ConnectionOpened and ConnectionClosed pair up.
	ConnectionOpened()
	ConnectionClosed()
	// MessageIn and MessageOut count the messages read and written.
	MessageIn()
	MessageOut()
	// MoveServed reports the time from reading a play to having written the
	// next event for its sender: its result, or why it was refused.
	MoveServed(d time.Duration)
}

// nobody is the Observer that tells no one.
type nobody struct{}

func (nobody) ConnectionOpened()        {}
func (nobody) ConnectionClosed()        {}
func (nobody) MessageIn()               {}
func (nobody) MessageOut()              {}
func (nobody) MoveServed(time.Duration) {}

// DefaultConfig returns the defaults of every setting.
func DefaultConfig() Config {
	return Config{
		MaxMessageSize:   512,
		SendQueue:        16,
		WriteTimeout:     10 * time.Second,
		PingInterval:     25 * time.Second,
		PongTimeout:      40 * time.Second,
		HandshakeTimeout: 10 * time.Second,
		CloseGrace:       2 * time.Second,

		MessageRate:             10,
		MessageBurst:            20,
		MaxBacklog:              3 * time.Second,
		FirstMessageTimeout:     10 * time.Second,
		MaxConnections:          20000,
		MaxConnectionsPerClient: 32,
		ConnectionRate:          2,
		ConnectionBurst:         20,
	}
}

// withDefaults fills the zero fields of c from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	set := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	if c.MaxMessageSize == 0 {
		c.MaxMessageSize = d.MaxMessageSize
	}
	if c.SendQueue == 0 {
		c.SendQueue = d.SendQueue
	}
	set(&c.WriteTimeout, d.WriteTimeout)
	set(&c.PingInterval, d.PingInterval)
	set(&c.PongTimeout, d.PongTimeout)
	set(&c.HandshakeTimeout, d.HandshakeTimeout)
	set(&c.CloseGrace, d.CloseGrace)
	set(&c.FirstMessageTimeout, d.FirstMessageTimeout)
	if c.MessageRate == 0 {
		c.MessageRate = d.MessageRate
	}
	if c.MessageBurst == 0 {
		c.MessageBurst = d.MessageBurst
	}
	if c.MaxBacklog == 0 {
		c.MaxBacklog = d.MaxBacklog
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = d.MaxConnections
	}
	if c.MaxConnectionsPerClient == 0 {
		c.MaxConnectionsPerClient = d.MaxConnectionsPerClient
	}
	if c.ConnectionRate == 0 {
		c.ConnectionRate = d.ConnectionRate
	}
	if c.ConnectionBurst == 0 {
		c.ConnectionBurst = d.ConnectionBurst
	}
	if c.ClientAddr == nil {
		c.ClientAddr = peerAddr
	}
	if c.Observer == nil {
		c.Observer = nobody{}
	}
	return c
}

// Buffer sizes: every event fits in one write buffer. The read buffer holds a
// frame's header and the messages of a game, which are a few dozen bytes; a
// larger message is read in several goes. Small as it is, it is what an idle
// connection holds. The read buffer is the socket's own (see hijacker), and
// gorilla takes it as its reader only if it is larger than 256 bytes: 288 is
// the size class just above.
const (
	readBufferSize  = 288
	writeBufferSize = 512
)

// pingSlots is how many slots the ping scheduler visits in a PingInterval: it
// wakes that many times an interval, and pings the connections of one slot.
const pingSlots = 16

var (
	// writeBuffers lends gorilla's write buffers to the connections while
	// they write.
	writeBuffers sync.Pool
	// messageBuffers lends buffers to read a message into and to encode an
	// event into, for the time it takes.
	messageBuffers = sync.Pool{New: func() any { return new([]byte) }}
)

// Server is the http.Handler of the game sockets. It is safe for concurrent use.
type Server struct {
	hub      *session.Hub
	log      *slog.Logger
	cfg      Config
	upgrader websocket.Upgrader
	ids      atomic.Uint64

	mu        sync.Mutex
	conns     *ring[*conn]   // the connections being served, in the ping scheduler's slots
	pinging   chan struct{}  // closed to stop the ping scheduler; nil when it is not running
	open      int            // connections admitted and not yet ended
	perClient map[string]int // open connections by client address
	opening   *netlimit.Rate // new connections by client address, or nil
	draining  bool
	done      sync.WaitGroup // one per connection being served
}

// New returns a Server that plays the games of hub.
func New(hub *session.Hub, cfg Config, logger *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		hub:       hub,
		log:       logger,
		cfg:       cfg,
		conns:     newRing[*conn](pingSlots),
		perClient: make(map[string]int),
	}
	if cfg.ConnectionRate > 0 {
		s.opening = netlimit.NewRate(cfg.ConnectionRate, max(1, cfg.ConnectionBurst))
	}
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: cfg.HandshakeTimeout,
		// A small read buffer of the socket's own, which gorilla takes from
		// hijacker for lack of a ReadBufferSize, and write buffers lent
		// only while a message is written: an idle connection holds none
		// of the HTTP server's 4 KiB buffers, which gorilla would otherwise
		// keep.
		WriteBufferSize: writeBufferSize,
		WriteBufferPool: &writeBuffers,
		CheckOrigin:     cfg.CheckOrigin,
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			s.log.Info("handshake refused", "status", status, "err", reason, "remote", r.RemoteAddr, "origin", r.Header.Get("Origin"))
			http.Error(w, http.StatusText(status)+": "+reason.Error(), status)
		},
	}
	return s
}

// CheckOrigins returns a Config.CheckOrigin that lets a page open a game socket
// when it is served by this server (its Origin names the request's Host), when
// its origin is listed in allowed (such as "https://play.example.com", compared
// without regard to case), or when it sends no Origin at all, as clients other
// than browsers do. The origin "*" allows every page: never list it on a
// server with players to protect, since any site could then play in their name.
func CheckOrigins(allowed []string) func(*http.Request) bool {
	set := make(map[string]bool, len(allowed))
	for _, o := range allowed {
		set[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
	}
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" || set["*"] || set[strings.ToLower(origin)] {
			return true
		}
		u, err := url.Parse(origin)
		return err == nil && strings.EqualFold(u.Host, r.Host)
	}
}

// ClientAddrFrom returns a Config.ClientAddr for a server behind a reverse
// proxy that names the client in the request header name: X-Real-IP, or
// X-Forwarded-For, of which it takes the last address, the one the proxy added.
// Only trust a header that the proxy always sets: a client could send its own.
func ClientAddrFrom(name string) func(r *http.Request) string {
	return func(r *http.Request) string {
		values := r.Header.Values(name)
		if len(values) == 0 {
			return peerAddr(r)
		}
		last := values[len(values)-1]
		if i := strings.LastIndexByte(last, ','); i >= 0 {
			last = last[i+1:]
		}
		return strings.TrimSpace(last)
	}
}

// peerAddr returns the IP address of the request's peer.
func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// IsWebSocket reports whether r asks to open a WebSocket.
func IsWebSocket(r *http.Request) bool { return websocket.IsWebSocketUpgrade(r) }

// ServeHTTP upgrades the request to a WebSocket and serves the game on it until
// either side closes it. It returns once the connection is set up: the
// connection then runs on goroutines of its own, so that net/http's goroutine
// for the request ends and frees its buffers and the request, which a
// connection that lives for hours would otherwise keep.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	client := netlimit.Key(s.cfg.ClientAddr(r))
	if status, why, wait := s.admit(client, time.Now()); status != 0 {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int(max(1, (wait+time.Second-1)/time.Second))))
		}
		s.log.Info("connection refused", "status", status, "reason", why, "client", client)
		http.Error(w, why, status)
		return
	}
	h := &hijacker{ResponseWriter: w}
	ws, err := s.upgrader.Upgrade(h, r, nil)
	if err != nil {
		s.release(client)
		return // the upgrader has answered and logged
	}
	c := &conn{
		id:     s.ids.Add(1),
		ws:     ws,
		br:     h.br,
		srv:    s,
		from:   client,
		opened: time.Now().UnixNano(),
	}
	// Before track: a closing frame that Shutdown has the writer send at
	// once sets CloseGrace, which this must not undo.
	ws.SetReadDeadline(time.Now().Add(min(s.cfg.FirstMessageTimeout, s.cfg.PongTimeout)))
	if !s.track(c) {
		c.closeFor(protocol.CloseShutdown)
	}
	s.cfg.Observer.ConnectionOpened()
	s.log.Info("connection opened", "conn", c.id, "remote", r.RemoteAddr, "client", client)
	go c.serve()
}

// admit counts a new connection from client at now, or returns the HTTP status
// and the reason to refuse it with, and when to try again.
func (s *Server) admit(client string, now time.Time) (int, string, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.draining:
		return http.StatusServiceUnavailable, protocol.CloseShutdown.Reason(), 0
	case s.cfg.MaxConnections >= 0 && s.open >= s.cfg.MaxConnections:
		return protocol.CloseFull.Code(), protocol.CloseFull.Reason(), 0
	case s.cfg.MaxConnectionsPerClient >= 0 && s.perClient[client] >= s.cfg.MaxConnectionsPerClient:
		return protocol.CloseTooManyFromYou.Code(), protocol.CloseTooManyFromYou.Reason(), 10 * time.Second
	}
	if s.opening != nil {
		if ok, wait := s.opening.Take(client, now); !ok {
			return protocol.CloseTooFast.Code(), protocol.CloseTooFast.Reason(), wait
		}
	}
	s.open++
	s.perClient[client]++
	s.done.Add(1)
	return 0, "", 0
}

// release uncounts a connection that admit counted.
func (s *Server) release(client string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open--
	if s.perClient[client]--; s.perClient[client] == 0 {
		delete(s.perClient, client)
	}
	s.done.Done()
}

// track adds c to the connections that the scheduler pings and Shutdown
// closes, and starts the scheduler if it is the first; it reports false if
// the server is already draining.
func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns.add(c)
	if s.pinging == nil {
		s.pinging = make(chan struct{})
		go s.ping(s.pinging)
	}
	return !s.draining
}

// untrack removes c from the connections, and stops the scheduler after the
// last: no goroutine is left to a server without connections.
func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns.remove(c)
	if s.conns.len() == 0 && s.pinging != nil {
		close(s.pinging)
		s.pinging = nil
	}
}

// ping is the server's one ping scheduler: it pings the connections of one
// slot every PingInterval/pingSlots, so that each is pinged once a
// PingInterval, until stop is closed. A ping is queued as a connection's
// events are: the scheduler never waits for a slow client.
func (s *Server) ping(stop chan struct{}) {
	// A millisecond at least: NewTicker panics at zero or below, and the
	// scheduler must not spin.
	tick := time.NewTicker(max(s.cfg.PingInterval/pingSlots, time.Millisecond))
	defer tick.Stop()
	var due []*conn
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		s.mu.Lock()
		due = s.conns.visit(due)
		s.mu.Unlock()
		for _, c := range due {
			c.ping()
		}
		clear(due)
		due = due[:0]
	}
}

// Shutdown refuses new connections, closes every open one with code 1001 (going
// away) once its queued events are written, and waits until all have ended or
// ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.draining = true
	conns := s.conns.all(nil)
	s.mu.Unlock()
	for _, c := range conns {
		c.closeFor(protocol.CloseShutdown)
	}

	ended := make(chan struct{})
	go func() {
		s.done.Wait()
		close(ended)
	}()
	select {
	case <-ended:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("socket: shutdown: %w", ctx.Err())
	}
}

// conn is one WebSocket connection. It implements session.Conn.
//
// Whoever writes to it first claims it (writing): the reader, after each
// message it handled, or a writer goroutine started for events queued by
// others, a ping or the closing frame. While the reader handles a message,
// what is queued waits for it to finish, and it writes it all.
//
// Every idle connection holds one, so it is kept within 256 bytes, a size
// class of the allocator: no copies of the server's settings, a time in
// nanoseconds, counters of 32 bits.
type conn struct {
	id     uint64
	ws     *websocket.Conn
	br     *bufio.Reader // what ws reads through
	spare  *bufio.Reader // holds nothing but lends br its buffer, for await
	srv    *Server
	from   string // the client's address, as the limits key it
	opened int64  // when, in Unix nanoseconds

	// What the reader carries from one message to the next.
	client *session.Client
	limit  bucket    // the client's pace
	behind time.Time // since when the client has kept the reader waiting

	mu        sync.Mutex
	queue     []outgoing    // entries for the writer, from head on
	head      int           // the next entry of queue to write
	first     bool          // no message was read yet (the reader's, not under mu)
	fresh     bool          // the last message came after a pause: read on a fresh goroutine (the reader's)
	writing   bool          // a goroutine is writing: the reader or a writer
	handling  bool          // the reader handles a message, and will write after
	pingDue   bool          // the scheduler asked for a ping
	stopped   bool          // the connection must end; stop, if made, is closed
	closeSent bool          // the closing frame was written
	broken    bool          // a write failed: nothing more is written
	close     []byte        // the closing frame to send, if any
	stop      chan struct{} // made by stopLocked, for those who wait
	waiter    chan struct{} // closed when the writer takes an entry or stops writing

	in, out atomic.Uint32 // messages read and written
	// played holds when the last play was read, in Unix nanoseconds, until the
	// next event for it is written; 0 when none is pending.
	played atomic.Int64
}

var _ session.Conn = (*conn)(nil)

// outgoing is one entry of a connection's send queue: one event, or a batch
// of them, such as the replay of a game.
type outgoing struct {
	event protocol.Event
	batch []protocol.Event
}

// Send queues e for the client. A client too slow to keep up is dropped rather
// than waited for.
func (c *conn) Send(e protocol.Event) { c.queueUp(outgoing{event: e}) }

// SendAll queues events for the client as one entry of the queue.
func (c *conn) SendAll(events []protocol.Event) { c.queueUp(outgoing{batch: events}) }

func (c *conn) queueUp(o outgoing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.stopped:
		return
	case len(c.queue)-c.head >= c.srv.cfg.SendQueue:
		c.endLocked(closing(protocol.CloseTooSlow.Code(), protocol.CloseTooSlow.Reason()))
		return
	}
	c.queue = append(c.queue, o)
	c.kickLocked()
}

// ping queues a ping for the client, ahead of its events.
func (c *conn) ping() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stopped {
		c.pingDue = true
		c.kickLocked()
	}
}

// kickLocked starts a writer for what is queued, unless someone writes
// already or the reader will once it has handled its message. It must be
// called with c.mu held.
func (c *conn) kickLocked() {
	if c.writing || c.handling || c.broken {
		return
	}
	c.writing = true
	go c.writer()
}

// writer writes what is queued, on a goroutine of its own, until nothing is.
func (c *conn) writer() {
	defer c.rescue("writer", nil)
	c.flush()
}

// handled ends the reader's handling of a message: it writes what is queued
// on the reader's goroutine, unless a writer is at it.
func (c *conn) handled() {
	c.mu.Lock()
	c.handling = false
	if c.writing || !c.pendingLocked() {
		c.mu.Unlock()
		return
	}
	c.writing = true
	c.mu.Unlock()
	c.flush()
}

// pendingLocked reports whether anything waits to be written. It must be
// called with c.mu held.
func (c *conn) pendingLocked() bool {
	return !c.broken && (c.head < len(c.queue) || c.pingDue || c.close != nil && !c.closeSent)
}

// wakeLocked wakes whoever waits for the writer. It must be called with c.mu
// held.
func (c *conn) wakeLocked() {
	if c.waiter != nil {
		close(c.waiter)
		c.waiter = nil
	}
}

// waitLocked returns a channel closed when the writer next takes an entry or
// stops writing. It must be called with c.mu held.
func (c *conn) waitLocked() <-chan struct{} {
	if c.waiter == nil {
		c.waiter = make(chan struct{})
	}
	return c.waiter
}

// flush writes the ping due, the queued events and the closing frame due,
// until there is nothing left, then gives up writing. The caller has claimed
// c.writing.
func (c *conn) flush() {
	done := false
	defer func() {
		if !done { // a panic: let the connection end without this writer
			c.mu.Lock()
			c.writing, c.broken = false, true
			c.wakeLocked()
			c.mu.Unlock()
		}
	}()
	for {
		c.mu.Lock()
		var (
			o              outgoing
			ping, closeNow bool
		)
		switch {
		case c.broken:
		case c.pingDue:
			c.pingDue, ping = false, true
		case c.head < len(c.queue):
			o = c.queue[c.head]
			c.queue[c.head] = outgoing{}
			if c.head++; c.head == len(c.queue) {
				c.queue, c.head = c.queue[:0], 0
			}
		case c.close != nil && !c.closeSent:
			c.closeSent, closeNow = true, true
		}
		if !ping && !closeNow && o.event == nil && o.batch == nil {
			c.writing = false
			c.wakeLocked()
			c.mu.Unlock()
			done = true
			return
		}
		c.wakeLocked()
		msg := c.close
		c.mu.Unlock()

		var err error
		switch {
		case ping:
			err = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.srv.cfg.WriteTimeout))
		case closeNow:
			if err = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.srv.cfg.WriteTimeout)); err == nil {
				c.ws.SetReadDeadline(time.Now().Add(c.srv.cfg.CloseGrace))
			}
		default:
			err = c.writeOutgoing(o)
		}
		if err != nil {
			c.writeFailed(err)
		}
	}
}

// Close ends the connection normally (code 1000) once the queued events are
// written, with reason in the closing frame.
func (c *conn) Close(reason string) { c.closeWith(websocket.CloseNormalClosure, reason) }

// closeFor ends the connection for reason c, with its code and sentence.
func (c *conn) closeFor(why protocol.Close, arg ...any) {
	c.closeWith(why.Code(), why.Reason(arg...))
}

// maxReason is the most a closing frame's reason may hold, in bytes.
const maxReason = 123

// closeWith ends the connection: what is queued is written, then a closing
// frame with code and reason. Only the first call counts.
func (c *conn) closeWith(code int, reason string) { c.end(closing(code, reason)) }

// closing returns the closing frame with code and reason, cut to fit.
func closing(code int, reason string) []byte {
	if len(reason) > maxReason {
		reason = strings.ToValidUTF8(reason[:maxReason], "")
	}
	return websocket.FormatCloseMessage(code, reason)
}

// end stops the connection, sending closing frame msg if it is not nil.
func (c *conn) end(msg []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endLocked(msg)
}

// endLocked is end, with c.mu held. Only the first call counts.
func (c *conn) endLocked(msg []byte) {
	if c.stopped {
		return
	}
	c.stopped = true
	c.close = msg
	if c.stop != nil {
		close(c.stop)
	}
	if msg != nil {
		c.kickLocked()
	}
}

// serve serves the connection, from its first message to its end.
func (c *conn) serve() {
	c.client = c.srv.hub.Connect(c, c.from)
	c.ws.SetPongHandler(func(string) error {
		c.alive()
		return nil
	})
	c.limit = bucket{rate: c.srv.cfg.MessageRate, burst: float64(c.srv.cfg.MessageBurst), tokens: float64(c.srv.cfg.MessageBurst)}
	c.first = true
	c.read()
}

// read reads and handles the client's messages; once reading ends, it ends
// the connection.
//
// A goroutine's stack grows to what handling a message takes (the session,
// the Store: 8 KiB) and does not shrink while it waits, which is most of what
// an idle connection would hold. So after a message that came after a pause
// (freshAfter), or the first one, as a person's moves come, reading goes on
// on a fresh goroutine, and this one ends. The fresh one waits for the
// client's next bytes on the smallest stack, 2 KiB (await), before it reads
// them with gorilla, whose read takes 4 KiB. Fresh, it grows again at the
// next message, a copy of the stack: a client that sends messages back to
// back keeps its goroutine and does not pay it at every message.
func (c *conn) read() {
	for fresh := true; ; fresh = false {
		asked := time.Now()
		if fresh {
			for c.await() {
				// A pong: the client is still pausing.
			}
		}
		kind, r, err := c.ws.NextReader()
		reason, ok := c.gotSafely(kind, r, err, asked)
		switch {
		case !ok:
			c.finish(reason)
			return
		case c.fresh:
			go c.read()
			return
		}
	}
}

// alive gives the client PongTimeout more to show a sign of life, unless
// the closing frame is out: then CloseGrace, which its writer set, holds, and
// nothing the client sends (a pong unasked) keeps the connection open.
func (c *conn) alive() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closeSent {
		c.ws.SetReadDeadline(time.Now().Add(c.srv.cfg.PongTimeout))
	}
}

// freshAfter is the pause before a message after which its reader hands
// reading over to a fresh goroutine: the client is likely to pause again.
const freshAfter = 100 * time.Millisecond

// finish ends the connection once reading has ended, for reason: it waits for
// the last writer and the client's closing frame, and uncounts it.
func (c *conn) finish(reason string) {
	c.client.Close()
	c.end(nil)  // the reader is done: stop the writer if nothing else has
	c.handled() // what a panic in the handling left queued, and the closing frame
	c.mu.Lock()
	for c.writing {
		w := c.waitLocked()
		c.mu.Unlock()
		<-w
		c.mu.Lock()
	}
	drain := c.closeSent && !c.broken
	c.mu.Unlock()
	if drain {
		c.drain()
	}
	c.ws.Close()
	c.srv.log.Info("connection closed", "conn", c.id, "reason", reason, "in", c.in.Load(), "out", c.out.Load(),
		"duration", time.Duration(time.Now().UnixNano()-c.opened).Round(time.Millisecond))
	c.srv.cfg.Observer.ConnectionClosed()
	c.srv.untrack(c)
	c.srv.release(c.from)
}

// keys matches the keys and tokens in a message's JSON, which take a seat or
// follow a game: the logs never show them.
var keys = regexp.MustCompile(`("(?:token|join|watch)"\s*:\s*")[^"]*"`)

// redact returns a message for the logs, its keys and tokens hidden.
func redact(data []byte) string {
	return keys.ReplaceAllString(string(data), `${1}…"`)
}

// gotSafely is got, but a panic in it ends this connection only, with
// 1011, and is logged.
func (c *conn) gotSafely(kind int, r io.Reader, err error, asked time.Time) (reason string, ok bool) {
	defer c.rescue("reader", &reason)
	return c.got(kind, r, err, asked)
}

// rescue recovers a panic of the connection's goroutine named who: it logs
// it with its stack and ends the connection with 1011, saying so in reason if
// not nil. Every other connection goes on.
func (c *conn) rescue(who string, reason *string) {
	p := recover()
	if p == nil {
		return
	}
	c.srv.log.Error("panic in a connection", "conn", c.id, "goroutine", who, "panic", p, "stack", string(debug.Stack()))
	c.closeFor(protocol.CloseInternal)
	if who == "writer" {
		c.ws.NetConn().Close() // no writer is left to send the closing frame
	}
	if reason != nil {
		*reason = fmt.Sprint("panic: ", p)
	}
}

// got reads the message that NextReader, asked for it at asked, returned,
// and has the session handle it. It reports false, with why, if the
// connection ends instead.
func (c *conn) got(kind int, r io.Reader, err error, asked time.Time) (reason string, ok bool) {
	first := c.first
	c.first = false
	idle := time.Since(asked)
	c.fresh = first || idle > freshAfter
	var ne net.Error
	if first && errors.As(err, &ne) && ne.Timeout() {
		c.closeFor(protocol.CloseNoFirstMessage, c.srv.cfg.FirstMessageTimeout)
		return "no first message", false
	}
	if err != nil {
		return readError(err), false
	}
	if first {
		c.alive()
	}
	buf := messageBuffers.Get().(*[]byte)
	data, err := readMessage(r, (*buf)[:0], c.srv.cfg.MaxMessageSize)
	*buf = data[:0]
	if err != nil {
		messageBuffers.Put(buf)
		return readError(err), false
	}
	c.in.Add(1)
	c.srv.cfg.Observer.MessageIn()
	if int64(len(data)) > c.srv.cfg.MaxMessageSize {
		messageBuffers.Put(buf)
		c.closeFor(protocol.CloseTooBig, c.srv.cfg.MaxMessageSize)
		return "message too big", false
	}
	if c.srv.log.Enabled(context.Background(), slog.LevelDebug) {
		c.srv.log.Debug("message in", "conn", c.id, "data", redact(data), "binary", kind == websocket.BinaryMessage)
	}
	now := time.Now()
	wait := c.limit.take(now)
	switch {
	case wait == 0:
		c.behind = time.Time{}
	case c.behind.IsZero() || idle > time.Millisecond:
		// The reader waited for this message: the client was not
		// ahead until now.
		c.behind = now
	}
	if wait > 0 && now.Add(wait).Sub(c.behind) > c.srv.cfg.MaxBacklog {
		c.closeFor(protocol.CloseTooMany)
		return "too many messages", false
	}
	if !c.pause(wait) || !c.roomToAnswer() {
		messageBuffers.Put(buf)
		return "closed while pacing", false
	}
	c.handle(kind, data)
	messageBuffers.Put(buf)
	return "", true
}

// handle has the client handle one message, then writes what it queued.
func (c *conn) handle(kind int, data []byte) {
	client := c.client
	c.mu.Lock()
	c.handling = true
	c.mu.Unlock()
	switch cmd, err := protocol.DecodeCommand(data); {
	case kind != websocket.TextMessage:
		client.Refuse(protocol.ErrBinary)
	case err != nil:
		client.Refuse(err)
	default:
		if _, ok := cmd.(protocol.Play); ok {
			c.played.CompareAndSwap(0, time.Now().UnixNano())
		}
		client.Handle(cmd)
	}
	c.handled()
}

// readMessage appends what r holds to buf, up to one byte past limit, so that
// a message of exactly the limit is told from a larger one without ever
// holding more than that in memory.
func readMessage(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit+1)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// bucket is a token bucket: it lets rate events a second through on average
// and burst in a row, and tells the others how long to wait for their token.
// A negative rate lets everything through at once.
type bucket struct {
	rate, burst, tokens float64 // tokens below 0 are owed by those waiting
	last                time.Time
}

// take takes a token for an event at now, and returns how long the event
// must wait for it: 0 if a token was there.
func (b *bucket) take(now time.Time) time.Duration {
	if b.rate < 0 {
		return 0
	}
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// pause waits d before the reader goes on, unless the connection stops
// first; it reports whether it waited all of d.
func (c *conn) pause(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	c.mu.Lock()
	stop := c.stopLocked()
	c.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	}
}

// stopLocked returns a channel closed once the connection must end, made
// when first asked for: an idle connection holds none. It must be called
// with c.mu held.
func (c *conn) stopLocked() <-chan struct{} {
	if c.stop == nil {
		c.stop = make(chan struct{})
		if c.stopped {
			close(c.stop)
		}
	}
	return c.stop
}

// roomToAnswer waits, before the reader handles a message, until the send
// queue is at most half full: a client that sends without reading its
// answers is held back by its own reader, never dropped for it. It reports
// false if the connection stops meanwhile (a queue that the writer cannot
// empty within WriteTimeout stops it).
func (c *conn) roomToAnswer() bool {
	var t *time.Timer
	c.mu.Lock()
	for len(c.queue)-c.head > c.srv.cfg.SendQueue/2 {
		w, stop := c.waitLocked(), c.stopLocked()
		c.mu.Unlock()
		if t == nil {
			t = time.NewTimer(c.srv.cfg.WriteTimeout)
			defer t.Stop()
		}
		select {
		case <-w:
		case <-stop:
			return false
		case <-t.C:
			c.closeFor(protocol.CloseTooSlow)
			return false
		}
		c.mu.Lock()
	}
	c.mu.Unlock()
	return true
}

// drain completes the closing handshake that the server began: it discards
// what the client still sends until its closing frame, for up to CloseGrace.
// Cutting the connection with unread data would make the kernel reset it, and
// the client could lose the closing frame and its reason.
func (c *conn) drain() {
	c.ws.SetReadDeadline(time.Now().Add(c.srv.cfg.CloseGrace))
	for {
		if _, _, err := c.ws.NextReader(); err != nil {
			return
		}
	}
}

// readError says why reading ended.
func readError(err error) string {
	if ce, ok := err.(*websocket.CloseError); ok {
		return fmt.Sprintf("client closed: %d %s", ce.Code, ce.Text)
	}
	return err.Error()
}

// writeOutgoing writes the event or events of one entry of the queue.
func (c *conn) writeOutgoing(o outgoing) error {
	if o.event != nil {
		return c.writeEvent(o.event)
	}
	for _, e := range o.batch {
		if err := c.writeEvent(e); err != nil {
			return err
		}
	}
	return nil
}

// writeEvent encodes e into a buffer of the pool and writes it.
func (c *conn) writeEvent(e protocol.Event) error {
	buf := messageBuffers.Get().(*[]byte)
	defer messageBuffers.Put(buf)
	data, err := protocol.AppendEvent((*buf)[:0], e)
	if err != nil {
		return err
	}
	*buf = data[:0]
	if c.srv.log.Enabled(context.Background(), slog.LevelDebug) {
		c.srv.log.Debug("message out", "conn", c.id, "data", redact(data))
	}
	// Claim the pending play before writing: once written, the client may
	// answer with its next play before this goroutine runs again.
	played := c.played.Swap(0)
	c.ws.SetWriteDeadline(time.Now().Add(c.srv.cfg.WriteTimeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
		return err
	}
	c.out.Add(1)
	c.srv.cfg.Observer.MessageOut()
	if played != 0 {
		c.srv.cfg.Observer.MoveServed(time.Duration(time.Now().UnixNano() - played))
	}
	return nil
}

// writeFailed stops the connection after a failed write: the peer is gone or
// stuck, so cut it rather than wait for the reader's deadline.
func (c *conn) writeFailed(err error) {
	c.srv.log.Debug("write failed", "conn", c.id, "err", err)
	c.mu.Lock()
	c.broken = true
	clear(c.queue)
	c.queue, c.head = nil, 0
	c.endLocked(nil)
	c.mu.Unlock()
	c.ws.NetConn().Close()
}
