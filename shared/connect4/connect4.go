// Package connect4 implements the rules of Connect Four on the standard board of
// seven columns and six rows.
//
// Red always moves first and the players alternate. A move names a column; the
// checker falls to the lowest free row (row 0 is the bottom). Four checkers of one
// colour in a row, horizontally, vertically or diagonally, win; a full board
// without four in a row is a draw. Once a game is won or drawn it refuses further
// moves.
//
// The board is kept as one bitboard per player, so a move and its win check cost a
// handful of shifts and never allocate.
package connect4

import (
	"errors"
	"fmt"
	"strings"
)

// The size of the board.
const (
	Columns = 7
	Rows    = 6
	// Cells is the number of cells on the board, and so the longest possible game.
	Cells = Columns * Rows
)

// Errors returned by [Game.Play], in the order Play checks for them.
var (
	ErrGameOver    = errors.New("connect4: the game is over")
	ErrNotYourTurn = errors.New("connect4: not this player's turn")
	ErrNoColumn    = errors.New("connect4: no such column")
	ErrColumnFull  = errors.New("connect4: column is full")
)

// Player is one of the two sides, or NoPlayer. The zero value is NoPlayer.
type Player int8

// The players. Red always moves first.
const (
	NoPlayer Player = iota
	Red
	Yellow
)

// String returns "red", "yellow", or "none" for NoPlayer.
func (p Player) String() string {
	switch p {
	case Red:
		return "red"
	case Yellow:
		return "yellow"
	case NoPlayer:
		return "none"
	}
	return fmt.Sprintf("Player(%d)", int8(p))
}

// Other returns the opponent of p; the opponent of NoPlayer is NoPlayer.
func (p Player) Other() Player {
	switch p {
	case Red:
		return Yellow
	case Yellow:
		return Red
	}
	return NoPlayer
}

// ParsePlayer returns the player named "red" or "yellow", as [Player.String]
// writes them.
func ParsePlayer(s string) (Player, error) {
	switch s {
	case "red":
		return Red, nil
	case "yellow":
		return Yellow, nil
	}
	return NoPlayer, fmt.Errorf("connect4: unknown player %q", s)
}

// Cell is a position on the board: Column 0 is the left edge and Row 0 the bottom.
type Cell struct {
	Column, Row int
}

// Move is one accepted move: who played, in which column, and the row where the
// checker landed.
type Move struct {
	Player      Player
	Column, Row int
}

// Game is a game of Connect Four in progress or finished.
//
// The zero value is a new game with Red to move. A Game is not safe for
// concurrent use; copying a Game copies the whole position.
type Game struct {
	stones  [2]uint64     // one bitboard per player, see bit
	heights [Columns]int8 // the number of checkers in each column
	moves   [Cells]packed // the moves in order; the players alternate from Red
	n       int           // the number of moves played
	winner  Player
	line    [4]Cell // the winning four, when winner != NoPlayer
}

// NewGame returns a new game with Red to move.
func NewGame() *Game { return new(Game) }

// Replay returns the game reached by playing columns in order from the empty
// board, the players alternating from Red. It stops at the first illegal move and
// returns the error with the move's index.
func Replay(columns ...int) (*Game, error) {
	g := NewGame()
	for i, c := range columns {
		if _, err := g.Play(g.Turn(), c); err != nil {
			return g, fmt.Errorf("move %d (column %d): %w", i+1, c, err)
		}
	}
	return g, nil
}

// packed is a move in one byte: its column times 8 plus its row. Its player
// follows from its place in the game.
type packed uint8

func pack(column, row int) packed { return packed(column<<3 | row) }

// move unpacks the i-th move of a game.
func (p packed) move(i int) Move {
	player := Red
	if i%2 == 1 {
		player = Yellow
	}
	return Move{Player: player, Column: int(p >> 3), Row: int(p & 7)}
}

// bit returns the bitboard bit of a cell. Each column takes seven bits, the six
// rows from the bottom up and one always-empty bit above them, so that shifting a
// line of checkers never carries it from the top of one column into the next.
func bit(column, row int) uint64 { return 1 << (uint(column)*(Rows+1) + uint(row)) }

// Play drops a checker of player p into column and returns the move, or an error
// that wraps ErrGameOver, ErrNotYourTurn, ErrNoColumn or ErrColumnFull, in which
// case the game is unchanged.
func (g *Game) Play(p Player, column int) (Move, error) {
	switch {
	case g.Over():
		return Move{}, ErrGameOver
	case p != g.Turn():
		return Move{}, ErrNotYourTurn
	case column < 0 || column >= Columns:
		return Move{}, ErrNoColumn
	case g.heights[column] == Rows:
		return Move{}, ErrColumnFull
	}
	row := int(g.heights[column])
	g.heights[column]++
	b := &g.stones[p-1]
	*b |= bit(column, row)
	m := Move{Player: p, Column: column, Row: row}
	g.moves[g.n] = pack(column, row)
	g.n++
	if fours(*b) != 0 {
		g.winner = p
		g.line = g.findLine(m)
	}
	return m, nil
}

