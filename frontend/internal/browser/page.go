//go:build js && wasm

package browser

import (
	_ "embed"
	"fmt"
	"strconv"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/hack-pad/safejs"
)

// The messages that the page's listeners push for the event loop.
type (
	clicked        struct{ column int }             // a click, or Enter, Space or a digit, on a column
	hovered        struct{ column int }             // the pointer moved to a column, or -1 off the board
	aimed          struct{ column int }             // the focus moved to a column, or -1 off the board
	stepped        struct{ delta int }              // an arrow key (or Home, End) on the board
	startAsked     struct{ mode protocol.Mode }     // a click on a start screen button, or the chooser's Start
	chooserToggled struct{}                         // a click on "Play the computer"
	levelChosen    struct{ level string }           // a level chosen in the chooser
	colourChosen   struct{ colour connect4.Player } // a colour chosen in the chooser
	rematchAsked   struct{}                         // a click on "Rematch" or "New game"
	takeBackAsked  struct{}                         // a click on "Take back"
	retakeAsked    struct{}                         // a click on "Take my seat back"
	homeAsked      struct{}                         // a click on the button back to the start screen
	copyAsked      struct{ link game.Link }         // a click on a copy button
	shareAsked     struct{}                         // a click on the Share button
	answered       struct{ yes bool }               // an answer to the confirmation dialog
)

// page is the game's part of the document: the elements it put in the root,
// the listeners it added to them, and the View they show.
//
// The elements come from page.html, and look like this once made, the
// elements the View hides carrying the hidden attribute:
//
//	<p class="connection" role="status">Connecting…</p>
//	<div class="announcer" role="log" aria-live="polite"><p>Red played column 4, row 1. Your turn</p> …</div>
//	<p class="fault" role="alert">This page cannot reach its game server: …</p>
//	<section class="start">
//	  <p class="pitch">…</p>
//	  <p class="start-note">This game already has two players: …</p>
//	  <a class="watch-instead" href="?watch=KEY">Watch this game</a>
//	  <div class="choices">
//	    <button class="choice quick">Play someone …</button> (quick.go)
//	    <button class="choice play-here">Play here <span class="choice-detail">…</span></button>
//	    <button class="choice invite">Invite a friend <span class="choice-detail">…</span></button>
//	    <button class="choice computer" aria-expanded="false">Play the computer <span class="choice-detail">…</span></button>
//	  </div>
//	  <section class="chooser" id="connect4-chooser">
//	    <fieldset class="levels"><legend>Level</legend>
//	      <label class="segment"><input type="radio" name="level" value="easy"> <span class="segment-label">Easy</span></label> … medium, perfect
//	    </fieldset>
//	    <fieldset class="colours"><legend>Your colour</legend>
//	      <label class="segment red"><input type="radio" name="colour" value="red"> <span class="segment-label">Red</span> <span class="segment-detail">moves first</span></label> … yellow
//	    </fieldset>
//	    <button class="start-computer">Start</button>
//	  </section>
//	  <section class="lobby">…</section> (quick.go)
//	</section>
//	<section class="game">
//	  <div class="status-bar">
//	    <p class="role red">You are red</p>
//	    <p class="status turn red you">Your turn</p>
//	    <p class="notice">Column 4 is full: choose another.</p>
//	    <p class="presence">Waiting for yellow to join…</p>
//	  </div>
//	  <section class="seeking-panel">…</section> (quick.go)
//	  <details class="invite-panel" open>
//	    <summary><h2 class="invite-title">Invite a friend</h2></summary> <p>…</p>
//	    <div class="link-row"><input class="join-link" readonly> <button class="copy">Copy</button> <button class="share-native">Share…</button></div>
//	    <p class="watch-text">… <a class="watch-link" href="?watch=KEY">watch link</a> …</p>
//	  </details>
//	  <div class="board-wrap">
//	    <div class="board" role="group" aria-label="Board" aria-describedby="connect4-board-help">
//	      <div class="column" data-column="0" role="button" tabindex="-1" aria-label="Column 1: red; 5 free" aria-disabled="false">
//	        <div class="cell empty" data-row="0"></div> … six cells, the bottom one first
//	      </div> … seven columns, from the left, one of them with tabindex="0"
//	    </div>
//	    <p class="offline-note" aria-hidden="true">Offline: reconnecting</p>
//	  </div>
//	  <p class="board-help" id="connect4-board-help">…</p>
//	  <p class="offer">Yellow wants a rematch</p>
//	  <div class="actions">
//	    <button class="rematch">Rematch</button> <button class="new-game">New game</button> <button class="take-back">Take back</button>
//	    <button class="retake">Take my seat back</button> <button class="home">Leave game</button>
//	  </div>
//	  <p class="share">… <a class="share-watch" href="?watch=KEY">watch link</a> <button class="copy-watch">Copy</button></p>
//	  <dialog class="confirm" aria-labelledby="connect4-confirm">
//	    <p class="confirm-text" id="connect4-confirm">Leave this game? It is not over.</p>
//	    <button class="confirm-no">Keep playing</button> <button class="confirm-yes">Leave game</button>
//	  </dialog>
//	</section>
//
// A page is used by the event loop alone.
type page struct {
	doc safejs.Value

	connection, fault           safejs.Value
	start, startNote            safejs.Value
	watchInstead                safejs.Value
	computer, chooser           safejs.Value
	levels                      []radio
	colours                     []radio
	game                        safejs.Value
	role, status, presence      safejs.Value
	notice, announcer           safejs.Value
	invite, joinLink, copy      safejs.Value
	shareNative                 safejs.Value
	watchLink                   safejs.Value
	board, offlineNote          safejs.Value
	columns                     [connect4.Columns]safejs.Value
	cells                       [connect4.Columns][connect4.Rows]safejs.Value
	dialog, confirmText         safejs.Value
	confirmYes, confirmNo       safejs.Value
	offer                       safejs.Value
	rematch, newGame, takeBack  safejs.Value
	retake, home                safejs.Value
	share, shareLink, copyWatch safejs.Value
	quick                       quickParts
	clocks                      clockParts
	study                       studyParts

	shown   game.View // what the elements show, if painted
	painted bool

	listeners []listener
}

