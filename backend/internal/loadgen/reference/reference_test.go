package reference_test

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen"
	"github.com/connect4go/connect4/backend/internal/loadgen/reference"
	"github.com/gorilla/websocket"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// start serves a reference server on a loopback port for the length of the
// test, and returns its URL.
func start(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- reference.Serve(ln, reference.New()) }()
	t.Cleanup(func() {
		ln.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "ws://" + ln.Addr().String() + "/"
}

// The load tool's modes that measure the reference run against it
// unchanged, and find every event by the rules: the reference is a correct
// referee of the tutorial's games.
func TestLoad(t *testing.T) {
	tests := []struct {
		name     string
		scenario loadgen.Scenario
	}{
		{"closed", loadgen.Closed{Games: 4, Warmup: 20 * time.Millisecond, Duration: 300 * time.Millisecond}},
		{"closed for two", loadgen.Closed{Games: 3, Duel: true, Duration: 300 * time.Millisecond}},
		{"open", loadgen.Open{Players: 20, Rate: 20, Duration: 300 * time.Millisecond}},
		{"idle", loadgen.Idle{Steps: []int{10, 20}, Settle: 10 * time.Millisecond}},
		{"idle with play", loadgen.Idle{Steps: []int{10}, Message: "play", Settle: 10 * time.Millisecond}},
		{"setup", loadgen.Setup{Connections: 30, Concurrency: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := loadgen.Config{URL: start(t), PID: os.Getpid(), Timeout: 5 * time.Second}
			r, err := tt.scenario.Run(context.Background(), cfg)
			if err != nil || !r.OK() {
				t.Fatalf("%v: %+v", err, r)
			}
			if r.Connections == 0 {
				t.Errorf("no connection: %+v", r)
			}
		})
	}
	// A closed loop long enough to end games both ways: won and drawn.
	t.Run("wins and draws", func(t *testing.T) {
		t.Parallel()
		cfg := loadgen.Config{URL: start(t), Timeout: 5 * time.Second}
		r, err := loadgen.Closed{Games: 30, Duration: 2 * time.Second}.Run(context.Background(), cfg)
		if err != nil || r.Wins == 0 || r.Draws == 0 {
			t.Errorf("%v: %d won, %d drawn", err, r.Wins, r.Draws)
		}
	})
}

// Exchanges, message by message, on one connection or two.
func TestExchanges(t *testing.T) {
	tests := []struct {
		name string
		// steps are "N> message" for connection N sending, "N< event" for
		// connection N reading; connection 1 opens when first used.
		steps []string
	}{
		{"hot seat to a win", []string{
			`0> {"type": "play", "column": 3}`, `0< {"type":"play","player":"red","column":3,"row":0}`,
			`0> {"type": "play", "column": 4}`, `0< {"type":"play","player":"yellow","column":4,"row":0}`,
			`0> {"type":"play","column":3}`, `0< {"type":"play","player":"red","column":3,"row":1}`,
			`0> {"type":"play","column":4}`, `0< {"type":"play","player":"yellow","column":4,"row":1}`,
			`0> {"type":"play","column":3}`, `0< {"type":"play","player":"red","column":3,"row":2}`,
			`0> {"type":"play","column":4}`, `0< {"type":"play","player":"yellow","column":4,"row":2}`,
			`0> {"type":"play","column":3}`, `0< {"type":"play","player":"red","column":3,"row":3}`,
			`0< {"type":"win","player":"red","cells":[{"column":3,"row":0},{"column":3,"row":1},{"column":3,"row":2},{"column":3,"row":3}]}`,
			`0> {"type":"play","column":0}`, `0< {"type":"error","message":"The game is over: start a new one to play again."}`,
		}},
		{"refusals", []string{
			`0> not json`, `0< {"type":"error","message":"That message is not valid: send a JSON object such as {\"type\": \"play\", \"column\": 3}."}`,
			`0> {"type":"play"}`, `0< {"type":"error","message":"A play needs a \"column\", from 0 to 6."}`,
			`0> {"type":"resign"}`, `0< {"type":"error","message":"That message type is unknown."}`,
			`0> {"type":"init","join":"nope"}`, `0< {"type":"error","message":"This game has ended, or its link is wrong."}`,
			`0> {"type":"init","watch":"w1"}`, `0< {"type":"error","message":"This game has ended, or its link is wrong."}`,
			`0> {"type":"play","column":7}`, `0< {"type":"error","message":"There is no such column: columns go from 0 to 6."}`,
		}},
		{"a game for two", []string{
			`0> {"type":"init"}`, `0< {"type":"init","join":"1","watch":"w1"}`,
			`0> {"type":"init"}`, `0< {"type":"error","message":"You are already in a game: open a new connection for another."}`,
			`1> {"type":"init","join":"1"}`,
			`1> {"type":"play","column":2}`, `1< {"type":"error","message":"It isn't your turn."}`,
			`0> {"type":"play","column":2}`, `0< {"type":"play","player":"red","column":2,"row":0}`, `1< {"type":"play","player":"red","column":2,"row":0}`,
			`1> {"type":"play","column":2}`, `1< {"type":"play","player":"yellow","column":2,"row":1}`, `0< {"type":"play","player":"yellow","column":2,"row":1}`,
			`0> {"type":"play","column":2}`, `0< {"type":"play","player":"red","column":2,"row":2}`, `1< {"type":"play","player":"red","column":2,"row":2}`,
			`0> {"type":"play","column":2}`, `0< {"type":"error","message":"It isn't your turn."}`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := start(t)
			conns := map[byte]*websocket.Conn{}
			defer func() {
				for _, ws := range conns {
					ws.Close()
				}
			}()
			for _, step := range tt.steps {
				n, dir, msg := step[0], step[1], step[3:]
				ws := conns[n]
				if ws == nil {
					var err error
					if ws, _, err = websocket.DefaultDialer.Dial(url, nil); err != nil {
						t.Fatal(err)
					}
					conns[n] = ws
				}
				if dir == '>' {
					if err := ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
						t.Fatal(err)
					}
					continue
				}
				ws.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, got, err := ws.ReadMessage()
				if err != nil || strings.TrimSpace(string(got)) != msg {
					t.Fatalf("%s: got %s, %v", step, got, err)
				}
			}
		})
	}
}

