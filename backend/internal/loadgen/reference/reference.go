// Package reference is the minimal gorilla/websocket server that this
// project's server is measured against (issue 15, "Lean and fast"): the
// python-websockets tutorial's game written the plain way, with one
// goroutine per connection that reads a command, plays it and writes the
// replies itself, and encoding/json both ways. It referees hot-seat games
// (the tutorial's part 1) and games for two started by init and join
// (part 2, without spectators): enough for every mode of the load tool but
// the fan-out.
//
// It is the lean configuration of gorilla: small buffers, the write buffer
// taken from a pool only while a message is written, and the HTTP handler
// returning after the upgrade so that net/http's own buffers are freed
// (gorilla/websocket#761). It has no limits, pings or timeouts: it is a
// yardstick, not a server to put on a network.
package reference

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/gorilla/websocket"
)

// Sizes of a connection's buffers: the tutorial's messages are a few dozen
// bytes, a win's a little over a hundred.
const (
	bufferSize     = 256
	maxMessageSize = 512
)

// Server is the game server, an http.Handler of WebSocket upgrades. Make it
// with New; it is safe for concurrent use.
type Server struct {
	upgrader websocket.Upgrader
	wg       sync.WaitGroup // the connections' goroutines

	mu      sync.Mutex
	waiting map[string]*game // games for two waiting for yellow, by join key
	conns   map[*websocket.Conn]struct{}
	closed  bool
	keys    int // join keys given so far
}

// New returns a Server with no games.
func New() *Server {
	return &Server{
		upgrader: websocket.Upgrader{
			ReadBufferSize:  bufferSize,
			WriteBufferSize: bufferSize,
			WriteBufferPool: &sync.Pool{},
			CheckOrigin:     func(*http.Request) bool { return true },
		},
		waiting: map[string]*game{},
		conns:   map[*websocket.Conn]struct{}{},
	}
}

// Serve serves s on ln until ln is closed, then closes every connection and
// waits for their goroutines to end.
func Serve(ln net.Listener, s *Server) error {
	err := (&http.Server{Handler: s}).Serve(ln)
	s.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// ServeHTTP upgrades the request and hands the connection to its goroutine.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns[ws] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go s.serve(ws)
}

// Close closes every connection and waits for their goroutines to end.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for ws := range s.conns {
		ws.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// command is any message from a client.
type command struct {
	Type   string `json:"type"`
	Column *int   `json:"column"`
	Join   string `json:"join"`
	Watch  string `json:"watch"`
}

// The events, each with the fields of the tutorial's JSON (and this
// project's draw and winning cells).
type (
	played struct {
		Type   string `json:"type"`
		Player string `json:"player"`
		Column int    `json:"column"`
		Row    int    `json:"row"`
	}
	won struct {
		Type   string `json:"type"`
		Player string `json:"player"`
		Cells  []cell `json:"cells"`
	}
	cell struct {
		Column int `json:"column"`
		Row    int `json:"row"`
	}
	started struct {
		Type  string `json:"type"`
		Join  string `json:"join"`
		Watch string `json:"watch"`
	}
	refused struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	drawn struct {
		Type string `json:"type"`
	}
)

// game is a game and its players' connections: one for a hot-seat game, red's
// and then yellow's for a game for two. mu serialises the moves and the
// writes to the connections.
type game struct {
	mu      sync.Mutex
	board   connect4.Game
	players []*websocket.Conn
	join    string // its join key, for a game for two (set once, before it is shared)
}

// serve reads the commands of ws until it closes, and answers each.
func (s *Server) serve(ws *websocket.Conn) {
	defer s.wg.Done()
	ws.SetReadLimit(maxMessageSize)
	var g *game
	me := connect4.NoPlayer // both, in a hot-seat game
	// The opponent's goroutine writes to ws too, under the game's lock.
	refuse := func(err error) {
		if g != nil {
			g.mu.Lock()
			defer g.mu.Unlock()
		}
		writeError(ws, err)
	}
	defer func() {
		s.mu.Lock()
		delete(s.conns, ws)
		if g != nil && s.waiting[g.join] == g { // red leaves before yellow came
			delete(s.waiting, g.join)
		}
		s.mu.Unlock()
		ws.Close()
	}()
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var c command
		switch err := json.Unmarshal(msg, &c); {
		case err != nil:
			refuse(protocol.ErrMalformed)
		case c.Type == "play" && c.Column == nil:
			refuse(protocol.ErrNoColumn)
		case c.Type == "play":
			if g == nil { // the tutorial's part 1: a hot-seat game
				g = &game{players: []*websocket.Conn{ws}}
			}
			g.play(ws, me, *c.Column)
		case c.Type != "init":
			refuse(protocol.ErrUnknownType)
		case g != nil:
			refuse(protocol.ErrInGame)
		case c.Watch != "":
			refuse(protocol.ErrGameNotFound) // no spectators here
		case c.Join != "":
			if g = s.take(c.Join, ws); g == nil {
				refuse(protocol.ErrGameNotFound)
				continue
			}
			me = connect4.Yellow
		default:
			g, me = s.create(ws), connect4.Red
		}
	}
}

// create starts a game for two with ws as red, and sends red its keys.
func (s *Server) create(ws *websocket.Conn) *game {
	s.mu.Lock()
	s.keys++
	g := &game{players: []*websocket.Conn{ws}, join: strconv.Itoa(s.keys)}
	s.waiting[g.join] = g
	s.mu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	ws.WriteJSON(started{Type: "init", Join: g.join, Watch: "w" + g.join})
	return g
}

// take seats ws as yellow in the game waiting under join, if any.
func (s *Server) take(join string, ws *websocket.Conn) *game {
	s.mu.Lock()
	g := s.waiting[join]
	delete(s.waiting, join)
	s.mu.Unlock()
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.players = append(g.players, ws)
	return g
}

// play plays p's move in column (the player whose turn it is for NoPlayer)
// and tells every player, or tells from why not.
func (g *game) play(from *websocket.Conn, p connect4.Player, column int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if p == connect4.NoPlayer {
		p = g.board.Turn()
	}
	m, err := g.board.Play(p, column)
	if err != nil {
		writeError(from, err)
		return
	}
	events := []any{played{"play", m.Player.String(), m.Column, m.Row}}
	if line, ok := g.board.WinningLine(); ok {
		w := won{Type: "win", Player: m.Player.String()}
		for _, c := range line {
			w.Cells = append(w.Cells, cell{c.Column, c.Row})
		}
		events = append(events, w)
	} else if g.board.Draw() {
		events = append(events, drawn{"draw"})
	}
	for _, ws := range g.players {
		for _, e := range events {
			ws.WriteJSON(e) // a failure is the reader's to see
		}
	}
}

// writeError tells ws the sentence of err.
func writeError(ws *websocket.Conn, err error) {
	e, _ := protocol.ErrorFor(err)
	ws.WriteJSON(refused{"error", e.Message})
}
