package redisstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/connect4go/connect4/backend/internal/redisstore"
	"github.com/connect4go/connect4/backend/internal/redistest"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// The tests below run several Hubs, as several servers would, each with a
// Store of its own on one Redis.

// servers returns n Hubs sharing srv.
func servers(t *testing.T, srv *redistest.Server, n int) []*session.Hub {
	hubs, _ := serversWith(t, srv, n, redisstore.Options{}, session.Config{})
	return hubs
}

// serversWith returns n Hubs sharing srv, with settings, and their Stores.
func serversWith(t *testing.T, srv *redistest.Server, n int, opt redisstore.Options, cfg session.Config) ([]*session.Hub, []*redisstore.Store) {
	hubs := make([]*session.Hub, n)
	stores := make([]*redisstore.Store, n)
	opt.CheckInterval = 50 * time.Millisecond
	for i := range hubs {
		stores[i] = open(t, srv, opt)
		c := cfg
		c.Store = stores[i]
		hubs[i] = session.NewHub(c, discard)
	}
	return hubs, stores
}

// conn is a session.Conn whose events a test waits for.
type conn struct {
	events chan protocol.Event
	closed chan string
}

// client is a connected session.Client and its conn.
type client struct {
	*session.Client
	*conn
}

func connect(h *session.Hub) client {
	c := &conn{events: make(chan protocol.Event, 256), closed: make(chan string, 1)}
	return client{h.Connect(c, ""), c}
}

func (c *conn) Send(e protocol.Event) { c.events <- e }

func (c *conn) SendAll(events []protocol.Event) {
	for _, e := range events {
		c.events <- e
	}
}

func (c *conn) Close(reason string) {
	select {
	case c.closed <- reason:
	default:
	}
}

// next returns the next event, waiting up to 5 s for it.
func (c *conn) next(t *testing.T) protocol.Event {
	t.Helper()
	select {
	case e := <-c.events:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event in 5 s")
		return nil
	}
}

// expect checks that the next events are want.
func (c *conn) expect(t *testing.T, want ...protocol.Event) {
	t.Helper()
	for _, w := range want {
		if got := c.next(t); fmt.Sprint(got) != fmt.Sprint(w) {
			t.Fatalf("event %v, want %v", got, w)
		}
	}
}

// quiet checks that no event comes for a while.
func (c *conn) quiet(t *testing.T) {
	t.Helper()
	select {
	case e := <-c.events:
		t.Fatalf("unexpected event %v", e)
	case <-time.After(100 * time.Millisecond):
	}
}

// empty is the snapshot of a game without a move.
var empty = protocol.Snapshot{Moves: []int{}}

// friends starts a Friends match on a, joins it on b and watches it on c.
func friends(t *testing.T, a, b, c *session.Hub) (red, yellow, watcher client, start protocol.Started) {
	t.Helper()
	red, yellow, watcher = connect(a), connect(b), connect(c)
	red.Handle(protocol.Init{Version: protocol.Version})
	start, ok := red.next(t).(protocol.Started)
	if !ok || start.Join == "" {
		t.Fatalf("init: %v", start)
	}
	yellow.Handle(protocol.Init{Join: start.Join, Version: protocol.Version})
	e := yellow.next(t)
	if s, ok := e.(protocol.Started); !ok || s.Player != connect4.Yellow || s.Token == "" {
		t.Fatalf("join: %#v", e)
	}
	yellow.expect(t, empty, protocol.Presence{Player: connect4.Red, Online: true})
	red.expect(t, protocol.Presence{Player: connect4.Yellow, Online: true})
	watcher.Handle(protocol.Init{Watch: start.Watch, Version: protocol.Version})
	watcher.expect(t, protocol.Started{Watch: start.Watch, Mode: protocol.Friends}, empty,
		protocol.Presence{Player: connect4.Red, Online: true}, protocol.Presence{Player: connect4.Yellow, Online: true})
	return red, yellow, watcher, start
}

