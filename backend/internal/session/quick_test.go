package session_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
	"pgregory.net/rapid"
)

// waits checks that p was told it waits in the queue: its Started, without
// a colour, then Seeking; it returns the Started.
func waits(t *testing.T, p player) protocol.Started {
	t.Helper()
	got := p.take()
	if len(got) != 2 {
		t.Fatalf("seeking: %v, want a Started and a Seeking", got)
	}
	s, ok := got[0].(protocol.Started)
	if !ok || s.Mode != protocol.Quick || s.Player != connect4.NoPlayer || s.Token == "" || s.Join != "" {
		t.Fatalf("seeking: %+v, want a quick Started without a colour or a join key", got[0])
	}
	if w, ok := got[1].(protocol.Seeking); !ok || w.Offer || w.Since != epoch.UnixMilli() || w.Playing < 1 {
		t.Fatalf("seeking: %+v, want Seeking without the offer", got[1])
	}
	return s
}

// pairedAs checks that p was told it plays a quick match as colour, and
// returns its Started.
func pairedAs(t *testing.T, p player) protocol.Started {
	t.Helper()
	for _, e := range p.take() {
		if s, ok := e.(protocol.Started); ok && s.Player != connect4.NoPlayer {
			if s.Mode != protocol.Quick || s.Token == "" || s.Join != "" {
				t.Fatalf("paired: %+v", s)
			}
			return s
		}
	}
	t.Fatal("not told that it was paired")
	return protocol.Started{}
}

func TestQuickMatch(t *testing.T) {
	h, clock := newHub()
	a, b := connect(h), connect(h)
	a.Handle(protocol.Seek{})
	waits(t, a)
	b.Handle(protocol.Seek{})
	if first, ok := b.events[0].(protocol.Started); !ok || first.Player == connect4.NoPlayer {
		t.Fatalf("a seeker paired at once was first sent %+v, want the paired Started", b.events[0])
	}
	sb := pairedAs(t, b)
	sa := pairedAs(t, a)
	if sa.Player == sb.Player || sa.Watch != sb.Watch || sa.Token == sb.Token {
		t.Fatalf("paired as %+v and %+v", sa, sb)
	}
	first, second := a, b
	if sb.Player == red {
		first, second = b, a
	}
	first.Handle(protocol.Play{Column: 3})
	want := played(red, 3, 0)
	first.expect(t, want)
	second.expect(t, want)

	// A spectator follows it by its watch key, and the players see each
	// other come and go, as friends do.
	w := connect(h)
	w.Handle(protocol.Init{Watch: sa.Watch, Version: protocol.Version})
	if got := w.take(); len(got) < 2 || got[1].(protocol.Snapshot).Moves[0] != 3 {
		t.Fatalf("spectator: %v", got)
	}
	second.Close()
	if got := first.take(); len(got) != 1 || got[0].(protocol.Presence).Online {
		t.Fatalf("the opponent left: %v", got)
	}
	if n := clock.pending(); n == 0 {
		t.Fatal("no grace timer for the one who left")
	}
}

func TestQuickMatchErrors(t *testing.T) {
	h, _ := newHub()
	a := connect(h)
	a.Handle(protocol.Cancel{})
	a.expect(t, errorFor(protocol.ErrNotSeeking))
	a.Handle(protocol.Seek{})
	waits(t, a)
	a.Handle(protocol.Seek{})
	a.expect(t, errorFor(protocol.ErrSeeking))
	a.Handle(protocol.Init{Mode: protocol.HotSeat, Version: 2})
	a.expect(t, errorFor(protocol.ErrInGame))

	g := connect(h)
	g.Handle(protocol.Init{Mode: protocol.HotSeat, Version: 2})
	g.take()
	g.Handle(protocol.Seek{})
	g.Handle(protocol.Cancel{})
	g.expect(t, errorFor(protocol.ErrInGame), errorFor(protocol.ErrNotSeeking))
}

