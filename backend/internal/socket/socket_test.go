package socket_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/gorilla/websocket"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// start serves the game sockets on a loopback port for the length of the test.
func start(t testing.TB, cfg socket.Config) (*socket.Server, string) {
	t.Helper()
	sockets, _, url := startWith(t, cfg, nil)
	return sockets, url
}

// startWith is start with the hub's stats, and with a listener whose
// connections wrap may change. The tests all connect from one address: they
// have no limit on new connections or games per address unless cfg sets one.
func startWith(t testing.TB, cfg socket.Config, wrap func(net.Conn) net.Conn) (*socket.Server, *session.Hub, string) {
	t.Helper()
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.ConnectionRate == 0 {
		cfg.ConnectionRate = -1
	}
	hub := session.NewHub(session.Config{MaxMatchesPerClient: -1}, discard)
	sockets := socket.New(hub, cfg, discard)
	srv := httptest.NewUnstartedServer(sockets)
	if wrap != nil {
		srv.Listener = wrapListener{srv.Listener, wrap}
	}
	srv.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := sockets.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		srv.Close()
	})
	return sockets, hub, "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

// wrapListener changes the connections it accepts.
type wrapListener struct {
	net.Listener
	wrap func(net.Conn) net.Conn
}

func (l wrapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.wrap(c), nil
}

// dial opens a game socket, closed at the end of the test.
func dial(t testing.TB, url string) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	resp.Body.Close()
	t.Cleanup(func() { ws.Close() })
	return ws
}

func send(t *testing.T, ws *websocket.Conn, kind int, msg string) {
	t.Helper()
	if err := ws.WriteMessage(kind, []byte(msg)); err != nil {
		t.Fatalf("write %q: %v", msg, err)
	}
}

// expect reads the next messages and checks that they are want, byte for byte.
func expect(t *testing.T, ws *websocket.Conn, want ...string) {
	t.Helper()
	for _, w := range want {
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		kind, got, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("reading, want %s: %v", w, err)
		}
		if kind != websocket.TextMessage || string(got) != w {
			t.Fatalf("got %s (type %d)\nwant %s", got, kind, w)
		}
	}
}

// expectClose reads until the server closes the connection and checks the code.
func expectClose(t *testing.T, ws *websocket.Conn, code int, reason string) {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, msg, err := ws.ReadMessage()
		if err == nil {
			continue // events sent before the close
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != code || !strings.Contains(ce.Text, reason) {
			t.Fatalf("read %q, %v; want close %d %q", msg, err, code, reason)
		}
		return
	}
}

func play(column string) string { return `{"type": "play", "column": ` + column + `}` }

// A whole game as the tutorial's part 1 client plays it, checked on the wire.
func TestGameToAWin(t *testing.T) {
	_, url := start(t, socket.Config{})
	ws := dial(t, url)
	moves := []struct{ column, want string }{
		{"3", `{"type":"play","player":"red","column":3,"row":0}`},
		{"2", `{"type":"play","player":"yellow","column":2,"row":0}`},
		{"4", `{"type":"play","player":"red","column":4,"row":0}`},
		{"2", `{"type":"play","player":"yellow","column":2,"row":1}`},
		{"5", `{"type":"play","player":"red","column":5,"row":0}`},
		{"2", `{"type":"play","player":"yellow","column":2,"row":2}`},
		{"6", `{"type":"play","player":"red","column":6,"row":0}`},
	}
	for _, m := range moves {
		send(t, ws, websocket.TextMessage, play(m.column))
		expect(t, ws, m.want)
	}
	expect(t, ws, `{"type":"win","player":"red","cells":[{"column":3,"row":0},{"column":4,"row":0},{"column":5,"row":0},{"column":6,"row":0}]}`)
	send(t, ws, websocket.TextMessage, play("0"))
	expect(t, ws, `{"type":"error","message":"The game is over: start a new one to play again."}`)
}

