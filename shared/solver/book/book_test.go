package book_test

import (
	"context"
	"errors"
	"testing"

	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

func TestDefault(t *testing.T) {
	b := book.Default()
	first, second, line := b.Limits()
	if b.Len() == 0 || first < 2 || second < 2 {
		t.Fatalf("the embedded book has %d positions, limits %d and %d: generate it with backend/cmd/book", b.Len(), first, second)
	}
	// The deepest positions have one or two stones fewer than the largest
	// limit, as the limit for a side may fall on the other side's turn.
	if d := max(first, second, line); b.Depth() >= d || b.Depth() < d-2 {
		t.Errorf("Depth() = %d with limits %d, %d and %d", b.Depth(), first, second, line)
	}
	t.Logf("%d positions, up to %d stones", b.Len(), b.Depth())
}

// TestEmptyBoard checks what the book says about the first move: the first
// player wins, only in the centre, with the last stone (score 1). The book
// must answer for all seven columns, since the solver may not search.
func TestEmptyBoard(t *testing.T) {
	s := solver.New(10)
	s.Book = book.Default()
	s.NodeLimit = 1
	scores, err := s.Analyze(context.Background(), solver.Position{})
	if err != nil {
		t.Fatalf("Analyze(empty board) needed a search: %v", err)
	}
	for c, score := range scores {
		if (c == 3) != (score > 0) {
			t.Errorf("Analyze(empty board) = %v: want a win in the centre only", scores)
			break
		}
	}
	if scores[3] != 1 {
		t.Errorf("the centre scores %d, want 1 (a win with the 21st stone, the 41st move)", scores[3])
	}
	if c, score, err := s.BestMove(context.Background(), solver.Position{}); c != 3 || score != 1 || err != nil {
		t.Errorf("BestMove(empty board) = %d, %d, %v; want 3, 1", c, score, err)
	}
}

// TestConsistent walks the book as the generator did, for either side, and
// checks that each position's score is what the positions after its best move
// and each reply make it: no less than any of theirs, and equal to the
// smallest when the book holds them all.
func TestConsistent(t *testing.T) {
	b := book.Default()
	first, second, line := b.Limits()
	seen := map[uint64]bool{}
	var walk func(p solver.Position, computerFirst bool, limit int)
	walk = func(p solver.Position, computerFirst bool, limit int) {
		if p.Moves() >= limit {
			return
		}
		if p.Moves()%2 == 0 != computerFirst { // the opponent's turn
			for c := range 7 {
				if p.CanPlay(c) && !p.IsWinningMove(c) {
					q, _ := p.Play(c)
					walk(q, computerFirst, limit)
				}
			}
			return
		}
		column, score, ok := b.Lookup(p)
		if !ok {
			t.Fatalf("the book lacks a position with %d stones:\n%v", p.Moves(), p)
		}
		key, _ := book.Key(p)
		seen[key] = true
		if m, mscore, _ := b.Lookup(p.Mirror()); (m != 6-column && p.Mirror() != p) || mscore != score {
			t.Fatalf("the mirror image of\n%vhas %d, %d; want %d, %d", p, m, mscore, 6-column, score)
		}
		if p.IsWinningMove(column) {
			if want := (43 - p.Moves()) / 2; score != want {
				t.Errorf("a win at once scores %d, want %d:\n%v", score, want, p)
			}
			return
		}
		q, err := p.Play(column)
		if err != nil {
			t.Fatal(err)
		}
		least, all := 100, true
		for r := range 7 {
			switch {
			case !q.CanPlay(r):
			case q.IsWinningMove(r):
				least = min(least, -(43-q.Moves())/2)
			case q.Moves()+1 >= limit:
				all = false
			default:
				after, _ := q.Play(r)
				if _, s, ok := b.Lookup(after); ok {
					least = min(least, s)
				} else {
					all = false
				}
			}
		}
		if score > least || (all && score != least) {
			t.Errorf("score %d, but the replies to column %d lead to at least %d (all known: %v):\n%v", score, column, least, all, p)
		}
		walk(q, computerFirst, limit)
	}
	walk(solver.Position{}, true, first)
	walk(solver.Position{}, false, second)
	// The perfect game, further on.
	for p := (solver.Position{}); p.Moves() < line; {
		column, _, ok := b.Lookup(p)
		if !ok {
			t.Fatalf("the book lacks the position of the perfect game with %d stones:\n%v", p.Moves(), p)
		}
		key, _ := book.Key(p)
		seen[key] = true
		if p.IsWinningMove(column) {
			break
		}
		p, _ = p.Play(column)
	}
	if len(seen) != b.Len() {
		t.Errorf("walked %d positions of the book's %d", len(seen), b.Len())
	}
}

func TestEncode(t *testing.T) {
	p, _ := solver.FromMoves("4453")
	key, mirrored := book.Key(p)
	column := 2
	if mirrored {
		column = 4
	}
	data, err := book.Encode([]book.Entry{{Key: key, Column: column, Score: -3}, {Key: 0, Column: 3, Score: 1}}, 5, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := book.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if c, score, ok := b.Lookup(p); c != 2 || score != -3 || !ok {
		t.Errorf("Lookup(4453) = %d, %d, %v; want 2, -3", c, score, ok)
	}
	if c, score, ok := b.Lookup(p.Mirror()); c != 4 || score != -3 || !ok {
		t.Errorf("Lookup(mirror of 4453) = %d, %d, %v; want 4, -3", c, score, ok)
	}
	if c, score, ok := b.Lookup(solver.Position{}); c != 3 || score != 1 || !ok {
		t.Errorf("Lookup(empty) = %d, %d, %v", c, score, ok)
	}
	q, _ := solver.FromMoves("44")
	if _, _, ok := b.Lookup(q); ok {
		t.Error("Lookup(44) found a position the book lacks")
	}
	if f, s, l := b.Limits(); f != 5 || s != 4 || l != 3 || b.Depth() != 4 || b.Len() != 2 {
		t.Errorf("Limits() = %d, %d, %d, Depth() = %d, Len() = %d", f, s, l, b.Depth(), b.Len())
	}

	if _, err := book.Encode([]book.Entry{{Key: 1, Column: 0}, {Key: 1, Column: 1}}, 1, 1, 1); err == nil {
		t.Error("Encode accepted a key twice")
	}
	if _, err := book.Encode([]book.Entry{{Key: 1, Column: 7}}, 1, 1, 1); err == nil {
		t.Error("Encode accepted column 7")
	}
	for _, bad := range [][]byte{nil, []byte("c4bk"), []byte("c4bk\x02\x00\x00\x00\x00"), data[:len(data)-1], append(data, 0)} {
		if _, err := book.Decode(bad); !errors.Is(err, book.ErrCorrupt) {
			t.Errorf("Decode(%q) error = %v, want ErrCorrupt", bad, err)
		}
	}
}

// TestPerfectGame plays the solver against itself from the empty board, with
// the book for the first moves. As theory says, the first player wins with
// their 21st stone, the 41st move (score 1), and every position along the way
// keeps that score.
func TestPerfectGame(t *testing.T) {
	s := solver.New(20)
	s.Book = book.Default()
	ctx := context.Background()
	var p solver.Position
	moves := ""
	for {
		column, score, err := s.BestMove(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		want := 1 // the first player wins with the 21st stone
		if p.Moves()%2 == 1 {
			want = -1
		}
		if score != want {
			t.Fatalf("after %q the side to move scores %d, want %d", moves, score, want)
		}
		moves += string(rune('1' + column))
		if p.IsWinningMove(column) {
			break
		}
		if p, err = p.Play(column); err != nil {
			t.Fatal(err)
		}
	}
	if len(moves) != 41 || len(moves)%2 != 1 {
		t.Errorf("the perfect game %s has %d moves, want the first player to win with the 41st", moves, len(moves))
	}
	t.Logf("the perfect game: %s", moves)
}

// TestPerfectPlay plays the solver against itself from the empty board: as the
// theory says, the first player wins, with the last of its 21 stones, and
// every move keeps the score of the position for the side to move (1 for red,
// -1 for yellow).
func TestPerfectPlay(t *testing.T) {
	s := solver.New(20)
	s.Book = book.Default()
	var p solver.Position
	for n := 1; n <= 42; n++ {
		c, score, err := s.BestMove(context.Background(), p)
		if err != nil {
			t.Fatalf("move %d: %v", n, err)
		}
		if want := []int{1, -1}[(n-1)%2]; score != want {
			t.Fatalf("move %d (column %d) scores %d for the side to move, want %d:\n%v", n, c, score, want, p)
		}
		if p.IsWinningMove(c) {
			if n != 41 {
				t.Fatalf("the game was won with move %d, want 41 (red's 21st stone)", n)
			}
			return
		}
		if p, err = p.Play(c); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("no one won")
}
