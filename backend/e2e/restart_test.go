package e2e

import (
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"
)

// drawn is a game that fills the board without a winner: 42 moves.
var drawn = []int{
	0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0,
	2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2,
	4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4,
	6, 6, 6, 6, 6, 6,
}

// friendsOn starts a game between two browsers on srv.
func friendsOn(t *testing.T, srv *server) (red, yellow *gamer) {
	t.Helper()
	red, yellow = dial(t, srv), dial(t, srv)
	red.send(`{"type":"init","version":2}`)
	red.until("init")
	yellow.send(`{"type":"init","version":2,"join":"` + red.join + `"}`)
	yellow.until("init")
	return red, yellow
}

// A spectator and a player coming back, with the tutorial's client and with
// version 2, late in a long game (at moves 30 and 42) get the whole game
// and stay connected.
func TestLateArrivalsInALongGame(t *testing.T) {
	srv := startServer(t)
	red, yellow := friendsOn(t, srv)
	check := func(n int) {
		t.Helper()
		tutorial := dial(t, srv)
		tutorial.send(`{"type":"init","watch":"` + red.watch + `"}`)
		tutorial.sees(n)
		v2 := dial(t, srv)
		v2.send(`{"type":"init","version":2,"watch":"` + red.watch + `"}`)
		v2.until("snapshot")
		back := dial(t, srv)
		back.token = yellow.token
		back.send(`{"type":"resume","token":"` + yellow.token + `"}`)
		back.until("init")
		e := back.until("snapshot")
		for _, g := range []*gamer{v2, back} {
			if g.played != n {
				t.Errorf("at move %d: a snapshot of %d moves (%v)", n, g.played, e)
			}
		}
		for _, g := range []*gamer{tutorial, v2, back} {
			g.send(`{"type":"ping"}`)
		}
		for _, g := range []*gamer{v2, back} {
			g.until("pong") // still connected
		}
		if n == len(drawn) {
			tutorial.until("draw")
		}
		yellow = back // the old connection was replaced
	}
	for i, c := range drawn {
		move(t, []*gamer{red, yellow}[i%2], c, i+1, red, yellow)
		if i+1 == 30 || i+1 == len(drawn) {
			check(i + 1)
		}
	}
}

// restart stops srv with sig, checks how it exited, and starts it again in
// the same directory on the same port.
func restart(t *testing.T, srv *server, dir string, sig syscall.Signal) *server {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	srv.cmd.Process.Signal(sig)
	select {
	case <-srv.done:
	case <-time.After(15 * time.Second):
		t.Fatalf("the server did not stop on %v", sig)
	}
	if sig == syscall.SIGTERM && srv.err != nil {
		t.Errorf("after SIGTERM the server exited with %v, want 0", srv.err)
	}
	// The port is free again once the process is gone.
	if ln, err := net.Listen("tcp", u.Host); err == nil {
		ln.Close()
	}
	return startIn(t, dir, u.Host)
}

// A restart, graceful or killed, loses no move: both players take their
// seats back on the server started again in the same directory, see every
// move, and finish the game.
func TestRestartKeepsTheGame(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			srv := startIn(t, dir, "127.0.0.1:0")
			red, yellow := friendsOn(t, srv)
			for i, c := range []int{3, 4, 3, 4, 3, 4} { // red's win is one move away
				move(t, []*gamer{red, yellow}[i%2], c, i+1, red, yellow)
			}
			srv = restart(t, srv, dir, sig)
			for _, g := range []*gamer{red, yellow} {
				g.resume(srv)
				g.until("snapshot")
				if g.played != 6 {
					t.Fatalf("after the restart, %s sees %d moves, want 6", g.player, g.played)
				}
			}
			red.send(`{"type":"play","column":3}`)
			for _, g := range []*gamer{red, yellow} {
				if e := g.until("win"); e["player"] != "red" {
					t.Errorf("%s: win event %v, want red's", g.player, e)
				}
			}
			// The game is kept after it ended, with its moves, for review.
			w := dial(t, srv)
			w.send(fmt.Sprintf(`{"type":"init","version":2,"watch":%q}`, red.watch))
			w.until("snapshot")
			if w.played != 7 {
				t.Errorf("a spectator after the end sees %d moves, want 7", w.played)
			}
		})
	}
}
