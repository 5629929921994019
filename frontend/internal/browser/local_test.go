//go:build js && wasm

package browser

import (
	"errors"
	"testing"
	"time"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/protocol"
)

// fakeBrain is a brain whose answers the test gives.
type fakeBrain struct {
	push  func(any)
	asked chan thought // each Think, as the answer it waits for
}

func (b *fakeBrain) Analyze(string)            {}
func (b *fakeBrain) Think(moves, level string) { b.asked <- thought{moves: moves, level: level} }
func (b *fakeBrain) Close()                    {}

// question returns the next move asked for, or fails.
func (b *fakeBrain) question(t *testing.T) thought {
	t.Helper()
	select {
	case q := <-b.asked:
		return q
	case <-time.After(timeout):
		t.Fatal("the page asked the brain for no move")
		return thought{}
	}
}

// TestPlayAlone plays a game against the computer that the page cannot
// reach the server for: it plays it alone, with its brain as the computer,
// says so, opens no other connection, asks again once when the brain
// fails, then says that the computer cannot move.
func TestPlayAlone(t *testing.T) {
	b := &fakeBrain{asked: make(chan thought, 4)}
	h := startWith(t, "", "", func(c *config) {
		c.brain = func(push func(any)) brain { b.push = push; return b }
	})
	h.click(h.query("button.computer"))
	h.choose("level", "easy")
	h.choose("colour", "yellow")
	h.click(h.query("button.start-computer"))
	h.conn().drop(1006, "") // the server cannot be reached

	q := b.question(t)
	if q.moves != "" || q.level != "easy" {
		t.Fatalf("asked for the move in %q at %q", q.moves, q.level)
	}
	h.waitText(".role", "You are yellow · against the computer (easy) · playing in your browser, without the server")
	h.waitStatus("The computer is thinking…", "status turn red thinking")
	q.column = 3
	b.push(q)
	h.waitStatus("Your turn", "status turn yellow you")
	if h.cell(3, 0).IsNull() || h.attr(h.cell(3, 0), "class") != "cell red last" {
		t.Errorf("cell (3, 0): class %q, want the computer's red", h.attr(h.cell(3, 0), "class"))
	}
	if h.shown(".share") || h.shown(".invite-panel") {
		t.Error("links to share a game played alone")
	}
	// No token: the game is kept in the browser, under its own key.
	h.waitStored(map[string]string{localKey: "easy yellow 4"})

	h.click(h.cell(2, 0))
	q = b.question(t)
	if q.moves != "43" {
		t.Fatalf("asked for the move in %q, want 43", q.moves)
	}
	q.err = errors.New("the worker crashed")
	b.push(q)
	q = b.question(t) // asked again, once
	q.err = errors.New("the worker crashed again")
	b.push(q)
	h.waitText(".notice", local.ComputerFailed)
	h.noConn(50 * time.Millisecond)
}

// TestPlayAloneStaleMove checks that the computer's move asked for in a game
// played alone, and found after the player left it, is not played in the
// next game played alone, at another level, from the same position: that
// game waits for its own.
func TestPlayAloneStaleMove(t *testing.T) {
	b := &fakeBrain{asked: make(chan thought, 4)}
	h := startWith(t, "", "", func(c *config) {
		c.brain = func(push func(any)) brain { b.push = push; return b }
	})
	startAlone := func(level string) thought {
		h.click(h.query("button.computer"))
		h.choose("level", level)
		h.choose("colour", "yellow")
		h.click(h.query("button.start-computer"))
		h.conn().drop(1006, "") // the server cannot be reached
		q := b.question(t)
		if q.moves != "" || q.level != level {
			t.Fatalf("asked for the move in %q at %q", q.moves, q.level)
		}
		h.waitStatus("The computer is thinking…", "status turn red thinking")
		return q
	}
	easy := startAlone("easy")
	h.click(h.query("button.home"))
	h.waitShown(".start", true)
	perfect := startAlone("perfect")

	easy.column = 0 // the first game's move comes late
	b.push(easy)
	perfect.column = 3
	b.push(perfect)
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell red last")
	h.waitClass("cell (0, 0)", h.cell(0, 0), "cell empty")
}

// TestStartScreenServerGone checks that the start screen says that the
// server cannot be reached when its lobby cannot be fetched, and lists no
// games (game.TestLobbyFailed checks that the note goes once it answers).
func TestStartScreenServerGone(t *testing.T) {
	fetches := make(chan func(protocol.Lobby, error), 4)
	h := startWith(t, "", "", func(c *config) {
		c.lobby = func(url string, done func(protocol.Lobby, error)) { fetches <- done }
	})
	select {
	case done := <-fetches:
		done(protocol.Lobby{}, errors.New("browser: fetching lobby: no answer"))
	case <-time.After(timeout):
		t.Fatal("the start screen did not ask for the lobby")
	}
	h.waitText(".start-note", "The game server cannot be reached: you can still play the computer, here in your browser; the other games need the server.")
	if h.shown(".lobby") {
		t.Error("games listed from a server gone")
	}
}

// TestPlayAloneReload plays a game alone, then loads its address again, as
// a reload does: the game kept in the browser is taken up again, alone,
// with no connection to the server, the computer asked for its move; a
// game that the browser no longer keeps says so.
func TestPlayAloneReload(t *testing.T) {
	b := &fakeBrain{asked: make(chan thought, 4)}
	withFake := func(c *config) {
		c.brain = func(push func(any)) brain { b.push = push; return b }
	}
	h := startWith(t, "", "", withFake)
	h.click(h.query("button.computer"))
	h.choose("level", "easy")
	h.choose("colour", "yellow")
	h.click(h.query("button.start-computer"))
	h.conn().drop(1006, "")
	q := b.question(t)
	q.column = 3
	b.push(q)
	h.waitStatus("Your turn", "status turn yellow you")
	h.click(h.cell(2, 0))
	b.question(t) // the computer's move, never answered: the page reloads
	h.waitFor("address", h.addr.query, "?game="+local.Key)
	h.waitStored(map[string]string{localKey: "easy yellow 43"})

	again := startWith(t, "?game="+local.Key, "", func(c *config) {
		withFake(c)
		c.store.set(localKey, "easy yellow 43")
	})
	q = b.question(t)
	if q.moves != "43" || q.level != "easy" {
		t.Fatalf("asked for the move in %q at %q, want 43 at easy", q.moves, q.level)
	}
	again.waitClass("cell (3, 0)", again.cell(3, 0), "cell red")
	again.waitClass("cell (2, 0)", again.cell(2, 0), "cell yellow last")
	again.waitText(".role", "You are yellow · against the computer (easy) · playing in your browser, without the server")
	q.column = 3
	b.push(q)
	again.waitStatus("Your turn", "status turn yellow you")
	again.waitStored(map[string]string{localKey: "easy yellow 434"})
	again.noConn(50 * time.Millisecond)

	gone := startWith(t, "?game="+local.Key, "", withFake) // nothing kept
	gone.waitShown(".start", true)
	gone.waitText(".start-note", "The game you played in this browser is no longer kept here.")
	gone.waitFor("address", gone.addr.query, "")
}
