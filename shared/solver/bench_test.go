package solver_test

import (
	"context"
	"testing"

	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/pons"
)

// benchSample is how many positions the benchmarks take from the two hard sets,
// evenly spaced; the others use all 1000.
var benchSample = map[string]int{"Test_L1_R2": 100, "Test_L1_R3": 10}

// BenchmarkSets solves each benchmark set (or an evenly spaced sample of the hard
// ones) once per iteration, with one solver of the default size whose table is
// emptied (off the clock) before each pass and kept from one position to the
// next within it, and reports the mean time and the mean
// number of positions searched per benchmark position.
func BenchmarkSets(b *testing.B) {
	for _, name := range pons.Sets {
		cases, err := pons.Load(name)
		if err != nil {
			b.Fatal(err)
		}
		if n := benchSample[name]; n > 0 {
			cases = sample(cases, n)
		}
		positions := make([]solver.Position, len(cases))
		for i, c := range cases {
			if positions[i], err = solver.FromMoves(c.Moves); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(name, func(b *testing.B) {
			s := solver.New(0)
			s.Reset() // fault the table's pages in before the clock starts
			ctx := context.Background()
			nodes := s.Nodes()
			for b.Loop() {
				b.StopTimer()
				s.Reset() // each pass starts afresh, or it would find its answers in the table
				b.StartTimer()
				for i, p := range positions {
					if score, _ := s.Solve(ctx, p); score != cases[i].Score {
						b.Fatalf("%s line %d %s: score %d, want %d", name, cases[i].Line, cases[i].Moves, score, cases[i].Score)
					}
				}
			}
			n := float64(b.N * len(positions))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n/1e3, "µs/pos")
			b.ReportMetric(float64(s.Nodes()-nodes)/n, "nodes/pos")
		})
	}
}

// sample returns n cases evenly spaced through cases, the first included.
func sample(cases []pons.Case, n int) []pons.Case {
	if n >= len(cases) {
		return cases
	}
	out := make([]pons.Case, n)
	for i := range out {
		out[i] = cases[i*len(cases)/n]
	}
	return out
}
