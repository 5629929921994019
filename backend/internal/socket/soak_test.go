package socket_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/gorilla/websocket"
)

// scripts are whole games with their results, which the honest players play.
var scripts = []struct {
	columns []int
	result  string // the last event's type and player
}{
	{[]int{3, 4, 3, 4, 3, 4, 3}, "win red"},
	{[]int{6, 0, 1, 1, 2, 2, 3, 2, 6, 3, 6, 3, 5, 3}, "win yellow"},
	{[]int{5, 4, 5, 0, 6, 2, 4, 5, 5, 0, 4, 1, 1, 0, 4, 5, 6, 5, 3, 1, 1, 2, 2, 6, 2, 6, 6, 3, 6, 2, 0, 3, 0, 3, 3, 4, 3, 1, 4, 2, 1, 0}, "draw "},
}

// soakGames is how many honest games the soak test plays at once: SOAK_GAMES
// raises it for a longer run.
func soakGames() int {
	if n, err := strconv.Atoi(os.Getenv("SOAK_GAMES")); err == nil && n > 0 {
		return n
	}
	return 200
}

// Hundreds of honest games run to their end while misbehaving clients flood,
// stall, vanish and say nothing. Every honest game ends with the right result,
// and afterwards nothing is left: no connection, no match, and (TestMain's
// goleak) no goroutine. Loopback only; it stops by itself in seconds.
func TestSoak(t *testing.T) {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := session.NewHub(session.Config{Grace: 50 * time.Millisecond, MaxMatchesPerClient: -1}, discard)
	sockets := socket.New(hub, socket.Config{
		MaxConnectionsPerClient: -1,
		ConnectionRate:          -1,
		MessageRate:             50,
		MessageBurst:            50,
		SendQueue:               16,
		WriteTimeout:            time.Second,
		// Longer than a busy machine may keep a reader from running, so
		// that honest clients are not taken for silent ones; the silent
		// rogues wait 5 s to be let go.
		FirstMessageTimeout: 3 * time.Second,
		CloseGrace:          200 * time.Millisecond,
	}, discard)
	srv := httptest.NewUnstartedServer(sockets)
	srv.Listener = wrapListener{srv.Listener, smallBuffers}
	srv.Start()
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()

	games := soakGames()
	var honest, rogues sync.WaitGroup
	stop := make(chan struct{})
	for i := range games {
		honest.Go(func() {
			if err := honestGame(ctx, url, i); err != nil {
				t.Errorf("game %d: %v", i, err)
			}
		})
	}
	for i := range games / 4 {
		rogues.Go(func() { rogue(ctx, url, i, stop) })
	}
	honest.Wait()
	close(stop)
	rogues.Wait()

	deadline := time.Now().Add(10 * time.Second)
	for hub.Stats() != (session.Stats{}) {
		if time.Now().After(deadline) {
			t.Fatalf("left behind: %+v", hub.Stats())
		}
		time.Sleep(20 * time.Millisecond)
	}
	shutdown, cancelShutdown := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelShutdown()
	if err := sockets.Shutdown(shutdown); err != nil {
		t.Error(err)
	}
}

// honestGame plays script i%len(scripts) between two players, with a
// spectator, each checking every event against the rules.
func honestGame(ctx context.Context, url string, i int) error {
	script := scripts[i%len(scripts)]
	dial := func() (*websocket.Conn, error) {
		ws, resp, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		return ws, nil
	}
	red, err := dial()
	if err != nil {
		return err
	}
	defer red.Close()
	// Every read has a deadline: a lost event fails the game, never hangs it.
	red.SetReadDeadline(time.Now().Add(20 * time.Second))
	red.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","version":2}`))
	var init struct{ Join, Watch string }
	if err := red.ReadJSON(&init); err != nil {
		return err
	}
	yellow, err := dial()
	if err != nil {
		return err
	}
	defer yellow.Close()
	yellow.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","join":"`+init.Join+`"}`)) // a tutorial client
	watcher, err := dial()
	if err != nil {
		return err
	}
	defer watcher.Close()
	watcher.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","watch":"`+init.Watch+`"}`))
	var presence map[string]any
	if err := red.ReadJSON(&presence); err != nil || presence["type"] != "presence" {
		return fmt.Errorf("red waited for yellow: %v %v", presence, err)
	}

	ref := connect4.NewGame()
	for n, c := range script.columns {
		mover := []*websocket.Conn{red, yellow}[n%2]
		if err := mover.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"play","column":%d}`, c))); err != nil {
			return err
		}
		m, err := ref.Play(ref.Turn(), c)
		if err != nil {
			return fmt.Errorf("the script: %v", err)
		}
		// Everyone sees the move before anyone moves again.
		for _, ws := range []*websocket.Conn{red, yellow, watcher} {
			var e struct {
				Type, Player string
				Column, Row  int
			}
			ws.SetReadDeadline(time.Now().Add(20 * time.Second))
			if err := ws.ReadJSON(&e); err != nil {
				return fmt.Errorf("move %d: %v", n, err)
			}
			if e.Type != "play" || e.Player != m.Player.String() || e.Column != m.Column || e.Row != m.Row {
				return fmt.Errorf("move %d: got %+v, want %+v", n, e, m)
			}
		}
	}
	for _, ws := range []*websocket.Conn{red, yellow, watcher} {
		var e struct{ Type, Player string }
		if err := ws.ReadJSON(&e); err != nil {
			return err
		}
		if got := e.Type + " " + e.Player; got != script.result {
			return fmt.Errorf("result %q, want %q", got, script.result)
		}
	}
	return nil
}

// rogue misbehaves in one of four ways until stop is closed.
func rogue(ctx context.Context, url string, i int, stop <-chan struct{}) {
	r := rand.New(rand.NewPCG(uint64(i), 1))
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		ws, resp, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
		if err != nil {
			return
		}
		resp.Body.Close()
		switch i % 4 {
		case 0: // floods until closed
			for ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"play","column":3}`)) == nil {
			}
		case 1: // starts a hot-seat game, then stops reading while it plays on
			ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","mode":"hotseat","version":2}`))
			for n := 0; n < 300 && ws.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"play","column":%d}`, n%7))) == nil; n++ {
			}
		case 2: // starts a game and vanishes mid-way, without a closing frame
			ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"init","version":2}`))
			ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"play","column":`+strconv.Itoa(r.IntN(7))+`}`))
			time.Sleep(time.Duration(r.IntN(20)) * time.Millisecond)
		case 3: // says nothing and waits to be let go
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			ws.ReadMessage()
		}
		ws.NetConn().(*net.TCPConn).SetLinger(0)
		ws.Close()
	}
}
