// Package loadgen plays real games of Connect Four against a server over
// WebSocket, many at once, and measures how it holds up: moves a second,
// latency percentiles, connections a second, memory per connection.
//
// It speaks only the python-websockets tutorial's messages, so that it runs
// against any server written for the tutorial: part 1's hot-seat
// {"type": "play", "column": N}, answered by play, win and error events, and
// part 2's init, join and watch. Every event is decoded with the protocol's
// own decoder (shared/protocol) and checked against the rules with the shared
// engine: an event the protocol cannot read, a wrong row or player, a missing
// win, an error event, a dropped connection or an answer later than
// [Config.Timeout] is a failure that stops the run and makes [Scenario.Run]
// return an error wrapping [ErrFailed], never a figure.
//
// Each kind of load is a [Scenario]: [Closed], [Open], [Idle], [Setup] and
// [FanOut]. Every one is bounded in connections and in time, and stops by
// itself.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/histogram"
	"github.com/connect4go/connect4/backend/internal/loadgen/wsclient"
	"github.com/connect4go/connect4/shared/protocol"
)

// ErrFailed is a run that met a failure: an event against the rules, an
// error event, a dropped connection or no answer in time.
var ErrFailed = errors.New("loadgen: the run failed")

// Config holds what every scenario needs to know about the server. URL is
// required; the zero value of every other field means its default.
type Config struct {
	// URL is the server's game socket, such as ws://127.0.0.1:8000/: that of
	// its first instance when there are several.
	URL string
	// PID is the server's process, to report its CPU use and, for Idle, its
	// memory; 0 if unknown (Idle needs it).
	PID int
	// Others are more instances of the server, which share its games through
	// a store such as Redis: a game started on one can be joined on another.
	// Closed and Open then play games for two with the players on different
	// instances, FanOut spreads each game's connections over them, and Setup
	// opens its connections on each in turn. Idle and Echo refuse them.
	Others []Instance
	// Redis tells, for the report, that the instances keep their games in
	// Redis; RedisPID is the redis-server's process, to report its CPU use,
	// 0 if unknown.
	Redis    bool
	RedisPID int
	// Timeout bounds every wait for an answer: a longer one is a failure. Zero
	// means ten seconds.
	Timeout time.Duration
	// NoDrawEvent tells that the server sends nothing after the last move of
	// a drawn game, as the tutorial's does; otherwise {"type": "draw"} must
	// follow it.
	NoDrawEvent bool
	// Sources spreads the connections over that many source addresses,
	// 127.0.0.1 and up, in turn, for a server on a loopback address: each
	// has about 28,000 ephemeral ports to one server
	// (net.ipv4.ip_local_port_range), so that 50,000 connections need two.
	// 0 or 1 leaves the choice to the kernel.
	Sources int
}

// Instance is one more instance of the server: its game socket, and its
// process (0 if unknown).
type Instance struct {
	URL string
	PID int
}

// instances returns the number of instances of the server.
func (c Config) instances() int { return 1 + len(c.Others) }

// instance returns instance i modulo their number: 0 is URL and PID.
func (c Config) instance(i int) Instance {
	if i %= c.instances(); i > 0 {
		return c.Others[i-1]
	}
	return Instance{c.URL, c.PID}
}

// pids returns the known processes of the instances.
func (c Config) pids() []int {
	var pids []int
	for i := range c.instances() {
		if pid := c.instance(i).PID; pid > 0 {
			pids = append(pids, pid)
		}
	}
	return pids
}

// errInstances is a scenario that measures one server given several.
var errInstances = errors.New("loadgen: this scenario measures one server, not several instances")

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	return c
}

// Scenario is one kind of load. The scenarios of this package are plain
// values: each call of Run is a run of its own, and runs may go on at once.
type Scenario interface {
	// Run applies the load to the server of cfg and returns what it
	// measured. The error wraps ErrFailed if the server failed (the result
	// then lists the failures), or is ctx's if ctx ended the run early.
	Run(ctx context.Context, cfg Config) (*Result, error)
}

