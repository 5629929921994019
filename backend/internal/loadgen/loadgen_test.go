package loadgen_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen"
	"github.com/connect4go/connect4/backend/internal/redisstore"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/gorilla/websocket"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startServer serves this project's game sockets on a loopback port, with
// the limits a load run lifts, for the length of the test.
func startServer(t *testing.T) string {
	t.Helper()
	return startInstances(t, 1, "")[0].url
}

// instance is a server of a test: its game socket, and how many connections
// it has had.
type instance struct {
	url   string
	conns atomic.Int64
}

// startInstances serves this project's game sockets on n loopback ports, as
// startServer does: n instances that share their games through the Redis at
// redisURL, each with a store of its own, or, when redisURL is empty, one
// hub of this process.
func startInstances(t *testing.T, n int, redisURL string) []*instance {
	t.Helper()
	discard := slog.New(slog.DiscardHandler)
	hubConfig := session.Config{MaxMatches: -1, MaxMatchesPerClient: -1, Grace: 10 * time.Millisecond}
	shared := session.NewHub(hubConfig, discard)
	ins := make([]*instance, n)
	for i := range ins {
		hub := shared
		if redisURL != "" {
			store, err := redisstore.New(redisURL, redisstore.Options{CheckInterval: 20 * time.Millisecond}, discard)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() }) // after the sockets' shutdown below
			for deadline := time.Now().Add(5 * time.Second); store.Ready() != nil; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("Redis at %s: %v", redisURL, store.Ready())
				}
			}
			cfg := hubConfig
			cfg.Store = store
			hub = session.NewHub(cfg, discard)
		}
		sockets := socket.New(hub, socket.Config{MessageRate: -1, MaxConnections: -1, MaxConnectionsPerClient: -1, ConnectionRate: -1}, discard)
		in := &instance{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			in.conns.Add(1)
			sockets.ServeHTTP(w, r)
		}))
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := sockets.Shutdown(ctx); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
			srv.Close()
		})
		in.url = "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
		ins[i] = in
	}
	return ins
}

// config returns the Config of the instances ins.
func config(ins []*instance) loadgen.Config {
	cfg := loadgen.Config{URL: ins[0].url, PID: os.Getpid(), Timeout: 5 * time.Second}
	for _, in := range ins[1:] {
		cfg.Others = append(cfg.Others, loadgen.Instance{URL: in.url})
	}
	return cfg
}

