package socket_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/gorilla/websocket"
)

// witness plays the next move of a hot-seat game of its own and checks that it
// comes back: whatever another client did, the server and other games carry
// on. It fills the bottom row, which wins for nobody, and starts over.
func witness(t *testing.T, ws *websocket.Conn, moves *int) {
	t.Helper()
	send(t, ws, websocket.TextMessage, play(strconv.Itoa(*moves%7)))
	if e := readJSON(t, ws); e["type"] != "play" {
		t.Fatalf("the witness's game stopped: %v", e)
	}
	if *moves++; *moves%7 == 0 {
		send(t, ws, websocket.TextMessage, `{"type":"rematch"}`)
		readJSON(t, ws)
	}
}

// Every hostile input gets its answer, and leaves the server and an unrelated
// game working.
func TestHostileInput(t *testing.T) {
	_, url := start(t, socket.Config{MaxMessageSize: 512})
	other := dial(t, url)
	send(t, other, websocket.TextMessage, `{"type":"init","mode":"hotseat","version":2}`)
	readJSON(t, other)
	moves := 0

	errorEvent := func(message string) string { return `{"type":"error","message":"` + message + `"}` }
	notValid := errorEvent(`That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}.`)
	redPlays := `{"type":"play","player":"red","column":3,"row":0}`
	tests := []struct {
		name  string
		send  func(ws *websocket.Conn) error
		want  string // the answer, if not closed
		close int    // the closing code, if closed
	}{
		{"invalid UTF-8", text("{\"type\":\"play\",\"column\":3,\"x\":\"\xff\"}"), errorEvent("Messages must be valid UTF-8 text."), 0},
		{"nested, in an unknown field", text(`{"type":"play","column":3,"x":` + strings.Repeat("[", 50) + strings.Repeat("]", 50) + `}`), redPlays, 0},
		{"nested too deep", text(`{"type":"play","column":3,"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`), notValid, 0},
		{"deeply nested, alone", text(strings.Repeat("[", 250) + strings.Repeat("]", 250)), notValid, 0},
		{"huge JSON", text(`{"type":"play","column":3,"x":"` + strings.Repeat("a", 100000) + `"}`), "", websocket.CloseMessageTooBig},
		{"number as a string", text(play(`"3"`)), errorEvent(`The \"column\" must be a whole number from 0 to 6.`), 0},
		{"float", text(play(`3.0`)), errorEvent(`The \"column\" must be a whole number from 0 to 6.`), 0},
		{"negative column", text(play(`-3`)), errorEvent("There is no such column: columns go from 0 to 6."), 0},
		{"huge column", text(play(`1e400`)), errorEvent(`The \"column\" must be a whole number from 0 to 6.`), 0},
		{"duplicate keys", text(`{"type":"play","column":3,"column":4}`), errorEvent("Each key may appear only once in a message."), 0},
		{"unknown fields", text(`{"type":"play","column":3,"cheat":true,"player":"yellow"}`), redPlays, 0},
		{"null type", text(`{"type":null,"column":3}`), errorEvent(`That message has no \"type\".`), 0},
		{"null column", text(`{"type":"play","column":null}`), errorEvent(`A play needs a \"column\", from 0 to 6.`), 0},
		{"empty message", text(``), notValid, 0},
		{"binary frame", func(ws *websocket.Conn) error { return ws.WriteMessage(websocket.BinaryMessage, []byte(play("3"))) }, errorEvent("Binary messages are not supported: send JSON text."), 0},
		{"fragmented frames", fragmented(play("3"), 4), redPlays, 0},
		{"an unknown watch key", text(`{"type":"init","watch":"no such key"}`), errorEvent("This game has ended, or its link is wrong."), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := dial(t, url)
			if err := tt.send(ws); err != nil {
				t.Fatal(err)
			}
			if tt.close != 0 {
				expectCloseCode(t, ws, tt.close)
			} else {
				expect(t, ws, tt.want)
			}
			if tt.close == 0 {
				send(t, ws, websocket.TextMessage, play("5"))
				if e := readJSON(t, ws); e["type"] != "play" && e["type"] != "error" {
					t.Errorf("the connection is not usable after: %v", e)
				}
			}
			witness(t, other, &moves)
		})
	}
}

func text(msg string) func(*websocket.Conn) error {
	return func(ws *websocket.Conn) error { return ws.WriteMessage(websocket.TextMessage, []byte(msg)) }
}

