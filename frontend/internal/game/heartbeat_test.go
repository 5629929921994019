package game

import (
	"fmt"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestHeartbeat walks the heartbeat of a connection through time: the steps
// happen in order, each at its time after t0, with the default heartbeat (a
// ping every 20 s, 10 s to answer, 5 s on waking).
func TestHeartbeat(t *testing.T) {
	type step struct {
		at time.Duration // since t0
		// do is what happens at that time: "connecting", "open", "heard"
		// (a message), "pong", "woke", "lost", "closed" (for good), or ""
		// when time alone passes.
		do     string
		redial bool          // for "woke": Woke reports to connect again now
		silent bool          // Silent presumes the connection dead
		ping   bool          // Ping sends a ping
		next   time.Duration // NextBeat afterwards; 0 for none
	}
	s := time.Second
	tests := []struct {
		name  string
		start bool // false: the page stays on the start screen
		steps []step
	}{
		{
			name: "no ping before the first message, then every 20 s", start: true,
			steps: []step{
				{at: 0, do: "connecting"},
				{at: 30 * s}, // a slow connection: still opening
				{at: 31 * s, do: "open", next: 20 * s},
				{at: 50 * s, next: s},
				{at: 51 * s, ping: true, next: 10 * s},
				{at: 52 * s, do: "pong", next: 19 * s},
				{at: 71 * s, ping: true, next: 10 * s},
				{at: 75 * s, do: "heard", next: 16 * s},
				{at: 91 * s, ping: true, next: 10 * s},
				{at: 92 * s, do: "heard", next: 19 * s},
			},
		},
		{
			name: "silence after a ping: dead", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 20 * s, ping: true, next: 10 * s},
				{at: 29 * s, next: s},
				{at: 30 * s, silent: true},
				{at: 31 * s}, // lost: nothing more until the next connection
				{at: 32 * s, do: "connecting"},
				{at: 33 * s, do: "open", next: 20 * s},
			},
		},
		{
			name: "waking late in a ping's wait does not extend it", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 20 * s, ping: true, next: 10 * s},
				{at: 28 * s, do: "woke", next: 2 * s},
				{at: 30 * s, silent: true},
			},
		},
		{
			name: "waking: a ping at once, answered within 5 s", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 7 * s, do: "woke", ping: true, next: 5 * s},
				{at: 8 * s, do: "pong", next: 19 * s},
				{at: 27 * s, ping: true, next: 10 * s}, // back to the usual wait
				{at: 36 * s, next: s},
				{at: 37 * s, do: "heard", next: 10 * s},
			},
		},
		{
			name: "waking: no answer within 5 s", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 7 * s, do: "woke", ping: true, next: 5 * s},
				{at: 12 * s, silent: true},
			},
		},
		{
			name: "waking while a ping waits: no second ping, less time", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 20 * s, ping: true, next: 10 * s},
				{at: 22 * s, do: "woke", next: 5 * s},
				{at: 27 * s, silent: true},
			},
		},
		{
			name: "waking while lost: connect again now", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 5 * s, do: "lost"},
				{at: 6 * s, do: "woke", redial: true},
				{at: 7 * s, do: "connecting"},
				{at: 8 * s, do: "woke"}, // already on its way
			},
		},
		{
			name: "closed for good: no pings, no waking", start: true,
			steps: []step{
				{at: 0, do: "open", next: 20 * s},
				{at: 5 * s, do: "closed"},
				{at: 25 * s},
				{at: 26 * s, do: "woke"},
			},
		},
		{
			name: "start screen: nothing to check",
			steps: []step{
				{at: 0, do: "open"},
				{at: 20 * s},
				{at: 21 * s, do: "woke"},
			},
		},
	}
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := New(Page{Base: base})
			if tt.start {
				st.Start(protocol.HotSeat)
			}
			for _, step := range tt.steps {
				st.Tick(t0.Add(step.at))
				where := fmt.Sprintf("at %v (%s)", step.at, step.do)
				redial := false
				switch step.do {
				case "connecting":
					st.Connecting()
				case "open":
					st.Opened()
				case "heard":
					st.Apply(protocol.Presence{Player: connect4.Red, Online: true})
				case "pong":
					st.Apply(protocol.Pong{})
				case "woke":
					redial = st.Woke()
				case "lost":
					st.Lost(time.Second)
				case "closed":
					st.Closed(1000, "")
				}
				if redial != step.redial {
					t.Errorf("%s: Woke() = %v, want %v", where, redial, step.redial)
				}
				if got := st.Silent(); got != step.silent {
					t.Errorf("%s: Silent() = %v, want %v", where, got, step.silent)
				}
				cmd, ping := st.Ping()
				if ping != step.ping || (ping && cmd != protocol.Ping{}) {
					t.Errorf("%s: Ping() = %#v, %v; want a ping: %v", where, cmd, ping, step.ping)
				}
				if next, _ := st.NextBeat(); next != step.next {
					t.Errorf("%s: NextBeat() = %v, want %v", where, next, step.next)
				}
			}
		})
	}
}

