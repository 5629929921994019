package socket_test

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/gorilla/websocket"
)

// An idle connection holds one goroutine of the server, its reader: the
// writer that wrote its answers and the opponent's moves has ended.
func TestIdleConnectionHoldsOneGoroutine(t *testing.T) {
	_, url := start(t, socket.Config{MaxConnectionsPerClient: -1})
	const n = 40
	before := runtime.NumGoroutine()
	for i := range n {
		// A game for two, so that each player also gets an event queued
		// by the other's reader: the writer started for it must end.
		red := dial(t, url)
		send(t, red, websocket.TextMessage, `{"type":"init"}`)
		join := readJSON(t, red)["join"].(string)
		yellow := dial(t, url)
		send(t, yellow, websocket.TextMessage, `{"type":"init","join":"`+join+`"}`)
		send(t, red, websocket.TextMessage, play(strconv.Itoa(i%7)))
		for _, ws := range []*websocket.Conn{red, yellow} {
			if e := readJSON(t, ws); e["type"] != "play" {
				t.Fatalf("got %v, want the move", e)
			}
		}
	}
	// The writers end once they have written, a moment after the reads.
	want := before + 2*n + 1 // a reader a connection, and the ping scheduler
	deadline := time.Now().Add(5 * time.Second)
	got := runtime.NumGoroutine()
	for got > want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		got = runtime.NumGoroutine()
	}
	if got > want {
		t.Errorf("%d goroutines for %d idle connections (%d before), want at most %d", got, 2*n, before, want)
	}
}

// reader reads ws on a goroutine of its own, so that its ping handler
// runs, and hands over each message, then the error that ended it.
func reader(ws *websocket.Conn) (msgs <-chan string, ended <-chan error) {
	m, e := make(chan string, 16), make(chan error, 1)
	go func() {
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				e <- err
				return
			}
			m <- string(data)
		}
	}()
	return m, e
}

// A client that answers the pings, and says nothing else, stays connected
// long past the pong timeout; its game goes on.
func TestPingsKeepAQuietClient(t *testing.T) {
	_, url := start(t, socket.Config{PingInterval: 40 * time.Millisecond, PongTimeout: 150 * time.Millisecond})
	ws := dial(t, url)
	pings := make(chan struct{}, 100)
	ws.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	msgs, ended := reader(ws)
	send(t, ws, websocket.TextMessage, play("3"))
	<-msgs
	for range 10 { // 400 ms of pings at least: more than twice the timeout
		select {
		case <-pings:
		case err := <-ended:
			t.Fatalf("the connection ended: %v", err)
		case <-time.After(5 * time.Second):
			t.Fatal("no ping in 5 s")
		}
	}
	send(t, ws, websocket.TextMessage, play("3"))
	select {
	case m := <-msgs:
		if m != `{"type":"play","player":"yellow","column":3,"row":1}` {
			t.Errorf("got %s, want yellow's move", m)
		}
	case err := <-ended:
		t.Fatalf("the connection ended: %v", err)
	}
}

// A client that stops answering pings is dropped once the pong timeout has
// passed.
func TestUnansweredPingsDropTheClient(t *testing.T) {
	_, url := start(t, socket.Config{PingInterval: 40 * time.Millisecond, PongTimeout: 150 * time.Millisecond})
	ws := dial(t, url)
	pinged := make(chan struct{}, 100)
	ws.SetPingHandler(func(string) error { pinged <- struct{}{}; return nil }) // no pong
	msgs, ended := reader(ws)
	send(t, ws, websocket.TextMessage, play("3"))
	<-msgs
	select {
	case err := <-ended:
		var ce *websocket.CloseError
		if errors.As(err, &ce) && ce.Code != websocket.CloseAbnormalClosure {
			t.Errorf("ended with %v, want the connection cut", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still connected 5 s after the pongs stopped")
	}
	if len(pinged) == 0 {
		t.Error("dropped without a ping")
	}
}

// readersInAwait counts the goroutines that wait for a client in the socket's
// shallow wait rather than in gorilla's read.
func readersInAwait() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "socket.(*conn).await(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// An idle connection's reader waits in the shallow wait, which keeps the
// goroutine's stack at its smallest, both before the first message and after
// a message.
func TestIdleReaderWaitsShallow(t *testing.T) {
	_, url := start(t, socket.Config{MaxConnectionsPerClient: -1})
	before := readersInAwait()
	const n = 10
	var conns []*websocket.Conn
	for range n {
		conns = append(conns, dial(t, url)) // silent: waiting for a first message
	}
	waitFor(t, func() bool { return readersInAwait() == before+n }, "%d readers in await before a message", n)
	for _, ws := range conns {
		send(t, ws, websocket.TextMessage, `{"type":"init"}`)
		if e := readJSON(t, ws); e["type"] != "init" {
			t.Fatalf("got %v, want the invitation", e)
		}
	}
	waitFor(t, func() bool { return readersInAwait() == before+n }, "%d readers in await after a message", n)
}

// An idle reader whose client answers the server's pings waits on in the
// shallow wait: the pong is taken there, where gorilla's read would take it
// and wait on, on its larger stack, until the client's next message. The
// client's messages after the pongs are answered as before.
func TestIdleReaderWaitsShallowAcrossPings(t *testing.T) {
	_, url := start(t, socket.Config{PingInterval: 20 * time.Millisecond, PongTimeout: 5 * time.Second, MaxConnectionsPerClient: -1})
	before := readersInAwait()
	const n = 5
	var pongs atomic.Int64
	var conns []*websocket.Conn
	var answers []<-chan string
	for range n {
		ws := dial(t, url)
		ws.SetPingHandler(func(data string) error {
			pongs.Add(1)
			return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		msgs, _ := reader(ws)
		send(t, ws, websocket.TextMessage, play("3"))
		<-msgs
		conns, answers = append(conns, ws), append(answers, msgs)
	}
	waitFor(t, func() bool { return pongs.Load() >= 4*n }, "%d pongs", 4*n)
	waitFor(t, func() bool { return readersInAwait() == before+n }, "%d readers in await after the pongs", n)
	for i, ws := range conns {
		send(t, ws, websocket.TextMessage, play("4"))
		select {
		case m := <-answers[i]:
			if m != `{"type":"play","player":"yellow","column":4,"row":0}` {
				t.Errorf("got %s, want yellow's move", m)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no answer in 5 s to a message after the pongs")
		}
	}
}

// waitFor waits up to 5 s for ok, and fails the test with the message what
// if it is still false.
func waitFor(t *testing.T, ok func() bool, what string, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still not: "+what, args...)
		}
	}
}

// Two messages that come in one segment, the second read into the read
// buffer with the first, are both answered: the reader does not wait on the
// socket for bytes it holds already.
func TestTwoMessagesInOneSegment(t *testing.T) {
	_, url := start(t, socket.Config{})
	ws := dial(t, url)
	var segment []byte
	for _, msg := range []string{play("3"), play("4")} {
		// A masked text frame, with a zero mask: the payload as it is.
		segment = append(segment, 0x81, 0x80|byte(len(msg)), 0, 0, 0, 0)
		segment = append(segment, msg...)
	}
	if _, err := ws.NetConn().Write(segment); err != nil {
		t.Fatal(err)
	}
	expect(t, ws, `{"type":"play","player":"red","column":3,"row":0}`, `{"type":"play","player":"yellow","column":4,"row":0}`)
}
