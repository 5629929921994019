// Package storetest checks that a session.Store keeps the contract the
// session package relies on. It is one suite, written once and run against
// every Store: in memory, in SQLite and in Redis.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// Harness opens the Stores the suite checks.
type Harness struct {
	// Open returns a new, empty Store that keeps matches as life says, and
	// closes it when the test ends.
	Open func(t *testing.T, life session.Lifetimes) session.Store
	// RealTime says that the Store ignores life.Now and keeps time itself,
	// as Redis does: the suite then checks expiry with short lifetimes and
	// real waits.
	RealTime bool
	// Invitations says that the Store keeps a match between friends whose
	// second seat was never taken for life.Invitation, not life.Match.
	Invitations bool
	// KeepsDropped says that Drop leaves the match to expire, for
	// spectators on other servers, instead of forgetting it at once.
	KeepsDropped bool
}

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	t.Run("Keys", h.keys)
	t.Run("AppendAndLoad", h.appendAndLoad)
	t.Run("Race", h.race)
	t.Run("Follow", h.follow)
	t.Run("Drop", h.drop)
	t.Run("Expiry", h.expiry)
}

// Clock is a Lifetimes.Now, or a session.Config.Now, whose time moves only
// when the test says. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that says start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

func newClock() *Clock { return NewClock(time.UnixMilli(1_800_000_000_000)) }

// Now returns the Clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Pass moves the Clock's time on by d.
func (c *Clock) Pass(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// open returns a Store with long lifetimes, on a clock of the test's.
func (h Harness) open(t *testing.T) (session.Store, *Clock) {
	c := newClock()
	return h.Open(t, session.Lifetimes{Match: time.Hour, Invitation: 24 * time.Hour, Archive: 30 * 24 * time.Hour, Now: c.Now}), c
}

// ids numbers the matches of the suite: a Store of Redis may be shared by
// several tests.
var ids struct {
	sync.Mutex
	n int
}

func header(mode protocol.Mode) session.Header {
	ids.Lock()
	defer ids.Unlock()
	ids.n++
	h := session.Header{
		ID: fmt.Sprintf("w%d-%d", ids.n, time.Now().UnixNano()), Mode: mode,
		Token: fmt.Sprintf("t%d-%d", ids.n, time.Now().UnixNano()), Conn: "srv/c0",
	}
	if mode == protocol.Friends || mode == protocol.Quick {
		h.Join = fmt.Sprintf("j%d-%d", ids.n, time.Now().UnixNano())
		h.Clock = protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}
	}
	if mode == protocol.Computer {
		h.Level, h.Yellow = "perfect", true
	}
	return h
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func create(t *testing.T, s session.Store, h session.Header) {
	t.Helper()
	if err := s.Create(ctx(t), h); err != nil {
		t.Fatalf("Create(%+v): %v", h, err)
	}
}

func find(t *testing.T, s session.Store, kind session.KeyKind, key, want string, wantErr error) {
	t.Helper()
	id, err := s.Find(ctx(t), kind, key)
	if !errors.Is(err, wantErr) || (err == nil && id != want) {
		t.Errorf("Find(%s, %q) = %q, %v; want %q, %v", kind, key, id, err, want, wantErr)
	}
}

func appendAt(t *testing.T, s session.Store, id string, at int, wantErr error, recs ...session.Record) {
	t.Helper()
	if err := s.Append(ctx(t), id, at, recs...); !errors.Is(err, wantErr) {
		t.Errorf("Append(%s, at %d, %v) = %v, want %v", id, at, recs, err, wantErr)
	}
}

// same reports whether two lists of records say the same, times compared
// as instants.
func same(a, b []session.Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.At.Equal(y.At) {
			return false
		}
		x.At, y.At = time.Time{}, time.Time{}
		if x != y {
			return false
		}
	}
	return true
}

