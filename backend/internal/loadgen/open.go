package loadgen

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Open is the open loop: Players connections, each playing hot-seat games
// (the tutorial's part 1) at Rate moves a second on a fixed schedule, the
// players' moves spread evenly over each period. A move's latency runs from
// the time the schedule meant to send it, not from when it was sent, so that
// a server that holds up the load tool is charged for the delay (no
// coordinated omission).
//
// It counts the moves sent late (more than Late behind their schedule) and
// the moves missed: answered more than one period after their scheduled time,
// when the player's next move was already due. Players and Duration are
// required; the zero value of every other field means its default.
type Open struct {
	Players  int
	Rate     float64 // moves a second per player; 0 means 1
	Duration time.Duration
	// Late is how far behind its schedule a move may be sent before it counts
	// as late; 0 means a millisecond.
	Late time.Duration
	// Concurrency is how many connections are opened at once before the run;
	// 0 means 64.
	Concurrency int
}

// openStats is what the open loop counts, over all players.
type openStats struct {
	due, answered, late, missed atomic.Int64
	games, wins, draws, conns   atomic.Int64
}

// Run implements Scenario.
func (s Open) Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if s.Rate == 0 {
		s.Rate = 1
	}
	if s.Late == 0 {
		s.Late = time.Millisecond
	}
	if s.Concurrency <= 0 {
		s.Concurrency = 64
	}
	if s.Players <= 0 || s.Duration <= 0 || s.Rate < 0 {
		return nil, fmt.Errorf("loadgen: open loop needs players, a rate and a duration: %+v", s)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}
	r := &Result{Mode: "open", Elapsed: s.Duration,
		Settings: fmt.Sprintf("%d players × %g moves/s, %v", s.Players, s.Rate, s.Duration)}

	// Every player connects before the schedule starts.
	conns := make([]*conn, s.Players)
	var st openStats
	forEach(ctx, s.Players, s.Concurrency, func(i int) {
		c, err := dial(ctx, cfg)
		f.add(ctx, err)
		conns[i] = c
		if c != nil {
			st.conns.Add(1)
		}
	})
	if err := ctx.Err(); err != nil {
		for _, c := range conns {
			if c != nil {
				c.close()
			}
		}
		return r, f.finish(parent, r)
	}

	period := time.Duration(float64(time.Second) / s.Rate)
	// Collect the connecting's garbage now, not in the measured time.
	runtime.GC()
	start := time.Now().Add(10 * time.Millisecond)
	end := start.Add(s.Duration)
	var hist, lag lockedHistogram
	var wg sync.WaitGroup
	m := startCPU(cfg.PID)
	for i := range s.Players {
		offset := time.Duration(int64(period) * int64(i) / int64(s.Players))
		wg.Go(func() {
			f.add(ctx, s.player(ctx, cfg, i, conns[i], start.Add(offset), end, period, &hist, &lag, &st))
		})
	}
	wg.Wait()
	m.stopInto(r)

	r.Moves, r.Games, r.Wins, r.Draws = st.answered.Load(), st.games.Load(), st.wins.Load(), st.draws.Load()
	r.Connections = st.conns.Load()
	secs := s.Duration.Seconds()
	due := max(st.due.Load(), 1)
	r.Figures = []Figure{
		{"moves", float64(r.Moves) / secs, "moves/s"},
		{"sent late (> " + s.Late.String() + " behind schedule)", float64(st.late.Load()), "moves"},
		{"share sent late", 100 * float64(st.late.Load()) / float64(due), "%"},
		{"missed (answered > 1 period after schedule)", float64(st.missed.Load()), "moves"},
	}
	r.Latencies = []Latency{
		summarise("move, from its scheduled time", &hist.h),
		// How late the load tool sent the moves: the part of the latency
		// that was spent before the send.
		summarise("send behind schedule", &lag.h),
	}
	return r, f.finish(parent, r)
}

// player plays one player's moves, the first at first and one every period
// after it, until end; c is its first connection.
func (s Open) player(ctx context.Context, cfg Config, i int, c *conn, first, end time.Time, period time.Duration, hist, lags *lockedHistogram, st *openStats) error {
	defer func() {
		if c != nil {
			c.close()
		}
	}()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	game := i
	ref := newReferee(scripts[game%len(scripts)], !cfg.NoDrawEvent)
	for k := 0; ; k++ {
		due := first.Add(time.Duration(k) * period)
		if !due.Before(end) {
			return nil
		}
		st.due.Add(1)
		if !sleepUntil(ctx, timer, due) {
			return nil
		}
		if c == nil { // the last game ended: start another
			var err error
			if c, err = dial(ctx, cfg); err != nil {
				return err
			}
			st.conns.Add(1)
		}
		sent := time.Now()
		lag := sent.Sub(due)
		lags.record(lag)
		if lag > s.Late {
			st.late.Add(1)
		}
		n := ref.moves()
		if err := c.send(playJSON[ref.script[n]]); err != nil {
			return err
		}
		if err := readMove(c, ref, n, sent.Add(cfg.Timeout), func(got time.Time) {
			latency := got.Sub(due)
			hist.record(latency)
			st.answered.Add(1)
			if latency > period {
				st.missed.Add(1)
			}
		}); err != nil {
			return fmt.Errorf("player %d: %w", i, err)
		}
		if ref.done() {
			st.games.Add(1)
			if ref.game.Draw() {
				st.draws.Add(1)
			} else {
				st.wins.Add(1)
			}
			c.close()
			c = nil
			game += s.Players
			ref = newReferee(scripts[game%len(scripts)], !cfg.NoDrawEvent)
		}
	}
}
