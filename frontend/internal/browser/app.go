//go:build js && wasm

package browser

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/hack-pad/safejs"
)

// Timings of the page.
const (
	// errorTimeout is how long an error stays in the status line.
	errorTimeout = 4 * time.Second
	// copyTimeout is how long a copy button says "Copied!".
	copyTimeout = 2 * time.Second
	// minRetry is the wait before reconnecting after a drop; it doubles after
	// each failed attempt, up to maxRetry.
	minRetry = 500 * time.Millisecond
	maxRetry = 10 * time.Second
)

// unreadable is shown for a message from the server that cannot be decoded.
const unreadable = "The server sent a message this page cannot read."

// config holds what the event loop needs from outside: Run sets the real
// values, tests their own.
type config struct {
	dial               dialFunc
	addr               address
	store              storage
	copy               copier
	lobby              lobbyFunc // nil: no list of games on the start screen
	errorTimeout       time.Duration
	copyTimeout        time.Duration
	minRetry, maxRetry time.Duration
	// heartbeat checks the connection; zero fields take the game's
	// defaults.
	heartbeat game.Heartbeat
	// brain makes the page's solver; nil: the page has none (tests that
	// need none).
	brain newBrain
}

// Run shows the game in the element that selector finds, connects to the game
// server when the page needs a game, and runs until stop is closed (a nil stop:
// for the page's life). It then stops listening to the page, closes the
// connection and returns nil; it returns an error only if it cannot start.
//
// Run takes a channel, not a context.Context: a Context in the page would link
// time's formatting into app.wasm (Context's Deadline returns a time.Time,
// whose String method then stays), some 19 KB of brotli.
//
// The server is the one that the page's <meta name="connect4-server"> names
// (see [game.ServerMeta]), or else the root of the page's own site. A setting
// that is not a ws: or wss: URL is shown in the page, which then never
// connects.
func Run(stop <-chan struct{}, selector string) error {
	var d dom
	root := d.call(d.get(safejs.Global(), "document"), "querySelector", selector)
	if d.err != nil {
		return fmt.Errorf("browser: finding %s: %w", selector, d.err)
	}
	if root.IsNull() {
		return fmt.Errorf("browser: no element matches %s", selector)
	}
	prefetchWorker()
	return run(stop, root, config{
		dial:         dialWebSocket,
		addr:         windowAddress{},
		store:        localStorage(),
		copy:         clipboardCopy,
		lobby:        fetchLobby,
		errorTimeout: errorTimeout,
		copyTimeout:  copyTimeout,
		minRetry:     minRetry,
		maxRetry:     maxRetry,
		brain:        newWebWorkers,
	})
}

// The messages that the loop sends itself, through timers and callbacks.
type (
	// fromSocket is what happened to the connection of an epoch.
	fromSocket struct {
		epoch int
		socketEvent
	}
	// retryTick wakes the countdown to reconnecting, of an epoch.
	retryTick struct{ epoch int }
	// expired tells that the error or copy note numbered seq has been shown
	// long enough.
	expired struct{ seq uint64 }
	// ticked tells that a countdown of the View may show a new number.
	ticked struct{}
	// copied tells whether text, the link named link, reached the clipboard.
	copied struct {
		link game.Link
		text string
		ok   bool
	}
	// woke tells that the page may have slept: its tab became visible
	// again, or the browser came back online.
	woke struct{}
)

// loop is the event loop: it owns the game state, the page and the connection.
// Only its goroutine touches them; everything else sends it messages through
// its queue.
type loop struct {
	cfg   config
	queue *queue
	state game.State
	page  *page

	conn conn // nil while there is none
	// epoch counts connections. Messages about an older one than the
	// current are stale: that connection has been replaced.
	epoch int
	// plan is the number of the State's plan (see game.State.Dial) that the
	// connection serves, or 0 for none.
	plan     int
	retry    time.Duration // the wait before the next reconnection
	redialAt time.Time     // when to reconnect, while counting down
	tickAt   time.Time     // when the next countdown tick is due, or zero
	// lobbyBusy reports a fetch of the lobby under way; lobbyAt is when
	// the next is due.
	lobbyBusy bool
	lobbyAt   time.Time
	study     studies // the study of games (study.go)
	// opened reports that the current connection opened: one that closes
	// before may give way to a game played in the page (see alone).
	opened bool
	brain  brain // the page's solver, made when first needed; or nil
}

// run is Run on an element with a config.
func run(stop <-chan struct{}, root safejs.Value, cfg config) error {
	l := &loop{cfg: cfg, queue: newQueue(), retry: cfg.minRetry}
	query := cfg.addr.query()
	l.state = game.New(game.Page{
		Base:      cfg.addr.base(),
		Query:     query,
		Token:     cfg.store.get(tokenKey(query)),
		Server:    serverSetting(),
		Heartbeat: cfg.heartbeat,
	})
	l.state.Tick(time.Now())
	l.openPos(query)
	p, err := newPage(root, l.queue.push)
	if err != nil {
		return err
	}
	defer p.close()
	l.page = p
	l.settle()
	for {
		select {
		case <-stop:
			l.hangUp()
			if l.brain != nil {
				l.brain.Close()
			}
			return nil
		case <-l.queue.ready:
		}
		l.state.Tick(time.Now())
		for _, m := range l.queue.take() {
			l.handle(m)
		}
		l.settle()
	}
}

