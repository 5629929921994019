package server_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/connect4go/connect4/backend/internal/server"
	"github.com/connect4go/connect4/shared/protocol"
)

// metricsStub stands for the metrics.
var metricsStub = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("connect4_moves_total 0\n"))
})

// socketStub answers every request it gets, to show which ones reach it.
var socketStub = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusTeapot)
})

func TestRoutes(t *testing.T) {
	files := fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><title>Connect Four</title>")},
		"app.wasm":   {Data: []byte("\x00asm\x01\x00\x00\x00")},
	}
	site := server.New(http.FileServerFS(files), socketStub, metricsStub)
	asked := 0
	site.Lobby(func() protocol.Lobby {
		asked++
		return protocol.Lobby{Playing: asked, Games: []protocol.LiveGame{{Watch: "W", Moves: 3}}}
	})
	srv := httptest.NewServer(site)
	defer srv.Close()

	upgrade := http.Header{"Connection": {"Upgrade"}, "Upgrade": {"websocket"}}
	tests := []struct {
		method, path string
		header       http.Header
		status       int
		contentType  string
		body         string
	}{
		{"GET", "/", nil, http.StatusOK, "text/html; charset=utf-8", "<title>Connect Four</title>"},
		{"GET", "/", upgrade, http.StatusTeapot, "", ""},
		{"GET", "/index.html", upgrade, http.StatusMovedPermanently, "", ""},
		{"GET", "/app.wasm", nil, http.StatusOK, "application/wasm", "asm"},
		{"GET", "/healthz", nil, http.StatusOK, "text/plain; charset=utf-8", "OK\n"},
		{"GET", "/metrics", nil, http.StatusOK, "", "connect4_moves_total"},
		{"GET", "/lobby", nil, http.StatusOK, "application/json", `{"type":"lobby","playing":1,"games":[{"watch":"W","moves":3}]}`},
		{"GET", "/lobby", nil, http.StatusOK, "application/json", `"playing":1,`}, // asked once in 2 s
		{"GET", "/nope.txt", nil, http.StatusNotFound, "", ""},
		{"POST", "/", nil, http.StatusMethodNotAllowed, "", ""},
		{"POST", "/healthz", nil, http.StatusMethodNotAllowed, "", ""},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header[k] = v
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Content-Type"); tt.contentType != "" && got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if !strings.Contains(string(body), tt.body) {
				t.Errorf("body %q does not contain %q", body, tt.body)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	s := server.New(http.NotFoundHandler(), socketStub, nil)
	var storeErr atomic.Pointer[error]
	s.ReadyWhen(func() error {
		if p := storeErr.Load(); p != nil {
			return *p
		}
		return nil
	})
	check := func(want int, body string) {
		t.Helper()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		if rec.Code != want || rec.Body.String() != body {
			t.Errorf("/healthz: %d %q, want %d %q", rec.Code, rec.Body, want, body)
		}
	}
	check(http.StatusOK, "OK\n")
	down := errors.New("redis: connection refused")
	storeErr.Store(&down)
	check(http.StatusServiceUnavailable, "not ready\n") // the details are in the logs
	storeErr.Store(nil)
	check(http.StatusOK, "OK\n")
	s.Drain()
	check(http.StatusServiceUnavailable, "shutting down\n")
}

// Every response, the page's and the others', carries the security headers.
func TestSecurityHeaders(t *testing.T) {
	files := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Connect Four</title>")}}
	site := server.New(http.FileServerFS(files), socketStub, metricsStub)
	site.Secure("default-src 'self'")
	srv := httptest.NewServer(site)
	defer srv.Close()
	for _, path := range []string{"/", "/healthz", "/nope"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for name, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'",
			"Referrer-Policy":         "no-referrer",
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
		} {
			if got := resp.Header.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
	}
}
