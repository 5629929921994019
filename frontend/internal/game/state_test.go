package game

import (
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// plays returns the events the server sends for the moves in columns, from the
// empty board with the players alternating from Red: a Played for each move,
// as the server's referee computes it.
func plays(t *testing.T, columns ...int) []protocol.Event {
	t.Helper()
	var g connect4.Game
	var events []protocol.Event
	for _, c := range columns {
		m, err := g.Play(g.Turn(), c)
		if err != nil {
			t.Fatalf("column %d: %v", c, err)
		}
		events = append(events, protocol.Played{Player: m.Player, Column: m.Column, Row: m.Row})
	}
	return events
}

// then returns events followed by more.
func then(events []protocol.Event, more ...protocol.Event) []protocol.Event {
	return append(events[:len(events):len(events)], more...)
}

// Keys of the games in the tests.
const (
	base  = "https://c4.example/"
	token = "tok"
	join  = "J0IN"
	watch = "W4TCH"
)

// opened returns the State of a hot-seat game that the server started, with
// events applied.
func opened(events []protocol.Event) *State {
	s := new(State)
	s.Start(protocol.HotSeat)
	s.Connecting()
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	for _, e := range events {
		s.Apply(e)
	}
	return s
}

// seated returns the State of a page that holds the seat of player in a game
// between two browsers, with events applied: red started the game, yellow
// joined it.
func seated(player connect4.Player, events ...protocol.Event) *State {
	started := protocol.Started{Watch: watch, Mode: protocol.Friends, Player: player, Token: token}
	var s State
	if player == connect4.Red {
		s = New(Page{Base: base})
		s.Start(protocol.Friends)
		started.Join = join
	} else {
		s = New(Page{Base: base, Query: "?join=" + join})
	}
	s.Connecting()
	s.Opened()
	s.Apply(started)
	for _, e := range events {
		s.Apply(e)
	}
	return &s
}

// watching returns the State of a spectator's page, with events applied.
func watching(events ...protocol.Event) *State {
	s := New(Page{Base: base, Query: "?watch=" + watch})
	s.Connecting()
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends})
	for _, e := range events {
		s.Apply(e)
	}
	return &s
}

// online returns the Presence of a player who is at the table.
func online(p connect4.Player) protocol.Presence {
	return protocol.Presence{Player: p, Online: true}
}

// line returns four cells from (column, row) in the direction (dc, dr).
func line(column, row, dc, dr int) [4]connect4.Cell {
	var cells [4]connect4.Cell
	for i := range cells {
		cells[i] = connect4.Cell{Column: column + i*dc, Row: row + i*dr}
	}
	return cells
}

// drawn is a whole game without four in a row.
var drawn = []int{2, 5, 3, 5, 6, 3, 5, 6, 5, 0, 0, 2, 4, 2, 5, 5, 4, 4, 3, 2, 6, 6, 4, 0, 2, 6, 2, 0, 3, 1, 0, 4, 0, 6, 1, 3, 4, 3, 1, 1, 1, 1}

