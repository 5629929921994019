//go:build js && wasm

package browser

import (
	"fmt"

	"github.com/connect4go/connect4/shared/protocol"
	"github.com/hack-pad/safejs"
)

// conn is a connection to the game server. Only the event loop uses it.
type conn interface {
	// send sends one text message.
	send(text []byte) error
	// close closes the connection. It reports socketClosed afterwards, as for a
	// connection the server dropped.
	close()
}

// dialFunc opens a connection to the game server at url, a ws: or wss: URL.
// The connection tells what happens to it by calling report, which must not
// block: socketOpened once it is open, socketMessage for each message, and
// socketClosed last, after which it reports nothing more. A connection that
// fails to open reports socketClosed alone.
type dialFunc func(url string, report func(socketEvent)) (conn, error)

// socketEvent is something that happened to a connection.
type socketEvent struct {
	kind socketEventKind
	text []byte // the message, for socketMessage
	// event is the message already decoded, from the page's own referee
	// (see localConn), or nil.
	event protocol.Event
	// For socketClosed: the WebSocket close code and reason, such as 1000
	// and why the server ended the connection, or 1006 (abnormal closure)
	// for a connection lost or that failed to open.
	code   int
	reason string
}

// socketEventKind tells what happened to a connection.
type socketEventKind int

const (
	socketOpened socketEventKind = iota
	socketMessage
	socketClosed
)

// webSocket is a conn over the browser's WebSocket.
type webSocket struct {
	ws safejs.Value
}

var _ conn = webSocket{}

// socketHandlers are the WebSocket's event handler properties that
// dialWebSocket sets. A close event follows every error event, so onclose
// alone reports both.
var socketHandlers = [...]string{"onopen", "onmessage", "onclose"}

// dialWebSocket opens a WebSocket to url: see dialFunc.
func dialWebSocket(url string, report func(socketEvent)) (conn, error) {
	ctor, err := safejs.Global().Get("WebSocket")
	if err != nil {
		return nil, err
	}
	ws, err := ctor.New(url)
	if err != nil {
		return nil, fmt.Errorf("browser: opening a WebSocket to %s: %w", url, err)
	}

	var funcs [len(socketHandlers)]safejs.Func
	// release runs in onclose, the last event of a WebSocket: after it, the
	// socket calls none of the functions, so they can go.
	release := func() {
		for i, name := range socketHandlers {
			_ = ws.Set(name, nil)
			funcs[i].Release()
		}
	}
	handlers := [len(socketHandlers)]func(args []safejs.Value){
		func([]safejs.Value) { report(socketEvent{kind: socketOpened}) },
		func(args []safejs.Value) {
			// The server sends text frames: anything else arrives as no text,
			// which fails to decode and is shown as such.
			var text []byte
			if len(args) > 0 {
				if data, err := args[0].Get("data"); err == nil && data.Type() == safejs.TypeString {
					s, _ := data.String()
					text = []byte(s)
				}
			}
			report(socketEvent{kind: socketMessage, text: text})
		},
		func(args []safejs.Value) {
			release()
			e := socketEvent{kind: socketClosed, code: 1006}
			if len(args) > 0 {
				var d dom
				if code := d.get(args[0], "code"); code.Type() == safejs.TypeNumber {
					e.code, _ = code.Int()
				}
				e.reason = d.string(d.get(args[0], "reason"))
			}
			report(e)
		},
	}
	for i, name := range socketHandlers {
		handle := handlers[i]
		funcs[i], err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			handle(args)
			return nil
		})
		if err == nil {
			err = ws.Set(name, funcs[i])
		}
		if err != nil {
			// Unheard, the socket is of no use. Releasing a zero Func, for
			// those not made yet, does nothing.
			release()
			_, _ = ws.Call("close")
			return nil, fmt.Errorf("browser: listening to a WebSocket: %w", err)
		}
	}
	return webSocket{ws}, nil
}

func (s webSocket) send(text []byte) error {
	_, err := s.ws.Call("send", string(text))
	return err
}

func (s webSocket) close() {
	_, _ = s.ws.Call("close") // throws only for a bad close code
}
