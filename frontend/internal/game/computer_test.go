package game

import (
	"strings"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// versus returns the State of a page that plays you against the computer at
// the perfect level, with events applied.
func versus(you connect4.Player, events ...protocol.Event) *State {
	s := New(Page{Base: base})
	s.ToggleChooser()
	s.ChooseLevel("perfect")
	s.ChooseColour(you)
	s.Start(protocol.Computer)
	s.Connecting()
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Computer, Level: "perfect", Player: you, Token: token})
	for _, e := range events {
		s.Apply(e)
	}
	return &s
}

// TestChooser checks the start screen's chooser and the Init that its Start
// sends.
func TestChooser(t *testing.T) {
	tests := []struct {
		name   string
		level  string          // "" chooses none
		colour connect4.Player // NoPlayer chooses none
		send   string
	}{
		{"defaults", "", connect4.NoPlayer, `{"type":"init","mode":"computer","level":"medium","player":"red","version":4}`},
		{"perfect, yellow", "perfect", connect4.Yellow, `{"type":"init","mode":"computer","level":"perfect","player":"yellow","version":4}`},
		{"easy, red", "easy", connect4.Red, `{"type":"init","mode":"computer","level":"easy","player":"red","version":4}`},
		{"an unknown level is ignored", "impossible", connect4.Yellow, `{"type":"init","mode":"computer","level":"medium","player":"yellow","version":4}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Page{Base: base})
			if v := s.View(); !v.Start || v.Chooser || v.Level != "medium" || v.Colour != connect4.Red {
				t.Errorf("start screen: %+v; want the chooser closed, medium, red", v)
			}
			s.ToggleChooser()
			s.ChooseLevel(tt.level)
			s.ChooseColour(tt.colour)
			v := s.View()
			want := protocol.Init{}
			if err := decodeInit(tt.send, &want); err != nil {
				t.Fatal(err)
			}
			if !v.Start || !v.Chooser || v.Level != want.Level || v.Colour != want.Player {
				t.Errorf("chooser: start %v, open %v, level %q, colour %v; want open, %q, %v", v.Start, v.Chooser, v.Level, v.Colour, want.Level, want.Player)
			}
			if _, ok := s.Dial(); ok {
				t.Error("the chooser wants a connection before Start")
			}
			s.Start(protocol.Computer)
			if _, ok := s.Dial(); !ok {
				t.Error("no connection wanted after Start")
			}
			if v := s.View(); v.Start || v.Status != "Starting a game against the computer…" || v.Kind != KindInfo {
				t.Errorf("after Start: start %v, status %q, %v", v.Start, v.Status, v.Kind)
			}
			if got := encode(t, s.Opened()); got != tt.send {
				t.Errorf("sends %s, want %s", got, tt.send)
			}
		})
	}
}

// decodeInit reads the Init of the JSON text into init.
func decodeInit(text string, init *protocol.Init) error {
	cmd, err := protocol.DecodeCommand([]byte(text))
	if err == nil {
		*init, _ = cmd.(protocol.Init)
	}
	return err
}

// TestChooserStays checks that the chooser keeps its choices, and whether it
// is open, across a game.
func TestChooserStays(t *testing.T) {
	s := versus(connect4.Yellow)
	s.Home()
	if v := s.View(); !v.Start || !v.Chooser || v.Level != "perfect" || v.Colour != connect4.Yellow {
		t.Errorf("back on the start screen: %+v", v)
	}
	s.ToggleChooser()
	if v := s.View(); v.Chooser || v.Level != "perfect" {
		t.Errorf("closed: chooser %v, level %q", v.Chooser, v.Level)
	}
	// The zero State has a chooser too.
	var z State
	z.ToggleChooser()
	if v := z.View(); !v.Chooser || v.Level != "medium" || v.Colour != connect4.Red {
		t.Errorf("zero State: %+v", v)
	}
}

// TestComputerStatus checks what a game against the computer shows, and when
// the page may play.
func TestComputerStatus(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	// The computer, red, wins in the first column; yellow wins in the last.
	redWins := then(plays(t, 0, 6, 0, 6, 0, 6, 0), protocol.Win{Player: red, Cells: line(0, 0, 0, 1)})
	yellowWins := then(plays(t, 0, 6, 0, 6, 1, 6, 1, 6), protocol.Win{Player: yellow, Cells: line(6, 0, 0, 1)})
	tests := []struct {
		name     string
		state    *State
		status   string
		class    string
		playable bool
		role     string
	}{
		{"red, its turn", versus(red), "Your turn", "status turn red you", true, "You are red · against the computer (perfect)"},
		{"red, the computer thinks", versus(red, plays(t, 3)...), "The computer is thinking…", "status turn yellow thinking", false, "You are red · against the computer (perfect)"},
		{"red, moving", moving(versus(red)), "Your turn", "status turn red you", false, "You are red · against the computer (perfect)"},
		{"yellow, the computer opens", versus(yellow), "The computer is thinking…", "status turn red thinking", false, "You are yellow · against the computer (perfect)"},
		{"yellow, its turn", versus(yellow, plays(t, 3)...), "Your turn", "status turn yellow you", true, "You are yellow · against the computer (perfect)"},
		{"yellow, the computer wins", versus(yellow, redWins...), "The computer wins!", "status win red", false, "You are yellow · against the computer (perfect)"},
		{"yellow wins", versus(yellow, yellowWins...), "You win!", "status win yellow you", false, "You are yellow · against the computer (perfect)"},
		{"red, the computer wins", versus(red, yellowWins...), "The computer wins!", "status win yellow", false, "You are red · against the computer (perfect)"},
		{"draw", versus(red, then(plays(t, drawn...), protocol.Draw{})...), "It's a draw!", "status draw", false, "You are red · against the computer (perfect)"},
		{"the server refuses: said beside the turn", versus(red, protocol.Error{Message: "It isn't your turn."}), "Your turn", "status turn red you", true, "You are red · against the computer (perfect)"},
		{"spectator, the computer's turn", watchingComputer(plays(t, 3)...), "Yellow to play", "status turn yellow", false, "You are watching"},
		{"spectator, a win", watchingComputer(redWins...), "Red wins!", "status win red", false, "You are watching"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.state.View()
			if v.Status != tt.status || v.StatusClass() != tt.class {
				t.Errorf("status %q, class %q; want %q, %q", v.Status, v.StatusClass(), tt.status, tt.class)
			}
			if v.Playable != tt.playable {
				t.Errorf("Playable = %v, want %v", v.Playable, tt.playable)
			}
			if _, ok := tt.state.Click(4); ok != tt.playable {
				t.Errorf("Click(4) sends: %v, want %v", ok, tt.playable)
			}
			if v.Role != tt.role {
				t.Errorf("role %q, want %q", v.Role, tt.role)
			}
			if v.Presence != "" || v.Invite || v.Rematch != "" || v.Offer != "" {
				t.Errorf("presence %q, invite %v, rematch %q, offer %q; want none", v.Presence, v.Invite, v.Rematch, v.Offer)
			}
			if wantTitle := strings.HasPrefix(tt.class, "status turn") && v.You; strings.HasPrefix(v.Title, "Your turn") != wantTitle {
				t.Errorf("title %q", v.Title)
			}
		})
	}
}

// moving returns s after a click on its turn, before the server answers.
func moving(s *State) *State {
	s.Click(3)
	return s
}

// watchingComputer returns the State of a spectator of a game against the
// computer, with events applied.
func watchingComputer(events ...protocol.Event) *State {
	s := New(Page{Base: base, Query: "?watch=" + watch})
	s.Connecting()
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Computer, Level: "easy"})
	for _, e := range events {
		s.Apply(e)
	}
	return &s
}

// TestComputerNewGame checks the New game button of a game against the
// computer: shown at any time to the player, never to a spectator, and the
// server's next Started swaps the colours.
func TestComputerNewGame(t *testing.T) {
	s := versus(connect4.Red, plays(t, 3, 3)...)
	v := s.View()
	if !v.NewGame || v.Home != "Leave game" || v.Rematch != "" {
		t.Errorf("in play: new game %v, home %q, rematch %q", v.NewGame, v.Home, v.Rematch)
	}
	// In a game in progress, the page asks first.
	if cmd, ok := s.Rematch(); ok || s.View().Confirm == "" {
		t.Errorf("Rematch() = %#v, %v in play, and asks %q", cmd, ok, s.View().Confirm)
	}
	if cmd, ok := s.Answer(false); ok || s.View().Confirm != "" {
		t.Errorf("Answer(false) = %#v, %v, and still asks %q", cmd, ok, s.View().Confirm)
	}
	s.Rematch()
	cmd, ok := s.Answer(true)
	if got := encode(t, cmd); !ok || got != `{"type":"rematch"}` {
		t.Errorf("Answer(true) = %s, %v", got, ok)
	}
	// The computer thinks: New game still goes, once confirmed.
	s.Apply(plays(t, 3, 3, 4)[2])
	if s.Rematch(); !s.View().NewGame || s.View().Confirm == "" {
		t.Error("no New game while the computer thinks")
	}
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Computer, Level: "perfect", Player: connect4.Yellow, Token: token})
	v = s.View()
	if v.Status != "The computer is thinking…" || v.Role != "You are yellow · against the computer (perfect)" || strings.ContainsAny(v.String(), "RY") {
		t.Errorf("next game: status %q, role %q, board\n%v", v.Status, v.Role, v)
	}
	if s.Token() != token {
		t.Errorf("Token() = %q", s.Token())
	}
	if v := watchingComputer(plays(t, 3)...).View(); v.NewGame || v.Home != "Start screen" {
		t.Errorf("spectator: new game %v, home %q", v.NewGame, v.Home)
	}
	s.Lost(0)
	if _, ok := s.Rematch(); ok {
		t.Error("Rematch() while the connection is lost")
	}
}

// TestComputerResume checks that a game against the computer is taken back
// with its token, as other seats are.
func TestComputerResume(t *testing.T) {
	s := versus(connect4.Red, plays(t, 3, 4)...)
	s.Lost(0)
	s.Connecting()
	if got := encode(t, s.Opened()); got != `{"type":"resume","token":"tok","version":4}` {
		t.Errorf("Opened() = %s", got)
	}
	if v := s.View(); v.Status != offlineText {
		t.Errorf("resuming: status %q, want %q until the server lets the page back in", v.Status, offlineText)
	}
	r := New(Page{Base: base, Token: token})
	r.Opened()
	r.Apply(protocol.Started{Watch: watch, Mode: protocol.Computer, Level: "easy", Player: connect4.Yellow, Token: token})
	for _, e := range plays(t, 3) {
		r.Apply(e)
	}
	if v := r.View(); v.Status != "Your turn" || v.Role != "You are yellow · against the computer (easy)" || !v.Playable {
		t.Errorf("after a reload: status %q, role %q, playable %v", v.Status, v.Role, v.Playable)
	}
}

// TestComputerBadLevel checks the server's refusal of a level: the start
// screen shows its sentence.
func TestComputerBadLevel(t *testing.T) {
	s := New(Page{Base: base})
	s.Start(protocol.Computer)
	s.Opened()
	s.Apply(protocol.Error{Message: "Choose the computer's level: easy, medium or perfect."})
	v := s.View()
	if !v.Start || v.StartNote != "Choose the computer's level: easy, medium or perfect." {
		t.Errorf("start %v, note %q", v.Start, v.StartNote)
	}
	if _, ok := s.Dial(); ok {
		t.Error("Dial() wants a connection after the refusal")
	}
}
