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
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/connect4go/connect4/backend/internal/metrics"
	"github.com/connect4go/connect4/backend/internal/server"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/backend/internal/static"
	"github.com/connect4go/connect4/shared/bot"
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
	logger := cfg.logger(stderr)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	pages, err := static.New(static.Files()...)
	if err != nil {
		return err
	}
	stats := metrics.New("")
	cfg.session.Observer, cfg.socket.Observer = stats, stats
	cfg.session.Computer = computers(bot.New(bot.Options{}), stats.ComputerMoved)
	hub := session.NewHub(cfg.session, logger)
	sockets := socket.New(hub, cfg.socket, logger)
	site := server.New(pages, sockets, stats.Handler())
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: cfg.handshakeTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("serving Connect Four", "url", pageURL(ln.Addr()), "addr", ln.Addr().String())

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
	err = errors.Join(srv.Shutdown(shutdownCtx), sockets.Shutdown(shutdownCtx))
	if err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
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
