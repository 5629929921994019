//go:build js && wasm

package browser

import (
	"fmt"
	"testing"
	"time"
)

// The server's Started for a game against the computer at the perfect level,
// the page playing yellow, then red after a new game.
const (
	startedComputerYellow = `{"type":"init","watch":"W4TCH","mode":"computer","level":"perfect","player":"yellow","token":"tok"}`
	startedComputerRed    = `{"type":"init","watch":"W4TCH","mode":"computer","level":"perfect","player":"red","token":"tok"}`
)

// choose clicks the radio button named name with value in the chooser.
func (h *harness) choose(name, value string) {
	h.t.Helper()
	h.click(h.query(`.chooser input[name="` + name + `"][value="` + value + `"]`))
}

// checked reports whether the radio button named name with value is checked.
func (h *harness) checked(name, value string) bool {
	h.t.Helper()
	return truthy(h.t, get(h.t, h.query(`input[name="`+name+`"][value="`+value+`"]`), "checked"))
}

// TestComputerChooser checks the start screen's chooser of a game against
// the computer, and the Init its Start button sends.
func TestComputerChooser(t *testing.T) {
	h := start(t, "", "")
	computer := h.query("button.computer")
	if got := h.text(computer); got != "Play the computer"+"Easy, medium or perfect" {
		t.Errorf("button.computer says %q", got)
	}
	if h.shown(".chooser") || h.attr(computer, "aria-expanded") != "false" {
		t.Error("the chooser shows before a click on Play the computer")
	}
	h.click(computer)
	h.waitShown(".chooser", true)
	if got := h.attr(computer, "aria-expanded"); got != "true" {
		t.Errorf("aria-expanded %q with the chooser open", got)
	}
	// The defaults: medium, red.
	for _, c := range []struct {
		name, value string
		checked     bool
	}{
		{"level", "easy", false}, {"level", "medium", true}, {"level", "perfect", false},
		{"colour", "red", true}, {"colour", "yellow", false},
	} {
		if got := h.checked(c.name, c.value); got != c.checked {
			t.Errorf("%s %s checked: %v, want %v", c.name, c.value, got, c.checked)
		}
	}
	h.noConn(50 * time.Millisecond) // choosing needs no server yet

	h.choose("level", "perfect")
	h.choose("colour", "yellow")
	h.waitFor("yellow checked", func() string { return fmt.Sprint(h.checked("colour", "yellow")) }, "true")
	h.click(h.query("button.start-computer"))
	h.waitStatus("Starting a game against the computer…", "status info")
	h.open(`{"type":"init","mode":"computer","level":"perfect","player":"yellow","version":4}`)

	// Back on the start screen, the chooser keeps the choices.
	h.click(h.query("button.home"))
	h.waitShown(".start", true)
	if !h.shown(".chooser") || !h.checked("level", "perfect") || !h.checked("colour", "yellow") {
		t.Errorf("back on the start screen: chooser shown %v, perfect %v, yellow %v",
			h.shown(".chooser"), h.checked("level", "perfect"), h.checked("colour", "yellow"))
	}
	h.click(computer)
	h.waitShown(".chooser", false)
}

// TestComputerGame plays a game against the computer: the computer opens, the
// page plays on its turns only, and New game starts the next game at once.
func TestComputerGame(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query("button.computer"))
	h.choose("level", "perfect")
	h.choose("colour", "yellow")
	h.click(h.query("button.start-computer"))
	c := h.open(`{"type":"init","mode":"computer","level":"perfect","player":"yellow","version":4}`)
	c.receive(startedComputerYellow)
	h.waitStatus("The computer is thinking…", "status turn red thinking")
	h.waitText(".role", "You are yellow · against the computer (perfect)")
	if got := h.attr(h.query(".role"), "class"); got != "role yellow" {
		t.Errorf("role class %q", got)
	}
	board := h.query(".board")
	h.waitClass("board", board, "board")
	h.click(h.cell(2, 0))
	c.expectNothing(t) // the server would say "It isn't your turn."
	if !h.shown("button.new-game") || h.shown("button.rematch") || h.shown(".presence") || h.shown(".invite-panel") {
		t.Errorf("new game %v, rematch %v, presence %v, invite %v; want only New game",
			h.shown("button.new-game"), h.shown("button.rematch"), h.shown(".presence"), h.shown(".invite-panel"))
	}
	h.waitText("button.home", "Leave game")
	h.waitStored(map[string]string{"connect4.token?game=W4TCH": token})

	c.receive(`{"type":"play","player":"red","column":3,"row":0}`)
	h.waitStatus("Your turn", "status turn yellow you")
	h.waitClass("board", board, "board playable")
	h.click(h.cell(3, 4))
	c.expectSent(t, `{"type":"play","column":3}`)
	c.receive(`{"type":"play","player":"yellow","column":3,"row":1}`)
	h.waitStatus("The computer is thinking…", "status turn red thinking")
	h.waitClass("board", board, "board")

	// New game, at any time, once confirmed: the server starts it at once,
	// colours swapped.
	h.click(h.query("button.new-game"))
	h.click(h.query("button.confirm-yes"))
	c.expectSent(t, `{"type":"rematch"}`)
	c.receive(startedComputerRed)
	h.waitStatus("Your turn", "status turn red you")
	h.waitText(".role", "You are red · against the computer (perfect)")
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell empty")

	// The computer wins a game.
	c.receive(`{"type":"play","player":"red","column":0,"row":0}`,
		`{"type":"play","player":"yellow","column":6,"row":0}`,
		`{"type":"play","player":"red","column":0,"row":1}`,
		`{"type":"play","player":"yellow","column":6,"row":1}`,
		`{"type":"play","player":"red","column":0,"row":2}`,
		`{"type":"play","player":"yellow","column":6,"row":2}`,
		`{"type":"play","player":"red","column":1,"row":0}`,
		`{"type":"play","player":"yellow","column":6,"row":3}`,
		`{"type":"win","player":"yellow","cells":[{"column":6,"row":0},{"column":6,"row":1},{"column":6,"row":2},{"column":6,"row":3}]}`)
	h.waitStatus("The computer wins!", "status win yellow")
	h.waitText("button.home", "Start screen")
	if !h.shown("button.new-game") {
		t.Error("no New game button after the game")
	}
}

// TestComputerResume checks that a page that held a seat against the
// computer takes it back after a drop.
func TestComputerResume(t *testing.T) {
	h := start(t, "", token)
	c := h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(startedComputerRed, `{"type":"play","player":"red","column":3,"row":0}`)
	h.waitStatus("The computer is thinking…", "status turn yellow thinking")
	c.drop(1006, "")
	c = h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(startedComputerRed, `{"type":"play","player":"red","column":3,"row":0}`, `{"type":"play","player":"yellow","column":3,"row":1}`)
	h.waitStatus("Your turn", "status turn red you")
	h.waitClass("cell (3, 1)", h.cell(3, 1), "cell yellow last")
}

// TestComputerBadLevel checks the server's refusal of a level.
func TestComputerBadLevel(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query("button.computer"))
	h.click(h.query("button.start-computer"))
	c := h.open(`{"type":"init","mode":"computer","level":"medium","player":"red","version":4}`)
	c.receive(`{"type":"error","message":"Choose the computer's level: easy, medium or perfect."}`)
	h.waitShown(".start", true)
	h.waitText(".start-note", "Choose the computer's level: easy, medium or perfect.")
	c.expectClosed(t)
}