func TestGameAcrossServers(t *testing.T) {
	hubs := servers(t, redistest.Start(t), 3)
	red, yellow, watcher, _ := friends(t, hubs[0], hubs[1], hubs[2])
	everyone := []client{red, yellow, watcher}
	for i, col := range []int{3, 4, 3, 4, 3, 4, 3} {
		mover := []client{red, yellow}[i%2]
		mover.Handle(protocol.Play{Column: col})
		p := []connect4.Player{connect4.Red, connect4.Yellow}[i%2]
		for _, c := range everyone {
			c.expect(t, protocol.Played{Player: p, Column: col, Row: i / 2})
		}
	}
	line := [4]connect4.Cell{{Column: 3, Row: 0}, {Column: 3, Row: 1}, {Column: 3, Row: 2}, {Column: 3, Row: 3}}
	for _, c := range everyone {
		c.expect(t, protocol.Win{Player: connect4.Red, Cells: line})
	}
	// A rematch agreed across servers starts everywhere, colours swapped.
	red.Handle(protocol.Rematch{})
	yellow.Handle(protocol.Rematch{})
	for _, c := range everyone {
		c.expect(t, protocol.RematchOffer{Player: connect4.Red}, protocol.RematchOffer{Player: connect4.Yellow})
		if s, ok := c.next(t).(protocol.Started); !ok {
			t.Fatalf("after the rematch: %v", s)
		}
	}
	yellow.Handle(protocol.Play{Column: 0}) // yellow is red now, and starts
	for _, c := range everyone {
		c.expect(t, protocol.Played{Player: connect4.Red, Column: 0})
	}
	yellow.Handle(protocol.Play{Column: 0})
	yellow.expect(t, errorFor(connect4.ErrNotYourTurn))
}

// TestOneMovePerTurn has two windows of the same player, on two servers, play
// at once, again and again: exactly one move is accepted each time, and the
// other window is told why not.
func TestOneMovePerTurn(t *testing.T) {
	hubs := servers(t, redistest.Start(t), 3)
	for trial := range 20 {
		red, _, watcher, start := friends(t, hubs[0], hubs[1], hubs[2])
		// The same seat taken back on the second server: the first one
		// hears of it only through Redis, maybe after the plays below.
		again := connect(hubs[1])
		again.Handle(protocol.Resume{Token: start.Token})
		if s, ok := again.next(t).(protocol.Started); !ok || s.Player != connect4.Red {
			t.Fatalf("resume: %v", s)
		}
		var wg sync.WaitGroup
		for _, c := range []client{red, again} {
			wg.Go(func() { c.Handle(protocol.Play{Column: trial % 7}) })
		}
		wg.Wait()
		watcher.expect(t, protocol.Played{Player: connect4.Red, Column: trial % 7})
		watcher.quiet(t)
		again.expect(t, empty, protocol.Presence{Player: connect4.Yellow, Online: true},
			protocol.Played{Player: connect4.Red, Column: trial % 7})
		// The first window was replaced: closed, or refused if it played
		// before its server knew.
		select {
		case <-red.closed:
		case <-time.After(5 * time.Second):
			t.Fatal("the replaced window was not closed")
		}
		for len(red.events) > 0 {
			if e := red.next(t); fmt.Sprint(e) != fmt.Sprint(protocol.Played{Player: connect4.Red, Column: trial % 7}) &&
				fmt.Sprint(e) != fmt.Sprint(errorFor(protocol.ErrReplaced)) {
				t.Errorf("replaced window got %v", e)
			}
		}
	}
}

func errorFor(err error) protocol.Error {
	e, _ := protocol.ErrorFor(err)
	return e
}

