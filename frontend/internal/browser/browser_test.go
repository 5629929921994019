//go:build js && wasm

package browser

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/hack-pad/safejs"
)

// timeout bounds every wait for the event loop: generous, for a busy machine
// whose Chromium may run the page late; a test that passes never waits it out.
const timeout = 10 * time.Second

// The page's address in the tests, and the keys of their games.
const (
	testBase = "http://c4.test/"
	joinKey  = "J0IN"
	watchKey = "W4TCH"
	token    = "tok"
)

// The server's messages that the tests send most.
const (
	startedHotSeat = `{"type":"init","watch":"W4TCH","mode":"hotseat","token":"tok"}`
	startedRed     = `{"type":"init","join":"J0IN","watch":"W4TCH","mode":"friends","player":"red","token":"tok"}`
	startedYellow  = `{"type":"init","watch":"W4TCH","mode":"friends","player":"yellow","token":"tok"}`
	startedWatch   = `{"type":"init","watch":"W4TCH","mode":"friends"}`
	redOnline      = `{"type":"presence","player":"red","online":true}`
	yellowOnline   = `{"type":"presence","player":"yellow","online":true}`
)

// harness runs the page in a fresh element of the test's document, with a fake
// server, address bar, tab storage and clipboard.
type harness struct {
	t     *testing.T
	root  safejs.Value
	dials chan *fakeConn // every connection the page opens
	addr  *fakeAddress
	store *fakeStorage
	// copies receives every text the page copies; copyOK says whether the
	// clipboard takes it.
	copies chan string
	copyOK bool
}

// start runs the page at the address with query, with token stored for it,
// until the test ends.
func start(t *testing.T, query, token string) *harness {
	t.Helper()
	return startWith(t, query, token, nil)
}

// startWith is start with changes to the page's config, such as a quicker
// heartbeat.
func startWith(t *testing.T, query, token string, change func(*config)) *harness {
	t.Helper()
	h := &harness{
		t:      t,
		dials:  make(chan *fakeConn, 16),
		addr:   &fakeAddress{q: query},
		store:  &fakeStorage{items: make(map[string]string)},
		copies: make(chan string, 4),
		copyOK: true,
	}
	if token != "" {
		h.store.set(tokenKey(query), token)
	}
	doc := global(t, "document")
	h.root = call(t, doc, "createElement", "main")
	loading := call(t, doc, "createElement", "p")
	set(t, loading, "textContent", "Loading…")
	call(t, h.root, "append", loading)
	call(t, get(t, doc, "body"), "append", h.root)

	// Short enough to keep the tests quick, long enough for them to see each
	// step.
	c := config{
		dial:         h.dial,
		addr:         h.addr,
		store:        h.store,
		copy:         h.copy,
		errorTimeout: 300 * time.Millisecond,
		copyTimeout:  300 * time.Millisecond,
		minRetry:     300 * time.Millisecond,
		maxRetry:     time.Second,
	}
	if change != nil {
		change(&c)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- run(stop, h.root, c) }()
	t.Cleanup(func() {
		close(stop)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(timeout):
			t.Error("run did not return after stop was closed")
		}
		call(t, h.root, "remove")
	})
	// The page appears when the loop has started.
	h.waitFor("board", func() string {
		return fmt.Sprint(call(t, h.root, "querySelector", ".board").IsNull())
	}, "false")
	return h
}

func (h *harness) dial(url string, report func(socketEvent)) (conn, error) {
	c := &fakeConn{url: url, report: report, sent: make(chan string, 16), closed: make(chan struct{})}
	h.dials <- c
	return c, nil
}

