package session_test

import (
	"io"
	"log/slog"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// recorder is a session.Conn that keeps what it is sent.
type recorder struct {
	mu      sync.Mutex
	events  []protocol.Event
	sends   int    // calls of Send
	batches int    // calls of SendAll
	closed  string // the reason it was closed with, or ""
}

var _ session.Conn = (*recorder)(nil)

func (r *recorder) Send(e protocol.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.sends++
	r.mu.Unlock()
	// Let other goroutines run here, where a real Send would hand over to a
	// writer: it widens the windows in which races between clients show.
	runtime.Gosched()
}

// SendAll keeps the events in order; a batch is told apart from single
// events by batches, for the tests of replay.
func (r *recorder) SendAll(events []protocol.Event) {
	r.mu.Lock()
	r.events = append(r.events, events...)
	r.batches++
	r.mu.Unlock()
	runtime.Gosched()
}

func (r *recorder) Close(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = reason
}

// entries returns and resets the count of the places in a send queue that
// the events sent since the last call took: one a Send or a SendAll.
func (r *recorder) entries() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.sends + r.batches
	r.sends, r.batches = 0, 0
	return n
}

// take returns the events sent since the last call.
func (r *recorder) take() []protocol.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	events := r.events
	r.events = nil
	return events
}

// equal reports whether the events sent are want.
func (r *recorder) equal(want []protocol.Event) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return reflect.DeepEqual(r.events, want) || (len(r.events) == 0 && len(want) == 0)
}

// expect checks that the events sent since the last call are want.
func (r *recorder) expect(t *testing.T, want ...protocol.Event) {
	t.Helper()
	if got := r.take(); !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}
}

// clock is a session.Config.AfterFunc whose timers fire when the test says,
// and a Config.Now whose time stands still.
type clock struct {
	mu     sync.Mutex
	timers []*timer
}

type timer struct {
	c       *clock
	d       time.Duration
	f       func()
	pending bool
}

// epoch is the time a clock tells: it does not pass.
var epoch = time.UnixMilli(1_700_000_000_000)

func (c *clock) Now() time.Time { return epoch }

func (c *clock) AfterFunc(d time.Duration, f func()) session.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{c: c, d: d, f: f, pending: true}
	c.timers = append(c.timers, t)
	return t
}

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending = false
	return was
}

func (t *timer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending, t.d = true, d
	return was
}

// fire runs every pending timer of duration d, as if that much time had passed.
func (c *clock) fire(d time.Duration) int {
	c.mu.Lock()
	var due []*timer
	for _, t := range c.timers {
		if t.pending && t.d == d {
			t.pending = false
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
	return len(due)
}

// pending counts the timers still to fire.
func (c *clock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if t.pending {
			n++
		}
	}
	return n
}

const (
	grace = time.Minute
	idle  = 30 * time.Minute
)

// discard is a logger that logs nothing.
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// newHub returns a hub whose timers run on a clock of the test's.
func newHub() (*session.Hub, *clock) {
	c := &clock{}
	cfg := session.Config{Grace: grace, Idle: idle, AfterFunc: c.AfterFunc, Now: c.Now}
	return session.NewHub(cfg, discard), c
}

// player is a connected client and what it is sent.
type player struct {
	*session.Client
	*recorder
}

func connect(h *session.Hub) player { return connectFrom(h, "") }

// connectFrom connects a client from the address from.
func connectFrom(h *session.Hub, from string) player {
	r := &recorder{}
	return player{h.Connect(r, from), r}
}

// Close ends the client's connection, as the transport does when it drops.
func (p player) Close() { p.Client.Close() }