// radio is a radio button of the chooser, with the value it stands for.
type radio struct {
	input safejs.Value
	value string
}

// listener is an event listener that the page added and must remove.
type listener struct {
	target safejs.Value
	event  string
	fn     safejs.Func
}

// The page's fixed texts.
const (
	// shareTitle and shareText go with the join link to the browser's own
	// Share sheet.
	shareTitle = "Connect Four"
	shareText  = "Play Connect Four with me:"
	// announcerKept is how many announcements the live region keeps: the
	// older ones are removed, the screen reader having said them.
	announcerKept = 3
)

// pageHTML is the page's markup: the elements of the document above but for
// what comes many times, which newPage makes.
//
//go:embed page.html
var pageHTML string

// newPage replaces the content of root with the game's elements and listens to
// them, reporting the player's actions to push, which must not block. The
// caller paints a View, then calls close when done.
func newPage(root safejs.Value, push func(any)) (*page, error) {
	p := new(page)
	var d dom
	doc := d.get(safejs.Global(), "document")
	p.doc = doc
	el := func(tag, class string, attrs ...string) safejs.Value {
		return d.element(doc, tag, class, attrs...)
	}
	// The elements are made from pageHTML out of the document, found in
	// it, and put in the document only once the page listens to them.
	tpl := d.call(doc, "createElement", "template")
	d.set(tpl, "innerHTML", compact(pageHTML))
	parts := d.get(tpl, "content")
	d.find(parts, []found{
		{".connection", &p.connection}, {".fault", &p.fault}, {".announcer", &p.announcer},
		{".start", &p.start}, {".start-note", &p.startNote}, {".watch-instead", &p.watchInstead},
		{".choice.computer", &p.computer}, {".chooser", &p.chooser},
		{".game", &p.game}, {".role", &p.role}, {".status", &p.status}, {".notice", &p.notice}, {".presence", &p.presence},
		{".invite-panel", &p.invite}, {".join-link", &p.joinLink}, {".copy", &p.copy}, {".share-native", &p.shareNative},
		{".watch-link", &p.watchLink}, {".board", &p.board}, {".offline-note", &p.offlineNote},
		{".confirm", &p.dialog}, {".confirm-text", &p.confirmText}, {".confirm-yes", &p.confirmYes}, {".confirm-no", &p.confirmNo},
		{".offer", &p.offer}, {".rematch", &p.rematch}, {".new-game", &p.newGame}, {".take-back", &p.takeBack},
		{".retake", &p.retake}, {".home", &p.home},
		{".share", &p.share}, {".share-watch", &p.shareLink}, {".copy-watch", &p.copyWatch},
	})
	p.levels = d.radios(parts, "level", game.Levels)
	p.colours = d.radios(parts, "colour", []string{"red", "yellow"})
	d.set(p.shareNative, "hidden", !canShare())
	for c := range connect4.Columns {
		// One Tab stop for the whole board: the keyboard's column has
		// tabindex 0, the others -1, and the arrows move between them.
		p.columns[c] = el("div", "column",
			"data-column", strconv.Itoa(c),
			"role", "button", "tabindex", "-1",
			"aria-label", "Column "+strconv.Itoa(c+1))
		for r := range connect4.Rows {
			p.cells[c][r] = el("div", "cell empty", "data-row", strconv.Itoa(r))
			d.call(p.columns[c], "append", p.cells[c][r])
		}
		d.call(p.board, "append", p.columns[c])
	}
	p.quick = findQuick(&d, parts, el)
	p.clocks = findClocks(&d, parts)
	p.study = findStudy(&d, parts, el)
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
	aim := func(ev safejs.Value) {
		column, ok := columnOf(ev)
		if !ok {
			column = -1
		}
		push(aimed{column})
	}
	leave := func(safejs.Value) { push(hovered{-1}) }
	on := func(m any) func(safejs.Value) { return func(safejs.Value) { push(m) } }
	err := p.listen(append(append(append(p.quick.handlers(push), p.clocks.handlers(push)...), p.study.handlers(push)...), []handler{
		{p.board, "click", func(ev safejs.Value) {
			if column, ok := columnOf(ev); ok {
				push(clicked{column})
			}
		}},
		{p.board, "keydown", func(ev safejs.Value) {
			column, ok := columnOf(ev)
			if !ok || modified(ev) {
				return
			}
			var m any
			switch key := keyOf(ev); {
			case key == "Enter" || key == " ":
				m = clicked{column}
			case len(key) == 1 && key[0] >= '1' && key[0] <= '0'+connect4.Columns:
				m = clicked{int(key[0] - '1')}
			case key == "ArrowLeft" || key == "ArrowUp":
				m = stepped{-1}
			case key == "ArrowRight" || key == "ArrowDown":
				m = stepped{1}
			case key == "Home":
				m = stepped{-connect4.Columns}
			case key == "End":
				m = stepped{connect4.Columns}
			default:
				return
			}
			_, _ = ev.Call("preventDefault") // Space and the arrows would scroll the page
			push(m)
		}},
		{p.board, "mouseover", hover},
		{p.board, "focusin", aim},
		{p.board, "mouseleave", leave},
		{p.board, "focusout", leave},
		{p.start, "click", func(ev safejs.Value) {
			switch {
			case within(ev, ".quick"):
				push(startAsked{protocol.Quick})
			case within(ev, ".play-here"):
				push(startAsked{protocol.HotSeat})
			case within(ev, ".invite"):
				push(startAsked{protocol.Friends})
			case within(ev, ".computer"):
				push(chooserToggled{})
			case within(ev, ".start-computer"):
				push(startAsked{protocol.Computer})
			}
		}},
		{p.chooser, "change", func(ev safejs.Value) {
			var d dom
			target := d.get(ev, "target")
			name, value := d.string(d.get(target, "name")), d.string(d.get(target, "value"))
			switch {
			case d.err != nil:
			case name == "level":
				push(levelChosen{value})
			case name == "colour" && value == "red":
				push(colourChosen{connect4.Red})
			case name == "colour" && value == "yellow":
				push(colourChosen{connect4.Yellow})
			}
		}},
		// A tab shown again, or a browser back online, may have a dead
		// connection: the heartbeat checks at once.
		{doc, "visibilitychange", func(safejs.Value) {
			var d dom
			if d.string(d.get(doc, "visibilityState")) == "visible" {
				push(woke{})
			}
		}},
		{safejs.Global(), "online", on(woke{})},
		{p.copy, "click", on(copyAsked{game.JoinLink})},
		{p.copyWatch, "click", on(copyAsked{game.WatchLink})},
		{p.rematch, "click", on(rematchAsked{})},
		{p.newGame, "click", on(rematchAsked{})},
		{p.takeBack, "click", on(takeBackAsked{})},
		{p.retake, "click", on(retakeAsked{})},
		{p.home, "click", on(homeAsked{})},
		{p.shareNative, "click", on(shareAsked{})},
		{p.confirmYes, "click", on(answered{true})},
		{p.confirmNo, "click", on(answered{false})},
		// Escape closes the dialog: the same as "Keep playing".
		{p.dialog, "cancel", on(answered{false})},
	}...))
	if err != nil {
		p.close()
		return nil, fmt.Errorf("browser: listening to the page: %w", err)
	}
	// Into the document only now that it listens: a click on what shows
	// is never lost. The live region is never hidden, so that it is in
	// place before the first announcement of a game.
	d.call(root, "replaceChildren", p.connection, p.fault, p.announcer, p.start, p.game)
	p.study.root = root
	if d.err != nil {
		p.close()
		return nil, fmt.Errorf("browser: showing the page: %w", d.err)
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
	// A question left open would keep the rest of the document inert.
	if !p.dialog.IsUndefined() && !p.dialog.IsNull() {
		_, _ = p.dialog.Call("close")
	}
}

// closest returns the element that matches selector among the target of ev
// and its ancestors, or null.
func closest(ev safejs.Value, selector string) safejs.Value {
	var d dom
	el := d.call(d.get(ev, "target"), "closest", selector)
	if d.err != nil {
		return safejs.Null()
	}
	return el
}

// within reports whether ev happened in an element that matches selector.
func within(ev safejs.Value, selector string) bool {
	el := closest(ev, selector)
	return !el.IsNull() && !el.IsUndefined()
}

// columnOf returns the number of the column that ev happened in, whether on
// the column itself or on one of its cells.
func columnOf(ev safejs.Value) (int, bool) {
	column := closest(ev, ".column")
	if column.IsNull() || column.IsUndefined() {
		return 0, false
	}
	var d dom
	attr := d.call(column, "getAttribute", "data-column")
	if d.err != nil || attr.IsNull() {
		return 0, false
	}
	n, err := strconv.Atoi(d.string(attr))
	return n, err == nil
}

// focus keeps the keyboard where the player expects it while a game shows:
// on the keyboard's column when the focus was lost (a game started, or the
// button pressed is gone) and when the keyboard's column moved.
func (p *page) focus(d *dom, v, old game.View, all bool) {
	if v.Start || v.Fault != "" || v.Confirm != "" || v.Study {
		return
	}
	active := d.get(p.doc, "activeElement")
	lost := active.IsNull() || active.IsUndefined() || active.Equal(d.get(p.doc, "body"))
	moved := !all && v.Cursor != old.Cursor && d.truthy(d.call(p.board, "contains", active))
	if d.err == nil && (lost || moved) {
		d.call(p.columns[v.Cursor], "focus")
	}
}

// keyOf returns the key of the keyboard event ev, such as "Enter", " " or
// "4", or "".
func keyOf(ev safejs.Value) string {
	var d dom
	return d.string(d.get(ev, "key"))
}

// modified reports whether the keyboard event ev comes with Alt, Ctrl or
// Meta held: a shortcut of the browser's, not a move.
func modified(ev safejs.Value) bool {
	for _, m := range []string{"altKey", "ctrlKey", "metaKey"} {
		v, err := ev.Get(m)
		if err != nil {
			return false
		}
		if b, err := v.Truthy(); err == nil && b {
			return true
		}
	}
	return false
}

// canShare reports whether the browser has a Share sheet of its own.
func canShare() bool {
	var d dom
	share := d.get(d.get(safejs.Global(), "navigator"), "share")
	return d.err == nil && share.Type() == safejs.TypeFunction
}

// openShare opens the browser's Share sheet with url; what becomes of it
// is the player's business, and a cancel is no error.
func (p *page) openShare(url string) {
	var d dom
	nav := d.get(safejs.Global(), "navigator")
	promise := d.call(nav, "share", map[string]any{"title": shareTitle, "text": shareText, "url": url})
	if d.err != nil {
		warn("browser: sharing: ", d.err.Error())
		return
	}
	// A rejected promise left alone is reported as an error in the
	// console: a noop catches it.
	var ignore safejs.Func
	ignore, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		ignore.Release()
		return nil
	})
	if err == nil {
		_, err = promise.Call("catch", ignore)
	}
	if err != nil {
		warn("browser: sharing: ", err.Error())
	}
}

