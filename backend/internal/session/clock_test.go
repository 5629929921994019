package session

import (
	"reflect"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// blitz is the time control of the tests: 3 minutes, 2 seconds a move.
var blitz = protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}

// timedAfter returns a timed game between friends, joined at now, after
// records.
func timedAfter(recs ...Record) state {
	st := newState(Header{ID: "w", Mode: protocol.Friends, Join: "j", Token: "t0", Conn: "s/c0", Clock: blitz})
	st.apply(Record{Op: Joined, Token: "t1", Conn: "s/c1", At: now})
	for _, r := range recs {
		st.apply(r)
	}
	return st
}

// at returns now plus d.
func at(d time.Duration) time.Time { return now.Add(d) }

// TestClock checks the clocks through a game: each move charges its player
// for the turn and adds the increment; the clock runs while a player is
// away; the move at the last millisecond counts, one at the flag does not.
func TestClock(t *testing.T) {
	st := newState(Header{ID: "w", Mode: protocol.Friends, Token: "t0", Conn: "s/c0", Clock: blitz})
	if got := st.clockEvent(now); got != (protocol.Clock{Red: 3 * time.Minute, Yellow: 3 * time.Minute}) {
		t.Errorf("before the friend joins: %+v", got)
	}
	if _, ok := st.flagAt(); ok {
		t.Error("a clock runs before the friend joins")
	}
	fx := st.apply(Record{Op: Joined, Token: "t1", Conn: "s/c1", At: now})
	want := []effect{presence(connect4.Yellow, true),
		{op: tell, event: protocol.Clock{Red: 3 * time.Minute, Yellow: 3 * time.Minute, Running: connect4.Red}}, {op: clockSet}}
	if !reflect.DeepEqual(fx, want) {
		t.Errorf("joined: %+v", fx)
	}
	if flag, _ := st.flagAt(); !flag.Equal(at(3 * time.Minute)) {
		t.Errorf("red's flag falls at %v", flag)
	}
	recs, err := st.decidePlay(0, 3, at(10*time.Second))
	if err != nil || !reflect.DeepEqual(recs, []Record{{Op: Moved, Column: 3, At: at(10 * time.Second)}}) {
		t.Fatalf("red's move: %v, %v", recs, err)
	}
	fx = st.apply(recs[0])
	if got := clockOf(fx); got != (protocol.Clock{Red: 172 * time.Second, Yellow: 3 * time.Minute, Running: connect4.Yellow}) {
		t.Errorf("after red's move: %+v", got)
	}
	// Yellow goes away and comes back: the clock runs on.
	st.apply(Record{Op: Left, Seat: 1, At: at(time.Hour)})
	st.apply(Record{Op: Held, Seat: 1, Conn: "s/c9"})
	if got := st.remaining(1, at(70*time.Second)); got != 2*time.Minute {
		t.Errorf("yellow's time after a minute away: %v", got)
	}
	// The last millisecond counts; the flag's does not.
	flag, _ := st.flagAt()
	if !flag.Equal(at(190 * time.Second)) {
		t.Fatalf("yellow's flag at %v", flag)
	}
	last := st
	if recs, _ := last.decidePlay(1, 4, flag.Add(-time.Millisecond)); len(recs) != 1 || recs[0].Op != Moved {
		t.Errorf("a move at the last millisecond: %v", recs)
	}
	if recs := st.decideFlag(flag.Add(-time.Millisecond)); recs != nil {
		t.Errorf("the flag fell early: %v", recs)
	}
	recs, err = st.decidePlay(1, 4, flag)
	if err != nil || !reflect.DeepEqual(recs, []Record{{Op: TimedOut, Seat: 1, At: flag}}) {
		t.Fatalf("a move at the flag: %v, %v", recs, err)
	}
	if got := st.decideFlag(flag); !reflect.DeepEqual(got, recs) {
		t.Errorf("the timer at the flag: %v", got)
	}
	fx = st.apply(recs[0])
	want = []effect{{op: tell, event: protocol.Timeout{Player: connect4.Yellow}},
		{op: tell, event: protocol.Clock{Red: 172 * time.Second}}, {op: clockSet}, {op: gameEnded, how: "time"}}
	if !reflect.DeepEqual(fx, want) {
		t.Errorf("timed out: %+v", fx)
	}
	if !st.over() || st.timeout != connect4.Yellow {
		t.Error("the game goes on after the flag")
	}
	if _, err := st.decidePlay(1, 4, flag); err != connect4.ErrGameOver {
		t.Errorf("a move after the flag: %v", err)
	}
	if recs := st.decideFlag(flag.Add(time.Hour)); recs != nil {
		t.Errorf("a second flag: %v", recs)
	}

	// A rematch starts both clocks afresh, colours swapped: yellow, now
	// red, moves first.
	for i := range 2 {
		recs, _ := st.decideRematch(i, at(time.Hour))
		for _, r := range recs {
			st.apply(r)
		}
	}
	if got := st.clockEvent(at(time.Hour)); got != (protocol.Clock{Red: 3 * time.Minute, Yellow: 3 * time.Minute, Running: connect4.Red}) || st.mover() != 1 {
		t.Errorf("after the rematch: %+v, seat %d to move", got, st.mover())
	}
}

// TestClockFromRecords checks that a state rebuilt from its records, as after
// a restart, has the same clocks, and that untimed games keep no times.
func TestClockFromRecords(t *testing.T) {
	recs := []Record{
		{Op: Moved, Column: 3, At: at(5 * time.Second)},
		{Op: Left, Seat: 0, At: at(time.Hour)},
		{Op: Moved, Column: 4, At: at(40 * time.Second)},
	}
	a, b := timedAfter(recs...), timedAfter(recs...)
	fa, _ := a.flagAt()
	fb, _ := b.flagAt()
	if !fa.Equal(fb) || a.clock != b.clock || !fa.Equal(at(40*time.Second+177*time.Second)) {
		t.Errorf("flags %v and %v, clocks %+v and %+v", fa, fb, a.clock, b.clock)
	}
	untimed := friendsAfter()
	if recs, _ := untimed.decidePlay(0, 3, now); recs[0].At != (time.Time{}) {
		t.Errorf("an untimed move keeps its time: %v", recs[0])
	}
	if fx := untimed.apply(Record{Op: Moved, Column: 3}); fx[len(fx)-1].op == clockSet {
		t.Error("an untimed move sets a clock")
	}
}

// TestQuickClock checks that a timed quick match starts its clocks at the
// pairing.
func TestQuickClock(t *testing.T) {
	st := newState(Header{ID: "w", Mode: protocol.Quick, Join: "j", Token: "t0", Conn: "s/c0", Clock: blitz})
	recs, _ := st.decideJoin("s/c1", "t1", now, until, true)
	for _, r := range recs {
		st.apply(r)
	}
	if flag, ok := st.flagAt(); !ok || !flag.Equal(at(3*time.Minute)) || st.mover() != 1 {
		t.Errorf("flag %v, %v; seat %d to move", flag, ok, st.mover())
	}
}

// clockOf returns the Clock event among fx.
func clockOf(fx []effect) protocol.Event {
	for _, e := range fx {
		if c, ok := e.event.(protocol.Clock); ok {
			return c
		}
	}
	return nil
}

func presence(p connect4.Player, online bool) effect {
	return effect{op: tell, event: protocol.Presence{Player: p, Online: online}}
}
