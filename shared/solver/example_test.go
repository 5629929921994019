package solver_test

import (
	"context"
	"fmt"

	"github.com/connect4go/connect4/shared/solver"
)

func ExampleFromMoves() {
	p, err := solver.FromMoves("4453")
	if err != nil {
		panic(err)
	}
	fmt.Print(p)
	fmt.Println(p.Moves(), "stones; first player to move:", p.Moves()%2 == 0)
	// Output:
	// .......
	// .......
	// .......
	// .......
	// ...o...
	// ..oxx..
	// 4 stones; first player to move: true
}

func ExampleSolver_Solve() {
	s := solver.New(16) // a small table: 512 KiB, plus as much for the later stages
	p, _ := solver.FromMoves("4455")
	score, err := s.Solve(context.Background(), p)
	if err != nil {
		panic(err)
	}
	// An open three in the bottom row wins with the side to move's 4th stone.
	fmt.Println(score)
	// Output: 18
}

func ExampleSolver_Analyze() {
	s := solver.New(16)
	p, _ := solver.FromMoves("1233722555341451114725221333")
	scores, err := s.Analyze(context.Background(), p)
	if err != nil {
		panic(err)
	}
	for c, score := range scores {
		if score == solver.Unplayable {
			fmt.Printf("column %d is full\n", c)
		} else {
			fmt.Printf("column %d scores %d\n", c, score)
		}
	}
	// Output:
	// column 0 is full
	// column 1 is full
	// column 2 is full
	// column 3 scores -1
	// column 4 scores -1
	// column 5 scores -1
	// column 6 scores -1
}
