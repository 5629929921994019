package bot_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/connect4"
)

// game replays moves written as in the solver's benchmark files: digits 1 to 7.
func game(t testing.TB, moves string) *connect4.Game {
	t.Helper()
	cols := make([]int, len(moves))
	for i, m := range moves {
		cols[i] = int(m - '1')
	}
	g, err := connect4.Replay(cols...)
	if err != nil {
		t.Fatalf("%s: %v", moves, err)
	}
	return g
}

func TestLevels(t *testing.T) {
	for _, l := range bot.Levels {
		got, err := bot.ParseLevel(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l.String(), got, err)
		}
	}
	for _, s := range []string{"", "Easy", "hard", "perfect "} {
		if _, err := bot.ParseLevel(s); !errors.Is(err, bot.ErrUnknownLevel) {
			t.Errorf("ParseLevel(%q) error = %v, want ErrUnknownLevel", s, err)
		}
	}
	if s := bot.Level(0).String(); s != "Level(0)" {
		t.Errorf("Level(0).String() = %q", s)
	}
}

// forcedTests are positions with one right move: an immediate win, or else the
// only block of the opponent's immediate win. Each board is drawn as
// connect4.Game.String draws it (red moved first), and checked.
var forcedTests = []struct {
	name, moves string // moves as in the solver's benchmark files: digits 1 to 7
	board       string
	want        int
}{
	{"win in a column", "121212", `
.......
.......
.......
RY.....
RY.....
RY.....`, 0},
	{"a win comes before a block", "1212123", `
.......
.......
.......
RY.....
RY.....
RYR....`, 1},
	{"block a row", "11223", `
.......
.......
.......
.......
YY.....
RRR....`, 3},
	{"block a column", "1213145", `
.......
.......
.......
R......
R......
RYYYR..`, 0},
	{"block a diagonal", "12237334445", `
.......
.......
.......
..RY...
.RYR...
RYYYR.R`, 3},
	{"win a diagonal", "122373347464", `
.......
.......
.......
..RY...
.RYY..R
RYYY.RR`, 3},
}

func TestForcedMoves(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := bot.New(bot.Options{NoBook: true, Budget: 200 * time.Millisecond})
	for _, tt := range forcedTests {
		g := game(t, tt.moves)
		if got := "\n" + strings.TrimSuffix(g.String(), "\n"); got != tt.board {
			t.Fatalf("%s: the board is%s\nnot%s", tt.name, got, tt.board)
		}
		for _, level := range bot.Levels {
			for range 20 { // Easy and Medium choose at random otherwise
				c, err := e.Move(context.Background(), g, level, rng)
				if err != nil || c.Column != tt.want {
					t.Fatalf("%s at %v: Move =%+v, %v; want column %d in\n%v", tt.name, level, c, err, tt.want, g)
				}
				if level != bot.Easy {
					break
				}
			}
		}
	}
}

func TestMoveErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := bot.Move(ctx, game(t, "1212121"), bot.Easy, nil); !errors.Is(err, bot.ErrGameOver) {
		t.Errorf("Move on a won game: error %v, want ErrGameOver", err)
	}
	if _, err := bot.Move(ctx, game(t, "4"), bot.Level(9), nil); !errors.Is(err, bot.ErrUnknownLevel) {
		t.Errorf("Move at Level(9): error %v, want ErrUnknownLevel", err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	e := bot.New(bot.Options{NoBook: true})
	if _, err := e.Move(done, game(t, "4"), bot.Perfect, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Perfect with a cancelled context: error %v, want context.Canceled", err)
	}
}

func TestPerfectOpening(t *testing.T) {
	c, err := bot.Move(context.Background(), connect4.NewGame(), bot.Perfect, nil)
	if err != nil || c != (bot.Choice{Column: 3, Source: bot.ByBook, Score: 1}) {
		t.Errorf("Perfect on the empty board = %+v, %v; want the centre from the book, score 1", c, err)
	}
}

// Quick answers without a search exactly when Move would: Easy always,
// Perfect from the book, and agrees with Move then.
func TestQuick(t *testing.T) {
	e := bot.New(bot.Options{})
	deep := "52753311433677442422121" // past the book (Test_L2_R1)
	tests := []struct {
		name   string
		moves  string
		level  bot.Level
		ok     bool
		source bot.Source
	}{
		{"perfect, empty board", "", bot.Perfect, true, bot.ByBook},
		{"perfect, in the book", "4", bot.Perfect, true, bot.ByBook},
		{"perfect, past the book", deep, bot.Perfect, false, 0},
		{"easy", deep, bot.Easy, true, bot.ByChance},
		{"medium", "", bot.Medium, false, 0},
		{"game over", "4455667", bot.Perfect, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := game(t, tt.moves)
			c, ok := e.Quick(g, tt.level, rand.New(rand.NewPCG(1, 2)))
			if ok != tt.ok || (ok && c.Source != tt.source && c.Source != bot.ByRule) {
				t.Fatalf("Quick = %+v, %v; want %v from %v", c, ok, tt.ok, tt.source)
			}
			if ok && tt.level == bot.Perfect {
				m, err := e.Move(context.Background(), g, tt.level, nil)
				if err != nil || m != c {
					t.Errorf("Move = %+v, %v; Quick said %+v", m, err, c)
				}
			}
		})
	}
}

