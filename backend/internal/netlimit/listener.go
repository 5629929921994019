package netlimit

import (
	"errors"
	"net"
	"sync"
	"syscall"
)

// Limits caps the connections a Listener keeps open. Negative or zero means
// no limit.
type Limits struct {
	// Total caps the connections open at once: past it, Accept waits for one
	// to close, and new connections wait in the kernel's backlog.
	Total int
	// PerAddress caps those from one address, by Key: past it, a new
	// connection from that address is closed at once. Leave it off behind a
	// reverse proxy, whose connections all come from its own address.
	PerAddress int
	// Refused, if not nil, is called with the key of each connection closed
	// at once for PerAddress.
	Refused func(key string)
}

// Listen returns ln with the limits of l. Each connection it returns counts
// until it is closed.
func Listen(ln net.Listener, l Limits) net.Listener {
	lim := &listener{Listener: ln, limits: l, done: make(chan struct{}), open: make(map[string]int)}
	if l.Total > 0 {
		lim.slots = make(chan struct{}, l.Total)
	}
	return lim
}

type listener struct {
	net.Listener
	limits Limits
	slots  chan struct{} // one token per open connection, nil for no Total
	done   chan struct{} // closed by Close
	once   sync.Once

	mu   sync.Mutex
	open map[string]int // open connections by key, with PerAddress
}

// Accept waits for a free slot, then for a connection from an address under
// its own limit.
func (l *listener) Accept() (net.Conn, error) {
	for {
		if l.slots != nil {
			select {
			case l.slots <- struct{}{}:
			case <-l.done:
				return nil, net.ErrClosed
			}
		}
		c, err := l.Listener.Accept()
		if err != nil {
			l.free()
			return nil, err
		}
		key, ok := l.admit(c)
		if !ok {
			c.Close()
			l.free()
			if l.limits.Refused != nil {
				l.limits.Refused(key)
			}
			continue
		}
		return &conn{Conn: c, l: l, key: key}, nil
	}
}

// admit counts c against its address's limit, or reports false if that is
// reached.
func (l *listener) admit(c net.Conn) (string, bool) {
	if l.limits.PerAddress <= 0 {
		return "", true
	}
	key := c.RemoteAddr().String()
	if host, _, err := net.SplitHostPort(key); err == nil {
		key = Key(host)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.limits.PerAddress {
		return key, false
	}
	l.open[key]++
	return key, true
}

// release uncounts a connection that Accept returned.
func (l *listener) release(key string) {
	if l.limits.PerAddress > 0 {
		l.mu.Lock()
		if l.open[key]--; l.open[key] <= 0 {
			delete(l.open, key)
		}
		l.mu.Unlock()
	}
	l.free()
}

// free gives back a slot.
func (l *listener) free() {
	if l.slots != nil {
		<-l.slots
	}
}

// Close closes the listener; connections already accepted stay open.
func (l *listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// conn is a connection that counts against its listener's limits until it is
// closed, once.
type conn struct {
	net.Conn
	l    *listener
	key  string
	once sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	return err
}

// SyscallConn returns the raw connection under c, for a server that waits on
// it (the game sockets do, on a small stack), or errors.ErrUnsupported.
func (c *conn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}