// Every scenario runs briefly against the real server, checks every event,
// and reports figures that add up.
func TestScenarios(t *testing.T) {
	tests := []struct {
		name     string
		scenario loadgen.Scenario
		check    func(t *testing.T, r *loadgen.Result)
	}{
		{"closed", loadgen.Closed{Games: 4, Warmup: 50 * time.Millisecond, Duration: 300 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result) {
				if r.Moves < 50 || r.Games < 2 || r.Connections < r.Games {
					t.Errorf("moves %d games %d connections %d", r.Moves, r.Games, r.Connections)
				}
				if l := r.Latencies[0]; l.Count != uint64(r.Moves) || l.P50 <= 0 || l.P50 > l.P99 || l.P99 > l.Max {
					t.Errorf("latency %+v for %d moves", l, r.Moves)
				}
			}},
		{"closed with rematch", loadgen.Closed{Games: 2, Duration: 300 * time.Millisecond, Rematch: true},
			func(t *testing.T, r *loadgen.Result) {
				if r.Games < 2 || r.Connections != 2 {
					t.Errorf("games %d on %d connections, want a few on 2", r.Games, r.Connections)
				}
			}},
		{"open", loadgen.Open{Players: 20, Rate: 20, Duration: 400 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result) {
				// 20 players × 20 moves/s × 0.4 s = 160 moves, give or take the
				// edges: never more, and most of them even on a busy machine.
				if r.Moves < 100 || r.Moves > 180 || r.Latencies[0].Count != uint64(r.Moves) {
					t.Errorf("%d moves, %d latencies, want 100 to 180 of the 160 scheduled", r.Moves, r.Latencies[0].Count)
				}
			}},
		{"idle", loadgen.Idle{Steps: []int{10, 30}, Settle: 10 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result) {
				if len(r.Memory) != 2 || r.Memory[1].Connections != 30 || r.Memory[0].Before <= 0 || r.Connections != 30 {
					t.Errorf("memory %+v, %d connections", r.Memory, r.Connections)
				}
			}},
		{"idle with play", loadgen.Idle{Steps: []int{10}, Message: "play", Settle: 10 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result) {
				if r.Moves != 10 {
					t.Errorf("%d moves, want 10", r.Moves)
				}
			}},
		{"setup", loadgen.Setup{Connections: 50, Concurrency: 5},
			func(t *testing.T, r *loadgen.Result) {
				if r.Connections != 50 || r.Latencies[0].Count != 50 || r.Figures[0].Value <= 0 {
					t.Errorf("%d connections, %+v", r.Connections, r.Latencies[0])
				}
			}},
		{"fan-out", loadgen.FanOut{Games: 3, Spectators: 3, Duration: 400 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result) {
				opp, spec := r.Latencies[0], r.Latencies[1]
				if r.Games < 3 || opp.Count != uint64(r.Moves) || spec.Count < 3*uint64(r.Moves) {
					t.Errorf("%d games, %d moves, %d to the opponent, %d to spectators", r.Games, r.Moves, opp.Count, spec.Count)
				}
			}},
		{"fan-out paced", loadgen.FanOut{Games: 2, Spectators: 1, Interval: 20 * time.Millisecond, Duration: 300 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result) {
				// Move 0 waits for everyone; then a move every 20 ms per game.
				if r.Moves < 15 || r.Moves > 30 {
					t.Errorf("%d moves, want about 2 × 14", r.Moves)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := loadgen.Config{URL: startServer(t), PID: os.Getpid(), Timeout: 5 * time.Second}
			r, err := tt.scenario.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK() {
				t.Fatalf("failures: %v", r.FailureExamples)
			}
			tt.check(t, r)
			var text, md strings.Builder
			r.WriteText(&text)
			r.WriteMarkdown(&md)
			if !strings.Contains(text.String(), "every answer was right") || strings.Count(md.String(), "|") < 6 {
				t.Errorf("report:\n%s\n%s", text.String(), md.String())
			}
			if _, err := json.Marshal(r); err != nil {
				t.Error(err)
			}
		})
	}
}

// The echo calibration runs against its own server.
func TestEcho(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- loadgen.ServeEcho(ln) }()
	r, err := loadgen.Echo{Clients: 3, Duration: 200 * time.Millisecond}.Run(context.Background(),
		loadgen.Config{URL: "ws://" + ln.Addr().String() + "/"})
	if err != nil || r.Latencies[0].Count == 0 || r.Figures[0].Value <= 0 {
		t.Errorf("echo: %v, %+v", err, r)
	}
	ln.Close()
	if err := <-served; err != nil {
		t.Errorf("ServeEcho: %v", err)
	}
}

// A server written as the tutorial's (spaces in its JSON, no draw event, no
// cells in a win) passes, given NoDrawEvent; each of its bugs is a failure.
func TestTutorialServer(t *testing.T) {
	scenarios := []struct {
		name     string
		scenario loadgen.Scenario
	}{
		{"closed", loadgen.Closed{Games: 3, Duration: 250 * time.Millisecond}},
		{"fan-out", loadgen.FanOut{Games: 2, Spectators: 2, Duration: 250 * time.Millisecond}},
	}
	for _, bug := range []string{"", "row", "player", "win", "error", "close", "spectator"} {
		for _, sc := range scenarios {
			if bug == "spectator" && sc.name != "fan-out" {
				continue
			}
			t.Run(sc.name+" "+bug, func(t *testing.T) {
				t.Parallel()
				url := startTutorial(t, bug)
				cfg := loadgen.Config{URL: url, Timeout: 300 * time.Millisecond, NoDrawEvent: true}
				r, err := sc.scenario.Run(context.Background(), cfg)
				if bug == "" {
					if err != nil || !r.OK() || r.Games == 0 || r.Draws == 0 {
						t.Fatalf("err %v, result %+v", err, r)
					}
					return
				}
				if !errors.Is(err, loadgen.ErrFailed) || r.OK() {
					t.Fatalf("the bug %q went unnoticed: %v", bug, err)
				}
				t.Log(r.FailureExamples[0])
			})
		}
	}
}

