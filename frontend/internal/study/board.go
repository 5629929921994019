package study

import (
	"errors"
	"math"
	"strconv"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/solver"
)

// Board is an analysis board: a line of moves from the empty board, the
// position shown (the first Cursor moves of the line), and the scores
// known of its positions. Played from any position, a move that leaves the
// line starts a new line there, as on a chess board; stepping back and
// forth keeps the line.
//
// A review is a Board whose every position of the game reviewed is scored,
// so that each of its moves gets its label and each player an accuracy
// ([Board.Review]). There a move off the game starts a variation: the
// game's moves stay, for the move list and to go back to ([Board.Seek]).
//
// The zero value is the empty board, scores hidden, ready to use. A Board
// is not safe for concurrent use.
type Board struct {
	line   []int // columns from 0
	cursor int   // the moves of line on the board shown
	// scores holds every answer that came, by position name, whether or
	// not its position is still on the line: stepping back to it needs no
	// second question; early those of its answers that are partial, the
	// position being too early in the game for the brain (see
	// [analysis.ErrTooEarly]). failed holds the positions the brain could
	// not score, twice; retried those it failed once, asked again; asked
	// those asked (answered or not).
	scores  map[string]solver.Scores
	early   map[string]bool
	failed  map[string]bool
	retried map[string]bool
	asked   map[string]bool

	on     bool // the columns' words show
	review bool // every position of the game is wanted
	// reviewed is the line when the review began: the game reviewed, which
	// line leaves in a variation.
	reviewed []int
	best     bool   // the best move of the position shown shows
	hints    [3]int // by player: the hints taken in the game reviewed
	names    [3]string
}

// New returns a board on the line of columns (from 0), showing its last
// position. The columns must be a position, as [Parse] checks.
func New(columns []int) *Board {
	b := new(Board)
	b.Follow(columns)
	return b
}

// Follow makes columns the line, its last position shown: a board that
// follows a game is told each move. The scores known stay.
func (b *Board) Follow(columns []int) {
	if Name(columns) != b.Position() {
		b.best = false
	}
	b.line = append(b.line[:0], columns...)
	b.cursor = len(b.line)
}

// Line returns the moves of the line, columns from 0.
func (b *Board) Line() []int { return append([]int(nil), b.line...) }

// Game returns the moves of the game reviewed, or of the line outside a
// review.
func (b *Board) Game() []int { return append([]int(nil), b.moves()...) }

// moves returns the moves that the move list shows, labels and scores for
// the accuracy: the game reviewed, or the line.
func (b *Board) moves() []int {
	if b.review {
		return b.reviewed
	}
	return b.line
}

// variation returns how many of the game's moves the line keeps before it
// leaves the game, in a review; -1 when the line is the game's, or a part
// of it.
func (b *Board) variation() int {
	if !b.review {
		return -1
	}
	for n, c := range b.line {
		if n >= len(b.reviewed) || b.reviewed[n] != c {
			return n
		}
	}
	return -1
}

// Cursor returns the number of moves of the line on the board shown.
func (b *Board) Cursor() int { return b.cursor }

// Position returns the name of the position shown, such as "4453".
func (b *Board) Position() string { return Name(b.line[:b.cursor]) }

// Seek shows the position after the first n moves of the line, n bounded by
// the line; in a review, of the game, leaving any variation: the move list
// goes back to the game.
func (b *Board) Seek(n int) {
	if b.review && b.variation() >= 0 {
		b.line = append(b.line[:0], b.reviewed...)
		b.best = false
	}
	b.seek(n)
}

// seek shows the position after the first n moves of the line, n bounded
// by the line.
func (b *Board) seek(n int) {
	n = min(max(n, 0), len(b.line))
	if n != b.cursor {
		b.best = false
	}
	b.cursor = n
}

// Step moves the cursor by delta moves, back for a negative one, within
// the line (a variation's, in one).
func (b *Board) Step(delta int) { b.seek(b.cursor + delta) }

// game returns the game of the position shown.
func (b *Board) game() *connect4.Game {
	g, _ := connect4.Replay(b.line[:b.cursor]...)
	return g
}

// Play plays column (from 0) in the position shown, and reports whether it
// could: not in a full column or after the end of the game. The next move
// of the line is followed; any other starts a new line from here.
func (b *Board) Play(column int) bool {
	g := b.game()
	if column < 0 || column >= connect4.Columns || g.Over() || !g.CanPlay(column) {
		return false
	}
	b.best = false
	if b.cursor < len(b.line) && b.line[b.cursor] == column {
		b.cursor++
		return true
	}
	b.line = append(b.line[:b.cursor], column)
	b.cursor++
	return true
}

// ShowScores shows each column's outcome in words, or hides them; they
// stay shown, position after position, until hidden.
func (b *Board) ShowScores(on bool) { b.on = on }

// ScoresShown reports whether the columns' words show.
func (b *Board) ScoresShown() bool { return b.on }

// Review makes the line the game reviewed, and wants the scores of its
// every position: each move gets its label, each player an accuracy. A
// board reviews one game: Review again does nothing.
func (b *Board) Review() {
	if !b.review {
		b.review, b.reviewed = true, append([]int(nil), b.line...)
	}
}

// ShowBest shows the best move of the position shown, until the board shows
// another; it reports false when the position has no move (the game is
// over).
func (b *Board) ShowBest() bool {
	if b.game().Over() {
		return false
	}
	b.best = true
	return true
}

// SetName gives player p a name other than their colour, such as "you" or
// "the computer", in lower case: the move list, the status and the
// accuracy then call them so. "" names them by their colour again.
func (b *Board) SetName(p connect4.Player, name string) {
	if p == connect4.Red || p == connect4.Yellow {
		b.names[p] = name
	}
}

