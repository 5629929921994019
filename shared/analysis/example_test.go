package analysis_test

import (
	"fmt"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/solver"
)

// The words of each column of a position with 30 stones, from the scores the
// solver gives its columns.
func ExampleColumns() {
	u := solver.Unplayable
	for c, w := range analysis.Columns(solver.Scores{u, 0, 3, -2, u, 1, u}, 30) {
		fmt.Printf("column %d: %s\n", c+1, w)
	}
	// Output:
	// column 1: full
	// column 2: draw
	// column 3: win in 4
	// column 4: loses in 5
	// column 5: full
	// column 6: win in 6
	// column 7: full
}

// A move that keeps a win, but a later one than the best move's.
func ExampleClassify() {
	fmt.Println(analysis.Classify(5, 2), analysis.Classify(5, 0), analysis.Classify(5, -1))
	// Output: inaccuracy mistake blunder
}