// Without NoDrawEvent, the tutorial's silence after a draw is a failure.
func TestMissingDrawEvent(t *testing.T) {
	url := startTutorial(t, "")
	cfg := loadgen.Config{URL: url, Timeout: 200 * time.Millisecond}
	// Long enough for a game to reach its draw on a busy machine.
	_, err := loadgen.Closed{Games: 20, Duration: 2 * time.Second}.Run(context.Background(), cfg)
	if !errors.Is(err, loadgen.ErrFailed) || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("err %v, want a failure waiting for the draw", err)
	}
}

func TestRunRefuses(t *testing.T) {
	cfg := loadgen.Config{URL: "ws://127.0.0.1:1/"}
	for _, s := range []loadgen.Scenario{
		loadgen.Closed{}, loadgen.Open{Players: 1}, loadgen.Idle{Steps: []int{1}}, loadgen.Setup{}, loadgen.FanOut{Games: 1},
		loadgen.Idle{Steps: []int{10, 5}}, loadgen.Closed{Games: 1, Duration: time.Second, Duel: true, Rematch: true},
		loadgen.Open{Players: 3, Duration: time.Second, Duel: true},
	} {
		if _, err := s.Run(context.Background(), cfg); err == nil {
			t.Errorf("%T%+v ran", s, s)
		}
	}
	if _, err := (loadgen.Idle{Steps: []int{1}}).Run(context.Background(), cfg); !errors.Is(err, loadgen.ErrNoPID) {
		t.Errorf("idle without a PID: %v", err)
	}
	// Idle and Echo measure one server.
	several := loadgen.Config{URL: cfg.URL, PID: 1, Others: []loadgen.Instance{{URL: cfg.URL}}}
	for _, s := range []loadgen.Scenario{loadgen.Idle{Steps: []int{1}}, loadgen.Echo{Clients: 1, Duration: time.Second}} {
		if _, err := s.Run(context.Background(), several); err == nil {
			t.Errorf("%T ran on several instances", s)
		}
	}
	// Nothing listens: a failure, quickly.
	cfg.Timeout = time.Second
	r, err := loadgen.Setup{Connections: 3}.Run(context.Background(), cfg)
	if !errors.Is(err, loadgen.ErrFailed) || r.Failures == 0 {
		t.Errorf("set-up with no server: %v", err)
	}
}

