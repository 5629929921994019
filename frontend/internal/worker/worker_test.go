package worker_test

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/connect4go/connect4/frontend/internal/worker"
	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
	"github.com/connect4go/connect4/shared/solver/pons"
)

var update = flag.Bool("update", false, "solve the sample again with the server's solver and rewrite testdata/scores")

// golden is the file of the sample: each line a position of Pascal Pons'
// benchmark sets with 12 stones or more, its score in the set, and the
// scores of its seven columns by the server's solver (solver.New(0)).
const golden = "testdata/scores"

// sampleOf is how many positions -update takes from each set, evenly
// spaced among those with 12 stones or more.
var sampleOf = []struct {
	set string
	n   int
}{
	{"Test_L3_R1", 6}, {"Test_L2_R1", 8}, {"Test_L2_R2", 8}, {"Test_L1_R1", 6}, {"Test_L1_R2", 6},
}

// A sampled position.
type position struct {
	moves  string
	score  int // Pons' score of the position
	scores solver.Scores
}

// TestAnalyzeMatchesServer checks that the worker's scores of each column
// equal the server's solver's, on the sample of benchmark positions, and that
// the best of them is the position's score in Pons' set. It runs natively and
// in Chromium (GOOS=js GOARCH=wasm with wasmbrowsertest).
func TestAnalyzeMatchesServer(t *testing.T) {
	if *update {
		if err := writeGolden(); err != nil {
			t.Fatal(err)
		}
	}
	sample, err := readGolden()
	if err != nil {
		t.Fatal(err)
	}
	if len(sample) < 30 {
		t.Fatalf("%d positions in %s, want 30 or more", len(sample), golden)
	}
	h := worker.New()
	for _, p := range sample {
		a := h.Handle(context.Background(), worker.Request{Kind: worker.Analyze, Moves: p.moves})
		if a.Err != nil {
			t.Errorf("%s: %v", p.moves, a.Err)
			continue
		}
		if a.Scores != p.scores {
			t.Errorf("%s: worker's scores %v, server's %v", p.moves, a.Scores, p.scores)
		}
		if _, best := a.Scores.Best(); best != p.score {
			t.Errorf("%s: best score %d, Pons' set says %d", p.moves, best, p.score)
		}
	}
}

// readGolden reads the sample.
func readGolden() ([]position, error) {
	f, err := os.Open(golden)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sample []position
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2+len(solver.Scores{}) {
			return nil, fmt.Errorf("%s: bad line %q", golden, sc.Text())
		}
		p := position{moves: fields[0]}
		nums := make([]int, len(fields)-1)
		for i, s := range fields[1:] {
			if nums[i], err = strconv.Atoi(s); err != nil {
				return nil, fmt.Errorf("%s: bad line %q", golden, sc.Text())
			}
		}
		p.score = nums[0]
		copy(p.scores[:], nums[1:])
		sample = append(sample, p)
	}
	return sample, sc.Err()
}

// writeGolden samples Pons' sets and solves each position's columns with
// the server's solver.
func writeGolden() error {
	if runtime.GOOS == "js" {
		return errors.New("-update runs natively")
	}
	var b strings.Builder
	s := solver.New(0)
	for _, set := range sampleOf {
		cases, err := pons.Load(set.set)
		if err != nil {
			return err
		}
		var long []pons.Case
		for _, c := range cases {
			if len(c.Moves) >= 12 {
				long = append(long, c)
			}
		}
		for i := range set.n {
			c := long[i*len(long)/set.n]
			p, err := solver.FromMoves(c.Moves)
			if err != nil {
				return err
			}
			scores, err := s.Analyze(context.Background(), p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s %d", c.Moves, c.Score)
			for _, v := range scores {
				fmt.Fprintf(&b, " %d", v)
			}
			b.WriteByte('\n')
		}
	}
	return os.WriteFile(golden, []byte(b.String()), 0o644)
}

// TestHandle checks the answers to questions of every kind.
func TestHandle(t *testing.T) {
	h := worker.New()
	// In "121212" red has three in column 1 and yellow three in column 2:
	// red, to move, wins in column 1 at once.
	tests := []struct {
		name    string
		req     worker.Request
		column  int   // for Think, or -1 for any legal column
		scores  bool  // an Analyze that must have found scores
		wantErr error // or nil
	}{
		{"perfect wins at once", worker.Request{Kind: worker.Think, Moves: "121212", Level: "perfect"}, 0, false, nil},
		{"easy wins at once", worker.Request{Kind: worker.Think, Moves: "121212", Level: "easy"}, 0, false, nil},
		{"medium wins at once", worker.Request{Kind: worker.Think, Moves: "121212", Level: "medium"}, 0, false, nil},
		{"perfect from the book", worker.Request{Kind: worker.Think, Moves: "", Level: "perfect"}, 3, false, nil},
		{"medium on an empty board", worker.Request{Kind: worker.Think, Moves: "", Level: "medium"}, -1, false, nil},
		{"analysis of the empty board, from the book", worker.Request{Kind: worker.Analyze, Moves: ""}, -1, true, nil},
		{"unknown level", worker.Request{Kind: worker.Think, Moves: "4", Level: "genius"}, -1, false, bot.ErrUnknownLevel},
		{"game over", worker.Request{Kind: worker.Think, Moves: "1212121", Level: "easy"}, -1, false, nil},
		{"unknown kind", worker.Request{Kind: "sing", Moves: "4"}, -1, false, worker.ErrUnknownKind},
		{"bad position to analyze", worker.Request{Kind: worker.Analyze, Moves: "48"}, -1, false, solver.ErrBadColumn},
		{"full column to think in", worker.Request{Kind: worker.Think, Moves: "1111111", Level: "easy"}, -1, false, nil},
		{"memory", worker.Request{Kind: worker.Memory}, -1, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.Handle(context.Background(), tt.req)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(a.Err, tt.wantErr) {
					t.Fatalf("error %v, want %v", a.Err, tt.wantErr)
				}
				return
			case strings.HasPrefix(tt.name, "game over"), strings.HasPrefix(tt.name, "full column"):
				if a.Err == nil {
					t.Fatalf("no error, column %d", a.Column)
				}
				return
			case a.Err != nil:
				t.Fatal(a.Err)
			}
			if tt.req.Kind == worker.Memory {
				// Two solvers' tables at least, both made by now.
				if a.Bytes < 2*8<<20 {
					t.Fatalf("memory %d bytes", a.Bytes)
				}
				return
			}
			if tt.scores {
				if c, _ := a.Scores.Best(); c < 0 {
					t.Fatalf("scores %v: no best column", a.Scores)
				}
				return
			}
			if a.Column < 0 || a.Column > 6 || (tt.column >= 0 && a.Column != tt.column) {
				t.Fatalf("column %d, want %d", a.Column, tt.column)
			}
		})
	}
}