// TestView applies the server's events to an open connection, with the pointer
// over a column, and checks what the page shows. The boards use View.String:
// "r" and "y" are previews, "*" the winning checkers.
func TestView(t *testing.T) {
	tests := []struct {
		name     string
		events   []protocol.Event
		hover    int
		board    string
		status   string
		kind     Kind
		player   connect4.Player
		playable bool
		notice   string
	}{
		{
			name:  "new game",
			hover: -1,
			board: `
.......
.......
.......
.......
.......
.......`,
			status: "Red to play", kind: KindTurn, player: connect4.Red, playable: true,
		},
		{
			name:  "preview at the bottom",
			hover: 0,
			board: `
.......
.......
.......
.......
.......
r......`,
			status: "Red to play", kind: KindTurn, player: connect4.Red, playable: true,
		},
		{
			name:   "preview on top of a checker, in the next player's colour",
			events: plays(t, 3),
			hover:  3,
			board: `
.......
.......
.......
.......
...y...
...R...`,
			status: "Yellow to play", kind: KindTurn, player: connect4.Yellow, playable: true,
		},
		{
			name:   "no preview in a full column",
			events: plays(t, 0, 0, 0, 0, 0, 0),
			hover:  0,
			board: `
Y......
R......
Y......
R......
Y......
R......`,
			status: "Red to play", kind: KindTurn, player: connect4.Red, playable: true,
		},
		{
			name:   "no preview off the board",
			events: plays(t, 6),
			hover:  7,
			board: `
.......
.......
.......
.......
.......
......R`,
			status: "Yellow to play", kind: KindTurn, player: connect4.Yellow, playable: true,
		},
		{
			name:   "vertical win, no preview after it",
			events: then(plays(t, 3, 4, 3, 4, 3, 4, 3), protocol.Win{Player: connect4.Red, Cells: line(3, 0, 0, 1)}),
			hover:  2,
			board: `
.......
.......
...*...
...*Y..
...*Y..
...*Y..`,
			status: "Red wins!", kind: KindWin, player: connect4.Red,
		},
		{
			name:   "diagonal win",
			events: then(plays(t, 0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3), protocol.Win{Player: connect4.Red, Cells: line(0, 0, 1, 1)}),
			hover:  -1,
			board: `
.......
.......
...*...
..*R...
.*RY...
*YYY..Y`,
			status: "Red wins!", kind: KindWin, player: connect4.Red,
		},
		{
			name:   "the tutorial's win has no cells: the mirror finds them",
			events: then(plays(t, 0, 1, 0, 2, 6, 3, 6, 4), protocol.Win{Player: connect4.Yellow}),
			hover:  -1,
			board: `
.......
.......
.......
.......
R.....R
R****.R`,
			status: "Yellow wins!", kind: KindWin, player: connect4.Yellow,
		},
		{
			name:   "the mirror sees the win before the server's Win arrives",
			events: plays(t, 0, 6, 1, 6, 2, 6, 3),
			hover:  4,
			board: `
.......
.......
.......
......Y
......Y
****..Y`,
			status: "Red wins!", kind: KindWin, player: connect4.Red,
		},
		{
			name:   "draw",
			events: then(plays(t, drawn...), protocol.Draw{}),
			hover:  1,
			board: `
RYRYRYY
RRRYYRY
YYYRRRY
YRYRYRR
RRYYRYY
YYRRRYR`,
			status: "It's a draw!", kind: KindDraw,
		},
		{
			name:   "the server refuses a move: its error shows beside the turn",
			events: then(plays(t, 0, 0, 0, 0, 0, 0), protocol.Error{Message: "This slot is full."}),
			hover:  1,
			board: `
Y......
R......
Y......
R......
Y......
Rr.....`,
			status: "Red to play", kind: KindTurn, player: connect4.Red, playable: true, notice: "This slot is full.",
		},
		{
			name:   "the next move clears the error",
			events: then(plays(t, 3), protocol.Error{Message: "It isn't your turn."}, protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1}),
			hover:  -1,
			board: `
.......
.......
.......
.......
...Y...
...R...`,
			status: "Red to play", kind: KindTurn, player: connect4.Red, playable: true,
		},
		{
			name:   "an error after the end shows beside the result",
			events: then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: connect4.Red}, protocol.Error{Message: "The game is over."}),
			hover:  -1,
			board: `
.......
.......
.......
......Y
......Y
****..Y`,
			status: "Red wins!", kind: KindWin, player: connect4.Red, notice: "The game is over.",
		},
		{
			name:   "out of sync: the checker lands on another row",
			events: then(plays(t, 3), protocol.Played{Player: connect4.Yellow, Column: 3, Row: 0}),
			hover:  3,
			board: `
.......
.......
.......
.......
...Y...
...R...`,
			status: desyncText, kind: KindError,
		},
		{
			name:   "out of sync: a move after the end",
			events: then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Played{Player: connect4.Yellow, Column: 5, Row: 0}),
			hover:  -1,
			board: `
.......
.......
.......
......Y
......Y
****..Y`,
			status: desyncText, kind: KindError,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := opened(tt.events)
			s.Hover(tt.hover)
			v := s.View()
			if got, want := strings.TrimSpace(v.String()), strings.TrimSpace(tt.board); got != want {
				t.Errorf("board:\n%s\nwant:\n%s", got, want)
			}
			if v.Status != tt.status || v.Kind != tt.kind || v.Player != tt.player {
				t.Errorf("status = %q, %v, %v; want %q, %v, %v", v.Status, v.Kind, v.Player, tt.status, tt.kind, tt.player)
			}
			if v.Playable != tt.playable {
				t.Errorf("Playable = %v, want %v", v.Playable, tt.playable)
			}
			if v.Notice != tt.notice {
				t.Errorf("Notice = %q, want %q", v.Notice, tt.notice)
			}
			if v.Connection != "" {
				t.Errorf("Connection = %q on an open connection", v.Connection)
			}
		})
	}
}

