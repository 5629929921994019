package session_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

const (
	red    = connect4.Red
	yellow = connect4.Yellow
)

// snap returns the Snapshot of a game of columns.
func snap(columns ...int) protocol.Event {
	return protocol.Snapshot{Moves: append([]int{}, columns...)}
}

func errorFor(err error) protocol.Event {
	e, _ := protocol.ErrorFor(err)
	return e
}

// match is a version 2 friends match in which both players have read their
// welcome.
type match struct {
	r, y   player
	rs, ys protocol.Started // what red and yellow were told on entering
}

func friends(t *testing.T, h *session.Hub) match {
	t.Helper()
	m := match{r: connect(h), y: connect(h)}
	m.r.Handle(protocol.Init{Version: 2})
	events := m.r.take()
	if len(events) != 1 {
		t.Fatalf("creator got %v, want one init", events)
	}
	m.rs = events[0].(protocol.Started)
	if m.rs.Join == "" || m.rs.Watch == "" || m.rs.Token == "" || m.rs.Player != red || m.rs.Mode != protocol.Friends {
		t.Fatalf("creator's init = %+v", m.rs)
	}
	m.y.Handle(protocol.Init{Join: m.rs.Join, Version: 2})
	events = m.y.take()
	if len(events) != 3 {
		t.Fatalf("joiner got %v, want init, snapshot and red's presence", events)
	}
	m.ys = events[0].(protocol.Started)
	if m.ys.Join != "" || m.ys.Watch != m.rs.Watch || m.ys.Player != yellow || m.ys.Token == "" || m.ys.Token == m.rs.Token {
		t.Fatalf("joiner's init = %+v", m.ys)
	}
	if !reflect.DeepEqual(events[1:], []protocol.Event{snap(), protocol.Presence{Player: red, Online: true}}) {
		t.Fatalf("joiner got %v, want an empty board and red online", events[1:])
	}
	m.r.expect(t, protocol.Presence{Player: yellow, Online: true})
	return m
}

// watch adds a version 2 spectator and reads its welcome.
func (m match) watch(t *testing.T, h *session.Hub) player {
	t.Helper()
	w := connect(h)
	w.Handle(protocol.Init{Watch: m.rs.Watch, Version: 2})
	w.take()
	return w
}

// play has the players play columns in turn, red first, and drops the events.
func (m match) play(columns ...int) {
	for i, c := range columns {
		[]player{m.r, m.y}[i%2].Handle(protocol.Play{Column: c})
	}
	m.r.take()
	m.y.take()
}

func TestFriends(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	w := connect(h)
	w.Handle(protocol.Init{Watch: m.rs.Watch, Version: 2})
	w.expect(t,
		protocol.Started{Watch: m.rs.Watch, Mode: protocol.Friends},
		snap(),
		protocol.Presence{Player: red, Online: true},
		protocol.Presence{Player: yellow, Online: true},
	)

	m.r.Handle(protocol.Play{Column: 3})
	m.y.Handle(protocol.Play{Column: 3})
	m.y.Handle(protocol.Play{Column: 4}) // out of turn
	m.r.Handle(protocol.Play{Column: 0})
	w.Handle(protocol.Play{Column: 1}) // a spectator
	moves := []protocol.Event{played(red, 3, 0), played(yellow, 3, 1), played(red, 0, 0)}
	m.r.expect(t, moves...)
	m.y.expect(t, moves[0], moves[1], errorFor(connect4.ErrNotYourTurn), moves[2])
	w.expect(t, append(moves, errorFor(protocol.ErrSpectator))...)
}

// A client written for the tutorial's part 2 gets exactly the tutorial's events.
func TestTutorialPart2(t *testing.T) {
	h, _ := newHub()
	r, y, w := connect(h), connect(h), connect(h)
	r.Handle(protocol.Init{})
	events := r.take()
	start, ok := events[0].(protocol.Started)
	if len(events) != 1 || !ok || start != (protocol.Started{Join: start.Join, Watch: start.Watch}) || len(start.Join) != 16 || len(start.Watch) != 16 {
		t.Fatalf("creator got %#v, want the tutorial's init with 16-character keys", events)
	}
	r.Handle(protocol.Play{Column: 2})
	y.Handle(protocol.Init{Join: start.Join})
	w.Handle(protocol.Init{Watch: start.Watch})
	y.expect(t, played(red, 2, 0)) // the replay, and no init
	w.expect(t, played(red, 2, 0))
	r.expect(t, played(red, 2, 0)) // no presence for the tutorial's client
	y.Handle(protocol.Play{Column: 2})
	for _, p := range []player{r, y, w} {
		p.expect(t, played(yellow, 2, 1))
	}
	y.Close()
	r.expect(t) // no presence either
}

