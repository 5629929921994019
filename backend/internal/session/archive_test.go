package session_test

import (
	"context"
	"sync"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// archive is a memory Store that keeps the matches it drops, as the SQLite
// store's archive does.
type archive struct {
	session.Store
	mu    sync.Mutex
	ended map[string][]session.Record
	heads map[string]session.Header
}

func newArchive() *archive {
	return &archive{
		Store: session.NewMemStore(session.Lifetimes{}),
		ended: map[string][]session.Record{},
		heads: map[string]session.Header{},
	}
}

func (a *archive) Drop(ctx context.Context, id string) {
	if h, recs, err := a.Load(ctx, id, 0); err == nil {
		a.mu.Lock()
		a.heads[id], a.ended[id] = h, recs
		a.mu.Unlock()
	}
	a.Store.Drop(ctx, id)
}

func (a *archive) Archived(_ context.Context, id string) (session.Header, []session.Record, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	recs, ok := a.ended[id]
	if !ok {
		return session.Header{}, nil, session.ErrNotFound
	}
	return a.heads[id], recs, nil
}

// TestWatchArchived checks that a game that ended is shown from the archive
// to clients of version 4, and refused as before to older ones.
func TestWatchArchived(t *testing.T) {
	c := &clock{}
	h := session.NewHub(session.Config{Grace: grace, Idle: idle, AfterFunc: c.AfterFunc, Now: c.Now, Store: newArchive()}, discard)
	m := friends(t, h)
	m.play(3, 3, 4)
	m.r.Close()
	m.y.Close()
	if n := c.fire(grace); n == 0 {
		t.Fatal("no grace timer fired")
	}

	tests := []struct {
		name    string
		version int
		watch   string
		want    protocol.Event
	}{
		{"version 4", protocol.Version4, m.rs.Watch, protocol.Archived{Watch: m.rs.Watch, Mode: protocol.Friends, Moves: []int{3, 3, 4}}},
		{"version 3", protocol.Version3, m.rs.Watch, errorFor(protocol.ErrGameNotFound)},
		{"the tutorial", 0, m.rs.Watch, errorFor(protocol.ErrGameNotFound)},
		{"an unknown key", protocol.Version4, "no such key", errorFor(protocol.ErrGameNotFound)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := connect(h)
			w.Handle(protocol.Init{Watch: tt.watch, Version: tt.version})
			w.expect(t, tt.want)
			// In no game afterwards: it may start one.
			w.Handle(protocol.Init{Mode: protocol.HotSeat, Version: tt.version})
			if events := w.take(); len(events) == 0 {
				t.Fatal("no answer to an init after the archived game")
			} else if _, ok := events[0].(protocol.Started); !ok {
				t.Fatalf("init after the archived game got %v", events)
			}
			w.Close()
		})
	}
}
