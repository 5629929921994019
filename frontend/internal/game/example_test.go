package game_test

import (
	"fmt"
	"time"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// send prints the JSON of a command, as the page sends it.
func send(cmd protocol.Command) {
	data, _ := protocol.EncodeCommand(cmd)
	fmt.Printf("send %s\n", data)
}

func Example() {
	// A page opened with a join link asks for the second seat.
	s := game.New(game.Page{Base: "https://c4.example/", Query: "?join=J0IN"})
	send(s.Opened())
	s.Apply(protocol.Started{Watch: "W4TCH", Mode: protocol.Friends, Player: connect4.Yellow, Token: "tok"})
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3, Row: 0})
	s.Apply(protocol.Presence{Player: connect4.Red, Online: true})
	fmt.Println("keep token", s.Token())

	// The pointer over column 3 previews yellow's checker on top of red's.
	s.Hover(3)
	v := s.View()
	fmt.Println(v.Role+":", v.Status)
	fmt.Print(v)
	fmt.Println(v.Cells[3][1].Class())

	// A click sends a move; the board changes only when the server answers.
	cmd, _ := s.Click(3)
	send(cmd)
	s.Apply(protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1})
	fmt.Println(s.View().Status)

	// The live region hears every move, with whose turn it is.
	v = s.View()
	fmt.Println(v.News[game.NewsKept-1])
	fmt.Println(v.Labels[3])

	// An error shows beside the status line until the caller expires it,
	// a few seconds later.
	seq := s.Apply(protocol.Error{Message: "It isn't your turn."})
	fmt.Printf("%s | %s\n", s.View().Status, s.View().Notice)
	s.Expire(seq)
	fmt.Printf("%s | %s\n", s.View().Status, s.View().Notice)
	// Output:
	// send {"type":"init","join":"J0IN","version":4}
	// keep token tok
	// You are yellow: Your turn
	// .......
	// .......
	// .......
	// .......
	// ...y...
	// ...R...
	// cell empty preview preview-yellow
	// send {"type":"play","column":3}
	// Red to play
	// Yellow played column 4, row 2. Red to play
	// Column 4: red, yellow; 4 free
	// Red to play | It isn't your turn.
	// Red to play |
}

func Example_computer() {
	// On the start screen, the chooser: the perfect level, playing yellow.
	s := game.New(game.Page{Base: "https://c4.example/"})
	s.ToggleChooser()
	s.ChooseLevel("perfect")
	s.ChooseColour(connect4.Yellow)
	s.Start(protocol.Computer)
	send(s.Opened())
	s.Apply(protocol.Started{Watch: "W4TCH", Mode: protocol.Computer, Level: "perfect", Player: connect4.Yellow, Token: "tok"})
	v := s.View()
	fmt.Println(v.Role)
	fmt.Println(v.Status, v.StatusClass(), v.Playable)

	// The computer opens: the page's turn.
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3, Row: 0})
	v = s.View()
	fmt.Println(v.Status, v.StatusClass(), v.Playable)
	cmd, _ := s.Click(2)
	send(cmd)
	s.Apply(protocol.Played{Player: connect4.Yellow, Column: 2, Row: 0})
	fmt.Println(s.View().Status)

	// New game, at any time, once the player confirms it: the server
	// starts it at once, colours swapped.
	s.Rematch()
	fmt.Println(s.View().Confirm)
	cmd, _ = s.Answer(true)
	send(cmd)
	s.Apply(protocol.Started{Watch: "W4TCH", Mode: protocol.Computer, Level: "perfect", Player: connect4.Red, Token: "tok"})
	fmt.Println(s.View().Role+":", s.View().Status)
	// Output:
	// send {"type":"init","mode":"computer","level":"perfect","player":"yellow","version":4}
	// You are yellow · against the computer (perfect)
	// The computer is thinking… status turn red thinking false
	// Your turn status turn yellow you true
	// send {"type":"play","column":2}
	// The computer is thinking…
	// Start a new game? This one is not over.
	// send {"type":"rematch"}
	// You are red · against the computer (perfect): Your turn
}

func Example_heartbeat() {
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := game.New(game.Page{Base: "https://c4.example/", Token: "tok"})
	s.Tick(t0)
	s.Connecting()
	send(s.Opened()) // the first message; the first ping is 20 s later
	next, _ := s.NextBeat()
	fmt.Println("next beat in", next)

	s.Tick(t0.Add(next))
	if ping, ok := s.Ping(); ok {
		send(ping)
	}
	next, _ = s.NextBeat()
	fmt.Println("next beat in", next) // the end of the wait for an answer

	// Nothing came back: the connection is presumed dead.
	s.Tick(t0.Add(30 * time.Second))
	fmt.Println("silent:", s.Silent())
	fmt.Println(s.View().Connection)
	// Output:
	// send {"type":"resume","token":"tok","version":4}
	// next beat in 20s
	// send {"type":"ping"}
	// next beat in 10s
	// silent: true
	// Connection lost. Reconnecting…
}
