// Package analysis turns the solver's exact scores into what a player reads:
// the outcome of each column in words ("win in 5", "draw", "loses in 12"),
// and the review of a game, each move labelled against the best one, with
// an accuracy figure for each player.
//
// Scores are the solver's (package solver): for the side to move, 0 a draw,
// a positive score a win with the winner's (22 − score)-th stone, a negative
// one a loss to the opponent's (22 + score)-th stone. A review asks an
// Analyzer for the scores of each position of the game, so that it runs
// with a solver of any size, on the server or in the page.
package analysis

import (
	"fmt"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
)

// Outcome is the exact result of a move for the player who makes it, both
// sides playing perfectly from then on.
type Outcome struct {
	// Result is 1 for a win, 0 for a draw, -1 for a loss.
	Result int
	// In counts moves: for a win, the winner's moves to the win, this one
	// included ("win in 1" wins at once); for a loss, the opponent's moves
	// to their win after this one. 0 for a draw.
	In int
}

// OutcomeOf returns the outcome of a move whose solver score is score, made
// in a position with stones on the board.
func OutcomeOf(score, stones int) Outcome {
	mine := stones / 2 // the stones the side to move has played
	switch {
	case score > 0:
		return Outcome{1, 22 - score - mine}
	case score < 0:
		return Outcome{-1, 22 + score - (stones - mine)}
	}
	return Outcome{}
}

// String returns the outcome as a player reads it: "win in 5", "draw",
// "loses in 12".
func (o Outcome) String() string {
	switch o.Result {
	case 1:
		return fmt.Sprintf("win in %d", o.In)
	case -1:
		return fmt.Sprintf("loses in %d", o.In)
	}
	return "draw"
}

// Full is the words for a column that cannot take a checker.
const Full = "full"

// Columns returns the words for each column of a position with stones on
// the board, from the solver's scores of its columns: an Outcome's, or Full.
func Columns(scores solver.Scores, stones int) [connect4.Columns]string {
	var words [connect4.Columns]string
	for c, s := range scores {
		if s == solver.Unplayable {
			words[c] = Full
			continue
		}
		words[c] = OutcomeOf(s, stones).String()
	}
	return words
}
