package solver_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/pons"
)

// testTableBits keeps the tests' solvers small (8 MiB plus the stage tables):
// enough for the positions they solve, and quick to allocate under -race.
const testTableBits = 20

// testLines picks, for each benchmark set, the lines the tests solve: evenly
// spaced through the easy sets, fewer of the harder ones, and for Test_L1_R3 a
// few lines that take well under a second (the set's mean is seconds). With
// PONS_ALL=1 in the environment every line of the five quicker sets is checked,
// which takes minutes.
var testLines = map[string][]int{
	"Test_L3_R1": spaced(1000, 100),
	"Test_L2_R1": spaced(1000, 100),
	"Test_L1_R1": spaced(1000, 50),
	"Test_L2_R2": spaced(1000, 20),
	"Test_L1_R2": spaced(1000, 4),
	"Test_L1_R3": {3, 6},
}

// spaced returns n line numbers evenly spaced through 1..total, starting at 1.
func spaced(total, n int) []int {
	lines := make([]int, n)
	for i := range lines {
		lines[i] = 1 + i*total/n
	}
	return lines
}

func TestPonsSets(t *testing.T) {
	all := os.Getenv("PONS_ALL") == "1"
	for _, name := range pons.Sets {
		t.Run(name, func(t *testing.T) {
			cases, err := pons.Load(name)
			if err != nil {
				t.Fatal(err) // the data is in testdata/pons: see pons.Dir
			}
			lines := testLines[name]
			if all && name != "Test_L1_R3" {
				lines = spaced(len(cases), len(cases))
			}
			s := solver.New(testTableBits)
			for _, line := range lines {
				c := cases[line-1]
				p, err := solver.FromMoves(c.Moves)
				if err != nil {
					t.Fatalf("line %d %s: %v", c.Line, c.Moves, err)
				}
				score, err := s.Solve(context.Background(), p)
				if err != nil || score != c.Score {
					t.Errorf("line %d %s: Solve = %d, %v; want %d", c.Line, c.Moves, score, err, c.Score)
				}
			}
		})
	}
}

