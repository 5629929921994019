package loadgen

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/histogram"
)

// FanOut plays Games games between two players at once (the tutorial's part
// 2: one player sends init and gets the join and watch keys, the other joins,
// and Spectators watch), and measures the latency from a move's sending to
// its play event reaching the other player and each spectator.
//
// Before the first move, the joiner plays out of turn and waits for the
// tutorial's "It isn't your turn.", which proves it has its seat; the first
// move, which spectators may get as a replay, is not measured. The players
// then take turns every Interval, on a schedule from which latency is
// measured, or, when Interval is 0, as soon as everyone has read the previous
// move. Games start over, on new connections, until Duration is over, which
// starts once the first game of every slot is set up. Games and Duration are
// required. With several instances of the server ([Config.Others]), slot
// i's red player is on instance i, yellow on i+1 and its spectators on the
// instances after, in turn.
type FanOut struct {
	Games, Spectators int
	Interval          time.Duration
	Duration          time.Duration
}

// fanOutStats is what one game slot of FanOut counts.
type fanOutStats struct {
	opponent, spectators, own histogram.Histogram
	lag                       histogram.Histogram // sends behind schedule, when paced
	counts
}

// receipt is a connection's report to its game's driver: that it read move
// (from 0) at a time, or that it failed, or that it read the end of the game.
type receipt struct {
	from int // the connection: 0 and 1 the players, then the spectators
	move int
	at   time.Time
	err  error
	end  bool
}

// Run implements Scenario.
func (s FanOut) Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if s.Games <= 0 || s.Spectators < 0 || s.Duration <= 0 || s.Interval < 0 {
		return nil, fmt.Errorf("loadgen: fan-out needs games and a duration: %+v", s)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}

	// The measured time starts once every slot's first game is set up and
	// its first move seen by all: until is set before start is closed.
	var until time.Time
	start := make(chan struct{})
	var ready sync.WaitGroup
	ready.Add(s.Games)
	stats := make([]fanOutStats, s.Games)
	var wg sync.WaitGroup
	for i := range s.Games {
		wg.Go(func() {
			st := &stats[i]
			var once sync.Once
			begin := func() bool {
				once.Do(ready.Done)
				select {
				case <-start:
					return true
				case <-ctx.Done():
					return false
				}
			}
			defer once.Do(ready.Done)
			// The slots' first games start together: their schedules are
			// spread over an interval, lest every game move at once.
			offset := s.Interval * time.Duration(i) / time.Duration(s.Games)
			for g := 0; ctx.Err() == nil; g++ {
				err := s.game(ctx, cfg, i, scripts[(i+g*s.Games)%len(scripts)], offset, begin, func() time.Time { return until }, st)
				offset = 0
				if err != nil {
					f.add(ctx, fmt.Errorf("game %d of slot %d: %w", g, i, err))
					return
				}
				// A game ends without error before begin only if ctx has.
				if ctx.Err() != nil || !time.Now().Before(until) {
					return
				}
			}
		})
	}
	ready.Wait()
	runtime.GC() // the set-up's garbage, not in the measured time
	until = time.Now().Add(s.Duration)
	m := startCPU(cfg)
	close(start)
	wg.Wait()
	r := &Result{Mode: "fanout", Elapsed: s.Duration}
	m.stopInto(r)
	pace := "each move as soon as all have the previous"
	if s.Interval > 0 {
		pace = fmt.Sprintf("a move every %v per game", s.Interval)
	}
	r.Settings = fmt.Sprintf("%d games × (2 players + %d spectators), %s, %v", s.Games, s.Spectators, pace, s.Duration)
	var opponent, spectators, own, lag histogram.Histogram
	for i := range stats {
		st := &stats[i]
		opponent.Merge(&st.opponent)
		spectators.Merge(&st.spectators)
		own.Merge(&st.own)
		lag.Merge(&st.lag)
		st.addTo(r)
	}
	secs := s.Duration.Seconds()
	r.Figures = []Figure{
		{"moves", float64(r.Moves) / secs, "moves/s"},
		{"events delivered to the others", float64(r.Moves*int64(1+s.Spectators)) / secs, "events/s"},
	}
	r.Latencies = []Latency{
		summarise("move to the opponent", &opponent),
		summarise("move to each spectator", &spectators),
		summarise("move back to its player", &own),
	}
	if s.Interval > 0 {
		// How late the load tool sent the moves: the part of the latency
		// spent before the send.
		r.Latencies = append(r.Latencies, summarise("send behind schedule", &lag))
	}
	return r, f.finish(parent, r)
}

