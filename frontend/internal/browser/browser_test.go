//go:build js && wasm

package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/hack-pad/safejs"
)

// timeout bounds every wait for the event loop.
const timeout = 3 * time.Second

// harness runs the page in a fresh element of the test's document, with a fake
// server.
type harness struct {
	t     *testing.T
	root  safejs.Value
	dials chan *fakeConn // every connection the page opens
}

// start runs the page until the test ends.
func start(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dials: make(chan *fakeConn, 16)}
	doc := global(t, "document")
	h.root = call(t, doc, "createElement", "main")
	loading := call(t, doc, "createElement", "p")
	set(t, loading, "textContent", "Loading…")
	call(t, h.root, "append", loading)
	call(t, get(t, doc, "body"), "append", h.root)

	// Short enough to keep the tests quick, long enough for them to see each
	// step.
	c := config{dial: h.dial, errorTimeout: 300 * time.Millisecond, minRetry: 300 * time.Millisecond, maxRetry: time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, h.root, c) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(timeout):
			t.Error("run did not return after its context ended")
		}
		call(t, h.root, "remove")
	})
	// The page appears when the loop has started.
	h.waitFor("board", func() string {
		return fmt.Sprint(call(t, h.root, "querySelector", ".board").IsNull())
	}, "false")
	return h
}

func (h *harness) dial(report func(socketEvent)) (conn, error) {
	c := &fakeConn{report: report, sent: make(chan string, 16), closed: make(chan struct{})}
	h.dials <- c
	return c, nil
}

// conn returns the next connection the page opens.
func (h *harness) conn() *fakeConn {
	h.t.Helper()
	select {
	case c := <-h.dials:
		return c
	case <-time.After(timeout):
		h.t.Fatal("the page opened no connection")
		return nil
	}
}

// play returns an open connection, as for a new game.
func (h *harness) play() *fakeConn {
	h.t.Helper()
	c := h.conn()
	c.report(socketEvent{kind: socketOpened})
	h.waitFor("board class", func() string { return h.attr(h.query(".board"), "class") }, "board playable")
	return c
}

// query returns the first element in the page that matches selector.
func (h *harness) query(selector string) safejs.Value {
	h.t.Helper()
	el := call(h.t, h.root, "querySelector", selector)
	if el.IsNull() {
		h.t.Fatalf("no element matches %s", selector)
	}
	return el
}

// queryAll returns the elements below el that match selector.
func (h *harness) queryAll(el safejs.Value, selector string) []safejs.Value {
	h.t.Helper()
	list := call(h.t, el, "querySelectorAll", selector)
	n, err := list.Length()
	if err != nil {
		h.t.Fatal(err)
	}
	els := make([]safejs.Value, n)
	for i := range els {
		if els[i], err = list.Index(i); err != nil {
			h.t.Fatal(err)
		}
	}
	return els
}

// cell returns the cell of the board at column and row.
func (h *harness) cell(column, row int) safejs.Value {
	h.t.Helper()
	return h.query(fmt.Sprintf(`.column[data-column="%d"] .cell[data-row="%d"]`, column, row))
}

// attr returns an attribute of el, or "<none>".
func (h *harness) attr(el safejs.Value, name string) string {
	h.t.Helper()
	v := call(h.t, el, "getAttribute", name)
	if v.IsNull() {
		return "<none>"
	}
	return str(h.t, v)
}

// text returns the text of el.
func (h *harness) text(el safejs.Value) string {
	h.t.Helper()
	return str(h.t, get(h.t, el, "textContent"))
}

// dispatch sends el an event of type typ, made by the constructor ctor
// ("MouseEvent") with the options.
func (h *harness) dispatch(el safejs.Value, ctor, typ string, options map[string]any) {
	h.t.Helper()
	opts, err := safejs.ValueOf(options)
	if err != nil {
		h.t.Fatal(err)
	}
	ev, err := global(h.t, ctor).New(typ, opts)
	if err != nil {
		h.t.Fatal(err)
	}
	call(h.t, el, "dispatchEvent", ev)
}

// click clicks el as a mouse does.
func (h *harness) click(el safejs.Value) {
	h.t.Helper()
	h.dispatch(el, "MouseEvent", "click", map[string]any{"bubbles": true, "cancelable": true})
}

