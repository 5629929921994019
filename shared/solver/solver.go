// Package solver solves Connect Four on the standard board of seven columns and
// six rows: it finds the exact score of any position with both sides playing
// perfectly.
//
// It follows the design of Pascal Pons' "Solving Connect 4" series: bitboards;
// negamax with alpha-beta pruning; never a move that lets the opponent win at
// once; moves tried centre first and by the number of winning cells they make; a
// transposition table; and a root search by null windows that narrows the score
// down. On top of that its table keeps both bounds and the best move of each
// position, it looks up the children of a position before searching them
// (cutting at once when one is already known to be good enough), and it keeps
// positions of the middle and the end of the game in smaller tables that stay in
// the processor's caches.
//
// Scores follow Pons' benchmark convention, for the side to move: 0 is a draw; a
// positive score is a win, 22 minus the number of stones the winner has played
// when the game ends (1 is a win with the last stone, 18 with the fourth); a
// negative score is a loss, the same count minus 22. If the side to move can win
// at once with n stones on the board, the score is (43-n)/2.
package solver

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
)

// The range of scores. Every position's score lies within MinScore..MaxScore.
const (
	MaxScore = (cells+1)/2 - 3 // 18: a win with one's fourth stone
	MinScore = -MaxScore
)

// Errors of a search cut short: ErrStopped always, wrapping either the
// context's error or ErrNodeLimit.
var (
	ErrStopped   = errors.New("solver: search stopped")
	ErrNodeLimit = errors.New("solver: node limit reached")
)

// Unplayable is the score of a full column in Scores.
const Unplayable = -128

// Scores holds the score of playing each column, or Unplayable for a full column.
type Scores [connect4.Columns]int

// Best returns the column with the highest score and that score, preferring
// the most central column among equals; or -1 and Unplayable when no column can
// be played.
func (s Scores) Best() (column, score int) {
	column, score = -1, Unplayable
	for _, c := range columnOrder {
		if s[c] > score {
			column, score = c, s[c]
		}
	}
	return column, score
}

// A Book knows the best move and the exact score of some positions, such as
// those of the first moves of a game, without a search. Its methods must be safe
// for concurrent use.
type Book interface {
	// Lookup returns a best column of p and p's score, and false for a
	// position it does not hold.
	Lookup(p Position) (column, score int, ok bool)
}

// DefaultTableBits is the size of the main transposition table that New(0)
// makes: 2^23 entries of 8 bytes, 64 MiB.
const DefaultTableBits = 23

// The tables for the later stages of the game: positions with midFrom stones or
// more go to a table of 2^midBits entries (8 MiB), and those with lateFrom or
// more to one of 2^lateBits (512 KiB). On this kind of machine a look-up that
// misses the caches costs 150 ns or more, several times the rest of a node's
// work; the many small searches near the leaves then hit the caches, while the
// early positions, few but each worth a large search, keep the big table.
const (
	midFrom  = 12
	midBits  = 20
	lateFrom = 24
	lateBits = 16
)

// Solver searches positions for their exact score. It keeps what it learns in
// its transposition tables from one call to the next, which is always sound:
// an entry holds bounds on the score of one exact position.
//
// A Solver is not safe for concurrent use: give each goroutine its own. Use New;
// the zero value has no tables and must not be used.
type Solver struct {
	// Book, if not nil, answers without a search Solve and BestMove for the
	// positions it holds, and Analyze for the moves that lead to them.
	Book Book
	// NodeLimit, if not zero, stops each call of Solve, Analyze or BestMove
	// with ErrStopped once it has searched that many positions.
	NodeLimit uint64

	early, mid, late table
	nodes            uint64 // positions searched since New
	budget           uint64 // the value of nodes at which the current call stops
	done             <-chan struct{}
	deadline         time.Time // ctx's deadline, if any
	stopped          error
}

// New returns a solver whose main transposition table has 2^tableBits entries
// of 8 bytes each (20 is 8 MiB, 23 is 64 MiB), plus up to 8.5 MiB for the
// tables of the later stages; tableBits 0 means DefaultTableBits. It panics if
// tableBits is outside 10..32.
func New(tableBits int) *Solver {
	if tableBits == 0 {
		tableBits = DefaultTableBits
	}
	if tableBits < 10 || tableBits > 32 {
		panic(fmt.Sprintf("solver: table size 2^%d out of range", tableBits))
	}
	return &Solver{
		early: newTable(tableBits),
		mid:   newTable(min(tableBits, midBits)),
		late:  newTable(min(tableBits, lateBits)),
	}
}

// TableBytes returns the memory the transposition tables take.
func (s *Solver) TableBytes() int {
	return 8 * (len(s.early.entries) + len(s.mid.entries) + len(s.late.entries))
}

