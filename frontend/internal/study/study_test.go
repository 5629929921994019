package study_test

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"testing"

	"github.com/connect4go/connect4/frontend/internal/study"
	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
	"pgregory.net/rapid"
)

func TestParse(t *testing.T) {
	tests := []struct {
		pos  string
		want []int
		err  string
	}{
		{"", []int{}, ""},
		{"4453", []int{3, 3, 4, 2}, ""},
		{"1234567", []int{0, 1, 2, 3, 4, 5, 6}, ""},
		{"4480", []int{3, 3}, `Move 3 is '8', not a column: a position is its moves, each a column from 1 to 7, such as ?pos=4453.`},
		{"0", []int{}, `Move 1 is '0', not a column: a position is its moves, each a column from 1 to 7, such as ?pos=4453.`},
		{"4é", []int{3}, `Move 2 is 'é', not a column: a position is its moves, each a column from 1 to 7, such as ?pos=4453.`},
		{"1111111", []int{0, 0, 0, 0, 0, 0}, "Move 7 cannot be played: column 1 is full."},
		// Red's four in column 1 ends the game at move 7.
		{"12121211", []int{0, 1, 0, 1, 0, 1, 0}, "Move 8 comes after the end of the game."},
	}
	for _, tt := range tests {
		got, err := study.Parse(tt.pos)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.pos, got, tt.want)
		}
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("Parse(%q): %v", tt.pos, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err || !errors.Is(err, study.ErrPosition)):
			t.Errorf("Parse(%q): error %v, want %q wrapping ErrPosition", tt.pos, err, tt.err)
		}
	}
}

// The cursor steps along the line, which a move off it replaces from there.
func TestBoardSteps(t *testing.T) {
	b := study.New([]int{3, 3, 4, 2})
	check := func(what string, line []int, cursor int, query string) {
		t.Helper()
		if !slices.Equal(b.Line(), line) || b.Cursor() != cursor || b.View().Query != query {
			t.Errorf("%s: line %v, cursor %d, query %q; want %v, %d, %q", what, b.Line(), b.Cursor(), b.View().Query, line, cursor, query)
		}
	}
	check("new", []int{3, 3, 4, 2}, 4, "?pos=4453")
	b.Step(-1)
	check("back one", []int{3, 3, 4, 2}, 3, "?pos=445")
	b.Step(-10)
	check("back to the start", []int{3, 3, 4, 2}, 0, "?pos=")
	b.Step(1)
	check("forward one", []int{3, 3, 4, 2}, 1, "?pos=4")
	if !b.Play(3) {
		t.Fatal("the line's next move refused")
	}
	check("the line's next move", []int{3, 3, 4, 2}, 2, "?pos=44")
	if !b.Play(0) {
		t.Fatal("a move off the line refused")
	}
	check("off the line", []int{3, 3, 0}, 3, "?pos=441")
	b.Seek(99)
	check("seek past the end", []int{3, 3, 0}, 3, "?pos=441")

	full := study.New([]int{0, 0, 0, 0, 0, 0})
	if full.Play(0) || full.Play(7) || full.Play(-1) {
		t.Error("a full column, or one off the board, played")
	}
	won := study.New([]int{0, 1, 0, 1, 0, 1, 0})
	if won.Play(2) {
		t.Error("a move after the end of the game played")
	}
	if v := won.View(); v.Status != "After move 7, red in column 1. Red wins." || !v.HasWin || v.Turn != connect4.NoPlayer {
		t.Errorf("the won game: %q, win %v, turn %v", v.Status, v.HasWin, v.Turn)
	}
}