// handle acts on one message.
func (l *loop) handle(m any) {
	switch m := m.(type) {
	case clicked:
		if cmd, ok := l.state.Click(m.column); ok {
			l.send(cmd)
		} else {
			// Refused here, such as a full column: said for a while.
			l.expire(l.state.ErrorSeq(), l.cfg.errorTimeout)
		}
	case hovered:
		l.state.Hover(m.column)
	case aimed:
		l.state.Aim(m.column)
		l.state.Hover(m.column)
	case stepped:
		l.state.Step(m.delta)
	case answered:
		l.sendIf(l.state.Answer(m.yes))
	case shareAsked:
		if link := l.state.View().JoinLink; link != "" {
			l.page.openShare(link)
		}
	case startAsked:
		l.state.Start(m.mode)
	case chooserToggled:
		l.state.ToggleChooser()
	case levelChosen:
		l.state.ChooseLevel(m.level)
	case colourChosen:
		l.state.ChooseColour(m.colour)
	case rematchAsked:
		l.sendIf(l.state.Rematch())
	case retakeAsked:
		l.state.Retake()
	case homeAsked:
		l.sendIf(l.state.CancelSeek()) // out of quick match's queue, if there
		l.state.Leave()
	case cancelAsked:
		l.sendIf(l.state.CancelSeek())
	case computerInsteadAsked:
		l.sendIf(l.state.PlayComputerInstead())
	case lobbyFetched:
		if m.err != nil {
			l.state.LobbyFailed()
		}
		l.lobbyCame(m)
	case clockChosen:
		l.state.ChooseClock(m.clock)
	case takeBackAsked:
		l.sendIf(l.state.TakeBack())
	case lobbyDue:
	case copyAsked:
		l.copy(m.link)
	case copied:
		ok := m.ok
		if !ok {
			// The clipboard refused: select the link, for the player to copy,
			// and try the browser's old copy command.
			if m.link == game.JoinLink {
				ok = l.page.selectJoinLink()
			} else {
				ok = l.page.copyText(m.text)
			}
		}
		l.expire(l.state.Copied(m.link, ok), l.cfg.copyTimeout)
	case fromSocket:
		if m.epoch == l.epoch {
			l.socket(m.socketEvent)
		}
	case retryTick:
		if m.epoch == l.epoch {
			l.countdown()
		}
	case expired:
		l.state.Expire(m.seq)
	case ticked:
		l.tickAt = time.Time{}
	case thought:
		l.thought(m)
	case woke:
		if l.state.Woke() {
			// Lost and waiting to reconnect: try now.
			l.redialAt = time.Now()
			l.countdown()
		}
	default:
		l.handleStudy(m)
	}
}

// settle brings the world in line with the state after a batch of messages:
// the tab's storage and the address, the connection and its heartbeat, the
// timer of the countdowns and the page.
func (l *loop) settle() {
	l.settleStudy()
	if q := l.state.Query(); q != l.cfg.addr.query() {
		// The seat moves to the new address: the old one, opened again,
		// is what it names for anyone else.
		l.cfg.store.remove(tokenKey(l.cfg.addr.query()))
		l.cfg.addr.setQuery(q)
	}
	l.keepToken()
	l.pollLobby()
	l.follow()
	l.heartbeat()
	l.wake()
	v := l.state.View()
	if err := l.page.paint(v); err != nil {
		warn(err.Error())
	}
	if err := l.page.study.paint(l.studyView(v), l.page.columns); err != nil {
		warn(err.Error())
	}
}

// keepToken stores the state's resume token under the page's address, or
// removes the one stored when the page holds no seat.
func (l *loop) keepToken() {
	key, token := tokenKey(l.cfg.addr.query()), l.state.Token()
	switch {
	case l.cfg.store.get(key) == token:
	case token == "":
		l.cfg.store.remove(key)
	default:
		l.cfg.store.set(key, token)
	}
}

// follow opens or closes the connection as the state wants.
func (l *loop) follow() {
	n, want := l.state.Dial()
	switch {
	case want && n == l.plan:
		// Served: open, opening, or counting down to the next attempt.
	case want:
		l.plan, l.retry = n, l.cfg.minRetry
		l.connect()
	case l.plan != 0:
		l.plan = 0
		l.hangUp()
	}
}

// heartbeat replaces a connection that stayed silent after a ping, and sends
// the ping that is due, if any.
func (l *loop) heartbeat() {
	if l.state.Silent() {
		warn("browser: no word from the server after a ping: connecting again")
		l.connect()
		return
	}
	if cmd, ok := l.state.Ping(); ok {
		// A ping that cannot go shows no error: the silence that follows
		// replaces the connection.
		if err := l.write(cmd); err != nil {
			warn(err.Error())
		}
	}
}