func TestEnterRefused(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	// A third player is offered to watch instead.
	taken := errorFor(protocol.ErrSeatTaken).(protocol.Error)
	taken.Watch = m.rs.Watch
	tests := []struct {
		name string
		cmd  protocol.Command
		want protocol.Event
	}{
		{"unknown join key", protocol.Init{Join: "nope"}, errorFor(protocol.ErrInvitation)},
		{"unknown watch key", protocol.Init{Watch: "nope"}, errorFor(protocol.ErrGameNotFound)},
		{"a watch key to join", protocol.Init{Join: m.rs.Watch}, errorFor(protocol.ErrInvitation)},
		{"a third player", protocol.Init{Join: m.rs.Join}, taken},
		{"an unknown token", protocol.Resume{Token: "nope"}, errorFor(protocol.ErrTokenExpired)},
		{"a join key as token", protocol.Resume{Token: m.rs.Join}, errorFor(protocol.ErrTokenExpired)},
		{"a rematch outside a game", protocol.Rematch{}, errorFor(protocol.ErrNotInGame)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := connect(h)
			defer p.Close()
			p.Handle(tt.cmd)
			p.expect(t, tt.want)
			// Refused, the client may still watch.
			p.Handle(protocol.Init{Watch: m.rs.Watch})
			if got := p.take(); len(got) != 0 {
				t.Errorf("a tutorial spectator of a game without moves got %v", got)
			}
			p.Handle(protocol.Play{Column: 0})
			p.expect(t, errorFor(protocol.ErrSpectator))
		})
	}
	t.Run("init twice", func(t *testing.T) {
		p := m.watch(t, h)
		defer p.Close()
		p.Handle(protocol.Init{})
		p.expect(t, errorFor(protocol.ErrInGame))
	})
}

// Whoever joins or watches gets the moves so far, how the game ended and where
// the players are.
func TestReplay(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	m.play(0, 1, 0, 1, 0, 1, 0)
	w := connect(h)
	w.Handle(protocol.Init{Watch: m.rs.Watch, Version: 2})
	w.expect(t,
		protocol.Started{Watch: m.rs.Watch, Mode: protocol.Friends},
		snap(0, 1, 0, 1, 0, 1, 0),
		protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: 0, Row: 0}, {Column: 0, Row: 1}, {Column: 0, Row: 2}, {Column: 0, Row: 3}}},
		protocol.Presence{Player: red, Online: true},
		protocol.Presence{Player: yellow, Online: true},
	)
}

// drawn is a game that fills the board without a winner.
var drawn = []int{
	0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0,
	2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2,
	4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4,
	6, 6, 6, 6, 6, 6,
}

// A replay of a whole game, to a spectator or a player coming back, with
// either version of the protocol, is one batch for the transport: it never
// counts as a slow reader's backlog.
func TestReplayWholeGame(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	m.play(drawn...)
	want := []protocol.Event{}
	g := connect4.NewGame()
	for _, c := range drawn {
		mv, err := g.Play(g.Turn(), c)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, played(mv.Player, mv.Column, mv.Row))
	}
	want = append(want, protocol.Draw{})

	v1 := connect(h)
	v1.Handle(protocol.Init{Watch: m.rs.Watch})
	v1.expect(t, want...)
	w := connect(h)
	w.Handle(protocol.Init{Watch: m.rs.Watch, Version: 2})
	w.expect(t, protocol.Started{Watch: m.rs.Watch, Mode: protocol.Friends}, snap(drawn...), protocol.Draw{},
		protocol.Presence{Player: red, Online: true}, protocol.Presence{Player: yellow, Online: true})
	m.y.Close()
	y2 := connect(h)
	y2.Handle(protocol.Resume{Token: m.ys.Token})
	y2.expect(t, m.ys, snap(drawn...), protocol.Draw{}, protocol.Presence{Player: red, Online: true})
	for name, p := range map[string]player{"tutorial spectator": v1, "spectator": w, "returning player": y2} {
		if p.batches != 1 {
			t.Errorf("%s: the replay came in %d batches, want 1", name, p.batches)
		}
	}
}

func TestLeaveAndReturn(t *testing.T) {
	h, clock := newHub()
	m := friends(t, h)
	w := m.watch(t, h)
	m.play(5)
	w.take()
	m.y.Close()
	m.r.expect(t, protocol.Presence{Player: yellow, Grace: grace})
	w.expect(t, protocol.Presence{Player: yellow, Grace: grace})
	m.r.Handle(protocol.Play{Column: 5})
	m.r.expect(t, errorFor(connect4.ErrNotYourTurn))

	// Yellow comes back on a new connection with its token.
	y2 := connect(h)
	y2.Handle(protocol.Resume{Token: m.ys.Token})
	y2.expect(t, m.ys, snap(5), protocol.Presence{Player: red, Online: true})
	m.r.expect(t, protocol.Presence{Player: yellow, Online: true})
	if n := clock.fire(grace); n != 0 {
		t.Errorf("%d grace timers fired after yellow came back", n)
	}
	y2.Handle(protocol.Play{Column: 5})
	m.r.expect(t, played(yellow, 5, 1))
	w.expect(t, protocol.Presence{Player: yellow, Online: true}, played(yellow, 5, 1))
}