// The words of the columns show once the scores came and stay on, position
// after position, asking for each once; answers for positions not asked are
// ignored, late ones kept.
func TestBoardScores(t *testing.T) {
	u := solver.Unplayable
	b := study.New([]int{3, 3})
	if got := b.Ask(); len(got) != 0 {
		t.Errorf("scores hidden, asked %q", got)
	}
	b.ShowScores(true)
	if got := b.Ask(); !slices.Equal(got, []string{"44"}) {
		t.Errorf("asked %q, want 44", got)
	}
	if got := b.Ask(); len(got) != 0 {
		t.Errorf("asked %q a second time", got)
	}
	v := b.View()
	if !v.Scoring || v.Words != [7]string{} {
		t.Errorf("before the answer: scoring %v, words %q", v.Scoring, v.Words)
	}
	if b.Scored("4", solver.Scores{}, nil) {
		t.Error("an answer to a question never asked was taken")
	}
	if !b.Scored("44", solver.Scores{0, 1, 2, 3, -2, -1, 0}, nil) {
		t.Error("the answer was not taken")
	}
	if b.Scored("44", solver.Scores{}, nil) {
		t.Error("a second answer was taken")
	}
	v = b.View()
	want := [7]string{"draw", "win in 20", "win in 19", "win in 18", "loses in 19", "loses in 20", "draw"}
	if v.Scoring || v.Words != want {
		t.Errorf("words %q, scoring %v; want %q", v.Words, v.Scoring, want)
	}
	// On to a new position, then back before its answer came: the late
	// answer is kept for when it shows again.
	b.Play(2)
	if got := b.Ask(); !slices.Equal(got, []string{"443"}) {
		t.Errorf("asked %q, want 443", got)
	}
	b.Step(-1)
	if b.View().Words != want {
		t.Error("back one: the words of 44 are gone")
	}
	b.Scored("443", solver.Scores{u, u, u, 2, u, u, u}, nil)
	b.Step(1)
	if v := b.View(); v.Words != [7]string{"full", "full", "full", "win in 19", "full", "full", "full"} {
		t.Errorf("forward again: %q", v.Words)
	}
	b.ShowScores(false)
	if v := b.View(); v.Words != [7]string{} || v.ScoresOn {
		t.Errorf("hidden: %q", v.Words)
	}
	// A position the brain could not score says so.
	b.ShowScores(true)
	b.Play(0)
	b.Ask()
	b.Scored("4431", solver.Scores{}, errors.New("out of memory"))
	// Asked once more, of a new brain.
	if v := b.View(); v.Failed || !v.Scoring || !v.Retrying {
		t.Errorf("a failed answer: failed %v, scoring %v, retrying %v", v.Failed, v.Scoring, v.Retrying)
	}
	if got := b.Ask(); !slices.Equal(got, []string{"4431"}) {
		t.Errorf("after a failure, asked %q, want 4431 again", got)
	}
	if got := b.Ask(); len(got) != 0 {
		t.Errorf("asked %q a third time", got)
	}
	b.Scored("4431", solver.Scores{}, errors.New("out of memory"))
	if v := b.View(); !v.Failed || v.Scoring || v.Retrying {
		t.Errorf("failed twice: failed %v, scoring %v, retrying %v", v.Failed, v.Scoring, v.Retrying)
	}
	if got := b.Ask(); len(got) != 0 {
		t.Errorf("asked %q after two failures", got)
	}
	// A failure, then an answer: the scores show.
	b.Play(0)
	b.Ask()
	b.Scored("44311", solver.Scores{}, errors.New("the worker stopped"))
	b.Ask()
	if !b.Scored("44311", solver.Scores{0, 0, 0, 0, 0, 0, 0}, nil) {
		t.Error("the second answer, after a failure, not taken")
	}
	if v := b.View(); v.Failed || v.Scoring || v.Words[0] != "draw" {
		t.Errorf("answered the second time: failed %v, scoring %v, words %q", v.Failed, v.Scoring, v.Words)
	}
	// A position to ask again takes the answer that another board asked
	// for meanwhile, and is not asked again.
	b.Play(0)
	b.Ask()
	b.Scored("443111", solver.Scores{}, errors.New("the worker stopped"))
	if !b.Scored("443111", solver.Scores{1, 1, 1, 1, 1, 1, 1}, nil) {
		t.Error("an answer to a position to ask again, asked elsewhere, not taken")
	}
	if got := b.Ask(); len(got) != 0 {
		t.Errorf("asked %q, answered already", got)
	}
}

