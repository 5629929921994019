package socket

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/gorilla/websocket"
)

// hammered serves one connection on loopback and returns the client's end
// and the server's conn for it.
func hammered(t *testing.T, cfg Config) (*websocket.Conn, *conn) {
	ws, c, _ := hammeredOn(t, cfg)
	return ws, c
}

// hammeredOn is hammered, with the Server.
func hammeredOn(t *testing.T, cfg Config) (*websocket.Conn, *conn, *Server) {
	t.Helper()
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.ConnectionRate = -1
	hub := session.NewHub(session.Config{MaxMatchesPerClient: -1}, discard)
	s := New(hub, cfg, discard)
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		srv.Close()
	})
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	var conns []*conn
	for deadline := time.Now().Add(5 * time.Second); len(conns) == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // the handshake ends before the server tracks the connection
		s.mu.Lock()
		conns = s.conns.all(nil)
		s.mu.Unlock()
	}
	if len(conns) != 1 {
		t.Fatalf("%d connections, want 1", len(conns))
	}
	return ws, conns[0], s
}

// tally checks the events that the senders queued: each once, and those of
// one sender in order.
type tally struct {
	next map[int]int // the next number expected from each sender
}

func (ty *tally) see(t *testing.T, msg string) {
	var g, n int
	if _, err := fmt.Sscanf(msg, "g%d-%d", &g, &n); err != nil {
		t.Fatalf("unexpected message %q", msg)
	}
	if ty.next[g] != n {
		t.Fatalf("sender %d: got %d, want %d (lost, twice or out of order)", g, n, ty.next[g])
	}
	ty.next[g]++
}

// Many goroutines queue events for one connection at once, by one and in
// batches, while its client sends messages, some after a pause (so that
// reading moves to a fresh goroutine) and some back to back, and the server
// pings it: every event arrives once, each sender's in order, and every
// message is answered once.
func TestHammerOneConnection(t *testing.T) {
	const senders, each, pings = 8, 200, 60
	ws, c := hammered(t, Config{SendQueue: senders*each + 2*pings, PingInterval: 16 * time.Millisecond, MessageRate: -1})
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for n := 0; n < each; {
				if n%7 == 3 && n+3 <= each {
					c.SendAll([]protocol.Event{
						protocol.Error{Message: fmt.Sprintf("g%d-%d", g, n)},
						protocol.Error{Message: fmt.Sprintf("g%d-%d", g, n+1)},
						protocol.Error{Message: fmt.Sprintf("g%d-%d", g, n+2)},
					})
					n += 3
					continue
				}
				c.Send(protocol.Error{Message: fmt.Sprintf("g%d-%d", g, n)})
				n++
			}
		})
	}
	sendErr := make(chan error, 1)
	go func() {
		for i := range pings {
			if i%10 == 0 {
				time.Sleep(freshAfter + 10*time.Millisecond)
			}
			if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"type": "ping"}`)); err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()
	ty := tally{next: make(map[int]int)}
	pongs, events := 0, 0
	ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	for pongs < pings || events < senders*each {
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("after %d events and %d pongs: %v", events, pongs, err)
		}
		var m struct{ Type, Message string }
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		switch m.Type {
		case "pong":
			pongs++
		case "error":
			ty.see(t, m.Message)
			events++
		default:
			t.Fatalf("unexpected message %s", data)
		}
	}
	wg.Wait()
	if err := <-sendErr; err != nil {
		t.Fatal(err)
	}
}

// A close while others queue events and the client sends: the closing frame
// comes once, after every event queued before the close, and nothing after it.
func TestHammerCloseInTheMiddle(t *testing.T) {
	for round := range 20 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			const senders, each = 4, 50
			ws, c := hammered(t, Config{SendQueue: senders*each + 100, MessageRate: -1})
			var wg sync.WaitGroup
			var mu sync.Mutex
			before := make(map[int]int) // by sender, how many were queued before the close
			closed := false
			for g := range senders {
				wg.Go(func() {
					for n := range each {
						mu.Lock()
						if !closed {
							before[g] = n + 1
						}
						c.Send(protocol.Error{Message: fmt.Sprintf("g%d-%d", g, n)})
						mu.Unlock()
					}
				})
			}
			wg.Go(func() {
				for range 20 {
					if ws.WriteMessage(websocket.TextMessage, []byte(`{"type": "ping"}`)) != nil {
						return
					}
				}
			})
			wg.Go(func() {
				time.Sleep(time.Duration(round) * 100 * time.Microsecond)
				mu.Lock()
				closed = true
				c.Close("bye")
				mu.Unlock()
			})
			ty := tally{next: make(map[int]int)}
			ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			for {
				_, data, err := ws.ReadMessage()
				if ce, ok := err.(*websocket.CloseError); ok {
					if ce.Code != websocket.CloseNormalClosure || ce.Text != "bye" {
						t.Fatalf("closed with %d %q", ce.Code, ce.Text)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				var m struct{ Type, Message string }
				if err := json.Unmarshal(data, &m); err != nil {
					t.Fatalf("%q: %v", data, err)
				}
				if m.Type == "error" {
					ty.see(t, m.Message)
				}
			}
			wg.Wait()
			for g := range senders {
				if ty.next[g] < before[g] {
					t.Errorf("sender %d: %d events arrived before the closing frame, %d were queued before the close", g, ty.next[g], before[g])
				}
			}
		})
	}
}

// A client that answers the closing frame with nothing but pongs, unasked,
// is cut after CloseGrace all the same: it cannot hold Shutdown up.
func TestPongsDoNotHoldAClosedConnection(t *testing.T) {
	ws, _, s := hammeredOn(t, Config{CloseGrace: 100 * time.Millisecond, PongTimeout: 20 * time.Second, FirstMessageTimeout: 20 * time.Second})
	if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"type": "ping"}`)); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(stop)
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if ws.WriteControl(websocket.PongMessage, nil, time.Now().Add(time.Second)) != nil {
				return
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v: a closed connection was kept open by pongs", err)
	}
}