// A cancelled seek leaves the queue: the next seeker waits, and the one who
// cancelled may start another game on the same connection.
func TestQuickMatchCancel(t *testing.T) {
	h, _ := newHub()
	a, b := connect(h), connect(h)
	a.Handle(protocol.Seek{})
	waits(t, a)
	a.Handle(protocol.Cancel{})
	a.expect(t, protocol.Cancelled{})
	if got := h.Stats().Matches; got != 0 {
		t.Errorf("%d matches after the cancel, want 0", got)
	}
	b.Handle(protocol.Seek{})
	waits(t, b)
	a.Handle(protocol.Init{Mode: protocol.HotSeat, Version: 2})
	if got := a.take(); len(got) != 1 || got[0].(protocol.Started).Mode != protocol.HotSeat {
		t.Errorf("a game after the cancel: %v", got)
	}
}

// A player alone in the queue is offered the computer after QuickWait, and
// may wait on.
func TestQuickMatchOffer(t *testing.T) {
	h, clock := newHub()
	a := connect(h)
	a.Handle(protocol.Seek{})
	waits(t, a)
	if n := clock.fire(20 * time.Second); n != 1 {
		t.Fatalf("%d timers of 20 s fired, want the offer's", n)
	}
	a.expect(t, protocol.Seeking{Since: epoch.UnixMilli(), Playing: 1, Offer: true})
	b := connect(h) // still in the queue
	b.Handle(protocol.Seek{})
	pairedAs(t, b)
	pairedAs(t, a)
}

// Closing the tab leaves the queue at once; coming back within the grace puts
// the player in it again.
func TestQuickMatchLeaveAndReturn(t *testing.T) {
	h, _ := newHub()
	a, b := connect(h), connect(h)
	a.Handle(protocol.Seek{})
	token := waits(t, a).Token
	a.Close()
	b.Handle(protocol.Seek{})
	waits(t, b) // not paired with a player who left
	back := connect(h)
	back.Handle(protocol.Resume{Token: token, Version: protocol.Version})
	pairedAs(t, back)
	pairedAs(t, b)
}

// The pairing draws who plays red: both ways happen.
func TestQuickMatchColoursAreDrawn(t *testing.T) {
	h, _ := newHub()
	reds := 0
	for range 64 {
		a, b := connect(h), connect(h)
		a.Handle(protocol.Seek{})
		b.Handle(protocol.Seek{})
		if pairedAs(t, a).Player == red {
			reds++
		}
		a.Close()
		b.Close()
	}
	if reds == 0 || reds == 64 {
		t.Errorf("the first seeker played red %d times in 64", reds)
	}
}

