// Package redistest runs a private redis-server, from Debian's redis-server
// package, on a free loopback port for the length of a test.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Server is a running redis-server of a test's own. It keeps its data in an
// append-only file, so that a restart loses nothing.
type Server struct {
	Addr string // host:port on loopback
	t    testing.TB
	dir  string
	cmd  *exec.Cmd
}

// Start starts a redis-server that stops when the test ends. It fails the
// test if redis-server is not installed (make test installs it).
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed: apt-get install redis-server (make test does)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), t: t, dir: t.TempDir()}
	ln.Close()
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// URL returns the server's address as a Redis URL.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Start starts the server again after Stop, on the same port with the same
// data.
func (s *Server) Start() {
	s.t.Helper()
	_, port, _ := net.SplitHostPort(s.Addr)
	s.cmd = exec.Command("redis-server",
		"--bind", "127.0.0.1", "--port", port, "--dir", s.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always",
		"--daemonize", "no", "--logfile", "")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !s.answers() {
		if time.Now().After(deadline) {
			s.Stop()
			s.t.Fatalf("redis-server on %s did not answer in 10 s", s.Addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop stops the server, as SIGTERM does: it saves its data first.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// answers reports whether the server answers a PING.
func (s *Server) answers() bool {
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	fmt.Fprint(c, "PING\r\n")
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == "+PONG\r\n"
}
