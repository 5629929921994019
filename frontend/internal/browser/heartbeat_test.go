//go:build js && wasm

package browser

import (
	"fmt"
	"testing"
	"time"

	"github.com/connect4go/connect4/frontend/internal/game"
)

// quickBeat makes the heartbeat quick enough for the tests.
func quickBeat(every, wait, wake time.Duration) func(*config) {
	return func(c *config) {
		c.heartbeat = game.Heartbeat{Every: every, Wait: wait, Wake: wake}
	}
}

// TestHeartbeat checks that the page pings the server on an open connection,
// and replaces one that stays silent after a ping.
func TestHeartbeat(t *testing.T) {
	const every = 150 * time.Millisecond
	h := startWith(t, "", "", quickBeat(every, 500*time.Millisecond, 0))
	h.click(h.query("button.play-here"))

	// Nothing goes before the first message: a connection slow to open
	// sends its init first.
	c := h.conn()
	time.Sleep(2 * every)
	opened := time.Now()
	c.report(socketEvent{kind: socketOpened})
	c.expectSent(t, `{"type":"init","mode":"hotseat","version":4}`)
	c.receive(startedHotSeat)

	// A ping after the interval; any message answers it.
	c.expectSent(t, `{"type":"ping"}`)
	if d := time.Since(opened); d < every {
		t.Errorf("the first ping went %v after the connection opened, want %v", d, every)
	}
	c.receive(`{"type":"pong"}`)
	c.expectSent(t, `{"type":"ping"}`)
	c.receive(`{"type":"play","player":"red","column":3,"row":0}`)
	c.expectSent(t, `{"type":"ping"}`)
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell red last")
	h.waitStatus("Yellow to play", "status turn yellow")

	// Silence after a ping: the page closes the connection and takes the
	// seat back on a new one, the board still shown.
	c.expectClosed(t)
	next := h.open(`{"type":"resume","token":"tok","version":4}`)
	if got := h.attr(h.cell(3, 0), "class"); got != "cell red last" {
		t.Errorf("cell (3, 0) has class %q while reconnecting", got)
	}
	next.receive(startedHotSeat, `{"type":"play","player":"red","column":3,"row":0}`)
	h.waitShown(".connection", false)
	h.waitStatus("Yellow to play", "status turn yellow")

	// The old connection's late words change nothing.
	c.receive(`{"type":"pong"}`)
	next.expectSent(t, `{"type":"ping"}`)
}

// TestHeartbeatWake checks that the page pings at once when its tab shows
// again or the browser comes back online, and gives the answer less time.
func TestHeartbeatWake(t *testing.T) {
	h := startWith(t, "", "", quickBeat(time.Hour, time.Hour, 200*time.Millisecond))
	c := h.hotSeat()
	c.expectNothing(t)

	h.dispatch(global(t, "window"), "Event", "online", nil)
	c.expectSent(t, `{"type":"ping"}`)
	c.receive(`{"type":"pong"}`)

	// Headless Chromium's tab is visible.
	if got := str(t, get(t, global(t, "document"), "visibilityState")); got != "visible" {
		t.Fatalf("visibilityState %q", got)
	}
	h.dispatch(global(t, "document"), "Event", "visibilitychange", nil)
	c.expectSent(t, `{"type":"ping"}`)
	// Silence: replaced after the short wait, not the hour.
	c.expectClosed(t)
	c = h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(startedHotSeat)
	h.waitStatus("Red to play", "status turn red")
}

// TestWakeRedials checks that a page waiting to reconnect tries at once when
// the browser comes back online.
func TestWakeRedials(t *testing.T) {
	h := startWith(t, "", "", func(c *config) { c.minRetry, c.maxRetry = time.Hour, time.Hour })
	c := h.hotSeat()
	c.drop(1006, "")
	// The wait is the hour less up to a quarter of jitter.
	h.waitFor("connection", func() string {
		var n int
		text := h.text(h.query(".connection"))
		if _, err := fmt.Sscanf(text, "Connection lost. Reconnecting in %d s…", &n); err != nil || n < 2700 || n > 3600 {
			return text
		}
		return "the hour, less a quarter at most"
	}, "the hour, less a quarter at most")
	h.noConn(50 * time.Millisecond)
	h.dispatch(global(t, "window"), "Event", "online", nil)
	h.open(`{"type":"resume","token":"tok","version":4}`)
}

// withMeta adds <meta name="connect4-server" content=content> to the test
// document's head until the test ends.
func withMeta(t *testing.T, content string) {
	t.Helper()
	doc := global(t, "document")
	meta := call(t, doc, "createElement", "meta")
	call(t, meta, "setAttribute", "name", game.ServerMeta)
	call(t, meta, "setAttribute", "content", content)
	call(t, get(t, doc, "head"), "append", meta)
	t.Cleanup(func() { call(t, meta, "remove") })
}

// TestServerMeta checks that the page's meta tag chooses the server it
// connects to, while the links it shares stay on the page's own site.
func TestServerMeta(t *testing.T) {
	tests := []struct {
		name, meta, want string
	}{
		{"no tag", "", "ws://c4.test/"},
		{"another server", "wss://game.example.com/", "wss://game.example.com/"},
		{"with a path and spaces", "  ws://127.0.0.1:8126/connect4  ", "ws://127.0.0.1:8126/connect4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.meta != "" {
				withMeta(t, tt.meta)
			}
			h := start(t, "", "")
			h.click(h.query("button.invite"))
			c := h.open(`{"type":"init","version":4}`)
			if c.url != tt.want {
				t.Errorf("dialled %q, want %q", c.url, tt.want)
			}
			c.receive(startedRed)
			h.waitShown(".invite-panel", true)
			if got := str(t, get(t, h.query("input.join-link"), "value")); got != testBase+"?join="+joinKey {
				t.Errorf("join link %q", got)
			}
		})
	}
}

// TestServerMetaBad checks that a server setting that is not a WebSocket URL
// shows in the page, which then never connects.
func TestServerMetaBad(t *testing.T) {
	withMeta(t, "https://game.example.com/")
	h := start(t, "?join="+joinKey, "")
	h.waitShown(".fault", true)
	h.waitText(".fault", `This page cannot reach its game server: its connect4-server setting "https://game.example.com/" is not a ws: or wss: address.`)
	if h.shown(".start") || h.shown(".game") || h.shown(".connection") {
		t.Errorf("start %v, game %v, connection %v beside the fault", h.shown(".start"), h.shown(".game"), h.shown(".connection"))
	}
	h.noConn(100 * time.Millisecond)
}
