package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

// TestRun generates a small book from a position late in a game (a whole book
// takes the better part of an hour) and checks every entry with the solver.
func TestRun(t *testing.T) {
	const root = "2252576253462244111563365" // 25 stones, from Pons' Test_L2_R1
	out := filepath.Join(t.TempDir(), "book.bin")
	var stdout, stderr bytes.Buffer
	args := []string{"-root", root, "-first", "30", "-second", "30", "-line", "34", "-table", "16", "-o", out}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "positions with") {
		t.Errorf("summary %q", stdout.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := book.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if f, s, l := b.Limits(); f != 30 || s != 30 || l != 34 || b.Len() < 10 || b.Depth() > 33 {
		t.Errorf("book of %d positions up to %d stones, limits %d %d %d", b.Len(), b.Depth(), f, s, l)
	}

	// Every position of the tree the book covers, from either side, is
	// there with its exact score and a move that keeps it.
	s := solver.New(16)
	ctx := context.Background()
	p, _ := solver.FromMoves(root)
	found := map[uint64]bool{}
	var walk func(p solver.Position)
	walk = func(p solver.Position) {
		if p.Moves() >= 30 {
			return
		}
		if column, score, ok := b.Lookup(p); ok {
			key, _ := book.Key(p)
			found[key] = true
			if want, _ := s.Solve(ctx, p); score != want {
				t.Errorf("book score %d, solver %d:\n%v", score, want, p)
			}
			if q, err := p.Play(column); err == nil {
				if after, _ := s.Solve(ctx, q); after != -score {
					t.Errorf("book move %d scores %d, want %d:\n%v", column, -after, score, p)
				}
			} else if !p.IsWinningMove(column) {
				t.Errorf("book move %d: %v", column, err)
			}
		}
		for c := range 7 {
			if p.CanPlay(c) && !p.IsWinningMove(c) {
				q, _ := p.Play(c)
				walk(q)
			}
		}
	}
	walk(p)
	if len(found) == 0 || len(found) > b.Len() {
		t.Errorf("found %d of the book's %d positions", len(found), b.Len())
	}
}

func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{{"-root", "48"}, {"-table", "5"}, {"extra"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
