package game

import (
	"fmt"
	"strings"

	"github.com/connect4go/connect4/shared/connect4"
)

// View is everything the page shows, as a plain value: two Views are equal
// exactly when they look the same, so a painter can skip what did not change.
type View struct {
	// Cells holds the board, indexed [column][row]: column 0 is on the left and
	// row 0 at the bottom.
	Cells [connect4.Columns][connect4.Rows]Cell

	Status string // the status line, such as "Red to play"
	Kind   Kind   // what Status is about, for its style
	// Player is the player Status names as next to play or as the winner, or
	// NoPlayer.
	Player connect4.Player

	// Connection describes a connection that is not open, such as
	// "Connecting…"; it is "" while the connection is open.
	Connection string

	// Playable reports whether a click on a column sends a move.
	Playable bool
}

// StatusClass returns the HTML class attribute of the status line: "status",
// the Kind, and the colour of the Player it names, if any ("status turn red").
func (v View) StatusClass() string {
	class := "status " + v.Kind.String()
	if v.Player != connect4.NoPlayer {
		class += " " + v.Player.String()
	}
	return class
}

// String draws the board in ASCII, top row first, one line per row: "." for an
// empty cell, "R" and "Y" for checkers, "r" and "y" for the preview of the next
// checker, and "*" for the checkers of the winning four.
func (v View) String() string {
	var sb strings.Builder
	for r := connect4.Rows - 1; r >= 0; r-- {
		for c := range connect4.Columns {
			cell := v.Cells[c][r]
			switch {
			case cell.Win:
				sb.WriteByte('*')
			case cell.Preview != connect4.NoPlayer:
				sb.WriteByte(".ry"[cell.Preview])
			default:
				sb.WriteByte(".RY"[cell.Checker])
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// Cell is how one cell of the board looks.
type Cell struct {
	Checker connect4.Player // the checker in the cell, or NoPlayer when empty
	// Preview is the colour of the checker that would land in this empty cell
	// on a click, while the pointer is over its column; NoPlayer otherwise.
	Preview connect4.Player
	Win     bool // the checker is one of the winning four
	Last    bool // the checker is the last one played
}

// Color returns the cell's colour class: "empty", "red" or "yellow".
func (c Cell) Color() string {
	if c.Checker == connect4.NoPlayer {
		return "empty"
	}
	return c.Checker.String()
}

// Class returns the cell's HTML class attribute: "cell" and its [Cell.Color],
// then "win", "last", and "preview" with the preview's colour
// ("preview preview-red") as they apply.
func (c Cell) Class() string {
	class := "cell " + c.Color()
	if c.Win {
		class += " win"
	}
	if c.Last {
		class += " last"
	}
	if c.Preview != connect4.NoPlayer {
		class += " preview preview-" + c.Preview.String()
	}
	return class
}

// Kind tells what the status line is about, so that the page can style it.
type Kind int

// The kinds of status line.
const (
	KindTurn  Kind = iota // whose turn it is
	KindInfo              // news, such as a new game after a reconnection
	KindError             // a move the server refused, or a problem
	KindWin               // the game is won
	KindDraw              // the game is drawn
)

// String returns the kind's name, which is also its class in the page: "turn",
// "info", "error", "win" or "draw".
func (k Kind) String() string {
	switch k {
	case KindTurn:
		return "turn"
	case KindInfo:
		return "info"
	case KindError:
		return "error"
	case KindWin:
		return "win"
	case KindDraw:
		return "draw"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}
