package game

import (
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// said returns the announcements made since the page had made before of
// them, oldest first.
func said(v View, before uint64) []string {
	n := min(int(v.NewsCount-before), NewsKept)
	return v.News[NewsKept-n:]
}

// TestAnnouncements checks what the live region says after each event: every
// move with whose turn it is, the result and the winning four, presence,
// and a replay in one summary.
func TestAnnouncements(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	tests := []struct {
		name  string
		state *State
		then  []protocol.Event
		want  []string
	}{
		{"a move on a shared screen", opened(nil), plays(t, 3),
			[]string{"Red played column 4, row 1. Yellow to play"}},
		{"the second checker in a column", opened(plays(t, 3)), plays(t, 3, 3)[1:],
			[]string{"Yellow played column 4, row 2. Red to play"}},
		{"the opponent's move: your turn", seated(yellow, online(red)), plays(t, 3),
			[]string{"Red played column 4, row 1. Your turn"}},
		{"a win, and its four in a column", opened(plays(t, 0, 1, 0, 1, 0, 1)),
			[]protocol.Event{protocol.Played{Player: red, Column: 0, Row: 3}, protocol.Win{Player: red, Cells: line(0, 0, 0, 1)}},
			[]string{"Red played column 1, row 4. Red wins!", "Winning four: column 1, rows 1 to 4."}},
		{"a win in a row", opened(plays(t, 0, 0, 1, 1, 2, 2)),
			[]protocol.Event{protocol.Played{Player: red, Column: 3, Row: 0}, protocol.Win{Player: red, Cells: line(0, 0, 1, 0)}},
			[]string{"Red played column 4, row 1. Red wins!", "Winning four: row 1, columns 1 to 4."}},
		{"a diagonal win told by the tutorial's server, without cells", opened(plays(t, 0, 1, 1, 2, 2, 3, 2, 3, 3, 6)),
			[]protocol.Event{protocol.Played{Player: red, Column: 3, Row: 3}, protocol.Win{Player: red}},
			[]string{"Red played column 4, row 4. Red wins!", "Winning four: a diagonal from column 1, row 1 to column 4, row 4."}},
		{"you win", seated(red, then(plays(t, 0, 1, 0, 1, 0, 1), online(yellow))...),
			[]protocol.Event{protocol.Played{Player: red, Column: 0, Row: 3}},
			[]string{"Red played column 1, row 4. You win!"}},
		{"a draw", opened(plays(t, drawn[:41]...)),
			then(plays(t, drawn...)[41:], protocol.Draw{}),
			[]string{"Yellow played column 2, row 6. It's a draw!"}},
		{"the opponent joins", seated(red), []protocol.Event{online(yellow)},
			[]string{"Yellow joined."}},
		{"the opponent drops", seated(red, online(yellow)), []protocol.Event{protocol.Presence{Player: yellow, Grace: time.Minute}},
			[]string{"Yellow lost their connection: their seat is held for 60 s."}},
		{"the opponent is back", seated(red, online(yellow), protocol.Presence{Player: yellow, Grace: time.Minute}), []protocol.Event{online(yellow)},
			[]string{"Yellow is back."}},
		{"the opponent left", seated(red, then(plays(t, 3), online(yellow))...), []protocol.Event{protocol.Abandoned{Player: yellow}},
			[]string{"Yellow left the game."}},
		{"a rematch offer", seated(red, then(plays(t, 0, 1, 0, 1, 0, 1, 0), online(yellow))...), []protocol.Event{protocol.RematchOffer{Player: yellow}},
			[]string{"Yellow wants a rematch"}},
		{"a refusal", seated(red, online(yellow)), []protocol.Event{protocol.Error{Message: "It isn't your turn."}},
			[]string{"It isn't your turn."}},
		{"a spectator's replay: one summary", watching(), []protocol.Event{protocol.Snapshot{Moves: []int{3, 3, 4, 2, 0}}},
			[]string{"You are watching. 5 moves so far, 3 red and 2 yellow; the last: Red played column 1, row 1. Yellow to play"}},
		{"a finished game's replay", watching(), []protocol.Event{protocol.Snapshot{Moves: []int{0, 1, 0, 1, 0, 1, 0}}, protocol.Win{Player: red, Cells: line(0, 0, 0, 1)}},
			[]string{"You are watching. 7 moves so far, 4 red and 3 yellow; the last: Red played column 1, row 4. Red wins! Winning four: column 1, rows 1 to 4."}},
		{"a new game's replay", watching(), []protocol.Event{protocol.Snapshot{}}, []string{"You are watching. New game. Red to play"}},
		{"a rematch", seated(red, then(plays(t, 0, 1, 0, 1, 0, 1, 0), online(yellow))...),
			[]protocol.Event{protocol.Started{Watch: watch, Mode: protocol.Friends, Player: yellow, Token: token}},
			[]string{"New game. You are yellow. Red to play"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.state.View().NewsCount
			for _, e := range tt.then {
				tt.state.Apply(e)
			}
			got := said(tt.state.View(), before)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("said:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestCreated checks what the creator of a game hears: it gets no
// Snapshot.
func TestCreated(t *testing.T) {
	for _, tt := range []struct {
		state *State
		want  string
	}{
		{opened(nil), "New game. Red to play"},
		{seated(connect4.Red), "You are red. New game. Your turn"},
		{versus(connect4.Yellow), "You are yellow · against the computer (perfect). New game. The computer is thinking…"},
	} {
		if got := tt.state.View().News[NewsKept-1]; got != tt.want {
			t.Errorf("said %q, want %q", got, tt.want)
		}
	}
}

// TestComingBack checks what a player whose connection dropped hears and
// reads on coming back: never "You left".
func TestComingBack(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	var count uint64
	back := func(moves []int, after ...protocol.Event) *State {
		s := seated(yellow, then(plays(t, 3, 3, 4), online(red))...)
		count = s.View().NewsCount
		s.Lost(time.Second)
		s.Connecting()
		s.Opened()
		s.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends, Player: yellow, Token: token})
		s.Apply(protocol.Snapshot{Moves: moves})
		for _, e := range after {
			s.Apply(e)
		}
		return s
	}
	tests := []struct {
		name   string
		state  *State
		said   string
		status string
	}{
		{"nothing happened", back([]int{3, 3, 4}, online(red)),
			"Your connection dropped; you are back. No move meanwhile. Your turn", "Your turn"},
		{"the game went on", back([]int{3, 3, 4, 4, 5}, online(red)),
			"Your connection dropped; you are back. Meanwhile 2 moves; the last: Red played column 6, row 1. Your turn", "Your turn"},
		{"the seat was given up", back([]int{3, 3, 4}, protocol.Abandoned{Player: yellow}),
			droppedText, droppedText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.state.View()
			if got := v.News[NewsKept-1]; got != tt.said {
				t.Errorf("said %q, want %q", got, tt.said)
			}
			if v.Status != tt.status {
				t.Errorf("status %q, want %q", v.Status, tt.status)
			}
			for _, n := range said(v, count) {
				if strings.Contains(n, "You left") || strings.Contains(n, "joined") || strings.Contains(n, "New game") {
					t.Errorf("said %q", n)
				}
			}
		})
	}
}

func TestColumnLabels(t *testing.T) {
	tests := []struct {
		name  string
		moves []int
		want  [connect4.Columns]string
	}{
		{"empty", nil, [connect4.Columns]string{
			"Column 1: empty", "Column 2: empty", "Column 3: empty", "Column 4: empty",
			"Column 5: empty", "Column 6: empty", "Column 7: empty"}},
		{"bottom to top, free and full", []int{3, 3, 3, 0, 0, 0, 0, 0},
			[connect4.Columns]string{
				"Column 1: yellow, red, yellow, red, yellow; 1 free", "Column 2: empty", "Column 3: empty",
				"Column 4: red, yellow, red; 3 free", "Column 5: empty", "Column 6: empty", "Column 7: empty"}},
		{"full", []int{6, 6, 6, 6, 6, 6}, [connect4.Columns]string{
			"Column 1: empty", "Column 2: empty", "Column 3: empty", "Column 4: empty",
			"Column 5: empty", "Column 6: empty", "Column 7: red, yellow, red, yellow, red, yellow; full"}},
		{"the winning four", []int{0, 1, 0, 1, 0, 1, 0}, [connect4.Columns]string{
			"Column 1: red (winning), red (winning), red (winning), red (winning); 2 free", "Column 2: yellow, yellow, yellow; 3 free",
			"Column 3: empty", "Column 4: empty", "Column 5: empty", "Column 6: empty", "Column 7: empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := opened(plays(t, tt.moves...)).View()
			for c := range connect4.Columns {
				if v.Labels[c] != tt.want[c] {
					t.Errorf("column %d: %q, want %q", c, v.Labels[c], tt.want[c])
				}
				if full := strings.HasSuffix(tt.want[c], "full"); v.Full[c] != full {
					t.Errorf("column %d: Full %v, want %v", c, v.Full[c], full)
				}
			}
		})
	}
}

// TestOffline checks the page while it cannot reach the game it shows: the
// board is off and says so, a click says it was not sent, no countdown of
// the opponent runs, and the page says once that it is offline.
func TestOffline(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	s := seated(red, online(yellow))
	s.Tick(t0)
	s.Apply(protocol.Presence{Player: yellow, Grace: time.Minute})
	if v := s.View(); v.Presence == "" || v.Offline {
		t.Fatalf("online: presence %q, offline %v", v.Presence, v.Offline)
	}
	count := s.View().NewsCount
	s.Lost(time.Second)
	s.Lost(500 * time.Millisecond) // the countdown: no news
	s.Connecting()
	s.Lost(2 * time.Second)
	v := s.View()
	if !v.Offline || v.Status != offlineText || v.Kind != KindInfo || v.Playable {
		t.Errorf("offline %v, status %q (%v), playable %v", v.Offline, v.Status, v.Kind, v.Playable)
	}
	if v.Presence != "" {
		t.Errorf("presence %q while offline, want none", v.Presence)
	}
	if _, ok := s.NextChange(); ok {
		t.Error("a countdown runs while offline")
	}
	if got := said(v, count); len(got) != 1 || got[0] != offlineText+"." {
		t.Errorf("said %q, want %q once", got, offlineText+".")
	}
	if cmd, ok := s.Click(2); ok {
		t.Errorf("Click(2) = %#v while offline", cmd)
	}
	if v := s.View(); v.Notice != notSentText || s.ErrorSeq() == 0 {
		t.Errorf("notice %q (seq %d), want %q", v.Notice, s.ErrorSeq(), notSentText)
	}
	// Back in: the board is on again.
	s.Connecting()
	s.Opened()
	if !s.View().Offline {
		t.Error("online before the server let the page back in")
	}
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends, Player: red, Token: token})
	s.Apply(protocol.Snapshot{})
	s.Apply(online(yellow))
	if v := s.View(); v.Offline || !v.Playable || v.Status != "Your turn" {
		t.Errorf("back: offline %v, playable %v, status %q", v.Offline, v.Playable, v.Status)
	}

	// A closure worth reconnecting after is offline at once.
	c := opened(plays(t, 3))
	c.Closed(1001, "going away")
	if v := c.View(); !v.Offline || v.Status != offlineText {
		t.Errorf("after 1001: offline %v, status %q", v.Offline, v.Status)
	}
	// The start screen is never offline.
	n := New(Page{Base: base})
	n.Lost(time.Second)
	if n.View().Offline {
		t.Error("the start screen is offline")
	}
}

// TestFullColumn checks that a full column is not offered, and that a click
// on it is refused beside the turn line.
func TestFullColumn(t *testing.T) {
	s := opened(plays(t, 5, 5, 5, 5, 5, 5))
	s.Hover(5)
	v := s.View()
	if !v.Full[5] || v.Full[4] || strings.ContainsAny(v.String(), "ry") {
		t.Errorf("full %v, board\n%v", v.Full, v)
	}
	if cmd, ok := s.Click(5); ok {
		t.Errorf("Click(5) = %#v", cmd)
	}
	v = s.View()
	if v.Status != "Red to play" || v.Notice != "Column 6 is full: choose another." || !v.Playable {
		t.Errorf("status %q, notice %q, playable %v", v.Status, v.Notice, v.Playable)
	}
	if v.News[NewsKept-1] != v.Notice {
		t.Errorf("said %q, want the notice", v.News[NewsKept-1])
	}
}

// TestConfirm checks that leaving or restarting a game in progress asks
// first, and that nothing else does.
func TestConfirm(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	tests := []struct {
		name    string
		state   *State
		leave   bool // Leave asks
		restart bool // Rematch asks
	}{
		{"hot-seat in progress", opened(plays(t, 3)), true, true},
		{"hot-seat, no move yet", opened(nil), false, false},
		{"hot-seat won", opened(plays(t, 0, 1, 0, 1, 0, 1, 0)), false, false},
		{"friends in progress", seated(red, then(plays(t, 3), online(yellow))...), true, false},
		{"spectator", watching(plays(t, 3)...), false, false},
		{"computer in progress", versus(red, plays(t, 3, 3)...), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := *tt.state
			s.Leave()
			v := s.View()
			if (v.Confirm != "") != tt.leave || v.Start == tt.leave {
				t.Errorf("Leave: asks %q, start screen %v", v.Confirm, v.Start)
			}
			if tt.leave {
				if _, ok := s.Answer(false); ok || s.View().Confirm != "" || s.View().Start {
					t.Error("Answer(false) did not keep the game")
				}
				s.Leave()
				s.Answer(true)
				if !s.View().Start {
					t.Error("Answer(true) did not leave")
				}
			}
			r := *tt.state
			r.Rematch()
			if asks := r.View().Confirm != ""; asks != tt.restart {
				t.Errorf("Rematch asks %q", r.View().Confirm)
			}
		})
	}
}

