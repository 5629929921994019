package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/redisstore"
	"github.com/connect4go/connect4/backend/internal/redistest"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/session/storetest"
	"github.com/connect4go/connect4/shared/protocol"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// open returns a Store on srv, closed when the test ends.
func open(t *testing.T, srv *redistest.Server, opt redisstore.Options) *redisstore.Store {
	t.Helper()
	s, err := redisstore.New(srv.URL(), opt, discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T, life session.Lifetimes) session.Store {
			return open(t, srv, redisstore.Options{TTL: life.WithDefaults().Match})
		},
		RealTime:     true,
		KeepsDropped: true,
	})
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	s := open(t, redistest.Start(t), redisstore.Options{})
	if err := s.Ready(); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	h := session.Header{ID: "w1", Mode: protocol.Computer, Token: "t0", Conn: "c0", Level: "easy", Yellow: true}
	if err := s.Create(ctx, h); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		kind session.KeyKind
		key  string
		err  error
	}{
		{session.WatchKey, "w1", nil},
		{session.TokenKey, "t0", nil},
		{session.TokenKey, "t1", session.ErrNotFound},
		{session.WatchKey, "w2", session.ErrNotFound},
		{session.JoinKey, "t0", session.ErrNotFound},
	} {
		id, err := s.Find(ctx, tt.kind, tt.key)
		if !errors.Is(err, tt.err) || (err == nil && id != "w1") {
			t.Errorf("Find(%s, %q) = %q, %v; want w1, %v", tt.kind, tt.key, id, err, tt.err)
		}
	}

	moves := []session.Record{{Op: session.Moved, Column: 3}, {Op: session.Moved, Column: 4}}
	if err := s.Append(ctx, "w1", 0, moves...); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "w1", 1, session.Record{Op: session.NewRound}); !errors.Is(err, session.ErrConflict) {
		t.Errorf("Append behind the end: %v, want ErrConflict", err)
	}
	if err := s.Append(ctx, "nope", 0, session.Record{Op: session.NewRound}); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Append to no match: %v, want ErrNotFound", err)
	}
	got, recs, err := s.Load(ctx, "w1", 1)
	if err != nil || got != h || len(recs) != 1 || recs[0] != moves[1] {
		t.Errorf("Load from 1 = %+v, %v, %v; want %+v, [%v]", got, recs, err, h, moves[1])
	}

	// Drop leaves the match for spectators elsewhere; it expires.
	s.Drop(ctx, "w1")
	if _, _, err := s.Load(ctx, "w1", 0); err != nil {
		t.Errorf("Load after Drop: %v, want the match until it expires", err)
	}

	// A match with fewer records than a server has lost some: the server
	// gives them back.
	if err := s.Append(ctx, "w1", 5, session.Record{Op: session.NewRound}); !errors.Is(err, session.ErrBehind) {
		t.Errorf("Append past the end: %v, want ErrBehind", err)
	}
}

func TestTokensAndExpiry(t *testing.T) {
	ctx := context.Background()
	s := open(t, redistest.Start(t), redisstore.Options{TTL: 300 * time.Millisecond})
	h := session.Header{ID: "w", Mode: protocol.Friends, Join: "j", Token: "t0", Conn: "c0"}
	if err := s.Create(ctx, h); err != nil {
		t.Fatal(err)
	}
	// Appending keeps every key of the match alive, the new token's too.
	for i := range 4 {
		time.Sleep(150 * time.Millisecond)
		r := session.Record{Op: session.Offered, Seat: 0}
		if i == 0 {
			r = session.Record{Op: session.Joined, Token: "t1", Conn: "c1"}
		}
		if err := s.Append(ctx, "w", i, r); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	for _, k := range []struct {
		kind session.KeyKind
		key  string
	}{{session.JoinKey, "j"}, {session.TokenKey, "t0"}, {session.TokenKey, "t1"}, {session.WatchKey, "w"}} {
		if _, err := s.Find(ctx, k.kind, k.key); err != nil {
			t.Errorf("Find(%s, %s) after 600 ms of appends: %v", k.kind, k.key, err)
		}
	}
	// Then, left alone, they all go.
	time.Sleep(500 * time.Millisecond)
	for _, k := range []session.KeyKind{session.JoinKey, session.TokenKey, session.WatchKey} {
		key := map[session.KeyKind]string{session.JoinKey: "j", session.TokenKey: "t1", session.WatchKey: "w"}[k]
		if _, err := s.Find(ctx, k, key); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("Find(%s, %s) after the TTL: %v, want ErrNotFound", k, key, err)
		}
	}
}

// TestAppendRace has servers race to append at the same position: exactly one
// wins each time.
func TestAppendRace(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	stores := []*redisstore.Store{open(t, srv, redisstore.Options{}), open(t, srv, redisstore.Options{}), open(t, srv, redisstore.Options{})}
	if err := stores[0].Create(ctx, session.Header{ID: "race", Mode: protocol.HotSeat}); err != nil {
		t.Fatal(err)
	}
	const turns = 30
	for at := range turns {
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				err := stores[i%len(stores)].Append(ctx, "race", at, session.Record{Op: session.Moved, Column: i})
				switch {
				case err == nil:
					won.Add(1)
				case !errors.Is(err, session.ErrConflict):
					t.Errorf("turn %d: %v", at, err)
				}
			})
		}
		wg.Wait()
		if n := won.Load(); n != 1 {
			t.Fatalf("turn %d: %d appends accepted, want exactly 1", at, n)
		}
	}
	if _, recs, err := stores[1].Load(ctx, "race", 0); err != nil || len(recs) != turns {
		t.Errorf("Load: %d records, %v; want %d", len(recs), err, turns)
	}
}