func TestFullColumn(t *testing.T) {
	_, url := start(t, socket.Config{})
	ws := dial(t, url)
	for range 6 {
		send(t, ws, websocket.TextMessage, play("0"))
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, _, err := ws.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	send(t, ws, websocket.TextMessage, play("0"))
	expect(t, ws, `{"type":"error","message":"This slot is full."}`)
	send(t, ws, websocket.TextMessage, play("1"))
	expect(t, ws, `{"type":"play","player":"red","column":1,"row":0}`)
}

// Every kind of bad input gets its own error and leaves the connection and its
// game usable: the next good move is played by the player whose turn it was.
func TestBadInput(t *testing.T) {
	_, url := start(t, socket.Config{})
	tests := []struct {
		name string
		kind int
		msg  string
		want string
	}{
		{"not JSON", websocket.TextMessage, `hello`, `That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}.`},
		{"a JSON array", websocket.TextMessage, `[1, 2]`, `That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}.`},
		{"no type", websocket.TextMessage, `{"column": 3}`, `That message has no \"type\".`},
		{"unknown type", websocket.TextMessage, `{"type": "jump"}`, `That message type is unknown.`},
		{"missing column", websocket.TextMessage, `{"type": "play"}`, `A play needs a \"column\", from 0 to 6.`},
		{"column as a string", websocket.TextMessage, play(`"3"`), `The \"column\" must be a whole number from 0 to 6.`},
		{"fractional column", websocket.TextMessage, play(`3.5`), `The \"column\" must be a whole number from 0 to 6.`},
		{"negative column", websocket.TextMessage, play(`-1`), `There is no such column: columns go from 0 to 6.`},
		{"column 7", websocket.TextMessage, play(`7`), `There is no such column: columns go from 0 to 6.`},
		{"huge column", websocket.TextMessage, play(`123456789012345678901234567890`), `There is no such column: columns go from 0 to 6.`},
		{"binary frame", websocket.BinaryMessage, play(`3`), `Binary messages are not supported: send JSON text.`},
	}
	ws := dial(t, url)
	send(t, ws, websocket.TextMessage, play("3"))
	expect(t, ws, `{"type":"play","player":"red","column":3,"row":0}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send(t, ws, tt.kind, tt.msg)
			expect(t, ws, `{"type":"error","message":"`+tt.want+`"}`)
		})
	}
	send(t, ws, websocket.TextMessage, play("3"))
	expect(t, ws, `{"type":"play","player":"yellow","column":3,"row":1}`)
}

// An oversized message closes its own connection with 1009 and nobody else's.
func TestOversizedMessage(t *testing.T) {
	_, url := start(t, socket.Config{MaxMessageSize: 100})
	other := dial(t, url)
	send(t, other, websocket.TextMessage, play("0"))
	expect(t, other, `{"type":"play","player":"red","column":0,"row":0}`)

	ws := dial(t, url)
	exact := `{"type":"play","column":1,"pad":"` + strings.Repeat("x", 100-35) + `"}`
	if len(exact) != 100 {
		t.Fatalf("test message is %d bytes", len(exact))
	}
	send(t, ws, websocket.TextMessage, exact)
	expect(t, ws, `{"type":"play","player":"red","column":1,"row":0}`)
	send(t, ws, websocket.TextMessage, exact+" ")
	expectClose(t, ws, websocket.CloseMessageTooBig, "Message too big: the limit is 100 bytes.")

	send(t, other, websocket.TextMessage, play("0"))
	expect(t, other, `{"type":"play","player":"yellow","column":0,"row":1}`)
}

// Many games at once, each played to the end on its own connection.
func TestConcurrentGames(t *testing.T) {
	_, url := start(t, socket.Config{})
	const games = 20
	var wg sync.WaitGroup
	for i := range games {
		wg.Go(func() {
			ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
			if err != nil {
				t.Errorf("game %d: %v", i, err)
				return
			}
			defer ws.Close()
			resp.Body.Close()
			// Red wins in column i%7; yellow plays next to it.
			a, b := i%7, (i+1)%7
			for _, c := range []int{a, b, a, b, a, b, a} {
				if err := ws.WriteJSON(map[string]any{"type": "play", "column": c}); err != nil {
					t.Errorf("game %d: %v", i, err)
					return
				}
			}
			var last map[string]any
			for range 8 { // 7 plays and a win
				if err := ws.ReadJSON(&last); err != nil {
					t.Errorf("game %d: %v", i, err)
					return
				}
			}
			if last["type"] != "win" || last["player"] != "red" {
				t.Errorf("game %d: last event %v", i, last)
			}
		})
	}
	wg.Wait()
}

func TestShutdownClosesWithGoingAway(t *testing.T) {
	sockets, url := start(t, socket.Config{})
	ws := dial(t, url)
	send(t, ws, websocket.TextMessage, play("3"))
	expect(t, ws, `{"type":"play","player":"red","column":3,"row":0}`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sockets.Shutdown(ctx) }()
	expectClose(t, ws, websocket.CloseGoingAway, "shutting down")
	ws.Close()
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if _, resp, err := websocket.DefaultDialer.Dial(url, nil); err == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial after shutdown: %v, want 503", err)
	}
}

// readJSON reads the next event as a map.
func readJSON(t *testing.T, ws *websocket.Conn) map[string]any {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var e map[string]any
	if err := ws.ReadJSON(&e); err != nil {
		t.Fatalf("reading: %v", err)
	}
	return e
}

// The tutorial's part 2 over real sockets: start, join, watch, play to the end.
func TestTutorialPart2(t *testing.T) {
	_, url := start(t, socket.Config{})
	red := dial(t, url)
	send(t, red, websocket.TextMessage, `{"type": "init"}`)
	init := readJSON(t, red)
	join, _ := init["join"].(string)
	watch, _ := init["watch"].(string)
	if init["type"] != "init" || len(join) != 16 || len(watch) != 16 || len(init) != 3 {
		t.Fatalf("init = %v, want the tutorial's init with two 16-character keys", init)
	}
	send(t, red, websocket.TextMessage, play("3"))
	expect(t, red, `{"type":"play","player":"red","column":3,"row":0}`)

	yellow := dial(t, url)
	send(t, yellow, websocket.TextMessage, `{"type": "init", "join": "`+join+`"}`)
	expect(t, yellow, `{"type":"play","player":"red","column":3,"row":0}`) // the replay
	watcher := dial(t, url)
	send(t, watcher, websocket.TextMessage, `{"type": "init", "watch": "`+watch+`"}`)
	expect(t, watcher, `{"type":"play","player":"red","column":3,"row":0}`)

	for i, c := range []string{"4", "3", "4", "3", "4", "3"} {
		who := []*websocket.Conn{yellow, red}[i%2]
		send(t, who, websocket.TextMessage, play(c))
		for _, ws := range []*websocket.Conn{red, yellow, watcher} {
			if e := readJSON(t, ws); e["type"] != "play" {
				t.Fatalf("got %v", e)
			}
		}
	}
	for _, ws := range []*websocket.Conn{red, yellow, watcher} {
		expect(t, ws, `{"type":"win","player":"red","cells":[{"column":3,"row":0},{"column":3,"row":1},{"column":3,"row":2},{"column":3,"row":3}]}`)
	}
	third := dial(t, url)
	send(t, third, websocket.TextMessage, `{"type": "init", "join": "not-a-key"}`)
	expect(t, third, `{"type":"error","message":"This invitation has expired: ask your friend for a new link."}`)
}

// Spectators who connect while the players move see every move exactly once,
// in order, over real sockets; many matches run at once.
func TestReplayRaceOverSockets(t *testing.T) {
	_, url := start(t, socket.Config{MaxConnectionsPerClient: -1})
	const matches, spectators = 8, 5
	columns := []string{"0", "1", "2", "3", "4", "5", "6", "0", "1", "2", "3", "4", "5", "6"}
	var wg sync.WaitGroup
	for range matches {
		wg.Go(func() {
			red := dialNoCleanup(t, url)
			defer red.Close()
			red.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","version":2}`))
			init := readJSON(t, red)
			yellow := dialNoCleanup(t, url)
			defer yellow.Close()
			yellow.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","version":2,"join":"`+init["join"].(string)+`"}`))
			readJSON(t, yellow) // init
			readJSON(t, yellow) // red is here
			readJSON(t, red)    // yellow is here

			var watchers sync.WaitGroup
			for range spectators {
				watchers.Go(func() {
					ws := dialNoCleanup(t, url)
					defer ws.Close()
					ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","watch":"`+init["watch"].(string)+`"}`))
					for i, c := range columns {
						e := readJSON(t, ws)
						if e["type"] != "play" || fmt.Sprint(e["column"]) != c {
							t.Errorf("move %d: spectator got %v, want column %s", i, e, c)
							return
						}
					}
				})
			}
			for i, c := range columns {
				ws := []*websocket.Conn{red, yellow}[i%2]
				ws.WriteMessage(websocket.TextMessage, []byte(play(c)))
				// Wait for the move to come back before the other player moves.
				if e := readJSON(t, ws); e["type"] != "play" {
					t.Errorf("move %d: got %v", i, e)
				}
				readJSON(t, []*websocket.Conn{yellow, red}[i%2])
			}
			watchers.Wait()
		})
	}
	wg.Wait()
}

