// Package bot plays Connect Four for the computer, at three levels: Easy plays
// almost at random, Medium looks a few moves ahead, and Perfect plays the
// solver's best move.
//
// Move chooses a move for the side to move in a game and says how it chose it
// (a Choice holds its Source), so that a server can count, for example, how often Perfect had to
// fall back from an exact solve. Perfect answers in about a second (Budget):
// from the opening book for the first moves, otherwise from an exact solve
// within part of the budget, otherwise from a depth-first search that deepens
// one move at a time within the rest, taking the best move of the deepest search
// that finished. Only the last is not perfect play.
package bot

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

// Errors returned by Move and ParseLevel.
var (
	ErrGameOver     = errors.New("bot: the game is over")
	ErrUnknownLevel = errors.New("bot: unknown level")
)

// Level is how well the computer plays. The zero value is not a level.
type Level int8

// The levels, weakest first.
const (
	// Easy wins at once when it can and blocks the opponent's immediate win,
	// and otherwise plays at random, favouring the centre: it makes real
	// mistakes, such as playing just under the opponent's winning cell.
	Easy Level = iota + 1
	// Medium looks MediumDepth moves ahead, judging the positions there by
	// their threats, and picks at random among the moves it rates best.
	Medium
	// Perfect plays a best move by the solver's exact scores: it never loses
	// a game it can win or draw, and wins as fast and loses as slowly as
	// possible. It may fall back to a deepening search when a position is too
	// hard to solve within the time budget (early in the game, past the book).
	Perfect
)

// Levels lists the levels, weakest first.
var Levels = []Level{Easy, Medium, Perfect}

var levelNames = [...]string{Easy: "easy", Medium: "medium", Perfect: "perfect"}

// String returns "easy", "medium" or "perfect".
func (l Level) String() string {
	if l >= Easy && l <= Perfect {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", int8(l))
}

// ParseLevel returns the level named as String writes it.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels {
		if s == levelNames[l] {
			return l, nil
		}
	}
	return 0, fmt.Errorf("%w %q (want easy, medium or perfect)", ErrUnknownLevel, s)
}

// Source says how a move was chosen. The zero value is not a source.
type Source int8

// The sources of a move.
const (
	// ByRule is an immediate win or a block of the opponent's immediate win
	// (Easy and Medium).
	ByRule Source = iota + 1
	// ByChance is Easy's random choice.
	ByChance
	// ByLookahead is Medium's depth-limited search.
	ByLookahead
	// ByBook is Perfect's move from the opening book.
	ByBook
	// BySolver is Perfect's move from an exact solve.
	BySolver
	// ByDeepening is Perfect's fallback: the best move of the deepest
	// heuristic search that finished within the budget.
	ByDeepening
)

var sourceNames = [...]string{ByRule: "rule", ByChance: "chance", ByLookahead: "lookahead",
	ByBook: "book", BySolver: "solver", ByDeepening: "deepening"}

// String returns the source's name: "rule", "chance", "lookahead", "book",
// "solver" or "deepening".
func (s Source) String() string {
	if s >= ByRule && s <= ByDeepening {
		return sourceNames[s]
	}
	return fmt.Sprintf("Source(%d)", int8(s))
}

// Choice is a move chosen by the computer and how it was chosen.
type Choice struct {
	Column int    // 0 to 6
	Source Source // how the column was chosen
	// Score is the exact score of the position for the computer, in the
	// solver's convention (positive: it wins), when Source is ByBook or
	// BySolver; otherwise 0.
	Score int
}

// Exact reports whether Score is the position's exact score.
func (c Choice) Exact() bool { return c.Source == ByBook || c.Source == BySolver }

// Default settings of an Engine.
const (
	DefaultBudget    = 900 * time.Millisecond
	DefaultTableBits = 20
	MediumDepth      = 5
)