// A token resumed in a second window closes the first.
func TestResumeElsewhere(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	r2 := connect(h)
	r2.Handle(protocol.Resume{Token: m.rs.Token})
	r2.expect(t, m.rs, snap(), protocol.Presence{Player: yellow, Online: true})
	if want := "You took your seat back in another window."; m.r.closed != want {
		t.Errorf("first window closed with %q, want %q", m.r.closed, want)
	}
	m.y.expect(t) // red never left
	m.r.Handle(protocol.Play{Column: 0})
	m.r.expect(t, errorFor(protocol.ErrReplaced))
	m.r.Close() // the old window's connection ends: red keeps its seat
	m.y.expect(t)
	r2.Handle(protocol.Play{Column: 0})
	m.y.expect(t, played(red, 0, 0))
}

func TestAbandoned(t *testing.T) {
	h, clock := newHub()
	m := friends(t, h)
	w := m.watch(t, h)
	v1 := connect(h)
	v1.Handle(protocol.Init{Watch: m.rs.Watch})
	m.play(3)
	w.take()
	v1.take()
	m.r.Close()
	m.y.expect(t, protocol.Presence{Player: red, Grace: grace})
	if n := clock.fire(grace); n != 1 {
		t.Fatalf("%d grace timers fired, want 1", n)
	}
	m.y.expect(t, protocol.Abandoned{Player: red})
	w.expect(t, protocol.Presence{Player: red, Grace: grace}, protocol.Abandoned{Player: red})
	v1.expect(t, errorFor(protocol.ErrAbandoned))
	m.y.Handle(protocol.Play{Column: 3})
	m.y.expect(t, errorFor(protocol.ErrAbandoned))

	// Red may still come back, to see how it ended and for a rematch.
	r2 := connect(h)
	r2.Handle(protocol.Resume{Token: m.rs.Token})
	r2.expect(t, m.rs, snap(3), protocol.Abandoned{Player: red}, protocol.Presence{Player: yellow, Online: true})
}

func TestRematch(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	w := m.watch(t, h)
	m.r.Handle(protocol.Rematch{})
	m.r.expect(t, errorFor(protocol.ErrNotOver))
	w.Handle(protocol.Rematch{})
	w.expect(t, errorFor(protocol.ErrSpectator))

	m.play(0, 1, 0, 1, 0, 1, 0)
	w.take()
	m.y.Handle(protocol.Rematch{})
	m.y.Handle(protocol.Rematch{}) // asking twice is asking once
	offer := protocol.RematchOffer{Player: yellow}
	m.r.expect(t, offer)
	w.expect(t, offer)
	m.r.Handle(protocol.Rematch{})
	// Colours swap: the creator now plays yellow, and the joiner red, first.
	m.r.expect(t, protocol.RematchOffer{Player: red}, protocol.Started{Join: m.rs.Join, Watch: m.rs.Watch, Mode: protocol.Friends, Player: yellow, Token: m.rs.Token})
	m.y.expect(t, offer, protocol.RematchOffer{Player: red}, protocol.Started{Watch: m.rs.Watch, Mode: protocol.Friends, Player: red, Token: m.ys.Token})
	w.expect(t, protocol.RematchOffer{Player: red}, protocol.Started{Watch: m.rs.Watch, Mode: protocol.Friends})

	m.r.Handle(protocol.Play{Column: 3})
	m.r.expect(t, errorFor(connect4.ErrNotYourTurn))
	m.y.Handle(protocol.Play{Column: 3})
	m.r.expect(t, played(red, 3, 0))
	w.expect(t, played(red, 3, 0))
}

func TestHotSeatResumes(t *testing.T) {
	h, clock := newHub()
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.HotSeat, Version: 2})
	start := p.take()[0].(protocol.Started)
	if start.Mode != protocol.HotSeat || start.Token == "" || start.Join != "" || start.Player != connect4.NoPlayer {
		t.Fatalf("hot-seat init = %+v", start)
	}
	p.Handle(protocol.Play{Column: 1})
	p.Handle(protocol.Play{Column: 1})
	p.take()
	p.Close()

	p2 := connect(h)
	p2.Handle(protocol.Resume{Token: start.Token})
	p2.expect(t, start, snap(1, 1))
	p2.Handle(protocol.Rematch{}) // "New game", at any time
	p2.expect(t, start)
	p2.Handle(protocol.Play{Column: 6})
	p2.expect(t, played(red, 6, 0))
	p2.Close()
	clock.fire(grace)
	if got := h.Stats(); got != (session.Stats{}) {
		t.Errorf("Stats() = %+v after the grace time, want zero", got)
	}
}

// Matches end once everyone has left and the grace times have passed, and their
// keys and tokens die with them.
func TestCleanup(t *testing.T) {
	h, clock := newHub()
	m := friends(t, h)
	w := m.watch(t, h)
	m.play(2)
	for _, p := range []player{m.r, m.y, w} {
		p.Close()
	}
	if got := h.Stats(); got != (session.Stats{Matches: 1}) {
		t.Errorf("Stats() = %+v during the grace time, want the match held", got)
	}
	clock.fire(grace)
	if got := h.Stats(); got != (session.Stats{}) {
		t.Errorf("Stats() = %+v after the grace time, want zero", got)
	}
	if n := clock.pending(); n != 0 {
		t.Errorf("%d timers still pending", n)
	}
	p := connect(h)
	for _, cmd := range []protocol.Command{protocol.Init{Join: m.rs.Join}, protocol.Init{Watch: m.rs.Watch}, protocol.Resume{Token: m.ys.Token}} {
		p.Handle(cmd)
	}
	p.expect(t, errorFor(protocol.ErrInvitation), errorFor(protocol.ErrGameNotFound), errorFor(protocol.ErrTokenExpired))
}