// game plays one game of script for slot, unless the end of the run comes first.
// Once every connection has the first move, it calls begin, which waits for
// the measured time to start and reports whether to go on; then end returns
// when the measured time ends. When paced, the schedule of the moves starts
// offset after begin returns.
func (s FanOut) game(ctx context.Context, cfg Config, slot int, script []int, offset time.Duration, begin func() bool, end func() time.Time, st *fanOutStats) error {
	n := 2 + s.Spectators
	conns := make([]*conn, 0, n)
	readers := 0
	done := make(chan receipt, n*(len(script)+2))
	defer func() {
		// Interrupt the readers still waiting, and close once they are gone.
		if readers > 0 {
			for _, c := range conns {
				c.SetReadDeadline(interrupted)
			}
			for ; readers > 0; readers-- {
				for r := <-done; !r.end && r.err == nil; r = <-done {
				}
			}
		}
		var wg sync.WaitGroup
		for _, c := range conns {
			wg.Go(c.close)
		}
		wg.Wait()
	}()
	players, watch, err := openDuel(ctx, cfg, slot, script[0])
	conns = append(conns, players...)
	st.conns += int64(len(players))
	if err != nil {
		return err
	}
	for k := range s.Spectators {
		c, err := dial(ctx, cfg, slot+2+k)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		st.conns++
		if err := c.send(fmt.Appendf(nil, `{"type":"init","watch":%q}`, watch)); err != nil {
			return err
		}
	}
	for i, c := range conns {
		readers++
		go follow(c, i, newReferee(script, !cfg.NoDrawEvent), cfg.Timeout+s.Interval, done)
	}

	var first time.Time // when the schedule starts, once every connection had move 0
	for k, column := range script {
		due := time.Now()
		if k > 0 && s.Interval > 0 {
			due = first.Add(time.Duration(k) * s.Interval)
			timer := time.NewTimer(time.Until(due))
			ok := sleepUntil(ctx, timer, due)
			timer.Stop()
			if !ok {
				return nil
			}
		}
		if k > 0 && !due.Before(end()) {
			return nil
		}
		if k > 0 && s.Interval > 0 {
			st.lag.Record(time.Since(due))
		}
		if err := conns[k%2].send(playJSON[column]); err != nil {
			return err
		}
		// Wait for every connection to read move k.
		timeout := time.NewTimer(cfg.Timeout)
		for got := 0; got < n; {
			select {
			case r := <-done:
				if r.end || r.err != nil {
					readers--
					if r.err != nil {
						timeout.Stop()
						return r.err
					}
					continue
				}
				if r.move != k {
					timeout.Stop()
					return fmt.Errorf("connection %d read move %d while move %d was awaited", r.from, r.move+1, k+1)
				}
				got++
				if k == 0 {
					continue
				}
				d := r.at.Sub(due)
				switch {
				case r.from == k%2:
					st.own.Record(d)
				case r.from < 2:
					st.opponent.Record(d)
				default:
					st.spectators.Record(d)
				}
			case <-timeout.C:
				return fmt.Errorf("move %d: not every connection had it after %v", k+1, cfg.Timeout)
			case <-ctx.Done():
				timeout.Stop()
				return nil
			}
		}
		timeout.Stop()
		if k == 0 {
			if !begin() {
				return nil
			}
			first = time.Now().Add(offset)
		} else {
			st.moves++
		}
	}
	// Every connection reads the result, then its reader ends.
	timeout := time.NewTimer(cfg.Timeout)
	defer timeout.Stop()
	for readers > 0 {
		select {
		case r := <-done:
			readers--
			if r.err != nil {
				return r.err
			}
			if !r.end {
				return fmt.Errorf("connection %d read a move after the last", r.from)
			}
		case <-timeout.C:
			return fmt.Errorf("the game's result: not every connection had it after %v", cfg.Timeout)
		case <-ctx.Done():
			return nil
		}
	}
	st.ended(draws(script))
	return nil
}

// follow reads the events of one connection's game and reports them on done,
// until the end of the game or an error.
func follow(c *conn, i int, ref *referee, wait time.Duration, done chan<- receipt) {
	for !ref.done() {
		e, err := c.next(time.Now().Add(wait))
		if err == nil {
			var played bool
			if played, err = ref.check(e); played {
				done <- receipt{from: i, move: ref.moves() - 1, at: time.Now()}
			}
		}
		if err != nil {
			done <- receipt{from: i, err: fmt.Errorf("connection %d: %w", i, err)}
			return
		}
	}
	done <- receipt{from: i, end: true}
}

// draws reports whether script ends in a draw.
func draws(script []int) bool {
	g := newReferee(script, false).game
	for _, c := range script {
		g.Play(g.Turn(), c)
	}
	return g.Draw()
}
