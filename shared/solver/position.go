package solver

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"

	"github.com/connect4go/connect4/shared/connect4"
)

// Errors returned when a position cannot be built.
var (
	ErrBadColumn  = errors.New("solver: no such column")
	ErrColumnFull = errors.New("solver: column is full")
	ErrGameOver   = errors.New("solver: the game is over")
)

const (
	width  = connect4.Columns
	height = connect4.Rows
	cells  = connect4.Cells
	// stride is the bits a column takes: its rows plus one always-empty bit
	// above them, so that shifts never carry a line from one column into the next.
	stride = height + 1

	bottomRow = 1 | 1<<stride | 1<<(2*stride) | 1<<(3*stride) | 1<<(4*stride) | 1<<(5*stride) | 1<<(6*stride)
	fullBoard = bottomRow * (1<<height - 1)
)

func columnBits(column int) uint64 { return (1<<height - 1) << (column * stride) }
func bottomBit(column int) uint64  { return 1 << (column * stride) }
func topBit(column int) uint64     { return 1 << (height - 1 + column*stride) }

// Position is a Connect Four position seen from the side to move, as two
// bitboards of seven bits per column (six rows from the bottom up and an empty
// guard bit). It is a small value: copy it freely.
//
// The zero value is the empty board with the first player to move. A Position
// holds no game that is already won: the constructors refuse to go past a
// winning move. Methods never modify the receiver, so a Position is safe for
// concurrent use.
type Position struct {
	current uint64 // the stones of the side to move
	mask    uint64 // every stone
	moves   int    // the number of stones on the board
}

// FromMoves returns the position reached by playing the columns given as the
// digits '1' (left) to '7' (right) from the empty board, as in Pascal Pons'
// benchmark files: in "4453" the first player takes the centre, the second
// player goes on top, then they play columns 5 and 3. The error wraps ErrBadColumn, ErrColumnFull or
// ErrGameOver (a move after four in a row, or one that makes four in a row) and
// names the move at fault.
func FromMoves(moves string) (Position, error) {
	var p Position
	for i := 0; i < len(moves); i++ {
		c := int(moves[i]) - '1'
		if c < 0 || c >= width {
			return Position{}, fmt.Errorf("move %d %q: %w", i+1, moves[i], ErrBadColumn)
		}
		if err := p.check(c); err != nil {
			return Position{}, fmt.Errorf("move %d (column %d): %w", i+1, c+1, err)
		}
		p.play(p.moveBit(c))
	}
	return p, nil
}

// FromGame returns the position of a game in progress. It wraps ErrGameOver for
// a game that is won or drawn.
func FromGame(g *connect4.Game) (Position, error) {
	if g.Over() {
		return Position{}, ErrGameOver
	}
	var p Position
	for _, m := range g.Moves() {
		p.play(p.moveBit(m.Column))
	}
	return p, nil
}

// check reports why column cannot be played, or nil.
func (p Position) check(column int) error {
	switch {
	case column < 0 || column >= width:
		return ErrBadColumn
	case p.moves == cells:
		return ErrGameOver
	case p.mask&topBit(column) != 0:
		return ErrColumnFull
	case p.isWinningMove(column):
		return ErrGameOver
	}
	return nil
}

// Play returns the position after the side to move plays column (0 to 6). The
// error wraps ErrBadColumn, ErrColumnFull or ErrGameOver; a move that wins is
// refused with ErrGameOver because a Position never holds a finished game (use
// IsWinningMove first).
func (p Position) Play(column int) (Position, error) {
	if err := p.check(column); err != nil {
		return p, err
	}
	p.play(p.moveBit(column))
	return p, nil
}

// Moves returns the number of stones on the board.
func (p Position) Moves() int { return p.moves }

// CanPlay reports whether column (0 to 6) has room for a stone.
func (p Position) CanPlay(column int) bool {
	return column >= 0 && column < width && p.mask&topBit(column) == 0
}

// IsWinningMove reports whether the side to move makes four in a row by playing
// column (0 to 6).
func (p Position) IsWinningMove(column int) bool {
	return p.CanPlay(column) && p.isWinningMove(column)
}

// CanWinNext reports whether the side to move has a winning move.
func (p Position) CanWinNext() bool { return p.winning()&p.possible() != 0 }

// Draw reports whether the board is full.
func (p Position) Draw() bool { return p.moves == cells }

// NonLosing returns the columns the side to move may play without letting the
// opponent win at once; it is empty when every move loses. It ignores the side
// to move's own winning moves.
func (p Position) NonLosing() Columns { return columnsOf(p.nonLosingMoves()) }

// OpponentWins returns the columns where the opponent would make four in a row
// if it were their move: the side to move must block them, and loses if there
// are two.
func (p Position) OpponentWins() Columns {
	return columnsOf(p.opponentWinning() & p.possible())
}

// Playable returns the columns that have room for a stone.
func (p Position) Playable() Columns { return columnsOf(p.possible()) }

// Columns is a set of columns: bit c stands for column c. The zero value is
// the empty set.
type Columns uint8

// Has reports whether column c is in the set.
func (cs Columns) Has(c int) bool { return c >= 0 && c < width && cs&(1<<c) != 0 }

