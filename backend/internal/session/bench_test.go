package session_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/connect4go/connect4/backend/internal/metrics"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/sqlstore"
	"github.com/connect4go/connect4/shared/protocol"
)

// wire is a session.Conn that encodes each event as the transport does, into
// one buffer it reuses, and keeps only the count: the far end of a move's
// round trip.
type wire struct {
	buf     []byte
	events  int
	refused int // Error events
}

func (w *wire) Send(e protocol.Event) {
	if _, ok := e.(protocol.Error); ok {
		w.refused++
	}
	var err error
	if w.buf, err = protocol.AppendEvent(w.buf[:0], e); err != nil {
		panic(err)
	}
	w.events++
}

func (w *wire) SendAll(events []protocol.Event) {
	for _, e := range events {
		w.Send(e)
	}
}

func (w *wire) Close(string) {}

// benchStores are the servers that the round-trip benchmarks measure: the
// session alone on its Store in memory, and the session as the server wires
// it, with its metrics (the Observer, and the Store's calls timed) on the
// Store in memory (-store memory) or on SQLite (the default). No limit on
// the matches, as in the load tool's runs: a hot-seat match stays for the
// grace time after its player left.
var benchStores = []struct {
	name string
	cfg  func(b *testing.B) session.Config
}{
	{"bare", func(*testing.B) session.Config { return session.Config{MaxMatches: -1, MaxMatchesPerClient: -1} }},
	{"memory", func(*testing.B) session.Config {
		return session.Config{MaxMatches: -1, MaxMatchesPerClient: -1, Observer: metrics.New("bench")}
	}},
	{"sqlite", func(b *testing.B) session.Config {
		cfg := session.Config{MaxMatches: -1, MaxMatchesPerClient: -1}
		store, err := sqlstore.Open(b.TempDir(), cfg.Lifetimes(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { store.Close() })
		stats := metrics.New("bench")
		cfg.Observer, cfg.Store = stats, stats.Store(store)
		return cfg
	}},
}

// roundTrip is a client of a benchmark's hub whose messages are decoded as
// the transport decodes them.
type roundTrip struct {
	b      *testing.B
	hub    *session.Hub
	client *session.Client
	w      wire
}

func newRoundTrip(b *testing.B, cfg session.Config) *roundTrip {
	// Warnings only, as the load runs' servers log (-log-level warn).
	hub := session.NewHub(cfg, slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})))
	b.Cleanup(hub.Close)
	return &roundTrip{b: b, hub: hub}
}

// connect connects a new client, as a new connection does.
func (r *roundTrip) connect() { r.client = r.hub.Connect(&r.w, "192.0.2.1") }

func (r *roundTrip) handle(msg []byte) {
	cmd, err := protocol.DecodeCommand(msg)
	if err != nil {
		r.b.Fatal(err)
	}
	r.client.Handle(cmd)
}

var (
	hotSeat = []byte(`{"type":"init","mode":"hotseat","version":2}`)
	rematch = []byte(`{"type":"rematch"}`)
	plays   [7][]byte
)

func init() {
	for c := range plays {
		plays[c] = []byte(`{"type":"play","column":` + string(rune('0'+c)) + `}`)
	}
}

// BenchmarkMoveRoundTrip is one move's whole way through the server but the
// socket: its message decoded, the command handled by the session (the
// match's lock, the Store, the core, the Observer) and the events it makes
// encoded for the wire. Hot-seat games, drawn over and over with a rematch
// after each, so that a move is one iteration, on each of benchStores.
func BenchmarkMoveRoundTrip(b *testing.B) {
	for _, s := range benchStores {
		b.Run(s.name, func(b *testing.B) {
			r := newRoundTrip(b, s.cfg(b))
			r.connect()
			defer r.client.Close()
			r.handle(hotSeat)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				n := i % len(drawn)
				r.handle(plays[drawn[n]])
				if n == len(drawn)-1 {
					r.handle(rematch)
				}
			}
			b.StopTimer()
			if r.w.events < b.N || r.w.refused > 0 {
				b.Fatalf("%d events for %d moves, %d refusals", r.w.events, b.N, r.w.refused)
			}
		})
	}
}

// BenchmarkGameRoundTrip is BenchmarkMoveRoundTrip as the load tool's closed
// loop plays (load -mode closed): a connection a hot-seat game, which it
// starts, plays to a draw and leaves, the match ending with it. An
// iteration is a move, and a game's set-up and end count in its moves.
func BenchmarkGameRoundTrip(b *testing.B) {
	for _, s := range benchStores {
		b.Run(s.name, func(b *testing.B) {
			r := newRoundTrip(b, s.cfg(b))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				n := i % len(drawn)
				if n == 0 {
					r.connect()
					r.handle(hotSeat)
				}
				r.handle(plays[drawn[n]])
				if n == len(drawn)-1 {
					r.client.Close()
				}
			}
			b.StopTimer()
			if r.w.events < b.N || r.w.refused > 0 {
				b.Fatalf("%d events for %d moves, %d refusals", r.w.events, b.N, r.w.refused)
			}
		})
	}
}