// startTutorial serves a server written as the python-websockets tutorial's
// parts 1 and 2, with the bug named, on the third move of every game.
func startTutorial(t *testing.T, bug string) string {
	t.Helper()
	s := &tutorial{bug: bug, games: map[string]*tutorialGame{}}
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		s.wg.Wait()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

type tutorial struct {
	bug string
	wg  sync.WaitGroup

	mu    sync.Mutex
	games map[string]*tutorialGame // by join and by watch key
	n     int
}

// tutorialGame is a game and everyone in it; mu serialises its sends.
type tutorialGame struct {
	mu        sync.Mutex
	game      connect4.Game
	connected []*websocket.Conn
	watchers  map[*websocket.Conn]bool
}

func (s *tutorial) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.wg.Add(1)
	defer s.wg.Done()
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	var first struct {
		Type        string
		Column      int
		Join, Watch string
	}
	_, msg, err := ws.ReadMessage()
	if err != nil || json.Unmarshal(msg, &first) != nil {
		return
	}
	g := &tutorialGame{connected: []*websocket.Conn{ws}, watchers: map[*websocket.Conn]bool{}}
	player := connect4.Red
	switch {
	case first.Type == "play": // part 1: a hot-seat game
		if !s.play(g, ws, connect4.Red, first.Column, true) {
			return
		}
		player = 0 // both
	case first.Join != "":
		s.mu.Lock()
		g = s.games[first.Join]
		s.mu.Unlock()
		if g == nil {
			send(ws, `{"type": "error", "message": "Game not found."}`)
			return
		}
		g.mu.Lock()
		g.connected = append(g.connected, ws)
		g.mu.Unlock()
		player = connect4.Yellow
	case first.Watch != "":
		s.mu.Lock()
		g = s.games[first.Watch]
		s.mu.Unlock()
		if g == nil {
			return
		}
		g.mu.Lock()
		g.connected = append(g.connected, ws)
		g.watchers[ws] = true
		for _, m := range g.game.Moves() { // replay
			send(ws, played(m))
		}
		g.mu.Unlock()
		ws.ReadMessage() // until it goes
		return
	default: // init: a new game of part 2
		s.mu.Lock()
		s.n++
		join, watch := fmt.Sprint("j", s.n), fmt.Sprint("w", s.n)
		s.games[join], s.games[watch] = g, g
		s.mu.Unlock()
		send(ws, fmt.Sprintf(`{"type": "init", "join": %q, "watch": %q}`, join, watch))
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var e struct{ Column int }
		json.Unmarshal(msg, &e)
		p := player
		if p == 0 {
			g.mu.Lock()
			p = g.game.Turn()
			g.mu.Unlock()
		}
		if !s.play(g, ws, p, e.Column, player == 0) {
			return
		}
	}
}

// play plays p's move in column, and sends the events, with the bug on the
// third move; it reports whether to go on.
func (s *tutorial) play(g *tutorialGame, from *websocket.Conn, p connect4.Player, column int, hotSeat bool) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, err := g.game.Play(p, column)
	if errors.Is(err, connect4.ErrNotYourTurn) {
		send(from, `{"type": "error", "message": "It isn't your turn."}`)
		return true
	}
	if err != nil {
		send(from, `{"type": "error", "message": "This slot is full."}`)
		return true
	}
	third := g.game.Len() == 3
	switch {
	case third && s.bug == "row":
		m.Row++
	case third && s.bug == "player":
		m.Player = m.Player.Other()
	case third && s.bug == "error":
		send(from, `{"type": "error", "message": "Oops."}`)
	case third && s.bug == "close":
		return false
	}
	for _, ws := range g.connected {
		if third && s.bug == "spectator" && g.watchers[ws] {
			continue
		}
		send(ws, played(m))
		if w := g.game.Winner(); w != connect4.NoPlayer && s.bug != "win" {
			send(ws, fmt.Sprintf(`{"type": "win", "player": %q}`, w))
		}
	}
	return true
}

func played(m connect4.Move) string {
	return fmt.Sprintf(`{"type": "play", "player": %q, "column": %d, "row": %d}`, m.Player, m.Column, m.Row)
}

func send(ws *websocket.Conn, msg string) { ws.WriteMessage(websocket.TextMessage, []byte(msg)) }

