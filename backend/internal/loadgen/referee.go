package loadgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/connect4go/connect4/shared/connect4"
)

// ErrRules is an event that breaks the rules of the game, or that the rules
// call for and that did not come: a FAILURE of the server, not a figure.
var ErrRules = errors.New("loadgen: the server broke the rules")

// referee follows one game as one client sees it, and checks each event the
// client reads against the rules (with the shared engine) and the script of
// columns that the game's players send. The zero value is not usable: make
// it with newReferee.
type referee struct {
	game      connect4.Game
	script    []int
	drawEvent bool // the server follows a drawn game's last move with {"type": "draw"}
	ended     bool // the game is over and its result, if any, has been read
}

func newReferee(script []int, drawEvent bool) *referee {
	return &referee{script: script, drawEvent: drawEvent}
}

// moves returns the number of moves seen so far.
func (r *referee) moves() int { return r.game.Len() }

// done reports whether the game is over and nothing more is expected.
func (r *referee) done() bool { return r.ended }

// check checks e, the next event of the game, and reports whether it was the
// play of a move (the moves()-th, counted from 1, once check returns).
func (r *referee) check(e *event) (played bool, err error) {
	if e.kind == kindError {
		return false, fmt.Errorf("%w: an error event after %d moves: %q", ErrRules, r.game.Len(), e.message)
	}
	if r.ended {
		return false, fmt.Errorf("%w: a %q event after the end of the game", ErrRules, e.typ)
	}
	n := r.game.Len()
	if r.game.Over() {
		return false, r.checkResult(e)
	}
	if e.kind != kindPlay {
		return false, fmt.Errorf("%w: a %q event where move %d should be", ErrRules, e.typ, n+1)
	}
	if n >= len(r.script) {
		return false, fmt.Errorf("%w: move %d, after the script's end", ErrRules, n+1)
	}
	column := r.script[n]
	want := connect4.Move{Player: r.game.Turn(), Column: column, Row: r.game.Height(column)}
	if !e.hasPlayer || !e.hasColumn || !e.hasRow || string(e.player) != want.Player.String() || e.column != want.Column || e.row != want.Row {
		return false, fmt.Errorf("%w: move %d is %s %d %d, want %s %d %d", ErrRules, n+1,
			e.player, e.column, e.row, want.Player, want.Column, want.Row)
	}
	if _, err := r.game.Play(want.Player, column); err != nil {
		return false, fmt.Errorf("loadgen: the script's move %d: %w", n+1, err) // a bug in the scripts
	}
	if r.game.Draw() && !r.drawEvent {
		r.ended = true
	}
	return true, nil
}

// checkResult checks the event that follows the last move.
func (r *referee) checkResult(e *event) error {
	winner := r.game.Winner()
	switch {
	case winner == connect4.NoPlayer && e.kind == kindDraw:
	case winner == connect4.NoPlayer:
		return fmt.Errorf("%w: a %q event where the draw should be", ErrRules, e.typ)
	case e.kind != kindWin:
		return fmt.Errorf("%w: a %q event where %s's win should be", ErrRules, e.typ, winner)
	case string(e.player) != winner.String():
		return fmt.Errorf("%w: %q wins, want %s", ErrRules, e.player, winner)
	case e.hasCellsJSON:
		// The tutorial's win has no cells; this project's names the line.
		var cells []connect4.Cell
		if err := json.Unmarshal(e.cells, &cells); err != nil {
			return fmt.Errorf("%w: the win's cells: %v", ErrRules, err)
		}
		line, _ := r.game.WinningLine()
		if !sameCells(cells, line[:]) {
			return fmt.Errorf("%w: the winning cells are %v, want %v", ErrRules, cells, line)
		}
	}
	r.ended = true
	return nil
}

// sameCells reports whether a and b hold the same cells, in any order.
func sameCells(a, b []connect4.Cell) bool {
	order := func(x, y connect4.Cell) int {
		if x.Column != y.Column {
			return x.Column - y.Column
		}
		return x.Row - y.Row
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, order)
	slices.SortFunc(b, order)
	return slices.Equal(a, b)
}

// checkInit checks that e is an init event that carries the keys asked for,
// and returns them.
func checkInit(e *event, wantJoin, wantWatch bool) (join, watch string, err error) {
	switch {
	case e.kind == kindError:
		return "", "", fmt.Errorf("%w: an error event where init should be: %q", ErrRules, e.message)
	case e.kind != kindInit:
		return "", "", fmt.Errorf("%w: a %q event where init should be", ErrRules, e.typ)
	case wantJoin && len(e.join) == 0, wantWatch && len(e.watch) == 0:
		return "", "", fmt.Errorf("%w: an init without its join and watch keys", ErrRules)
	}
	return string(e.join), string(e.watch), nil
}

// notYourTurn is the tutorial's refusal of a move out of turn, word for word.
var notYourTurn = []byte("It isn't your turn.")

// checkNotYourTurn checks that e refuses a move out of turn.
func checkNotYourTurn(e *event) error {
	if e.kind != kindError || !bytes.Equal(e.message, notYourTurn) {
		return fmt.Errorf("%w: a %q event %q where the refusal of a move out of turn should be", ErrRules, e.typ, e.message)
	}
	return nil
}
