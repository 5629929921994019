package connect4_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
)

// board trims the indentation of an ASCII board written in a test table.
func board(s string) string {
	var b strings.Builder
	for line := range strings.Lines(strings.TrimSpace(s)) {
		b.WriteString(strings.TrimSpace(line))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestWins(t *testing.T) {
	tests := []struct {
		name   string
		moves  []int
		winner connect4.Player
		line   [4]connect4.Cell
		board  string
	}{
		{
			name:   "vertical at the left edge",
			moves:  []int{0, 1, 0, 1, 0, 1, 0},
			winner: connect4.Red,
			line:   [4]connect4.Cell{{0, 0}, {0, 1}, {0, 2}, {0, 3}},
			board: `
				.......
				.......
				R......
				RY.....
				RY.....
				RY.....`,
		},
		{
			name:   "vertical at the top of the right edge",
			moves:  []int{6, 5, 6, 6, 5, 6, 0, 6, 0, 6},
			winner: connect4.Yellow,
			line:   [4]connect4.Cell{{6, 2}, {6, 3}, {6, 4}, {6, 5}},
			board: `
				......Y
				......Y
				......Y
				......Y
				R....RR
				R....YR`,
		},
		{
			name:   "horizontal on the bottom row, right edge",
			moves:  []int{3, 3, 4, 4, 5, 5, 6},
			winner: connect4.Red,
			line:   [4]connect4.Cell{{3, 0}, {4, 0}, {5, 0}, {6, 0}},
			board: `
				.......
				.......
				.......
				.......
				...YYY.
				...RRRR`,
		},
		{
			name:   "horizontal filled in the middle makes five",
			moves:  []int{0, 0, 1, 1, 3, 3, 4, 4, 2},
			winner: connect4.Red,
			line:   [4]connect4.Cell{{0, 0}, {1, 0}, {2, 0}, {3, 0}},
			board: `
				.......
				.......
				.......
				.......
				YY.YY..
				RRRRR..`,
		},
		{
			name:   "diagonal up and right",
			moves:  []int{0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3},
			winner: connect4.Red,
			line:   [4]connect4.Cell{{0, 0}, {1, 1}, {2, 2}, {3, 3}},
			board: `
				.......
				.......
				...R...
				..RR...
				.RRY...
				RYYY..Y`,
		},
		{
			name:   "diagonal down and right, from the left edge",
			moves:  []int{3, 2, 2, 1, 0, 1, 1, 0, 6, 0, 0},
			winner: connect4.Red,
			line:   [4]connect4.Cell{{0, 3}, {1, 2}, {2, 1}, {3, 0}},
			board: `
				.......
				.......
				R......
				YR.....
				YYR....
				RYYR..R`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := connect4.Replay(tt.moves...)
			if err != nil {
				t.Fatalf("Replay: %v", err)
			}
			if got := g.Winner(); got != tt.winner {
				t.Errorf("Winner() = %v, want %v", got, tt.winner)
			}
			line, ok := g.WinningLine()
			if !ok || line != tt.line {
				t.Errorf("WinningLine() = %v, %v; want %v, true", line, ok, tt.line)
			}
			if got, want := g.String(), board(tt.board); got != want {
				t.Errorf("board:\n%s\nwant:\n%s", got, want)
			}
			if !g.Over() || g.Draw() || g.Turn() != connect4.NoPlayer {
				t.Errorf("Over, Draw, Turn = %v, %v, %v; want true, false, none", g.Over(), g.Draw(), g.Turn())
			}
		})
	}
}

// drawn is a whole game that fills the board without four in a row.
var drawn = []int{5, 4, 5, 0, 6, 2, 4, 5, 5, 0, 4, 1, 1, 0, 4, 5, 6, 5, 3, 1, 1, 2, 2, 6, 2, 6, 6, 3, 6, 2, 0, 3, 0, 3, 3, 4, 3, 1, 4, 2, 1, 0}

func TestDraw(t *testing.T) {
	g, err := connect4.Replay(drawn...)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if !g.Draw() || !g.Over() || g.Winner() != connect4.NoPlayer || g.Len() != connect4.Cells {
		t.Errorf("Draw, Over, Winner, Len = %v, %v, %v, %d; want true, true, none, 42", g.Draw(), g.Over(), g.Winner(), g.Len())
	}
	if _, ok := g.WinningLine(); ok {
		t.Error("WinningLine() reports a line in a drawn game")
	}
	for column := range connect4.Columns {
		if g.CanPlay(column) {
			t.Errorf("CanPlay(%d) on a full board", column)
		}
	}
}

func TestPlayRefuses(t *testing.T) {
	full := []int{2, 2, 2, 2, 2, 2}
	tests := []struct {
		name   string
		moves  []int
		player connect4.Player
		column int
		want   error
	}{
		{"yellow before red", nil, connect4.Yellow, 3, connect4.ErrNotYourTurn},
		{"red twice", []int{3}, connect4.Red, 3, connect4.ErrNotYourTurn},
		{"nobody", nil, connect4.NoPlayer, 3, connect4.ErrNotYourTurn},
		{"not a player", nil, connect4.Player(7), 3, connect4.ErrNotYourTurn},
		{"column -1", nil, connect4.Red, -1, connect4.ErrNoColumn},
		{"column 7", nil, connect4.Red, 7, connect4.ErrNoColumn},
		{"huge column", nil, connect4.Red, 1 << 40, connect4.ErrNoColumn},
		{"full column", full, connect4.Red, 2, connect4.ErrColumnFull},
		{"after a win", []int{0, 1, 0, 1, 0, 1, 0}, connect4.Yellow, 1, connect4.ErrGameOver},
		{"after a draw", drawn, connect4.Red, 0, connect4.ErrGameOver},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := connect4.Replay(tt.moves...)
			if err != nil {
				t.Fatalf("Replay: %v", err)
			}
			before := *g
			if _, err := g.Play(tt.player, tt.column); !errors.Is(err, tt.want) {
				t.Errorf("Play(%v, %d) = %v, want %v", tt.player, tt.column, err, tt.want)
			}
			if *g != before {
				t.Error("a refused move changed the game")
			}
		})
	}
}

