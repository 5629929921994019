package session_test

import (
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// blitz is the time control of these tests: 3 minutes, 2 seconds a move.
var blitz = protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}

// timedGame starts a game of blitz between friends on h: red's and yellow's
// clients and Starteds.
func timedGame(t *testing.T, h *session.Hub) (r, y player, rs, ys protocol.Started) {
	t.Helper()
	r, y = connect(h), connect(h)
	r.Handle(protocol.Init{Clock: blitz, Version: protocol.Version})
	rs = r.take()[0].(protocol.Started)
	if rs.Clock != blitz {
		t.Fatalf("init: %+v", rs)
	}
	y.Handle(protocol.Init{Join: rs.Join, Version: protocol.Version})
	ys = y.take()[0].(protocol.Started)
	return r, y, rs, ys
}

// A timed game between friends: the clocks start when the friend joins, a
// move charges its player, a returning player and a server started again
// see the clocks as they run, and when one runs out everyone is told.
func TestTimedGame(t *testing.T) {
	s := newShared()
	first := s.hub()
	r, y, rs, ys := timedGame(t, first)
	r.expect(t, protocol.Presence{Player: yellow, Online: true}, protocol.Clock{Red: 3 * time.Minute, Yellow: 3 * time.Minute, Running: red})

	s.pass(10 * time.Second)
	r.Handle(protocol.Play{Column: 3})
	afterRed := protocol.Clock{Red: 172 * time.Second, Yellow: 3 * time.Minute, Running: yellow}
	r.expect(t, played(red, 3, 0), afterRed)
	y.expect(t, played(red, 3, 0), afterRed)

	// Yellow reloads 30 s into its turn: its clock has run meanwhile.
	y.Close()
	s.pass(30 * time.Second)
	y = connect(first)
	y.Handle(protocol.Resume{Token: ys.Token, Version: protocol.Version})
	y.expect(t, ys, snap(3), protocol.Clock{Red: 172 * time.Second, Yellow: 150 * time.Second, Running: yellow}, protocol.Presence{Player: red, Online: true})

	// The server is killed and started again 20 s later: the clock ran on,
	// and its flag falls on time.
	first.Close()
	s.pass(20 * time.Second)
	again := s.hub()
	r = connect(again)
	r.Handle(protocol.Resume{Token: rs.Token, Version: protocol.Version})
	if got := r.take(); len(got) < 3 || got[2] != (protocol.Clock{Red: 172 * time.Second, Yellow: 130 * time.Second, Running: yellow}) {
		t.Fatalf("after the restart: %v", got)
	}
	s.pass(130 * time.Second)
	if n := s.clock.fire(130 * time.Second); n != 1 {
		t.Fatalf("%d timers of yellow's 130 s fired, want the flag's", n)
	}
	r.expect(t, protocol.Timeout{Player: yellow}, protocol.Clock{Red: 172 * time.Second})
	r.Handle(protocol.Play{Column: 4})
	r.expect(t, errorFor(connect4.ErrGameOver))
}

// A tutorial client sees a loss on time as the other's win.
func TestTimeoutForTheTutorial(t *testing.T) {
	s := newShared()
	h := s.hub()
	_, _, rs, _ := timedGame(t, h)
	old := connect(h)
	old.Handle(protocol.Init{Watch: rs.Watch})
	old.take()
	s.pass(3 * time.Minute)
	s.clock.fire(3 * time.Minute)
	old.expect(t, protocol.Win{Player: yellow})
}

// A resume speaks version 2 unless it says otherwise: a page of an earlier
// release, reloaded into a timed game, is not sent events it cannot read.
func TestResumeSpeaksItsVersion(t *testing.T) {
	s := newShared()
	h := s.hub()
	r, _, rs, _ := timedGame(t, h)
	r.Close()
	for _, tt := range []struct {
		version int
		clock   bool
	}{{0, false}, {2, false}, {3, true}} {
		back := connect(h)
		back.Handle(protocol.Resume{Token: rs.Token, Version: tt.version})
		got := false
		for _, e := range back.take() {
			_, isClock := e.(protocol.Clock)
			got = got || isClock
		}
		if got != tt.clock {
			t.Errorf("resume of version %d: clock sent %v, want %v", tt.version, got, tt.clock)
		}
		back.Close()
	}
}