// name returns player p's name: the one set, or their colour, "red".
func (b *Board) name(p connect4.Player) string {
	if b.names[p] != "" {
		return b.names[p]
	}
	return p.String()
}

// SetHints records that player took n hints in the game reviewed.
func (b *Board) SetHints(p connect4.Player, n int) {
	if p == connect4.Red || p == connect4.Yellow {
		b.hints[p] = n
	}
}

// Next returns the position whose scores the board wants most and has
// not asked for yet, and counts it as asked: each is to be asked once, and
// answered with [Board.Scored]. The position shown comes first; then, in a
// review, the position before each move from the last move back, the
// quickest to score first. Asked one at a time, a position shown never
// waits behind the whole game.
func (b *Board) Next() (string, bool) {
	wantOf := func(line []int, n int) (string, bool) {
		name := Name(line[:n])
		if b.asked[name] {
			return "", false
		}
		if b.asked == nil {
			b.asked = make(map[string]bool)
		}
		b.asked[name] = true
		return name, true
	}
	want := func(n int) (string, bool) { return wantOf(b.line, n) }
	if (b.on || b.best) && !b.game().Over() {
		if name, ok := want(b.cursor); ok {
			return name, true
		}
	}
	if b.review {
		// The position before each move: never one after the end.
		for n := len(b.reviewed) - 1; n >= 0; n-- {
			if name, ok := wantOf(b.reviewed, n); ok {
				return name, true
			}
		}
	}
	return "", false
}

// Ask returns every position that [Board.Next] would return, in its
// order, and counts them as asked.
func (b *Board) Ask() []string {
	var names []string
	for {
		name, ok := b.Next()
		if !ok {
			return names
		}
		names = append(names, name)
	}
}

// Scored records the answer to the question about the position named pos:
// its scores, or err if it has none. An err that wraps
// [analysis.ErrTooEarly] comes with the scores of the columns the brain
// could score, the others marked [analysis.Unknown] or
// [analysis.NotBetter] (none scored, if no column is marked): they show,
// and label the moves they can. Any other err (the brain crashed, or took
// too long) is taken once as a question to ask again, of a brain that the
// caller restarts: [Board.Next] returns the position again; the second
// failure stands. It reports whether the answer was wanted:
// an answer to a question never asked, or a second one, is ignored. An
// answer for a position the board no longer shows is kept, for when it
// shows again.
func (b *Board) Scored(pos string, scores solver.Scores, err error) bool {
	// A position to ask again takes an answer that comes meanwhile, asked
	// by another board of the page's.
	if !b.asked[pos] && !b.retried[pos] {
		return false
	}
	if _, ok := b.scores[pos]; ok || b.failed[pos] {
		return false
	}
	b.asked[pos] = true
	switch {
	case errors.Is(err, analysis.ErrTooEarly):
		if !analysis.Partial(scores) {
			scores = noScores
		}
		if b.early == nil {
			b.early = make(map[string]bool)
		}
		b.early[pos] = true
	case err != nil && !b.retried[pos]:
		if b.retried == nil {
			b.retried = make(map[string]bool)
		}
		b.retried[pos] = true
		b.asked[pos] = false // to be asked again
		return true
	case err != nil:
		if b.failed == nil {
			b.failed = make(map[string]bool)
		}
		b.failed[pos] = true
		return true
	}
	if b.scores == nil {
		b.scores = make(map[string]solver.Scores)
	}
	b.scores[pos] = scores
	return true
}

// noScores are the scores of a position too early in the game of which
// the brain knows nothing.
var noScores = solver.Scores{analysis.Unknown, analysis.Unknown, analysis.Unknown, analysis.Unknown,
	analysis.Unknown, analysis.Unknown, analysis.Unknown}

// Scores returns the scores of the position after the first n moves of the
// line, if they came.
func (b *Board) Scores(n int) (solver.Scores, bool) {
	s, ok := b.scores[Name(b.line[:n])]
	return s, ok
}

// label returns the label of the n-th move of line (from 0), if the
// scores of the position before it came and tell it.
func (b *Board) label(line []int, n int) (analysis.Label, bool) {
	s, ok := b.scores[Name(line[:n])]
	if !ok {
		return 0, false
	}
	return analysis.LabelOf(s, line[n])
}

// accuracy returns player p's accuracy over the game (or the line), once
// every move of theirs has its label.
func (b *Board) accuracy(p connect4.Player) (float64, bool) {
	line := b.moves()
	moves := make([]analysis.Move, 0, len(line))
	for n := range line {
		l, ok := b.label(line, n)
		if !ok && player(n) == p {
			return 0, false
		}
		moves = append(moves, analysis.Move{Column: line[n], Player: player(n), Label: l})
	}
	return analysis.Accuracy(moves, p)
}

// unscorable reports whether the brain could not score the position before
// one of player p's moves, or too early in the game to label it: p's
// accuracy will not come.
func (b *Board) unscorable(p connect4.Player) bool {
	line := b.moves()
	for n := range line {
		if player(n) != p {
			continue
		}
		if b.failed[Name(line[:n])] {
			return true
		}
		if _, scored := b.scores[Name(line[:n])]; scored {
			if _, ok := b.label(line, n); !ok {
				return true
			}
		}
	}
	return false
}

// Percent returns an accuracy as the page shows it, rounded to a whole per
// cent: "88%".
func Percent(a float64) string {
	return strconv.Itoa(int(math.Round(a))) + "%"
}