// The queue against a model, with players who seek, cancel, leave and come
// back at random: no one waits while another waits too (they would be
// paired), every pairing is of two players who sought and are both told,
// and no one is in two games.
func TestQuickMatchModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		h, _ := newHub()
		type seeker struct {
			p       player
			token   string // while waiting or paired
			waiting bool   // in the queue, as far as the model knows
			paired  string // the watch key of its game, once paired
			gone    bool   // its connection closed
		}
		var all []*seeker
		// settle reads what the players were sent and checks it against
		// the model.
		settle := func() {
			for _, s := range all {
				for _, e := range s.p.take() {
					switch e := e.(type) {
					case protocol.Started:
						if e.Player == connect4.NoPlayer {
							s.token = e.Token
							continue
						}
						if s.paired != "" && s.paired != e.Watch {
							rt.Fatalf("a player paired twice: %s then %s", s.paired, e.Watch)
						}
						s.paired, s.token, s.waiting = e.Watch, e.Token, false
					case protocol.Seeking:
						s.waiting = true
					case protocol.Cancelled:
						s.waiting = false
					}
				}
			}
			waiting, games := 0, map[string]int{}
			for _, s := range all {
				if s.waiting && s.paired == "" && !s.gone {
					waiting++
				}
				if s.paired != "" {
					games[s.paired]++
				}
			}
			if waiting > 1 {
				rt.Fatalf("%d players wait in the queue at once", waiting)
			}
			for w, n := range games {
				if n > 2 {
					rt.Fatalf("game %s has %d players", w, n)
				}
			}
		}
		// pick draws one of the players for whom ok holds, described as what.
		pick := func(rt *rapid.T, what string, ok func(*seeker) bool) *seeker {
			var some []*seeker
			for _, s := range all {
				if ok(s) {
					some = append(some, s)
				}
			}
			if len(some) == 0 {
				rt.Skip("no player " + what)
			}
			return rapid.SampledFrom(some).Draw(rt, "player")
		}
		rt.Repeat(map[string]func(*rapid.T){
			"seek": func(rt *rapid.T) {
				s := &seeker{p: connect(h)}
				all = append(all, s)
				s.p.Handle(protocol.Seek{})
				settle()
			},
			"cancel": func(rt *rapid.T) {
				s := pick(rt, "connected", func(s *seeker) bool { return !s.gone })
				s.p.Handle(protocol.Cancel{})
				settle()
			},
			"leave": func(rt *rapid.T) {
				s := pick(rt, "connected", func(s *seeker) bool { return !s.gone })
				s.p.Close()
				s.gone = true
				settle()
			},
			"return": func(rt *rapid.T) {
				s := pick(rt, "a seeker who left", func(s *seeker) bool { return s.gone && s.token != "" && s.paired == "" })
				back := &seeker{p: connect(h), token: s.token}
				s.token = "" // taken back: its model is the new one's
				all = append(all, back)
				back.p.Handle(protocol.Resume{Token: back.token, Version: protocol.Version})
				settle()
			},
		})
		// Whoever was paired plays: both players of the game see the move.
		for _, s := range all {
			if s.paired == "" || s.gone {
				continue
			}
			s.p.Handle(protocol.Ping{})
			if got := s.p.take(); fmt.Sprint(got) != fmt.Sprint([]protocol.Event{protocol.Pong{}}) {
				rt.Fatalf("a paired player got %v for a ping", got)
			}
		}
	})
}

// The lobby lists the quick matches being played, never an invitation nor a
// player still waiting, the longest first.
func TestLobby(t *testing.T) {
	h, _ := newHub()
	friend := connect(h)
	friend.Handle(protocol.Init{Version: 2})
	waiting := connect(h)
	waiting.Handle(protocol.Seek{})
	if l := h.Lobby(10); l.Playing != 2 || len(l.Games) != 0 {
		t.Fatalf("lobby with an invitation and a seeker: %+v", l)
	}
	var watch [2]string
	for i := range watch {
		a := waiting
		if i == 1 {
			a = connect(h)
			a.Handle(protocol.Seek{})
		}
		b := connect(h)
		b.Handle(protocol.Seek{})
		sa, sb := pairedAs(t, a), pairedAs(t, b)
		watch[i] = sa.Watch
		if i == 1 { // the second game gets a move: it comes first
			first := a
			if sb.Player == red {
				first = b
			}
			first.Handle(protocol.Play{Column: 3})
		}
	}
	want := []protocol.LiveGame{{Watch: watch[1], Moves: 1}, {Watch: watch[0], Moves: 0}}
	if l := h.Lobby(10); fmt.Sprint(l.Games) != fmt.Sprint(want) || l.Playing != 5 {
		t.Errorf("lobby: %+v, want 5 playing and %v", l, want)
	}
	if l := h.Lobby(1); len(l.Games) != 1 || l.Games[0] != want[0] {
		t.Errorf("lobby of 1: %+v", l)
	}
}

// Players are paired only with those who chose the same clock, and their
// game has it.
func TestQuickMatchClocks(t *testing.T) {
	h, _ := newHub()
	blitzer, untimed, other := connect(h), connect(h), connect(h)
	blitzer.Handle(protocol.Seek{Clock: blitz})
	if s := waits(t, blitzer); s.Clock != blitz {
		t.Fatalf("seeking a timed game: %+v", s)
	}
	untimed.Handle(protocol.Seek{})
	waits(t, untimed) // not with the blitz player
	other.Handle(protocol.Seek{Clock: blitz})
	if s := pairedAs(t, other); s.Clock != blitz {
		t.Errorf("paired: %+v, want the clock", s)
	}
	pairedAs(t, blitzer)
}

