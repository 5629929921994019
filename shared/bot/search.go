package bot

import (
	"context"
	"runtime"
	"time"

	"github.com/connect4go/connect4/shared/solver"
)

// Scores of the heuristic search, for the side to move. A win or loss it can
// see is worth more than any estimate, and more the sooner it comes.
const (
	winScore = 1000
	noScore  = -1 << 20
)

// singleThreaded is set where goroutines are not preempted.
const singleThreaded = runtime.GOOS == "js" || runtime.GOOS == "wasip1"

// columnOrder lists the columns centre first, the order the search tries them.
var columnOrder = [...]int{3, 2, 4, 1, 5, 0, 6}

// search is a depth-limited negamax with alpha-beta pruning that estimates the
// positions at its horizon by their threats. It is not safe for concurrent use;
// the zero value is ready.
type search struct {
	done     <-chan struct{}
	deadline time.Time
	nodes    int
	stop     bool
}

// scores returns the estimated score of each column of p, noScore for a full
// column, looking depth moves ahead; ok is false if ctx was done first.
func (s *search) scores(ctx context.Context, p solver.Position, depth int) (scores [7]int, ok bool) {
	s.done, s.stop = ctx.Done(), false
	s.deadline, _ = ctx.Deadline()
	for c := range scores {
		scores[c] = noScore
		if !p.CanPlay(c) {
			continue
		}
		if p.IsWinningMove(c) {
			scores[c] = winScore - p.Moves() - 1
			continue
		}
		q, _ := p.Play(c)
		scores[c] = -s.negamax(q, depth-1, -winScore-1, winScore+1)
	}
	return scores, !s.stop
}

// negamax returns the estimated score of p, looking depth moves ahead.
func (s *search) negamax(p solver.Position, depth, alpha, beta int) int {
	s.nodes++
	if s.nodes&1023 == 0 {
		// Read the clock rather than wait for ctx's timer, which cannot fire
		// in a browser while the search runs (see solver.Solver).
		if singleThreaded {
			runtime.Gosched()
		}
		select {
		case <-s.done:
			s.stop = true
		default:
			s.stop = !s.deadline.IsZero() && !time.Now().Before(s.deadline)
		}
	}
	if s.stop {
		return 0
	}
	if p.CanWinNext() {
		return winScore - p.Moves() - 1
	}
	next := p.NonLosing()
	if next == 0 {
		return -(winScore - p.Moves() - 2) // the opponent wins next move
	}
	if p.Moves() >= 40 || p.Draw() {
		return 0 // no four can be made with the last stones
	}
	if depth <= 0 {
		own, opponent := p.Threats()
		return own - opponent
	}
	best := noScore
	for _, c := range columnOrder {
		if !next.Has(c) {
			continue
		}
		q, _ := p.Play(c)
		score := -s.negamax(q, depth-1, -beta, -alpha)
		if score > best {
			best = score
			if score > alpha {
				alpha = score
				if alpha >= beta {
					break
				}
			}
		}
	}
	return best
}