func TestIdle(t *testing.T) {
	h, clock := newHub()
	m := friends(t, h)
	w := m.watch(t, h)
	if n := clock.fire(idle); n != 1 {
		t.Fatalf("%d idle timers fired, want 1", n)
	}
	for _, p := range []player{m.r, m.y, w} {
		if want := "This game was closed after 30m0s without a move."; p.closed != want {
			t.Errorf("closed with %q, want %q", p.closed, want)
		}
		p.Close()
	}
	if got := h.Stats(); got != (session.Stats{}) {
		t.Errorf("Stats() = %+v after the idle time, want zero", got)
	}
	if n := clock.pending(); n != 0 {
		t.Errorf("%d timers still pending", n)
	}
}

// Spectators who arrive while the players move each see every move exactly
// once, in order: the replay and the live moves meet without a gap or a
// repeat. Run it with -race.
func TestReplayRace(t *testing.T) {
	h, _ := newHub()
	m := friends(t, h)
	columns := []int{0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 1, 0, 3, 2, 5, 4}
	var want []protocol.Event
	g := connect4.NewGame()
	for _, c := range columns {
		mv, err := g.Play(g.Turn(), c)
		if err != nil {
			t.Fatalf("the test's game: %v", err)
		}
		want = append(want, protocol.Played{Player: mv.Player, Column: mv.Column, Row: mv.Row})
	}

	const spectators = 20
	watchers := make([]player, spectators)
	var wg sync.WaitGroup
	for i := range watchers {
		watchers[i] = connect(h)
	}
	wg.Go(func() {
		for i, c := range columns {
			[]player{m.r, m.y}[i%2].Handle(protocol.Play{Column: c})
			runtime.Gosched()
		}
	})
	for i := range watchers {
		wg.Go(func() {
			for range i { // arrive at different moments
				runtime.Gosched()
			}
			watchers[i].Handle(protocol.Init{Watch: m.rs.Watch})
		})
	}
	wg.Wait()
	for i, w := range watchers {
		if got := w.take(); !slices.Equal(got, want) {
			t.Errorf("spectator %d saw %d events:\n%v\nwant %d:\n%v", i, len(got), got, len(want), want)
		}
	}
}

// Many matches at once, each with its own players and spectators.
func TestConcurrentMatches(t *testing.T) {
	h, _ := newHub()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			m := friends(t, h)
			w := m.watch(t, h)
			a, b := i%7, (i+3)%7
			m.play(a, b, a, b, a, b, a)
			if events := w.take(); len(events) != 8 || events[7] != (protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: a, Row: 0}, {Column: a, Row: 1}, {Column: a, Row: 2}, {Column: a, Row: 3}}}) {
				t.Errorf("match %d: spectator saw %v", i, events)
			}
			for _, p := range []player{m.r, m.y, w} {
				p.Close()
			}
		})
	}
	wg.Wait()
	if got := h.Stats(); got.Clients != 0 {
		t.Errorf("Stats() = %+v, want no clients", got)
	}
}

func ExampleHub() {
	hub := session.NewHub(session.Config{}, discard)
	creator, joiner := &printer{name: "red"}, &printer{name: "yellow"}
	red, yellow := hub.Connect(creator, ""), hub.Connect(joiner, "")
	defer red.Close()
	defer yellow.Close()

	red.Handle(protocol.Init{}) // the tutorial's init: red gets the keys
	yellow.Handle(protocol.Init{Join: creator.join})
	red.Handle(protocol.Play{Column: 3})
	yellow.Handle(protocol.Play{Column: 3})
	// Output:
	// red: init with a join and a watch key
	// red: play red 3 0
	// yellow: play red 3 0
	// red: play yellow 3 1
	// yellow: play yellow 3 1
}

// printer is a session.Conn that prints what it is sent.
type printer struct {
	name string
	join string
}

func (p *printer) Send(e protocol.Event) {
	switch e := e.(type) {
	case protocol.Started:
		p.join = e.Join
		fmt.Printf("%s: init with a join and a watch key\n", p.name)
	case protocol.Played:
		fmt.Printf("%s: play %v %d %d\n", p.name, e.Player, e.Column, e.Row)
	default:
		fmt.Printf("%s: %#v\n", p.name, e)
	}
}

func (p *printer) SendAll(events []protocol.Event) {
	for _, e := range events {
		p.Send(e)
	}
}

func (p *printer) Close(string) {}

// counter is a session.Observer that counts.
type counter struct {
	mu      sync.Mutex
	started map[protocol.Mode]int
	ended   map[string]int
	moves   int
	refused map[string]int
}

