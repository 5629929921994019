package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startServer serves the game sockets in this process on a loopback port,
// with the limits a load run lifts, for the length of the test.
func startServer(t *testing.T) string { return startInstances(t, 1)[0] }

// startInstances serves the game sockets as startServer does on n ports:
// instances sharing one hub, thus their games.
func startInstances(t *testing.T, n int) []string {
	t.Helper()
	discard := slog.New(slog.DiscardHandler)
	hub := session.NewHub(session.Config{MaxMatches: -1, MaxMatchesPerClient: -1, Grace: 10 * time.Millisecond}, discard)
	var urls []string
	for range n {
		sockets := socket.New(hub, socket.Config{MessageRate: -1, MaxConnections: -1, MaxConnectionsPerClient: -1, ConnectionRate: -1}, discard)
		srv := httptest.NewServer(sockets)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			sockets.Shutdown(ctx)
			srv.Close()
		})
		urls = append(urls, "ws"+strings.TrimPrefix(srv.URL, "http")+"/")
	}
	return urls
}

// The smoke run: every mode, tiny and short, against the real server, so
// that the load tool cannot rot. Each must pass its checks.
func TestSmoke(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	tests := []struct {
		name string
		args []string
		want string // in the text report
	}{
		{"closed", []string{"-mode", "closed", "-games", "3", "-warmup", "50ms", "-duration", "300ms"}, "moves/s"},
		{"closed rematch", []string{"-mode", "closed", "-games", "2", "-warmup", "0s", "-duration", "200ms", "-rematch"}, "rematch"},
		{"open", []string{"-mode", "open", "-players", "20", "-rate", "10", "-duration", "300ms"}, "from its scheduled time"},
		{"open duel", []string{"-mode", "open", "-players", "20", "-rate", "10", "-duration", "300ms", "-duel"}, "in 10 games for two"},
		{"idle", []string{"-mode", "idle", "-conns", "10,20", "-settle", "20ms", "-pid", pid}, "per connection"},
		{"setup", []string{"-mode", "setup", "-conns", "30", "-concurrency", "5"}, "conns/s"},
		{"fanout", []string{"-mode", "fanout", "-games", "2", "-spectators", "3", "-duration", "300ms"}, "to each spectator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			jsonFile, mdFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.md")
			args := append([]string{"-url", startServer(t), "-timeout", "5s", "-json", jsonFile, "-markdown", mdFile}, tt.args...)
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\n%s%s", err, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.want) || !strings.Contains(stdout.String(), "every answer was right") {
				t.Errorf("report:\n%s", stdout.String())
			}
			var r loadgen.Result
			if b, err := os.ReadFile(jsonFile); err != nil || json.Unmarshal(b, &r) != nil || !r.OK() {
				t.Errorf("JSON result: %s, %v", b, err)
			}
			if b, err := os.ReadFile(mdFile); err != nil || !strings.HasPrefix(string(b), "| ") || strings.Count(string(b), "\n") != 1 {
				t.Errorf("markdown row: %q, %v", b, err)
			}
		})
	}
}

// The echo calibration: this binary's -serve-echo, measured by -mode echo.
func TestEcho(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- run(ctx, []string{"-serve-echo", "127.0.0.1:0"}, io.Discard, io.Discard) }()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("-serve-echo: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go loadgen.ServeEcho(ln)
	var stdout bytes.Buffer
	err = run(context.Background(), []string{"-mode", "echo", "-games", "2", "-duration", "100ms", "-url", "ws://" + ln.Addr().String() + "/"}, &stdout, io.Discard)
	if err != nil || !strings.Contains(stdout.String(), "round trips/s") {
		t.Errorf("-mode echo: %v\n%s", err, stdout.String())
	}
}