// TestAnalyzeTooEarly checks what an analysis too early in the game
// answers: at once below worker.EarlyStones, or when its time runs out,
// the columns the book or the search scored, the others marked, and
// worker.ErrTooHard; the position's own best column from the book when it
// holds the position.
func TestAnalyzeTooEarly(t *testing.T) {
	b := book.Default()
	// A position of the book whose columns the book does not all know
	// (the computer's turn: its replies' positions are not the book's),
	// and one that the book does not hold.
	var inBook, outOfBook string
	var walk func(moves string, p solver.Position)
	walk = func(moves string, p solver.Position) {
		if p.Moves() == worker.EarlyStones-1 {
			all := true
			for c := range 7 {
				if q, err := p.Play(c); err == nil {
					_, _, ok := b.Lookup(q)
					all = all && ok
				}
			}
			_, _, held := b.Lookup(p)
			switch {
			case held && !all && inBook == "":
				inBook = moves
			case !held && !all && outOfBook == "":
				outOfBook = moves
			}
			return
		}
		for c := range 7 {
			if q, err := p.Play(c); err == nil && !p.IsWinningMove(c) {
				walk(moves+string(rune('1'+c)), q)
			}
		}
	}
	walk("", solver.Position{})
	if inBook == "" || outOfBook == "" {
		t.Fatalf("no position to test: %q in the book, %q out of it", inBook, outOfBook)
	}

	h := worker.New()
	check := func(moves string, ctx context.Context) worker.Answer {
		t.Helper()
		a := h.Handle(ctx, worker.Request{Kind: worker.Analyze, Moves: moves})
		if !errors.Is(a.Err, worker.ErrTooHard) || !errors.Is(a.Err, analysis.ErrTooEarly) {
			t.Fatalf("%s: error %v, want %v", moves, a.Err, worker.ErrTooHard)
		}
		if !analysis.Partial(a.Scores) {
			t.Fatalf("%s: scores %v, all known", moves, a.Scores)
		}
		// Every column scored agrees with the book.
		p, _ := solver.FromMoves(moves)
		for c, s := range a.Scores {
			q, err := p.Play(c)
			if err != nil || s == analysis.Unknown || s == analysis.NotBetter {
				continue
			}
			if _, score, ok := b.Lookup(q); ok && s != -score {
				t.Errorf("%s: column %d scores %d, the book %d", moves, c+1, s, -score)
			}
		}
		return a
	}

	a := check(inBook, context.Background())
	c, score, _ := b.Lookup(mustPosition(t, inBook))
	if got, best := a.Scores.Best(); got != c || best != score || !analysis.BestKnown(a.Scores) {
		t.Errorf("%s: best %d, %d (known %v) from %v; the book says column %d, %d", inBook, got+1, best, analysis.BestKnown(a.Scores), a.Scores, c+1, score)
	}
	a = check(outOfBook, context.Background())
	if analysis.BestKnown(a.Scores) {
		t.Errorf("%s: the best known from %v, out of the book", outOfBook, a.Scores)
	}

	// Past worker.EarlyStones the worker searches, until its time runs
	// out: here at once.
	late := outOfBook + "1"
	if p, err := solver.FromMoves(late); err != nil || p.Moves() != worker.EarlyStones {
		t.Fatalf("%s: %v", late, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	check(late, ctx)
}

func mustPosition(t *testing.T, moves string) solver.Position {
	t.Helper()
	p, err := solver.FromMoves(moves)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
