//go:build js && wasm

package browser

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/hack-pad/safejs"
)

// The messages that the page's listeners push for the event loop.
type (
	clicked        struct{ column int }             // a click, or Enter or Space, on a column
	hovered        struct{ column int }             // the pointer or focus moved to a column, or -1 off the board
	startAsked     struct{ mode protocol.Mode }     // a click on a start screen button, or the chooser's Start
	chooserToggled struct{}                         // a click on "Play the computer"
	levelChosen    struct{ level string }           // a level chosen in the chooser
	colourChosen   struct{ colour connect4.Player } // a colour chosen in the chooser
	rematchAsked   struct{}                         // a click on "Rematch" or "New game"
	retakeAsked    struct{}                         // a click on "Take my seat back"
	homeAsked      struct{}                         // a click on the button back to the start screen
	copyAsked      struct{ link game.Link }         // a click on a copy button
)

// page is the game's part of the document: the elements it built in the root,
// the listeners it added to them, and the View they show.
//
// The document looks like this, the elements the View hides carrying the
// hidden attribute:
//
//	<p class="connection">Connecting…</p>
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
//	    <p class="status turn red you" role="status" aria-live="polite">Your turn</p>
//	    <p class="presence">Waiting for yellow to join…</p>
//	  </div>
//	  <section class="seeking-panel">…</section> (quick.go)
//	  <section class="invite-panel">
//	    <h2>…</h2> <p>…</p>
//	    <div class="link-row"><input class="join-link" readonly> <button class="copy">Copy</button></div>
//	    <p class="watch-text">… <a class="watch-link" href="?watch=KEY">watch link</a> …</p>
//	  </section>
//	  <div class="board">
//	    <div class="column" data-column="0">
//	      <div class="cell empty" data-row="0"></div> … six cells, the bottom one first
//	    </div> … seven columns, from the left
//	  </div>
//	  <p class="offer">Yellow wants a rematch</p>
//	  <div class="actions">
//	    <button class="rematch">Rematch</button> <button class="new-game">New game</button>
//	    <button class="retake">Take my seat back</button> <button class="home">Leave game</button>
//	  </div>
//	  <p class="share">… <a class="share-watch" href="?watch=KEY">watch link</a> <button class="copy-watch">Copy</button></p>
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
	invite, joinLink, copy      safejs.Value
	watchLink                   safejs.Value
	board                       safejs.Value
	cells                       [connect4.Columns][connect4.Rows]safejs.Value
	offer                       safejs.Value
	rematch, newGame            safejs.Value
	retake, home                safejs.Value
	share, shareLink, copyWatch safejs.Value
	quick                       quickParts
	clocks                      clockParts

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
	pitchText = "Drop checkers in turn: the first to line up four, across, up or diagonally, wins."
	inviteTip = "Send this link to the person you want to play. You play red, and you can make the first move while you wait."
	// chooserID names the chooser for the button that opens it.
	chooserID = "connect4-chooser"
)

