package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// config holds the settings of one run.
type config struct {
	addr            string
	logLevel        slog.Level
	logJSON         bool
	shutdownTimeout time.Duration
	drainDelay      time.Duration
	grace, idle     time.Duration
	origins         []string
}

// parseConfig reads the flags in args; a flag that is not given takes its value
// from the environment variable named in its usage, through getenv.
func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	fs := flag.NewFlagSet("connect4", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() {
		fmt.Fprintf(output, "Usage: connect4 [flags]\n\nServes the Connect Four game. Flags, with their environment fallbacks:\n\n")
		fs.PrintDefaults()
	}

	addr := ":8000"
	if port := getenv("PORT"); port != "" {
		addr = ":" + port
	}
	var (
		c         config
		logLevel  string
		logFormat string
	)
	fs.StringVar(&c.addr, "addr", env(getenv, "ADDR", addr), "`address` to listen on (env ADDR, or :$PORT)")
	fs.StringVar(&logLevel, "log-level", env(getenv, "LOG_LEVEL", "info"), "log `level`: debug (every message in and out), info, warn or error (env LOG_LEVEL)")
	fs.StringVar(&logFormat, "log-format", env(getenv, "LOG_FORMAT", "text"), "log `format`: text or json (env LOG_FORMAT)")
	durations := []struct {
		v          *time.Duration
		flag, env  string
		def, usage string
	}{
		{&c.shutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", "10s", "how long games may take to close on SIGTERM"},
		{&c.drainDelay, "drain-delay", "DRAIN_DELAY", "0s", "how long /healthz fails on SIGTERM before games are closed, for load balancers to notice"},
		{&c.grace, "grace", "GRACE", "1m", "how long a player's seat is held after their connection drops"},
		{&c.idle, "idle", "IDLE", "30m", "how long a game may go without a move before it is closed"},
	}
	for _, d := range durations {
		def, err := time.ParseDuration(env(getenv, d.env, d.def))
		if err != nil {
			return c, fmt.Errorf("%s: %w", d.env, err)
		}
		fs.DurationVar(d.v, d.flag, def, d.usage+" (env "+d.env+")")
	}
	origins := env(getenv, "ORIGINS", "")
	fs.StringVar(&origins, "origins", origins, "comma-separated `origins`, such as https://play.example.com, whose pages may open game sockets besides this server's own (env ORIGINS)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	for o := range strings.SplitSeq(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.origins = append(c.origins, o)
		}
	}
	if err := c.logLevel.UnmarshalText([]byte(logLevel)); err != nil {
		return c, fmt.Errorf("-log-level: %w", err)
	}
	switch logFormat {
	case "text":
	case "json":
		c.logJSON = true
	default:
		return c, fmt.Errorf("-log-format: %q is neither text nor json", logFormat)
	}
	return c, nil
}

// env returns the value of the environment variable name, or def if it is empty.
func env(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// logger returns the logger the settings ask for, writing to w.
func (c config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.logLevel}
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
