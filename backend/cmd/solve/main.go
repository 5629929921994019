// Command solve prints the exact score of Connect Four positions, reading them
// from standard input in the notation of Pascal Pons' benchmark files: one
// position a line, as the columns played from the empty board, digits 1 (left)
// to 7. A line may also carry the expected score after a space, as the
// benchmark files do; solve then checks it, reports each mismatch on standard
// error and exits with status 1 if there was any.
//
// Usage, from the repository root:
//
//	go run ./backend/cmd/solve [-v] [-analyze] [-nobook] [-table 23] < positions
//
// For each line it prints the moves and the score, the score being for the side
// to move in Pons' convention: 0 a draw, positive a win (22 minus the stones
// the winner has played when the game ends), negative a loss. So
//
//	echo 4455 | go run ./backend/cmd/solve
//
// prints "4455 18". The flags:
//
//	-v        also print a best move (a digit 1-7), the positions searched and the time
//	-analyze  also print the score of each of the seven columns ("-" for a full one)
//	-nobook   search even the positions the opening book holds
//	-table B  the main transposition table has 2^B entries of 8 bytes (23: 64 MiB)
//
// At the end it writes a summary to standard error: positions solved, mean time
// and positions searched per position, and mismatches.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "solve:", err)
		}
		os.Exit(1)
	}
}

// errMismatch is returned when a score differs from the expected one.
var errMismatch = errors.New("some scores differ from the expected ones")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("solve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	verbose := flags.Bool("v", false, "also print a best move, the positions searched and the time")
	analyze := flags.Bool("analyze", false, "also print the score of each column")
	noBook := flags.Bool("nobook", false, "search even the positions the opening book holds")
	tableBits := flags.Int("table", solver.DefaultTableBits, "the main transposition table has 2^`B` entries of 8 bytes")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (positions come on standard input)", flags.Args())
	}
	if *tableBits < 10 || *tableBits > 32 {
		return fmt.Errorf("-table %d: want 10 to 32", *tableBits)
	}
	s := solver.New(*tableBits)
	if !*noBook {
		s.Book = book.Default()
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()

	var solved, mismatches int
	var total time.Duration
	nodes := s.Nodes()
	sc := bufio.NewScanner(stdin)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		moves, expected, hasExpected := strings.Cut(text, " ")
		want := 0
		if hasExpected {
			var err error
			if want, err = strconv.Atoi(strings.TrimSpace(expected)); err != nil {
				return fmt.Errorf("line %d: bad expected score %q", line, expected)
			}
		}
		p, err := solver.FromMoves(moves)
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", line, moves, err)
		}
		start, before := time.Now(), s.Nodes()
		var score, column int
		var scores solver.Scores
		switch {
		case *analyze:
			scores, err = s.Analyze(ctx, p)
			column, score = scores.Best()
			if column < 0 {
				score = 0
			}
		case *verbose:
			column, score, err = s.BestMove(ctx, p)
		default:
			score, err = s.Solve(ctx, p)
		}
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", line, moves, err)
		}
		elapsed := time.Since(start)
		total += elapsed
		solved++

		fmt.Fprintf(out, "%s %d", moves, score)
		if *analyze {
			for _, v := range scores {
				if v == solver.Unplayable {
					fmt.Fprint(out, " -")
				} else {
					fmt.Fprintf(out, " %d", v)
				}
			}
		}
		if *verbose {
			best := "-"
			if column >= 0 {
				best = strconv.Itoa(column + 1)
			}
			fmt.Fprintf(out, " best=%s nodes=%d time=%v", best, s.Nodes()-before, elapsed.Round(time.Microsecond))
		}
		fmt.Fprintln(out)
		if hasExpected && score != want {
			mismatches++
			out.Flush()
			fmt.Fprintf(stderr, "line %d: %s: score %d, expected %d\n", line, moves, score, want)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if solved > 0 {
		out.Flush()
		fmt.Fprintf(stderr, "%d positions, mean %v and %.0f positions searched each, %d mismatches\n",
			solved, (total / time.Duration(solved)).Round(time.Microsecond), float64(s.Nodes()-nodes)/float64(solved), mismatches)
	}
	if mismatches > 0 {
		return fmt.Errorf("%w (%d of %d)", errMismatch, mismatches, solved)
	}
	return nil
}