func newCounter() *counter {
	return &counter{started: map[protocol.Mode]int{}, ended: map[string]int{}, refused: map[string]int{}}
}

func (c *counter) GameStarted(mode protocol.Mode) { c.mu.Lock(); c.started[mode]++; c.mu.Unlock() }
func (c *counter) GameEnded(_ protocol.Mode, how string) {
	c.mu.Lock()
	c.ended[how]++
	c.mu.Unlock()
}
func (c *counter) MoveAccepted(protocol.Mode) { c.mu.Lock(); c.moves++; c.mu.Unlock() }
func (c *counter) Refused(reason string)      { c.mu.Lock(); c.refused[reason]++; c.mu.Unlock() }

// Every game that starts ends once, and says how.
func TestObserver(t *testing.T) {
	clock, obs := &clock{}, newCounter()
	h := session.NewHub(session.Config{Grace: grace, Idle: idle, AfterFunc: clock.AfterFunc, Now: clock.Now, Observer: obs}, discard)
	m := friends(t, h)
	m.play(0, 1, 0, 1, 0, 1, 0) // red wins
	m.r.Handle(protocol.Play{Column: 2})
	m.r.Handle(protocol.Rematch{})
	m.y.Handle(protocol.Rematch{}) // the second game starts, colours swapped
	m.y.Handle(protocol.Play{Column: 3})
	m.r.Handle(protocol.Play{Column: 3})
	m.r.Close()
	clock.fire(grace) // abandoned: the third game does not start

	hot := connect(h)
	hot.Handle(protocol.Play{Column: 4}) // the tutorial's hot-seat game
	hot.Handle(protocol.Rematch{})       // over before its end
	hot.Close()                          // and so is the next one
	m.y.Close()
	clock.fire(grace)

	want := &counter{
		started: map[protocol.Mode]int{protocol.Friends: 2, protocol.HotSeat: 2},
		ended:   map[string]int{"win": 1, "abandoned": 1, "unfinished": 2},
		moves:   7 + 2 + 1,
		refused: map[string]int{"game_over": 1},
	}
	if fmt.Sprint(obs.started, obs.ended, obs.moves, obs.refused) != fmt.Sprint(want.started, want.ended, want.moves, want.refused) {
		t.Errorf("observed %v %v %d %v\nwant     %v %v %d %v", obs.started, obs.ended, obs.moves, obs.refused, want.started, want.ended, want.moves, want.refused)
	}
	if got := h.Stats(); got != (session.Stats{}) {
		t.Errorf("Stats() = %+v at the end", got)
	}
}

func TestMaxMatches(t *testing.T) {
	h := session.NewHub(session.Config{MaxMatches: 2, AfterFunc: (&clock{}).AfterFunc}, discard)
	a, b, c := connect(h), connect(h), connect(h)
	a.Handle(protocol.Init{})
	b.Handle(protocol.Play{Column: 0})
	c.Handle(protocol.Init{})
	c.Handle(protocol.Play{Column: 0})
	c.expect(t, errorFor(protocol.ErrServerFull), errorFor(protocol.ErrServerFull))
	a.Close() // its seat is held for the grace time: still full
	c.Handle(protocol.Play{Column: 0})
	c.expect(t, errorFor(protocol.ErrServerFull))
	b.Close() // a tutorial hot-seat game ends with its connection
	c.Handle(protocol.Play{Column: 0})
	c.expect(t, played(red, 0, 0))
}

// One address holds at most MaxMatchesPerClient matches, its invitations
// waiting for a friend included, and never keeps another from starting one.
func TestMaxMatchesPerClient(t *testing.T) {
	clock := &clock{}
	h := session.NewHub(session.Config{MaxMatchesPerClient: 2, AfterFunc: clock.AfterFunc, Now: clock.Now}, discard)
	inviter := connectFrom(h, "192.0.2.1")
	inviter.Handle(protocol.Init{})
	link := inviter.take()[0].(protocol.Started).Join
	inviter.Close()
	clock.fire(time.Minute) // the inviter's seat is let go: the invitation waits on
	if got := h.Stats().Matches; got != 0 {
		t.Fatalf("%d matches held here, want the invitation let go", got)
	}
	hotSeat := connectFrom(h, "192.0.2.1")
	hotSeat.Handle(protocol.Init{Mode: protocol.HotSeat})
	hotSeat.take()
	third := connectFrom(h, "192.0.2.1")
	third.Handle(protocol.Init{Mode: protocol.HotSeat})
	third.Handle(protocol.Play{Column: 3}) // the tutorial's way to start one
	third.expect(t, errorFor(protocol.ErrTooManyGames), errorFor(protocol.ErrTooManyGames))

	other := connectFrom(h, "198.51.100.7")
	other.Handle(protocol.Init{Mode: protocol.HotSeat})
	if e := other.take(); len(e) != 1 || e[0].(protocol.Started).Watch == "" {
		t.Fatalf("another address: %v, want a game", e)
	}

	// The hot-seat game ends when its player leaves for good: its place is
	// free.
	hotSeat.Close()
	clock.fire(time.Minute)
	third.Handle(protocol.Init{Mode: protocol.HotSeat})
	if e := third.take(); len(e) != 1 || e[0].(protocol.Started).Watch == "" {
		t.Fatalf("after a game ended: %v, want a game", e)
	}
	// The friend takes the invitation: joining is not starting, and the
	// match counts for the inviter until it ends.
	friend := connectFrom(h, "192.0.2.1")
	friend.Handle(protocol.Init{Join: link, Version: protocol.Version})
	if e := friend.take(); len(e) == 0 || e[0].(protocol.Started).Watch == "" {
		t.Fatalf("joining: %v", e)
	}
	fourth := connectFrom(h, "192.0.2.1")
	fourth.Handle(protocol.Init{Mode: protocol.HotSeat})
	fourth.expect(t, errorFor(protocol.ErrTooManyGames))
}