// TestRedisAway stops Redis in the middle of a game: moves are refused with a
// clear error, and the game goes on once Redis is back.
func TestRedisAway(t *testing.T) {
	srv := redistest.Start(t)
	hubs := servers(t, srv, 2)
	red, yellow, watcher, _ := friends(t, hubs[0], hubs[1], hubs[1])
	red.Handle(protocol.Play{Column: 3})
	for _, c := range []client{red, yellow, watcher} {
		c.expect(t, protocol.Played{Player: connect4.Red, Column: 3})
	}

	srv.Stop()
	yellow.Handle(protocol.Play{Column: 3})
	yellow.expect(t, errorFor(protocol.ErrUnavailable))
	red.quiet(t)

	srv.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		yellow.Handle(protocol.Play{Column: 3})
		e := yellow.next(t)
		if fmt.Sprint(e) == fmt.Sprint(protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1}) {
			break
		}
		if e != errorFor(protocol.ErrUnavailable) || time.Now().After(deadline) {
			t.Fatalf("after Redis came back: %v", e)
		}
		time.Sleep(50 * time.Millisecond)
	}
	red.expect(t, protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1})
	watcher.expect(t, protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1})
	red.Handle(protocol.Play{Column: 2})
	for _, c := range []client{red, yellow, watcher} {
		c.expect(t, protocol.Played{Player: connect4.Red, Column: 2})
	}
}

// TestLetGo checks that a server keeps a copy of a match only while someone
// is in it there.
func TestLetGo(t *testing.T) {
	hubs := servers(t, redistest.Start(t), 3)
	red, _, _, start := friends(t, hubs[0], hubs[1], hubs[1])
	third := hubs[2]

	late := connect(third)
	late.Handle(protocol.Init{Join: start.Join, Version: protocol.Version})
	taken := errorFor(protocol.ErrSeatTaken)
	taken.Watch = start.Watch // to watch instead
	late.expect(t, taken)
	if n := third.Stats().Matches; n != 0 {
		t.Errorf("after a refused join: %d matches held, want 0", n)
	}

	watcher := connect(third)
	watcher.Handle(protocol.Init{Watch: start.Watch, Version: protocol.Version})
	watcher.expect(t, protocol.Started{Watch: start.Watch, Mode: protocol.Friends}, empty)
	if n := third.Stats().Matches; n != 1 {
		t.Errorf("with a spectator: %d matches held, want 1", n)
	}
	red.Handle(protocol.Play{Column: 3})
	watcher.expect(t, protocol.Presence{Player: connect4.Red, Online: true},
		protocol.Presence{Player: connect4.Yellow, Online: true},
		protocol.Played{Player: connect4.Red, Column: 3})
	watcher.Client.Close()
	if n := third.Stats().Matches; n != 0 {
		t.Errorf("once the spectator left: %d matches held, want 0", n)
	}
}