// fragmented sends msg as one text message in frames of size bytes.
func fragmented(msg string, size int) func(*websocket.Conn) error {
	return func(ws *websocket.Conn) error {
		w, err := ws.NextWriter(websocket.TextMessage)
		if err != nil {
			return err
		}
		for i := 0; i < len(msg); i += size {
			if _, err := w.Write([]byte(msg[i:min(i+size, len(msg))])); err != nil {
				return err
			}
		}
		return w.Close()
	}
}

// expectCloseCode reads until the server closes the connection with code.
func expectCloseCode(t *testing.T, ws *websocket.Conn, code int) {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != code {
			t.Fatalf("got %v, want close %d", err, code)
		}
		return
	}
}

// A flood is paced: the messages within the burst are answered at once, the
// next ones at the rate, and once the client is more than the backlog ahead
// the connection is closed with 1008.
func TestFlood(t *testing.T) {
	_, url := start(t, socket.Config{MessageRate: 10, MessageBurst: 5, MaxBacklog: 500 * time.Millisecond})
	ws := dial(t, url)
	go func() {
		for range 100 {
			if ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)) != nil {
				return
			}
		}
	}()
	// 5 in the burst and 5 more at 10/s fit in the backlog of 0.5 s; the
	// next would wait longer.
	start := time.Now()
	for i := range 10 {
		expect(t, ws, `{"type":"pong"}`)
		if i == 4 && time.Since(start) > 300*time.Millisecond {
			t.Errorf("the burst took %v", time.Since(start))
		}
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("10 messages at 10/s after a burst of 5 took %v, want about 0.5 s", d)
	}
	expectClose(t, ws, websocket.ClosePolicyViolation, "Too many messages.")
}

// An honest script that sends a whole hot-seat game back to back, 42 moves
// with no wait, faster than the rate, gets every move answered, in order.
func TestBackToBackGame(t *testing.T) {
	_, url := start(t, socket.Config{})
	ws := dial(t, url)
	moves := []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4, 6, 6, 6, 6, 6, 6}
	for _, c := range moves {
		send(t, ws, websocket.TextMessage, play(fmt.Sprint(c)))
	}
	heights := make([]int, 7)
	for i, c := range moves {
		player := []string{"red", "yellow"}[i%2]
		expect(t, ws, fmt.Sprintf(`{"type":"play","player":%q,"column":%d,"row":%d}`, player, c, heights[c]))
		heights[c]++
	}
	expect(t, ws, `{"type":"draw"}`)
}

// A client that says nothing after the handshake is let go.
func TestSilentClient(t *testing.T) {
	_, url := start(t, socket.Config{FirstMessageTimeout: 100 * time.Millisecond})
	ws := dial(t, url)
	expectClose(t, ws, websocket.ClosePolicyViolation, "No message within 100ms of connecting.")
}

func TestConnectionLimits(t *testing.T) {
	_, url := start(t, socket.Config{MaxConnectionsPerClient: 2, MaxConnections: 3})
	dial(t, url)
	dial(t, url)
	_, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third connection from one address: %v, want 429 with Retry-After", err)
	}
	// Another address, as a proxy reports it, still gets in, up to the total.
	_, url = start(t, socket.Config{MaxConnectionsPerClient: 1, MaxConnections: 2, ClientAddr: socket.ClientAddrFrom("X-Real-IP")})
	for i, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		ws, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"X-Real-IP": {ip}})
		want := http.StatusSwitchingProtocols
		if i == 2 {
			want = http.StatusServiceUnavailable
		}
		if resp == nil || resp.StatusCode != want {
			t.Fatalf("client %s: %v, want %d", ip, err, want)
		}
		if ws != nil {
			t.Cleanup(func() { ws.Close() })
		}
	}
}