// waitFor waits until get returns want, which the event loop makes true
// after it handles the messages of the test.
func (h *harness) waitFor(what string, get func() string, want string) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := get()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s = %q, want %q", what, got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitClass waits until the class attribute of el is want.
func (h *harness) waitClass(what string, el safejs.Value, want string) {
	h.t.Helper()
	h.waitFor(what+" class", func() string { return h.attr(el, "class") }, want)
}

// waitStatus waits until the status line reads want, with the class.
func (h *harness) waitStatus(want, class string) {
	h.t.Helper()
	status := h.query(".status")
	h.waitFor("status", func() string { return h.text(status) }, want)
	if got := h.attr(status, "class"); got != class {
		h.t.Errorf("status %q has class %q, want %q", want, got, class)
	}
}

// fakeConn is a connection to a fake server, which the test plays.
type fakeConn struct {
	report func(socketEvent)
	sent   chan string   // the messages the page sent
	closed chan struct{} // closed when the page closes the connection
	once   sync.Once
}

var _ conn = (*fakeConn)(nil)

func (c *fakeConn) send(text []byte) error {
	select {
	case c.sent <- string(text):
		return nil
	default:
		return errors.New("fake: too many messages")
	}
}

func (c *fakeConn) close() {
	c.once.Do(func() {
		close(c.closed)
		c.report(socketEvent{kind: socketClosed})
	})
}

// receive makes the page receive a message from the server.
func (c *fakeConn) receive(text string) {
	c.report(socketEvent{kind: socketMessage, text: []byte(text)})
}

// expectSent checks that the next message the page sends is want.
func (c *fakeConn) expectSent(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-c.sent:
		if got != want {
			t.Errorf("sent %s, want %s", got, want)
		}
	case <-time.After(timeout):
		t.Fatalf("sent nothing, want %s", want)
	}
}

func TestBoard(t *testing.T) {
	h := start(t)
	h.waitFor("connection", func() string { return h.text(h.query(".connection")) }, "Connecting…")

	if children := h.queryAll(h.root, ":scope > *"); len(children) != 4 {
		t.Errorf("the root has %d children, want 4", len(children))
	}
	if strings.Contains(h.text(h.root), "Loading") {
		t.Error("the Loading… placeholder is still there")
	}
	board := h.query(".board")
	if got := h.attr(board, "class"); got != "board" {
		t.Errorf("board class %q while connecting, want %q", got, "board")
	}
	columns := h.queryAll(board, ":scope > .column")
	if len(columns) != connect4.Columns {
		t.Fatalf("%d columns, want %d", len(columns), connect4.Columns)
	}
	for c, column := range columns {
		if got, want := h.attr(column, "data-column"), fmt.Sprint(c); got != want {
			t.Errorf("column %d has data-column %q, want %q", c, got, want)
		}
		cells := h.queryAll(column, ":scope > .cell")
		if len(cells) != connect4.Rows {
			t.Fatalf("column %d has %d cells, want %d", c, len(cells), connect4.Rows)
		}
		for r, cell := range cells {
			if got, want := h.attr(cell, "data-row"), fmt.Sprint(r); got != want {
				t.Errorf("cell %d of column %d has data-row %q, want %q", r, c, got, want)
			}
			if got := h.attr(cell, "class"); got != "cell empty" {
				t.Errorf("cell (%d, %d) has class %q, want %q", c, r, got, "cell empty")
			}
		}
	}

	status := h.query(".status")
	if role, live := h.attr(status, "role"), h.attr(status, "aria-live"); role != "status" || live != "polite" {
		t.Errorf("status has role %q and aria-live %q, want status and polite", role, live)
	}
	h.waitStatus("Red to play", "status turn red")
	if got := h.text(h.query("button.new-game")); got != "New game" {
		t.Errorf("the button says %q, want %q", got, "New game")
	}

	h.play()
	connection := h.query(".connection")
	if hidden := get(t, connection, "hidden"); !truthy(t, hidden) || h.text(connection) != "" {
		t.Errorf("connection %q, hidden %v once open; want hidden", h.text(connection), hidden)
	}
}