// table holds made-up scores by number of stones, for the game 1, 7, 1, 1
// (0, 6, 0, 0 from 0): each label is known from the definitions (as in
// shared/analysis's TestReview).
var table = []solver.Scores{
	{1, 1, 1, 5, 1, 1, 1},     // red: 4 wins sooner; 1 plays on: an inaccuracy
	{0, 0, 0, 0, 0, 0, -2},    // yellow: 7 throws the draw away: a mistake
	{9, -1, 0, 0, 0, 0, 2},    // red: 1 is best
	{-5, -5, -5, -5, 3, 0, 0}, // yellow: 5 wins; 1 loses: a blunder
}

// A review labels each move once the scores of the position before it came,
// in any order, and gives each player's accuracy once all theirs did.
func TestReview(t *testing.T) {
	game := []int{0, 6, 0, 0}
	b := study.New(game)
	b.Review()
	b.SetHints(connect4.Yellow, 2)
	asked := b.Ask()
	if !slices.Equal(asked, []string{"171", "17", "1", ""}) {
		t.Fatalf("asked %q, want every position before a move, from the last", asked)
	}
	// Out of order: yellow's positions first.
	for _, n := range []int{3, 1} {
		b.Scored(study.Name(game[:n]), table[n], nil)
	}
	v := b.View()
	if v.Moves[1].Label != "mistake" || v.Moves[3].Label != "blunder" || v.Moves[0].Label != "" || v.Accuracy[connect4.Yellow] != "13%" || v.Accuracy[connect4.Red] != "" {
		t.Errorf("yellow's answers only: %+v, accuracy %q", v.Moves[:4], v.Accuracy)
	}
	for _, n := range []int{2, 0} {
		b.Scored(study.Name(game[:n]), table[n], nil)
	}
	v = b.View()
	want := []string{"inaccuracy", "mistake", "best", "blunder"}
	for n, l := range want {
		if v.Moves[n].Label != l {
			t.Errorf("move %d: %q, want %q", n+1, v.Moves[n].Label, l)
		}
	}
	// 87.5 and 12.5, as shared/analysis counts them.
	if v.Accuracy[connect4.Red] != "88%" || v.Accuracy[connect4.Yellow] != "13%" || v.Hints[connect4.Yellow] != 2 {
		t.Errorf("accuracy %q, hints %v", v.Accuracy, v.Hints)
	}
	if got := v.Moves[1].Text(1); got != "2. yellow, column 7: mistake" {
		t.Errorf("the move list says %q", got)
	}
	if v.Status != "After move 4, yellow in column 1: a blunder. Red to play." {
		t.Errorf("status %q", v.Status)
	}
	b.Seek(1)
	if v := b.View(); v.Status != "After move 1, red in column 1: an inaccuracy. Yellow to play." {
		t.Errorf("status %q", v.Status)
	}
	// The best move of the position shown, at any point.
	b.Seek(0)
	if !b.ShowBest() {
		t.Fatal("no best move at the start")
	}
	if v := b.View(); v.Best != 3 || v.BestText != "Best move: column 4, win in 17." {
		t.Errorf("best %d %q", v.Best, v.BestText)
	}
	b.Step(1)
	if v := b.View(); v.Best != -1 || v.BestText != "" {
		t.Errorf("the best move still shows a move later: %d %q", v.Best, v.BestText)
	}
}

// TestBestWithoutScores checks that the best move asked for, scores hidden,
// asks for the position's scores and shows only the best move.
func TestBestWithoutScores(t *testing.T) {
	b := study.New([]int{3})
	b.ShowBest()
	if got := b.Ask(); !slices.Equal(got, []string{"4"}) {
		t.Fatalf("asked %q", got)
	}
	if v := b.View(); !v.Scoring || v.Best != -1 {
		t.Errorf("awaited: scoring %v, best %d", v.Scoring, v.Best)
	}
	b.Scored("4", solver.Scores{-1, -1, -1, 0, -1, -1, -1}, nil)
	if v := b.View(); v.Best != 3 || v.BestText != "Best move: column 4, draw." || v.Words != [7]string{} {
		t.Errorf("best %d %q, words %q", v.Best, v.BestText, v.Words)
	}
	won := study.New([]int{0, 1, 0, 1, 0, 1, 0})
	if won.ShowBest() {
		t.Error("a best move after the end")
	}
}