// TestSilentShowsReconnecting checks what the page shows once it presumes its
// connection dead, and that it then wants the same seat back.
func TestSilentShowsReconnecting(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := New(Page{Base: base})
	s.Start(protocol.HotSeat)
	s.Tick(t0)
	s.Connecting()
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	for _, e := range plays(t, 3) {
		s.Apply(e)
	}
	n, _ := s.Dial()
	s.Tick(t0.Add(20 * time.Second))
	if _, ok := s.Ping(); !ok {
		t.Fatal("no ping after 20 s")
	}
	s.Tick(t0.Add(30 * time.Second))
	if !s.Silent() {
		t.Fatal("not silent 10 s after an unanswered ping")
	}
	v := s.View()
	if v.Connection != "Connection lost. Reconnecting…" || v.Playable || v.Cells[3][0].Checker != connect4.Red {
		t.Errorf("connection %q, playable %v, board\n%v", v.Connection, v.Playable, v)
	}
	if m, want := s.Dial(); m != n || !want {
		t.Errorf("Dial() = %d, %v; want the same plan %d: the caller replaces the connection", m, want, n)
	}
	s.Connecting()
	if v := s.View(); v.Connection != "Reconnecting…" {
		t.Errorf("connection %q", v.Connection)
	}
	if got := encode(t, s.Opened()); got != `{"type":"resume","token":"tok","version":4}` {
		t.Errorf("Opened() = %s", got)
	}
}

// TestHeartbeatSettings checks that a page's own heartbeat replaces the
// default, field by field.
func TestHeartbeatSettings(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := New(Page{Base: base, Heartbeat: Heartbeat{Every: 200 * time.Millisecond}})
	s.Start(protocol.HotSeat)
	s.Tick(t0)
	s.Opened()
	if next, _ := s.NextBeat(); next != 200*time.Millisecond {
		t.Errorf("first ping in %v, want 200ms", next)
	}
	s.Tick(t0.Add(200 * time.Millisecond))
	s.Ping()
	if next, _ := s.NextBeat(); next != 200*time.Millisecond {
		t.Errorf("after a ping: NextBeat() = %v, want the next ping in 200ms, before the 10 s wait", next)
	}
	if got := (Heartbeat{}).orDefault(); got != DefaultHeartbeat {
		t.Errorf("the zero Heartbeat means %+v, want %+v", got, DefaultHeartbeat)
	}
}

// TestPingKeepsDeadline checks that pings more frequent than their wait do not
// put off the deadline of the first one unanswered.
func TestPingKeepsDeadline(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := New(Page{Base: base, Heartbeat: Heartbeat{Every: 4 * time.Second, Wait: 10 * time.Second}})
	s.Start(protocol.HotSeat)
	s.Tick(t0)
	s.Opened()
	for _, at := range []time.Duration{4, 8, 12} {
		s.Tick(t0.Add(at * time.Second))
		if s.Silent() {
			t.Fatalf("silent at %d s", at)
		}
		if _, ok := s.Ping(); !ok {
			t.Fatalf("no ping at %d s", at)
		}
	}
	if next, _ := s.NextBeat(); next != 2*time.Second {
		t.Errorf("at 12 s: NextBeat() = %v, want 2s: the first ping's deadline", next)
	}
	s.Tick(t0.Add(14 * time.Second))
	if !s.Silent() {
		t.Error("not silent 10 s after the first unanswered ping")
	}
}

// TestPongDuringReplay checks that a pong does not end the hold of the old
// board while the server replays the moves.
func TestPongDuringReplay(t *testing.T) {
	s := opened(plays(t, 3, 4))
	s.Lost(time.Second)
	s.Connecting()
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	s.Apply(protocol.Pong{})
	if s.held == nil {
		t.Error("a pong ended the replay")
	}
}