func TestPing(t *testing.T) {
	h, _ := newHub()
	p := connect(h)
	p.Handle(protocol.Ping{}) // before any game, too
	p.expect(t, protocol.Pong{})
}

// scriptedBot plays the first column of its list that can take a checker, after
// waiting for release, if set.
type scriptedBot struct {
	columns []int
	release chan struct{}
	err     error
}

func (b *scriptedBot) Move(ctx context.Context, g *connect4.Game) (int, error) {
	if b.release != nil {
		select {
		case <-b.release:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	for _, c := range b.columns {
		if g.CanPlay(c) {
			return c, b.err
		}
	}
	return 0, errors.New("no column left")
}

func computerHub(bot session.Bot) *session.Hub {
	return session.NewHub(session.Config{
		AfterFunc: (&clock{}).AfterFunc,
		Computer: func(level string) (session.Bot, error) {
			if level != "perfect" {
				return nil, fmt.Errorf("no level %q", level)
			}
			return bot, nil
		},
	}, discard)
}

// await collects the next n events of p, which arrive from other goroutines.
func await(t *testing.T, p player, n int) []protocol.Event {
	t.Helper()
	var events []protocol.Event
	deadline := time.Now().Add(5 * time.Second)
	for len(events) < n {
		if time.Now().After(deadline) {
			t.Fatalf("got %v, want %d events", events, n)
		}
		events = append(events, p.take()...)
		time.Sleep(time.Millisecond)
	}
	return events
}

func TestComputer(t *testing.T) {
	h := computerHub(&scriptedBot{columns: []int{6, 5}})
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Version: 2})
	start := p.take()[0].(protocol.Started)
	if start.Mode != protocol.Computer || start.Level != "perfect" || start.Player != red || start.Token == "" || start.Join != "" {
		t.Fatalf("init = %+v", start)
	}
	w := connect(h)
	w.Handle(protocol.Init{Watch: start.Watch, Version: 2})
	w.take()
	for i, c := range []int{0, 0, 0} {
		p.Handle(protocol.Play{Column: c})
		want := []protocol.Event{played(red, 0, i), played(yellow, 6, i)}
		if got := await(t, p, 2); !slices.Equal(got, want) {
			t.Fatalf("move %d: %v, want %v", i, got, want)
		}
		if got := await(t, w, 2); !slices.Equal(got, want) {
			t.Fatalf("move %d, spectator: %v, want %v", i, got, want)
		}
	}
	p.Handle(protocol.Play{Column: 0})
	want := []protocol.Event{played(red, 0, 3), protocol.Win{Player: red, Cells: [4]connect4.Cell{{Column: 0, Row: 0}, {Column: 0, Row: 1}, {Column: 0, Row: 2}, {Column: 0, Row: 3}}}}
	if got := await(t, p, 2); !slices.Equal(got, want) {
		t.Fatalf("the win: %v", got)
	}
	// A rematch starts at once, colours swapped: the computer, red now, opens.
	p.Handle(protocol.Rematch{})
	got := await(t, p, 2)
	if s, ok := got[0].(protocol.Started); !ok || s.Player != yellow || got[1] != played(red, 6, 0) {
		t.Fatalf("rematch: %v", got)
	}
}

func TestComputerPlaysFirst(t *testing.T) {
	h := computerHub(&scriptedBot{columns: []int{3}})
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow, Version: 2})
	got := await(t, p, 2)
	if s := got[0].(protocol.Started); s.Player != yellow || got[1] != played(red, 3, 0) {
		t.Fatalf("got %v", got)
	}
}

// While the computer thinks, its opponent waits its turn, and every other game
// goes on: the computer holds no lock and no connection.
func TestComputerBlocksNoOne(t *testing.T) {
	bot := &scriptedBot{columns: []int{6}, release: make(chan struct{})}
	h := computerHub(bot)
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Version: 2})
	start := p.take()[0].(protocol.Started)
	p.Handle(protocol.Play{Column: 0})
	p.expect(t, played(red, 0, 0))
	p.Handle(protocol.Play{Column: 1}) // the computer is thinking
	p.expect(t, errorFor(connect4.ErrNotYourTurn))

	w := connect(h) // the match itself still answers
	w.Handle(protocol.Init{Watch: start.Watch, Version: 2})
	if got := w.take(); len(got) != 2 {
		t.Errorf("spectator joining during the computer's turn got %v", got)
	}
	other := connect(h) // and so does another game, to its end
	for _, c := range []int{0, 1, 0, 1, 0, 1, 0} {
		other.Handle(protocol.Play{Column: c})
	}
	if got := other.take(); len(got) != 8 {
		t.Errorf("another game got %d events while the computer thought, want 8", len(got))
	}
	close(bot.release)
	if got := await(t, p, 1); got[0] != played(yellow, 6, 0) {
		t.Errorf("the computer's move: %v", got)
	}
}

