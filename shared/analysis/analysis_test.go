package analysis_test

import (
	"context"
	"testing"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
)

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		score, stones int
		want          string
	}{
		{1, 0, "win in 21"},    // the empty board: red wins with its last stone
		{21, 0, "win in 1"},    // (43-0)/2: a win at once
		{18, 6, "win in 1"},    // (43-6)/2 = 18: red's fourth stone
		{18, 7, "win in 1"},    // yellow, three stones down: its fourth
		{17, 6, "win in 2"},    // one move later
		{0, 10, "draw"},        //
		{-1, 0, "loses in 21"}, // yellow's last stone
		{-18, 6, "loses in 1"}, // red to move: yellow wins at once, its fourth with three down
		{-17, 6, "loses in 2"}, // yellow's fifth
	}
	for _, tt := range tests {
		if got := analysis.OutcomeOf(tt.score, tt.stones).String(); got != tt.want {
			t.Errorf("OutcomeOf(%d, %d) = %q, want %q", tt.score, tt.stones, got, tt.want)
		}
	}
}

// The words of each column agree with the solver, which also knows which
// columns win at once.
func TestColumns(t *testing.T) {
	// Red has three in a row on the bottom row, 0-based columns 3 to 5,
	// both ends open: red to move wins at once in column 2 or 6.
	p, err := solver.FromMoves("445566")
	if err != nil {
		t.Fatal(err)
	}
	s := solver.New(16)
	scores, err := s.Analyze(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	words := analysis.Columns(scores, p.Moves())
	if words[2] != "win in 1" || words[6] != "win in 1" {
		t.Errorf("the winning columns: %q", words)
	}
	u := solver.Unplayable
	if words := analysis.Columns(solver.Scores{u, 0, 3, -2, u, u, u}, 30); words != [7]string{"full", "draw", "win in 4", "loses in 5", "full", "full", "full"} {
		t.Errorf("with full columns: %q", words)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		best, played int
		want         analysis.Label
	}{
		{5, 5, analysis.Best},
		{0, 0, analysis.Best},
		{-3, -3, analysis.Best},
		{5, 2, analysis.Inaccuracy},   // the win comes later
		{-3, -8, analysis.Inaccuracy}, // the loss comes sooner
		{5, 0, analysis.Mistake},      // a win thrown to a draw
		{0, -4, analysis.Mistake},     // a draw to a loss
		{5, -4, analysis.Blunder},     // a win to a loss
	}
	for _, tt := range tests {
		if got := analysis.Classify(tt.best, tt.played); got != tt.want {
			t.Errorf("Classify(%d, %d) = %v, want %v", tt.best, tt.played, got, tt.want)
		}
	}
}

// table is an Analyzer of made-up scores, by the number of stones: each
// label is known from the definitions.
type table map[int]solver.Scores

func (tb table) analyze(_ context.Context, p solver.Position) (solver.Scores, error) {
	return tb[p.Moves()], nil
}

func TestReview(t *testing.T) {
	u := solver.Unplayable
	tb := table{
		0: {1, 1, 1, 5, 1, 1, 1},     // red: 3 wins sooner; 0 plays 1: an inaccuracy
		1: {0, 0, 0, 0, 0, 0, -2},    // yellow: 6 throws the draw away: a mistake
		2: {9, -1, u, u, u, u, 2},    // red: 0 is best
		3: {-5, -5, -5, -5, 3, 0, 0}, // yellow: 4 wins; 0 loses: a blunder
	}
	moves, err := analysis.Review(context.Background(), []int{0, 6, 0, 0}, tb.analyze)
	if err != nil {
		t.Fatal(err)
	}
	want := []analysis.Label{analysis.Inaccuracy, analysis.Mistake, analysis.Best, analysis.Blunder}
	for i, m := range moves {
		if m.Label != want[i] {
			t.Errorf("move %d (%d): %v, want %v", i+1, m.Column, m.Label, want[i])
		}
	}
	if moves[3].BestColumn != 4 || moves[3].Best != 3 || moves[3].Played != -5 || moves[3].Player != connect4.Yellow {
		t.Errorf("the blunder: %+v", moves[3])
	}
	if a, ok := analysis.Accuracy(moves, connect4.Red); !ok || a != 87.5 {
		t.Errorf("red's accuracy %v, %v; want 87.5", a, ok)
	}
	if a, ok := analysis.Accuracy(moves, connect4.Yellow); !ok || a != 12.5 {
		t.Errorf("yellow's accuracy %v, %v; want 12.5", a, ok)
	}
	if _, ok := analysis.Accuracy(nil, connect4.Red); ok {
		t.Error("an accuracy without moves")
	}
}

// With the real solver, past the opening (whose exact scores take the book):
// red, who can win at once at either end of its three, plays elsewhere and
// still wins a move later, an inaccuracy; yellow, lost whatever it does,
// plays as well as it can.
func TestReviewWithTheSolver(t *testing.T) {
	s := solver.New(16)
	analyze := func(ctx context.Context, p solver.Position) (solver.Scores, error) {
		if p.Moves() < 6 {
			return solver.Scores{}, nil // the opening: all draws, as far as this test cares
		}
		return s.Analyze(ctx, p)
	}
	game := []int{3, 3, 4, 4, 5, 5, 0, 2}
	moves, err := analysis.Review(context.Background(), game, analyze)
	if err != nil {
		t.Fatal(err)
	}
	if m := moves[6]; m.Label != analysis.Inaccuracy || m.Best != 18 || (m.BestColumn != 2 && m.BestColumn != 6) ||
		m.Outcome(6).String() != "win in 2" {
		t.Errorf("red's delayed win: %+v, %v", m, m.Outcome(6))
	}
	if m := moves[7]; m.Label != analysis.Best || m.Outcome(7).String() != "loses in 1" {
		t.Errorf("yellow, lost anyway: %+v, %v", m, m.Outcome(7))
	}
}

// A partial analysis labels a move only when both its score and the best
// are known, and says "not known" for the columns it lacks.
func TestPartial(t *testing.T) {
	u, x, nb := solver.Unplayable, analysis.Unknown, analysis.NotBetter
	tests := []struct {
		name      string
		scores    solver.Scores
		column    int
		partial   bool
		bestKnown bool
		label     string // "" when not known
	}{
		{"whole", solver.Scores{1, 1, 1, 5, 1, 1, u}, 0, false, true, "inaccuracy"},
		{"an unknown column may be better", solver.Scores{1, 1, 1, x, 1, 1, u}, 0, true, false, ""},
		{"the book's best, the rest no better", solver.Scores{nb, nb, nb, 5, nb, nb, u}, 3, true, true, "best"},
		{"a column no better, but how much worse", solver.Scores{nb, nb, nb, 5, nb, nb, u}, 0, true, true, ""},
		{"known columns and the book's best", solver.Scores{-2, nb, nb, 5, nb, 0, u}, 0, true, true, "blunder"},
		{"nothing known", solver.Scores{x, x, x, x, x, x, x}, 3, true, false, ""},
	}
	for _, tt := range tests {
		if got := analysis.Partial(tt.scores); got != tt.partial {
			t.Errorf("%s: Partial = %v", tt.name, got)
		}
		if got := analysis.BestKnown(tt.scores); got != tt.bestKnown {
			t.Errorf("%s: BestKnown = %v", tt.name, got)
		}
		l, ok := analysis.LabelOf(tt.scores, tt.column)
		got := ""
		if ok {
			got = l.String()
		}
		if got != tt.label {
			t.Errorf("%s: LabelOf(column %d) = %q, want %q", tt.name, tt.column+1, got, tt.label)
		}
	}
	if words := analysis.Columns(solver.Scores{x, nb, 0, u, 3, x, x}, 30); words != [7]string{"not known", "not known", "draw", "full", "win in 4", "not known", "not known"} {
		t.Errorf("the words of a partial analysis: %q", words)
	}
}
