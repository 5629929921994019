package session_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// The model-based test drives one match between friends with random commands
// from several clients on one or two hubs sharing a Store: joins, spectators
// of both protocol versions, moves, departures, returns, rematches, time
// passing, and servers killed or stopped and started again. After every
// step it checks, against a small reference model of the Store's records,
// that everyone connected sees the board of the record log, that no move is
// lost or applied twice, and that whoever enters or returns sees the whole
// game. The transport's bounded send queue is modelled too: a client whose
// unread entries pass it is dropped as a slow reader, which the check takes
// for a failure, so a replay, or a catch-up with the other hub's records,
// sent event by event fails the test.

// modelQueue is the send queue of a modelled connection, as the socket's.
const modelQueue = 16

// modelClock is a clock whose time moves when the test says, firing the
// timers that fall due; each hub has its own timers, which stop with it.
type modelClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*modelTimer
}

type modelTimer struct {
	c       *modelClock
	owner   *modelHub
	at      time.Time
	f       func()
	pending bool
}

func (c *modelClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *modelClock) afterFunc(owner *modelHub) func(time.Duration, func()) session.Timer {
	return func(d time.Duration, f func()) session.Timer {
		c.mu.Lock()
		defer c.mu.Unlock()
		t := &modelTimer{c: c, owner: owner, at: c.now.Add(d), f: f, pending: !owner.dead}
		c.timers = append(c.timers, t)
		return t
	}
}

func (t *modelTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending = false
	return was
}

func (t *modelTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending, t.at = !t.owner.dead, t.c.now.Add(d)
	return was
}

// advance moves time on by d, firing the timers due, in order.
func (c *modelClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var next *modelTimer
		for _, t := range c.timers {
			if t.pending && !t.at.After(c.now) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next != nil {
			next.pending = false
		}
		c.timers = slices.DeleteFunc(c.timers, func(t *modelTimer) bool { return !t.pending && t != next })
		c.mu.Unlock()
		if next == nil {
			return
		}
		next.f()
	}
}

// kill stops the timers of a hub.
func (c *modelClock) kill(h *modelHub) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h.dead = true
	for _, t := range c.timers {
		if t.owner == h {
			t.pending = false
		}
	}
}

// modelHub is one server of the model.
type modelHub struct {
	*session.Hub
	name string
	dead bool // under modelClock.mu
}

// modelConn is a connection of the model: a session.Conn with a bounded
// queue that the test reads at each check.
type modelConn struct {
	name    string
	version int
	hub     *modelHub
	client  *session.Client

	mu      sync.Mutex
	events  []protocol.Event
	unread  int    // queue entries not read yet
	closed  string // the reason it was closed with, or ""
	dropped bool   // closed as a slow reader
}

func (c *modelConn) Send(e protocol.Event) { c.queue([]protocol.Event{e}) }

func (c *modelConn) SendAll(events []protocol.Event) { c.queue(events) }

func (c *modelConn) queue(events []protocol.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed != "" {
		return
	}
	if c.unread == modelQueue {
		c.closed, c.dropped = "Too slow: the client stopped reading.", true
		return
	}
	c.unread++
	c.events = append(c.events, events...)
}

func (c *modelConn) Close(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed == "" {
		c.closed = reason
	}
}

// read empties the queue, as a client that reads does.
func (c *modelConn) read() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unread = 0
}

// view is what a connection's client shows: the board of its events, the
// last Started, whether an error came last, and the close reason.
type view struct {
	board   *connect4.Game
	started protocol.Started
	entered bool // a Started or (for the tutorial's joiner) a first event came
	bad     string
}

func (c *modelConn) view() view {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := view{board: connect4.NewGame()}
	for _, e := range c.events {
		switch e := e.(type) {
		case protocol.Started:
			v.started, v.entered = e, true
			v.board = connect4.NewGame()
		case protocol.Snapshot:
			g, err := connect4.Replay(e.Moves...)
			if err != nil {
				v.bad = fmt.Sprintf("snapshot %v: %v", e.Moves, err)
				return v
			}
			v.board = g
		case protocol.Played:
			v.entered = true
			m, err := v.board.Play(e.Player, e.Column)
			if err != nil || m.Row != e.Row {
				v.bad = fmt.Sprintf("play %+v on %v: %v", e, v.board.Moves(), err)
				return v
			}
		}
	}
	return v
}