func (h *harness) copy(text string, done func(bool)) {
	h.copies <- text
	done(h.copyOK)
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

// noConn checks that the page opens no connection for a while.
func (h *harness) noConn(wait time.Duration) {
	h.t.Helper()
	select {
	case <-h.dials:
		h.t.Error("the page opened a connection")
	case <-time.After(wait):
	}
}

// open returns the next connection the page opens, open, after checking that
// the page sent hello on it.
func (h *harness) open(hello string) *fakeConn {
	h.t.Helper()
	c := h.conn()
	c.report(socketEvent{kind: socketOpened})
	c.expectSent(h.t, hello)
	return c
}

// hotSeat starts a hot-seat game from the start screen.
func (h *harness) hotSeat() *fakeConn {
	h.t.Helper()
	h.click(h.query("button.play-here"))
	c := h.open(`{"type":"init","mode":"hotseat","version":4}`)
	c.receive(startedHotSeat)
	h.waitClass("board", h.query(".board"), "board playable")
	return c
}

// invite starts a game between two browsers from the start screen, as red,
// and lets yellow join if joined is set.
func (h *harness) invite(joined bool) *fakeConn {
	h.t.Helper()
	h.click(h.query("button.invite"))
	c := h.open(`{"type":"init","version":4}`)
	c.receive(startedRed)
	if joined {
		c.receive(yellowOnline)
	}
	h.waitStatus("Your turn", "status turn red you")
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

// shown reports whether the element that selector finds is shown: neither it
// nor any of its ancestors up to the root is hidden.
func (h *harness) shown(selector string) bool {
	h.t.Helper()
	for el := h.query(selector); !truthy(h.t, call(h.t, el, "isSameNode", h.root)); el = get(h.t, el, "parentElement") {
		if truthy(h.t, get(h.t, el, "hidden")) {
			return false
		}
	}
	return true
}

// waitShown waits until the element that selector finds is shown, or hidden.
func (h *harness) waitShown(selector string, shown bool) {
	h.t.Helper()
	h.waitFor(selector+" shown", func() string { return fmt.Sprint(h.shown(selector)) }, fmt.Sprint(shown))
}

// waitText waits until the element that selector finds shows want.
func (h *harness) waitText(selector, want string) {
	h.t.Helper()
	el := h.query(selector)
	h.waitFor(selector, func() string { return h.text(el) }, want)
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

// lastSaid returns the live region's last news, or "".
func (h *harness) lastSaid() string {
	h.t.Helper()
	last := get(h.t, h.query(".announcer"), "lastElementChild")
	if last.IsNull() {
		return ""
	}
	return h.text(last)
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
	url    string // the URL the page dialled
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
		c.report(socketEvent{kind: socketClosed, code: 1005})
	})
}

// receive makes the page receive messages from the server.
func (c *fakeConn) receive(texts ...string) {
	for _, text := range texts {
		c.report(socketEvent{kind: socketMessage, text: []byte(text)})
	}
}

// drop makes the server close the connection with code and reason.
func (c *fakeConn) drop(code int, reason string) {
	c.once.Do(func() {
		c.report(socketEvent{kind: socketClosed, code: code, reason: reason})
	})
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

// expectNothing checks that the page sends nothing for a while.
func (c *fakeConn) expectNothing(t *testing.T) {
	t.Helper()
	select {
	case got := <-c.sent:
		t.Errorf("sent %s, want nothing", got)
	case <-time.After(100 * time.Millisecond):
	}
}

// expectClosed checks that the page closes the connection.
func (c *fakeConn) expectClosed(t *testing.T) {
	t.Helper()
	select {
	case <-c.closed:
	case <-time.After(timeout):
		t.Fatal("the page did not close the connection")
	}
}

// fakeAddress is the page's address bar; pushed counts the steps added
// to the history.
type fakeAddress struct {
	mu     sync.Mutex
	q      string
	pushed int
}

var _ address = (*fakeAddress)(nil)

func (a *fakeAddress) base() string { return testBase }

func (a *fakeAddress) query() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.q
}

func (a *fakeAddress) setQuery(q string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.q = q
}

func (a *fakeAddress) pushQuery(q string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.q = q
	a.pushed++
}

// back sets the query as the browser's Back button would, to q, and tells
// the page with a popstate event.
func (h *harness) back(q string) {
	h.t.Helper()
	h.addr.setQuery(q)
	h.dispatch(global(h.t, "window"), "PopStateEvent", "popstate", map[string]any{})
}

// fakeStorage is the tab's storage.
type fakeStorage struct {
	mu    sync.Mutex
	items map[string]string
}

var _ storage = (*fakeStorage)(nil)

func (s *fakeStorage) get(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.items[key]
}

func (s *fakeStorage) set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[key] = value
}

func (s *fakeStorage) remove(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.items, key)
}

// String lists the items, sorted, for messages.
func (s *fakeStorage) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.items)
}

