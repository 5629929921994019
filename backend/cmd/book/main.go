// Command book generates the solver's opening book, shared/solver/book/book.bin.
//
// It plays the computer's side with the solver against every reply of the
// opponent, once with the computer moving first and once moving second, and
// records the best move and exact score of each position where the computer is
// to move, up to a number of stones on the board. A position and its mirror
// image count once. Without a book those first positions take the solver
// seconds to minutes each; with it a computer player answers at once.
//
// Usage, from the repository root:
//
//	go run ./backend/cmd/book [-first 10] [-second 10] [-line 0] [-table 25] [-o shared/solver/book/book.bin]
//
// The flags:
//
//	-first N   record positions with fewer than N stones where the computer moves first
//	-second N  the same where the computer moves second
//	-line N    also record the positions with fewer than N stones of the game where both sides play the book's moves
//	-table B   the solver's main transposition table has 2^B entries of 8 bytes (25: 256 MiB)
//	-root M    start from the position after the moves M (digits 1-7) instead of the empty board, for tests
//	-o FILE    where to write the book
//	-v         report progress on standard error
//
// It prints a summary on standard output: the number of positions, the largest
// number of stones, the file's size, the positions searched and the time taken.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "book:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("book", flag.ContinueOnError)
	flags.SetOutput(stderr)
	first := flags.Int("first", 10, "record positions with fewer than `N` stones where the computer moves first")
	second := flags.Int("second", 10, "record positions with fewer than `N` stones where the computer moves second")
	line := flags.Int("line", 0, "also record the positions with fewer than `N` stones of the game where both sides play the book's moves")
	tableBits := flags.Int("table", 25, "the solver's main table has 2^`B` entries of 8 bytes")
	rootMoves := flags.String("root", "", "start from the position after the `moves` (digits 1-7), for tests")
	out := flags.String("o", "shared/solver/book/book.bin", "write the book to `FILE`")
	verbose := flags.Bool("v", false, "report progress on standard error")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *tableBits < 10 || *tableBits > 32 {
		return fmt.Errorf("-table %d: want 10 to 32", *tableBits)
	}
	root, err := solver.FromMoves(*rootMoves)
	if err != nil {
		return fmt.Errorf("-root: %w", err)
	}
	g := &generator{
		ctx:     ctx,
		s:       solver.New(*tableBits),
		entries: make(map[uint64]book.Entry),
		seen:    make(map[seenKey]bool),
		start:   time.Now(),
	}
	if *verbose {
		g.log = stderr
	}
	for _, side := range []struct {
		first bool
		limit int
	}{{true, *first}, {false, *second}} {
		g.first, g.limit = side.first, side.limit
		if err := g.visit(root, *rootMoves); err != nil {
			return err
		}
	}
	if err := g.line(root, *rootMoves, *line); err != nil {
		return err
	}
	entries := make([]book.Entry, 0, len(g.entries))
	for _, e := range g.entries {
		entries = append(entries, e)
	}
	data, err := book.Encode(entries, *first, *second, *line)
	if err != nil {
		return err
	}
	b, err := book.Decode(data)
	if err != nil {
		return err
	}
	depth := b.Depth()
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d positions with 0 to %d stones, %d bytes; searched %d positions in %v\n",
		*out, len(entries), depth, len(data), g.s.Nodes(), time.Since(g.start).Round(time.Second))
	return nil
}

type seenKey struct {
	key   uint64
	first bool
}

// generator walks the game tree of one side of the book at a time.
type generator struct {
	ctx     context.Context
	s       *solver.Solver
	entries map[uint64]book.Entry
	seen    map[seenKey]bool // the opponent's positions already expanded
	first   bool             // whether the computer moves first
	limit   int              // record positions with fewer stones
	log     io.Writer
	start   time.Time
}

// line records the positions of the game where both sides play the book's
// moves, up to limit stones.
func (g *generator) line(p solver.Position, moves string, limit int) error {
	for p.Moves() < limit && !p.Draw() {
		column, err := g.record(p, moves)
		if err != nil || p.IsWinningMove(column) {
			return err
		}
		p, _ = p.Play(column)
		moves += string(rune('1' + column))
	}
	return nil
}

// record returns the best move in p, from the entries or from a search that it
// then records.
func (g *generator) record(p solver.Position, moves string) (int, error) {
	key, mirrored := book.Key(p)
	if e, ok := g.entries[key]; ok {
		if mirrored {
			return 6 - e.Column, nil
		}
		return e.Column, nil
	}
	t := time.Now()
	column, score, err := g.s.BestMove(g.ctx, p)
	if err != nil {
		return -1, err
	}
	e := book.Entry{Key: key, Column: column, Score: score}
	if mirrored {
		e.Column = 6 - column
	}
	g.entries[key] = e
	if g.log != nil {
		fmt.Fprintf(g.log, "%d %q: column %d score %d in %v (total %v)\n", len(g.entries), moves, column+1, score,
			time.Since(t).Round(time.Millisecond), time.Since(g.start).Round(time.Second))
	}
	return column, nil
}

// visit records p if the computer is to move in it and walks on: after the
// computer's best move, or after each of the opponent's moves.
func (g *generator) visit(p solver.Position, moves string) error {
	if p.Moves() >= g.limit || p.Draw() {
		return nil
	}
	if computer := p.Moves()%2 == 0 == g.first; !computer {
		key, _ := book.Key(p)
		if g.seen[seenKey{key, g.first}] {
			return nil
		}
		g.seen[seenKey{key, g.first}] = true
		for c := range 7 {
			if p.CanPlay(c) && !p.IsWinningMove(c) {
				q, _ := p.Play(c)
				if err := g.visit(q, moves+string(rune('1'+c))); err != nil {
					return err
				}
			}
		}
		return nil
	}
	column, err := g.record(p, moves)
	if err != nil {
		return err
	}
	if p.IsWinningMove(column) {
		return nil
	}
	q, err := p.Play(column)
	if err != nil {
		return err
	}
	return g.visit(q, moves+string(rune('1'+column)))
}