// fake returns made-up scores for a position, the same every time: what
// the model's brain answers.
func fake(columns []int) solver.Scores {
	g, _ := connect4.Replay(columns...)
	h := fnv.New32a()
	h.Write([]byte(study.Name(columns)))
	x := h.Sum32()
	var s solver.Scores
	for c := range s {
		s[c] = int(x%37) - 18
		x = x/37 + 7919*uint32(c+1)
		if !g.CanPlay(c) {
			s[c] = solver.Unplayable
		}
	}
	return s
}

// wordsOf returns the words a board shows of a position whose scores are
// known.
func wordsOf(columns []int) [7]string {
	return analysis.Columns(fake(columns), len(columns))
}

// The board against a model: a line, a cursor, the answers that came. The
// brain answers in any order, late, twice, or about positions never asked;
// the board asks for each position once, asks for every position it wants,
// and shows the scores, labels and accuracy of the answers that came.
func TestBoardModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		b := new(study.Board)
		var (
			line        []int
			cursor      int
			on, review  bool
			reviewed    []int               // the game reviewed, once review
			known       = map[string]bool{} // answered
			asked       = map[string]bool{} // ever asked
			pending     []string            // asked, not answered
			answeredOld []string            // answered already
		)
		game := func() *connect4.Game {
			g, _ := connect4.Replay(line[:cursor]...)
			return g
		}
		rt.Repeat(map[string]func(*rapid.T){
			"play": func(rt *rapid.T) {
				c := rapid.IntRange(-1, 7).Draw(rt, "column")
				g := game()
				ok := c >= 0 && c < 7 && !g.Over() && g.CanPlay(c)
				if got := b.Play(c); got != ok {
					rt.Fatalf("Play(%d) = %v, want %v", c, got, ok)
				}
				if !ok {
					return
				}
				if cursor == len(line) || line[cursor] != c {
					line = append(line[:cursor:cursor], c)
				}
				cursor++
			},
			"step": func(rt *rapid.T) {
				d := rapid.IntRange(-3, 3).Draw(rt, "delta")
				b.Step(d)
				cursor = min(max(cursor+d, 0), len(line))
			},
			"seek": func(rt *rapid.T) {
				n := rapid.IntRange(-1, 43).Draw(rt, "n")
				b.Seek(n)
				if review {
					// The move list goes back to the game.
					line = slices.Clone(reviewed)
				}
				cursor = min(max(n, 0), len(line))
			},
			"scores": func(rt *rapid.T) {
				on = rapid.Bool().Draw(rt, "on")
				b.ShowScores(on)
			},
			"review": func(rt *rapid.T) {
				if !review {
					reviewed = slices.Clone(line)
				}
				review = true
				b.Review()
			},
			"best": func(rt *rapid.T) {
				if got := b.ShowBest(); got == game().Over() {
					rt.Fatalf("ShowBest = %v with the game over %v", got, game().Over())
				}
			},
			"ask": func(rt *rapid.T) {
				for _, name := range b.Ask() {
					if asked[name] {
						rt.Fatalf("%q asked twice", name)
					}
					asked[name] = true
					pending = append(pending, name)
				}
				// Every position wanted is asked.
				if on && !game().Over() && !asked[study.Name(line[:cursor])] {
					rt.Fatalf("the position shown, %q, not asked with scores on", study.Name(line[:cursor]))
				}
				for n := range reviewed {
					if review && !asked[study.Name(reviewed[:n])] {
						rt.Fatalf("reviewing, the position before move %d not asked", n+1)
					}
				}
			},
			"next": func(rt *rapid.T) {
				name, ok := b.Next()
				if !ok {
					return
				}
				if asked[name] {
					rt.Fatalf("%q asked twice", name)
				}
				// The position shown comes first, when wanted.
				shown := study.Name(line[:cursor])
				if on && !game().Over() && !asked[shown] && name != shown {
					rt.Fatalf("asked %q before the position shown, %q", name, shown)
				}
				asked[name] = true
				pending = append(pending, name)
			},
			"answer": func(rt *rapid.T) {
				if len(pending) == 0 {
					rt.Skip("nothing asked")
				}
				i := rapid.IntRange(0, len(pending)-1).Draw(rt, "which")
				name := pending[i]
				pending = slices.Delete(pending, i, i+1)
				columns, _ := study.Parse(name)
				if !b.Scored(name, fake(columns), nil) {
					rt.Fatalf("the answer about %q not taken", name)
				}
				known[name] = true
				answeredOld = append(answeredOld, name)
			},
			"answer again": func(rt *rapid.T) {
				if len(answeredOld) == 0 {
					rt.Skip("nothing answered")
				}
				name := rapid.SampledFrom(answeredOld).Draw(rt, "name")
				if b.Scored(name, solver.Scores{}, nil) {
					rt.Fatalf("a second answer about %q taken", name)
				}
			},
			"answer unasked": func(rt *rapid.T) {
				name := study.Name(rapid.SliceOfN(rapid.IntRange(0, 6), 0, 8).Draw(rt, "columns"))
				if !asked[name] && b.Scored(name, solver.Scores{}, nil) {
					rt.Fatalf("an answer about %q, never asked, taken", name)
				}
			},
			"": func(rt *rapid.T) {
				v := b.View()
				g := game()
				if v.LineLen != len(line) || v.Cursor != cursor || !slices.Equal(b.Line(), line) {
					rt.Fatalf("line %v cursor %d, want %v %d", b.Line(), v.Cursor, line, cursor)
				}
				// The move list: the game reviewed, whatever variation the
				// board shows; or the line.
				list := line
				if review {
					list = reviewed
				}
				if v.Len != len(list) || !slices.Equal(b.Game(), list) {
					rt.Fatalf("the move list %v, want %v", b.Game(), list)
				}
				variation := -1
				if review && !slices.Equal(line, reviewed) {
					for variation = 0; variation < len(reviewed) && line[variation] == reviewed[variation]; variation++ {
					}
				}
				if v.Variation != variation {
					rt.Fatalf("variation %d, want %d (line %v, game %v)", v.Variation, variation, line, reviewed)
				}
				for c := range 7 {
					for r := range 6 {
						if v.Cells[c][r] != g.At(c, r) {
							rt.Fatalf("cell %d,%d: %v, want %v", c, r, v.Cells[c][r], g.At(c, r))
						}
					}
				}
				shown := line[:cursor]
				var words [7]string
				if on && known[study.Name(shown)] && !g.Over() {
					words = wordsOf(shown)
				}
				if v.Words != words {
					rt.Fatalf("words %q, want %q", v.Words, words)
				}
				var sum [3]float64
				var n [3]int
				all := [3]bool{true, true, true}
				for i, c := range list {
					p := connect4.Red + connect4.Player(i%2)
					want := ""
					if known[study.Name(list[:i])] {
						s := fake(list[:i])
						_, best := s.Best()
						l := analysis.Classify(best, s[c])
						want = l.String()
						sum[p] += l.Weight()
					} else {
						all[p] = false
					}
					n[p]++
					if v.Moves[i].Label != want || v.Moves[i].Column != c || v.Moves[i].Player != p {
						rt.Fatalf("move %d: %+v, want column %d, %v, label %q", i+1, v.Moves[i], c, p, want)
					}
				}
				for _, p := range []connect4.Player{connect4.Red, connect4.Yellow} {
					want := ""
					if review && all[p] && n[p] > 0 {
						want = study.Percent(100 * sum[p] / float64(n[p]))
					}
					if v.Accuracy[p] != want {
						rt.Fatalf("%v's accuracy %q, want %q", p, v.Accuracy[p], want)
					}
				}
			},
		})
	})
}