// fours returns the checkers of b that start four in a row in any direction: its
// result is non-zero exactly when b holds four in a row.
func fours(b uint64) uint64 {
	const (
		vertical   = 1
		horizontal = Rows + 1
		diagonal   = Rows + 2 // up and to the right
		antiDiag   = Rows     // down and to the right
	)
	v := b & (b >> vertical)
	h := b & (b >> horizontal)
	d := b & (b >> diagonal)
	a := b & (b >> antiDiag)
	return v&(v>>(2*vertical)) | h&(h>>(2*horizontal)) | d&(d>>(2*diagonal)) | a&(a>>(2*antiDiag))
}

// findLine returns four cells in a row of m's player that include the cell m
// played. It is called once per game, on the winning move.
func (g *Game) findLine(m Move) [4]Cell {
	for _, d := range [...]Cell{{0, 1}, {1, 0}, {1, 1}, {1, -1}} {
		// Walk back to the start of the run through m, then take four from there:
		// the run before m is shorter than four, or the game would already be over.
		start := Cell{m.Column, m.Row}
		for g.At(start.Column-d.Column, start.Row-d.Row) == m.Player {
			start = Cell{start.Column - d.Column, start.Row - d.Row}
		}
		var line [4]Cell
		ok := true
		for i := range line {
			line[i] = Cell{start.Column + i*d.Column, start.Row + i*d.Row}
			if g.At(line[i].Column, line[i].Row) != m.Player {
				ok = false
				break
			}
		}
		if ok {
			return line
		}
	}
	panic("connect4: a win without four in a row") // fours and findLine disagree
}

// At returns the player whose checker is in the cell, or NoPlayer for an empty
// cell or one outside the board.
func (g *Game) At(column, row int) Player {
	if column < 0 || column >= Columns || row < 0 || row >= Rows {
		return NoPlayer
	}
	switch b := bit(column, row); {
	case g.stones[0]&b != 0:
		return Red
	case g.stones[1]&b != 0:
		return Yellow
	}
	return NoPlayer
}

// Turn returns the player to move, or NoPlayer once the game is over.
func (g *Game) Turn() Player {
	switch {
	case g.Over():
		return NoPlayer
	case g.n%2 == 0:
		return Red
	}
	return Yellow
}

// CanPlay reports whether a checker can be dropped into column now.
func (g *Game) CanPlay(column int) bool {
	return !g.Over() && column >= 0 && column < Columns && g.heights[column] < Rows
}

// Height returns the number of checkers in column, which is also the row the next
// checker in it lands on; it returns 0 for a column outside the board.
func (g *Game) Height(column int) int {
	if column < 0 || column >= Columns {
		return 0
	}
	return int(g.heights[column])
}

// Over reports whether the game has been won or drawn.
func (g *Game) Over() bool { return g.winner != NoPlayer || g.n == Cells }

// Winner returns the player who won, or NoPlayer while the game goes on or when it
// was drawn.
func (g *Game) Winner() Player { return g.winner }

// Draw reports whether the board is full with no four in a row.
func (g *Game) Draw() bool { return g.winner == NoPlayer && g.n == Cells }

// WinningLine returns the four cells of the winning line, from its lower or left
// end, and whether the game has been won.
func (g *Game) WinningLine() ([4]Cell, bool) { return g.line, g.winner != NoPlayer }

// Len returns the number of moves played.
func (g *Game) Len() int { return g.n }

// Moves returns the moves played so far, in order, in a new slice.
func (g *Game) Moves() []Move {
	moves := make([]Move, g.n)
	for i, p := range g.moves[:g.n] {
		moves[i] = p.move(i)
	}
	return moves
}

// LastMove returns the most recent move, and false before the first move.
func (g *Game) LastMove() (Move, bool) {
	if g.n == 0 {
		return Move{}, false
	}
	return g.moves[g.n-1].move(g.n - 1), true
}

// String draws the board in ASCII, top row first: "." for an empty cell, "R" for
// red and "Y" for yellow, one line per row.
func (g *Game) String() string {
	var sb strings.Builder
	for row := Rows - 1; row >= 0; row-- {
		for column := range Columns {
			sb.WriteByte(".RY"[g.At(column, row)])
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}
