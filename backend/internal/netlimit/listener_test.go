package netlimit_test

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/netlimit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// serve accepts the connections of ln and sends each an "x", returning them
// on accepted; it ends when ln is closed.
func serve(t *testing.T, ln net.Listener) <-chan net.Conn {
	accepted := make(chan net.Conn, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					t.Errorf("Accept: %v", err)
				}
				return
			}
			c.Write([]byte("x"))
			accepted <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(accepted)
		for c := range accepted {
			c.Close()
		}
	})
	return accepted
}

// dialFrom connects to addr from the loopback address from.
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// served reports whether the server sent c its "x", or closed it.
func served(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, 1)
	_, err := io.ReadFull(c, b)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !isReset(err) {
		t.Fatalf("reading: %v", err)
	}
	return err == nil
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// One address is cut off at its limit, another is not; a closed connection
// frees its place.
func TestPerAddress(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := make(chan string, 10)
	ln := netlimit.Listen(inner, netlimit.Limits{PerAddress: 2, Refused: func(k string) { refused <- k }})
	accepted := serve(t, ln)
	addr := inner.Addr().String()

	a1, a2 := dialFrom(t, "127.0.0.1", addr), dialFrom(t, "127.0.0.1", addr)
	if !served(t, a1) || !served(t, a2) {
		t.Fatal("the first two connections were not served")
	}
	if a3 := dialFrom(t, "127.0.0.1", addr); served(t, a3) {
		t.Fatal("a third connection from the same address was served")
	}
	if k := <-refused; k != "127.0.0.1" {
		t.Errorf("refused %q, want 127.0.0.1", k)
	}
	if b := dialFrom(t, "127.0.0.2", addr); !served(t, b) {
		t.Fatal("another address was not served")
	}
	// The server closes one of the first two: the address may connect again.
	(<-accepted).Close()
	if a4 := dialFrom(t, "127.0.0.1", addr); !served(t, a4) {
		t.Fatal("a connection after one closed was not served")
	}
}

// Past the total, a new connection waits for one to close; Close ends the
// wait.
func TestTotal(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := netlimit.Listen(inner, netlimit.Limits{Total: 1})
	accepted := serve(t, ln)
	addr := inner.Addr().String()

	a := dialFrom(t, "127.0.0.1", addr)
	if !served(t, a) {
		t.Fatal("the first connection was not served")
	}
	first := <-accepted
	b := dialFrom(t, "127.0.0.2", addr)
	b.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := b.Read(make([]byte, 1)); err == nil {
		t.Fatal("a second connection was served past the total")
	}
	first.Close()
	if !served(t, b) {
		t.Fatal("the waiting connection was not served once the first closed")
	}
}

// A connection of the listener hands over the raw socket of the one it
// wraps, for a server that waits on it.
func TestSyscallConn(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := netlimit.Listen(inner, netlimit.Limits{Total: 1})
	defer ln.Close()
	d, err := net.Dial("tcp", inner.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc, ok := c.(syscall.Conn)
	if !ok {
		t.Fatalf("%T is not a syscall.Conn", c)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fd uintptr
	if err := raw.Control(func(f uintptr) { fd = f }); err != nil || fd == 0 {
		t.Errorf("Control: fd %d, %v", fd, err)
	}
}