// reducedMotion reports whether the player asked for less motion.
func reducedMotion() bool {
	var d dom
	m := d.call(safejs.Global(), "matchMedia", "(prefers-reduced-motion: reduce)")
	matches := d.get(m, "matches")
	if d.err != nil {
		return false
	}
	b, err := matches.Truthy()
	return err == nil && b
}

// selectJoinLink selects the join link's text, for the player to copy it, and
// tries the browser's old copy command on it. It reports whether that copied.
func (p *page) selectJoinLink() bool {
	var d dom
	d.call(p.joinLink, "focus")
	d.call(p.joinLink, "select")
	return d.err == nil && copyCommand(p.doc)
}

// copyText copies text with the browser's old copy command, through a
// hidden text area, and reports whether it could.
func (p *page) copyText(text string) bool {
	var d dom
	area := d.element(p.doc, "textarea", "clipboard", "readonly", "", "aria-hidden", "true")
	d.set(area, "value", text)
	d.call(d.get(p.doc, "body"), "append", area)
	d.call(area, "select")
	ok := d.err == nil && copyCommand(p.doc)
	d.call(area, "remove")
	return ok
}

// copyCommand runs document.execCommand("copy") on the selection: the way to
// copy where navigator.clipboard is missing, as on plain http.
func copyCommand(doc safejs.Value) bool {
	ok, err := doc.Call("execCommand", "copy")
	if err != nil {
		return false
	}
	b, err := ok.Truthy()
	return err == nil && b
}

