package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// running is run serving on a free port, with the addresses of its log.
type running struct {
	urls map[string]string // the url of each log line that has one, by message
	stop func() error      // ends run's context and returns run's error
}

// startRun runs run with args and a data directory of its own until stop,
// or the end of the test, once it logs msg.
func startRun(t *testing.T, msg string, args ...string) running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs, logw := io.Pipe()
	args = append([]string{"-addr", "127.0.0.1:0", "-log-format", "json", "-data", t.TempDir()}, args...)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, func(string) string { return "" }, logw)
		logw.Close()
	}()
	r := running{urls: make(map[string]string)}
	lines := bufio.NewScanner(logs)
	for r.urls[msg] == "" && lines.Scan() {
		var line struct{ Msg, URL string }
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil {
			t.Fatalf("log line %s: %v", lines.Bytes(), err)
		}
		if line.URL != "" {
			r.urls[line.Msg] = line.URL
		}
	}
	go io.Copy(io.Discard, logs)
	stopped := false
	r.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("run did not return after its context ended")
		}
	}
	t.Cleanup(func() { r.stop() })
	if r.urls[msg] == "" {
		cancel()
		t.Fatalf("no %q line in the log: %v", msg, <-done)
	}
	return r
}

// get returns the status and body of a GET of url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// run serves on a free port until its context ends, then returns nil.
func TestRun(t *testing.T) {
	r := startRun(t, "serving Connect Four")
	url := r.urls["serving Connect Four"]
	if status, body := get(t, url+"healthz"); status != http.StatusOK || body != "OK\n" {
		t.Errorf("/healthz: %d %q", status, body)
	}
	if status, body := get(t, url+"metrics"); status != http.StatusOK || !strings.Contains(body, "connect4_") {
		t.Errorf("/metrics: %d %q", status, body)
	}
	if err := r.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
}

// -metrics-addr moves /metrics off the public port.
func TestMetricsAddr(t *testing.T) {
	r := startRun(t, "serving metrics", "-metrics-addr", "127.0.0.1:0")
	if status, body := get(t, r.urls["serving metrics"]); status != http.StatusOK || !strings.Contains(body, "connect4_") {
		t.Errorf("/metrics on -metrics-addr: %d %q", status, body)
	}
	if status, _ := get(t, r.urls["serving Connect Four"]+"metrics"); status != http.StatusNotFound {
		t.Errorf("/metrics on the public port: %d, want 404", status)
	}
	if err := r.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		addr    string
		wantErr string
	}{
		{name: "default", addr: ":8000"},
		{name: "PORT", env: map[string]string{"PORT": "9000"}, addr: ":9000"},
		{name: "ADDR beats PORT", env: map[string]string{"PORT": "9000", "ADDR": "127.0.0.1:7000"}, addr: "127.0.0.1:7000"},
		{name: "flag beats env", args: []string{"-addr", ":1234"}, env: map[string]string{"PORT": "9000"}, addr: ":1234"},
		{name: "bad level", args: []string{"-log-level", "loud"}, wantErr: "-log-level"},
		{name: "bad format", env: map[string]string{"LOG_FORMAT": "xml"}, wantErr: "LOG_FORMAT"},
		{name: "bad limit", env: map[string]string{"MAX_CONNECTIONS": "many"}, wantErr: "MAX_CONNECTIONS"},
		{name: "bad timeout", env: map[string]string{"SHUTDOWN_TIMEOUT": "soon"}, wantErr: "SHUTDOWN_TIMEOUT"},
		{name: "stray argument", args: []string{"serve"}, wantErr: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.addr != tt.addr {
				t.Fatalf("addr = %q, %v; want %q", c.addr, err, tt.addr)
			}
		})
	}
}

// Every limit reaches the package it configures.
func TestLimits(t *testing.T) {
	env := map[string]string{"MESSAGE_RATE": "2.5", "GRACE": "5s", "ORIGINS": "https://a.example, https://b.example"}
	c, err := parseConfig([]string{"-max-message", "1024", "-max-games", "-1", "-client-ip-header", "X-Real-IP"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.socket.MaxMessageSize != 1024 || c.socket.MessageRate != 2.5 || c.session.Grace != 5*time.Second || c.session.MaxMatches != -1 {
		t.Errorf("limits: %+v %+v", c.socket, c.session)
	}
	if len(c.origins) != 2 || c.origins[1] != "https://b.example" || c.socket.CheckOrigin == nil || c.socket.ClientAddr == nil {
		t.Errorf("origins %q, check %v, client address %v", c.origins, c.socket.CheckOrigin != nil, c.socket.ClientAddr != nil)
	}
	if c.socket.MessageBurst != 20 || c.handshakeTimeout != 10*time.Second {
		t.Errorf("defaults: burst %d, handshake %v", c.socket.MessageBurst, c.handshakeTimeout)
	}
	// A request whose headers never end is cut within 10 s.
	if c.handshakeTimeout > 10*time.Second {
		t.Errorf("the default handshake timeout, %v, is over 10 s", c.handshakeTimeout)
	}
	env = map[string]string{"MAX_GAMES_PER_CLIENT": "5", "CONNECTION_RATE": "0.5", "MAX_SOCKETS": "100", "METRICS_ADDR": "127.0.0.1:9100"}
	c, err = parseConfig([]string{"-connection-burst", "7", "-max-sockets-per-client", "9", "-download-timeout", "30s"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.session.MaxMatchesPerClient != 5 || c.socket.ConnectionRate != 0.5 || c.socket.ConnectionBurst != 7 ||
		c.maxSockets != 100 || c.maxSocketsPer != 9 || c.downloadTimeout != 30*time.Second || c.metricsAddr != "127.0.0.1:9100" {
		t.Errorf("limits: %+v %+v %+v", c.socket, c.session, c)
	}
}

// Neither -help nor a malformed Redis URL shows a password from the
// environment.
func TestSecretsStayOut(t *testing.T) {
	env := map[string]string{"REDIS_URL": "redis://:s3cret@127.0.0.1:notaport/0"}
	getenv := func(k string) string { return env[k] }
	var help strings.Builder
	if _, err := parseConfig([]string{"-help"}, getenv, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: %v", err)
	}
	if strings.Contains(help.String(), "s3cret") {
		t.Errorf("-help shows the password:\n%s", help.String())
	}
	var logs strings.Builder
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0"}, getenv, &logs)
	if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(logs.String(), "s3cret") {
		t.Errorf("a malformed REDIS_URL: %v; logs %q; want an error without the password", err, logs.String())
	}
}
