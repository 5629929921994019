package e2e

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// httpGet fetches path from the server with the given request headers.
func httpGet(t *testing.T, srv *server, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+strings.TrimPrefix(path, "/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	// A transport of its own: the default one would decompress gzip itself.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// The binary alone, from an empty directory, serves the page with versioned
// asset URLs and the wasm precompressed, cached and revalidated.
func TestServesEmbeddedFiles(t *testing.T) {
	srv := startServer(t)
	resp, page := httpGet(t, srv, "/", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET /: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	wasm := regexp.MustCompile(`"(app\.wasm\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if wasm == nil {
		t.Fatalf("the page names no versioned app.wasm:\n%s", page)
	}
	raw, plain := httpGet(t, srv, wasm[1], nil)
	if !strings.HasPrefix(plain, "\x00asm") || raw.Header.Get("Content-Type") != "application/wasm" {
		t.Fatalf("plain wasm: %q, Content-Type %q", plain[:min(4, len(plain))], raw.Header.Get("Content-Type"))
	}
	for _, coding := range []string{"br", "gzip"} {
		resp, body := httpGet(t, srv, wasm[1], http.Header{"Accept-Encoding": {coding}})
		if resp.Header.Get("Content-Encoding") != coding || len(body) >= len(plain)/3 {
			t.Errorf("%s: Content-Encoding %q, %d bytes of %d", coding, resp.Header.Get("Content-Encoding"), len(body), len(plain))
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", coding, resp.Header.Get("Cache-Control"))
		}
		again, body := httpGet(t, srv, wasm[1], http.Header{"Accept-Encoding": {coding}, "If-None-Match": {resp.Header.Get("ETag")}})
		if again.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s: revalidation %d with %d bytes, want 304", coding, again.StatusCode, len(body))
		}
	}
	if resp, body := httpGet(t, srv, "/healthz", nil); resp.StatusCode != 200 || body != "OK\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
}

func TestAllowedOrigins(t *testing.T) {
	srv := startServer(t, "-origins", "https://friend.example")
	for origin, want := range map[string]int{
		"https://evil.example":           http.StatusForbidden,
		"https://friend.example":         http.StatusSwitchingProtocols,
		strings.TrimSuffix(srv.URL, "/"): http.StatusSwitchingProtocols,
	} {
		ws, resp, err := websocket.DefaultDialer.Dial(srv.wsURL(), http.Header{"Origin": {origin}})
		if resp == nil || resp.StatusCode != want {
			t.Errorf("origin %s: %v; want status %d", origin, err, want)
		}
		if ws != nil {
			ws.Close()
		}
	}
}

// hotSeatMove opens a game socket on srv, closed at the end of the test,
// plays a tutorial hot-seat game's first move on it and reads the answer.
func hotSeatMove(t *testing.T, srv *server) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(srv.wsURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Cleanup(func() { ws.Close() })
	ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"play","column":3}`))
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := ws.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	return ws
}

// SIGTERM: the health check fails first, then every open game is closed with
// 1001 and the process exits 0 in time.
func TestGracefulShutdown(t *testing.T) {
	srv := startServer(t, "-drain-delay", "500ms", "-shutdown-timeout", "5s")
	var players []*websocket.Conn
	for range 3 {
		players = append(players, hotSeatMove(t, srv))
	}
	start := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if resp, _ := httpGet(t, srv, "/healthz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz while draining: %d, want 503", resp.StatusCode)
	}
	for i, ws := range players {
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, err := ws.ReadMessage()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
			t.Errorf("player %d: %v, want close 1001", i, err)
		}
	}
	select {
	case <-srv.done:
		if srv.err != nil {
			t.Errorf("exit: %v, want status 0", srv.err)
		}
		t.Logf("exited %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5 s after SIGTERM")
	}
}

// /metrics counts a played game.
func TestMetricsCountAGame(t *testing.T) {
	srv := startServer(t)
	ws, resp, err := websocket.DefaultDialer.Dial(srv.wsURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	defer ws.Close()
	for _, c := range []string{"0", "1", "0", "1", "0", "1", "0"} {
		ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"play","column":`+c+`}`))
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, _, err := ws.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	ws.ReadMessage() // the win
	_, body := httpGet(t, srv, "/metrics", nil)
	for _, want := range []string{
		`connect4_moves_total{mode="hotseat"} 7`,
		`connect4_games_ended_total{how="win",mode="hotseat"} 1`,
		`connect4_games_in_progress{mode="hotseat"} 0`,
		`connect4_connections_open 1`,
		`connect4_move_duration_seconds_count 7`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics has no %s", want)
		}
	}
}

// A client that starts a request and never finishes its headers is cut off
// after -handshake-timeout, and the server serves others meanwhile.
func TestHandshakeNeverFinishes(t *testing.T) {
	srv := startServer(t, "-handshake-timeout", "300ms")
	host := strings.TrimSuffix(strings.TrimPrefix(srv.URL, "http://"), "/")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n")); err != nil {
		t.Fatal(err)
	}
	if resp, body := httpGet(t, srv, "/healthz", nil); resp.StatusCode != 200 || body != "OK\n" {
		t.Errorf("/healthz while a handshake hangs: %d %q", resp.StatusCode, body)
	}
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatalf("the half-open request was not closed: %v", err)
	}
	t.Logf("closed %v after the last byte", time.Since(start).Round(time.Millisecond))
}

// SIGTERM during a slow download of the wasm: the games are closed with
// 1001 at once, not after the download, and the process still exits 0 once
// the shutdown timeout cuts the download.
func TestShutdownDuringASlowDownload(t *testing.T) {
	srv := startServer(t, "-shutdown-timeout", "2s")
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	slow.(*net.TCPConn).SetReadBuffer(4096)
	// Twenty requests at once, then not a byte read: 70 MB to write, more
	// than loopback's buffers hold, so the server's writes block.
	for range 20 {
		fmt.Fprintf(slow, "GET /app.wasm HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: identity\r\n\r\n", u.Host)
	}
	time.Sleep(200 * time.Millisecond)

	ws := hotSeatMove(t, srv)

	start := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Errorf("the game: %v, want close 1001", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the game was closed %v after SIGTERM, want at once, whatever the download", d)
	}
	select {
	case <-srv.done:
		if srv.err != nil {
			t.Errorf("exit: %v, want status 0", srv.err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("still running 6 s after SIGTERM")
	}
}