func TestAnalyze(t *testing.T) {
	// Analyze agrees with Solve, column by column, on some quick positions.
	cases, err := pons.Load("Test_L2_R1")
	if err != nil {
		t.Fatal(err)
	}
	s := solver.New(testTableBits)
	ctx := context.Background()
	for _, line := range spaced(len(cases), 5) {
		c := cases[line-1]
		p, _ := solver.FromMoves(c.Moves)
		scores, err := s.Analyze(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, best := scores.Best(); best != c.Score {
			t.Errorf("Analyze(%s) = %v: best %d, want %d", c.Moves, scores, best, c.Score)
		}
		for col, score := range scores {
			q, err := p.Play(col)
			switch {
			case !p.CanPlay(col):
				if score != solver.Unplayable {
					t.Errorf("Analyze(%s)[%d] = %d for a full column", c.Moves, col, score)
				}
			case p.IsWinningMove(col):
				if want := (43 - p.Moves()) / 2; score != want {
					t.Errorf("Analyze(%s)[%d] = %d for a win at once, want %d", c.Moves, col, score, want)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if after, _ := s.Solve(ctx, q); score != -after {
					t.Errorf("Analyze(%s)[%d] = %d, but the position after it scores %d", c.Moves, col, score, after)
				}
			}
		}
	}
}

func TestScoreConvention(t *testing.T) {
	tests := []struct {
		moves string
		score int
	}{
		{"4455", 18},         // Pons' example: an open three in the bottom row, a win with the 4th stone
		{"44455554221", -15}, // Pons' other example
		{"1212123", 18},      // the second player wins at once with a 4th stone
		{"1212124", 18},
		{"1212127", 18},
	}
	s := solver.New(testTableBits)
	for _, tt := range tests {
		p, err := solver.FromMoves(tt.moves)
		if err != nil {
			t.Fatal(err)
		}
		if score, err := s.Solve(context.Background(), p); score != tt.score || err != nil {
			t.Errorf("Solve(%s) = %d, %v; want %d", tt.moves, score, err, tt.score)
		}
	}
}

func TestFullColumns(t *testing.T) {
	p, _ := solver.FromMoves("1233722555341451114725221333")
	scores, err := solver.New(testTableBits).Analyze(context.Background(), p)
	want := solver.Scores{solver.Unplayable, solver.Unplayable, solver.Unplayable, -1, -1, -1, -1}
	if scores != want || err != nil {
		t.Errorf("Analyze(%v) = %v, %v; want %v", p, scores, err, want)
	}
	if c, score := scores.Best(); c != 3 || score != -1 {
		t.Errorf("Best() = %d, %d; want the centre, -1", c, score)
	}
}

func TestDraw(t *testing.T) {
	// A full board with no four in a row.
	p, err := solver.FromMoves("656173566152215676422337377473141445425321")
	if err != nil {
		t.Fatal(err)
	}
	s := solver.New(testTableBits)
	if score, err := s.Solve(context.Background(), p); score != 0 || err != nil {
		t.Errorf("Solve(full board) = %d, %v", score, err)
	}
	if c, score, err := s.BestMove(context.Background(), p); c != -1 || score != 0 || err != nil {
		t.Errorf("BestMove(full board) = %d, %d, %v", c, score, err)
	}
}

func TestLimits(t *testing.T) {
	p, _ := solver.FromMoves("44")
	s := solver.New(testTableBits)
	s.NodeLimit = 10_000
	if _, err := s.Solve(context.Background(), p); !errors.Is(err, solver.ErrStopped) || !errors.Is(err, solver.ErrNodeLimit) {
		t.Errorf("Solve with a node limit: error %v, want ErrStopped and ErrNodeLimit", err)
	}
	if n := s.Nodes(); n < 10_000 || n > 20_000 {
		t.Errorf("searched %d positions with a limit of 10000", n)
	}
	s.NodeLimit = 0
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Analyze(ctx, p); !errors.Is(err, solver.ErrStopped) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Analyze with a deadline: error %v, want ErrStopped and DeadlineExceeded", err)
	}
	// A stopped search leaves nothing false behind: the solver still solves.
	q, _ := solver.FromMoves("4455")
	if score, err := s.Solve(context.Background(), q); score != 18 || err != nil {
		t.Errorf("Solve after a stop = %d, %v; want 18", score, err)
	}
}

func TestBook(t *testing.T) {
	s := solver.New(testTableBits)
	s.Book = fakeBook{}
	if score, err := s.Solve(context.Background(), solver.Position{}); score != 1 || err != nil {
		t.Errorf("Solve(empty) with a book = %d, %v; want 1", score, err)
	}
	if c, score, err := s.BestMove(context.Background(), solver.Position{}); c != 3 || score != 1 || err != nil {
		t.Errorf("BestMove(empty) with a book = %d, %d, %v; want 3, 1", c, score, err)
	}
	if s.Nodes() != 0 {
		t.Errorf("searched %d positions with the answer in the book", s.Nodes())
	}
}

// fakeBook knows only the empty board.
type fakeBook struct{}

func (fakeBook) Lookup(p solver.Position) (column, score int, ok bool) {
	if p.Moves() != 0 {
		return -1, 0, false
	}
	return 3, 1, true
}

func TestBestMove(t *testing.T) {
	cases, err := pons.Load("Test_L2_R2")
	if err != nil {
		t.Fatal(err)
	}
	s := solver.New(testTableBits)
	for _, line := range spaced(len(cases), 10) {
		c := cases[line-1]
		p, _ := solver.FromMoves(c.Moves)
		column, score, err := s.BestMove(context.Background(), p)
		if err != nil || score != c.Score {
			t.Fatalf("BestMove(%s) = %d, %d, %v; want the score %d", c.Moves, column, score, err, c.Score)
		}
		// The move must keep the score: the opponent's score after it is the
		// opposite, unless it wins at once.
		if p.IsWinningMove(column) {
			continue
		}
		q, err := p.Play(column)
		if err != nil {
			t.Fatal(err)
		}
		if after, _ := s.Solve(context.Background(), q); after != -score {
			t.Errorf("BestMove(%s) = %d, %d; but the position after it is worth %d", c.Moves, column, score, after)
		}
	}
}