// TestJoinServesOnce checks that of two joins with one key, sent at once on
// two connections, exactly one takes the seat: the other is refused. Which
// one is up to the server's goroutines; the one seated is told nothing, as
// in the tutorial's part 2.
func TestJoinServesOnce(t *testing.T) {
	url := start(t)
	dial := func() *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		return ws
	}
	red := dial()
	if err := red.WriteMessage(websocket.TextMessage, []byte(`{"type":"init"}`)); err != nil {
		t.Fatal(err)
	}
	red.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, got, err := red.ReadMessage(); err != nil || strings.TrimSpace(string(got)) != `{"type":"init","join":"1","watch":"w1"}` {
		t.Fatalf("red's init: %s, %v", got, err)
	}
	joiners := []*websocket.Conn{dial(), dial()}
	for _, ws := range joiners {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","join":"1"}`)); err != nil {
			t.Fatal(err)
		}
	}
	const refused = `{"type":"error","message":"This game has ended, or its link is wrong."}`
	refusals := 0
	for _, ws := range joiners {
		ws.SetReadDeadline(time.Now().Add(time.Second))
		if _, got, err := ws.ReadMessage(); err == nil {
			if strings.TrimSpace(string(got)) != refused {
				t.Errorf("a joiner got %s, want %s or nothing", got, refused)
			}
			refusals++
		}
	}
	if refusals != 1 {
		t.Errorf("%d of two joins with one key refused, want 1", refusals)
	}
}