func load(t *testing.T, s session.Store, id string, from int, head session.Header, want []session.Record) {
	t.Helper()
	h, recs, err := s.Load(ctx(t), id, from)
	if err != nil || !reflect.DeepEqual(h, head) || !same(recs, want) {
		t.Errorf("Load(%s, %d) = %+v, %v, %v;\nwant %+v, %v", id, from, h, recs, err, head, want)
	}
}

// records are one of each kind.
var records = []session.Record{
	{Op: session.Joined, Seat: 1, Token: "tok-en_1", Conn: "srv/c1", At: time.UnixMilli(1_800_000_000_000)},
	{Op: session.Moved, Column: 3, At: time.UnixMilli(1_800_000_001_234)},
	{Op: session.Left, Seat: 1, At: time.UnixMilli(1_800_000_060_000)},
	{Op: session.Held, Seat: 1, Conn: "srv/c2"},
	{Op: session.Moved, Column: 6},
	{Op: session.Offered, Seat: 0},
	{Op: session.Abandoned, Seat: 1},
	{Op: session.NewRound, At: time.UnixMilli(1_800_000_090_000)},
	{Op: session.TimedOut, Seat: 0, At: time.UnixMilli(1_800_000_270_000)},
	{Op: session.TookBack, Column: 2},
	{Op: session.Closed},
}

func (h Harness) keys(t *testing.T) {
	s, _ := h.open(t)
	for _, mode := range []protocol.Mode{protocol.Friends, protocol.HotSeat, protocol.Computer, protocol.Quick} {
		head := header(mode)
		create(t, s, head)
		find(t, s, session.WatchKey, head.ID, head.ID, nil)
		find(t, s, session.TokenKey, head.Token, head.ID, nil)
		if mode == protocol.Friends {
			find(t, s, session.JoinKey, head.Join, head.ID, nil)
		}
		find(t, s, session.JoinKey, head.ID, "", session.ErrNotFound)
		find(t, s, session.TokenKey, head.ID, "", session.ErrNotFound)
		find(t, s, session.WatchKey, head.Token, "", session.ErrNotFound)
		load(t, s, head.ID, 0, head, nil)
	}
	find(t, s, session.WatchKey, "nothing", "", session.ErrNotFound)
	if _, _, err := s.Load(ctx(t), "nothing", 0); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Load of an unknown match: %v, want ErrNotFound", err)
	}
	appendAt(t, s, "nothing", 0, session.ErrNotFound, session.Record{Op: session.Moved, Column: 3})
}

func (h Harness) appendAndLoad(t *testing.T) {
	s, _ := h.open(t)
	head := header(protocol.Friends)
	create(t, s, head)
	appendAt(t, s, head.ID, 0, nil, records[0])
	find(t, s, session.TokenKey, records[0].Token, head.ID, nil) // a Joined record's token is a key
	appendAt(t, s, head.ID, 0, session.ErrConflict, records[1])  // another server was first
	appendAt(t, s, head.ID, 2, session.ErrBehind, records[1])    // the Store has fewer
	appendAt(t, s, head.ID, 1, nil, records[1:4]...)             // several at once
	for i, r := range records[4:] {
		appendAt(t, s, head.ID, 4+i, nil, r)
	}
	load(t, s, head.ID, 0, head, records)
	load(t, s, head.ID, 4, head, records[4:])
	load(t, s, head.ID, len(records), head, nil)
	if _, _, err := s.Load(ctx(t), head.ID, len(records)+1); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Load past the end: %v, want ErrNotFound", err)
	}
}