// dialNoCleanup dials from a goroutine of the test: the caller closes.
func dialNoCleanup(t *testing.T, url string) *websocket.Conn {
	ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Errorf("dial: %v", err)
		runtime.Goexit()
	}
	resp.Body.Close()
	return ws
}

// A seat taken back in another window closes the first with code 1000 and the
// reason.
func TestResumeClosesTheOldWindow(t *testing.T) {
	_, url := start(t, socket.Config{})
	first := dial(t, url)
	send(t, first, websocket.TextMessage, `{"type":"init","mode":"hotseat","version":2}`)
	token := readJSON(t, first)["token"].(string)
	second := dial(t, url)
	send(t, second, websocket.TextMessage, `{"type":"resume","token":"`+token+`"}`)
	if e := readJSON(t, second); e["type"] != "init" || e["token"] != token {
		t.Fatalf("resumed with %v", e)
	}
	expectClose(t, first, websocket.CloseNormalClosure, "You took your seat back in another window.")
}

func TestCheckOrigins(t *testing.T) {
	check := socket.CheckOrigins([]string{"https://play.example.com", "HTTP://LOCALHOST:3000/"})
	tests := []struct {
		origin, host string
		want         bool
	}{
		{"", "game.example.com", true}, // not a browser
		{"https://game.example.com", "game.example.com", true},
		{"http://GAME.example.com", "game.example.com", true},
		{"https://play.example.com", "game.example.com", true},
		{"https://Play.Example.com", "game.example.com", true},
		{"http://localhost:3000", "game.example.com", true},
		{"https://evil.example", "game.example.com", false},
		{"https://play.example.com.evil.example", "game.example.com", false},
		{"https://game.example.com:8443", "game.example.com", false},
		{"null", "game.example.com", false},
		{"::not a url", "game.example.com", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		if got := check(r); got != tt.want {
			t.Errorf("origin %q on host %q: %v, want %v", tt.origin, tt.host, got, tt.want)
		}
	}
	all := socket.CheckOrigins([]string{"*"})
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Origin", "https://evil.example")
	if !all(r) {
		t.Error(`"*" refused an origin`)
	}
}

// A page from a foreign origin cannot open a game socket: the handshake gets
// 403 and no game starts.
func TestForeignOriginRefused(t *testing.T) {
	_, url := start(t, socket.Config{CheckOrigin: socket.CheckOrigins([]string{"https://friend.example"})})
	for origin, want := range map[string]int{
		"https://evil.example":   http.StatusForbidden,
		"https://friend.example": http.StatusSwitchingProtocols,
	} {
		ws, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {origin}})
		if resp == nil || resp.StatusCode != want {
			t.Errorf("origin %s: %v, %v; want status %d", origin, resp, err, want)
		}
		if ws != nil {
			ws.Close()
		}
	}
}

