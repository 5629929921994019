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
//
// With Duel, or when the server has several instances ([Config.Others]),
// the players play games for two instead (the tutorial's part 2), an even
// number of them: Players/2 games, game i's red player on instance i and
// yellow on instance i+1, each game a move every half period (each player
// Rate moves a second). A move's latency then runs to the opponent's
// reading of its play event, and the next move is due half a period later.
type Open struct {
	Players  int
	Duel     bool
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
	s.Duel = s.Duel || cfg.instances() > 1
	switch {
	case s.Players <= 0 || s.Duration <= 0 || s.Rate < 0:
		return nil, fmt.Errorf("loadgen: open loop needs players, a rate and a duration: %+v", s)
	case s.Duel && s.Players%2 != 0:
		return nil, fmt.Errorf("loadgen: games for two need an even number of players, not %d", s.Players)
	}
	// Each table, a hot-seat game or a game for two, makes a move a period.
	tables, period := s.Players, time.Duration(float64(time.Second)/s.Rate)
	if s.Duel {
		tables, period = s.Players/2, period/2
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}
	r := &Result{Mode: "open", Elapsed: s.Duration,
		Settings: fmt.Sprintf("%d players × %g moves/s, %v", s.Players, s.Rate, s.Duration)}
	if s.Duel {
		r.Settings = fmt.Sprintf("%d players × %g moves/s in %d games for two, %v, the players on instances i and i+1",
			s.Players, s.Rate, tables, s.Duration)
	}

	// Every table is set up before the schedule starts.
	ts := make([]*table, tables)
	var st openStats
	forEach(ctx, tables, s.Concurrency, func(i int) {
		t, err := openTable(ctx, cfg, i, scripts[i%len(scripts)], s.Duel)
		f.add(ctx, err)
		ts[i] = t
		if t != nil {
			st.conns.Add(int64(len(t.conns)))
		}
	})
	if err := ctx.Err(); err != nil {
		for _, t := range ts {
			if t != nil {
				t.close()
			}
		}
		return r, f.finish(parent, r)
	}

	// Collect the connecting's garbage now, not in the measured time.
	runtime.GC()
	start := time.Now().Add(10 * time.Millisecond)
	end := start.Add(s.Duration)
	var hist, lag lockedHistogram
	var wg sync.WaitGroup
	m := startCPU(cfg)
	for i := range tables {
		offset := time.Duration(int64(period) * int64(i) / int64(tables))
		wg.Go(func() {
			f.add(ctx, s.table(ctx, cfg, i, tables, ts[i], start.Add(offset), end, period, &hist, &lag, &st))
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

// table plays the moves of table i of n, the first at first and one every
// period after it, until end; t is its first game.
func (s Open) table(ctx context.Context, cfg Config, i, n int, t *table, first, end time.Time, period time.Duration, hist, lags *lockedHistogram, st *openStats) error {
	defer func() {
		if t != nil {
			t.close()
		}
	}()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	game := i
	for k := 0; ; k++ {
		due := first.Add(time.Duration(k) * period)
		if !due.Before(end) {
			return nil
		}
		st.due.Add(1)
		if !sleepUntil(ctx, timer, due) {
			return nil
		}
		if t == nil { // the last game ended: start another
			var err error
			if t, err = openTable(ctx, cfg, i, scripts[game%len(scripts)], s.Duel); err != nil {
				return err
			}
			st.conns.Add(int64(len(t.conns)))
		}
		sent, got, err := t.play(t.moves(), cfg)
		if err != nil {
			return fmt.Errorf("table %d: %w", i, err)
		}
		lag := sent.Sub(due)
		lags.record(lag)
		if lag > s.Late {
			st.late.Add(1)
		}
		latency := got.Sub(due)
		hist.record(latency)
		st.answered.Add(1)
		if latency > period {
			st.missed.Add(1)
		}
		if t.done() {
			st.games.Add(1)
			if t.refs[0].game.Draw() {
				st.draws.Add(1)
			} else {
				st.wins.Add(1)
			}
			t.close()
			t = nil
			game += n
		}
	}
}
