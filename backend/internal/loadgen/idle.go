package loadgen

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// Idle opens connections that each send one message, so that the server
// holds a game for each, and reads the server's resident memory (VmRSS) with
// none open and with each number of Steps open: the memory a connection
// costs the server at rest. It needs [Config.PID], and Steps; the zero value
// of every other field means its default.
type Idle struct {
	// Steps are the numbers of connections at which to read the memory,
	// increasing, such as 1000 and 10000.
	Steps []int
	// Message is what each connection sends: "init" (the default) starts a
	// game for two, waiting for its second player (the tutorial's part 2);
	// "play" starts a hot-seat game with one move (part 1).
	Message string
	// Concurrency is how many connections are opened at once; 0 means 64.
	Concurrency int
	// Settle is how long to wait before each reading; 0 means a second.
	Settle time.Duration
}

// ErrNoPID is an Idle run without the server's process.
var ErrNoPID = errors.New("loadgen: idle needs the server's PID")

// Run implements Scenario.
func (s Idle) Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if s.Message == "" {
		s.Message = "init"
	}
	if s.Concurrency <= 0 {
		s.Concurrency = 64
	}
	if s.Settle <= 0 {
		s.Settle = time.Second
	}
	switch {
	case cfg.PID <= 0:
		return nil, ErrNoPID
	case cfg.instances() > 1:
		return nil, errInstances
	case len(s.Steps) == 0 || s.Steps[0] <= 0 || !slices.IsSorted(s.Steps):
		return nil, fmt.Errorf("loadgen: idle needs increasing numbers of connections: %v", s.Steps)
	case s.Message != "init" && s.Message != "play":
		return nil, fmt.Errorf("loadgen: idle sends init or play, not %q", s.Message)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}
	r := &Result{Mode: "idle", Settings: fmt.Sprintf("%v connections, each after one %s", s.Steps, s.Message)}

	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	sleepUntil(ctx, timer, time.Now().Add(s.Settle))
	before, err := RSS(cfg.PID)
	if err != nil {
		return nil, err
	}
	conns := make([]*conn, s.Steps[len(s.Steps)-1])
	var opened atomic.Int64
	start := time.Now()
	m := startCPU(cfg)
	for _, n := range s.Steps {
		from := int(opened.Load())
		forEach(ctx, n-from, s.Concurrency, func(i int) {
			c, err := s.open(ctx, cfg)
			f.add(ctx, err)
			conns[from+i] = c
			if c != nil {
				opened.Add(1)
			}
		})
		if ctx.Err() != nil || !sleepUntil(ctx, timer, time.Now().Add(s.Settle)) {
			break
		}
		after, err := RSS(cfg.PID)
		if err != nil {
			f.add(ctx, err)
			break
		}
		r.Memory = append(r.Memory, Memory{Connections: n, Before: before, After: after,
			PerConnection: float64(after-before) / float64(n)})
	}
	m.stopInto(r)
	r.Elapsed = time.Since(start)
	r.Connections = opened.Load()
	if s.Message == "play" {
		r.Moves = r.Connections
	}
	closeAll(conns, s.Concurrency)
	return r, f.finish(parent, r)
}

// open opens a connection and starts a game on it.
func (s Idle) open(ctx context.Context, cfg Config) (*conn, error) {
	c, err := dial(ctx, cfg, 0)
	if err != nil {
		return nil, err
	}
	if s.Message == "init" {
		err = expectInit(c, cfg, []byte(`{"type":"init"}`))
	} else {
		ref := newReferee([]int{3}, !cfg.NoDrawEvent)
		if err = c.send(playJSON[3]); err == nil {
			err = readMove(c, ref, 0, time.Now().Add(cfg.Timeout), func(time.Time) {})
		}
	}
	if err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}