// TestKeyboard checks the board's one column that takes the keyboard.
func TestKeyboard(t *testing.T) {
	s := New(Page{Base: base})
	if c := s.View().Cursor; c != 3 {
		t.Errorf("Cursor %d at first, want the middle column", c)
	}
	for _, step := range []struct{ delta, want int }{{-1, 2}, {-5, 0}, {1, 1}, {10, 6}} {
		s.Step(step.delta)
		if c := s.View().Cursor; c != step.want {
			t.Errorf("Step(%d): Cursor %d, want %d", step.delta, c, step.want)
		}
	}
	s.Aim(2)
	s.Aim(9)
	s.Start(protocol.HotSeat)
	if c := s.View().Cursor; c != 2 {
		t.Errorf("Cursor %d after Aim(2) and a new game, want 2", c)
	}
	s.Click(5)
	if c := s.View().Cursor; c != 5 {
		t.Errorf("Cursor %d after Click(5), want 5", c)
	}
}

// TestInviteFolds checks that the invitation folds after the first move and
// that no rematch is offered after an abandon.
func TestInviteFolds(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	if v := seated(red).View(); !v.Invite || !v.InviteOpen {
		t.Errorf("before a move: invite %v, open %v", v.Invite, v.InviteOpen)
	}
	if v := seated(red, plays(t, 3)...).View(); !v.Invite || v.InviteOpen {
		t.Errorf("after a move: invite %v, open %v", v.Invite, v.InviteOpen)
	}
	v := seated(red, then(plays(t, 3, 3), online(yellow), protocol.Abandoned{Player: yellow})...).View()
	if v.Rematch != "" || v.Status != "Yellow left the game." {
		t.Errorf("after an abandon: rematch %q, status %q", v.Rematch, v.Status)
	}
}
