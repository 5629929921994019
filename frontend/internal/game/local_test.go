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
// started the page keeps no token for it, shares no link, and says it
// plays in the browser; its address, ?game=in-browser, takes it up again.
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
	if s.Token() != "" || s.Query() != "?game="+local.Key {
		t.Errorf("token %q, query %q: want none, and ?game=%s", s.Token(), s.Query(), local.Key)
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

// TestResumeAlone reloads the page at the address of a game played alone:
// the page plans to take it up again alone, keeps no token for it, and
// says so when the browser no longer keeps it.
func TestResumeAlone(t *testing.T) {
	s := New(Page{Base: "http://localhost/", Query: "?game=" + local.Key})
	if !s.ResumesAlone() || s.Token() != "" || s.CanPlayAlone() {
		t.Fatalf("resumes alone %v, token %q, can play alone %v", s.ResumesAlone(), s.Token(), s.CanPlayAlone())
	}
	if _, want := s.Dial(); !want {
		t.Fatal("no connection wanted for the game played alone")
	}
	s.Connecting()
	if cmd, ok := s.Opened().(protocol.Resume); !ok || cmd.Token != local.Key {
		t.Fatalf("Opened() = %#v", s.Opened())
	}
	s.Apply(protocol.Started{Watch: local.Key, Token: local.Key, Mode: protocol.Computer, Level: "easy", Player: connect4.Yellow})
	s.Apply(protocol.Snapshot{Moves: []int{3}})
	if s.ResumesAlone() || s.Query() != "?game="+local.Key || s.Token() != "" {
		t.Errorf("taken up: resumes alone %v, query %q, token %q", s.ResumesAlone(), s.Query(), s.Token())
	}
	if v := s.View(); v.Status != "Your turn" || v.Cells[3][0].Checker != connect4.Red {
		t.Errorf("status %q, the computer's checker %v", v.Status, v.Cells[3][0])
	}

	gone := New(Page{Base: "http://localhost/", Query: "?game=" + local.Key})
	gone.AloneGone()
	if v := gone.View(); !v.Start || v.StartNote != aloneGoneText || gone.Query() != "" {
		t.Errorf("start %v, note %q, query %q", v.Start, v.StartNote, gone.Query())
	}
	// A resume refused goes to the start screen, not round again.
	again := New(Page{Base: "http://localhost/", Query: "?game=" + local.Key})
	again.Connecting()
	again.Opened()
	again.Apply(protocol.Error{Message: "gone"})
	if v := again.View(); !v.Start || again.ResumesAlone() {
		t.Errorf("refused: start %v, resumes alone %v", v.Start, again.ResumesAlone())
	}
}
