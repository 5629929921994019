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
	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/solver"
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