func TestPerfectFallback(t *testing.T) {
	// Without the book, the empty board takes minutes to solve: Perfect must
	// fall back within its budget, and to a sensible move.
	e := bot.New(bot.Options{NoBook: true, Budget: 100 * time.Millisecond})
	start := time.Now()
	c, err := e.Move(context.Background(), connect4.NewGame(), bot.Perfect, nil)
	if err != nil || c.Source != bot.ByDeepening || c.Column != 3 {
		t.Errorf("Perfect on the empty board without a book = %+v, %v; want the centre by deepening", c, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the move took %v with a budget of 100ms", d)
	}
}

// matchGames is how many games TestPerfectNeverLoses plays against each
// opponent, half with each colour; BOT_GAMES in the environment sets more.
func matchGames(t *testing.T) int {
	if s := os.Getenv("BOT_GAMES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("BOT_GAMES=%q: %v", s, err)
		}
		return n
	}
	return 4
}

// TestPerfectNeverLoses plays Perfect against Easy's random play and against
// Medium, two games at a time on one engine. Once Perfect has an exact score
// of a win or a draw, it must not lose. It logs how Perfect chose its moves.
func TestPerfectNeverLoses(t *testing.T) {
	n := matchGames(t)
	e := bot.New(bot.Options{Solvers: 2})
	var mu sync.Mutex
	sources := map[bot.Source]int{}
	results := map[string]int{}
	play := func(opponent bot.Level, i int) {
		rng := rand.New(rand.NewPCG(uint64(i), uint64(opponent)))
		perfect := connect4.Player(connect4.Red + connect4.Player(i%2))
		g := connect4.NewGame()
		bestScore := -100 // the best exact score Perfect has seen
		var used []bot.Source
		for !g.Over() {
			level := opponent
			if g.Turn() == perfect {
				level = bot.Perfect
			}
			c, err := e.Move(context.Background(), g, level, rng)
			if err != nil {
				t.Error(err)
				return
			}
			if level == bot.Perfect {
				used = append(used, c.Source)
				if c.Exact() {
					bestScore = max(bestScore, c.Score)
				}
			}
			if _, err := g.Play(g.Turn(), c.Column); err != nil {
				t.Error(err)
				return
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, s := range used {
			sources[s]++
		}
		switch g.Winner() {
		case perfect:
			results["won"]++
		case connect4.NoPlayer:
			results["drew"]++
		default:
			results["lost"]++
			if bestScore >= 0 {
				t.Errorf("Perfect (%v) lost to %v after an exact score of %d:\n%v", perfect, opponent, bestScore, g)
			}
		}
	}
	type match struct {
		opponent bot.Level
		i        int
	}
	matches := make(chan match)
	go func() {
		for _, opponent := range []bot.Level{bot.Easy, bot.Medium} {
			for i := range n {
				matches <- match{opponent, i}
			}
		}
		close(matches)
	}()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for m := range matches {
				play(m.opponent, m.i)
			}
		})
	}
	wg.Wait()
	t.Logf("%d games against each of easy and medium: %v; Perfect's moves by source: %v", n, results, sources)
}

// TestConcurrent calls one engine from more goroutines than it has solvers.
func TestConcurrent(t *testing.T) {
	e := bot.New(bot.Options{Solvers: 2})
	positions := []string{"52753311433677442422121", "1233722555341451114725221333", "2252576253462244111563365"}
	want := make([]bot.Choice, len(positions))
	games := make([]*connect4.Game, len(positions))
	for i, moves := range positions {
		games[i] = game(t, moves)
		c, err := e.Move(context.Background(), games[i], bot.Perfect, nil)
		if err != nil || c.Source != bot.BySolver {
			t.Fatalf("%s: %+v, %v", moves, c, err)
		}
		want[i] = c
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, moves := range positions {
				if c, err := e.Move(context.Background(), games[i], bot.Perfect, nil); err != nil || c != want[i] {
					t.Errorf("%s: %+v, %v; want %+v", moves, c, err, want[i])
				}
			}
		})
	}
	wg.Wait()
}
