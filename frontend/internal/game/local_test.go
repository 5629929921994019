package game

import (
	"strings"
	"testing"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestPlayAlone follows a game against the computer that the page plays
// alone: only a new game against the computer may be, and once it has
// started the page keeps no token and no address for it, shares no link,
// and says it plays in the browser.
func TestPlayAlone(t *testing.T) {
	s := New(Page{Base: "http://localhost/"})
	if s.CanPlayAlone() {
		t.Error("the start screen can be played alone")
	}
	s.Start(protocol.HotSeat)
	if s.CanPlayAlone() {
		t.Error("a hot-seat game can be played alone")
	}
	s.ChooseLevel("easy")
	s.Start(protocol.Computer)
	if !s.CanPlayAlone() {
		t.Fatal("a game against the computer cannot be played alone")
	}
	s.Connecting()
	if cmd := s.Opened(); !local.Playable(cmd) {
		t.Fatalf("Opened() = %#v", cmd)
	}
	s.Apply(protocol.Started{Watch: local.Key, Token: local.Key, Mode: protocol.Computer, Level: "easy", Player: connect4.Red})
	if s.CanPlayAlone() {
		t.Error("a game entered can be played alone again")
	}
	if s.Token() != "" || s.Query() != "" {
		t.Errorf("token %q, query %q: want none", s.Token(), s.Query())
	}
	v := s.View()
	if v.WatchLink != "" || v.Share || v.JoinLink != "" {
		t.Errorf("links to share: watch %q (shown %v), join %q", v.WatchLink, v.Share, v.JoinLink)
	}
	if want := "You are red · against the computer (easy)" + inBrowserText; v.Role != want {
		t.Errorf("role %q, want %q", v.Role, want)
	}
	if _, ok := s.Click(3); !ok {
		t.Error("the page cannot play")
	}
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3})
	if v := s.View(); !strings.Contains(v.Status, "thinking") {
		t.Errorf("status %q after the player's move", v.Status)
	}
}