// New connections from one address are paced by a token bucket, which keys
// IPv6 addresses by their /64.
func TestConnectionRate(t *testing.T) {
	_, url := start(t, socket.Config{ConnectionRate: 0.01, ConnectionBurst: 2, ClientAddr: socket.ClientAddrFrom("X-Real-IP")})
	tests := []struct {
		ip         string
		want       int
		retryAfter string
	}{
		{"192.0.2.1", http.StatusSwitchingProtocols, ""},
		{"192.0.2.1", http.StatusSwitchingProtocols, ""},
		{"192.0.2.1", http.StatusTooManyRequests, "100"},
		{"192.0.2.2", http.StatusSwitchingProtocols, ""},
		{"2001:db8:1:2::1", http.StatusSwitchingProtocols, ""},
		{"2001:db8:1:2:ffff::9", http.StatusSwitchingProtocols, ""},
		{"2001:db8:1:2:abcd::1", http.StatusTooManyRequests, "100"}, // the same /64
		{"2001:db8:1:3::1", http.StatusSwitchingProtocols, ""},
	}
	for _, tt := range tests {
		ws, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"X-Real-IP": {tt.ip}})
		if ws != nil {
			t.Cleanup(func() { ws.Close() })
		}
		if resp == nil || resp.StatusCode != tt.want {
			t.Fatalf("client %s: %v, want %d", tt.ip, err, tt.want)
		}
		if got := resp.Header.Get("Retry-After"); got != tt.retryAfter {
			t.Errorf("client %s: Retry-After %q, want %q", tt.ip, got, tt.retryAfter)
		}
	}
}

func TestClientAddrFrom(t *testing.T) {
	addr := socket.ClientAddrFrom("X-Forwarded-For")
	r, _ := http.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5555"
	if got := addr(r); got != "127.0.0.1" {
		t.Errorf("no header: %q", got)
	}
	r.Header.Add("X-Forwarded-For", "203.0.113.9, 198.51.100.7")
	if got := addr(r); got != "198.51.100.7" {
		t.Errorf("the last address: %q", got)
	}
}

// smallBuffers makes the kernel's buffers small, so that a peer that does not
// read blocks the writer after a few kilobytes, not megabytes.
func smallBuffers(c net.Conn) net.Conn {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
		tc.SetReadBuffer(4096)
	}
	return c
}

// A spectator that never reads is dropped, and the game it watches goes on at
// full speed for the player.
func TestStuckReader(t *testing.T) {
	_, hub, url := startWith(t, socket.Config{
		MessageRate:  -1,
		SendQueue:    8,
		WriteTimeout: 200 * time.Millisecond,
	}, smallBuffers)
	player := dial(t, url)
	send(t, player, websocket.TextMessage, `{"type":"init","mode":"hotseat","version":2}`)
	watch := readJSON(t, player)["watch"].(string)

	dialer := websocket.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if err != nil {
			return nil, err
		}
		return smallBuffers(c), nil
	}}
	stuck, resp, err := dialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	defer stuck.Close()
	if err := stuck.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","watch":"`+watch+`","version":2}`)); err != nil {
		t.Fatal(err)
	}
	// The spectator now reads nothing. The player plays and starts over, over
	// and over: every event is also queued for the spectator.
	start := time.Now()
	for i := range 2000 {
		send(t, player, websocket.TextMessage, play(string(rune('0'+i%7))))
		readJSON(t, player)
		if i%7 == 6 {
			send(t, player, websocket.TextMessage, `{"type":"rematch"}`)
			readJSON(t, player)
		}
	}
	t.Logf("2000 moves in %v with a stuck spectator", time.Since(start))
	deadline := time.Now().Add(5 * time.Second)
	for hub.Stats().Clients != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the stuck spectator is still connected: %+v", hub.Stats())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// panicky is a session Observer whose count of refusals panics, as a bug in
// the code around a connection would.
type panicky struct{}

func (panicky) GameStarted(protocol.Mode)       {}
func (panicky) GameEnded(protocol.Mode, string) {}
func (panicky) MoveAccepted(protocol.Mode)      {}
func (panicky) Refused(string)                  { panic("a bug, refusing") }

// A panic in a connection's goroutine ends that connection only, with 1011,
// and every other connection goes on.
func TestPanicEndsOneConnection(t *testing.T) {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := session.NewHub(session.Config{Observer: panicky{}}, discard)
	sockets := socket.New(hub, socket.Config{}, discard)
	srv := httptest.NewServer(sockets)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		sockets.Shutdown(ctx)
		srv.Close()
	})
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
	bad, good := dial(t, url), dial(t, url)
	send(t, bad, websocket.TextMessage, `{"type": "nonsense"}`)
	expectClose(t, bad, websocket.CloseInternalServerErr, "Something went wrong on the server")
	send(t, good, websocket.TextMessage, play("3"))
	expect(t, good, `{"type":"play","player":"red","column":3,"row":0}`)
}
