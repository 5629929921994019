package game

import (
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

var blitz = protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}

// TestClockView follows the clocks of a timed game: full until one runs,
// counted down between the server's words, and the loss on time.
func TestClockView(t *testing.T) {
	t0 := time.UnixMilli(1_764_667_200_000)
	s := New(Page{Base: base})
	s.Tick(t0)
	s.ChooseClock("3+2")
	s.Start(protocol.Friends)
	if got := encode(t, s.Opened()); got != `{"type":"init","clock":"3+2","version":4}` {
		t.Fatalf("sends %s", got)
	}
	s.Apply(protocol.Started{Join: join, Watch: watch, Mode: protocol.Friends, Player: connect4.Red, Token: token, Clock: blitz})
	if v := s.View(); !v.Clocks || v.ClockRed != "3:00" || v.ClockYellow != "3:00" || v.ClockRunning != connect4.NoPlayer {
		t.Fatalf("before the friend comes: %+v", v)
	}
	if _, ok := s.NextChange(); ok {
		t.Error("a stopped clock ticks")
	}
	s.Apply(online(connect4.Yellow))
	s.Apply(protocol.Clock{Red: 3 * time.Minute, Yellow: 3 * time.Minute, Running: connect4.Red})
	s.Tick(t0.Add(1200 * time.Millisecond))
	v := s.View()
	if v.ClockRed != "2:59" || v.ClockYellow != "3:00" || v.ClockRunning != connect4.Red {
		t.Errorf("red's clock after 1.2 s: %+v", v)
	}
	if next, ok := s.NextChange(); !ok || next != 800*time.Millisecond {
		t.Errorf("NextChange() = %v, %v; want when red's clock shows 2:58", next, ok)
	}
	// Offline, the page shows the clocks as last told: it cannot know.
	s.Lost(time.Second)
	s.Tick(t0.Add(10 * time.Second))
	if v := s.View(); v.ClockRed != "3:00" || v.ClockRunning != connect4.NoPlayer {
		t.Errorf("offline: %+v", v)
	}
}

// TestTimeout checks the status line of a loss on time, for each player and
// for a spectator.
func TestTimeout(t *testing.T) {
	tests := []struct {
		page      *State
		status    string
		kind      Kind
		player    connect4.Player
		you, over bool
	}{
		{seated(connect4.Red, online(connect4.Yellow)), "You ran out of time.", KindLeft, connect4.Red, true, true},
		{seated(connect4.Yellow, online(connect4.Red)), "Red ran out of time: you win!", KindWin, connect4.Yellow, true, true},
		{watching(), "Red ran out of time: yellow wins!", KindWin, connect4.Yellow, false, true},
	}
	for _, tt := range tests {
		s := tt.page
		s.Apply(protocol.Timeout{Player: connect4.Red})
		v := s.View()
		if v.Status != tt.status || v.Kind != tt.kind || v.Player != tt.player || v.You != tt.you || v.Playable {
			t.Errorf("%s: %+v", tt.status, v)
		}
	}
}

// TestClockChoice checks the start screen's choice of clock, for quick
// match and invitations alike, and that it stays.
func TestClockChoice(t *testing.T) {
	s := New(Page{Base: base})
	if v := s.View(); v.ClockChoice != "" {
		t.Errorf("the default clock: %q", v.ClockChoice)
	}
	s.ChooseClock("forever") // not offered: ignored
	s.ChooseClock("1+2")
	s.Start(protocol.Quick)
	if got := encode(t, s.Opened()); got != `{"type":"seek","clock":"1+2"}` {
		t.Errorf("seek: %s", got)
	}
	s.Home()
	if v := s.View(); v.ClockChoice != "1+2" {
		t.Errorf("back home: %q", v.ClockChoice)
	}
	s.ChooseClock("")
	s.Start(protocol.Friends)
	if got := encode(t, s.Opened()); got != `{"type":"init","version":4}` {
		t.Errorf("untimed invitation: %s", got)
	}
}
