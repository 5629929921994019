package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/connect4go/connect4/backend/internal/redistest"
)

// The tests below run several instances of the binary against one private
// redis-server, as behind a load balancer: each player is connected to the
// instance the test chooses.

// instances starts n servers sharing rds.
func instances(t *testing.T, rds *redistest.Server, n int) []*server {
	srvs := make([]*server, n)
	for i := range srvs {
		// Every player of these tests comes from one address, many a
		// second.
		srvs[i] = startServer(t, "-redis", rds.URL(), "-connection-rate", "-1", "-max-games-per-client", "-1")
	}
	return srvs
}

// gamer is a protocol client of the test's, on one instance.
type gamer struct {
	t      *testing.T
	ws     *websocket.Conn
	token  string // the seat's resume token, once told
	join   string
	watch  string
	player string // its colour in the current game
	played int    // moves seen in the current game
	from   string // the loopback address it connects from; empty: any
}

// dial connects to srv.
func dial(t *testing.T, srv *server) *gamer { return dialFrom(t, srv, "") }

// dialFrom connects to srv from the loopback address from, such as
// 127.0.0.2, for the limits per client address.
func dialFrom(t *testing.T, srv *server, from string) *gamer {
	t.Helper()
	g := &gamer{t: t, from: from}
	g.connect(srv)
	return g
}

func (g *gamer) connect(srv *server) {
	g.t.Helper()
	ws, resp, err := g.dial(srv)
	if err != nil {
		g.t.Fatal(err)
	}
	resp.Body.Close()
	g.ws = ws
	g.t.Cleanup(func() { ws.Close() })
}

// dial opens a game socket to srv from g.from, returning the response to
// the handshake.
func (g *gamer) dial(srv *server) (*websocket.Conn, *http.Response, error) {
	d := *websocket.DefaultDialer
	if g.from != "" {
		d.NetDialContext = (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(g.from)}}).DialContext
	}
	return d.Dial(srv.wsURL(), nil)
}

func (g *gamer) send(msg string) {
	g.t.Helper()
	if err := g.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		g.t.Fatal(err)
	}
}

// next returns the next event, waiting up to 5 s.
func (g *gamer) next() map[string]any {
	g.t.Helper()
	e, err := g.read()
	if err != nil {
		g.t.Fatal(err)
	}
	return e
}

func (g *gamer) read() (map[string]any, error) {
	g.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := g.ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	var e map[string]any
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("%s: %w", data, err)
	}
	switch e["type"] {
	case "init":
		g.played = 0
		for k, p := range map[string]*string{"token": &g.token, "join": &g.join, "watch": &g.watch, "player": &g.player} {
			if s, ok := e[k].(string); ok {
				*p = s
			}
		}
	case "snapshot":
		moves, _ := e["moves"].([]any)
		g.played = len(moves)
	case "play":
		g.played++
	}
	return e, nil
}

// until skips events up to the first of type typ, and returns it.
func (g *gamer) until(typ string) map[string]any {
	g.t.Helper()
	for {
		if e := g.next(); e["type"] == typ {
			return e
		}
	}
}

// sees waits until the gamer has seen n moves of the current game.
func (g *gamer) sees(n int) {
	g.t.Helper()
	for g.played < n {
		g.next()
	}
	if g.played != n {
		g.t.Fatalf("saw %d moves, want %d", g.played, n)
	}
}

// resume takes the gamer's seat back on srv.
func (g *gamer) resume(srv *server) {
	g.t.Helper()
	g.ws.Close()
	g.connect(srv)
	g.send(`{"type":"resume","token":"` + g.token + `"}`)
	g.until("init")
}

