package socket_test

import (
	"runtime/metrics"
	"testing"

	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/gorilla/websocket"
)

// BenchmarkMoveOverSocket is a move's round trip over a real loopback
// connection: the client sends a play and reads its event. Hot-seat games,
// drawn over and over with a rematch after each. The figures include the
// client's work (gorilla's), in the same process: take allocations and time
// as an upper bound of the server's.
func BenchmarkMoveOverSocket(b *testing.B) {
	_, url := start(b, socket.Config{MessageRate: -1})
	ws := dial(b, url)
	drawn := []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4, 6, 6, 6, 6, 6, 6}
	var plays [7][]byte
	for c := range plays {
		plays[c] = []byte(`{"type":"play","column":` + string(rune('0'+c)) + `}`)
	}
	roundTrip := func(msg []byte, events int) {
		if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
			b.Fatal(err)
		}
		for range events {
			if _, _, err := ws.NextReader(); err != nil {
				b.Fatal(err)
			}
		}
	}
	roundTrip([]byte(`{"type":"init","mode":"hotseat","version":2}`), 1)
	b.ReportAllocs()
	// The goroutines started a move: a writer, a feed's, a fresh reader.
	created := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(created)
	before := created[0].Value.Uint64()
	defer func() {
		metrics.Read(created)
		b.ReportMetric(float64(created[0].Value.Uint64()-before)/float64(b.N), "goroutines/op")
	}()
	b.ResetTimer()
	for i := range b.N {
		n := i % len(drawn)
		if n == len(drawn)-1 {
			roundTrip(plays[drawn[n]], 2) // the move and the draw
			roundTrip([]byte(`{"type":"rematch"}`), 1)
			continue
		}
		roundTrip(plays[drawn[n]], 1)
	}
}