// Len returns the number of columns in the set.
func (cs Columns) Len() int { return bits.OnesCount8(uint8(cs)) }

// String lists the columns, as "{0 3 4}".
func (cs Columns) String() string {
	var sb strings.Builder
	sb.WriteByte('{')
	for c := range width {
		if cs.Has(c) {
			if sb.Len() > 1 {
				sb.WriteByte(' ')
			}
			sb.WriteByte(byte('0' + c))
		}
	}
	sb.WriteByte('}')
	return sb.String()
}

// columnsOf returns the columns in which the cells of b lie.
func columnsOf(b uint64) Columns {
	var cs Columns
	for c := range width {
		if b&columnBits(c) != 0 {
			cs |= 1 << c
		}
	}
	return cs
}

// Threats returns how many empty cells would complete four in a row for the
// side to move and for the opponent: a cheap measure of who stands better.
func (p Position) Threats() (own, opponent int) {
	return bits.OnesCount64(p.winning()), bits.OnesCount64(p.opponentWinning())
}

// Key returns a number that identifies the position: two positions have the
// same key exactly when they have the same stones. It is below 2^49.
func (p Position) Key() uint64 { return p.current + p.mask }

// Mirror returns the position reflected left to right, which has the same
// score, column c becoming column 6-c.
func (p Position) Mirror() Position {
	return Position{current: mirror(p.current), mask: mirror(p.mask), moves: p.moves}
}

// mirror reflects a bitboard left to right by moving whole columns.
func mirror(b uint64) uint64 {
	const col = 1<<stride - 1
	return b&(col<<(3*stride)) |
		(b&col)<<(6*stride) | (b>>(6*stride))&col |
		(b&(col<<stride))<<(4*stride) | (b>>(4*stride))&(col<<stride) |
		(b&(col<<(2*stride)))<<(2*stride) | (b>>(2*stride))&(col<<(2*stride))
}

// String draws the board like connect4.Game.String, top row first, with "x" for
// the first player's stones, "o" for the second player's and "." for empty cells.
func (p Position) String() string {
	first := p.current
	if p.moves%2 == 1 {
		first = p.current ^ p.mask
	}
	var sb strings.Builder
	for row := height - 1; row >= 0; row-- {
		for c := range width {
			b := uint64(1) << (c*stride + row)
			switch {
			case first&b != 0:
				sb.WriteByte('x')
			case p.mask&b != 0:
				sb.WriteByte('o')
			default:
				sb.WriteByte('.')
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// play puts a stone of the side to move on the bit move and passes the turn.
func (p *Position) play(move uint64) {
	p.current ^= p.mask
	p.mask |= move
	p.moves++
}

// moveBit returns the cell where a stone dropped in column lands.
func (p Position) moveBit(column int) uint64 {
	return (p.mask + bottomBit(column)) & columnBits(column)
}

func (p Position) isWinningMove(column int) bool {
	return p.winning()&p.possible()&columnBits(column) != 0
}

// possible returns the cells where a stone can be played now.
func (p Position) possible() uint64 { return (p.mask + bottomRow) & fullBoard }

func (p Position) winning() uint64 { return winningCells(p.current, p.mask) }

func (p Position) opponentWinning() uint64 { return winningCells(p.current^p.mask, p.mask) }

// nonLosingMoves returns the playable cells that do not give the opponent an
// immediate win: the side to move must block an opponent's winning cell (and
// loses if there are two) and must not play just below one. It assumes the side
// to move cannot win at once.
func (p Position) nonLosingMoves() uint64 {
	possible := p.possible()
	threats := p.opponentWinning()
	if forced := possible & threats; forced != 0 {
		if forced&(forced-1) != 0 {
			return 0
		}
		possible = forced
	}
	return possible &^ (threats >> 1)
}

// moveScore rates a move for ordering the search: the number of cells that would
// then complete four in a row for the side that played it.
func (p Position) moveScore(move uint64) int {
	return bits.OnesCount64(winningCells(p.current|move, p.mask))
}

// winningCells returns the empty cells that would complete four in a row for
// the stones own, whether or not they can be played now.
func winningCells(own, mask uint64) uint64 {
	// Three in a column, below the cell.
	r := (own << 1) & (own << 2) & (own << 3)
	// The other directions: horizontal, and the two diagonals.
	r |= lineCells(own, stride) | lineCells(own, stride-1) | lineCells(own, stride+1)
	return r & (fullBoard ^ mask)
}

// lineCells returns the cells that complete four in a row with own along the
// direction whose step is d bits: for each of the four places a cell can take in
// a line, the three other stones are shifts of own by multiples of d.
func lineCells(own uint64, d uint) uint64 {
	pair := (own << d) & (own << (2 * d))
	r := pair&(own<<(3*d)) | pair&(own>>d)
	pair = (own >> d) & (own >> (2 * d))
	return r | pair&(own<<d) | pair&(own>>(3*d))
}

// columnOrder lists the columns centre first, the order in which to try moves:
// central stones take part in more lines.
var columnOrder = [width]int{3, 2, 4, 1, 5, 0, 6}