func TestOutOfSyncWrongPlayer(t *testing.T) {
	s := opened(plays(t, 3))
	s.Apply(protocol.Played{Player: connect4.Red, Column: 4, Row: 0})
	if v := s.View(); v.Status != desyncText || v.Playable {
		t.Errorf("after red plays twice: status %q, playable %v; want %q, false", v.Status, v.Playable, desyncText)
	}
	if _, ok := s.Click(4); ok {
		t.Error("Click sends a move while out of sync")
	}
}

func TestLastMove(t *testing.T) {
	s := opened(plays(t, 3, 4, 4))
	v := s.View()
	for c := range connect4.Columns {
		for r := range connect4.Rows {
			want := c == 4 && r == 1
			if v.Cells[c][r].Last != want {
				t.Errorf("cell (%d, %d): Last = %v, want %v", c, r, v.Cells[c][r].Last, want)
			}
		}
	}
	if v := new(State).View(); v.Cells[0][0].Last {
		t.Error("a new game has a last move")
	}
}

func TestErrorExpiry(t *testing.T) {
	s := opened(plays(t, 3))
	first := s.Apply(protocol.Error{Message: "It isn't your turn."})
	if first == 0 {
		t.Fatal("Apply(Error) returned sequence number 0")
	}
	if seq := s.Apply(protocol.Played{Player: connect4.Yellow, Column: 2, Row: 0}); seq != 0 {
		t.Errorf("Apply(Played) = %d, want 0", seq)
	}
	second := s.Apply(protocol.Error{Message: "This slot is full."})
	third := s.ShowError("The server sent a message this page cannot read.")
	if !(first < second && second < third) {
		t.Fatalf("sequence numbers %d, %d, %d do not increase", first, second, third)
	}

	steps := []struct {
		expire uint64
		notice string
	}{
		{first, "The server sent a message this page cannot read."},
		{second, "The server sent a message this page cannot read."}, // replaced: its expiry does nothing
		{third, ""},
		{third, ""},
	}
	for _, step := range steps {
		s.Expire(step.expire)
		if v := s.View(); v.Notice != step.notice || v.Status != "Red to play" {
			t.Errorf("after Expire(%d): notice %q, status %q; want %q beside Red to play", step.expire, v.Notice, v.Status, step.notice)
		}
	}

	// Numbers keep counting across games and screens, so that an old timer
	// cannot clear a new error.
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	s.Home()
	s.Start(protocol.HotSeat)
	fourth := s.SendFailed()
	s.Expire(third)
	if fourth <= third || s.View().Notice != sendFailed {
		t.Errorf("after a new game: seq %d (previous %d), notice %q; want a larger seq and %q", fourth, third, s.View().Notice, sendFailed)
	}
}

func TestClick(t *testing.T) {
	tests := []struct {
		name   string
		state  func() *State
		column int
		want   protocol.Command
	}{
		{"open", func() *State { return opened(nil) }, 3, protocol.Play{Column: 3}},
		{"leftmost", func() *State { return opened(nil) }, 0, protocol.Play{Column: 0}},
		{"rightmost", func() *State { return opened(nil) }, 6, protocol.Play{Column: 6}},
		{"full column: not offered", func() *State { return opened(plays(t, 5, 5, 5, 5, 5, 5)) }, 5, nil},
		{"while an error shows", func() *State {
			s := opened(nil)
			s.ShowError("Oops.")
			return s
		}, 2, protocol.Play{Column: 2}},
		{"off the board", func() *State { return opened(nil) }, 7, nil},
		{"none", func() *State { return opened(nil) }, -1, nil},
		{"start screen", func() *State { return new(State) }, 3, nil},
		{"connecting", func() *State {
			s := new(State)
			s.Start(protocol.HotSeat)
			s.Connecting()
			return s
		}, 3, nil},
		{"open, not started yet", func() *State {
			s := new(State)
			s.Start(protocol.HotSeat)
			s.Opened()
			return s
		}, 3, nil},
		{"lost", func() *State {
			s := opened(nil)
			s.Lost(time.Second)
			return s
		}, 3, nil},
		{"won", func() *State { return opened(then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: connect4.Red})) }, 4, nil},
		{"drawn", func() *State { return opened(then(plays(t, drawn...), protocol.Draw{})) }, 4, nil},
		{"the server says it is won", func() *State { return opened([]protocol.Event{protocol.Win{Player: connect4.Yellow}}) }, 4, nil},
		{"the server says it is drawn", func() *State { return opened([]protocol.Event{protocol.Draw{}}) }, 4, nil},
	}
	for _, tt := range tests {
		got, ok := tt.state().Click(tt.column)
		if got != tt.want || ok != (tt.want != nil) {
			t.Errorf("%s: Click(%d) = %#v, %v; want %#v", tt.name, tt.column, got, ok, tt.want)
		}
	}
}

