//go:build js && wasm

package browser

import (
	"fmt"
	"strconv"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/hack-pad/safejs"
)

// The messages that the page's listeners push for the event loop.
type (
	clicked      struct{ column int } // a click, or Enter or Space, on a column
	hovered      struct{ column int } // the pointer or focus moved to a column, or -1 off the board
	newGameAsked struct{}             // a click on "New game"
)

// page is the game's part of the document: the elements it built in the root,
// the listeners it added to them, and the View they show.
//
// The document looks like the tutorial's, so that its styles apply:
//
//	<p class="connection">Connecting…</p>
//	<p class="status" role="status" aria-live="polite">Red to play</p>
//	<div class="board">
//	  <div class="column" data-column="0">
//	    <div class="cell empty" data-row="0"></div> … six cells, the bottom one first
//	  </div> … seven columns, from the left
//	</div>
//	<button class="new-game" type="button">New game</button>
//
// A page is used by the event loop alone.
type page struct {
	connection, status, board, newGame safejs.Value
	cells                              [connect4.Columns][connect4.Rows]safejs.Value

	shown   game.View // what the elements show, if painted
	painted bool

	listeners []listener
}

// listener is an event listener that the page added and must remove.
type listener struct {
	target safejs.Value
	event  string
	fn     safejs.Func
}

// newPage replaces the content of root with the game's elements and listens to
// them, reporting the player's actions to push, which must not block. The
// caller paints a View, then calls close when done.
func newPage(root safejs.Value, push func(any)) (*page, error) {
	p := new(page)
	var d dom
	doc := d.get(safejs.Global(), "document")
	p.connection = d.element(doc, "p", "connection")
	p.status = d.element(doc, "p", "status", "role", "status", "aria-live", "polite")
	p.board = d.element(doc, "div", "board")
	for c := range connect4.Columns {
		column := d.element(doc, "div", "column",
			"data-column", strconv.Itoa(c),
			"role", "button", "tabindex", "0",
			"aria-label", fmt.Sprintf("Column %d", c+1))
		for r := range connect4.Rows {
			p.cells[c][r] = d.element(doc, "div", "cell empty", "data-row", strconv.Itoa(r))
			d.call(column, "append", p.cells[c][r])
		}
		d.call(p.board, "append", column)
	}
	p.newGame = d.element(doc, "button", "new-game", "type", "button")
	d.set(p.newGame, "textContent", "New game")
	d.call(root, "replaceChildren", p.connection, p.status, p.board, p.newGame)
	if d.err != nil {
		return nil, fmt.Errorf("browser: building the page: %w", d.err)
	}

	// One listener per kind of event on the whole board finds the column from
	// the event's target.
	hover := func(ev safejs.Value) {
		column, ok := columnOf(ev)
		if !ok {
			column = -1
		}
		push(hovered{column})
	}
	leave := func(safejs.Value) { push(hovered{-1}) }
	err := p.listen([]handler{
		{p.board, "click", func(ev safejs.Value) {
			if column, ok := columnOf(ev); ok {
				push(clicked{column})
			}
		}},
		{p.board, "keydown", func(ev safejs.Value) {
			if column, ok := columnOf(ev); ok && isPressKey(ev) {
				_, _ = ev.Call("preventDefault") // Space would scroll the page
				push(clicked{column})
			}
		}},
		{p.board, "mouseover", hover},
		{p.board, "focusin", hover},
		{p.board, "mouseleave", leave},
		{p.board, "focusout", leave},
		{p.newGame, "click", func(safejs.Value) { push(newGameAsked{}) }},
	})
	if err != nil {
		p.close()
		return nil, fmt.Errorf("browser: listening to the page: %w", err)
	}
	return p, nil
}

// handler is a function to call on each event of a kind on an element. It
// runs inside a JavaScript callback: it must not block or panic.
type handler struct {
	target safejs.Value
	event  string
	handle func(ev safejs.Value)
}

// listen adds an event listener for each handler.
func (p *page) listen(handlers []handler) error {
	for _, h := range handlers {
		fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			if len(args) > 0 {
				h.handle(args[0])
			}
			return nil
		})
		if err != nil {
			return err
		}
		if _, err := h.target.Call("addEventListener", h.event, fn); err != nil {
			fn.Release()
			return err
		}
		p.listeners = append(p.listeners, listener{h.target, h.event, fn})
	}
	return nil
}

// close removes the page's listeners and releases their functions: once
// removed, nothing can call them.
func (p *page) close() {
	for _, l := range p.listeners {
		_, _ = l.target.Call("removeEventListener", l.event, l.fn)
		l.fn.Release()
	}
	p.listeners = nil
}

// columnOf returns the number of the column that ev happened in, whether on
// the column itself or on one of its cells.
func columnOf(ev safejs.Value) (int, bool) {
	var d dom
	column := d.call(d.get(ev, "target"), "closest", ".column")
	if d.err != nil || column.IsNull() {
		return 0, false
	}
	attr := d.call(column, "getAttribute", "data-column")
	if d.err != nil || attr.IsNull() {
		return 0, false
	}
	s, err := attr.String()
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// isPressKey reports whether the keyboard event ev is a key that presses a
// button: Enter or Space.
func isPressKey(ev safejs.Value) bool {
	key, err := ev.Get("key")
	if err != nil {
		return false
	}
	s, err := key.String()
	return err == nil && (s == "Enter" || s == " ")
}

// paint makes the elements show v, changing only what differs from what they
// show.
func (p *page) paint(v game.View) error {
	var d dom
	old, all := p.shown, !p.painted
	for c := range connect4.Columns {
		for r := range connect4.Rows {
			if all || v.Cells[c][r] != old.Cells[c][r] {
				d.set(p.cells[c][r], "className", v.Cells[c][r].Class())
			}
		}
	}
	if all || v.Status != old.Status {
		d.set(p.status, "textContent", v.Status)
	}
	if all || v.StatusClass() != old.StatusClass() {
		d.set(p.status, "className", v.StatusClass())
	}
	if all || v.Connection != old.Connection {
		d.set(p.connection, "textContent", v.Connection)
		d.set(p.connection, "hidden", v.Connection == "")
	}
	if all || v.Playable != old.Playable {
		class := "board"
		if v.Playable {
			class += " playable"
		}
		d.set(p.board, "className", class)
	}
	// After an error, the elements show a mix: repaint them all next time.
	p.shown, p.painted = v, d.err == nil
	if d.err != nil {
		return fmt.Errorf("browser: painting: %w", d.err)
	}
	return nil
}