// waitStored waits until the storage holds exactly the items, as
// fmt.Sprint prints the map.
func (h *harness) waitStored(want map[string]string) {
	h.t.Helper()
	h.waitFor("storage", h.store.String, fmt.Sprint(want))
}

func TestStartScreen(t *testing.T) {
	h := start(t, "", "")
	if strings.Contains(h.text(h.root), "Loading") {
		t.Error("the Loading… placeholder is still there")
	}
	if !h.shown(".start") || h.shown(".game") || h.shown(".connection") || h.shown(".start-note") {
		t.Errorf("start %v, game %v, connection %v, note %v; want the start screen alone",
			h.shown(".start"), h.shown(".game"), h.shown(".connection"), h.shown(".start-note"))
	}
	for sel, want := range map[string]string{
		"button.play-here": "Play here",
		"button.invite":    "Invite a friend",
	} {
		if got := h.text(h.query(sel)); !strings.HasPrefix(got, want) {
			t.Errorf("%s says %q, want %q first", sel, got, want)
		}
	}
	if got := str(t, get(t, global(t, "document"), "title")); got != "Connect Four" {
		t.Errorf("title %q", got)
	}
	h.noConn(100 * time.Millisecond) // the start screen needs no server
}

func TestBoard(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query("button.play-here"))
	h.waitFor("connection", func() string { return h.text(h.query(".connection")) }, "Connecting…")
	h.waitShown(".start", false)

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
	// One live region says everything once: the status line is not one.
	if live := h.attr(h.query(".status"), "aria-live"); live != "<none>" {
		t.Errorf("status has aria-live %q, want none", live)
	}
	announcer := h.query(".announcer")
	if role, live := h.attr(announcer, "role"), h.attr(announcer, "aria-live"); role != "log" || live != "polite" {
		t.Errorf("announcer has role %q and aria-live %q, want log and polite", role, live)
	}
	if role, label := h.attr(board, "role"), h.attr(board, "aria-label"); role != "group" || label != "Board" {
		t.Errorf("board has role %q and label %q", role, label)
	}
	stops := 0
	for c, column := range columns {
		if h.attr(column, "tabindex") == "0" {
			stops++
			if c != 3 {
				t.Errorf("the board's Tab stop is column %d, want the middle one", c)
			}
		}
	}
	if stops != 1 {
		t.Errorf("the board has %d Tab stops, want 1", stops)
	}
	h.waitStatus("Setting up the board…", "status info")

	c := h.open(`{"type":"init","mode":"hotseat","version":4}`)
	c.receive(startedHotSeat)
	h.waitStatus("Red to play", "status turn red")
	h.waitClass("board", board, "board playable")
	if h.shown(".connection") || h.shown(".role") || h.shown(".presence") || h.shown(".invite-panel") || h.shown("button.rematch") {
		t.Error("a hot-seat game shows a banner, a role, a presence, an invitation or a rematch button")
	}
	if !h.shown("button.new-game") || h.text(h.query("button.new-game")) != "New game" {
		t.Error("no New game button")
	}
	if got := h.text(h.query("button.home")); got != "Leave game" {
		t.Errorf("the home button says %q", got)
	}
	// The browser keeps the seat for the address, which names the game now.
	h.waitStored(map[string]string{"connect4.token?game=W4TCH": token})
}

func TestClickSendsPlay(t *testing.T) {
	h := start(t, "", "")
	h.click(h.query("button.play-here"))
	c := h.conn()
	// Before the server starts the game, a click sends nothing.
	h.click(h.cell(1, 0))
	c.report(socketEvent{kind: socketOpened})
	c.expectSent(t, `{"type":"init","mode":"hotseat","version":4}`)
	h.click(h.cell(1, 0))
	c.expectNothing(t)
	c.receive(startedHotSeat)
	h.waitClass("board", h.query(".board"), "board playable")

	// played answers the move in column as the server does, so that the
	// page takes the next click.
	player := "red"
	played := func(column int) {
		c.receive(fmt.Sprintf(`{"type":"play","player":%q,"column":%d,"row":0}`, player, column))
		player = map[string]string{"red": "yellow", "yellow": "red"}[player]
		h.waitClass("board", h.query(".board"), "board playable")
	}
	tests := []struct {
		name   string
		el     safejs.Value
		column int
	}{
		{"top cell", h.cell(3, 5), 3},
		{"bottom cell", h.cell(6, 0), 6},
		{"column", h.query(`.column[data-column="0"]`), 0},
	}
	for _, tt := range tests {
		h.click(tt.el)
		c.expectSent(t, fmt.Sprintf(`{"type":"play","column":%d}`, tt.column))
		played(tt.column)
	}

	// Enter on a focused column plays in it, too.
	h.dispatch(h.query(`.column[data-column="2"]`), "KeyboardEvent", "keydown", map[string]any{"key": "Enter", "bubbles": true, "cancelable": true})
	c.expectSent(t, `{"type":"play","column":2}`)
	played(2)

	// A click beside the columns is not a move.
	h.click(h.query(".board"))
	h.click(h.cell(4, 2))
	c.expectSent(t, `{"type":"play","column":4}`)

	// A second click before the server answers is not a second move.
	h.click(h.cell(4, 2))
	c.expectNothing(t)
}