// paint makes the elements show v, changing only what differs from what they
// show.
func (p *page) paint(v game.View) error {
	var d dom
	old, all := p.shown, !p.painted
	text := func(el safejs.Value, now, was string) {
		if all || now != was {
			d.text(el, now)
		}
	}
	hide := func(el safejs.Value, hidden, was bool) {
		if all || hidden != was {
			d.set(el, "hidden", hidden)
		}
	}
	// textOrHide shows the text, or hides el when there is none.
	textOrHide := func(el safejs.Value, now, was string) {
		text(el, now, was)
		hide(el, now == "", was == "")
	}
	class := func(el safejs.Value, now, was string) {
		if all || now != was {
			d.set(el, "className", now)
		}
	}
	attr := func(el safejs.Value, name, now, was string) {
		if all || now != was {
			d.call(el, "setAttribute", name, now)
		}
	}

	if all || v.Title != old.Title {
		d.set(p.doc, "title", v.Title)
	}
	textOrHide(p.connection, v.Connection, old.Connection)
	textOrHide(p.fault, v.Fault, old.Fault)
	hide(p.start, !v.Start || v.Study, !old.Start || old.Study)
	hide(p.game, v.Start || v.Fault != "" || v.Study, old.Start || old.Fault != "" || old.Study)
	textOrHide(p.startNote, v.StartNote, old.StartNote)
	attr(p.watchInstead, "href", v.WatchInstead, old.WatchInstead)
	hide(p.watchInstead, v.WatchInstead == "", old.WatchInstead == "")

	hide(p.chooser, !v.Chooser, !old.Chooser)
	attr(p.computer, "aria-expanded", strconv.FormatBool(v.Chooser), strconv.FormatBool(old.Chooser))
	check := func(radios []radio, now, was string) {
		for _, r := range radios {
			if all || (r.value == now) != (r.value == was) {
				d.set(r.input, "checked", r.value == now)
			}
		}
	}
	check(p.levels, v.Level, old.Level)
	check(p.colours, v.Colour.String(), old.Colour.String())
	if v.Chooser && !old.Chooser && old.Start && !all {
		// Opened by the player: on a small screen it may open below the
		// fold.
		behavior := "smooth"
		if reducedMotion() {
			behavior = "auto"
		}
		d.call(p.chooser, "scrollIntoView", map[string]any{"block": "nearest", "behavior": behavior})
	}

	textOrHide(p.role, v.Role, old.Role)
	class(p.role, v.RoleClass(), old.RoleClass())
	text(p.status, v.Status, old.Status)
	class(p.status, v.StatusClass(), old.StatusClass())
	textOrHide(p.notice, v.Notice, old.Notice)
	textOrHide(p.presence, v.Presence, old.Presence)
	if fresh := min(v.NewsCount-old.NewsCount, game.NewsKept); v.NewsCount > old.NewsCount {
		for _, n := range v.News[game.NewsKept-int(fresh):] {
			line := d.element(p.doc, "p", "")
			d.text(line, n)
			d.call(p.announcer, "append", line)
		}
		for d.err == nil && d.int(d.get(p.announcer, "childElementCount")) > announcerKept {
			d.call(d.get(p.announcer, "firstElementChild"), "remove")
		}
	}

	hide(p.invite, !v.Invite, !old.Invite)
	if all || v.InviteOpen != old.InviteOpen {
		d.set(p.invite, "open", v.InviteOpen)
	}
	if all || v.JoinLink != old.JoinLink {
		d.set(p.joinLink, "value", v.JoinLink)
	}
	text(p.copy, v.CopyJoin, old.CopyJoin)
	attr(p.watchLink, "href", v.WatchHref, old.WatchHref)
	hide(p.share, !v.Share, !old.Share)
	attr(p.shareLink, "href", v.WatchHref, old.WatchHref)
	text(p.copyWatch, v.CopyWatch, old.CopyWatch)

	tabindex := func(v game.View, c int) string {
		if c == v.Cursor {
			return "0"
		}
		return "-1"
	}
	disabled := func(v game.View, c int) string {
		return strconv.FormatBool(!v.Playable || v.Full[c])
	}
	for c := range connect4.Columns {
		for r := range connect4.Rows {
			class(p.cells[c][r], v.Cells[c][r].Class(), old.Cells[c][r].Class())
		}
		attr(p.columns[c], "aria-label", v.Labels[c], old.Labels[c])
		attr(p.columns[c], "aria-disabled", disabled(v, c), disabled(old, c))
		attr(p.columns[c], "tabindex", tabindex(v, c), tabindex(old, c))
	}
	boardClass := func(v game.View) string {
		switch {
		case v.Offline:
			return "board offline"
		case v.Playable:
			return "board playable"
		}
		return "board"
	}
	class(p.board, boardClass(v), boardClass(old))
	hide(p.offlineNote, !v.Offline, !old.Offline)

	textOrHide(p.offer, v.Offer, old.Offer)
	textOrHide(p.rematch, v.Rematch, old.Rematch)
	hide(p.newGame, !v.NewGame, !old.NewGame)
	hide(p.takeBack, !v.TakeBack, !old.TakeBack)
	textOrHide(p.retake, v.Retake, old.Retake)
	textOrHide(p.home, v.Home, old.Home)
	p.quick.paint(&d, v, old, all)
	p.clocks.paint(&d, v, old, all)

	switch {
	case v.Confirm != "" && (all || old.Confirm == ""):
		d.text(p.confirmText, v.Confirm)
		d.text(p.confirmYes, v.ConfirmYes)
		d.text(p.confirmNo, v.ConfirmNo)
		if !d.truthy(d.get(p.dialog, "open")) {
			d.call(p.dialog, "showModal")
		}
	case v.Confirm == "" && !all && old.Confirm != "":
		d.call(p.dialog, "close")
	}
	p.focus(&d, v, old, all)

	// After an error, the elements show a mix: repaint them all next time.
	p.shown, p.painted = v, d.err == nil
	if d.err != nil {
		return fmt.Errorf("browser: painting: %w", d.err)
	}
	return nil
}
