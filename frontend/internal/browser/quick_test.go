//go:build js && wasm

package browser

import (
	"strconv"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/protocol"
)

// A page looks for an opponent, shows that it waits and for how long, is
// offered the computer, and is paired.
func TestQuickMatchInPage(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query("button.quick"))
	c := h.open(`{"type":"seek"}`)
	since := time.Now().Add(-65 * time.Second).UnixMilli()
	c.receive(`{"type":"init","watch":"W1","mode":"quick","token":"t1"}`,
		`{"type":"seeking","since":`+strconv.FormatInt(since, 10)+`,"playing":4}`)
	h.waitShown(".seeking-panel", true)
	h.waitText(".seeking-for", "Waiting 1:05")
	h.waitText(".playing-now", "4 people playing now")
	h.waitStatus("Looking for an opponent…", "status info")
	if h.shown(".offer-computer") || h.shown("button.home") {
		t.Error("the offer of the computer, or the home button, shows at once")
	}
	c.receive(`{"type":"seeking","since":` + strconv.FormatInt(since, 10) + `,"playing":4,"offer":true}`)
	h.waitShown(".offer-computer", true)

	c.receive(`{"type":"init","watch":"W2","mode":"quick","player":"yellow","token":"t2"}`,
		`{"type":"snapshot","moves":[3]}`, redOnline)
	h.waitStatus("Your turn", "status turn yellow you")
	h.waitShown(".seeking-panel", false)
	h.waitText(".role", "You are yellow")
	if got := h.store.get(tokenKey("?game=W2")); got != "t2" {
		t.Errorf("token kept for the game's address: %q", got)
	}
}

// Cancel takes the page out of the queue and back to the start screen; the
// computer offered instead starts a game against it.
func TestQuickMatchCancelInPage(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query("button.quick"))
	c := h.open(`{"type":"seek"}`)
	c.receive(`{"type":"init","watch":"W1","mode":"quick","token":"t1"}`, `{"type":"seeking","since":0,"playing":1}`)
	h.waitShown(".seeking-panel", true)
	h.click(h.query("button.cancel-seek"))
	c.expectSent(t, `{"type":"cancel"}`)
	c.expectClosed(t)
	h.waitShown(".start", true)

	h.click(h.query("button.quick"))
	c = h.open(`{"type":"seek"}`)
	c.receive(`{"type":"init","watch":"W3","mode":"quick","token":"t3"}`, `{"type":"seeking","since":0,"playing":1,"offer":true}`)
	h.waitShown(".offer-computer", true)
	h.click(h.query("button.computer-instead"))
	c.expectSent(t, `{"type":"cancel"}`)
	h.open(`{"type":"init","mode":"computer","level":"medium","player":"red","version":4}`)
}

// The start screen lists the games being played, from the server's lobby,
// and asks again while it shows.
func TestLobbyInPage(t *testing.T) {
	asked := make(chan string, 4)
	h := startWith(t, "", "", func(c *config) {
		c.lobby = func(url string, done func(protocol.Lobby, error)) {
			asked <- url
			done(protocol.Lobby{Playing: 7, Games: []protocol.LiveGame{{Watch: "G1", Moves: 12}}}, nil)
		}
	})
	select {
	case url := <-asked:
		if url != testBase+"lobby" {
			t.Errorf("lobby fetched from %s", url)
		}
	case <-time.After(timeout):
		t.Fatal("the start screen did not ask for the lobby")
	}
	h.waitText(".lobby-playing", "7 people playing now")
	h.waitText(".lobby-games a", "A game, 12 moves in")
	if got := h.attr(h.query(".lobby-games a"), "href"); got != "?watch=G1" {
		t.Errorf("the game's link: %s", got)
	}
	if n := len(h.queryAll(h.root, ".lobby-games li:not([hidden])")); n != 1 {
		t.Errorf("%d games listed, want 1", n)
	}
}

// The start screen's clock goes with "Play someone", and the clocks of the
// timed game show, the running one marked.
func TestClockInPage(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query(`input[name="clock"][value="3+2"]`))
	h.click(h.query("button.quick"))
	c := h.open(`{"type":"seek","clock":"3+2"}`)
	c.receive(`{"type":"init","watch":"W2","mode":"quick","player":"red","token":"t2","clock":"3+2"}`,
		`{"type":"snapshot","moves":[]}`, yellowOnline,
		`{"type":"clock","red":125000,"yellow":180000,"running":"red"}`)
	h.waitFor("red's clock", func() string {
		if text := h.text(h.query(".clock.red")); text != "Red 2:05" && text != "Red 2:04" {
			return text // counting down, from the server's 2:05
		}
		return "2:05 or a second less"
	}, "2:05 or a second less")
	h.waitText(".clock.yellow", "Yellow 3:00")
	h.waitClass("red's clock", h.query(".clock.red"), "clock red running")
}