// race has servers append at the same position at once, round after round:
// exactly one wins each round.
func (h Harness) race(t *testing.T) {
	s, _ := h.open(t)
	head := header(protocol.HotSeat)
	create(t, s, head)
	const servers, rounds = 6, 20
	var won []session.Record
	for round := range rounds {
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			winners []session.Record
		)
		for srv := range servers {
			wg.Go(func() {
				r := session.Record{Op: session.Held, Seat: round % 2, Conn: fmt.Sprintf("s%d/c", srv)}
				err := s.Append(context.Background(), head.ID, round, r)
				switch {
				case err == nil:
					mu.Lock()
					winners = append(winners, r)
					mu.Unlock()
				case !errors.Is(err, session.ErrConflict):
					t.Errorf("round %d: %v", round, err)
				}
			})
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("round %d: %d appends won, want 1", round, len(winners))
		}
		won = append(won, winners[0])
	}
	load(t, s, head.ID, 0, head, won)
}

// follower records the news it is told, and catches up from the Store on a
// resync, as the contract asks.
type follower struct {
	s    session.Store
	id   string
	mu   sync.Mutex
	recs map[int]session.Record
	news chan struct{}
}

func newFollower(s session.Store, id string) *follower {
	return &follower{s: s, id: id, recs: make(map[int]session.Record), news: make(chan struct{}, 100)}
}

func (f *follower) Appended(at int, recs []session.Record) {
	f.mu.Lock()
	for i, r := range recs {
		f.recs[at+i] = r
	}
	f.mu.Unlock()
	select {
	case f.news <- struct{}{}:
	default:
	}
}

func (f *follower) Resync() {
	_, recs, err := f.s.Load(context.Background(), f.id, 0)
	if err != nil {
		return
	}
	f.Appended(0, recs)
}

// waitFor waits until f has been told of n records.
func (f *follower) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		got := len(f.recs)
		f.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-f.news:
		case <-deadline:
			t.Fatalf("told of %d records in 5 s, want %d", got, n)
		}
	}
}

func (h Harness) follow(t *testing.T) {
	s, _ := h.open(t)
	head := header(protocol.HotSeat)
	create(t, s, head)
	a, b := newFollower(s, head.ID), newFollower(s, head.ID)
	stopA := s.Follow(head.ID, a)
	stopB := s.Follow(head.ID, b)
	defer stopB()
	appendAt(t, s, head.ID, 0, nil, records[1])
	appendAt(t, s, head.ID, 1, nil, records[3:5]...)
	for _, f := range []*follower{a, b} {
		f.waitFor(t, 3)
		f.mu.Lock()
		got := []session.Record{f.recs[0], f.recs[1], f.recs[2]}
		f.mu.Unlock()
		if want := []session.Record{records[1], records[3], records[4]}; !same(got, want) {
			t.Errorf("told %v, want %v", got, want)
		}
	}
	stopA()
	appendAt(t, s, head.ID, 3, nil, records[1])
	b.waitFor(t, 4)
	time.Sleep(50 * time.Millisecond) // long enough for news that should not come
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.recs) != 3 {
		t.Errorf("a follower that stopped was told of %d records, want 3", len(a.recs))
	}
}

func (h Harness) drop(t *testing.T) {
	s, _ := h.open(t)
	head := header(protocol.Friends)
	create(t, s, head)
	appendAt(t, s, head.ID, 0, nil, records[:2]...)
	s.Drop(ctx(t), head.ID)
	if h.KeepsDropped {
		load(t, s, head.ID, 0, head, records[:2])
		return
	}
	find(t, s, session.WatchKey, head.ID, "", session.ErrNotFound)
	find(t, s, session.JoinKey, head.Join, "", session.ErrNotFound)
	find(t, s, session.TokenKey, records[0].Token, "", session.ErrNotFound)
	appendAt(t, s, head.ID, 2, session.ErrNotFound, records[2])
	if _, _, err := s.Load(ctx(t), head.ID, 0); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Load of a dropped match: %v, want ErrNotFound", err)
	}
	if a, ok := s.(session.Archive); ok {
		got, recs, err := a.Archived(ctx(t), head.ID)
		if err != nil || !reflect.DeepEqual(got, head) || !same(recs, records[:2]) {
			t.Errorf("Archived = %+v, %v, %v; want the match and its records", got, recs, err)
		}
	}
}