// A computer move chosen for a game that has since started over is dropped.
func TestComputerStaleMove(t *testing.T) {
	bot := &scriptedBot{columns: []int{6}, release: make(chan struct{}, 2)}
	h := computerHub(bot)
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Version: 2})
	p.take()
	p.Handle(protocol.Play{Column: 0})
	p.Handle(protocol.Rematch{}) // the human is yellow now: the computer opens
	// The think for the old game, dropped before or after it thinks, and
	// the opening of the new game.
	bot.release <- struct{}{}
	bot.release <- struct{}{}
	got := await(t, p, 3)
	if got[0] != played(red, 0, 0) || got[2] != played(red, 6, 0) {
		t.Fatalf("got %v", got)
	}
	time.Sleep(20 * time.Millisecond)
	if extra := p.take(); len(extra) != 0 {
		t.Errorf("the stale move was played: %v", extra)
	}
}

// Resumes and rematches spammed at a game against the computer start one
// think at a time, never more, and the thinks of a game gone by are dropped.
func TestComputerThinksOnceAtATime(t *testing.T) {
	bot := &countingBot{release: make(chan struct{})}
	h := computerHub(bot)
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow, Version: 2})
	start := p.take()[0].(protocol.Started)
	for range 10 {
		p.Handle(protocol.Rematch{})
		again := connect(h)
		again.Handle(protocol.Resume{Token: start.Token})
		p = again
	}
	// One think at a time, whatever came meanwhile.
	for bot.calls.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	close(bot.release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		events := p.take()
		if slices.ContainsFunc(events, func(e protocol.Event) bool { _, ok := e.(protocol.Played); return ok }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no computer move in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	if n := bot.most.Load(); n != 1 {
		t.Errorf("%d thinks at once for one game, want 1", n)
	}
	if n := bot.calls.Load(); n > 2 {
		t.Errorf("%d thinks for one move after 10 rematches and 10 resumes, want at most 2", n)
	}
}

// One address spamming resumes and rematches on ten games against the
// computer, whose thinks never end, holds one thinker at most: another
// player's computer move is chosen at once, not after theirs. The spammer's
// thinks past its share of the queue wait for a later try, and none is lost.
func TestComputerSpamDelaysNoOneElse(t *testing.T) {
	stuck := &countingBot{release: make(chan struct{})}
	clock := &clock{}
	h := twoLevels(clock, 2, stuck, &scriptedBot{columns: []int{3}})
	var spam []player
	for range 10 {
		p := connectFrom(h, "203.0.113.66")
		p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow, Version: 2})
		spam = append(spam, p)
	}
	for range 10 {
		for i, p := range spam {
			start := p.take()[0].(protocol.Started)
			p.Handle(protocol.Rematch{})
			again := connectFrom(h, "203.0.113.66")
			again.Handle(protocol.Resume{Token: start.Token})
			spam[i] = again
		}
	}
	for stuck.calls.Load() < 1 {
		time.Sleep(time.Millisecond)
	}

	if got := easyOpening(t, h); got != played(red, 3, 0) {
		t.Fatalf("another player's computer move: %v", got)
	}
	if n := stuck.most.Load(); n != 1 {
		t.Errorf("%d thinks at once for one address, want 1", n)
	}

	// Once the spammer's thinks end, every one of its games gets its move,
	// those that waited for a later try included.
	close(stuck.release)
	for i, p := range spam {
		deadline := time.Now().Add(5 * time.Second)
		for !slices.ContainsFunc(p.take(), func(e protocol.Event) bool { _, ok := e.(protocol.Played); return ok }) {
			if time.Now().After(deadline) {
				t.Fatalf("game %d of the spammer got no computer move", i)
			}
			clock.fire(time.Second) // the tries again
			time.Sleep(time.Millisecond)
		}
	}
}

// twoLevels returns a hub of thinkers thinkers on clock, whose computer
// plays perfect, a level thinking for up to a minute, and easy.
func twoLevels(clock *clock, thinkers int, perfect, easy session.Bot) *session.Hub {
	return session.NewHub(session.Config{
		AfterFunc: clock.AfterFunc, Now: clock.Now, Thinkers: thinkers, ThinkTime: time.Minute,
		Computer: func(level string) (session.Bot, error) {
			if level == "perfect" {
				return perfect, nil
			}
			return easy, nil
		},
	}, discard)
}