// Connections come and go, and the last one of a moment stops the ping
// scheduler, while the scheduler visits its slots every millisecond: every
// connection is pinged, answers, and ends; Shutdown waits for them all.
func TestHammerPingRing(t *testing.T) {
	const conns = 40
	_, _, s := hammeredOn(t, Config{PingInterval: 16 * time.Millisecond, PongTimeout: 5 * time.Second, MessageRate: -1, MaxConnectionsPerClient: -1})
	srv := httptest.NewServer(s)
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		wg.Go(func() {
			time.Sleep(time.Duration(i%8) * 3 * time.Millisecond)
			ws, _, err := websocket.DefaultDialer.Dial(url, nil)
			if err != nil {
				errs <- err
				return
			}
			defer ws.Close()
			// Pinged, the client answers and says goodbye; the server
			// answers its closing frame.
			ws.SetPingHandler(func(data string) error {
				if err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second)); err != nil {
					return err
				}
				return ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			})
			ws.WriteMessage(websocket.TextMessage, []byte(`{"type": "ping"}`))
			ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			for {
				_, _, err := ws.ReadMessage()
				if websocket.IsCloseError(err, websocket.CloseNormalClosure) {
					return
				}
				if err != nil {
					errs <- fmt.Errorf("connection %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A client that sends without reading anything, while others' events pour
// in for it, is dropped: neither its reader, held back by the full queue,
// nor the writer, stuck on its full socket, waits for it for good.
func TestHammerClientThatNeverReads(t *testing.T) {
	ws, c := hammered(t, Config{SendQueue: 8, WriteTimeout: 200 * time.Millisecond, MessageRate: -1})
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		for range 100000 {
			if ws.WriteMessage(websocket.TextMessage, []byte(`{"type": "ping"}`)) != nil {
				return
			}
		}
	})
	c.mu.Lock()
	stop := c.stopLocked()
	c.mu.Unlock()
	padding := strings.Repeat("x", 400)
	for range 4 {
		wg.Go(func() {
			for n := range 200000 {
				select {
				case <-stop:
					return
				default:
				}
				c.Send(protocol.Error{Message: fmt.Sprint(n, padding)})
			}
		})
	}
	select {
	case <-stop:
	case <-time.After(15 * time.Second):
		t.Fatal("a client that reads nothing is still served")
	}
}

// A PingInterval shorter than the scheduler's slots, or below zero, does not
// bring the server down: its connections are pinged, and answer.
func TestTinyPingInterval(t *testing.T) {
	for _, d := range []time.Duration{15 * time.Nanosecond, -time.Second} {
		ws, _ := hammered(t, Config{PingInterval: d, MessageRate: -1})
		pinged := make(chan struct{}, 1)
		ws.SetPingHandler(func(data string) error {
			select {
			case pinged <- struct{}{}:
			default:
			}
			return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for i := 0; len(pinged) == 0; i++ {
			if i == 1000 {
				t.Fatalf("PingInterval %v: no ping", d)
			}
			ws.WriteMessage(websocket.TextMessage, []byte(`{"type": "ping"}`))
			if _, _, err := ws.ReadMessage(); err != nil { // its pong, and the pings before
				t.Fatalf("PingInterval %v: %v", d, err)
			}
			time.Sleep(time.Millisecond)
		}
	}
}
