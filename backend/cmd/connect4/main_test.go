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

// run serves on a free port until its context ends, then returns nil.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs, logw := io.Pipe()
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-log-format", "json", "-data", dir}, func(string) string { return "" }, logw)
		logw.Close()
	}()

	url := ""
	lines := bufio.NewScanner(logs)
	for url == "" && lines.Scan() {
		var line struct{ Msg, URL string }
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil {
			t.Fatalf("log line %s: %v", lines.Bytes(), err)
		}
		if line.Msg == "serving Connect Four" {
			url = line.URL
		}
	}
	go io.Copy(io.Discard, logs)
	if url == "" {
		t.Fatalf("no listening line in the log: %v", <-done)
	}
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "OK\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
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