// The chooser's labels of the levels, and of the colours with their details.
var (
	levelLabels  = map[string]string{"easy": "Easy", "medium": "Medium", "perfect": "Perfect"}
	colourLabels = []struct{ value, label, detail string }{
		{"red", "Red", "moves first"},
		{"yellow", "Yellow", "moves second"},
	}
)

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
	withText := func(e safejs.Value, s string) safejs.Value {
		d.text(e, s)
		return e
	}
	button := func(class, label string) safejs.Value {
		return withText(el("button", class, "type", "button"), label)
	}
	// choice is a big button of the start screen.
	choice := func(class, title, detail string) safejs.Value {
		b := el("button", "choice "+class, "type", "button")
		d.call(b, "append", title, withText(el("span", "choice-detail"), detail))
		return b
	}

	p.connection = el("p", "connection")
	p.fault = el("p", "fault", "role", "alert")

	p.startNote = el("p", "start-note", "role", "alert")
	p.watchInstead = withText(el("a", "watch-instead"), "Watch this game")
	p.computer = choice("computer", "Play the computer", "Easy, medium or perfect")
	d.call(p.computer, "setAttribute", "aria-controls", chooserID)
	p.quick = buildQuick(&d, el, withText)
	choices := el("div", "choices")
	d.call(choices, "append",
		p.quick.button,
		choice("play-here", "Play here", "Two players, one screen"),
		choice("invite", "Invite a friend", "Send a link, play from two browsers"),
		p.computer)

	// segment is one option of a row of radio buttons; the label, with its
	// detail if any, stands for the whole of it.
	segment := func(class, name, value, label, detail string) (safejs.Value, radio) {
		input := el("input", "", "type", "radio", "name", name, "value", value)
		l := el("label", strings.TrimSpace("segment "+class))
		d.call(l, "append", input, withText(el("span", "segment-label"), label))
		if detail != "" {
			d.call(l, "append", withText(el("span", "segment-detail"), detail))
		}
		return l, radio{input, value}
	}
	levels := el("fieldset", "levels")
	d.call(levels, "append", withText(el("legend", ""), "Level"))
	for _, level := range game.Levels {
		l, r := segment("", "level", level, levelLabels[level], "")
		d.call(levels, "append", l)
		p.levels = append(p.levels, r)
	}
	colours := el("fieldset", "colours")
	d.call(colours, "append", withText(el("legend", ""), "Your colour"))
	for _, c := range colourLabels {
		l, r := segment(c.value, "colour", c.value, c.label, c.detail)
		d.call(colours, "append", l)
		p.colours = append(p.colours, r)
	}
	p.chooser = el("section", "chooser", "id", chooserID, "aria-label", "Play the computer")
	d.call(p.chooser, "append", levels, colours, button("start-computer", "Start"))

	p.clocks = buildClocks(&d, el, withText, segment)
	p.start = el("section", "start", "aria-label", "New game")
	d.call(p.start, "append", withText(el("p", "pitch"), pitchText), p.startNote, p.watchInstead, choices, p.clocks.choice, p.chooser, p.quick.lobby)

	p.role = el("p", "role")
	p.status = el("p", "status", "role", "status", "aria-live", "polite")
	p.presence = el("p", "presence")
	bar := el("div", "status-bar")
	d.call(bar, "append", p.role, p.status, p.presence)

	p.joinLink = el("input", "join-link", "type", "text", "readonly", "", "aria-label", "Join link", "spellcheck", "false")
	p.copy = button("copy", "Copy")
	row := el("div", "link-row")
	d.call(row, "append", p.joinLink, p.copy)
	p.watchLink = withText(el("a", "watch-link", "target", "_blank", "rel", "noopener"), "watch link")
	watchText := el("p", "watch-text")
	d.call(watchText, "append", "Anyone else can follow the game with the ", p.watchLink, ".")
	p.invite = el("section", "invite-panel", "aria-label", "Invite a friend")
	d.call(p.invite, "append", withText(el("h2", "invite-title"), "Invite a friend"),
		withText(el("p", "invite-text"), inviteTip), row, watchText)

	p.board = el("div", "board")
	for c := range connect4.Columns {
		column := el("div", "column",
			"data-column", strconv.Itoa(c),
			"role", "button", "tabindex", "0",
			"aria-label", fmt.Sprintf("Column %d", c+1))
		for r := range connect4.Rows {
			p.cells[c][r] = el("div", "cell empty", "data-row", strconv.Itoa(r))
			d.call(column, "append", p.cells[c][r])
		}
		d.call(p.board, "append", column)
	}

	p.offer = el("p", "offer", "role", "status")
	p.rematch = button("rematch", "Rematch")
	p.newGame = button("new-game", "New game")
	p.retake = button("retake", "Take my seat back")
	p.home = button("home", "Start screen")
	actions := el("div", "actions")
	d.call(actions, "append", p.rematch, p.newGame, p.retake, p.home)

	p.shareLink = withText(el("a", "share-watch", "target", "_blank", "rel", "noopener"), "watch link")
	p.copyWatch = button("copy-watch", "Copy")
	p.share = el("p", "share")
	d.call(p.share, "append", "Let others watch: ", p.shareLink, " ", p.copyWatch)

	p.game = el("section", "game", "aria-label", "Game")
	d.call(p.game, "append", bar, p.clocks.clocks, p.quick.panel, p.invite, p.board, p.offer, actions, p.share)
	d.call(root, "replaceChildren", p.connection, p.fault, p.start, p.game)
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
	on := func(m any) func(safejs.Value) { return func(safejs.Value) { push(m) } }
	err := p.listen(append(append(p.quick.handlers(push), p.clocks.handlers(push)...), []handler{
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
		{p.retake, "click", on(retakeAsked{})},
		{p.home, "click", on(homeAsked{})},
	}...))
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
	hide(p.start, !v.Start, !old.Start)
	hide(p.game, v.Start || v.Fault != "", old.Start || old.Fault != "")
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
		d.call(p.chooser, "scrollIntoView", map[string]any{"block": "nearest", "behavior": "smooth"})
	}

	textOrHide(p.role, v.Role, old.Role)
	class(p.role, v.RoleClass(), old.RoleClass())
	text(p.status, v.Status, old.Status)
	class(p.status, v.StatusClass(), old.StatusClass())
	textOrHide(p.presence, v.Presence, old.Presence)

	hide(p.invite, !v.Invite, !old.Invite)
	if all || v.JoinLink != old.JoinLink {
		d.set(p.joinLink, "value", v.JoinLink)
	}
	text(p.copy, v.CopyJoin, old.CopyJoin)
	attr(p.watchLink, "href", v.WatchHref, old.WatchHref)
	hide(p.share, !v.Share, !old.Share)
	attr(p.shareLink, "href", v.WatchHref, old.WatchHref)
	text(p.copyWatch, v.CopyWatch, old.CopyWatch)

	for c := range connect4.Columns {
		for r := range connect4.Rows {
			class(p.cells[c][r], v.Cells[c][r].Class(), old.Cells[c][r].Class())
		}
	}
	boardClass := func(v game.View) string {
		if v.Playable {
			return "board playable"
		}
		return "board"
	}
	class(p.board, boardClass(v), boardClass(old))

	textOrHide(p.offer, v.Offer, old.Offer)
	textOrHide(p.rematch, v.Rematch, old.Rematch)
	hide(p.newGame, !v.NewGame, !old.NewGame)
	textOrHide(p.retake, v.Retake, old.Retake)
	textOrHide(p.home, v.Home, old.Home)
	p.quick.paint(&d, v, old, all)
	p.clocks.paint(&d, v, old, all)

	// After an error, the elements show a mix: repaint them all next time.
	p.shown, p.painted = v, d.err == nil
	if d.err != nil {
		return fmt.Errorf("browser: painting: %w", d.err)
	}
	return nil
}