// failures collects the failures of a run; the first stops it.
type failures struct {
	cancel context.CancelFunc

	mu       sync.Mutex
	n        int64
	examples []string
}

// maxExamples is how many failures a Result describes.
const maxExamples = 10

// add records err, if any, unless the run is stopping already: then err is
// only the interruption of work under way.
func (f *failures) add(ctx context.Context, err error) {
	if err == nil || ctx.Err() != nil {
		return
	}
	f.mu.Lock()
	f.n++
	if len(f.examples) < maxExamples {
		f.examples = append(f.examples, err.Error())
	}
	f.mu.Unlock()
	f.cancel()
}

// finish copies the failures into r and returns the error of the run.
func (f *failures) finish(parent context.Context, r *Result) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.Failures, r.FailureExamples = f.n, f.examples
	if f.n > 0 {
		return fmt.Errorf("%w: %d failures, the first: %s", ErrFailed, f.n, f.examples[0])
	}
	return parent.Err()
}

// conn is a connection to the server that the run's context interrupts.
type conn struct {
	*wsclient.Conn
	stop func() bool // forgets the interruption
}

// interrupted is a deadline in the past, which interrupts reads and writes.
var interrupted = time.Unix(1, 0)

// dials counts the connections dialled, to spread them over the source
// addresses of Config.Sources.
var dials atomic.Uint32

// dial connects to instance i of the server (modulo their number) within
// the timeout.
func dial(ctx context.Context, cfg Config, i int) (*conn, error) {
	dctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	var from net.IP
	if cfg.Sources > 1 {
		from = net.IPv4(127, 0, 0, byte(1+dials.Add(1)%uint32(min(cfg.Sources, 254))))
	}
	c, err := wsclient.DialFrom(dctx, cfg.instance(i).URL, from)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	return &conn{Conn: c, stop: context.AfterFunc(ctx, func() { c.SetDeadline(interrupted) })}, nil
}

// send writes msg.
func (c *conn) send(msg []byte) error {
	if err := c.Write(msg); err != nil {
		return fmt.Errorf("sending %s: %w", msg, err)
	}
	return nil
}

// next reads and decodes the next event, with the protocol's own decoder,
// waiting until deadline at most. An event that the protocol cannot read (not
// JSON, a field of the wrong kind, a player who is neither red nor yellow, a
// type it does not know) is a failure of the server.
func (c *conn) next(deadline time.Time) (protocol.Event, error) {
	c.SetReadDeadline(deadline)
	msg, err := c.Read()
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("no event came in time: %w", err)
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("the server closed the connection: %w", err)
	case err != nil:
		return nil, fmt.Errorf("waiting for an event: %w", err)
	}
	e, err := protocol.DecodeEvent(msg)
	if err != nil {
		return nil, fmt.Errorf("%w: an event the protocol cannot read: %v: %.80q", ErrRules, err, msg)
	}
	return e, nil
}

// closeAll closes the connections that are not nil, concurrency of them at a
// time, and returns when all are closed.
func closeAll(conns []*conn, concurrency int) {
	var wg sync.WaitGroup
	for chunk := range slices.Chunk(conns, max(len(conns)/concurrency, 1)) {
		wg.Go(func() {
			for _, c := range chunk {
				if c != nil {
					c.close()
				}
			}
		})
	}
	wg.Wait()
}

// close makes the closing handshake.
func (c *conn) close() {
	c.stop()
	c.Conn.Close()
}

// lockedHistogram is a Histogram that many goroutines record in.
type lockedHistogram struct {
	mu sync.Mutex
	h  histogram.Histogram
}

func (l *lockedHistogram) record(d time.Duration) {
	l.mu.Lock()
	l.h.Record(d)
	l.mu.Unlock()
}

// sleepUntil waits until t or the end of ctx, and reports whether it is t.
func sleepUntil(ctx context.Context, timer *time.Timer, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		timer.Stop()
		return false
	}
}

// forEach calls f(i) for i from 0 to n-1, on workers goroutines at once,
// until ctx ends.
func forEach(ctx context.Context, n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	defer wg.Wait()
	defer close(next)
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			return
		}
	}
}