func TestClickSendsPlay(t *testing.T) {
	h := start(t)
	c := h.conn()
	// Before the connection opens, a click sends nothing.
	h.click(h.cell(1, 0))
	c.report(socketEvent{kind: socketOpened})

	tests := []struct {
		name string
		el   safejs.Value
		want string
	}{
		{"top cell", h.cell(3, 5), `{"type":"play","column":3}`},
		{"bottom cell", h.cell(6, 0), `{"type":"play","column":6}`},
		{"column", h.query(`.column[data-column="0"]`), `{"type":"play","column":0}`},
	}
	for _, tt := range tests {
		h.click(tt.el)
		c.expectSent(t, tt.want)
	}

	// Enter on a focused column plays in it, too.
	h.dispatch(h.query(`.column[data-column="2"]`), "KeyboardEvent", "keydown", map[string]any{"key": "Enter", "bubbles": true, "cancelable": true})
	c.expectSent(t, `{"type":"play","column":2}`)

	// A click beside the columns is not a move.
	h.click(h.query(".board"))
	h.click(h.cell(4, 2))
	c.expectSent(t, `{"type":"play","column":4}`)
}

func TestServerEvents(t *testing.T) {
	h := start(t)
	c := h.play()

	c.receive(`{"type":"play","player":"red","column":3,"row":0}`)
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell red last")
	h.waitStatus("Yellow to play", "status turn yellow")

	c.receive(`{"type":"play","player":"yellow","column":3,"row":1}`)
	h.waitClass("cell (3, 1)", h.cell(3, 1), "cell yellow last")
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell red")
	h.waitStatus("Red to play", "status turn red")
	if got := h.attr(h.cell(3, 2), "class"); got != "cell empty" {
		t.Errorf("cell (3, 2) has class %q, want %q", got, "cell empty")
	}
}

func TestWin(t *testing.T) {
	h := start(t)
	c := h.play()
	for i, column := range []int{0, 6, 1, 6, 2, 6, 3} {
		player, row := "red", 0 // along the bottom
		if i%2 == 1 {
			player, row = "yellow", i/2 // up column 6
		}
		c.receive(fmt.Sprintf(`{"type":"play","player":%q,"column":%d,"row":%d}`, player, column, row))
	}
	c.receive(`{"type":"win","player":"red","cells":[{"column":0,"row":0},{"column":1,"row":0},{"column":2,"row":0},{"column":3,"row":0}]}`)

	h.waitStatus("Red wins!", "status win red")
	for column, want := range []string{"cell red win", "cell red win", "cell red win", "cell red win last", "cell empty", "cell empty", "cell yellow"} {
		if got := h.attr(h.cell(column, 0), "class"); got != want {
			t.Errorf("cell (%d, 0) has class %q, want %q", column, got, want)
		}
	}
	if got := h.attr(h.query(".board"), "class"); got != "board" {
		t.Errorf("board class %q after the win, want %q", got, "board")
	}
}

func TestErrorShowsThenClears(t *testing.T) {
	h := start(t)
	c := h.play()
	c.receive(`{"type":"error","message":"It isn't your turn."}`)
	h.waitStatus("It isn't your turn.", "status error")
	h.waitStatus("Red to play", "status turn red")

	c.receive(`{"type":"nonsense"}`)
	h.waitStatus(unreadable, "status error")
	h.waitStatus("Red to play", "status turn red")
}

func TestHoverPreview(t *testing.T) {
	h := start(t)
	c := h.play()
	over := map[string]any{"bubbles": true}
	h.dispatch(h.cell(2, 4), "MouseEvent", "mouseover", over)
	h.waitClass("cell (2, 0)", h.cell(2, 0), "cell empty preview preview-red")

	c.receive(`{"type":"play","player":"red","column":2,"row":0}`)
	h.waitClass("cell (2, 1)", h.cell(2, 1), "cell empty preview preview-yellow")
	h.waitClass("cell (2, 0)", h.cell(2, 0), "cell red last")

	h.dispatch(h.query(".board"), "MouseEvent", "mouseleave", nil)
	h.waitClass("cell (2, 1)", h.cell(2, 1), "cell empty")
}

func TestReconnect(t *testing.T) {
	h := start(t)
	c := h.play()
	c.receive(`{"type":"play","player":"red","column":5,"row":0}`)
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell red last")

	c.close() // the server drops the connection
	connection := h.query(".connection")
	h.waitFor("connection", func() string { return h.text(connection) }, "Connection lost. Reconnecting in 1 s…")
	if hidden := get(t, connection, "hidden"); truthy(t, hidden) {
		t.Error("the connection banner is hidden after a drop")
	}
	if got := h.attr(h.query(".board"), "class"); got != "board" {
		t.Errorf("board class %q after a drop, want %q", got, "board")
	}

	c = h.conn()
	h.waitFor("connection", func() string { return h.text(connection) }, "Reconnecting…")
	c.report(socketEvent{kind: socketOpened})
	h.waitStatus("The connection dropped, so a new game began. Red to play.", "status info red")
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell empty")
	h.click(h.cell(1, 1))
	c.expectSent(t, `{"type":"play","column":1}`)
}

