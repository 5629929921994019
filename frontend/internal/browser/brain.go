//go:build js && wasm

package browser

import "github.com/connect4go/connect4/shared/solver"

// A brain answers the page's questions that take the solver: the exact score
// of each column of a position, and the computer's move in it. It works away
// from the page's thread, so that the board never freezes: the page's brain
// is two Web Workers, for moves and analyses, each loaded on its first
// question (worker.go); tests use their own. Answers come back to the event
// loop as analysed and thought messages, through the push it was made with,
// each question answered once.
//
// A position is named by its moves, each column's number from 1 to 7 in the
// order played: "4453" (the notation of the ?pos= links and of
// [solver.FromMoves]).
type brain interface {
	// Analyze asks for the score of each column of the position.
	Analyze(moves string)
	// Think asks for the computer's move at level ("easy", "medium" or
	// "perfect", as the protocol names them) in the position.
	Think(moves, level string)
	// Close stops the brain; no answer is pushed after it returns.
	Close()
}

// newBrain makes a brain that pushes its answers to the event loop.
type newBrain func(push func(any)) brain

// The brain's answers, as messages to the loop.
type (
	// analysed carries the scores of the position that moves name, as
	// [solver.Solver.Analyze] gives them, or why there are none.
	analysed struct {
		moves  string
		scores solver.Scores
		err    error
	}
	// thought carries the computer's move at level in the position that
	// moves name: a column from 0 to 6, or why there is none.
	thought struct {
		moves, level string
		column       int
		err          error
	}
)
