package loadgen

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/histogram"
)

// Setup opens Connections, Concurrency at a time, and measures the rate of
// set-up and the latency of a handshake: from the start of the TCP connection
// to reading the server's 101 Switching Protocols. The connections stay open
// until all are, then close; with several instances of the server, on each
// in turn. Connections is required.
type Setup struct {
	Connections int
	Concurrency int // 0 means 32
}

// Run implements Scenario.
func (s Setup) Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if s.Concurrency <= 0 {
		s.Concurrency = 32
	}
	if s.Connections <= 0 {
		return nil, fmt.Errorf("loadgen: set-up needs a number of connections: %+v", s)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}
	r := &Result{Mode: "setup", Settings: fmt.Sprintf("%d connections, %d at a time", s.Connections, s.Concurrency)}

	conns := make([]*conn, s.Connections)
	var mu sync.Mutex
	var h histogram.Histogram
	m := startCPU(cfg)
	start := time.Now()
	forEach(ctx, s.Connections, s.Concurrency, func(i int) {
		t := time.Now()
		c, err := dial(ctx, cfg, i)
		d := time.Since(t)
		if err != nil {
			f.add(ctx, err)
			return
		}
		conns[i] = c
		mu.Lock()
		h.Record(d)
		mu.Unlock()
	})
	r.Elapsed = time.Since(start)
	m.stopInto(r)
	r.Connections = int64(h.Count())
	r.Figures = []Figure{{"connections", float64(h.Count()) / r.Elapsed.Seconds(), "conns/s"}}
	r.Latencies = []Latency{summarise("handshake (TCP connect to 101)", &h)}

	closeAll(conns, s.Concurrency)
	return r, f.finish(parent, r)
}
