//go:build js && wasm

package browser

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/hack-pad/safejs"
)

// Timings of the page.
const (
	// errorTimeout is how long an error stays in the status line.
	errorTimeout = 4 * time.Second
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
	errorTimeout       time.Duration
	minRetry, maxRetry time.Duration
}

// Run shows the game in the element that selector finds, connects to the server
// of the page's site, and plays until ctx is done. It then stops listening to
// the page, closes the connection and returns nil; it returns an error only if
// it cannot start.
func Run(ctx context.Context, selector string) error {
	var d dom
	root := d.call(d.get(safejs.Global(), "document"), "querySelector", selector)
	if d.err != nil {
		return fmt.Errorf("browser: finding %s: %w", selector, d.err)
	}
	if root.IsNull() {
		return fmt.Errorf("browser: no element matches %s", selector)
	}
	url, err := pageSocketURL()
	if err != nil {
		return err
	}
	return run(ctx, root, config{
		dial: func(report func(socketEvent)) (conn, error) {
			return dialWebSocket(url, report)
		},
		errorTimeout: errorTimeout,
		minRetry:     minRetry,
		maxRetry:     maxRetry,
	})
}

// The messages that the loop sends itself through timers.
type (
	// fromSocket is what happened to the connection of an epoch.
	fromSocket struct {
		epoch int
		socketEvent
	}
	// retryTick wakes the countdown to reconnecting, of an epoch.
	retryTick struct{ epoch int }
	// errorExpired tells that the error numbered seq has been shown long enough.
	errorExpired struct{ seq uint64 }
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
	epoch    int
	retry    time.Duration // the wait before the next reconnection
	redialAt time.Time     // when to reconnect, while counting down
}

// run is Run on an element with a config.
func run(ctx context.Context, root safejs.Value, cfg config) error {
	l := &loop{cfg: cfg, queue: newQueue(), retry: cfg.minRetry}
	p, err := newPage(root, l.queue.push)
	if err != nil {
		return err
	}
	defer p.close()
	l.page = p
	l.connect()
	l.paint()
	for {
		select {
		case <-ctx.Done():
			if l.conn != nil {
				l.conn.close()
			}
			return nil
		case <-l.queue.ready:
		}
		for _, m := range l.queue.take() {
			l.handle(m)
		}
		l.paint()
	}
}

// handle acts on one message.
func (l *loop) handle(m any) {
	switch m := m.(type) {
	case clicked:
		if cmd, ok := l.state.Click(m.column); ok {
			l.send(cmd)
		}
	case hovered:
		l.state.Hover(m.column)
	case newGameAsked:
		// The server's game lives as long as its connection: a new game needs a
		// new connection.
		l.state.Reset()
		l.retry = l.cfg.minRetry
		l.connect()
	case fromSocket:
		if m.epoch == l.epoch {
			l.socket(m.socketEvent)
		}
	case retryTick:
		if m.epoch == l.epoch {
			l.countdown()
		}
	case errorExpired:
		l.state.ExpireError(m.seq)
	}
}

// socket acts on an event of the current connection.
func (l *loop) socket(e socketEvent) {
	switch e.kind {
	case socketOpened:
		l.state.Opened()
		l.retry = l.cfg.minRetry
	case socketMessage:
		ev, err := protocol.DecodeEvent(e.text)
		if err != nil {
			log.Printf("browser: cannot decode %q: %v", e.text, err)
			l.expire(l.state.ShowError(unreadable))
			return
		}
		l.expire(l.state.Apply(ev))
	case socketClosed:
		l.conn = nil
		l.redialAt = time.Now().Add(l.retry)
		l.retry = min(2*l.retry, l.cfg.maxRetry)
		l.countdown()
	}
}

// connect replaces the connection, if any, with a new one.
func (l *loop) connect() {
	if l.conn != nil {
		l.conn.close()
		l.conn = nil
	}
	l.epoch++
	epoch := l.epoch
	l.state.Connecting()
	c, err := l.cfg.dial(func(e socketEvent) {
		l.queue.push(fromSocket{epoch, e})
	})
	if err != nil {
		// Like a connection that failed to open: try again later.
		log.Print(err)
		l.queue.push(fromSocket{epoch, socketEvent{kind: socketClosed}})
		return
	}
	l.conn = c
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

// send sends a command to the server.
func (l *loop) send(cmd protocol.Command) {
	data, err := protocol.EncodeCommand(cmd)
	if err == nil && l.conn == nil {
		err = fmt.Errorf("browser: no connection")
	}
	if err == nil {
		err = l.conn.send(data)
	}
	if err != nil {
		log.Printf("browser: sending %s: %v", data, err)
		l.expire(l.state.ShowError("Your move could not be sent: please try again."))
	}
}

// expire schedules the end of the error numbered seq, if any.
func (l *loop) expire(seq uint64) {
	if seq != 0 {
		time.AfterFunc(l.cfg.errorTimeout, func() { l.queue.push(errorExpired{seq}) })
	}
}

// paint shows the state on the page.
func (l *loop) paint() {
	if err := l.page.paint(l.state.View()); err != nil {
		log.Print(err)
	}
}