func TestTurnsAlternate(t *testing.T) {
	var g connect4.Game // the zero value is ready to use
	for i, want := range []connect4.Move{
		{connect4.Red, 3, 0}, {connect4.Yellow, 3, 1}, {connect4.Red, 4, 0}, {connect4.Yellow, 3, 2},
	} {
		if g.Turn() != want.Player {
			t.Fatalf("move %d: Turn() = %v, want %v", i, g.Turn(), want.Player)
		}
		m, err := g.Play(want.Player, want.Column)
		if err != nil || m != want {
			t.Fatalf("move %d: Play = %v, %v; want %v", i, m, err, want)
		}
		if last, ok := g.LastMove(); !ok || last != want {
			t.Fatalf("move %d: LastMove() = %v, %v", i, last, ok)
		}
	}
	if got := g.Moves(); len(got) != 4 || got[3] != (connect4.Move{connect4.Yellow, 3, 2}) {
		t.Errorf("Moves() = %v", got)
	}
	if g.Height(3) != 3 || g.Height(4) != 1 || g.Height(-1) != 0 || g.Height(7) != 0 {
		t.Errorf("Height: %d %d %d %d", g.Height(3), g.Height(4), g.Height(-1), g.Height(7))
	}
}

func TestPlayer(t *testing.T) {
	tests := []struct {
		p     connect4.Player
		name  string
		other connect4.Player
	}{
		{connect4.Red, "red", connect4.Yellow},
		{connect4.Yellow, "yellow", connect4.Red},
		{connect4.NoPlayer, "none", connect4.NoPlayer},
		{connect4.Player(9), "Player(9)", connect4.NoPlayer},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.name {
			t.Errorf("String() = %q, want %q", got, tt.name)
		}
		if got := tt.p.Other(); got != tt.other {
			t.Errorf("%v.Other() = %v, want %v", tt.p, got, tt.other)
		}
		p, err := connect4.ParsePlayer(tt.name)
		if ok := tt.p == connect4.Red || tt.p == connect4.Yellow; ok != (err == nil) || ok && p != tt.p {
			t.Errorf("ParsePlayer(%q) = %v, %v", tt.name, p, err)
		}
	}
}

// fourAt is the oracle for the fuzz test: a plain scan of the board for four in a
// row of p, written without bitboards.
func fourAt(g *connect4.Game, p connect4.Player) bool {
	for c := range connect4.Columns {
		for r := range connect4.Rows {
			for _, d := range [][2]int{{1, 0}, {0, 1}, {1, 1}, {1, -1}} {
				n := 0
				for n < 4 && g.At(c+n*d[0], r+n*d[1]) == p {
					n++
				}
				if n == 4 {
					return true
				}
			}
		}
	}
	return false
}

// FuzzPlay plays the fuzzer's bytes as columns, and checks after every move that
// the game agrees with a plain scan of the board and that refused moves change
// nothing.
func FuzzPlay(f *testing.F) {
	f.Add([]byte{3, 3, 3, 3, 3, 3, 3})
	f.Add([]byte{0, 1, 0, 1, 0, 1, 0})
	seed := make([]byte, len(drawn))
	for i, c := range drawn {
		seed[i] = byte(c)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, columns []byte) {
		g := connect4.NewGame()
		stones := 0
		for _, b := range columns {
			// Mostly legal columns, sometimes a bad one or the wrong player.
			column, p := int(b%9)-1, g.Turn()
			if b >= 240 {
				p = p.Other()
			}
			before := *g
			m, err := g.Play(p, column)
			if err != nil {
				if *g != before {
					t.Fatalf("refused %v in column %d (%v) but the game changed", p, column, err)
				}
				if !before.Over() && p == before.Turn() && before.CanPlay(column) {
					t.Fatalf("refused a legal move in column %d: %v", column, err)
				}
				continue
			}
			stones++
			if m.Row != before.Height(column) || g.At(m.Column, m.Row) != p {
				t.Fatalf("move %v landed wrong:\n%s", m, g)
			}
			if g.Len() != stones {
				t.Fatalf("Len() = %d after %d moves", g.Len(), stones)
			}
			if won := fourAt(g, p); won != (g.Winner() == p) {
				t.Fatalf("four in a row for %v: %v, Winner() = %v\n%s", p, won, g.Winner(), g)
			}
			if line, ok := g.WinningLine(); ok {
				if !slices.Contains(line[:], connect4.Cell{Column: m.Column, Row: m.Row}) {
					t.Fatalf("winning line %v misses the winning move %v", line, m)
				}
				for _, c := range line {
					if g.At(c.Column, c.Row) != p {
						t.Fatalf("winning line %v holds a cell not of %v\n%s", line, p, g)
					}
				}
			}
			if g.Over() != (g.Winner() != connect4.NoPlayer || stones == connect4.Cells) {
				t.Fatalf("Over() = %v with winner %v after %d moves", g.Over(), g.Winner(), stones)
			}
		}
	})
}

func BenchmarkPlay(b *testing.B) {
	// A whole drawn game per iteration: 42 moves, each with its win check.
	b.ReportAllocs()
	for b.Loop() {
		var g connect4.Game
		for _, c := range drawn {
			if _, err := g.Play(g.Turn(), c); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(drawn)), "ns/move")
}
