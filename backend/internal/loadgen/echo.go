package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/histogram"
)

// The messages of the echo calibration: a play and its event, as this
// project's server writes them.
var (
	echoRequest = []byte(`{"type":"play","column":3}`)
	echoReply   = []byte(`{"type":"play","player":"red","column":3,"row":0}`)
)

// ServeEcho serves the calibration of [Echo] on ln until ln is closed: bare
// TCP, no WebSocket, a goroutine per connection that answers each play with
// its event, fixed bytes. It is the bare Go TCP server against which the
// game server's figures are read: what this machine's loopback and Go's
// runtime allow at best.
func ServeEcho(ln net.Listener) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		wg.Go(func() {
			defer c.Close()
			buf := make([]byte, 512)
			pending := 0 // bytes of a request received so far
			for {
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				for pending += n; pending >= len(echoRequest); pending -= len(echoRequest) {
					if _, err := c.Write(echoReply); err != nil {
						return
					}
				}
			}
		})
	}
}

// Echo is the calibration: Clients bare TCP connections to a [ServeEcho]
// server, each sending a play as soon as the last was answered, for
// Duration. Read against it, the closed loop's figures say how close the
// game server comes to what the machine allows.
type Echo struct {
	Clients  int
	Duration time.Duration
}

// Run implements Scenario; cfg.URL names the echo server as ws://host:port/
// or host:port.
func (s Echo) Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	switch {
	case s.Clients <= 0 || s.Duration <= 0:
		return nil, fmt.Errorf("loadgen: echo needs clients and a duration: %+v", s)
	case cfg.instances() > 1:
		return nil, errInstances
	}
	addr := cfg.URL
	if u, err := urlHost(cfg.URL); err == nil {
		addr = u
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &failures{cancel: cancel}
	r := &Result{Mode: "echo", Elapsed: s.Duration,
		Settings: fmt.Sprintf("%d bare TCP clients of a Go echo server, %v", s.Clients, s.Duration)}

	conns := make([]net.Conn, s.Clients)
	var d net.Dialer
	for i := range conns {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			f.add(ctx, err)
			break
		}
		conns[i] = c
		context.AfterFunc(ctx, func() { c.SetDeadline(interrupted) })
	}
	hists := make([]histogram.Histogram, s.Clients)
	m := startCPU(cfg)
	until := time.Now().Add(s.Duration)
	var wg sync.WaitGroup
	for i, c := range conns {
		if c == nil {
			continue
		}
		wg.Go(func() {
			defer c.Close()
			reply := make([]byte, len(echoReply))
			for {
				sent := time.Now()
				if !sent.Before(until) || ctx.Err() != nil {
					return
				}
				c.SetReadDeadline(sent.Add(cfg.Timeout))
				if _, err := c.Write(echoRequest); err != nil {
					f.add(ctx, err)
					return
				}
				if _, err := io.ReadFull(c, reply); err != nil {
					f.add(ctx, fmt.Errorf("client %d: %w", i, err))
					return
				}
				if !bytes.Equal(reply, echoReply) {
					f.add(ctx, fmt.Errorf("client %d: the echo server sent %q", i, reply))
					return
				}
				if got := time.Now(); got.Before(until) {
					hists[i].Record(got.Sub(sent))
				}
			}
		})
	}
	wg.Wait()
	m.stopInto(r)
	r.Connections = int64(s.Clients)
	var h histogram.Histogram
	for i := range hists {
		h.Merge(&hists[i])
	}
	r.Figures = []Figure{{"round trips", float64(h.Count()) / s.Duration.Seconds(), "round trips/s"}}
	if n := float64(h.Count()); n > 0 {
		r.Figures = append(r.Figures, Figure{"load tool CPU per round trip", float64(r.LoadCPUTime.Nanoseconds()) / 1e3 / n, "µs/round trip"})
		if r.ServerCPU >= 0 {
			r.Figures = append(r.Figures, Figure{"server CPU per round trip", float64(r.ServerCPUTime.Nanoseconds()) / 1e3 / n, "µs/round trip"})
		}
	}
	r.Latencies = []Latency{summarise("round trip", &h)}
	return r, f.finish(parent, r)
}