// TestReviewUnscorable checks that a player's accuracy says it is not known
// when the solver could not score a position before one of their moves,
// rather than waiting for it for ever; the other player's still comes.
func TestReviewUnscorable(t *testing.T) {
	game := []int{0, 6, 0, 0}
	b := study.New(game)
	b.Review()
	b.Ask()
	for n := range game {
		var err error
		if n == 2 { // before red's second move, twice
			err = errors.New("worker: the worker stopped")
			b.Scored(study.Name(game[:n]), table[n], err)
			if got := b.Ask(); !slices.Equal(got, []string{study.Name(game[:n])}) {
				t.Fatalf("after a failure, asked %q", got)
			}
		}
		b.Scored(study.Name(game[:n]), table[n], err)
	}
	v := b.View()
	if v.Accuracy[connect4.Red] != study.NotKnown || v.Accuracy[connect4.Yellow] != "13%" {
		t.Errorf("accuracy %q, want red's %q and yellow's 13%%", v.Accuracy, study.NotKnown)
	}
	if v.Moves[2].Label != "" || v.Moves[0].Label != "inaccuracy" {
		t.Errorf("labels %+v", v.Moves[:4])
	}
}

// TestTooEarly checks a position too early in the game for the brain: the
// columns it scored show, the others say "not known"; a move is labelled
// when its score and the best are known (the book's best column, the rest
// no better), else its player's accuracy is not known; the best move shows
// only when known.
func TestTooEarly(t *testing.T) {
	x, nb := analysis.Unknown, analysis.NotBetter
	game := []int{3, 3, 2}
	b := study.New(game)
	b.Review()
	b.ShowScores(true)
	b.Seek(1)
	b.Ask()
	early := fmt.Errorf("worker: %w", analysis.ErrTooEarly)
	b.Scored("", solver.Scores{nb, nb, nb, 1, nb, nb, nb}, early) // the book's best: red's 4 is best
	b.Scored("4", solver.Scores{x, -2, 0, x, x, x, x}, early)     // yellow's 4 may be best or not
	b.Scored("44", solver.Scores{}, early)                        // nothing known
	v := b.View()
	if !v.Early || v.Scoring || v.Failed {
		t.Errorf("early %v, scoring %v, failed %v", v.Early, v.Scoring, v.Failed)
	}
	if want := [7]string{"not known", "loses in 19", "draw", "not known", "not known", "not known", "not known"}; v.Words != want {
		t.Errorf("words %q, want %q", v.Words, want)
	}
	if v.Moves[0].Label != "best" || v.Moves[1].Label != "" || v.Moves[2].Label != "" {
		t.Errorf("labels %+v", v.Moves[:3])
	}
	if v.Accuracy[connect4.Red] != study.NotKnown || v.Accuracy[connect4.Yellow] != study.NotKnown {
		t.Errorf("accuracy %q", v.Accuracy)
	}
	b.ShowBest()
	if v := b.View(); v.Best != -1 || v.BestText != "" {
		t.Errorf("a best move not known shows: %d %q", v.Best, v.BestText)
	}
	b.Seek(2)
	if v := b.View(); v.Words != [7]string{"not known", "not known", "not known", "not known", "not known", "not known", "not known"} || !v.Early {
		t.Errorf("nothing known: %q", v.Words)
	}
	b.Seek(0)
	b.ShowBest()
	if v := b.View(); v.Best != 3 || v.BestText != "Best move: column 4, win in 21." {
		t.Errorf("the book's best move: %d %q", v.Best, v.BestText)
	}
}

