package connect4_test

import (
	"fmt"

	"github.com/connect4go/connect4/shared/connect4"
)

func Example() {
	g := connect4.NewGame()
	for _, column := range []int{3, 3, 4, 4, 5, 5, 6} {
		m, err := g.Play(g.Turn(), column)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%v plays column %d, row %d\n", m.Player, m.Column, m.Row)
	}
	line, _ := g.WinningLine()
	fmt.Println(g.Winner(), "wins with", line)
	fmt.Print(g)
	// Output:
	// red plays column 3, row 0
	// yellow plays column 3, row 1
	// red plays column 4, row 0
	// yellow plays column 4, row 1
	// red plays column 5, row 0
	// yellow plays column 5, row 1
	// red plays column 6, row 0
	// red wins with [{3 0} {4 0} {5 0} {6 0}]
	// .......
	// .......
	// .......
	// .......
	// ...YYY.
	// ...RRRR
}

func ExampleGame_Play_refused() {
	g := connect4.NewGame()
	_, err := g.Play(connect4.Yellow, 3)
	fmt.Println(err)
	// Output: connect4: not this player's turn
}
