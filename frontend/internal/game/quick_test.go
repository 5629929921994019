package game

import (
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// seekingPage returns a page that asked for an opponent and was put in the
// queue at t0, with 3 people connected.
func seekingPage(t *testing.T, t0 time.Time) *State {
	t.Helper()
	s := New(Page{Base: base})
	s.Tick(t0)
	s.Start(protocol.Quick)
	if got := encode(t, s.Opened()); got != `{"type":"seek"}` {
		t.Fatalf("sends %s, want a seek", got)
	}
	if v := s.View(); !v.Seeking || v.Status != "Looking for an opponent…" || v.SeekingFor != "" {
		t.Fatalf("before the server answers: %+v", v)
	}
	s.Apply(protocol.Started{Watch: "W1", Mode: protocol.Quick, Token: "T1"})
	s.Apply(protocol.Seeking{Since: t0.UnixMilli(), Playing: 3})
	return &s
}

// TestQuickMatch follows a page through the queue to a game: the wait shown,
// the pairing, then a game as between friends.
func TestQuickMatch(t *testing.T) {
	t0 := time.UnixMilli(1_764_667_200_000)
	s := seekingPage(t, t0)
	s.Tick(t0.Add(72*time.Second + 300*time.Millisecond))
	v := s.View()
	if !v.Seeking || v.SeekingFor != "1:12" || v.PlayingNow != "3 people playing now" || v.OfferComputer || v.Home != "" || v.Playable || v.Role != "" || v.Presence != "" {
		t.Fatalf("waiting: %+v", v)
	}
	if next, ok := s.NextChange(); !ok || next != 700*time.Millisecond {
		t.Errorf("NextChange() = %v, %v; want the next whole second", next, ok)
	}
	if s.Token() != "T1" {
		t.Errorf("Token() = %q while waiting, want the seat's", s.Token())
	}
	s.Apply(protocol.Seeking{Since: t0.UnixMilli(), Playing: 1, Offer: true})
	if v := s.View(); !v.OfferComputer || v.PlayingNow != "1 person playing now" {
		t.Errorf("offered the computer: %+v", v)
	}

	// Paired: yellow, in another match.
	s.Apply(protocol.Started{Watch: "W2", Mode: protocol.Quick, Player: connect4.Yellow, Token: "T2"})
	s.Apply(protocol.Snapshot{Moves: []int{}})
	s.Apply(online(connect4.Red))
	v = s.View()
	if v.Seeking || v.Role != "You are yellow" || v.Status != "Red to play" || v.Home != "Leave game" || v.Invite || !v.Share || s.Token() != "T2" {
		t.Fatalf("paired: %+v, token %q", v, s.Token())
	}
	if q := s.Query(); q != "?game=W2" {
		t.Errorf("Query() = %q after the pairing, want the game joined", q)
	}
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3})
	if v := s.View(); v.Status != "Your turn" || !v.Playable {
		t.Fatalf("after red's move: %+v", v)
	}
	// The opponent drops out: the countdown shows, as with a friend.
	s.Apply(protocol.Presence{Player: connect4.Red, Grace: time.Minute})
	if v := s.View(); v.Presence == "" {
		t.Errorf("no presence news when the opponent left")
	}
}

// TestQuickMatchCancel checks leaving the queue: the Cancel goes out on the
// open connection and the start screen shows, also when the server's
// Cancelled comes later, or when the computer is chosen instead.
func TestQuickMatchCancel(t *testing.T) {
	t0 := time.UnixMilli(1_764_667_200_000)
	s := seekingPage(t, t0)
	cmd, ok := s.CancelSeek()
	if !ok || encode(t, cmd) != `{"type":"cancel"}` {
		t.Fatalf("CancelSeek() = %v, %v", cmd, ok)
	}
	if v := s.View(); !v.Start || s.Token() != "" {
		t.Errorf("after the cancel: start %v, token %q", v.Start, s.Token())
	}
	if _, ok := s.CancelSeek(); ok {
		t.Error("a second CancelSeek sends again")
	}
	s.Apply(protocol.Cancelled{})
	if v := s.View(); !v.Start {
		t.Error("the late Cancelled left the start screen")
	}

	s = seekingPage(t, t0)
	cmd, ok = s.PlayComputerInstead()
	if !ok || encode(t, cmd) != `{"type":"cancel"}` {
		t.Fatalf("PlayComputerInstead() = %v, %v", cmd, ok)
	}
	if got := encode(t, s.Opened()); got != `{"type":"init","mode":"computer","level":"medium","player":"red","version":4}` {
		t.Errorf("then sends %s", got)
	}

	// Not open yet: nothing to send, the start screen all the same.
	fresh := New(Page{Base: base})
	s = &fresh
	s.Start(protocol.Quick)
	if _, ok := s.CancelSeek(); ok || !s.View().Start {
		t.Errorf("cancel before the connection opened: sends %v, start %v", ok, s.View().Start)
	}
}