// The reference server: this binary's -serve-gorilla, measured by the
// closed loop and the set-up.
func TestServeGorilla(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // a port that was free a moment ago, for -serve-gorilla
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- run(ctx, []string{"-serve-gorilla", addr}, io.Discard, io.Discard) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("-serve-gorilla: %v", err)
		}
	}()
	for _, args := range [][]string{
		{"-mode", "closed", "-games", "3", "-warmup", "0s", "-duration", "200ms"},
		{"-mode", "setup", "-conns", "20", "-concurrency", "4"},
	} {
		var stdout bytes.Buffer
		// Until the server listens, the run fails on connecting.
		deadline := time.Now().Add(5 * time.Second)
		for {
			stdout.Reset()
			err = run(context.Background(), append(args, "-url", "ws://"+addr+"/", "-timeout", "5s"), &stdout, io.Discard)
			if err == nil || time.Now().After(deadline) || !strings.Contains(err.Error(), "connect") {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil || !strings.Contains(stdout.String(), "every answer was right") {
			t.Errorf("%v against -serve-gorilla: %v\n%s", args, err, stdout.String())
		}
	}
}

// -targets reads results written by -json and writes the table of targets.
func TestTargets(t *testing.T) {
	dir := t.TempDir()
	url := startServer(t)
	for label, args := range map[string][]string{
		"sqlite-setup":  {"-mode", "setup", "-conns", "20"},
		"gorilla-setup": {"-mode", "setup", "-conns", "10"},
	} {
		err := run(context.Background(), append(args, "-url", url, "-json", filepath.Join(dir, label+".json")), io.Discard, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-targets", dir}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	var setup string
	for line := range strings.SplitSeq(stdout.String(), "\n") {
		if strings.HasPrefix(line, "| New WebSocket connections") {
			setup = line
		}
	}
	if !strings.Contains(setup, "×") || !strings.Contains(setup, "not measured") || strings.Count(stdout.String(), "\n") < 8 {
		t.Errorf("targets:\n%s", stdout.String())
	}
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644)
	if err := run(context.Background(), []string{"-targets", dir}, io.Discard, io.Discard); err == nil {
		t.Error("a broken result was read")
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		want error
	}{
		{[]string{"-help"}, flag.ErrHelp},
		{[]string{"-url", "ws://127.0.0.1:1/"}, errUsage},                                           // no mode
		{[]string{"-mode", "closed"}, errUsage},                                                     // no server
		{[]string{"-mode", "closed", "-url", "ws://127.0.0.1:1/", "-server", "x {addr}"}, errUsage}, // both
		{[]string{"-mode", "closed", "-server", "bin/connect4"}, errUsage},                          // no {addr}
		{[]string{"-mode", "closed", "-url", "ws://127.0.0.1:1/", "extra"}, errUsage},
		{[]string{"-nope"}, errUsage},
		{[]string{"-mode", "closed", "-server", "x {addr}", "-instances", "0"}, errUsage},
		{[]string{"-mode", "closed", "-url", "ws://127.0.0.1:1/", "-instances", "2"}, errUsage},         // -instances without -server
		{[]string{"-mode", "closed", "-server", "x {addr}", "-redis-server", "redis-server"}, errUsage}, // no {redis}
		{[]string{"-mode", "closed", "-server", "x {addr} -redis {redis}"}, errUsage},                   // no -redis-server
		{[]string{"-mode", "closed", "-server", "x {addr}", "-pid", "1"}, errUsage},
		{[]string{"-serve-echo", "127.0.0.1:0", "-serve-gorilla", "127.0.0.1:0"}, errUsage},
	}
	for _, tt := range tests {
		err := run(context.Background(), tt.args, io.Discard, io.Discard)
		if !errors.Is(err, tt.want) {
			t.Errorf("%q: %v, want %v", tt.args, err, tt.want)
		}
	}
	for _, args := range [][]string{
		{"-mode", "sideways", "-url", "ws://127.0.0.1:1/"},
		{"-mode", "idle", "-conns", "ten", "-url", "ws://127.0.0.1:1/"},
		{"-mode", "setup", "-conns", "1,2", "-url", "ws://127.0.0.1:1/"},
		{"-mode", "setup", "-conns", "1", "-url", "ws://example.com/"}, // not loopback
		{"-mode", "setup", "-conns", "1", "-url", "ws://127.0.0.1:1/,ws://example.com/"},
		{"-mode", "setup", "-conns", "1", "-url", "ws://127.0.0.1:1/,ws://127.0.0.1:2/", "-pid", "1"}, // a PID short
		{"-mode", "idle", "-url", "ws://127.0.0.1:1/,ws://127.0.0.1:2/", "-pid", "1,2"},               // one server only
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil || errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want an error", args, err)
		}
	}
}

// A failure makes run return an error that wraps loadgen.ErrFailed, after
// the report.
func TestFailureExits(t *testing.T) {
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"-mode", "setup", "-conns", "2", "-url", "ws://127.0.0.1:1/", "-timeout", "1s"}, &stdout, io.Discard)
	if !errors.Is(err, loadgen.ErrFailed) || !strings.Contains(stdout.String(), "FAILED") {
		t.Errorf("err %v, report:\n%s", err, stdout.String())
	}
}

func TestCheckLoopback(t *testing.T) {
	for url, ok := range map[string]bool{
		"ws://127.0.0.1:8000/": true, "ws://localhost:8000/": true, "ws://[::1]:8000/": true,
		"ws://10.0.0.1:8000/": false, "ws://example.com/": false,
	} {
		if err := checkLoopback(url, false); (err == nil) != ok {
			t.Errorf("%s: %v", url, err)
		}
		if err := checkLoopback(url, true); err != nil {
			t.Errorf("%s allowed: %v", url, err)
		}
	}
}

// Two instances in this process sharing one hub, named by -url and -pid:
// the closed loop plays games for two across them, and says so.
func TestInstances(t *testing.T) {
	urls := startInstances(t, 2)
	pid := strconv.Itoa(os.Getpid())
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"-mode", "closed", "-games", "2", "-warmup", "0s", "-duration", "200ms",
		"-url", strings.Join(urls, ","), "-pid", pid + "," + pid, "-markdown", "-"}, &stdout, io.Discard)
	if err != nil || !strings.Contains(stdout.String(), "games for two") || !strings.Contains(stdout.String(), "on 2 instances |") {
		t.Errorf("run: %v\n%s", err, stdout.String())
	}
}