// world is the system under test and what the test knows of it.
type world struct {
	t      *rapid.T
	clock  *modelClock
	store  session.Store
	cfg    session.Config
	hubs   []*modelHub
	conns  []*modelConn
	names  int
	id     string    // the match's id, its watch key
	join   string    // its join key
	tokens [2]string // the seats' resume tokens, once known
}

func newWorld(t *rapid.T, hubs int) *world {
	w := &world{t: t, clock: &modelClock{now: epoch}}
	w.cfg = session.Config{Grace: grace, Idle: idle, Invitation: invitation, Now: w.clock.Now}
	w.store = session.NewMemStore(w.cfg.Lifetimes())
	w.cfg.Store = w.store
	for range hubs {
		w.hubs = append(w.hubs, w.newHub())
	}
	red := w.connect(w.hubs[0], 2)
	red.client.Handle(protocol.Init{Version: 2})
	start := red.view().started
	w.id, w.join, w.tokens[0] = start.Watch, start.Join, start.Token
	return w
}

func (w *world) newHub() *modelHub {
	w.names++
	h := &modelHub{name: fmt.Sprintf("hub%d", w.names)}
	cfg := w.cfg
	cfg.AfterFunc = w.clock.afterFunc(h)
	h.Hub = session.NewHub(cfg, discard)
	return h
}

func (w *world) connect(h *modelHub, version int) *modelConn {
	w.names++
	c := &modelConn{name: fmt.Sprintf("c%d@%s", w.names, h.name), version: version, hub: h}
	c.client = h.Connect(c, "")
	w.conns = append(w.conns, c)
	return c
}

// live returns the connections still open.
func (w *world) live() []*modelConn {
	var open []*modelConn
	for _, c := range w.conns {
		c.mu.Lock()
		if c.closed == "" {
			open = append(open, c)
		}
		c.mu.Unlock()
	}
	return open
}

// seated returns the open connections that entered with a seat's token.
func (w *world) seated() []*modelConn {
	var seated []*modelConn
	for _, c := range w.live() {
		if v := c.view(); v.started.Token != "" {
			seated = append(seated, c)
		}
	}
	return seated
}

// expected is the reference model: what the Store's records say of the
// current game, or why they make no sense.
func (w *world) expected() (*connect4.Game, error) {
	_, recs, err := w.store.Load(context.Background(), w.id, 0)
	if errors.Is(err, session.ErrNotFound) {
		// The match ended: no one was in it any more, nor could come
		// back, and the Store forgot it.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	g := connect4.NewGame()
	var offers [2]bool
	for _, r := range recs {
		switch r.Op {
		case session.Moved:
			if _, err := g.Play(g.Turn(), r.Column); err != nil {
				return nil, fmt.Errorf("record %v on %v: %w", r, g.Moves(), err)
			}
		case session.Offered:
			offers[r.Seat] = true
			if offers[0] && offers[1] {
				g, offers = connect4.NewGame(), [2]bool{}
			}
		case session.NewRound:
			g, offers = connect4.NewGame(), [2]bool{}
		}
	}
	return g, nil
}

// check waits for the hubs to agree, then checks every open connection.
func (w *world) check() {
	for _, c := range w.conns {
		c.mu.Lock()
		dropped := c.dropped
		c.mu.Unlock()
		if dropped {
			w.t.Fatalf("%s was dropped as a slow reader: %v", c.name, c.events)
		}
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		problem := w.problem()
		if problem == "" {
			break
		}
		if time.Now().After(deadline) {
			w.t.Fatal(problem)
		}
		time.Sleep(time.Millisecond)
	}
	for _, c := range w.conns {
		c.read()
	}
}

// problem returns what is wrong now, or "".
func (w *world) problem() string {
	want, err := w.expected()
	switch {
	case err != nil:
		return fmt.Sprint("the records: ", err)
	case want == nil:
		return "" // ended: what the last ones saw stays on their screens
	}
	for _, c := range w.live() {
		v := c.view()
		switch {
		case v.bad != "":
			return c.name + ": " + v.bad
		case !v.entered:
			continue // a tutorial spectator of an empty game, or refused
		case !slices.Equal(v.board.Moves(), want.Moves()):
			return fmt.Sprintf("%s (version %d) shows %v, the records %v", c.name, c.version, columns(v.board), columns(want))
		}
	}
	return ""
}

func columns(g *connect4.Game) []int {
	var cols []int
	for _, m := range g.Moves() {
		cols = append(cols, m.Column)
	}
	return cols
}

// pick draws one of the open connections that ok accepts, or skips the step.
func (w *world) pick(t *rapid.T, ok func(*modelConn) bool) *modelConn {
	var cands []*modelConn
	for _, c := range w.live() {
		if ok(c) {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		t.Skip("no such connection")
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].name < cands[j].name })
	return rapid.SampledFrom(cands).Draw(t, "conn")
}

