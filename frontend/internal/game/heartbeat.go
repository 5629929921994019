package game

import (
	"time"

	"github.com/connect4go/connect4/shared/protocol"
)

// Heartbeat says how the page checks that its connection to the server still
// works. A browser cannot see the WebSocket's own pings, and a connection can
// die without a word, as when a phone sleeps or changes networks: the page
// sends a [protocol.Ping] now and then, and presumes the connection dead when
// nothing at all comes back in time. Any message counts as a sign of life,
// not only the [protocol.Pong].
//
// A field left zero takes its value from [DefaultHeartbeat].
type Heartbeat struct {
	// Every is the time between two pings on an open connection. The first
	// goes Every after the connection's first message, never before it: the
	// server expects an init or a resume first.
	Every time.Duration
	// Wait is how long the page waits for a message after a ping before it
	// presumes the connection dead, closes it and connects again.
	Wait time.Duration
	// Wake is the shorter wait of the ping that goes at once when the page
	// may have slept: its tab became visible again, or the browser came back
	// online (see [State.Woke]).
	Wake time.Duration
}

// DefaultHeartbeat is the page's heartbeat: a ping every 20 seconds, 10
// seconds to answer it, 5 seconds on waking up.
var DefaultHeartbeat = Heartbeat{Every: 20 * time.Second, Wait: 10 * time.Second, Wake: 5 * time.Second}

// orDefault returns h with its zero fields taken from DefaultHeartbeat.
func (h Heartbeat) orDefault() Heartbeat {
	d := DefaultHeartbeat
	if h.Every > 0 {
		d.Every = h.Every
	}
	if h.Wait > 0 {
		d.Wait = h.Wait
	}
	if h.Wake > 0 {
		d.Wake = h.Wake
	}
	return d
}

// beat is the heartbeat of the open connection. The zero value is off: no
// connection, or one whose first message has not gone yet.
type beat struct {
	on   bool          // the first message went: pings may follow
	next time.Time     // when the next ping is due
	wait time.Duration // how long the next ping waits for an answer
	// deadline is when the connection is presumed dead, while a ping waits
	// for an answer; zero otherwise.
	deadline time.Time
}

// Ping returns the [protocol.Ping] to send now, if one is due: [Heartbeat]
// Every after the previous one, or at once after [State.Woke]. It returns
// false while no connection is open, before its first message has gone and
// between pings. The caller calls it after [State.Tick], and again when
// [State.NextBeat] says.
func (s *State) Ping() (protocol.Command, bool) {
	b := &s.beat
	if !b.on || s.now.Before(b.next) {
		return nil, false
	}
	h := s.heartbeat.orDefault()
	wait := b.wait
	if wait <= 0 {
		wait = h.Wait
	}
	// A ping that goes while another waits keeps the earlier deadline.
	if at := s.now.Add(wait); b.deadline.IsZero() || at.Before(b.deadline) {
		b.deadline = at
	}
	b.next, b.wait = s.now.Add(h.Every), h.Wait
	return protocol.Ping{}, true
}

// Silent reports whether the connection stayed silent past the wait of a
// ping: the page then presumes it dead and shows it lost, and the caller is to
// close it and connect again at once, which takes the seat back as after a
// drop. Call it after [State.Tick], before [State.Ping].
func (s *State) Silent() bool {
	b := s.beat
	if !b.on || b.deadline.IsZero() || s.now.Before(b.deadline) {
		return false
	}
	s.Lost(0)
	return true
}

// Heard records a sign of life from the server: any message, even one the
// page cannot read. [State.Apply] calls it for every event.
func (s *State) Heard() {
	s.beat.deadline = time.Time{}
}

// Woke records that the page may have slept, and its connection died
// meanwhile: its tab became visible again, or the browser came back online. On
// an open connection a ping is due at once (unless one already waits for its
// answer), with the shorter wait of [Heartbeat] Wake. Woke reports whether to
// connect again now rather than at the end of the wait after a drop: the
// connection is lost and the page wants one.
func (s *State) Woke() (redial bool) {
	b := &s.beat
	wake := s.heartbeat.orDefault().Wake
	switch {
	case b.on && b.deadline.IsZero():
		b.next, b.wait = s.now, wake
	case b.on:
		if at := s.now.Add(wake); at.Before(b.deadline) {
			b.deadline = at
		}
	case s.link == lost:
		_, want := s.Dial()
		return want
	}
	return false
}

// NextBeat returns how long until the heartbeat needs the caller: a ping due,
// or the end of the wait for an answer. It returns false while no connection
// is open.
func (s *State) NextBeat() (time.Duration, bool) {
	b := s.beat
	if !b.on {
		return 0, false
	}
	at := b.next
	if !b.deadline.IsZero() && b.deadline.Before(at) {
		at = b.deadline
	}
	return max(at.Sub(s.now), time.Nanosecond), true
}
