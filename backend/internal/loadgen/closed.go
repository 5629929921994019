package loadgen

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/histogram"
)

// Closed is the closed loop: Games hot-seat games at once (the tutorial's
// part 1, one connection playing both sides), each sending its next move as
// soon as the previous one is answered. It measures moves a second and the
// round trip of a move: from writing {"type": "play"} to reading its play
// event.
//
// Each game plays a script to its end, a win or a draw, and the next game
// opens a new connection (the tutorial's part 1 has no way to start over),
// unless Rematch is set. Games and Duration are required.
//
// With Duel, or when the server has several instances ([Config.Others]),
// the games are for two instead (the tutorial's part 2): game slot i's red
// player on instance i and yellow on instance i+1, so that with several
// instances every move crosses from one to another through their store. The
// round trip then runs from writing a move to the opponent's reading of its
// play event; the mover's own play event is read and checked after it.
type Closed struct {
	Games int
	Duel  bool
	// Warmup is played before the measured Duration and not counted.
	Warmup, Duration time.Duration
	// Rematch starts each game with this project's {"type": "init", "mode":
	// "hotseat", "version": 2} and plays the next one on the same connection
	// after a {"type": "rematch"}, so that no handshake is measured with the
	// moves. It is not the tutorial's protocol.
	Rematch bool
}

// closedStats is what one game slot of the closed loop counts.
type closedStats struct {
	hist histogram.Histogram
	counts
}

// counts are the moves, games and connections of one game slot of a closed
// loop or a fan-out.
type counts struct {
	moves, games, wins, draws int64
	conns                     int64
}

// ended counts a game played to its end.
func (c *counts) ended(draw bool) {
	c.games++
	if draw {
		c.draws++
	} else {
		c.wins++
	}
}

// addTo adds the counts to r's.
func (c *counts) addTo(r *Result) {
	r.Moves += c.moves
	r.Games += c.games
	r.Wins += c.wins
	r.Draws += c.draws
	r.Connections += c.conns
}

// Messages of this project's protocol, for Closed.Rematch.
var (
	initHotSeat = []byte(`{"type":"init","mode":"hotseat","version":2}`)
	rematch     = []byte(`{"type":"rematch"}`)
)

// Run implements Scenario.
func (s Closed) Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	s.Duel = s.Duel || cfg.instances() > 1
	switch {
	case s.Games <= 0 || s.Duration <= 0 || s.Warmup < 0:
		return nil, fmt.Errorf("loadgen: closed loop needs games and a duration: %+v", s)
	case s.Duel && s.Rematch:
		return nil, errors.New("loadgen: the closed loop's rematch is for hot-seat games on one server")
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}

	from := time.Now().Add(s.Warmup)
	until := from.Add(s.Duration)
	stats := make([]closedStats, s.Games)
	var wg sync.WaitGroup
	for i := range s.Games {
		wg.Go(func() { f.add(ctx, s.slot(ctx, cfg, i, from, until, &stats[i])) })
	}
	meter := make(chan cpuMeter, 1)
	go func() {
		t := time.NewTimer(time.Until(from))
		defer t.Stop()
		sleepUntil(ctx, t, from)
		meter <- startCPU(cfg)
	}()
	wg.Wait()
	m := <-meter

	r := &Result{Mode: "closed", Elapsed: s.Duration}
	r.Settings = fmt.Sprintf("%d hot-seat games, %v (after %v warm-up)", s.Games, s.Duration, s.Warmup)
	if s.Duel {
		r.Settings = fmt.Sprintf("%d games for two, %v (after %v warm-up), the players on instances i and i+1", s.Games, s.Duration, s.Warmup)
	}
	if s.Rematch {
		r.Settings += ", rematch on one connection"
	} else {
		r.Settings += ", a connection per game"
	}
	var h histogram.Histogram
	for i := range stats {
		st := &stats[i]
		h.Merge(&st.hist)
		st.addTo(r)
	}
	m.stopInto(r)
	secs := s.Duration.Seconds()
	r.Figures = []Figure{
		{"moves", float64(r.Moves) / secs, "moves/s"},
		{"games", float64(r.Games) / secs, "games/s"},
	}
	r.Latencies = []Latency{summarise("move round trip", &h)}
	return r, f.finish(parent, r)
}

// slot plays game after game until the end of the run. It counts what
// happens between from and until.
func (s Closed) slot(ctx context.Context, cfg Config, i int, from, until time.Time, st *closedStats) error {
	var t *table
	defer func() {
		if t != nil {
			t.close()
		}
	}()
	for g := 0; time.Now().Before(until) && ctx.Err() == nil; g++ {
		script := scripts[(i+g*s.Games)%len(scripts)]
		switch {
		case t == nil:
			var err error
			if t, err = openTable(ctx, cfg, i, script, s.Duel); err != nil {
				return err
			}
			st.conns += int64(len(t.conns))
			if s.Rematch {
				if err := expectInit(t.conns[0], cfg, initHotSeat); err != nil {
					return err
				}
			}
		case s.Rematch:
			if err := expectInit(t.conns[0], cfg, rematch); err != nil {
				return err
			}
			t = newTable(t.conns, script, cfg)
		}
		for n := range script {
			if !time.Now().Before(until) {
				return nil // the end of the run came first
			}
			sent, got, err := t.play(n, cfg)
			if err != nil {
				return fmt.Errorf("game %d of slot %d: %w", g, i, err)
			}
			if !got.Before(from) && got.Before(until) {
				st.hist.Record(got.Sub(sent))
				st.moves++
			}
		}
		if now := time.Now(); !now.Before(from) && now.Before(until) {
			st.ended(t.refs[0].game.Draw())
		}
		if !s.Rematch {
			t.close()
			t = nil
		}
	}
	return nil
}

// expectInit sends msg and reads the init event that must answer it.
func expectInit(c *conn, cfg Config, msg []byte) error {
	if err := c.send(msg); err != nil {
		return err
	}
	e, err := c.next(time.Now().Add(cfg.Timeout))
	if err != nil {
		return err
	}
	_, _, err = checkInit(e, false, false)
	return err
}

// readMove reads the events of move n (from 0) of ref's game: its play event,
// at which it calls played, and the result after the last move.
func readMove(c *conn, ref *referee, n int, deadline time.Time, played func(got time.Time)) error {
	for ref.moves() <= n || ref.game.Over() && !ref.done() {
		e, err := c.next(deadline)
		if err != nil {
			return fmt.Errorf("move %d: %w", n+1, err)
		}
		ok, err := ref.check(e)
		if err != nil {
			return err
		}
		if ok {
			played(time.Now())
		}
	}
	return nil
}
