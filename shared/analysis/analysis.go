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
	"errors"
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

// Full is the words for a column that cannot take a checker; NotKnown for
// a column whose score a partial analysis lacks.
const (
	Full     = "full"
	NotKnown = "not known"
)

// ErrTooEarly is the error of an analysis cut short: the position is too
// early in the game for the solver to score all its columns in the time it
// has, and the opening book does not know them all. Such an analysis may
// come with partial Scores (see [Unknown]).
var ErrTooEarly = errors.New("analysis: too early in the game to solve in time")

// Unknown and NotBetter mark, in the Scores of a partial analysis, a column
// whose score is not known: NotBetter when the position's best score is
// known all the same (the opening book holds the position) and the column
// scores no better than it, Unknown when it may. Both lie below every
// score, above [solver.Unplayable], so that [solver.Scores.Best] passes them
// over.
const (
	Unknown   = solver.Unplayable + 1
	NotBetter = solver.Unplayable + 2
)

// Partial reports whether scores lack the score of a column: some of them
// is Unknown or NotBetter.
func Partial(scores solver.Scores) bool {
	for _, s := range scores {
		if s == Unknown || s == NotBetter {
			return true
		}
	}
	return false
}

// BestKnown reports whether the best score of scores, and so their best
// column, is the position's: no column is Unknown (a partial analysis
// whose position the book holds marks the others NotBetter).
func BestKnown(scores solver.Scores) bool {
	for _, s := range scores {
		if s == Unknown {
			return false
		}
	}
	_, best := scores.Best()
	return best >= solver.MinScore
}

// LabelOf returns the label of playing column in a position whose columns
// score scores, and false when they do not tell it: the column's score or
// the best one is not known (a partial analysis).
func LabelOf(scores solver.Scores, column int) (Label, bool) {
	played := scores[column]
	if played < solver.MinScore || !BestKnown(scores) {
		return 0, false
	}
	_, best := scores.Best()
	return Classify(best, played), true
}

// Columns returns the words for each column of a position with stones on
// the board, from the solver's scores of its columns: an Outcome's, Full,
// or NotKnown for a column a partial analysis lacks.
func Columns(scores solver.Scores, stones int) [connect4.Columns]string {
	var words [connect4.Columns]string
	for c, s := range scores {
		switch s {
		case solver.Unplayable:
			words[c] = Full
		case Unknown, NotBetter:
			words[c] = NotKnown
		default:
			words[c] = OutcomeOf(s, stones).String()
		}
	}
	return words
}