// Options configure an Engine. The zero value of each field picks its default.
type Options struct {
	// Budget is about the longest a Perfect move takes (DefaultBudget): three
	// quarters for the exact solve, the rest for the fallback.
	Budget time.Duration
	// Solvers is the most Perfect moves searched at once, each with a solver
	// of its own; further calls wait. The default is runtime.GOMAXPROCS(0).
	Solvers int
	// TableBits sizes each solver's main transposition table, as for
	// solver.New (DefaultTableBits: 8 MiB, 16.5 MiB with the tables of the
	// later stages). Solvers are made when first needed and then kept, with
	// what their tables hold, for later moves.
	TableBits int
	// Book is the opening book; nil means book.Default().
	Book solver.Book
	// NoBook leaves the book out, so that Perfect solves every position.
	NoBook bool
}

// Engine chooses moves for the computer. It is safe for concurrent use. Make
// one with New; the zero value is not usable.
type Engine struct {
	opts Options
	sem  chan struct{} // one token per solver in use

	mu   sync.Mutex
	free []*solver.Solver
}

// New returns an engine with the given options.
func New(opts Options) *Engine {
	if opts.Budget <= 0 {
		opts.Budget = DefaultBudget
	}
	if opts.Solvers <= 0 {
		opts.Solvers = runtime.GOMAXPROCS(0)
	}
	if opts.TableBits == 0 {
		opts.TableBits = DefaultTableBits
	}
	if opts.NoBook {
		opts.Book = nil
	} else if opts.Book == nil {
		opts.Book = book.Default()
	}
	return &Engine{opts: opts, sem: make(chan struct{}, opts.Solvers)}
}

var defaultEngine = sync.OnceValue(func() *Engine { return New(Options{}) })

// Move chooses a move with an engine of default Options, shared by all
// callers; see Engine.Move.
func Move(ctx context.Context, g *connect4.Game, level Level, rng *rand.Rand) (Choice, error) {
	return defaultEngine().Move(ctx, g, level, rng)
}

// Move chooses a column for the side to move in g at the given level, and says
// how it chose. It reads g but does not play the move. rng drives
// Easy's and Medium's random choices; nil means the global generator (a
// *rand.Rand is not safe for concurrent use: pass one per goroutine). The error
// wraps ErrGameOver or ErrUnknownLevel, or is ctx's error if ctx is done before
// a Perfect move could start; once started, Perfect returns a move by its
// budget or ctx's deadline, whichever is sooner.
func (e *Engine) Move(ctx context.Context, g *connect4.Game, level Level, rng *rand.Rand) (Choice, error) {
	p, err := solver.FromGame(g)
	if err != nil {
		return Choice{Column: -1}, ErrGameOver
	}
	switch level {
	case Easy:
		return easy(p, rng), nil
	case Medium:
		return medium(p, rng), nil
	case Perfect:
		return e.perfect(ctx, p)
	}
	return Choice{Column: -1}, fmt.Errorf("%w: %v", ErrUnknownLevel, level)
}

// Quick returns the move that level plays in g when choosing it takes no
// search, and true: Easy's move, or Perfect's from the opening book. For
// Medium, and for Perfect past the book, it reports false: Move searches.
// A server plays those at once, without waiting for a solver.
func (e *Engine) Quick(g *connect4.Game, level Level, rng *rand.Rand) (Choice, bool) {
	p, err := solver.FromGame(g)
	if err != nil {
		return Choice{Column: -1}, false
	}
	switch level {
	case Easy:
		return easy(p, rng), true
	case Perfect:
		return e.fromBook(p)
	}
	return Choice{Column: -1}, false
}

// fromBook returns Perfect's move in p from the opening book, if it has one.
func (e *Engine) fromBook(p solver.Position) (Choice, bool) {
	if e.opts.Book != nil {
		if c, score, ok := e.opts.Book.Lookup(p); ok {
			return Choice{Column: c, Source: ByBook, Score: score}, true
		}
	}
	return Choice{Column: -1}, false
}

// forced returns a winning column, or else the column of the opponent's
// immediate win, and false if there is neither.
func forced(p solver.Position) (int, bool) {
	for _, c := range columnOrder {
		if p.IsWinningMove(c) {
			return c, true
		}
	}
	blocks := p.OpponentWins()
	for _, c := range columnOrder {
		if blocks.Has(c) {
			return c, true
		}
	}
	return -1, false
}

