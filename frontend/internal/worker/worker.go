// Package worker answers the questions that the page asks its Web Worker: the
// exact score of each column of a position, and the computer's move in it.
// It is the worker's logic without the browser: frontend/cmd/worker turns
// the page's messages into Requests and the Answers back into messages.
//
// A position is named by its moves, each column's number from 1 to 7 in the
// order played ("4453"), as in the page's ?pos= links and
// [solver.FromMoves].
//
// Memory is bounded: the worker's solver for analysis has a main table of
// 2^[TableBits] entries, and the computer's Perfect level one of its own of
// the same size, 16.5 MiB each with the tables of the later stages, where
// the server's solver has 2^23 (72.5 MiB). Each is made on the first
// question that needs it, so that a worker that only analyses, or only
// plays, holds one.
package worker

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

// Settings of the worker.
const (
	// TableBits sizes the main transposition table of each of the worker's
	// two solvers (see [solver.New]): 2^20 entries, 8 MiB, plus 8.5 MiB for
	// the tables of the later stages.
	TableBits = 20
	// AnalyzeBudget is the longest an analysis takes: past it the worker
	// gives up on the columns not scored yet (early positions out of the
	// opening book can take minutes).
	AnalyzeBudget = 20 * time.Second
	// EarlyStones is the fewest stones of a position whose columns out of
	// the opening book the worker searches: with fewer, each takes it
	// minutes (with 4 stones, 12 s or more natively, 1.5 to 2.6 times that
	// in a browser), and it answers at once with what the book knows.
	EarlyStones = 5
	// ThinkBudget is about the longest the computer's Perfect move takes
	// (see [bot.Options]).
	ThinkBudget = 1500 * time.Millisecond
)

// The kinds of question.
const (
	Analyze = "analyze" // the score of each column
	Think   = "think"   // the computer's move at a level
	Memory  = "memory"  // the memory the worker holds, for measuring it
)

// Errors of the answers.
var (
	ErrUnknownKind = errors.New("worker: unknown kind of question")
	// ErrTooHard answers an analysis of a position too early in the game,
	// with the scores of the columns it could score.
	ErrTooHard = analysis.ErrTooEarly
)

// Request is one question of the page.
type Request struct {
	Kind  string // Analyze or Think
	Moves string // the position, as its moves from "1" to "7"
	Level string // for Think: "easy", "medium" or "perfect"
}

// Answer is the worker's answer to a Request: Scores for Analyze, Column
// (0 to 6) for Think, Bytes for Memory, or Err. An analysis cut short
// ([ErrTooHard]) has both: the Scores it found, [analysis.Unknown] or
// [analysis.NotBetter] for the others.
type Answer struct {
	Scores solver.Scores
	Column int
	// Bytes is the memory that the Go runtime holds from the system (in a
	// browser, about the size of the wasm instance's memory).
	Bytes uint64
	Err   error
}

// Handler answers requests, one at a time. It keeps what its solvers learn
// from one request to the next. It is not safe for concurrent use; the zero
// value is not usable: use New.
type Handler struct {
	solver *solver.Solver // for analyses, made on the first
	engine *bot.Engine    // its solver made on the first Perfect move
	rng    *rand.Rand
}

// New returns a handler with the worker's tables and the opening book.
func New() *Handler {
	return &Handler{
		engine: bot.New(bot.Options{Budget: ThinkBudget, Solvers: 1, TableBits: TableBits}),
		rng:    rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	}
}

// Handle answers r.
func (h *Handler) Handle(ctx context.Context, r Request) Answer {
	switch r.Kind {
	case Analyze:
		scores, err := h.analyze(ctx, r.Moves)
		return Answer{Scores: scores, Column: -1, Err: err}
	case Think:
		column, err := h.think(ctx, r.Moves, r.Level)
		return Answer{Column: column, Err: err}
	case Memory:
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return Answer{Column: -1, Bytes: m.Sys}
	}
	return Answer{Column: -1, Err: fmt.Errorf("%w %q", ErrUnknownKind, r.Kind)}
}

// analyze returns the score of each column of the position moves name. A
// position too early in the game to solve within AnalyzeBudget (and at once
// below EarlyStones stones) returns the columns it could score, from the
// book or by a search within the budget, and [analysis.ErrTooEarly].
func (h *Handler) analyze(ctx context.Context, moves string) (solver.Scores, error) {
	p, err := solver.FromMoves(moves)
	if err != nil {
		return solver.Scores{}, fmt.Errorf("worker: position %q: %w", moves, err)
	}
	if h.solver == nil {
		h.solver = solver.New(TableBits)
		h.solver.Book = book.Default()
	}
	ctx, cancel := context.WithTimeout(ctx, AnalyzeBudget)
	defer cancel()
	scores, children := h.fromBook(p)
	search := p.Moves() >= EarlyStones
	// Column by column, as solver.Analyze does, so that the columns scored
	// before the budget runs out are kept.
	for _, c := range children {
		if !search {
			scores[c] = analysis.Unknown
			continue
		}
		q, _ := p.Play(c)
		score, err := h.solver.Solve(ctx, q)
		switch {
		case err == nil:
			scores[c] = -score
		case errors.Is(err, solver.ErrStopped) && ctx.Err() != nil:
			search = false
			scores[c] = analysis.Unknown
		default:
			return solver.Scores{}, err
		}
	}
	if !analysis.Partial(scores) {
		return scores, nil
	}
	// The book may know the position's best column and score: the columns
	// not scored are then no better.
	if c, score, ok := h.solver.Book.Lookup(p); ok {
		for i, s := range scores {
			if s == analysis.Unknown {
				scores[i] = analysis.NotBetter
			}
		}
		scores[c] = score
	}
	return scores, analysis.ErrTooEarly
}

// fromBook returns the scores of p's columns that need no search: a full
// column, a win at once, a move to a position of the book; and the columns
// left to search, in order.
func (h *Handler) fromBook(p solver.Position) (scores solver.Scores, left []int) {
	for c := range connect4.Columns {
		switch {
		case !p.CanPlay(c):
			scores[c] = solver.Unplayable
		case p.IsWinningMove(c):
			scores[c] = (connect4.Cells + 1 - p.Moves()) / 2
		default:
			q, _ := p.Play(c)
			if _, score, ok := h.solver.Book.Lookup(q); ok {
				scores[c] = -score
			} else {
				left = append(left, c)
			}
		}
	}
	return scores, left
}

// think returns the computer's column at level in the position moves name.
func (h *Handler) think(ctx context.Context, moves, level string) (int, error) {
	l, err := bot.ParseLevel(level)
	if err != nil {
		return -1, err
	}
	g, err := replay(moves)
	if err != nil {
		return -1, err
	}
	c, err := h.engine.Move(ctx, g, l, h.rng)
	if err != nil {
		return -1, err
	}
	return c.Column, nil
}

// replay returns the game that moves name.
func replay(moves string) (*connect4.Game, error) {
	columns := make([]int, len(moves))
	for i := range len(moves) {
		columns[i] = int(moves[i]) - '1'
	}
	g, err := connect4.Replay(columns...)
	if err != nil {
		return nil, fmt.Errorf("worker: position %q: %w", moves, err)
	}
	return g, nil
}