// Nodes returns the number of positions the solver has searched since New.
func (s *Solver) Nodes() uint64 { return s.nodes }

// Reset empties the transposition tables, so that the next call starts afresh.
func (s *Solver) Reset() {
	s.early.clear()
	s.mid.clear()
	s.late.clear()
}

// tableFor returns the table for positions with the given number of stones.
func (s *Solver) tableFor(moves int) *table {
	switch {
	case moves >= lateFrom:
		return &s.late
	case moves >= midFrom:
		return &s.mid
	}
	return &s.early
}

// Solve returns the exact score of p for the side to move. It returns an error
// wrapping ErrStopped if ctx is done or the node limit is reached first.
func (s *Solver) Solve(ctx context.Context, p Position) (int, error) {
	if s.Book != nil {
		if _, score, ok := s.Book.Lookup(p); ok {
			return score, nil
		}
	}
	s.start(ctx)
	score := s.solve(p)
	return score, s.finish(ctx)
}

// Analyze returns the exact score of playing each column of p: the opposite of
// the score of the position it leads to, or the score of the win for a winning
// move. It solves each of those positions in turn, so it costs up to seven
// times as much as Solve. It returns an error wrapping ErrStopped if ctx is done
// or the node limit is reached first.
func (s *Solver) Analyze(ctx context.Context, p Position) (Scores, error) {
	s.start(ctx)
	var scores Scores
	for c := range width {
		switch {
		case !p.CanPlay(c):
			scores[c] = Unplayable
		case p.isWinningMove(c):
			scores[c] = (cells + 1 - p.moves) / 2
		default:
			q := p
			q.play(p.moveBit(c))
			if _, score, ok := s.lookup(q); ok {
				scores[c] = -score
			} else {
				scores[c] = -s.solve(q)
			}
		}
		if s.stopped != nil {
			break
		}
	}
	return scores, s.finish(ctx)
}

// BestMove returns a column with the best score for the side to move and that
// score; it returns -1 and 0 for a full board. It solves p, then confirms a move
// that reaches the score with one null-window search per column tried (the
// best move the search found is tried first), which costs far less than
// Analyze. It returns an error wrapping ErrStopped if ctx is done or the node
// limit is reached first.
func (s *Solver) BestMove(ctx context.Context, p Position) (column, score int, err error) {
	if column, score, ok := s.lookup(p); ok {
		return column, score, nil
	}
	s.start(ctx)
	column, score = s.bestMove(p)
	if err := s.finish(ctx); err != nil {
		return -1, 0, err
	}
	return column, score, nil
}

// lookup asks the book, if there is one.
func (s *Solver) lookup(p Position) (column, score int, ok bool) {
	if s.Book == nil {
		return -1, 0, false
	}
	return s.Book.Lookup(p)
}

func (s *Solver) bestMove(p Position) (column, score int) {
	if p.moves == cells {
		return -1, 0
	}
	for _, c := range columnOrder {
		if p.IsWinningMove(c) {
			return c, (cells + 1 - p.moves) / 2
		}
	}
	score = s.solve(p)
	next := p.nonLosingMoves()
	if next == 0 { // every move loses: play the most central
		for _, c := range columnOrder {
			if p.CanPlay(c) {
				return c, score
			}
		}
	}
	order := columnOrder[:]
	if _, _, c, ok := s.tableFor(p.moves).get(p.Key()); ok && c >= 0 {
		order = append([]int{c}, order...)
	}
	for _, c := range order {
		if next&columnBits(c) == 0 || s.stopped != nil {
			continue
		}
		q := p
		q.play(p.moveBit(c))
		// The move reaches score exactly when the position it leads to is
		// worth at most -score to the opponent.
		if s.negamax(q, -score, -score+1) <= -score {
			return c, score
		}
	}
	if s.stopped == nil {
		panic(fmt.Sprintf("solver: no move reaches the score %d of\n%v", score, p))
	}
	return -1, 0
}

// start prepares the limits of one call.
func (s *Solver) start(ctx context.Context) {
	s.done = ctx.Done()
	s.deadline, _ = ctx.Deadline()
	s.stopped = nil
	s.budget = 0
	if s.NodeLimit > 0 {
		s.budget = s.nodes + s.NodeLimit
	}
}

// finish returns the error a call ends with.
func (s *Solver) finish(ctx context.Context) error {
	err := s.stopped
	s.done, s.stopped = nil, nil
	switch {
	case err == nil:
		return nil
	case err == errDone:
		if err = context.Cause(ctx); err == nil {
			err = context.DeadlineExceeded // the clock passed the deadline before the timer fired
		}
	}
	return fmt.Errorf("%w: %w", ErrStopped, err)
}

// errDone marks a search stopped by its context, whose cause finish reports.
var errDone = errors.New("done")

