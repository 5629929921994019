package solver_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
)

func TestFromMoves(t *testing.T) {
	tests := []struct {
		moves string
		err   error
		board string // when err is nil
	}{
		{moves: "", board: `
.......
.......
.......
.......
.......
.......`},
		{moves: "4453", board: `
.......
.......
.......
.......
...o...
..oxx..`},
		{moves: "1111112", board: `
o......
x......
o......
x......
o......
xx.....`},
		{moves: "121212", board: `
.......
.......
.......
xo.....
xo.....
xo.....`},
		{moves: "48", err: solver.ErrBadColumn},
		{moves: "40", err: solver.ErrBadColumn},
		{moves: "4 4", err: solver.ErrBadColumn},
		{moves: "1111111", err: solver.ErrColumnFull},
		{moves: "1212121", err: solver.ErrGameOver},  // the first player's fourth in column 1 wins
		{moves: "12121213", err: solver.ErrGameOver}, // the game was already won
		{moves: "4455667", err: solver.ErrGameOver},  // four along the bottom row
	}
	for _, tt := range tests {
		p, err := solver.FromMoves(tt.moves)
		if !errors.Is(err, tt.err) {
			t.Errorf("FromMoves(%q) error = %v, want %v", tt.moves, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if got, want := "\n"+strings.TrimSuffix(p.String(), "\n"), tt.board; got != want {
			t.Errorf("FromMoves(%q) =%s\nwant%s", tt.moves, got, want)
		}
		if p.Moves() != len(tt.moves) {
			t.Errorf("FromMoves(%q).Moves() = %d", tt.moves, p.Moves())
		}
	}
}

func TestFromGame(t *testing.T) {
	g, err := connect4.Replay(3, 3, 4, 2, 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := solver.FromGame(g)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := solver.FromMoves("445371")
	if got != want {
		t.Errorf("FromGame =\n%vwant\n%v", got, want)
	}

	won, _ := connect4.Replay(0, 1, 0, 1, 0, 1, 0)
	if _, err := solver.FromGame(won); !errors.Is(err, solver.ErrGameOver) {
		t.Errorf("FromGame(won game) error = %v, want ErrGameOver", err)
	}
}

func TestPlay(t *testing.T) {
	p, _ := solver.FromMoves("121212")
	if !p.IsWinningMove(0) || p.IsWinningMove(1) || !p.CanWinNext() {
		t.Errorf("the first player should win in column 0 only:\n%v", p)
	}
	if _, err := p.Play(0); !errors.Is(err, solver.ErrGameOver) {
		t.Errorf("Play(winning move) error = %v, want ErrGameOver", err)
	}
	if _, err := p.Play(7); !errors.Is(err, solver.ErrBadColumn) {
		t.Errorf("Play(7) error = %v, want ErrBadColumn", err)
	}
	// The second player must block column 0 and may play nothing else.
	q, err := p.Play(2)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.NonLosing(); got != solver.Columns(1) {
		t.Errorf("NonLosing() = %v, want only column 0", got)
	}
	full, _ := solver.FromMoves("111111")
	if full.CanPlay(0) {
		t.Error("CanPlay(0) on a full column")
	}
}

func TestMirror(t *testing.T) {
	p, _ := solver.FromMoves("4453712")
	q, _ := solver.FromMoves("4435176")
	if p.Mirror() != q || p.Mirror().Key() != q.Key() || p.Mirror().Mirror() != p {
		t.Errorf("Mirror of\n%vis\n%vwant\n%v", p, p.Mirror(), q)
	}
}