func (w *world) hub(t *rapid.T) *modelHub {
	return rapid.SampledFrom(w.hubs).Draw(t, "hub")
}

func (w *world) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"join": func(t *rapid.T) {
			version := 2
			if rapid.IntRange(0, 4).Draw(t, "tutorial") == 0 {
				version = 1 // takes the seat, but cannot resume it
			}
			c := w.connect(w.hub(t), version)
			c.client.Handle(protocol.Init{Join: w.join, Version: c.version})
			if tok := c.view().started.Token; tok != "" {
				w.tokens[1] = tok
			}
		},
		"watch": func(t *rapid.T) {
			c := w.connect(w.hub(t), rapid.SampledFrom([]int{1, 2}).Draw(t, "version"))
			c.client.Handle(protocol.Init{Watch: w.id, Version: c.version})
		},
		"resume": func(t *rapid.T) {
			seat := rapid.IntRange(0, 1).Draw(t, "seat")
			if w.tokens[seat] == "" {
				t.Skip("no token for the seat yet")
			}
			c := w.connect(w.hub(t), 2)
			c.client.Handle(protocol.Resume{Token: w.tokens[seat]})
		},
		"play": func(t *rapid.T) {
			// Mostly the player whose turn it is, so that games grow long.
			inTurn := rapid.IntRange(0, 4).Draw(t, "in turn") > 0
			c := w.pick(t, func(c *modelConn) bool {
				v := c.view()
				return v.started.Token != "" && (!inTurn || v.started.Player == v.board.Turn())
			})
			c.client.Handle(protocol.Play{Column: rapid.IntRange(0, 6).Draw(t, "column")})
		},
		"a run of moves": func(t *rapid.T) {
			for range rapid.IntRange(1, 12).Draw(t, "moves") {
				var mover *modelConn
				for _, c := range w.seated() {
					if v := c.view(); v.started.Player == v.board.Turn() {
						mover = c
					}
				}
				if mover == nil {
					return
				}
				mover.client.Handle(protocol.Play{Column: rapid.IntRange(0, 6).Draw(t, "column")})
				w.check()
			}
		},
		"rematch": func(t *rapid.T) {
			c := w.pick(t, func(c *modelConn) bool { return c.view().started.Token != "" })
			c.client.Handle(protocol.Rematch{})
		},
		"leave": func(t *rapid.T) {
			c := w.pick(t, func(*modelConn) bool { return true })
			c.client.Close()
			c.Close("left")
		},
		"time passes": func(t *rapid.T) {
			w.clock.advance(time.Duration(rapid.IntRange(1, 70).Draw(t, "seconds")) * time.Second)
		},
		"server killed and started again": func(t *rapid.T) {
			i := rapid.IntRange(0, len(w.hubs)-1).Draw(t, "hub")
			old := w.hubs[i]
			w.clock.kill(old)
			for _, c := range w.conns {
				if c.hub == old {
					c.Close("killed") // the page notices; the server says nothing
				}
			}
			old.Close()
			w.hubs[i] = w.newHub()
		},
		"server stopped and started again": func(t *rapid.T) {
			i := rapid.IntRange(0, len(w.hubs)-1).Draw(t, "hub")
			old := w.hubs[i]
			for _, c := range w.conns {
				if c.hub == old {
					c.client.Close()
					c.Close("stopped")
				}
			}
			old.Close()
			w.clock.kill(old)
			w.hubs[i] = w.newHub()
		},
		"": func(*rapid.T) { w.check() },
	}
}

// TestMain makes the model's runs long enough for long games, unless
// -rapid.steps says otherwise.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.steps" })
	if !set {
		flag.Set("rapid.steps", "150")
	}
	os.Exit(m.Run())
}

func TestModelOneHub(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, 1)
		t.Repeat(w.actions())
	})
}

func TestModelTwoHubs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, 2)
		t.Repeat(w.actions())
	})
}
