package e2e

import (
	"reflect"
	"syscall"
	"testing"
	"time"
)

// A game that ended is kept in the SQLite archive: its watch link, opened by
// a client of version 4, gets the last game's moves, before and after a
// restart; an older client gets the error it always got.
func TestArchivedGame(t *testing.T) {
	dir := t.TempDir()
	srv := startIn(t, dir, "127.0.0.1:0", "-grace", "1s")
	red, yellow := friendsOn(t, srv)
	redWins(t, red, yellow, 0, red, yellow)
	red.ws.Close()
	yellow.ws.Close()
	want := []any{3.0, 4.0, 3.0, 4.0, 3.0, 4.0, 3.0}

	// archived watches the game with version 4 until the archive has it:
	// once both seats are given up, a second after the players left.
	archived := func(srv *server) map[string]any {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			w := dial(t, srv)
			w.send(`{"type":"init","version":4,"watch":"` + red.watch + `"}`)
			e := w.next()
			w.ws.Close()
			if e["type"] == "archived" || time.Now().After(deadline) {
				return e
			}
			time.Sleep(500 * time.Millisecond) // within -connection-rate
		}
	}
	for i := range 2 {
		if i == 1 {
			srv = restart(t, srv, dir, syscall.SIGTERM)
		}
		s := srv
		e := archived(s)
		if e["type"] != "archived" || e["watch"] != red.watch || e["mode"] != "friends" || !reflect.DeepEqual(e["moves"], want) {
			t.Fatalf("watching the game that ended: %v, want it archived with moves %v", e, want)
		}
		old := dial(t, s)
		old.send(`{"type":"init","version":3,"watch":"` + red.watch + `"}`)
		if e := old.next(); e["type"] != "error" || e["message"] != "This game has ended, or its link is wrong." {
			t.Errorf("a version 3 client watching the game that ended: %v", e)
		}
	}
}