func TestNewGame(t *testing.T) {
	h := start(t)
	c := h.play()
	c.receive(`{"type":"play","player":"red","column":5,"row":0}`)
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell red last")

	h.click(h.query(".new-game"))
	select {
	case <-c.closed:
	case <-time.After(timeout):
		t.Fatal("New game did not close the connection")
	}
	next := h.conn()
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell empty")
	h.waitFor("connection", func() string { return h.text(h.query(".connection")) }, "Connecting…")

	next.report(socketEvent{kind: socketOpened})
	h.waitStatus("Red to play", "status turn red")
	h.click(h.cell(0, 0))
	next.expectSent(t, `{"type":"play","column":0}`)
	// The old connection's closing does not count as a drop of the new one.
	if got := h.text(h.query(".connection")); got != "" {
		t.Errorf("connection %q, want none", got)
	}
}

func TestRunWithoutRoot(t *testing.T) {
	err := Run(context.Background(), "#no-such-element")
	if err == nil || !strings.Contains(err.Error(), "#no-such-element") {
		t.Errorf("Run = %v, want an error naming the selector", err)
	}
}

func TestSocketURL(t *testing.T) {
	tests := []struct{ protocol, host, want string }{
		{"http:", "localhost:8080", "ws://localhost:8080/"},
		{"https:", "connect4.example", "wss://connect4.example/"},
		{"https:", "[::1]:8443", "wss://[::1]:8443/"},
	}
	for _, tt := range tests {
		if got := socketURL(tt.protocol, tt.host); got != tt.want {
			t.Errorf("socketURL(%q, %q) = %q, want %q", tt.protocol, tt.host, got, tt.want)
		}
	}
}

// TestWebSocketRefused dials the test page's own server, which serves no
// WebSocket: the real socket reports that it closed, and nothing else.
func TestWebSocketRefused(t *testing.T) {
	url, err := pageSocketURL()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "ws://127.0.0.1:") && !strings.HasPrefix(url, "ws://localhost:") {
		t.Fatalf("pageSocketURL = %q, want the test server on the loopback", url)
	}
	events := make(chan socketEvent, 4)
	if _, err := dialWebSocket(url, func(e socketEvent) { events <- e }); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-events:
		if e.kind != socketClosed {
			t.Errorf("the first event has kind %d, want socketClosed", e.kind)
		}
	case <-time.After(timeout):
		t.Fatal("no close event")
	}

	if _, err := dialWebSocket("ftp://127.0.0.1/", func(socketEvent) {}); err == nil {
		t.Error("dialing an ftp URL succeeded")
	}
}

func TestQueue(t *testing.T) {
	q := newQueue()
	for i := range 1000 { // far more than any channel buffer: push never waits
		q.push(i)
	}
	<-q.ready
	got := q.take()
	if len(got) != 1000 || got[0] != 0 || got[999] != 999 {
		t.Errorf("take returned %d messages from %v to %v, want 0 to 999", len(got), got[0], got[len(got)-1])
	}
	if rest := q.take(); len(rest) != 0 {
		t.Errorf("a second take returned %v", rest)
	}
}

// Small wrappers of safejs that fail the test on error.

func global(t *testing.T, name string) safejs.Value {
	t.Helper()
	return get(t, safejs.Global(), name)
}

func get(t *testing.T, v safejs.Value, prop string) safejs.Value {
	t.Helper()
	r, err := v.Get(prop)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func set(t *testing.T, v safejs.Value, prop string, x any) {
	t.Helper()
	if err := v.Set(prop, x); err != nil {
		t.Fatal(err)
	}
}

func call(t *testing.T, v safejs.Value, m string, args ...any) safejs.Value {
	t.Helper()
	r, err := v.Call(m, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func str(t *testing.T, v safejs.Value) string {
	t.Helper()
	s, err := v.String()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func truthy(t *testing.T, v safejs.Value) bool {
	t.Helper()
	b, err := v.Truthy()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
