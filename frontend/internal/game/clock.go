package game

import (
	"fmt"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// Clocks: a game between two people may be timed. The server keeps the time
// and says, with [protocol.Clock] events, each player's time left and whose
// clock runs; the page counts the running clock down between them, and
// shows the loss on time when the server's [protocol.Timeout] comes.

// gameClock is what the page knows of the clocks of a timed game.
type gameClock struct {
	tc      protocol.TimeControl
	left    [3]time.Duration // by Player, as of at
	running connect4.Player  // whose clock runs, or NoPlayer
	at      time.Time        // when the server said, by the page's time
}

// startClock sets the clocks of a game that begins with time control tc,
// both full and stopped until the server says one runs.
func (s *State) startClock(tc protocol.TimeControl) {
	s.clk = gameClock{tc: tc, left: [3]time.Duration{0, tc.Base, tc.Base}}
}

// setClock records the server's word on the clocks.
func (s *State) setClock(e protocol.Clock) {
	s.clk.left[connect4.Red], s.clk.left[connect4.Yellow] = e.Red, e.Yellow
	s.clk.running, s.clk.at = e.Running, s.now
}

// clockLeft returns player p's time left now, as the page counts it.
func (s *State) clockLeft(p connect4.Player) time.Duration {
	left := s.clk.left[p]
	if p == s.clk.running && s.link == open {
		left -= s.now.Sub(s.clk.at)
	}
	return max(left, 0)
}

// clockText shows a time left as "2:05", rounded up to the second: 0:00
// only when none is left.
func clockText(d time.Duration) string {
	secs := seconds(d)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// clockView fills in the clocks of a timed game.
func (s *State) clockView(v *View) {
	if !s.clk.tc.Timed() || s.watch == "" || s.seeking() {
		return
	}
	v.Clocks = true
	v.ClockRed, v.ClockYellow = clockText(s.clockLeft(connect4.Red)), clockText(s.clockLeft(connect4.Yellow))
	if s.link == open {
		v.ClockRunning = s.clk.running
	}
}

// clockTick returns how long until the running clock shows a new number.
func (s *State) clockTick() (time.Duration, bool) {
	if !s.clk.tc.Timed() || s.clk.running == connect4.NoPlayer || s.link != open {
		return 0, false
	}
	left := s.clockLeft(s.clk.running)
	if left <= 0 {
		return 0, false
	}
	wait := left % time.Second
	if wait == 0 {
		wait = time.Second
	}
	return wait, true
}

// timeoutStatus returns the status line of a game lost on time by loser,
// for a page that plays me (NoPlayer for a spectator).
func timeoutStatus(loser, me connect4.Player) (string, Kind, connect4.Player, bool) {
	switch me {
	case loser:
		return "You ran out of time.", KindLeft, loser, true
	case loser.Other():
		return name(loser) + " ran out of time: you win!", KindWin, me, true
	}
	return name(loser) + " ran out of time: " + loser.Other().String() + " wins!", KindWin, loser.Other(), false
}

// ChooseClock sets the time control of the games that the start screen's
// "Play someone" and "Invite a friend" start: "" for none, or one of
// [ClockChoices]; anything else is ignored.
func (s *State) ChooseClock(tc string) {
	for _, c := range ClockChoices {
		if c == tc {
			s.clockChoice, _ = protocol.ParseTimeControl(tc)
		}
	}
}

// ClockChoices lists the time controls the start screen offers: none, then
// [protocol.TimeControls].
var ClockChoices = func() []string {
	choices := []string{""}
	for _, tc := range protocol.TimeControls {
		choices = append(choices, tc.String())
	}
	return choices
}()