func TestServerEvents(t *testing.T) {
	h := start(t, "", "")
	c := h.hotSeat()

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

// redWins is a game that red wins along the bottom row.
var redWins = []string{
	`{"type":"play","player":"red","column":0,"row":0}`,
	`{"type":"play","player":"yellow","column":6,"row":0}`,
	`{"type":"play","player":"red","column":1,"row":0}`,
	`{"type":"play","player":"yellow","column":6,"row":1}`,
	`{"type":"play","player":"red","column":2,"row":0}`,
	`{"type":"play","player":"yellow","column":6,"row":2}`,
	`{"type":"play","player":"red","column":3,"row":0}`,
	`{"type":"win","player":"red","cells":[{"column":0,"row":0},{"column":1,"row":0},{"column":2,"row":0},{"column":3,"row":0}]}`,
}

func TestWin(t *testing.T) {
	h := start(t, "", "")
	c := h.hotSeat()
	c.receive(redWins...)

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
	h := start(t, "", "")
	c := h.hotSeat()
	// An error shows beside the status line, never in its place.
	c.receive(`{"type":"error","message":"This slot is full."}`)
	h.waitText(".notice", "This slot is full.")
	h.waitStatus("Red to play", "status turn red")
	h.waitShown(".notice", false)

	c.receive(`{"type":"nonsense"}`)
	h.waitText(".notice", unreadable)
	h.waitStatus("Red to play", "status turn red")
	h.waitShown(".notice", false)
}

func TestHoverPreview(t *testing.T) {
	h := start(t, "", "")
	c := h.hotSeat()
	over := map[string]any{"bubbles": true}
	h.dispatch(h.cell(2, 4), "MouseEvent", "mouseover", over)
	h.waitClass("cell (2, 0)", h.cell(2, 0), "cell empty preview preview-red")

	c.receive(`{"type":"play","player":"red","column":2,"row":0}`)
	h.waitClass("cell (2, 1)", h.cell(2, 1), "cell empty preview preview-yellow")
	h.waitClass("cell (2, 0)", h.cell(2, 0), "cell red last")

	h.dispatch(h.query(".board"), "MouseEvent", "mouseleave", nil)
	h.waitClass("cell (2, 1)", h.cell(2, 1), "cell empty")
}

// TestNewGame checks that New game asks the server for a new game on the
// same connection, and shows it when the server starts it.
func TestNewGame(t *testing.T) {
	h := start(t, "", "")
	c := h.hotSeat()
	c.receive(`{"type":"play","player":"red","column":5,"row":0}`)
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell red last")

	// A game in progress: the page asks first; Escape keeps the game.
	h.click(h.query("button.new-game"))
	dialog := h.query("dialog.confirm")
	h.waitFor("dialog open", func() string { return fmt.Sprint(truthy(t, get(t, dialog, "open"))) }, "true")
	h.waitText(".confirm-text", "Start a new game? This one is not over.")
	h.dispatch(dialog, "Event", "cancel", nil)
	call(t, dialog, "close")
	c.expectNothing(t)
	h.click(h.query("button.new-game"))
	h.waitFor("dialog open", func() string { return fmt.Sprint(truthy(t, get(t, dialog, "open"))) }, "true")
	h.click(h.query("button.confirm-yes"))
	c.expectSent(t, `{"type":"rematch"}`)
	h.waitFor("dialog open", func() string { return fmt.Sprint(truthy(t, get(t, dialog, "open"))) }, "false")
	c.receive(startedHotSeat)
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell empty")
	h.waitStatus("Red to play", "status turn red")
	h.noConn(50 * time.Millisecond)
}

func TestInvite(t *testing.T) {
	h := start(t, "", "")
	c := h.invite(false)
	h.waitShown(".invite-panel", true)
	if got := str(t, get(t, h.query("input.join-link"), "value")); got != testBase+"?join="+joinKey {
		t.Errorf("join link %q", got)
	}
	if got := h.attr(h.query("input.join-link"), "readonly"); got == "<none>" {
		t.Error("the join link is not read-only")
	}
	if got := h.attr(h.query("a.watch-link"), "href"); got != "?watch="+watchKey {
		t.Errorf("watch link href %q", got)
	}
	h.waitText(".role", "You are red")
	h.waitText(".presence", "Waiting for yellow to join…")
	if got := str(t, get(t, global(t, "document"), "title")); got != "Your turn · Connect Four" {
		t.Errorf("title %q", got)
	}
	if h.shown(".share") {
		t.Error("the small watch link shows beside the invitation")
	}

	h.click(h.query("button.copy"))
	select {
	case got := <-h.copies:
		if got != testBase+"?join="+joinKey {
			t.Errorf("copied %q", got)
		}
	case <-time.After(timeout):
		t.Fatal("nothing copied")
	}
	h.waitText("button.copy", "Copied!")
	h.waitText("button.copy", "Copy")

	// Red may move first; the invitation stays until yellow comes.
	h.click(h.cell(3, 0))
	c.expectSent(t, `{"type":"play","column":3}`)
	c.receive(`{"type":"play","player":"red","column":3,"row":0}`)
	h.waitStatus("Yellow to play", "status turn yellow")
	if !h.shown(".invite-panel") {
		t.Error("the invitation went with red's first move")
	}
	c.receive(yellowOnline)
	h.waitShown(".invite-panel", false)
	h.waitShown(".presence", false)
	h.waitShown(".share", true)
	if got := h.attr(h.query("a.share-watch"), "href"); got != "?watch="+watchKey {
		t.Errorf("share link href %q", got)
	}
	h.click(h.query("button.copy-watch"))
	if got := <-h.copies; got != testBase+"?watch="+watchKey {
		t.Errorf("copied %q", got)
	}
	h.waitText("button.copy-watch", "Copied!")
}

// TestCopyFails checks that the join link is selected when the clipboard
// refuses it.
func TestCopyFails(t *testing.T) {
	h := start(t, "", "")
	h.copyOK = false
	h.invite(false)
	h.click(h.query("button.copy"))
	<-h.copies
	copyButton := h.query("button.copy")
	h.waitFor("copy button", func() string {
		if s := h.text(copyButton); s != "Copy" {
			return "changed"
		}
		return "Copy"
	}, "changed")
	got := h.text(copyButton)
	t.Logf("after the clipboard refused: %q", got)
	switch got {
	case "Copied!": // the browser's old copy command worked
	case "Selected: copy it":
		input := h.query("input.join-link")
		start, end := get(t, input, "selectionStart"), get(t, input, "selectionEnd")
		if s, e := start.Int, end.Int; fmt.Sprint(s()) != "0 <nil>" || fmt.Sprint(e()) != fmt.Sprintf("%d <nil>", len(testBase+"?join="+joinKey)) {
			t.Errorf("selection from %v to %v: want the whole link", start, end)
		}
	default:
		t.Errorf("the copy button says %q", got)
	}
}

func TestJoinLink(t *testing.T) {
	h := start(t, "?join="+joinKey, "")
	h.waitStatus("Joining the game…", "status info")
	c := h.open(`{"type":"init","join":"J0IN","version":4}`)
	c.receive(startedYellow, `{"type":"play","player":"red","column":3,"row":0}`, redOnline)
	h.waitStatus("Your turn", "status turn yellow you")
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell red last")
	h.waitText(".role", "You are yellow")
	if h.shown(".invite-panel") || h.shown(".presence") || !h.shown(".share") {
		t.Errorf("invite %v, presence %v, share %v", h.shown(".invite-panel"), h.shown(".presence"), h.shown(".share"))
	}
	h.waitStored(map[string]string{"connect4.token?join=J0IN": token})

	// The opponent drops: a countdown shows, and a second later, one less.
	c.receive(`{"type":"presence","player":"red","online":false,"grace":2}`)
	h.waitText(".presence", "Waiting for red to reconnect… 2 s")
	h.waitText(".presence", "Waiting for red to reconnect… 1 s")
	c.receive(redOnline)
	h.waitShown(".presence", false)
}

func TestJoinRefused(t *testing.T) {
	h := start(t, "?join="+joinKey, "")
	c := h.open(`{"type":"init","join":"J0IN","version":4}`)
	c.receive(`{"type":"error","message":"This game already has two players: you can watch it instead.","watch":"W4TCH"}`)
	h.waitShown(".start", true)
	h.waitText(".start-note", "This game already has two players: you can watch it instead.")
	h.waitShown("a.watch-instead", true)
	if href := h.attr(h.query("a.watch-instead"), "href"); href != "?watch=W4TCH" {
		t.Errorf("the link to watch instead goes to %q", href)
	}
	c.expectClosed(t)
	if q := h.addr.query(); q != "" {
		t.Errorf("the address keeps the query %q", q)
	}
}

func TestWatchLink(t *testing.T) {
	h := start(t, "?watch="+watchKey, "")
	c := h.open(`{"type":"init","watch":"W4TCH","version":4}`)
	c.receive(startedWatch, redWins[0], redOnline, yellowOnline)
	h.waitStatus("Yellow to play", "status turn yellow")
	h.waitText(".role", "You are watching")
	if got := h.attr(h.query(".role"), "class"); got != "role spectator" {
		t.Errorf("role class %q", got)
	}
	board := h.query(".board")
	if got := h.attr(board, "class"); got != "board" {
		t.Errorf("board class %q for a spectator", got)
	}
	h.click(h.cell(2, 0))
	c.expectNothing(t)

	c.receive(redWins[1:]...)
	h.waitStatus("Red wins!", "status win red")
	if h.shown("button.rematch") || h.shown("button.new-game") {
		t.Error("a spectator has a rematch or new game button")
	}
	c.receive(`{"type":"rematch","player":"yellow"}`)
	h.waitText(".offer", "Yellow wants a rematch")
	h.waitStored(map[string]string{})
}

func TestOutOfTurn(t *testing.T) {
	h := start(t, "", "")
	c := h.invite(true)
	c.receive(`{"type":"play","player":"red","column":3,"row":0}`)
	h.waitStatus("Yellow to play", "status turn yellow")
	h.waitClass("board", h.query(".board"), "board")
	h.click(h.cell(2, 0))
	c.expectNothing(t)

	c.receive(`{"type":"play","player":"yellow","column":3,"row":1}`)
	h.waitStatus("Your turn", "status turn red you")
	h.click(h.cell(2, 0))
	c.expectSent(t, `{"type":"play","column":2}`)
}

func TestRematch(t *testing.T) {
	h := start(t, "", "")
	c := h.invite(true)
	if h.shown("button.rematch") {
		t.Error("a rematch button during the game")
	}
	c.receive(redWins...)
	h.waitStatus("You win!", "status win red you")
	h.waitShown("button.rematch", true)
	h.waitText("button.rematch", "Rematch")
	h.waitText("button.home", "Start screen")

	h.click(h.query("button.rematch"))
	c.expectSent(t, `{"type":"rematch"}`)
	c.receive(`{"type":"rematch","player":"red"}`)
	h.waitText(".offer", "Waiting for yellow to accept…")
	h.waitShown("button.rematch", false)

	c.receive(`{"type":"rematch","player":"yellow"}`, `{"type":"init","join":"J0IN","watch":"W4TCH","mode":"friends","player":"yellow","token":"tok"}`)
	h.waitText(".role", "You are yellow")
	h.waitStatus("Red to play", "status turn red")
	h.waitClass("cell (0, 0)", h.cell(0, 0), "cell empty")
	h.waitShown(".offer", false)
	if h.shown(".invite-panel") {
		t.Error("the invitation came back for the rematch")
	}
}

func TestAcceptRematch(t *testing.T) {
	h := start(t, "?join="+joinKey, "")
	c := h.open(`{"type":"init","join":"J0IN","version":4}`)
	c.receive(startedYellow, redOnline)
	c.receive(redWins...)
	h.waitStatus("Red wins!", "status win red")
	c.receive(`{"type":"rematch","player":"red"}`)
	h.waitText(".offer", "Red wants a rematch")
	h.waitText("button.rematch", "Accept rematch")
	h.click(h.query("button.rematch"))
	c.expectSent(t, `{"type":"rematch"}`)
}

func TestStoredToken(t *testing.T) {
	h := start(t, "?join="+joinKey, token)
	h.waitStatus("Taking your seat back…", "status info")
	c := h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(startedYellow, `{"type":"play","player":"red","column":3,"row":0}`, redOnline)
	h.waitStatus("Your turn", "status turn yellow you")
	h.waitClass("cell (3, 0)", h.cell(3, 0), "cell red last")
}

func TestDeadToken(t *testing.T) {
	h := start(t, "", token)
	c := h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(`{"type":"error","message":"That game is over or no longer exists."}`)
	h.waitShown(".start", true)
	h.waitText(".start-note", "That game is over or no longer exists.")
	h.waitStored(map[string]string{})
	c.expectClosed(t)

	// A dead token on a join link: join instead.
	h = start(t, "?join="+joinKey, token)
	c = h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(`{"type":"error","message":"That game is over or no longer exists."}`)
	c.expectClosed(t)
	h.waitStored(map[string]string{})
	c = h.open(`{"type":"init","join":"J0IN","version":4}`)
	c.receive(`{"type":"init","watch":"W4TCH","mode":"friends","player":"yellow","token":"new"}`)
	h.waitStored(map[string]string{"connect4.token?join=J0IN": "new"})
}

func TestReconnect(t *testing.T) {
	h := start(t, "", "")
	c := h.invite(true)
	c.receive(`{"type":"play","player":"red","column":5,"row":0}`)
	h.waitClass("cell (5, 0)", h.cell(5, 0), "cell red last")

	c.drop(1006, "") // the connection is lost
	connection := h.query(".connection")
	h.waitFor("connection", func() string { return h.text(connection) }, "Connection lost. Reconnecting in 1 s…")
	if !h.shown(".connection") {
		t.Error("the connection banner is hidden after a drop")
	}
	// The board is off, and says so.
	h.waitClass("board", h.query(".board"), "board offline")
	h.waitStatus("Offline: reconnecting", "status info")
	if !h.shown(".offline-note") {
		t.Error("the board does not say it is offline")
	}

	c = h.conn()
	h.waitFor("connection", func() string { return h.text(connection) }, "Reconnecting…")
	c.report(socketEvent{kind: socketOpened})
	c.expectSent(t, `{"type":"resume","token":"tok","version":4}`)
	c.receive(startedRed, `{"type":"play","player":"red","column":5,"row":0}`, yellowOnline)
	h.waitShown(".connection", false)
	h.waitStatus("Yellow to play", "status turn yellow")
	if got := h.attr(h.cell(5, 0), "class"); got != "cell red last" {
		t.Errorf("cell (5, 0) has class %q after the replay", got)
	}

	// A server that restarts closes with 1001: reconnect too.
	c.drop(1001, "The server is shutting down.")
	c = h.conn()
	c.report(socketEvent{kind: socketOpened})
	c.expectSent(t, `{"type":"resume","token":"tok","version":4}`)
}

func TestClosedForGood(t *testing.T) {
	const reason = "You took your seat back in another window."
	h := start(t, "", "")
	c := h.invite(true)
	c.drop(1000, reason)
	h.waitStatus(reason, "status info")
	h.waitText("button.retake", "Take my seat back")
	if h.shown(".connection") {
		t.Error("the connection banner shows after a normal closure")
	}
	h.noConn(700 * time.Millisecond) // more than the first retry
	h.waitStored(map[string]string{"connect4.token?game=W4TCH": token})

	h.click(h.query("button.retake"))
	c = h.open(`{"type":"resume","token":"tok","version":4}`)
	c.receive(startedRed, yellowOnline)
	h.waitStatus("Your turn", "status turn red you")
	h.waitShown("button.retake", false)
}

func TestHome(t *testing.T) {
	h := start(t, "?join="+joinKey, "")
	c := h.open(`{"type":"init","join":"J0IN","version":4}`)
	c.receive(startedYellow, redOnline)
	h.waitStored(map[string]string{"connect4.token?join=J0IN": token})
	h.waitText("button.home", "Leave game")

	h.click(h.query("button.home"))
	h.waitShown(".start", true)
	c.expectClosed(t)
	h.waitStored(map[string]string{})
	if q := h.addr.query(); q != "" {
		t.Errorf("the address keeps the query %q", q)
	}
	h.noConn(100 * time.Millisecond)

	// The start screen starts the next game.
	h.hotSeat()
}

func TestRunWithoutRoot(t *testing.T) {
	err := Run(nil, "#no-such-element")
	if err == nil || !strings.Contains(err.Error(), "#no-such-element") {
		t.Errorf("Run = %v, want an error naming the selector", err)
	}
}

// TestWebSocketRefused dials the test page's own server, which serves no
// WebSocket: the real socket reports that it closed, and nothing else.
func TestWebSocketRefused(t *testing.T) {
	url, err := game.ServerURL(windowAddress{}.base(), serverSetting())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "ws://127.0.0.1:") && !strings.HasPrefix(url, "ws://localhost:") {
		t.Fatalf("the page's server is %q, want the test server on the loopback", url)
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

// TestKeyboard plays with the keyboard alone: the arrows move the board's one
// Tab stop, which the focus follows; Enter and the digits drop checkers; a
// full column is refused beside the status line.
func TestKeyboard(t *testing.T) {
	h := start(t, "", "")
	c := h.hotSeat()
	active := func() string {
		el := get(t, global(t, "document"), "activeElement")
		if el.IsNull() || get(t, el, "dataset").IsUndefined() {
			return "none"
		}
		return h.attr(el, "data-column")
	}
	// The game started: the focus is on the board.
	h.waitFor("focused column", active, "3")
	key := func(k string) {
		el := get(t, global(t, "document"), "activeElement")
		h.dispatch(el, "KeyboardEvent", "keydown", map[string]any{"key": k, "bubbles": true, "cancelable": true})
	}
	key("ArrowRight")
	h.waitFor("focused column", active, "4")
	if got := h.attr(h.query(`.column[data-column="4"]`), "tabindex"); got != "0" {
		t.Errorf("the focused column has tabindex %q", got)
	}
	if got := h.attr(h.query(`.column[data-column="3"]`), "tabindex"); got != "-1" {
		t.Errorf("the column left behind has tabindex %q", got)
	}
	key("Home")
	h.waitFor("focused column", active, "0")
	key("Enter")
	c.expectSent(t, `{"type":"play","column":0}`)
	c.receive(`{"type":"play","player":"red","column":0,"row":0}`)
	h.waitFor("live region", h.lastSaid, "Red played column 1, row 1. Yellow to play")
	h.waitText(`.column[data-column="0"]`, "")
	if got := h.attr(h.query(`.column[data-column="0"]`), "aria-label"); got != "Column 1: red; 5 free" {
		t.Errorf("column 1 is named %q", got)
	}
	key("7")
	c.expectSent(t, `{"type":"play","column":6}`)
	h.waitFor("focused column", active, "6")
	for r := range 5 {
		c.receive(fmt.Sprintf(`{"type":"play","player":"%s","column":6,"row":%d}`, []string{"yellow", "red"}[r%2], r))
	}
	c.receive(`{"type":"play","player":"red","column":6,"row":5}`)
	full := h.query(`.column[data-column="6"]`)
	h.waitFor("column 7's name", func() string { return h.attr(full, "aria-label") },
		"Column 7: yellow, red, yellow, red, yellow, red; full")
	if got := h.attr(full, "aria-disabled"); got != "true" {
		t.Errorf("the full column has aria-disabled %q", got)
	}
	key(" ")
	h.waitText(".notice", "Column 7 is full: choose another.")
	c.expectNothing(t)
}

// TestOfflineClick checks that a move made while offline says it was not
// sent.
func TestOfflineClick(t *testing.T) {
	h := start(t, "", "")
	c := h.hotSeat()
	c.drop(1006, "")
	h.waitClass("board", h.query(".board"), "board offline")
	h.click(h.cell(3, 0))
	h.waitText(".notice", "Offline: your move was not sent.")
	c.expectNothing(t)
}
