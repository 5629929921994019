package loadgen

import (
	"errors"
	"fmt"
	"slices"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
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
func (r *referee) check(e protocol.Event) (played bool, err error) {
	if refusal, ok := e.(protocol.Error); ok {
		return false, fmt.Errorf("%w: an error event after %d moves: %q", ErrRules, r.game.Len(), refusal.Message)
	}
	if r.ended {
		return false, fmt.Errorf("%w: %#v after the end of the game", ErrRules, e)
	}
	n := r.game.Len()
	if r.game.Over() {
		return false, r.checkResult(e)
	}
	p, ok := e.(protocol.Played)
	if !ok {
		return false, fmt.Errorf("%w: %#v where move %d should be", ErrRules, e, n+1)
	}
	if n >= len(r.script) {
		return false, fmt.Errorf("%w: move %d, after the script's end", ErrRules, n+1)
	}
	column := r.script[n]
	want := connect4.Move{Player: r.game.Turn(), Column: column, Row: r.game.Height(column)}
	if got := (connect4.Move{Player: p.Player, Column: p.Column, Row: p.Row}); got != want {
		return false, fmt.Errorf("%w: move %d is %s %d %d, want %s %d %d", ErrRules, n+1,
			got.Player, got.Column, got.Row, want.Player, want.Column, want.Row)
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
func (r *referee) checkResult(e protocol.Event) error {
	winner := r.game.Winner()
	w, isWin := e.(protocol.Win)
	switch _, isDraw := e.(protocol.Draw); {
	case winner == connect4.NoPlayer && isDraw:
	case winner == connect4.NoPlayer:
		return fmt.Errorf("%w: %#v where the draw should be", ErrRules, e)
	case !isWin:
		return fmt.Errorf("%w: %#v where %s's win should be", ErrRules, e, winner)
	case w.Player != winner:
		return fmt.Errorf("%w: %s wins, want %s", ErrRules, w.Player, winner)
	case w.Cells != [4]connect4.Cell{}:
		// The tutorial's win has no cells (zero once decoded: no line has
		// four times the same cell); this project's names the line.
		line, _ := r.game.WinningLine()
		if !sameCells(w.Cells[:], line[:]) {
			return fmt.Errorf("%w: the winning cells are %v, want %v", ErrRules, w.Cells, line)
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
func checkInit(e protocol.Event, wantJoin, wantWatch bool) (join, watch string, err error) {
	started, ok := e.(protocol.Started)
	switch refusal, isError := e.(protocol.Error); {
	case isError:
		return "", "", fmt.Errorf("%w: an error event where init should be: %q", ErrRules, refusal.Message)
	case !ok:
		return "", "", fmt.Errorf("%w: %#v where init should be", ErrRules, e)
	case wantJoin && started.Join == "", wantWatch && started.Watch == "":
		return "", "", fmt.Errorf("%w: an init without its join and watch keys", ErrRules)
	}
	return started.Join, started.Watch, nil
}

// notYourTurn is the tutorial's refusal of a move out of turn, word for word.
const notYourTurn = "It isn't your turn."

// checkNotYourTurn checks that e refuses a move out of turn.
func checkNotYourTurn(e protocol.Event) error {
	if refusal, ok := e.(protocol.Error); !ok || refusal.Message != notYourTurn {
		return fmt.Errorf("%w: %#v where the refusal of a move out of turn should be", ErrRules, e)
	}
	return nil
}