// friendsGame starts a game on a, joined on b and watched on c.
func friendsGame(t *testing.T, a, b, c *server) (red, yellow, watcher *gamer) {
	t.Helper()
	red, yellow, watcher = dial(t, a), dial(t, b), dial(t, c)
	red.send(`{"type":"init","version":2}`)
	red.until("init")
	yellow.send(`{"type":"init","version":2,"join":"` + red.join + `"}`)
	yellow.until("init")
	watcher.send(`{"type":"init","version":2,"watch":"` + red.watch + `"}`)
	watcher.until("init")
	return red, yellow, watcher
}

// move has mover play column, and checks that everyone sees it as the n-th
// move.
func move(t *testing.T, mover *gamer, column, n int, everyone ...*gamer) {
	t.Helper()
	mover.send(fmt.Sprintf(`{"type":"play","column":%d}`, column))
	for _, g := range everyone {
		g.sees(n)
	}
}

// redWins plays the game of red in column 3 and yellow in column 4 from its
// from-th move (counting from 0) to red's vertical four, and checks that
// everyone sees red win.
func redWins(t *testing.T, red, yellow *gamer, from int, everyone ...*gamer) {
	t.Helper()
	for i := from; i < 7; i++ {
		move(t, []*gamer{red, yellow}[i%2], 3+i%2, i+1, everyone...)
	}
	for _, g := range everyone {
		if e := g.until("win"); e["player"] != "red" {
			t.Errorf("win event %v, want red's", e)
		}
	}
}