// wake sets a timer for the next change of a countdown that the View shows,
// or the next need of the heartbeat, whichever comes first.
func (l *loop) wake() {
	d, ok := l.state.NextChange()
	if beat, due := l.state.NextBeat(); due && (!ok || beat < d) {
		d, ok = beat, true
	}
	if !ok {
		return
	}
	at := time.Now().Add(d)
	if !l.tickAt.IsZero() && !at.Before(l.tickAt) {
		return // an earlier tick will come
	}
	l.tickAt = at
	time.AfterFunc(d, func() { l.queue.push(ticked{}) })
}

// socket acts on an event of the current connection.
func (l *loop) socket(e socketEvent) {
	switch e.kind {
	case socketOpened:
		l.opened = true
		l.retry = l.cfg.minRetry
		if cmd := l.state.Opened(); cmd != nil {
			l.send(cmd)
		}
	case socketMessage:
		ev, err := e.event, error(nil)
		if ev == nil {
			ev, err = protocol.DecodeEvent(e.text)
		}
		if err != nil {
			l.state.Heard() // a sign of life all the same
			warn("browser: cannot decode ", strconv.Quote(string(e.text)), ": ", err.Error())
			l.expire(l.state.ShowError(unreadable), l.cfg.errorTimeout)
			return
		}
		l.expire(l.state.Apply(ev), l.cfg.errorTimeout)
	case socketClosed:
		l.conn = nil
		if l.alone() {
			return // the page plays the game itself
		}
		if !l.state.Closed(e.code, e.reason) {
			return // for good: follow hangs up
		}
		// A quarter of jitter, so that the pages a restarted server
		// dropped do not all come back at the same instant.
		l.redialAt = time.Now().Add(l.retry - time.Duration(rand.Int64N(int64(l.retry)/4+1)))
		l.retry = min(2*l.retry, l.cfg.maxRetry)
		l.countdown()
	}
}

// connect replaces the connection, if any, with a new one.
func (l *loop) connect() {
	l.hangUp()
	epoch := l.epoch
	l.opened = false
	l.state.Connecting()
	if l.resumeAlone() {
		return
	}
	c, err := l.cfg.dial(l.state.ServerURL(), func(e socketEvent) {
		l.queue.push(fromSocket{epoch, e})
	})
	if err != nil {
		// Like a connection that failed to open: try again later.
		warn(err.Error())
		l.queue.push(fromSocket{epoch, socketEvent{kind: socketClosed, code: 1006}})
		return
	}
	l.conn = c
}

// hangUp closes the connection, if any, and stops the countdown to the next:
// everything the old connection and its timers report from now on is stale.
func (l *loop) hangUp() {
	if l.conn != nil {
		l.conn.close()
		l.conn = nil
	}
	l.epoch++
}

// countdown shows the time left before reconnecting, and reconnects when the
// time has come.
func (l *loop) countdown() {
	left := time.Until(l.redialAt)
	if left <= 0 {
		l.connect()
		return
	}
	l.state.Lost(left)
	// Wake up when the number of whole seconds shown changes.
	wait := left % time.Second
	if wait == 0 {
		wait = time.Second
	}
	epoch := l.epoch
	time.AfterFunc(wait, func() { l.queue.push(retryTick{epoch}) })
}

// sendIf sends cmd if ok: a State method's answer to an action, when it has
// something to send.
func (l *loop) sendIf(cmd protocol.Command, ok bool) {
	if ok {
		l.send(cmd)
	}
}

// send sends a command to the server, and shows that it could not if so.
func (l *loop) send(cmd protocol.Command) {
	if err := l.write(cmd); err != nil {
		warn(err.Error())
		l.expire(l.state.SendFailed(), l.cfg.errorTimeout)
	}
}

// write sends a command to the server.
func (l *loop) write(cmd protocol.Command) error {
	if c, ok := l.conn.(*localConn); ok {
		return c.command(cmd)
	}
	data, err := protocol.EncodeCommand(cmd)
	if err == nil && l.conn == nil {
		err = errors.New("no connection")
	}
	if err == nil {
		err = l.conn.send(data)
	}
	if err != nil {
		return fmt.Errorf("browser: sending %T: %w", cmd, err)
	}
	return nil
}

// copy copies a link that the page shows to the clipboard.
func (l *loop) copy(link game.Link) {
	v := l.state.View()
	text := v.JoinLink
	if link == game.WatchLink {
		text = v.WatchLink
	}
	if text == "" {
		return
	}
	l.cfg.copy(text, func(ok bool) { l.queue.push(copied{link, text, ok}) })
}

// expire schedules the end of the message numbered seq, if any, after d.
func (l *loop) expire(seq uint64, d time.Duration) {
	if seq != 0 {
		time.AfterFunc(d, func() { l.queue.push(expired{seq}) })
	}
}