// TestLobby checks the start screen's list of games being played.
func TestLobby(t *testing.T) {
	s := New(Page{Base: base})
	if !s.WantsLobby() {
		t.Fatal("the start screen wants no lobby")
	}
	if v := s.View(); v.LobbyPlaying != "" || v.Lobby[0] != (LiveLink{}) {
		t.Errorf("before the server said: %+v", v)
	}
	games := []protocol.LiveGame{{Watch: "A b", Moves: 9}, {Watch: "B", Moves: 1}, {Watch: "C", Moves: 0}}
	for i := range 10 {
		games = append(games, protocol.LiveGame{Watch: "X" + string(rune('0'+i)), Moves: 0})
	}
	s.SetLobby(protocol.Lobby{Playing: 12, Games: games})
	v := s.View()
	want := [MaxLobby]LiveLink{{"?watch=A+b", "A game, 9 moves in"}, {"?watch=B", "A game, 1 move in"}, {"?watch=C", "A game just begun"}}
	for i := 3; i < MaxLobby; i++ {
		want[i] = LiveLink{"?watch=X" + string(rune('0'+i-3)), "A game just begun"}
	}
	if v.Lobby != want || v.LobbyPlaying != "12 people playing now" {
		t.Errorf("lobby: %+v %q", v.Lobby, v.LobbyPlaying)
	}
	s.Start(protocol.HotSeat)
	if s.WantsLobby() || s.View().LobbyPlaying != "" {
		t.Error("a game wants the lobby")
	}
	s.Home()
	if v := s.View(); v.LobbyPlaying != "12 people playing now" {
		t.Errorf("back on the start screen, the lobby is gone: %+v", v)
	}
}

// TestLobbyFailed checks that the start screen says that the server cannot
// be reached while its lobby cannot be fetched, beside any other note, and
// no longer once it can; and says nothing of a server elsewhere, whose
// lobby may refuse the page's site.
func TestLobbyFailed(t *testing.T) {
	s := New(Page{Base: base})
	s.SetLobby(protocol.Lobby{Playing: 2, Games: []protocol.LiveGame{{Watch: "A", Moves: 3}}})
	s.LobbyFailed()
	if v := s.View(); v.StartNote != unreachableText || v.LobbyPlaying != "" || v.Lobby[0] != (LiveLink{}) {
		t.Errorf("the server gone: note %q, lobby %q %+v", v.StartNote, v.LobbyPlaying, v.Lobby[0])
	}
	// Through a game and back, the note stays until the lobby answers.
	s.Start(protocol.HotSeat)
	if v := s.View(); v.StartNote != "" {
		t.Errorf("in a game: note %q", v.StartNote)
	}
	s.Home()
	if v := s.View(); v.StartNote != unreachableText {
		t.Errorf("back on the start screen: note %q", v.StartNote)
	}
	s.SetLobby(protocol.Lobby{Playing: 2})
	if v := s.View(); v.StartNote != "" || v.LobbyPlaying != "2 people playing now" {
		t.Errorf("the server back: note %q, lobby %q", v.StartNote, v.LobbyPlaying)
	}

	elsewhere := New(Page{Base: base, Server: "wss://game.example.com/"})
	elsewhere.LobbyFailed()
	if v := elsewhere.View(); v.StartNote != "" {
		t.Errorf("a server elsewhere: note %q", v.StartNote)
	}
}