// trickyQueue is a Queue of one server that hands out stale keys first (as
// a shared Redis keeps those of a server that was killed while its players
// waited), and calls onPop, if set, between taking a key out and handing it
// over: the window before the seeker joins.
type trickyQueue struct {
	mu    sync.Mutex
	stale []string
	keys  []string
	onPop func()
}

func (q *trickyQueue) Seek(_ context.Context, _, key string) (string, error) {
	q.mu.Lock()
	if len(q.stale) > 0 {
		k := q.stale[0]
		q.stale = q.stale[1:]
		q.mu.Unlock()
		return k, nil
	}
	q.keys = slices.DeleteFunc(q.keys, func(k string) bool { return k == key })
	if len(q.keys) == 0 {
		q.keys = append(q.keys, key)
		q.mu.Unlock()
		return "", nil
	}
	k, hook := q.keys[0], q.onPop
	q.keys = q.keys[1:]
	q.mu.Unlock()
	if hook != nil {
		hook()
	}
	return k, nil
}

func (q *trickyQueue) Unseek(_ context.Context, _, key string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.keys = slices.DeleteFunc(q.keys, func(k string) bool { return k == key })
	return nil
}

func (q *trickyQueue) Put(_ context.Context, _, key string, first bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.keys = slices.DeleteFunc(q.keys, func(k string) bool { return k == key })
	if first {
		q.keys = append([]string{key}, q.keys...)
	} else {
		q.keys = append(q.keys, key)
	}
	return nil
}

// keepStore drops nothing, as the Redis Store lets matches expire instead.
type keepStore struct{ session.Store }

func (keepStore) Drop(context.Context, string) {}

// trickyHub returns a hub with the queue q, and a Store that keeps what it
// is told to drop.
func trickyHub(q *trickyQueue) *session.Hub {
	c := &clock{}
	cfg := session.Config{Grace: grace, Idle: idle, AfterFunc: c.AfterFunc, Now: c.Now, Queue: q}
	cfg.Store = keepStore{session.NewMemStore(cfg.Lifetimes())}
	return session.NewHub(cfg, discard)
}

// paired reports whether p was told its colour.
func paired(p player) bool {
	for _, e := range p.take() {
		if s, ok := e.(protocol.Started); ok && s.Player != connect4.NoPlayer {
			return true
		}
	}
	return false
}

// A seeker who cancels just after another took its key out of the queue is
// never paired: the match is closed by a record, which even a Store that
// keeps dropped matches shows to the other, who waits on.
func TestQuickMatchCancelRace(t *testing.T) {
	q := &trickyQueue{}
	h := trickyHub(q)
	a, b := connect(h), connect(h)
	a.Handle(protocol.Seek{})
	a.take()
	q.onPop = func() { a.Handle(protocol.Cancel{}) }
	b.Handle(protocol.Seek{})
	a.expect(t, protocol.Cancelled{})
	if paired(b) {
		t.Fatal("paired with a player who cancelled")
	}
	if len(q.keys) != 1 {
		t.Errorf("queue %v, want the second seeker waiting", q.keys)
	}
}

// Keys of matches gone (as a killed server leaves them) never keep a seeker
// out of the queue, however many.
func TestQuickMatchStaleKeys(t *testing.T) {
	q := &trickyQueue{}
	for i := range 40 {
		q.stale = append(q.stale, fmt.Sprint("gone", i))
	}
	h := trickyHub(q)
	a, b := connect(h), connect(h)
	a.Handle(protocol.Seek{})
	a.take()
	b.Handle(protocol.Seek{})
	if !paired(b) || !paired(a) {
		t.Fatalf("two seekers past 40 stale keys were not paired; queue %v", q.keys)
	}
}
