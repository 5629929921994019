package bot_test

import (
	"context"
	"testing"

	"github.com/connect4go/connect4/shared/bot"
)

// BenchmarkMove times one move at each level in a position from the middle of
// a game (23 stones, from Pons' Test_L2_R1), and counts what a move allocates.
// Perfect solves it: its solver, and what its tables hold, is kept between
// moves, as in a server.
func BenchmarkMove(b *testing.B) {
	g := game(b, "52753311433677442422121")
	e := bot.New(bot.Options{Solvers: 1})
	for _, level := range bot.Levels {
		b.Run(level.String(), func(b *testing.B) {
			b.ReportAllocs()
			if _, err := e.Move(context.Background(), g, level, nil); err != nil { // make the solver
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := e.Move(context.Background(), g, level, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
