package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Server is a server process started by [Launch]. Its methods are not safe
// for concurrent use.
type Server struct {
	Addr string // the loopback address it listens on, such as 127.0.0.1:41234
	PID  int

	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
}

// How long Launch waits for the server to listen, and Stop for it to exit.
const (
	startTimeout = 10 * time.Second
	stopTimeout  = 15 * time.Second
)

// Launch starts command, a program and its arguments separated by spaces
// (no shell quoting), with every "{addr}" in it replaced by a free loopback
// address, and returns once the process accepts TCP connections there. The
// process's output goes to output. A command such as
// "taskset -c 0 bin/connect4 -addr {addr}" pins the server to a CPU: taskset
// executes the server in its own process, whose PID is then the server's.
func Launch(ctx context.Context, command string, output io.Writer) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return start(ctx, strings.Fields(strings.ReplaceAll(command, "{addr}", addr)), addr, output)
}

// LaunchRedis starts a private redis-server with command, a program and its
// arguments separated by spaces, such as "taskset -c 0 redis-server
// --appendonly no", to which it adds what makes the server private and
// passing: a free loopback port, dir as its directory, no snapshots, no
// daemon, and its log (warnings only) on output. It returns once the server
// accepts TCP connections; its URL is then "redis://" + Addr + "/0".
func LaunchRedis(ctx context.Context, command, dir string, output io.Writer) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(addr)
	args := append(strings.Fields(command), "--bind", "127.0.0.1", "--port", port, "--dir", dir,
		"--save", "", "--daemonize", "no", "--logfile", "", "--loglevel", "warning")
	return start(ctx, args, addr, output)
}

// start starts the program and arguments args, and returns once it accepts
// TCP connections on addr.
func start(ctx context.Context, args []string, addr string, output io.Writer) (*Server, error) {
	if len(args) == 0 {
		return nil, errors.New("loadgen: no server command")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = output, output
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Addr: addr, PID: cmd.Process.Pid, cmd: cmd, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	deadline := time.Now().Add(startTimeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("loadgen: the server exited before listening on %s: %v", addr, s.err)
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("loadgen: the server did not listen on %s within %v", addr, startTimeout)
		}
	}
}

// urlHost returns the host:port of a ws:// URL.
func urlHost(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("loadgen: no host in %q", rawURL)
	}
	return u.Host, nil
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Stop sends the server SIGTERM and waits for it to exit, killing it after
// 15 seconds. It returns the exit status, nil if 0.
func (s *Server) Stop() error {
	select {
	case <-s.done:
		return s.err
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("loadgen: the server ignored SIGTERM for %v: killed", stopTimeout)
	}
	return s.err
}