// healthz returns the status of srv's health check.
func healthz(t *testing.T, srv *server) int {
	t.Helper()
	resp, err := http.Get(srv.URL + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// kill ends srv at once, as a crash would: no drain, nothing written.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

func TestInstancesShareAGame(t *testing.T) {
	srvs := instances(t, redistest.Start(t), 3)
	red, yellow, watcher := friendsGame(t, srvs[0], srvs[1], srvs[2])
	everyone := []*gamer{red, yellow, watcher}
	redWins(t, red, yellow, 0, everyone...)
	// A spectator who comes late, on yet another instance, gets the whole game.
	late := dial(t, srvs[1])
	late.send(`{"type":"init","version":2,"watch":"` + red.watch + `"}`)
	late.sees(7)
	late.until("win")

	// Every instance is ready, and tells its name in logs and metrics.
	for _, s := range srvs {
		if code := healthz(t, s); code != http.StatusOK {
			t.Errorf("%s/healthz: %d", s.URL, code)
		}
	}
	_, body := httpGet(t, srvs[0], "/metrics", nil)
	if !strings.Contains(body, `connect4_store_up{server=`) || !strings.Contains(body, `connect4_moves_total{mode="friends",server=`) {
		t.Errorf("metrics of instance 0 do not name it:\n%s", body)
	}
	named := false
	for _, l := range srvs[0].logLines() {
		if l["msg"] == "game started" && l["instance"] != nil {
			named = true
		}
	}
	if !named {
		t.Error("no log line of instance 0 names it")
	}
}

// TestOneMovePerTurnAcrossInstances has the same player, in two windows on two
// instances, play at once while the second window takes the seat back: the
// first window's instance may not know yet, and tries to append the same
// turn. Exactly one move is accepted each time. The first window plays a
// little later each time, to land in the short while when its instance has
// not heard of the second window yet.
func TestOneMovePerTurnAcrossInstances(t *testing.T) {
	srvs := instances(t, redistest.Start(t), 3)
	for trial := range 40 {
		red, yellow, watcher := friendsGame(t, srvs[0], srvs[1], srvs[2])
		again := dial(t, srvs[1])
		play := fmt.Appendf(nil, `{"type":"play","column":%d}`, trial%7)
		resume := []byte(`{"type":"resume","token":"` + red.token + `"}`)
		var wg sync.WaitGroup
		wg.Go(func() {
			time.Sleep(time.Duration(trial) * 15 * time.Microsecond)
			red.ws.WriteMessage(websocket.TextMessage, play)
		})
		wg.Go(func() {
			again.ws.WriteMessage(websocket.TextMessage, resume)
			again.ws.WriteMessage(websocket.TextMessage, play)
		})
		wg.Wait()
		watcher.sees(1)
		// A second move, if any, comes before the answer to this ping.
		watcher.send(`{"type":"ping"}`)
		watcher.until("pong")
		if watcher.played != 1 {
			t.Fatalf("trial %d: %d moves accepted, want exactly 1", trial, watcher.played)
		}
		// Every instance agrees: a spectator on each sees the one move.
		for i, srv := range srvs {
			late := dial(t, srv)
			late.send(`{"type":"init","version":2,"watch":"` + red.watch + `"}`)
			late.until("init")
			late.send(`{"type":"ping"}`)
			late.until("pong")
			if late.played != 1 {
				t.Fatalf("trial %d: instance %d has %d moves, want 1", trial, i, late.played)
			}
			late.ws.Close()
		}
		for _, g := range []*gamer{red, yellow, watcher, again} {
			g.ws.Close() // each instance takes only so many connections from one address
		}
	}
}

// TestInstanceKilled kills the instance of one player mid-game: the player
// comes back through another instance and the game is finished.
func TestInstanceKilled(t *testing.T) {
	srvs := instances(t, redistest.Start(t), 3)
	red, yellow, watcher := friendsGame(t, srvs[0], srvs[1], srvs[2])
	everyone := []*gamer{red, yellow, watcher}
	move(t, red, 3, 1, everyone...)
	move(t, yellow, 4, 2, everyone...)

	srvs[0].kill()
	if _, err := red.read(); err == nil {
		t.Fatal("red's connection outlived its instance")
	}
	red.resume(srvs[2])
	red.sees(2)
	redWins(t, red, yellow, 2, everyone...)
}

// TestRollingRestart restarts every instance in turn, gracefully, while games
// go on: each player whose instance stops comes back on another one, and no
// game loses a move.
func TestRollingRestart(t *testing.T) {
	rds := redistest.Start(t)
	srvs := instances(t, rds, 3)
	type game struct{ players [2]*gamer }
	var games []game
	for i := range 6 {
		red, yellow := dial(t, srvs[i%3]), dial(t, srvs[(i+1)%3])
		red.send(`{"type":"init","version":2}`)
		red.until("init")
		yellow.send(`{"type":"init","version":2,"join":"` + red.join + `"}`)
		yellow.until("init")
		games = append(games, game{[2]*gamer{red, yellow}})
	}
	where := map[*gamer]int{}
	for i, g := range games {
		where[g.players[0]], where[g.players[1]] = i%3, (i+1)%3
	}
	moves := 0
	playRound := func() {
		t.Helper()
		for _, g := range games {
			move(t, g.players[moves%2], moves%7, moves+1, g.players[:]...)
		}
		moves++
	}
	playRound()
	for i := range srvs {
		srvs[i].stop(t)
		srvs[i] = startServer(t, "-redis", rds.URL())
		for _, g := range games {
			for _, p := range g.players {
				if where[p] != i {
					continue
				}
				if _, err := p.read(); err == nil {
					t.Fatal("a connection outlived its instance's shutdown")
				}
				where[p] = (i + 1) % 3
				p.resume(srvs[where[p]])
				p.sees(moves)
			}
		}
		playRound()
		playRound()
	}
	for _, g := range games {
		check := dial(t, srvs[0])
		check.send(`{"type":"init","version":2,"watch":"` + g.players[0].watch + `"}`)
		check.sees(moves)
	}
}

// TestRedisRestart stops Redis mid-game: instances say they are not ready,
// the players are told, moves are refused; once Redis is back the game goes
// on where it was.
func TestRedisRestart(t *testing.T) {
	rds := redistest.Start(t)
	srvs := instances(t, rds, 2)
	red, yellow, watcher := friendsGame(t, srvs[0], srvs[1], srvs[1])
	everyone := []*gamer{red, yellow, watcher}
	move(t, red, 3, 1, everyone...)

	rds.Stop()
	for _, g := range everyone {
		if e := g.until("error"); !strings.Contains(e["message"].(string), "game store") {
			t.Errorf("told %v, want the store's error", e)
		}
	}
	for _, s := range srvs {
		if code := healthz(t, s); code != http.StatusServiceUnavailable {
			t.Errorf("/healthz with Redis stopped: %d, want 503", code)
		}
	}
	yellow.send(`{"type":"play","column":4}`)
	if e := yellow.until("error"); !strings.Contains(e["message"].(string), "try again in a moment") {
		t.Errorf("a move with Redis stopped: %v", e)
	}

	rds.Start()
	deadline := time.Now().Add(15 * time.Second)
	for _, s := range srvs {
		for healthz(t, s) != http.StatusOK {
			if time.Now().After(deadline) {
				t.Fatal("instances not ready 15 s after Redis came back")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	move(t, yellow, 4, 2, everyone...)
	redWins(t, red, yellow, 2, everyone...)
}

// TestKilledInstanceAbandoned kills the instance of a player who does not
// come back: the other instances notice, the opponent is told that the player
// is away, and after the grace the game is abandoned.
func TestKilledInstanceAbandoned(t *testing.T) {
	rds := redistest.Start(t)
	a, b := startServer(t, "-redis", rds.URL(), "-grace", "1s"), startServer(t, "-redis", rds.URL(), "-grace", "1s")
	red, yellow, _ := friendsGame(t, a, b, b)
	move(t, red, 3, 1, red, yellow)

	a.kill()
	start := time.Now()
	away := yellow.until("presence")
	if away["player"] != "red" || away["online"] == true {
		t.Errorf("after red's instance died: %v, want red away", away)
	}
	if e := yellow.until("abandoned"); e["player"] != "red" {
		t.Errorf("%v, want red's game abandoned", e)
	}
	t.Logf("abandoned %v after the kill", time.Since(start).Round(time.Millisecond))
}

// paired waits for the init that gives g its colour in a quick match.
func (g *gamer) paired() {
	g.t.Helper()
	for {
		if e := g.until("init"); e["player"] != nil {
			return
		}
	}
}

// Two players who look for an opponent on two instances sharing Redis are
// paired, play, and the game shows in the lobby of the instance that holds
// it, and in the lobby of a third instance, which holds neither player.
func TestQuickMatchAcrossInstances(t *testing.T) {
	srvs := instances(t, redistest.Start(t), 3)
	a := dial(t, srvs[0])
	a.send(`{"type":"seek"}`)
	if e := a.until("init"); e["mode"] != "quick" || e["player"] != nil || e["join"] != nil {
		t.Fatalf("seek: %v", e)
	}
	a.until("seeking")
	b := dial(t, srvs[1])
	b.send(`{"type":"seek"}`)
	b.paired()
	a.paired()
	if a.player == b.player || a.watch != b.watch {
		t.Fatalf("paired as %s and %s, in %s and %s", a.player, b.player, a.watch, b.watch)
	}
	red, yellow := a, b
	if b.player == "red" {
		red, yellow = b, a
	}
	red.send(`{"type":"play","column":3}`)
	red.sees(1)
	yellow.sees(1)
	_, body := httpGet(t, srvs[0], "/lobby", nil)
	if !strings.Contains(body, `"watch":"`+a.watch+`","moves":1`) {
		t.Errorf("lobby of the instance that holds the game: %s", body)
	}
	// The instances share their parts of the lobby every 2 s, and each
	// serves its lobby again for 2 s: the game, held by two instances, is
	// listed once, with both players.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		_, body := httpGet(t, srvs[2], "/lobby", nil)
		if strings.Count(body, a.watch) == 1 && strings.Contains(body, `"watch":"`+a.watch+`","moves":1`) && strings.Contains(body, `"playing":2,`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lobby of the third instance, 15 s on: %s", body)
		}
	}
}
