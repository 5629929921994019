package session_test

import (
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// deafStore is a Store shared with other servers that tells its server
// nothing of their records, as when the news is lost: the server learns of
// them only when the Store refuses an append of its own.
type deafStore struct{ session.Store }

func (deafStore) Follow(string, session.Follower) func() { return func() {} }

// Register has the server registered with the Store it wraps.
func (s deafStore) Register(server string) func() {
	return s.Store.(session.Registry).Register(server)
}

// A server that catches up with many records that another server appended
// sends each of its clients their events in one batch, which takes one
// place in the client's send queue (the socket's holds 16): a spectator who
// reads is never dropped as a slow reader for it.
func TestCatchUpInOneBatch(t *testing.T) {
	s := newShared()
	first := s.hub()
	m := friends(t, first)
	cfg := s.cfg
	cfg.Store = deafStore{s.cfg.Store}
	second := session.NewHub(cfg, discard)
	w := m.watch(t, second)
	w.entries()

	// 21 moves and no winner: three rows of alternating colours.
	var columns []int
	var want []protocol.Event
	g := connect4.NewGame()
	for range 3 {
		for c := range 7 {
			mv, err := g.Play(g.Turn(), c)
			if err != nil {
				t.Fatal(err)
			}
			columns = append(columns, c)
			want = append(want, played(mv.Player, c, mv.Row))
		}
	}
	m.play(columns...)
	w.expect(t) // the second server heard nothing

	// Red comes back on the second server, whose append is refused: it
	// catches up, and the spectator there sees every move.
	r := connect(second)
	r.Handle(protocol.Resume{Token: m.rs.Token})
	if got := w.take(); !same(got, want) {
		t.Errorf("spectator got %v, want %v", got, want)
	}
	if n := w.entries(); n != 1 {
		t.Errorf("the catch-up took %d places in the spectator's send queue, want 1", n)
	}
	if events := r.take(); len(events) == 0 || events[0] != protocol.Event(m.rs) {
		t.Errorf("red got %v, want its Started first", events)
	}
}