// news is a session.Follower that keeps what it is told.
type news struct {
	appended chan string
	resyncs  chan struct{}
}

func newNews() *news {
	return &news{appended: make(chan string, 100), resyncs: make(chan struct{}, 100)}
}

func (n *news) Appended(at int, recs []session.Record) {
	s := ""
	for _, r := range recs {
		s += fmt.Sprintf(" %c%d", r.Op, r.Column) // the tests' news are moves
	}
	n.appended <- string(rune('0'+at)) + s
}

func (n *news) Resync() { n.resyncs <- struct{}{} }

func (n *news) expect(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-n.appended:
		if got != want {
			t.Errorf("appended %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no news in 5 s, want %q", want)
	}
}

func (n *news) expectResync(t *testing.T) {
	t.Helper()
	select {
	case <-n.resyncs:
	case <-time.After(10 * time.Second):
		t.Fatal("no resync in 10 s")
	}
}

func TestFollow(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	var health []error
	var mu sync.Mutex
	a := open(t, srv, redisstore.Options{CheckInterval: 50 * time.Millisecond})
	b := open(t, srv, redisstore.Options{CheckInterval: 50 * time.Millisecond})
	b.OnHealth(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		health = append(health, err)
	})
	if err := a.Create(ctx, session.Header{ID: "f", Mode: protocol.HotSeat}); err != nil {
		t.Fatal(err)
	}
	n := newNews()
	stop := b.Follow("f", n)
	n.expectResync(t) // subscribed: catch up with what came before
	if err := a.Append(ctx, "f", 0, session.Record{Op: session.Moved, Column: 3}, session.Record{Op: session.Moved, Column: 2}); err != nil {
		t.Fatal(err)
	}
	n.expect(t, "0 M3 M2")

	// Redis goes away and comes back: the follower is told to catch up, and
	// news flows again.
	srv.Stop()
	waitFor(t, "b not ready", func() bool { return b.Ready() != nil })
	if err := a.Append(ctx, "f", 2, session.Record{Op: session.Moved, Column: 1}); err == nil {
		t.Error("Append while Redis is down succeeded")
	}
	srv.Start()
	waitFor(t, "b ready", func() bool { return b.Ready() == nil })
	n.expectResync(t)
	if err := a.Append(ctx, "f", 2, session.Record{Op: session.Moved, Column: 1}); err != nil {
		t.Fatal(err)
	}
	n.expect(t, "2 M1")
	if _, recs, err := b.Load(ctx, "f", 0); err != nil || len(recs) != 3 {
		t.Errorf("Load after the restart: %d records, %v; want 3", len(recs), err)
	}
	mu.Lock()
	if len(health) != 2 || health[0] == nil || health[1] != nil {
		t.Errorf("OnHealth told %v, want [an error, nil]", health)
	}
	mu.Unlock()

	stop()
	if err := a.Append(ctx, "f", 3, session.Record{Op: session.Moved, Column: 1}); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-n.appended:
		t.Errorf("news after stop: %q", got)
	case <-time.After(200 * time.Millisecond):
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not in 10 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAlive(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	// A sign of life lapses after three checks: 600 ms, far more than a
	// busy machine may hold up one.
	a, err := redisstore.New(srv.URL(), redisstore.Options{Server: "a~1", CheckInterval: 200 * time.Millisecond}, discard)
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, srv, redisstore.Options{})
	for _, name := range []string{"a~1", "a~2", "b"} {
		alive, err := b.Alive(ctx, name)
		if err != nil || alive != (name == "a~1") {
			t.Errorf("Alive(%q) = %v, %v; want %v", name, alive, err, name == "a~1")
		}
	}
	// Still alive well past its first sign's life: the checks renew it.
	time.Sleep(time.Second)
	if alive, err := b.Alive(ctx, "a~1"); !alive || err != nil {
		t.Errorf("Alive after a second = %v, %v; want true", alive, err)
	}
	a.Close()
	if alive, err := b.Alive(ctx, "a~1"); alive || err != nil {
		t.Errorf("Alive after Close = %v, %v; want false", alive, err)
	}
}

// stuck is a session.Follower that takes no news until released.
type stuck struct{ release chan struct{} }

func (s stuck) Appended(int, []session.Record) { <-s.release }
func (s stuck) Resync()                        {}

// TestSlowFollower checks that a follower slow to take its news, its match
// busy, delays no other match's news.
func TestSlowFollower(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	a, b := open(t, srv, redisstore.Options{}), open(t, srv, redisstore.Options{})
	for _, id := range []string{"slow", "fast"} {
		if err := a.Create(ctx, session.Header{ID: id, Mode: protocol.HotSeat}); err != nil {
			t.Fatal(err)
		}
	}
	slow := stuck{make(chan struct{})}
	defer close(slow.release)
	defer b.Follow("slow", slow)()
	fast := newNews()
	defer b.Follow("fast", fast)()
	fast.expectResync(t)

	if err := a.Append(ctx, "slow", 0, session.Record{Op: session.Moved, Column: 3}); err != nil {
		t.Fatal(err)
	}
	if err := a.Append(ctx, "fast", 0, session.Record{Op: session.Moved, Column: 4}); err != nil {
		t.Fatal(err)
	}
	fast.expect(t, "0 M4")
}
