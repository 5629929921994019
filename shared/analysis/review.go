package analysis

import (
	"context"
	"fmt"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
)

// Label is how a move compares with the best move of its position.
type Label int

// The labels, from the best.
const (
	// Best keeps the best result, as soon as it comes: the move scores as
	// the best move.
	Best Label = iota
	// Inaccuracy keeps the result, but the win comes later or the loss
	// sooner.
	Inaccuracy
	// Mistake gives away half the result: a win thrown to a draw, or a draw
	// to a loss.
	Mistake
	// Blunder throws a win to a loss.
	Blunder
)

var labelNames = [...]string{"best", "inaccuracy", "mistake", "blunder"}

// String returns the label's name: "best", "inaccuracy", "mistake" or
// "blunder".
func (l Label) String() string {
	if l >= Best && l <= Blunder {
		return labelNames[l]
	}
	return fmt.Sprintf("Label(%d)", int(l))
}

// Weight is what a move of the label counts in the accuracy: 1 for the best,
// 0.75 for an inaccuracy, 0.25 for a mistake, 0 for a blunder.
func (l Label) Weight() float64 {
	return [...]float64{1, 0.75, 0.25, 0}[l]
}

// Classify labels a move that scores played where the best move scores best
// (solver scores, for the player who moves).
func Classify(best, played int) Label {
	sign := func(s int) int {
		switch {
		case s > 0:
			return 1
		case s < 0:
			return -1
		}
		return 0
	}
	switch drop := sign(best) - sign(played); {
	case played >= best:
		return Best
	case drop == 0:
		return Inaccuracy
	case drop == 1:
		return Mistake
	}
	return Blunder
}

// An Analyzer returns the scores of the columns of a position.
type Analyzer func(ctx context.Context, p solver.Position) (solver.Scores, error)

// Move is one move of a reviewed game.
type Move struct {
	Column int
	Player connect4.Player
	// Played and Best are the solver's scores of the move and of the best
	// move of the position, for the player who moved; BestColumn is a best
	// column, the most central.
	Played, Best int
	BestColumn   int
	Label        Label
}

// Outcome returns the outcome of the move as played, in a position with its
// number, from 0.
func (m Move) Outcome(number int) Outcome { return OutcomeOf(m.Played, number) }

// Review labels each move of a game, given as its columns in the order
// played, with the scores analyze gives. It stops at the first move that
// cannot be played, or at ctx's end.
func Review(ctx context.Context, columns []int, analyze Analyzer) ([]Move, error) {
	g := connect4.NewGame()
	moves := make([]Move, 0, len(columns))
	for i, c := range columns {
		p, err := solver.FromGame(g)
		if err != nil {
			return moves, fmt.Errorf("analysis: move %d: %w", i+1, err)
		}
		scores, err := analyze(ctx, p)
		if err != nil {
			return moves, fmt.Errorf("analysis: move %d: %w", i+1, err)
		}
		player := g.Turn()
		if _, err := g.Play(player, c); err != nil {
			return moves, fmt.Errorf("analysis: move %d: %w", i+1, err)
		}
		bestColumn, best := scores.Best()
		played := scores[c]
		moves = append(moves, Move{Column: c, Player: player, Played: played, Best: best, BestColumn: bestColumn, Label: Classify(best, played)})
	}
	return moves, nil
}

// Accuracy returns player p's accuracy in a reviewed game: the average
// Weight of the labels of their moves, as a percentage from 0 to 100; false
// if p made no move.
func Accuracy(moves []Move, p connect4.Player) (float64, bool) {
	var sum float64
	n := 0
	for _, m := range moves {
		if m.Player == p {
			sum += m.Label.Weight()
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return 100 * sum / float64(n), true
}