// Launch starts a command on a free loopback address and stops it.
func TestLaunch(t *testing.T) {
	ctx := context.Background()
	// A listener in a shell would need a tool that may be missing: this test
	// binary serves as the server, through TestHelperServer.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s, err := loadgen.Launch(ctx, exe+" -test.run=^TestHelperServer$ -- {addr}", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if s.PID <= 0 || !strings.HasPrefix(s.Addr, "127.0.0.1:") {
		t.Errorf("server %+v", s)
	}
	if rss, err := loadgen.RSS(s.PID); err != nil || rss <= 0 {
		t.Errorf("RSS: %d, %v", rss, err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if _, err := loadgen.Launch(ctx, "false {addr}", io.Discard); err == nil {
		t.Error("a command that exits at once was launched")
	}
}

// TestHelperServer is the server of TestLaunch: it listens on the address
// after "--" until SIGTERM.
func TestHelperServer(t *testing.T) {
	args := os.Args
	for len(args) > 0 && args[0] != "--" {
		args = args[1:]
	}
	if len(args) < 2 {
		t.Skip("run by TestLaunch")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	srv := &http.Server{Addr: args[1]}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	srv.ListenAndServe()
}

// The scenarios run on several instances that share their games, one hub
// or Redis (a private redis-server from LaunchRedis): in a game for two,
// the players are on different instances, and every event is checked.
func TestInstances(t *testing.T) {
	exe, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed: apt-get install redis-server (make test does)")
	}
	rs, err := loadgen.LaunchRedis(context.Background(), exe+" --appendonly no", t.TempDir(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := rs.Stop(); err != nil {
			t.Errorf("stopping redis-server: %v", err)
		}
	})
	redisURL := "redis://" + rs.Addr + "/0"
	tests := []struct {
		name      string
		instances int
		redis     bool
		scenario  loadgen.Scenario
		check     func(t *testing.T, r *loadgen.Result, ins []*instance)
	}{
		// Whole games played, however many a busy machine (make test runs
		// under -race, beside other packages) lets finish in the time.
		{"closed for two on one", 1, false, loadgen.Closed{Games: 3, Duration: time.Second, Duel: true},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				if r.Games < 1 || r.Connections != ins[0].conns.Load() || r.Connections%2 != 0 {
					t.Errorf("%d games on %d connections", r.Games, r.Connections)
				}
			}},
		{"closed on two", 2, false, loadgen.Closed{Games: 3, Warmup: 50 * time.Millisecond, Duration: time.Second},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				if r.Games < 1 || ins[0].conns.Load() != ins[1].conns.Load() {
					t.Errorf("%d games, %d and %d connections", r.Games, ins[0].conns.Load(), ins[1].conns.Load())
				}
			}},
		{"open on three", 3, false, loadgen.Open{Players: 20, Rate: 20, Duration: 400 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				// 20 players × 20 moves/s × 0.4 s = 160 moves, give or take the
				// edges: never more, and most of them even on a busy machine.
				if r.Moves < 100 || r.Moves > 180 || r.Latencies[0].Count != uint64(r.Moves) {
					t.Errorf("%d moves, %d latencies, want 100 to 180 of the 160 scheduled", r.Moves, r.Latencies[0].Count)
				}
			}},
		{"fan-out on three", 3, false, loadgen.FanOut{Games: 3, Spectators: 2, Duration: 300 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				// The games cut short by the end of the run may leave a few out.
				for i, in := range ins {
					if n := in.conns.Load(); n < r.Games*4/3 {
						t.Errorf("instance %d had %d connections of %d games × 4", i, n, r.Games)
					}
				}
			}},
		{"setup on three", 3, false, loadgen.Setup{Connections: 30, Concurrency: 5},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				for i, in := range ins {
					if in.conns.Load() != 10 {
						t.Errorf("instance %d had %d connections, want 10", i, in.conns.Load())
					}
				}
			}},
		{"closed through Redis", 2, true, loadgen.Closed{Games: 3, Duration: time.Second},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				if r.Games < 1 || r.RedisCPU < 0 || !r.Redis {
					t.Errorf("%d games, Redis CPU %v", r.Games, r.RedisCPU)
				}
			}},
		{"open through Redis", 3, true, loadgen.Open{Players: 6, Rate: 20, Duration: 300 * time.Millisecond},
			func(t *testing.T, r *loadgen.Result, ins []*instance) {
				if r.Moves < 20 {
					t.Errorf("%d moves", r.Moves)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := ""
			if tt.redis {
				url = redisURL
			}
			ins := startInstances(t, tt.instances, url)
			cfg := config(ins)
			if tt.redis {
				cfg.Redis, cfg.RedisPID = true, rs.PID
			}
			r, err := tt.scenario.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r.Instances != tt.instances {
				t.Errorf("%d instances reported, want %d", r.Instances, tt.instances)
			}
			tt.check(t, r, ins)
		})
	}
}

