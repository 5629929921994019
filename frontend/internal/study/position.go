// Package study holds the state of an analysis board and of the review of a
// game, apart from any browser: a line of moves, a cursor that steps along
// it, the solver's scores of its positions as they arrive, and what the page
// shows of them: each column's outcome in words, each move's label, each
// player's accuracy, the best move.
//
// The scores come from elsewhere (the page's brain, a Web Worker) and take
// their time: [Board.Ask] returns the positions whose scores the board wants
// and has not asked for yet, and [Board.Scored] gives it an answer, in any
// order, even one for a position no longer shown. Nothing here waits, and
// nothing computes a score.
//
// A position is named by its moves, each column's number from 1 to 7 in the
// order played: "4453" (see [Name]); the page's address shows it as
// ?pos=4453.
package study

import (
	"errors"
	"strconv"

	"github.com/connect4go/connect4/shared/connect4"
)

// ErrPosition is what every error of [Parse] wraps: the text is not a
// position that can be reached.
var ErrPosition = errors.New("study: not a position")

// positionError is an error of Parse: a sentence for the player.
type positionError struct{ sentence string }

func (e *positionError) Error() string { return e.sentence }
func (e *positionError) Unwrap() error { return ErrPosition }

// Name returns the name of the position reached by columns (from 0), played
// in order from the empty board: "4453" for 3, 3, 4, 2.
func Name(columns []int) string {
	b := make([]byte, len(columns))
	for i, c := range columns {
		b[i] = byte('1' + c)
	}
	return string(b)
}

// Query returns the address query of the position reached by columns:
// "?pos=4453", or "?pos=" for the empty board.
func Query(columns []int) string {
	return "?pos=" + Name(columns)
}

// Parse returns the columns (from 0) of the position named s, such as
// "4453". When s names no position it returns the moves that can be played
// before the first that cannot, and an error that wraps [ErrPosition] and
// says why in a sentence for the player: a character that is not a column,
// a full column, a move after the game ended.
func Parse(s string) ([]int, error) {
	g := connect4.NewGame()
	columns := make([]int, 0, len(s))
	for i, ch := range []rune(s) {
		move := "Move " + strconv.Itoa(i+1)
		if ch < '1' || ch > '0'+connect4.Columns {
			return columns, &positionError{move + " is '" + string(ch) + "'" +
				", not a column: a position is its moves, each a column from 1 to 7, such as ?pos=4453."}
		}
		c := int(ch - '1')
		switch {
		case g.Over():
			return columns, &positionError{move + " comes after the end of the game."}
		case !g.CanPlay(c):
			return columns, &positionError{move + " cannot be played: column " + string(ch) + " is full."}
		}
		if _, err := g.Play(g.Turn(), c); err != nil {
			return columns, &positionError{move + " cannot be played."}
		}
		columns = append(columns, c)
	}
	return columns, nil
}