// TestIdleAcrossServers lets a match go idle: the idle close comes before the
// match expires from Redis, and every server closes its clients with the
// idle message.
func TestIdleAcrossServers(t *testing.T) {
	const idle = 300 * time.Millisecond
	hubs, _ := serversWith(t, redistest.Start(t), 2, redisstore.Options{TTL: 2 * idle}, session.Config{Idle: idle})
	red, yellow, _, start := friends(t, hubs[0], hubs[1], hubs[1])
	for _, c := range []client{red, yellow} {
		select {
		case reason := <-c.closed:
			if !strings.Contains(reason, "without a move") {
				t.Errorf("closed with %q, want the idle message", reason)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("not closed for idleness in 5 s")
		}
	}
	late := connect(hubs[0])
	late.Handle(protocol.Resume{Token: start.Token})
	late.expect(t, errorFor(protocol.ErrTokenExpired))
}

// TestLeaveWhileRedisAway has a player leave while Redis is away: once it is
// back, the opponent is told, and the game is abandoned after the grace.
func TestLeaveWhileRedisAway(t *testing.T) {
	srv := redistest.Start(t)
	hubs, stores := serversWith(t, srv, 2, redisstore.Options{}, session.Config{Grace: 300 * time.Millisecond})
	red, yellow, _, _ := friends(t, hubs[0], hubs[1], hubs[1])
	red.Handle(protocol.Play{Column: 3})
	yellow.expect(t, protocol.Played{Player: connect4.Red, Column: 3})

	srv.Stop()
	waitFor(t, "Redis away", func() bool { return stores[0].Ready() != nil })
	red.Client.Close()
	yellow.quiet(t)
	srv.Start()
	yellow.away(t, connect4.Red)
	yellow.expect(t, protocol.Abandoned{Player: connect4.Red})
}

// away checks that the next event tells that player left.
func (c *conn) away(t *testing.T, player connect4.Player) {
	t.Helper()
	if p, ok := c.next(t).(protocol.Presence); !ok || p.Player != player || p.Online {
		t.Fatalf("event %v, want %s away", p, player)
	}
}

// TestGraceEndsWhileRedisAway has the grace end while Redis is away: the game
// is abandoned once it is back.
func TestGraceEndsWhileRedisAway(t *testing.T) {
	srv := redistest.Start(t)
	hubs, stores := serversWith(t, srv, 2, redisstore.Options{}, session.Config{Grace: 300 * time.Millisecond})
	red, yellow, _, _ := friends(t, hubs[0], hubs[1], hubs[1])
	red.Client.Close()
	yellow.away(t, connect4.Red)
	srv.Stop()
	waitFor(t, "Redis away", func() bool { return stores[1].Ready() != nil })
	time.Sleep(time.Second) // the grace ends
	srv.Start()
	yellow.expect(t, protocol.Abandoned{Player: connect4.Red})
}

// TestRemoteSpectatorKeepsTheMatch has both players leave for good while a
// spectator on a third server watches: the match stays, and a player may
// still come back.
func TestRemoteSpectatorKeepsTheMatch(t *testing.T) {
	hubs, _ := serversWith(t, redistest.Start(t), 3, redisstore.Options{}, session.Config{Grace: 200 * time.Millisecond})
	red, yellow, watcher, start := friends(t, hubs[0], hubs[1], hubs[2])
	red.Client.Close()
	yellow.Client.Close()
	watcher.away(t, connect4.Red)
	watcher.away(t, connect4.Yellow)
	time.Sleep(500 * time.Millisecond)
	again := connect(hubs[0])
	again.Handle(protocol.Resume{Token: start.Token})
	if e, ok := again.next(t).(protocol.Started); !ok {
		t.Errorf("resume with a spectator still in the match: %v", e)
	}
}

// TestRedisLosesRecords has Redis lose the last records of a match, then the
// whole match, as a restart without persistence does: the servers give them
// back, and the game goes on for everyone, a late spectator included.
func TestRedisLosesRecords(t *testing.T) {
	srv := redistest.Start(t)
	hubs := servers(t, srv, 2)
	red, yellow, watcher, start := friends(t, hubs[0], hubs[1], hubs[1])
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer rdb.Close()
	ctx := t.Context()
	everyone := []client{red, yellow, watcher}
	move := func(c client, p connect4.Player, col, row int) {
		t.Helper()
		c.Handle(protocol.Play{Column: col})
		for _, c := range everyone {
			c.expect(t, protocol.Played{Player: p, Column: col, Row: row})
		}
	}
	move(red, connect4.Red, 3, 0)
	move(yellow, connect4.Yellow, 3, 1)
	// The last two records (the moves) are lost.
	if err := rdb.LTrim(ctx, "c4:m:"+start.Watch+":log", 0, -3).Err(); err != nil {
		t.Fatal(err)
	}
	move(red, connect4.Red, 4, 0)
	// Then everything.
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	move(yellow, connect4.Yellow, 4, 1)
	late := connect(hubs[0])
	late.Handle(protocol.Init{Watch: start.Watch, Version: protocol.Version})
	late.expect(t, protocol.Started{Watch: start.Watch, Mode: protocol.Friends}, protocol.Snapshot{Moves: []int{3, 3, 4, 4}})
	yellow.Client.Close() // the token was given back too
	again := connect(hubs[0])
	again.Handle(protocol.Resume{Token: start.Token})
	if s, ok := again.next(t).(protocol.Started); !ok || s.Player != connect4.Red {
		t.Fatalf("resume after the loss: %v", s)
	}
}

// TestWronglyAway has another server record as away a player who is still
// connected to its own server, as one whose sign of life lapsed while Redis
// was slow would: the player's server takes the seat back at once, and the
// player plays on.
func TestWronglyAway(t *testing.T) {
	srv := redistest.Start(t)
	hubs, stores := serversWith(t, srv, 2, redisstore.Options{}, session.Config{})
	red, yellow, _, start := friends(t, hubs[0], hubs[1], hubs[1])
	ctx := t.Context()
	_, recs, err := stores[1].Load(ctx, start.Watch, 0)
	if err != nil {
		t.Fatal(err)
	}
	left := session.Record{Op: session.Left, Seat: 0, At: time.Now().Add(time.Minute)}
	if err := stores[1].Append(ctx, start.Watch, len(recs), left); err != nil {
		t.Fatal(err)
	}
	if p, ok := yellow.next(t).(protocol.Presence); !ok || p.Online {
		t.Fatalf("yellow told %v, want red away", p)
	}
	yellow.expect(t, protocol.Presence{Player: connect4.Red, Online: true})
	deadline := time.Now().Add(5 * time.Second)
	for {
		red.Handle(protocol.Play{Column: 3})
		e := red.next(t)
		if fmt.Sprint(e) == fmt.Sprint(protocol.Played{Player: connect4.Red, Column: 3}) {
			break
		}
		if e != errorFor(protocol.ErrUnavailable) || time.Now().After(deadline) {
			t.Fatalf("red's move after being taken back: %v", e)
		}
		time.Sleep(50 * time.Millisecond)
	}
	yellow.expect(t, protocol.Played{Player: connect4.Red, Column: 3})
}

// pairedOn waits until c is told its colour in a quick match.
func pairedOn(t *testing.T, c client) protocol.Started {
	t.Helper()
	for {
		if s, ok := c.next(t).(protocol.Started); ok && s.Player != connect4.NoPlayer {
			return s
		}
	}
}

// Players who look for an opponent on different servers are paired through
// Redis, and play as friends do; a third waits, alone, for the next.
func TestQuickMatchAcrossServers(t *testing.T) {
	hubs := servers(t, redistest.Start(t), 3)
	a, b, c := connect(hubs[0]), connect(hubs[1]), connect(hubs[2])
	a.Handle(protocol.Seek{})
	if s, ok := a.next(t).(protocol.Started); !ok || s.Mode != protocol.Quick || s.Player != connect4.NoPlayer {
		t.Fatalf("seek: %v", s)
	}
	if _, ok := a.next(t).(protocol.Seeking); !ok {
		t.Fatal("no Seeking event")
	}
	b.Handle(protocol.Seek{})
	sb := pairedOn(t, b)
	sa := pairedOn(t, a)
	if sa.Watch != sb.Watch || sa.Player == sb.Player {
		t.Fatalf("paired as %+v and %+v", sa, sb)
	}
	first, second := a, b
	if sb.Player == connect4.Red {
		first, second = b, a
	}
	first.Handle(protocol.Play{Column: 3})
	for _, p := range []client{first, second} {
		for {
			if e := p.next(t); e == (protocol.Played{Player: connect4.Red, Column: 3}) {
				break
			}
		}
	}
	c.Handle(protocol.Seek{})
	if s, ok := c.next(t).(protocol.Started); !ok || s.Player != connect4.NoPlayer {
		t.Fatalf("a third seeker: %v, want it to wait", s)
	}
}
