package socket

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"syscall"

	"github.com/gorilla/websocket"
)

// hijacker hands gorilla's Upgrader a read buffer of the socket's own as the
// connection's reader, in place of the HTTP server's: the reader can then
// tell whether bytes of the client wait in it (await).
type hijacker struct {
	http.ResponseWriter
	br *bufio.Reader // set by Hijack
}

// Hijack takes the connection over from the HTTP server, with a new
// readBufferSize reader unless the client has sent bytes already, which
// gorilla refuses.
func (h *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil || brw.Reader.Buffered() > 0 {
		return nc, brw, err
	}
	h.br = bufio.NewReaderSize(nc, readBufferSize)
	return nc, bufio.NewReadWriter(h.br, brw.Writer), nil
}

// readBuffers holds the read buffers of the connections that wait, each in
// a *bufio.Reader of its own that lends it.
var readBuffers sync.Pool

// await waits until the client has sent something, or the read deadline has
// passed, or the connection is closed, and then returns: what gorilla's read
// will find. It waits in the runtime's network poller as gorilla's read
// would, but from a shallow call, so that a goroutine waiting in it keeps
// the smallest stack (2 KiB), where gorilla's read needs 4 KiB; and the
// empty read buffer waits in readBuffers, not in the connection. It returns
// at once if the read buffer holds bytes already, and on a connection that
// is not a socket, on which the read waits instead.
//
// It reports whether what came was a pong, the client's answer to the
// server's ping, which it took (see pong): the caller then waits again
// rather than in gorilla's read, which would take the pong and wait on for
// a message on its larger stack, the buffer held, until the client's next
// message.
func (c *conn) await() (again bool) {
	if c.br == nil || c.br.Buffered() > 0 {
		return false
	}
	sc, ok := c.ws.NetConn().(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	// gorilla holds c.br, and nobody but this goroutine reads through it:
	// its contents, the buffer, go to the pool and come back from it.
	lent := new(bufio.Reader)
	if c.spare != nil {
		lent, c.spare = c.spare, nil
	}
	*lent = *c.br
	*c.br = bufio.Reader{}
	readBuffers.Put(lent)
	raw.Read(readable) // an error (closed, timed out) is for the read to find
	if b, ok := readBuffers.Get().(*bufio.Reader); ok {
		*c.br, c.spare = *b, b
		c.br.Reset(c.ws.NetConn())
	} else {
		*c.br = *bufio.NewReaderSize(c.ws.NetConn(), readBufferSize)
	}
	return c.pong()
}

// pong takes a pong that waits whole at the head of the read buffer, where
// gorilla would have read the next frame, and gives the client PongTimeout
// more, as the pong handler does; it reports whether it took one. Anything
// else (a message, a ping, a closing frame, a pong not whole yet, an error)
// is left to gorilla's read. A client's frame is masked; a pong is a
// control frame, whole in one frame of at most 125 bytes.
func (c *conn) pong() bool {
	const finPong, masked = 0x80 | websocket.PongMessage, 0x80
	head, err := c.br.Peek(2)
	if err != nil || head[0] != finPong || head[1]&masked == 0 || head[1]&^masked > 125 {
		return false
	}
	n := 2 + 4 + int(head[1]&^masked)
	if c.br.Buffered() < n {
		return false
	}
	c.br.Discard(n)
	c.alive()
	return true
}
