package game_test

import (
	"fmt"

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

	// An error shows until the caller expires it, a few seconds later.
	seq := s.Apply(protocol.Error{Message: "This slot is full."})
	fmt.Println(s.View().Status)
	s.Expire(seq)
	fmt.Println(s.View().Status)
	// Output:
	// send {"type":"init","join":"J0IN","version":2}
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
	// This slot is full.
	// Red to play
}