// easyOpening starts a game against the computer's easy level from another
// address, the computer opening, and returns its opening move.
func easyOpening(t *testing.T, h *session.Hub) protocol.Event {
	t.Helper()
	p := connectFrom(h, "198.51.100.7")
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "easy", Player: yellow, Version: 2})
	return await(t, p, 2)[1]
}

// downStore is a Store whose appends fail, as while Redis is away.
type downStore struct {
	session.Store
	appends atomic.Int32
}

func (s *downStore) Append(context.Context, string, int, ...session.Record) error {
	s.appends.Add(1)
	return errors.New("redis: connection refused")
}

// While the Store refuses, the computer's move is tried again a second
// later, not at once and again: a book move, which takes no thinker, does
// not spin.
func TestComputerTriesAgainLater(t *testing.T) {
	clock := &clock{}
	cfg := session.Config{AfterFunc: clock.AfterFunc, Now: clock.Now}
	store := &downStore{Store: session.NewMemStore(cfg.Lifetimes())}
	cfg.Store = store
	cfg.Computer = func(string) (session.Bot, error) { return &quickBot{}, nil }
	h := session.NewHub(cfg, discard)
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "book", Player: yellow, Version: 2})
	deadline := time.Now().Add(5 * time.Second)
	for store.appends.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the clock stands still: no retry is due
	if n := store.appends.Load(); n != 1 {
		t.Fatalf("the move was tried %d times before its retry was due, want 1", n)
	}
	clock.fire(time.Second)
	for store.appends.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := store.appends.Load(); n != 2 {
		t.Errorf("%d tries once the retry was due, want 2", n)
	}
}

// quickBot plays its book at once and thinks of nothing else.
type quickBot struct{ countingBot }

func (b *quickBot) QuickMove(g *connect4.Game) (int, bool) { return 2, g.Len() == 0 }

// A move from the book does not wait for a thinker.
func TestComputerQuickMove(t *testing.T) {
	busy := &countingBot{release: make(chan struct{})}
	defer close(busy.release)
	book := &quickBot{}
	h := twoLevels(&clock{}, 1, busy, book)
	thinking := connectFrom(h, "203.0.113.66")
	thinking.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow, Version: 2})
	for busy.calls.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	if got := easyOpening(t, h); got != played(red, 2, 0) {
		t.Fatalf("the book's move, the only thinker busy: %v", got)
	}
	if n := book.calls.Load(); n != 0 {
		t.Errorf("the book thought %d times", n)
	}
}

// countingBot counts its thinks, at once and in all, and waits for release.
type countingBot struct {
	release    chan struct{}
	calls, now atomic.Int32
	most       atomic.Int32
}

func (b *countingBot) Move(ctx context.Context, g *connect4.Game) (int, error) {
	b.calls.Add(1)
	n := b.now.Add(1)
	defer b.now.Add(-1)
	for {
		m := b.most.Load()
		if n <= m || b.most.CompareAndSwap(m, n) {
			break
		}
	}
	select {
	case <-b.release:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return firstFree(g), nil
}

// firstFree returns the first column that can take a checker.
func firstFree(g *connect4.Game) int {
	for c := range connect4.Columns {
		if g.CanPlay(c) {
			return c
		}
	}
	return 0
}

func TestComputerLevels(t *testing.T) {
	h := computerHub(&scriptedBot{columns: []int{3}, err: errors.New("lost its mind")})
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "godlike", Version: 2})
	p.expect(t, errorFor(protocol.ErrBadLevel))
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Player: yellow, Version: 2})
	// A bot that fails still moves: the column nearest the centre.
	if got := await(t, p, 2); got[1] != played(red, 3, 0) {
		t.Errorf("got %v", got)
	}
}

// A player takes back their move against the computer, its reply with it,
// and plays another; a spectator follows; a tutorial spectator is let go.
func TestTakeBackAgainstTheComputer(t *testing.T) {
	h := computerHub(&scriptedBot{columns: []int{6, 5}})
	p := connect(h)
	p.Handle(protocol.Init{Mode: protocol.Computer, Level: "perfect", Version: protocol.Version})
	start := p.take()[0].(protocol.Started)
	w, old := connect(h), connect(h)
	w.Handle(protocol.Init{Watch: start.Watch, Version: protocol.Version})
	old.Handle(protocol.Init{Watch: start.Watch})
	w.take()
	old.take()
	p.Handle(protocol.Play{Column: 0})
	await(t, p, 2)
	await(t, w, 2)
	p.Handle(protocol.TakeBack{})
	p.expect(t, snap())
	w.expect(t, snap())
	if old.closed != protocol.CloseTakenBack.Reason() {
		t.Errorf("the tutorial's spectator: closed %q", old.closed)
	}
	p.Handle(protocol.Play{Column: 1})
	if got := await(t, p, 2); got[0] != played(red, 1, 0) || got[1] != played(yellow, 6, 0) {
		t.Errorf("after the take-back: %v", got)
	}
	// The tutorial's clients know no take-back.
	tut := connect(h)
	tut.Handle(protocol.Play{Column: 3})
	tut.Handle(protocol.TakeBack{})
	tut.expect(t, played(red, 3, 0), errorFor(protocol.ErrUnknownType))
}
