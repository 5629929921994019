package session_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// wire is a session.Conn that encodes each event as the transport does, into
// one buffer it reuses, and keeps only the count: the far end of a move's
// round trip.
type wire struct {
	buf    []byte
	events int
}

func (w *wire) Send(e protocol.Event) {
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

// BenchmarkMoveRoundTrip is one move's whole way through the server but the
// socket: its message decoded, the command handled by the session (the
// match's lock, the Store, the core, the Observer) and the events it makes
// encoded for the wire. Hot-seat games on the in-memory Store, drawn over
// and over with a rematch after each, so that a move is one iteration.
func BenchmarkMoveRoundTrip(b *testing.B) {
	hub := session.NewHub(session.Config{MaxMatchesPerClient: -1}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer hub.Close()
	w := &wire{}
	client := hub.Connect(w, "192.0.2.1")
	defer client.Close()
	handle := func(msg []byte) {
		cmd, err := protocol.DecodeCommand(msg)
		if err != nil {
			b.Fatal(err)
		}
		client.Handle(cmd)
	}
	handle([]byte(`{"type":"init","mode":"hotseat","version":2}`))
	var plays [7][]byte
	for c := range plays {
		plays[c] = []byte(`{"type":"play","column":` + string(rune('0'+c)) + `}`)
	}
	rematch := []byte(`{"type":"rematch"}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		n := i % len(drawn)
		handle(plays[drawn[n]])
		if n == len(drawn)-1 {
			handle(rematch)
		}
	}
	b.StopTimer()
	if w.events < b.N {
		b.Fatalf("%d events for %d moves", w.events, b.N)
	}
}