// checkEvery is how many positions the search visits between looks at its
// limits, minus one: a look costs a channel poll.
const checkEvery = 1<<12 - 1

// check sets s.stopped if the call has hit one of its limits. It reads the
// clock itself rather than wait for ctx's timer: in a browser, Go runs on one
// thread without preemption, so the timer would not fire while the search runs
// (and there it also yields, to let other goroutines cancel ctx).
func (s *Solver) check() {
	if s.budget > 0 && s.nodes >= s.budget {
		s.stopped = ErrNodeLimit
		return
	}
	if singleThreaded {
		runtime.Gosched()
	}
	if !s.deadline.IsZero() && !time.Now().Before(s.deadline) {
		s.stopped = errDone
		return
	}
	select {
	case <-s.done:
		s.stopped = errDone
	default:
	}
}

// singleThreaded is set where goroutines are not preempted.
const singleThreaded = runtime.GOOS == "js" || runtime.GOOS == "wasip1"

// solve returns the score of p by a series of null-window searches, each of
// which narrows the range the score may lie in. The guesses lean towards zero,
// where most scores are and where searches are cheaper.
func (s *Solver) solve(p Position) int {
	if p.CanWinNext() {
		return (cells + 1 - p.moves) / 2
	}
	lo, hi := -(cells-p.moves)/2, (cells+1-p.moves)/2
	for lo < hi && s.stopped == nil {
		med := lo + (hi-lo)/2
		if med <= 0 && lo/2 < med {
			med = lo / 2
		} else if med >= 0 && hi/2 > med {
			med = hi / 2
		}
		if r := s.negamax(p, med, med+1); r <= med {
			hi = r
		} else {
			lo = r
		}
	}
	return lo
}

// negamax returns the score of p if it lies strictly between alpha and beta, an
// upper bound on it no greater than alpha, or a lower bound on it no less than
// beta. The side to move must not have a winning move.
func (s *Solver) negamax(p Position, alpha, beta int) int {
	s.nodes++
	if s.nodes&checkEvery == 0 {
		s.check()
	}
	if s.stopped != nil {
		return 0
	}
	next := p.nonLosingMoves()
	if next == 0 {
		return -(cells - p.moves) / 2 // the opponent wins with their next stone
	}
	if p.moves >= cells-2 {
		return 0 // neither side can win with the last two stones
	}
	// With no win now and the opponent's next move harmless, the score lies in
	// lo..hi; the table may know better.
	lo, hi := -(cells-2-p.moves)/2, (cells-1-p.moves)/2
	key := p.Key()
	tab := s.tableFor(p.moves)
	first := -1
	if tlo, thi, c, ok := tab.get(key); ok {
		lo, hi, first = max(lo, tlo), min(hi, thi), c
	}
	if lo >= beta {
		return lo
	}
	if hi <= alpha {
		return hi
	}
	alpha, beta = max(alpha, lo), min(beta, hi)

	// Rate the moves, and look up the positions they lead to: those loads may
	// miss the caches, but they are independent and overlap, where each child's
	// own look-up would wait in turn. A child already known to be bad enough
	// for the opponent proves a cut at once.
	var moves moveList
	opponent := p.current ^ p.mask
	childTab := s.tableFor(p.moves + 1)
	for _, c := range columnOrder {
		m := next & columnBits(c)
		if m == 0 {
			continue
		}
		if e, ok := childTab.entry(opponent + (p.mask | m)); ok {
			if score := -entryHi(e); score >= beta {
				tab.put(key, score, hi, c)
				return score
			}
		}
		if c == first {
			moves.add(m, c, 1<<10) // the table's best move goes first
		} else {
			moves.add(m, c, p.moveScore(m))
		}
	}

	best, bestColumn := MinScore-1, -1
	for i := range moves.n {
		q := p
		q.play(moves.move[i])
		score := -s.negamax(q, -beta, -alpha)
		if s.stopped != nil {
			return 0
		}
		if score >= beta {
			tab.put(key, score, hi, int(moves.column[i]))
			return score
		}
		if score > best {
			best = score
			if score > alpha {
				alpha, bestColumn = score, int(moves.column[i])
			}
		}
	}
	tab.put(key, lo, best, bestColumn)
	return best
}

// moveList holds a node's moves, best rated first.
type moveList struct {
	move   [width]uint64
	score  [width]int
	column [width]int8
	n      int
}

// add inserts a move after those rated as high or higher.
func (l *moveList) add(move uint64, column, score int) {
	i := l.n
	for ; i > 0 && l.score[i-1] < score; i-- {
		l.move[i], l.score[i], l.column[i] = l.move[i-1], l.score[i-1], l.column[i-1]
	}
	l.move[i], l.score[i], l.column[i] = move, score, int8(column)
	l.n++
}