// TestReviewVariation plays a variation in a review: the game's moves stay
// in the move list with their labels and the accuracy, the board and the
// status show the variation and where it left the game, the steps stay in
// it, and the move list goes back to the game.
func TestReviewVariation(t *testing.T) {
	game := []int{0, 6, 0, 0}
	b := study.New(game)
	b.Review()
	for _, name := range b.Ask() {
		columns, _ := study.Parse(name)
		b.Scored(name, table[len(columns)], nil)
	}
	b.Seek(2)
	for range 2 {
		if !b.Play(3) {
			t.Fatal("a variation refused")
		}
	}
	v := b.View()
	if !slices.Equal(b.Game(), game) || !slices.Equal(b.Line(), []int{0, 6, 3, 3}) || v.Variation != 2 || v.Len != 4 || v.LineLen != 4 || v.Cursor != 4 {
		t.Fatalf("game %v, line %v, variation %d, len %d, line's %d, cursor %d", b.Game(), b.Line(), v.Variation, v.Len, v.LineLen, v.Cursor)
	}
	for n, want := range []string{"inaccuracy", "mistake", "best", "blunder"} {
		if v.Moves[n].Label != want || v.Moves[n].Column != game[n] {
			t.Errorf("the move list's move %d: %+v, want the game's, %s", n+1, v.Moves[n], want)
		}
	}
	if v.Accuracy[connect4.Red] != "88%" || v.Accuracy[connect4.Yellow] != "13%" {
		t.Errorf("accuracy %q in a variation", v.Accuracy)
	}
	if v.Status != "After move 4, yellow in column 4 (a variation from move 3, where the game played column 1). Red to play." {
		t.Errorf("status %q", v.Status)
	}
	if v.Query != "?pos=1744" || v.Cells[3][1] != connect4.Yellow {
		t.Errorf("the board shows %q", v.Query)
	}
	// Stepping stays in the variation: back one, forward one.
	b.Step(-1)
	if v := b.View(); v.Status != "After move 3, red in column 4 (a variation from move 3, where the game played column 1): a mistake. Yellow to play." {
		t.Errorf("status %q", v.Status)
	}
	b.Step(1)
	b.Step(-2)
	if v := b.View(); v.Variation != 2 || v.Status != "After move 2, yellow in column 7: a mistake. Red to play." {
		t.Errorf("back on the game's moves, in the variation's line: variation %d, status %q", v.Variation, v.Status)
	}
	// The move list: back to the game.
	b.Seek(4)
	if v := b.View(); v.Variation != -1 || !slices.Equal(b.Line(), game) || v.Query != "?pos=1711" {
		t.Errorf("back to the game: variation %d, line %v, %q", v.Variation, b.Line(), v.Query)
	}
	// Past the game's last move.
	b.Play(3)
	if v := b.View(); v.Variation != 4 || v.Status != "After move 5, red in column 4 (a variation from move 5, after the game's last move). Yellow to play." {
		t.Errorf("past the end: variation %d, status %q", v.Variation, v.Status)
	}
}

// TestNames checks that the players named, "you" and "the computer", are
// so called in the move list, the status and the view's names.
func TestNames(t *testing.T) {
	b := study.New([]int{0, 6, 0, 6, 0, 6, 0})
	b.Review()
	b.SetName(connect4.Red, "the computer")
	b.SetName(connect4.Yellow, "you")
	v := b.View()
	if got := v.Moves[1].Text(1); got != "2. you, column 7" {
		t.Errorf("the move list says %q", got)
	}
	if v.Status != "After move 7, the computer in column 1. The computer wins." {
		t.Errorf("status %q", v.Status)
	}
	if v.Names != [3]string{"", "the computer", "you"} {
		t.Errorf("names %q", v.Names)
	}
	b.Seek(1)
	if v := b.View(); v.Status != "After move 1, the computer in column 1. You to play." {
		t.Errorf("status %q", v.Status)
	}
	b.SetName(connect4.Red, "you")
	b.SetName(connect4.Yellow, "")
	b.Seek(7)
	if v := b.View(); v.Status != "After move 7, you in column 1. You win." || v.Names[connect4.Yellow] != "yellow" {
		t.Errorf("status %q, names %q", v.Status, v.Names)
	}
}