func (h Harness) expiry(t *testing.T) {
	if h.RealTime {
		h.expiryRealTime(t)
		return
	}
	c := newClock()
	life := session.Lifetimes{Match: time.Hour, Invitation: 24 * time.Hour, Archive: 48 * time.Hour, Now: c.Now}
	s := h.Open(t, life)
	hot, invite, joined := header(protocol.HotSeat), header(protocol.Friends), header(protocol.Friends)
	for _, head := range []session.Header{hot, invite, joined} {
		create(t, s, head)
	}
	appendAt(t, s, joined.ID, 0, nil, records[0])
	c.Pass(59 * time.Minute)
	appendAt(t, s, hot.ID, 0, nil, records[1]) // a record puts off expiry
	c.Pass(time.Minute)
	find(t, s, session.WatchKey, joined.ID, "", session.ErrNotFound)
	find(t, s, session.TokenKey, records[0].Token, "", session.ErrNotFound)
	appendAt(t, s, joined.ID, 1, session.ErrNotFound, records[1])
	find(t, s, session.WatchKey, hot.ID, hot.ID, nil)
	wantInvite := error(nil)
	if !h.Invitations {
		wantInvite = session.ErrNotFound
	}
	find(t, s, session.JoinKey, invite.Join, invite.ID, wantInvite)
	c.Pass(59 * time.Minute)
	find(t, s, session.WatchKey, hot.ID, "", session.ErrNotFound)
	if !h.Invitations {
		return
	}
	c.Pass(22*time.Hour + time.Minute - time.Millisecond)
	find(t, s, session.JoinKey, invite.Join, invite.ID, nil)
	c.Pass(time.Millisecond)
	find(t, s, session.JoinKey, invite.Join, "", session.ErrNotFound)
	if _, _, err := s.Load(ctx(t), invite.ID, 0); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Load of an expired invitation: %v, want ErrNotFound", err)
	}

	a, ok := s.(session.Archive)
	if !ok {
		return
	}
	// An expired match joins the archive, and leaves it after life.Archive.
	if _, recs, err := a.Archived(ctx(t), joined.ID); err != nil || !same(recs, records[:1]) {
		t.Errorf("Archived(an expired match) = %v, %v; want its records", recs, err)
	}
	// A write lets the Store sweep, once a minute at most, after it answers.
	c.Pass(time.Minute)
	create(t, s, header(protocol.HotSeat))
	c.Pass(49 * time.Hour)
	create(t, s, header(protocol.HotSeat))
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, _, err := a.Archived(ctx(t), joined.ID)
		if errors.Is(err, session.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Archived after the archive's lifetime: %v, want ErrNotFound", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// expiryRealTime checks expiry with lifetimes of a few hundred milliseconds.
func (h Harness) expiryRealTime(t *testing.T) {
	const life = time.Second // margins of 250 ms and more, for a busy machine
	s := h.Open(t, session.Lifetimes{Match: life, Invitation: life, Archive: life})
	head := header(protocol.Friends)
	create(t, s, head)
	appendAt(t, s, head.ID, 0, nil, records[0])
	time.Sleep(life / 2)
	appendAt(t, s, head.ID, 1, nil, records[1]) // a record puts off expiry
	time.Sleep(life * 3 / 4)
	find(t, s, session.WatchKey, head.ID, head.ID, nil)
	find(t, s, session.JoinKey, head.Join, head.ID, nil)
	find(t, s, session.TokenKey, records[0].Token, head.ID, nil)
	time.Sleep(life)
	find(t, s, session.WatchKey, head.ID, "", session.ErrNotFound)
	find(t, s, session.JoinKey, head.Join, "", session.ErrNotFound)
	find(t, s, session.TokenKey, records[0].Token, "", session.ErrNotFound)
	appendAt(t, s, head.ID, 2, session.ErrNotFound, records[2])
}
