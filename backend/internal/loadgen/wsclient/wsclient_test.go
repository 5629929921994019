package wsclient_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/wsclient"
	"github.com/gorilla/websocket"
)

// serve runs handler for each WebSocket connection that a gorilla server
// accepts, and returns the ws:// URL of the server.
func serve(t *testing.T, handler func(ws *websocket.Conn)) string {
	t.Helper()
	up := websocket.Upgrader{WriteBufferSize: 256}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		handler(ws)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

func dial(t *testing.T, url string) *wsclient.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := wsclient.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Abort() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c
}

// Messages of every length class go both ways unchanged, fragmented or not,
// and pings are answered on the way.
func TestEcho(t *testing.T) {
	pongs := make(chan string, 10)
	url := serve(t, func(ws *websocket.Conn) {
		ws.SetPongHandler(func(s string) error { pongs <- s; return nil })
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			ws.WriteControl(websocket.PingMessage, []byte("are you there"), time.Now().Add(time.Second))
			// Through NextWriter, a message longer than the write buffer
			// goes out in several frames.
			w, _ := ws.NextWriter(websocket.TextMessage)
			w.Write(msg)
			w.Close()
		}
	})
	c := dial(t, url)
	for _, n := range []int{0, 1, 125, 126, 1000, 65535, 65536, 200000} {
		msg := bytes.Repeat([]byte("x"), n)
		if n > 0 {
			msg[n-1] = 'y'
		}
		if err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		got, err := c.Read()
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: got %d bytes back, different", n, len(got))
		}
		select {
		case p := <-pongs:
			if p != "are you there" {
				t.Errorf("pong %q", p)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no pong")
		}
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// Close makes the closing handshake: the server reads a normal closure.
func TestClientCloses(t *testing.T) {
	got := make(chan error, 1)
	url := serve(t, func(ws *websocket.Conn) {
		_, _, err := ws.ReadMessage()
		got <- err
	})
	c := dial(t, url)
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 500*time.Millisecond {
		t.Errorf("Close took %v: it waited instead of reading the server's closing frame", time.Since(start))
	}
	if err := <-got; !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
		t.Errorf("the server read %v, want a normal closure", err)
	}
}

// A closing frame from the server comes out of Read as a *CloseError with its
// code, answered; a binary message is an error.
func TestServerSends(t *testing.T) {
	tests := []struct {
		name string
		send func(ws *websocket.Conn)
		want func(err error) bool
	}{
		{"close", func(ws *websocket.Conn) {
			ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1008, "too fast"))
		}, func(err error) bool {
			var ce *wsclient.CloseError
			return errors.As(err, &ce) && ce.Code == 1008 && ce.Reason == "too fast"
		}},
		{"close without a code", func(ws *websocket.Conn) {
			ws.WriteMessage(websocket.CloseMessage, nil)
		}, func(err error) bool {
			var ce *wsclient.CloseError
			return errors.As(err, &ce) && ce.Code == 1005
		}},
		{"binary", func(ws *websocket.Conn) {
			ws.WriteMessage(websocket.BinaryMessage, []byte{1, 2})
		}, func(err error) bool { return errors.Is(err, wsclient.ErrBinary) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := serve(t, func(ws *websocket.Conn) {
				tt.send(ws)
				ws.SetReadDeadline(time.Now().Add(5 * time.Second))
				ws.ReadMessage()
			})
			c := dial(t, url)
			_, err := c.Read()
			if !tt.want(err) {
				t.Errorf("Read: %v", err)
			}
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

// A server that refuses the upgrade, or is not there, fails Dial.
func TestDialFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Too Many Requests: slow down", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"))
	if !errors.Is(err, wsclient.ErrHandshake) || !strings.Contains(err.Error(), "slow down") {
		t.Errorf("Dial to a refusing server: %v", err)
	}
	for _, url := range []string{"http://127.0.0.1:1/", "ws://", "wss://127.0.0.1:1/", "ws://127.0.0.1:1/"} {
		if _, err := wsclient.Dial(ctx, url); err == nil {
			t.Errorf("Dial(%q) succeeded", url)
		}
	}
}

// Cancelling the context interrupts a handshake that the server never answers.
func TestDialCancelled(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Dial: %v, want the context's deadline", err)
	}
}

func BenchmarkRoundTrip(b *testing.B) {
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil || ws.WriteMessage(websocket.TextMessage, msg) != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c, err := wsclient.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http"))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := []byte(`{"type":"play","column":3}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Read(); err != nil {
			b.Fatal(err)
		}
	}
}

// DialFrom connects from the source address asked for: the server sees it.
func TestDialFrom(t *testing.T) {
	remotes := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remotes <- r.RemoteAddr
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	for _, from := range []string{"127.0.0.2", "127.0.0.3"} {
		_, err := wsclient.DialFrom(ctx, url, net.ParseIP(from))
		if !errors.Is(err, wsclient.ErrHandshake) {
			t.Errorf("DialFrom %s: %v, want the server's refusal", from, err)
		}
		if host, _, _ := net.SplitHostPort(<-remotes); host != from {
			t.Errorf("DialFrom %s: the server saw %s", from, host)
		}
	}
}