// A spectator, tutorial or version 2, who arrives late in a long game gets the
// whole game, however short the send queue: a replay is not a slow reader's
// backlog.
func TestLateSpectatorsOfALongGame(t *testing.T) {
	_, url := start(t, socket.Config{SendQueue: 4})
	red := dial(t, url)
	send(t, red, websocket.TextMessage, `{"type": "init"}`)
	init := readJSON(t, red)
	join, watch := init["join"].(string), init["watch"].(string)
	yellow := dial(t, url)
	send(t, yellow, websocket.TextMessage, `{"type": "init", "join": "`+join+`"}`)
	// 30 moves of a game that ends in a draw: no four in a row yet.
	moves := []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5}
	var plays []string
	for i, c := range moves {
		who := []*websocket.Conn{red, yellow}[i%2]
		send(t, who, websocket.TextMessage, play(fmt.Sprint(c)))
		for _, ws := range []*websocket.Conn{red, yellow} {
			e := readJSON(t, ws)
			if e["type"] != "play" {
				t.Fatalf("move %d: got %v", i, e)
			}
			if ws == red {
				plays = append(plays, fmt.Sprintf(`{"type":"play","player":%q,"column":%d,"row":%v}`, e["player"], c, e["row"]))
			}
		}
	}

	tutorial := dial(t, url)
	send(t, tutorial, websocket.TextMessage, `{"type": "init", "watch": "`+watch+`"}`)
	expect(t, tutorial, plays...)
	v2 := dial(t, url)
	send(t, v2, websocket.TextMessage, `{"type": "init", "watch": "`+watch+`", "version": 2}`)
	expect(t, v2,
		`{"type":"init","watch":"`+watch+`","mode":"friends"}`,
		`{"type":"snapshot","moves":[0,1,0,1,0,1,1,0,1,0,1,0,2,3,2,3,2,3,3,2,3,2,3,2,4,5,4,5,4,5]}`,
		`{"type":"presence","player":"red","online":true}`,
		`{"type":"presence","player":"yellow","online":true}`,
	)
	// Both are still connected, and follow the next move.
	send(t, red, websocket.TextMessage, play("4"))
	for _, ws := range []*websocket.Conn{tutorial, v2} {
		expect(t, ws, `{"type":"play","player":"red","column":4,"row":3}`)
	}
}
