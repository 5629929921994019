package session_test

import (
	"slices"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/session/storetest"
	"github.com/connect4go/connect4/shared/protocol"
)

// invitation is how long a Config of these tests keeps an invitation.
const invitation = 24 * time.Hour

// sharedHubs makes hubs that share one Store in memory, the test's timers,
// and a time that moves only by pass.
type sharedHubs struct {
	clock *clock
	time  *storetest.Clock
	cfg   session.Config
}

func newShared() *sharedHubs {
	s := &sharedHubs{clock: &clock{}, time: storetest.NewClock(epoch)}
	s.cfg = session.Config{Grace: grace, Idle: idle, Invitation: invitation, AfterFunc: s.clock.AfterFunc, Now: s.time.Now}
	s.cfg.Store = session.NewMemStore(s.cfg.Lifetimes())
	return s
}

func (s *sharedHubs) pass(d time.Duration) { s.time.Pass(d) }

func (s *sharedHubs) hub() *session.Hub { return session.NewHub(s.cfg, discard) }

// A server killed mid-game, then started again on the same Store: both
// players take their seats back, see the whole game, and play on.
func TestRestartAfterAKill(t *testing.T) {
	s := newShared()
	first := s.hub()
	m := friends(t, first)
	m.play(3, 3, 4, 4)
	first.Close() // killed: its connections end without a word

	again := s.hub()
	r := connect(again)
	r.Handle(protocol.Resume{Token: m.rs.Token})
	// Yellow's connection was on the dead server: the seat is held for the
	// grace time from now.
	r.expect(t, m.rs, snap(3, 3, 4, 4), protocol.Presence{Player: yellow, Grace: grace})
	y := connect(again)
	y.Handle(protocol.Resume{Token: m.ys.Token})
	y.expect(t, m.ys, snap(3, 3, 4, 4), protocol.Presence{Player: red, Online: true})
	r.expect(t, protocol.Presence{Player: yellow, Online: true})
	s.clock.fire(grace) // stale grace timers do nothing
	r.Handle(protocol.Play{Column: 5})
	y.Handle(protocol.Play{Column: 5})
	r.expect(t, played(red, 5, 0), played(yellow, 5, 1))
	y.expect(t, played(red, 5, 0), played(yellow, 5, 1))
}

// A server stopped gracefully records its players as away; on the next
// start they come back within the grace time, counted from the restart.
func TestRestartAfterAStop(t *testing.T) {
	s := newShared()
	first := s.hub()
	m := friends(t, first)
	w := m.watch(t, first)
	m.play(0, 1)
	m.r.Close()
	m.y.Close()
	w.Close()
	first.Close()
	s.pass(2 * grace) // a slow restart: past the grace recorded

	again := s.hub()
	y := connect(again)
	y.Handle(protocol.Resume{Token: m.ys.Token})
	y.expect(t, m.ys, snap(0, 1), protocol.Presence{Player: red, Grace: grace})
	r := connect(again)
	r.Handle(protocol.Resume{Token: m.rs.Token})
	r.expect(t, m.rs, snap(0, 1), protocol.Presence{Player: yellow, Online: true})
	y.expect(t, protocol.Presence{Player: red, Online: true})
	s.clock.fire(grace) // the first server's timers, and stale ones, do nothing
	r.expect(t)
	y.expect(t)
	r.Handle(protocol.Play{Column: 0})
	y.expect(t, played(red, 0, 1))
}

// An invitation waits for the friend while its sender is away, and the game
// starts when the friend comes: the sender has the grace time from then on
// to come back.
func TestInvitationWaits(t *testing.T) {
	s := newShared()
	h := s.hub()
	start := s.inviteAndLeave(t, h)
	s.pass(10 * time.Hour)

	y := connect(h)
	y.Handle(protocol.Init{Join: start.Join, Version: 2})
	events := y.take()
	ys, ok := events[0].(protocol.Started)
	if !ok || ys.Player != yellow || len(events) != 3 {
		t.Fatalf("joiner got %v", events)
	}
	if want := []protocol.Event{snap(), protocol.Presence{Player: red, Grace: grace}}; !same(events[1:], want) {
		t.Errorf("joiner got %v, want %v", events[1:], want)
	}
	r2 := connect(h)
	r2.Handle(protocol.Resume{Token: start.Token})
	r2.expect(t, start, snap(), protocol.Presence{Player: yellow, Online: true})
	y.expect(t, protocol.Presence{Player: red, Online: true})
	r2.Handle(protocol.Play{Column: 3})
	y.expect(t, played(red, 3, 0))
}

// An invitation that no friend takes expires: the link then says so.
func TestInvitationExpires(t *testing.T) {
	s := newShared()
	h := s.hub()
	start := s.inviteAndLeave(t, h)
	s.pass(invitation + idle)
	y := connect(h)
	y.Handle(protocol.Init{Join: start.Join, Version: 2})
	y.expect(t, errorFor(protocol.ErrInvitation))

	// One whose sender stays: it is closed after the invitation's time.
	r := connect(h)
	r.Handle(protocol.Init{Version: 2})
	r.take()
	if n := s.clock.fire(invitation); n != 1 {
		t.Fatalf("%d timers of the invitation's time fired, want 1", n)
	}
	if want := "This invitation expired after 24h0m0s without a friend joining: start a new game for a new link."; r.closed != want {
		t.Errorf("closed with %q, want %q", r.closed, want)
	}
}

// inviteAndLeave starts a game for a friend on h, whose creator then leaves
// for longer than the grace, and returns the creator's Started.
func (s *sharedHubs) inviteAndLeave(t *testing.T, h *session.Hub) protocol.Started {
	t.Helper()
	r := connect(h)
	r.Handle(protocol.Init{Version: 2})
	start := r.take()[0].(protocol.Started)
	r.Close()
	if n := s.clock.fire(grace); n != 1 {
		t.Fatalf("%d grace timers fired, want 1", n)
	}
	return start
}

// same reports whether two lists of events are the same.
func same(a, b []protocol.Event) bool {
	r := &recorder{events: a}
	return r.equal(b)
}

// A game loaded after a restart was counted as started by the process
// before: its end is not counted here, so that games in progress never go
// below zero; the next game, started here, is counted both ways.
func TestRestartCountsGamesOnce(t *testing.T) {
	s := newShared()
	first := s.hub()
	m := friends(t, first)
	m.play(0, 1)
	first.Close()

	obs := newCounter()
	s.cfg.Observer = obs
	again := s.hub()
	r, y := connect(again), connect(again)
	r.Handle(protocol.Resume{Token: m.rs.Token})
	y.Handle(protocol.Resume{Token: m.ys.Token})
	r.Handle(protocol.Play{Column: 0})
	y.Handle(protocol.Play{Column: 1})
	r.Handle(protocol.Play{Column: 0})
	y.Handle(protocol.Play{Column: 1})
	r.Handle(protocol.Play{Column: 0}) // red's fourth in column 0
	if !slices.ContainsFunc(r.take(), func(e protocol.Event) bool { _, ok := e.(protocol.Win); return ok }) {
		t.Fatal("red did not win")
	}
	r.Handle(protocol.Rematch{})
	y.Handle(protocol.Rematch{})
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.ended["win"] != 0 || obs.started[protocol.Friends] != 1 {
		t.Errorf("started %v, ended %v; want the rematch's start alone", obs.started, obs.ended)
	}
}