// The report says on how many instances a run went and whether through
// Redis, and what a move cost each.
func TestReportInstances(t *testing.T) {
	tests := []struct {
		name string
		r    loadgen.Result
		want []string
		not  []string
	}{
		{"one server", loadgen.Result{Instances: 1, Moves: 1000, ServerCPU: 0.5, ServerCPUTime: 20 * time.Millisecond, RedisCPU: -1},
			[]string{"GCs), 50%, ", "server CPU per move: 20 µs/move"}, []string{"instance", "Redis"}},
		{"one with Redis", loadgen.Result{Instances: 1, Redis: true, Moves: 1000, ServerCPU: 0.5, ServerCPUTime: 200 * time.Millisecond,
			RedisCPU: 0.25, RedisCPUTime: 55500 * time.Microsecond},
			[]string{"on 1 instance with Redis", "50% + Redis 25%", "server CPU per move: 200 µs/move", "Redis CPU per move: 55.50 µs/move"}, nil},
		{"three sharing Redis", loadgen.Result{Instances: 3, Redis: true, Moves: 10, ServerCPU: 1.5, RedisCPU: -1},
			[]string{"on 3 instances sharing Redis", "150% (3 instances), "}, []string{"Redis CPU per move", "+ Redis"}},
		{"no moves", loadgen.Result{Instances: 2, ServerCPU: 1}, []string{"on 2 instances |"}, []string{"per move"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var md strings.Builder
			if err := tt.r.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(md.String(), w) {
					t.Errorf("no %q in %s", w, md.String())
				}
			}
			for _, n := range tt.not {
				if strings.Contains(md.String(), n) {
					t.Errorf("%q in %s", n, md.String())
				}
			}
		})
	}
}

// With Sources, the connections come from that many loopback addresses in
// turn, and the idle mode holds them all.
func TestSources(t *testing.T) {
	var mu sync.Mutex
	hosts := map[string]int{}
	url := startInstances(t, 1, "")[0].url
	counter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		mu.Lock()
		hosts[host]++
		mu.Unlock()
		http.Error(w, "counted", http.StatusTeapot)
	}))
	defer counter.Close()
	cfg := loadgen.Config{URL: "ws" + strings.TrimPrefix(counter.URL, "http") + "/", Timeout: 5 * time.Second, Sources: 3}
	for range 6 { // each connection refused, and counted
		loadgen.Setup{Connections: 1}.Run(context.Background(), cfg)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hosts) != 3 || hosts["127.0.0.1"] == 0 || hosts["127.0.0.2"] == 0 || hosts["127.0.0.3"] == 0 {
		t.Errorf("connections from %v, want some from each of 127.0.0.1–3", hosts)
	}
	// The real server, from two addresses.
	cfg = loadgen.Config{URL: url, PID: os.Getpid(), Timeout: 5 * time.Second, Sources: 2}
	r, err := loadgen.Idle{Steps: []int{20}, Settle: 10 * time.Millisecond}.Run(context.Background(), cfg)
	if err != nil || r.Connections != 20 {
		t.Errorf("idle from two addresses: %v, %d connections", err, r.Connections)
	}
}

// RaiseFileLimit sets the soft limit to the hard one, and the processes
// started afterwards inherit it.
func TestRaiseFileLimit(t *testing.T) {
	if _, err := loadgen.RaiseFileLimit(0); err != nil {
		t.Fatal(err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur != lim.Max {
		t.Fatalf("RLIMIT_NOFILE %+v, %v, want the soft limit at the hard one", lim, err)
	}
	out, err := exec.Command("sh", "-c", "ulimit -n").Output()
	if err != nil || strings.TrimSpace(string(out)) != fmt.Sprint(lim.Cur) {
		t.Errorf("a child's limit: %q, %v, want %d", out, err, lim.Cur)
	}
	if got, err := loadgen.FileLimit(os.Getpid()); err != nil || got != lim.Cur {
		t.Errorf("FileLimit: %d, %v, want %d", got, err, lim.Cur)
	}
}
