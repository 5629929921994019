// Package server routes the HTTP requests of the game: the page and its assets,
// the game socket on the same URL as the page, and the health check.
package server

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/shared/protocol"
)

// Server is the http.Handler of the whole site. It is safe for concurrent use.
type Server struct {
	mux      *http.ServeMux
	sockets  http.Handler
	draining atomic.Bool
	ready    func() error
	policy   string // Content-Security-Policy
}

// New returns a Server that serves pages at the root of the site, hands
// WebSocket handshakes on "/" to sockets, as the tutorial's clients expect, and
// serves metrics, if not nil, at /metrics.
func New(pages, sockets, metrics http.Handler) *Server {
	s := &Server{mux: http.NewServeMux(), sockets: sockets, ready: func() error { return nil }}
	s.mux.HandleFunc("GET /healthz", s.health)
	if metrics != nil {
		s.mux.Handle("GET /metrics", metrics)
	}
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if socket.IsWebSocket(r) {
			s.sockets.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
	s.mux.Handle("GET /", pages)
	return s
}

// ServeHTTP routes r. Every response says not to guess content types, not to
// send the address (join keys travel in it) to other sites, not to be framed,
// and carries the Content-Security-Policy, if set.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if s.policy != "" {
		h.Set("Content-Security-Policy", s.policy)
	}
	s.mux.ServeHTTP(w, r)
}

// Secure sets the Content-Security-Policy of every response, such as the
// page's static.Handler.Policy. Call it before serving.
func (s *Server) Secure(policy string) { s.policy = policy }

// ReadyWhen makes the health check fail while ready returns an error, such as
// while the game store cannot be reached. Call it before serving.
func (s *Server) ReadyWhen(ready func() error) { s.ready = ready }

// lobbyAge is how long an answer of GET /lobby is served again before it is
// asked anew: the start screens of many players cost one look at the games.
const lobbyAge = 2 * time.Second

// Lobby serves GET /lobby, the JSON of what lobby returns (a protocol.Lobby),
// for the start screen, asking lobby at most once per lobbyAge. Call it
// before serving.
func (s *Server) Lobby(lobby func() protocol.Lobby) {
	var (
		mu   sync.Mutex
		body []byte
		at   time.Time
	)
	s.mux.HandleFunc("GET /lobby", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if body == nil || time.Since(at) > lobbyAge {
			body, _ = protocol.EncodeEvent(lobby()) // a Lobby always encodes
			at = time.Now()
		}
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
	})
}

// Drain makes the health check fail from now on, so that a load balancer stops
// sending new players before the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("shutting down\n"))
		return
	}
	if err := s.ready(); err != nil {
		// Why stays in the logs (the store logs it when it changes): it
		// may name addresses and users that the public need not see.
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready\n"))
		return
	}
	w.Write([]byte("OK\n"))
}