// easyWeights favours the centre, where a stone takes part in more lines.
var easyWeights = [7]int{1, 2, 3, 4, 3, 2, 1}

func easy(p solver.Position, rng *rand.Rand) Choice {
	if c, ok := forced(p); ok {
		return Choice{Column: c, Source: ByRule}
	}
	total := 0
	for c, w := range easyWeights {
		if p.CanPlay(c) {
			total += w
		}
	}
	n := intN(rng, total)
	for c, w := range easyWeights {
		if p.CanPlay(c) {
			if n < w {
				return Choice{Column: c, Source: ByChance}
			}
			n -= w
		}
	}
	panic("bot: no playable column in a game that is not over")
}

func medium(p solver.Position, rng *rand.Rand) Choice {
	if c, ok := forced(p); ok {
		return Choice{Column: c, Source: ByRule}
	}
	var s search
	scores, _ := s.scores(context.Background(), p, MediumDepth)
	return Choice{Column: pick(scores, rng), Source: ByLookahead}
}

// pick returns one of the columns with the highest score, at random.
func pick(scores [7]int, rng *rand.Rand) int {
	best, n := noScore, 0
	for _, v := range scores {
		if v > best {
			best, n = v, 1
		} else if v == best {
			n++
		}
	}
	k := intN(rng, n)
	for c, v := range scores {
		if v == best {
			if k == 0 {
				return c
			}
			k--
		}
	}
	panic("bot: no column to pick")
}

func intN(rng *rand.Rand, n int) int {
	if rng == nil {
		return rand.IntN(n)
	}
	return rng.IntN(n)
}

func (e *Engine) perfect(ctx context.Context, p solver.Position) (Choice, error) {
	if choice, ok := e.fromBook(p); ok {
		return choice, nil
	}
	if err := ctx.Err(); err != nil {
		return Choice{Column: -1}, err
	}
	start := time.Now()
	s, err := e.acquire(ctx)
	if err != nil {
		return Choice{Column: -1}, err
	}
	defer e.release(s)
	solveCtx, cancel := context.WithDeadline(ctx, start.Add(e.opts.Budget*3/4))
	c, score, err := s.BestMove(solveCtx, p)
	cancel()
	if err == nil {
		return Choice{Column: c, Source: BySolver, Score: score}, nil
	}
	deepCtx, cancel := context.WithDeadline(ctx, start.Add(e.opts.Budget))
	defer cancel()
	return Choice{Column: deepen(deepCtx, p), Source: ByDeepening}, nil
}

// deepen returns the best move of the deepest search that finishes before ctx
// is done; the one-move search always finishes.
func deepen(ctx context.Context, p solver.Position) int {
	var s search
	scores, _ := s.scores(context.Background(), p, 1)
	best := bestOf(scores)
	for depth := 2; depth <= 42-p.Moves(); depth++ {
		scores, ok := s.scores(ctx, p, depth)
		if !ok {
			break
		}
		best = bestOf(scores)
		if _, score := best, scores[best]; score > winScore-43 || score < -(winScore-43) {
			break // a win or a loss is certain: looking deeper changes nothing
		}
	}
	return best
}

// bestOf returns the most central column with the highest score.
func bestOf(scores [7]int) int {
	best := -1
	for _, c := range columnOrder {
		if best < 0 || scores[c] > scores[best] {
			best = c
		}
	}
	return best
}

// acquire returns a solver for one move, waiting while all are in use.
func (e *Engine) acquire(ctx context.Context) (*solver.Solver, error) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := len(e.free); n > 0 {
		s := e.free[n-1]
		e.free = e.free[:n-1]
		return s, nil
	}
	s := solver.New(e.opts.TableBits)
	return s, nil
}

func (e *Engine) release(s *solver.Solver) {
	e.mu.Lock()
	e.free = append(e.free, s)
	e.mu.Unlock()
	<-e.sem
}