func TestHoverWhileNotPlayable(t *testing.T) {
	s := new(State)
	s.Hover(3)
	s.Start(protocol.HotSeat)
	s.Connecting()
	if v := s.View(); v.Cells[3][0].Preview != connect4.NoPlayer {
		t.Error("preview while connecting")
	}
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	if v := s.View(); v.Cells[3][0].Preview != connect4.Red {
		t.Error("no preview once started")
	}
	s.Lost(time.Second)
	if v := s.View(); v.Cells[3][0].Preview != connect4.NoPlayer || v.Playable {
		t.Errorf("preview %v, playable %v after the connection dropped", v.Cells[3][0].Preview, v.Playable)
	}
}

// TestConnection walks through the life of the connection.
func TestConnection(t *testing.T) {
	var s State
	started := func() { s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token}) }
	steps := []struct {
		do         func()
		connection string
		playable   bool
	}{
		{func() {}, "", false}, // the start screen needs no connection
		{func() { s.Start(protocol.HotSeat) }, "Connecting…", false},
		{s.Connecting, "Connecting…", false},
		{func() { s.Lost(time.Second) }, "Cannot reach the server. Retrying in 1 s…", false},
		{s.Connecting, "Reconnecting…", false},
		{func() { s.Opened() }, "", false},
		{started, "", true},
		{func() { s.Lost(2 * time.Second) }, "Connection lost. Reconnecting in 2 s…", false},
		{func() { s.Lost(1500 * time.Millisecond) }, "Connection lost. Reconnecting in 2 s…", false},
		{func() { s.Lost(time.Second) }, "Connection lost. Reconnecting in 1 s…", false},
		{func() { s.Lost(time.Millisecond) }, "Connection lost. Reconnecting in 1 s…", false},
		{func() { s.Lost(0) }, "Connection lost. Reconnecting…", false},
		{s.Connecting, "Reconnecting…", false},
		{func() { s.Lost(10 * time.Second) }, "Cannot reach the server. Retrying in 10 s…", false},
		{func() { s.Lost(0) }, "Cannot reach the server. Retrying…", false},
		{s.Connecting, "Reconnecting…", false},
		{func() { s.Opened() }, "", false}, // until the server lets the page back in
		{started, "", true},
		{s.Home, "", false},
		{func() { s.Start(protocol.Friends) }, "Connecting…", false},
	}
	for i, step := range steps {
		step.do()
		if v := s.View(); v.Connection != step.connection || v.Playable != step.playable {
			t.Errorf("step %d: connection %q, playable %v; want %q, %v", i, v.Connection, v.Playable, step.connection, step.playable)
		}
	}
}

// TestStartedResets checks that a Started begins a new game on an empty
// board, whatever the last one left.
func TestStartedResets(t *testing.T) {
	for name, events := range map[string][]protocol.Event{
		"won":         then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: connect4.Red}),
		"drawn":       then(plays(t, drawn...), protocol.Draw{}),
		"error":       then(plays(t, 0), protocol.Error{Message: "Oops."}),
		"in progress": plays(t, 0, 1, 2),
		"out of sync": {protocol.Played{Player: connect4.Yellow, Column: 0, Row: 0}},
	} {
		s := opened(events)
		cmd, ok := s.Rematch()
		if v := s.View(); !ok && v.Confirm != "" {
			// A game in progress: the page asks first.
			cmd, ok = s.Answer(true)
		}
		if cmd != (protocol.Rematch{}) || !ok {
			t.Errorf("%s: the New game button sends %#v, %v; want a Rematch", name, cmd, ok)
		}
		s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
		s.Expire(1) // the error, if any
		if got, want := quiet(s.View()), quiet(opened(nil).View()); got != want {
			t.Errorf("%s: after a new Started:\n%v%+v\nwant:\n%v%+v", name, got, got, want, want)
		}
	}
}

