package session_test

import (
	"sync/atomic"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// bomb is an Observer that panics at the move it is armed for, as a bug in
// the code after a move would.
type bomb struct {
	*counter
	armed atomic.Bool
}

func (b *bomb) MoveAccepted(mode protocol.Mode) {
	if b.armed.Swap(false) {
		panic("a bug, after a move")
	}
}

// A panic in one match ends that match only: its players are told why and
// let go, and the other games go on, on the same hub.
func TestPanicEndsOneMatch(t *testing.T) {
	c := &clock{}
	b := &bomb{counter: newCounter()}
	h := session.NewHub(session.Config{Grace: grace, Idle: idle, AfterFunc: c.AfterFunc, Now: c.Now, Observer: b}, discard)
	doomed, other := friends(t, h), friends(t, h)
	w := doomed.watch(t, h)

	b.armed.Store(true)
	doomed.r.Handle(protocol.Play{Column: 3})
	want := protocol.CloseInternal.Reason()
	for name, p := range map[string]player{"red": doomed.r, "yellow": doomed.y, "spectator": w} {
		if p.closed != want {
			t.Errorf("%s: closed with %q, want %q", name, p.closed, want)
		}
	}
	other.r.Handle(protocol.Play{Column: 3})
	other.y.Handle(protocol.Play{Column: 4})
	other.r.expect(t, played(red, 3, 0), played(yellow, 4, 0))
	if got := h.Stats().Matches; got != 1 {
		t.Errorf("%d matches held, want the other one", got)
	}
	// The doomed match's key finds nothing any more.
	late := connect(h)
	late.Handle(protocol.Init{Watch: doomed.rs.Watch, Version: 2})
	late.expect(t, errorFor(protocol.ErrGameNotFound))
}
