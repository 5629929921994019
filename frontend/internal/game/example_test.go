package game_test

import (
	"fmt"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

func Example() {
	var s game.State
	s.Opened()

	// A click sends a move; the board changes only when the server answers.
	cmd, _ := s.Click(3)
	fmt.Printf("send %+v\n", cmd)
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3, Row: 0})

	// The pointer over column 3 previews Yellow's checker on top of Red's.
	s.Hover(3)
	v := s.View()
	fmt.Println(v.Status)
	fmt.Print(v)
	fmt.Println(v.Cells[3][1].Class())

	// An error shows until the caller expires it, a few seconds later.
	seq := s.Apply(protocol.Error{Message: "It isn't your turn."})
	fmt.Println(s.View().Status)
	s.ExpireError(seq)
	fmt.Println(s.View().Status)
	// Output:
	// send {Column:3}
	// Yellow to play
	// .......
	// .......
	// .......
	// .......
	// ...y...
	// ...R...
	// cell empty preview preview-yellow
	// It isn't your turn.
	// Yellow to play
}