func TestCellClass(t *testing.T) {
	tests := []struct {
		cell Cell
		want string
	}{
		{Cell{}, "cell empty"},
		{Cell{Checker: connect4.Red}, "cell red"},
		{Cell{Checker: connect4.Yellow, Last: true}, "cell yellow last"},
		{Cell{Checker: connect4.Red, Win: true, Last: true}, "cell red win last"},
		{Cell{Preview: connect4.Yellow}, "cell empty preview preview-yellow"},
	}
	for _, tt := range tests {
		if got := tt.cell.Class(); got != tt.want {
			t.Errorf("%+v.Class() = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestStatusClass(t *testing.T) {
	tests := []struct {
		view View
		want string
	}{
		{View{Kind: KindTurn, Player: connect4.Yellow}, "status turn yellow"},
		{View{Kind: KindTurn, Player: connect4.Red, You: true}, "status turn red you"},
		{View{Kind: KindWin, Player: connect4.Red}, "status win red"},
		{View{Kind: KindDraw}, "status draw"},
		{View{Kind: KindError}, "status error"},
		{View{Kind: KindInfo}, "status info"},
		{View{Kind: KindLeft, Player: connect4.Yellow}, "status left yellow"},
	}
	for _, tt := range tests {
		if got := tt.view.StatusClass(); got != tt.want {
			t.Errorf("StatusClass() of kind %v, player %v = %q, want %q", tt.view.Kind, tt.view.Player, got, tt.want)
		}
	}
	if got := Kind(42).String(); got != "Kind(42)" {
		t.Errorf("Kind(42).String() = %q", got)
	}
	for _, tt := range []struct {
		view View
		want string
	}{
		{View{RolePlayer: connect4.Red}, "role red"},
		{View{RolePlayer: connect4.Yellow}, "role yellow"},
		{View{}, "role spectator"},
	} {
		if got := tt.view.RoleClass(); got != tt.want {
			t.Errorf("RoleClass() of %v = %q, want %q", tt.view.RolePlayer, got, tt.want)
		}
	}
}

// TestDoubleClick checks that a second click waits for the server's answer
// to the first, so that a double click is not taken for two moves.
func TestDoubleClick(t *testing.T) {
	s := opened(nil)
	if _, ok := s.Click(3); !ok {
		t.Fatal("the first click sends nothing")
	}
	if cmd, ok := s.Click(3); ok {
		t.Errorf("the second click sends %#v before the server answered", cmd)
	}
	if v := s.View(); v.Playable {
		t.Error("playable while a move is on its way")
	}
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3, Row: 0})
	if _, ok := s.Click(3); !ok {
		t.Error("no click after the server played the move")
	}
	s.Apply(protocol.Error{Message: "This slot is full."})
	if _, ok := s.Click(4); !ok {
		t.Error("no click after the server refused the move")
	}
	s.Lost(time.Second)
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3, Row: 0}) // the replay
	if _, ok := s.Click(4); !ok {
		t.Error("no click after reconnecting")
	}
}

// TestClosedFinal checks which closes the page reconnects after, and which
// it shows and stops at, since the server would close it the same way again.
func TestClosedFinal(t *testing.T) {
	for _, tt := range []struct {
		code      int
		reason    string
		reconnect bool
	}{
		{1000, "You took your seat back in another window.", false},
		{1001, "The server is shutting down.", true},
		{1006, "", true},
		{1008, "Too slow: the client stopped reading.", true},
		{1008, "Too many messages.", false},
		{1009, "Message too big: the limit is 512 bytes.", false},
	} {
		s := seated(connect4.Red)
		if got := s.Closed(tt.code, tt.reason); got != tt.reconnect {
			t.Errorf("Closed(%d, %q) = %v, want %v", tt.code, tt.reason, got, tt.reconnect)
		}
		if v := s.View(); !tt.reconnect && !strings.Contains(v.Status+v.Connection+v.Retake, tt.reason) {
			t.Errorf("after %d %q the page shows %q / %q", tt.code, tt.reason, v.Status, v.Connection)
		}
	}
}

// quiet returns v without its announcements, which tell how the page got
// there: two pages may look the same after different news.
func quiet(v View) View {
	v.News, v.NewsCount = [NewsKept]string{}, 0
	return v
}
