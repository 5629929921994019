// Command connect4 serves the Connect Four game: the page, its WebAssembly
// frontend and the WebSocket games, all on one port.
//
// Usage:
//
//	connect4 [flags]
//
// Every flag has an environment fallback, listed by -help. It stops on SIGINT or
// SIGTERM: the health check turns to 503, every game socket is closed with code
// 1001 (going away), and it exits 0 once all have ended or the shutdown timeout
// has passed.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/connect4go/connect4/backend/internal/metrics"
	"github.com/connect4go/connect4/backend/internal/netlimit"
	"github.com/connect4go/connect4/backend/internal/redisstore"
	"github.com/connect4go/connect4/backend/internal/server"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/backend/internal/sqlstore"
	"github.com/connect4go/connect4/backend/internal/static"
	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/protocol"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "connect4:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully. It reads its settings
// from args and, for those args leave out, from getenv; it logs to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var mln net.Listener // for /metrics, if on a port of its own
	if cfg.metricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.metricsAddr); err != nil {
			return fmt.Errorf("-metrics-addr: %w", err)
		}
		defer mln.Close()
	}
	if cfg.instance == "" && cfg.redisURL != "" {
		cfg.instance = instanceName(ln.Addr())
	}
	logger := cfg.logger(stderr)
	if cfg.instance != "" {
		logger = logger.With("instance", cfg.instance)
	}

	pages, err := static.New(static.Files()...)
	if err != nil {
		return err
	}
	stats := metrics.New(cfg.instance)
	cfg.session.Observer, cfg.socket.Observer = stats, stats
	cfg.session.Computer = computers(bot.New(bot.Options{}), stats.ComputerMoved)
	var (
		ready  = func() error { return nil }
		health interface{ OnHealth(func(error)) } // the Store's, if it tells
		shared *redisstore.Store                  // the instances' Redis, if any
	)
	switch {
	case cfg.redisURL != "":
		// The server's name in the store is new at each start: the seats
		// held by a previous process of the same instance, killed, are
		// not mistaken for this one's.
		cfg.session.Server = serverName(cfg.instance)
		store, err := redisstore.New(cfg.redisURL, redisstore.Options{
			Server: cfg.session.Server,
			TTL:    cfg.session.Lifetimes().Match,
		}, logger)
		if err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
		defer store.Close()
		stats.StoreUp(store.Ready() == nil)
		cfg.session.Store, ready, health = stats.Store(store), store.Ready, store
		cfg.session.Queue = store // players of every instance are paired
		shared = store
	case cfg.store == "sqlite":
		life := cfg.session.Lifetimes()
		life.Archive = cfg.archive
		store, err := sqlstore.Open(cfg.dataDir, life, logger)
		if err != nil {
			return fmt.Errorf("-data %s: %w", cfg.dataDir, err)
		}
		defer store.Close()
		logger.Info("games kept on disk", "path", filepath.Join(cfg.dataDir, sqlstore.FileName))
		stats.StoreUp(true)
		cfg.session.Store, ready, health = stats.Store(store), store.Ready, store
	default:
		logger.Warn("games kept in memory only: a restart loses them")
	}
	hub := session.NewHub(cfg.session, logger)
	defer hub.Close()
	if health != nil {
		health.OnHealth(func(err error) {
			stats.StoreUp(err == nil)
			if err != nil {
				hub.Tell(protocol.ErrUnavailable)
			}
		})
	}
	sockets := socket.New(hub, cfg.socket, logger)
	publicMetrics := stats.Handler()
	if mln != nil {
		publicMetrics = nil
	}
	site := server.New(pages, sockets, publicMetrics)
	site.ReadyWhen(ready)
	site.Secure(pages.Policy())
	lobby := func() protocol.Lobby { return hub.Lobby(lobbyGames) }
	if shared != nil {
		var stop func()
		lobby, stop = shareLobby(hub, shared, logger) // every instance's games
		defer stop()
	}
	site.Lobby(lobby)
	srv := newHTTPServer(cfg, site, logger)
	served := make(chan error, 2)
	go func() { served <- srv.Serve(limitListener(ln, cfg, logger)) }()
	logger.Info("serving Connect Four", "url", pageURL(ln.Addr()), "addr", ln.Addr().String())
	if mln != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", stats.Handler())
		metricsSrv := newHTTPServer(cfg, mux, logger)
		go func() { served <- metricsSrv.Serve(mln) }()
		defer metricsSrv.Close()
		logger.Info("serving metrics", "url", "http://"+mln.Addr().String()+"/metrics")
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}

	logger.Info("shutting down", "drain_delay", cfg.drainDelay, "timeout", cfg.shutdownTimeout)
	site.Drain()
	time.Sleep(cfg.drainDelay)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	// The game sockets close at once, in parallel with the plain HTTP
	// requests: a slow download never holds up the 1001 of a game.
	games := make(chan error, 1)
	go func() { games <- sockets.Shutdown(shutdownCtx) }()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Downloads still going at the deadline are cut: they are not
		// games, and the next request starts them again.
		logger.Warn("cutting the requests still in flight", "err", err)
		srv.Close()
	}
	if err := <-games; err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// newHTTPServer returns the HTTP server of handler, with the limits of cfg.
func newHTTPServer(cfg config, handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler: handler,
		// A request, its headers included, comes in a handshake's time or
		// is cut off: a client that sends its headers a byte at a time
		// holds a connection no longer.
		ReadHeaderTimeout: cfg.handshakeTimeout,
		ReadTimeout:       cfg.handshakeTimeout,
		// A file of the page is sent in this time or cut off. A game
		// socket, once upgraded, keeps its own deadlines.
		WriteTimeout: cfg.downloadTimeout,
		// Requests carry little: a cookie-less page and its socket.
		// Larger headers get 431.
		MaxHeaderBytes: 16 << 10,
		// A browser's idle keep-alive connection is let go.
		IdleTimeout: time.Minute,
		ErrorLog:    slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// limitListener caps the connections that ln accepts as cfg says. Behind a
// reverse proxy every connection comes from the proxy: the cap per address is
// left to the proxy then.
func limitListener(ln net.Listener, cfg config, logger *slog.Logger) net.Listener {
	perAddress := cfg.maxSocketsPer
	if cfg.clientIPHeader != "" {
		perAddress = -1
	}
	return netlimit.Listen(ln, netlimit.Limits{
		Total:      cfg.maxSockets,
		PerAddress: perAddress,
		Refused: func(key string) {
			logger.Debug("connection refused: too many from one address", "client", key)
		},
	})
}

// instanceName names an instance listening on addr: the host's name and the
// port.
func instanceName(addr net.Addr) string {
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(addr.String())
	return net.JoinHostPort(host, port)
}

// serverName returns the name of this run of instance among the servers
// sharing a store: the instance's name and a random suffix.
func serverName(instance string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return instance + "~" + hex.EncodeToString(b)
}

// pageURL returns the address to open in a browser for a server listening on
// addr: localhost when it listens on every interface.
func pageURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
