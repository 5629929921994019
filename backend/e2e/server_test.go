package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the path of the server under test, set by TestMain.
var binary string

func TestMain(m *testing.M) {
	code, err := testMain(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		code = 1
	}
	os.Exit(code)
}

func testMain(m *testing.M) (int, error) {
	binary = os.Getenv("CONNECT4_BIN")
	if binary == "" {
		dir, err := os.MkdirTemp("", "connect4-e2e")
		if err != nil {
			return 0, err
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "connect4")
		build := exec.Command("go", "build", "-o", binary, "../cmd/connect4")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return 0, fmt.Errorf("building the server: %w", err)
		}
	}
	var err error
	if binary, err = filepath.Abs(binary); err != nil {
		return 0, err
	}
	defer closeBrowser()
	return m.Run(), nil
}

// server is the server binary running as a subprocess.
type server struct {
	URL string // the page, such as http://127.0.0.1:41234/
	cmd *exec.Cmd

	mu   sync.Mutex
	logs []map[string]any // the JSON log lines so far
	done chan struct{}    // closed when the process has exited
	err  error            // its exit status, once done
}

// startServer runs the server on a free loopback port from an empty directory,
// with extra flags, and stops it at the end of the test.
func startServer(t *testing.T, flags ...string) *server {
	t.Helper()
	// Nothing beside the binary: it must serve from what it embeds.
	return startIn(t, t.TempDir(), "127.0.0.1:0", flags...)
}

// startIn runs the server in directory dir, where its database lives, on
// addr, with extra flags, and stops it at the end of the test.
func startIn(t *testing.T, dir, addr string, flags ...string) *server {
	t.Helper()
	args := append([]string{"-addr", addr, "-log-format", "json", "-log-level", "debug"}, flags...)
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	listening := make(chan string, 1)
	go s.readLogs(stderr, listening)
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			for _, l := range s.logLines() {
				t.Logf("server log: %v", l)
			}
		}
	})
	select {
	case s.URL = <-listening:
	case <-s.done:
		t.Fatalf("server exited before listening: %v", s.err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start listening within 10 s")
	}
	return s
}

// readLogs collects the server's JSON log lines, and sends the page URL on
// listening once the server logs it.
func (s *server) readLogs(r io.Reader, listening chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			line = map[string]any{"msg": "not JSON: " + sc.Text()}
		}
		s.mu.Lock()
		s.logs = append(s.logs, line)
		s.mu.Unlock()
		if url, ok := line["url"].(string); ok && line["msg"] == "serving Connect Four" {
			listening <- url
		}
	}
}

func (s *server) logLines() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.logs...)
}

// wsURL returns the address of the game socket.
func (s *server) wsURL() string { return "ws" + strings.TrimPrefix(s.URL, "http") }

// stop ends the server if it is still running.
func (s *server) stop(t *testing.T) {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		t.Error("server ignored SIGTERM for 15 s: killing it")
		s.cmd.Process.Kill()
		<-s.done
	}
}
