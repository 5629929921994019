package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
)

// config holds the settings of one run.
type config struct {
	addr             string
	logLevel         slog.Level
	logFormat        string
	shutdownTimeout  time.Duration
	drainDelay       time.Duration
	handshakeTimeout time.Duration
	downloadTimeout  time.Duration
	maxSockets       int
	maxSocketsPer    int
	metricsAddr      string
	origins          []string
	clientIPHeader   string
	redisURL         string
	store            string
	dataDir          string
	archive          time.Duration
	instance         string
	session          session.Config
	socket           socket.Config
}

// parseConfig reads the flags in args; a flag that is not given takes its value
// from the environment variable named in its usage, through getenv, or else its
// default.
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
	var c config
	sock, games := socket.DefaultConfig(), session.DefaultConfig()
	settings := []struct {
		name, env, def, usage string
		value                 flag.Value
	}{
		{"addr", "ADDR", addr, "`address` to listen on (or :$PORT)", str(&c.addr)},
		{"log-level", "LOG_LEVEL", "info", "log `level`: debug (every message in and out), info, warn or error", parsed(&c.logLevel, parseLevel)},
		{"log-format", "LOG_FORMAT", "text", "log `format`: text or json", parsed(&c.logFormat, parseFormat)},
		{"shutdown-timeout", "SHUTDOWN_TIMEOUT", "10s", "how long games may take to close on SIGTERM", duration(&c.shutdownTimeout)},
		{"drain-delay", "DRAIN_DELAY", "0s", "how long /healthz fails on SIGTERM before games are closed, for load balancers to notice", duration(&c.drainDelay)},
		{"origins", "ORIGINS", "", "comma-separated `origins`, such as https://play.example.com, whose pages may open game sockets besides this server's own", parsed(&c.origins, parseList)},
		{"store", "STORE", "sqlite", "where games are kept: sqlite (a database in -data, kept across restarts) or memory (lost when the process ends); -redis overrides it", parsed(&c.store, parseStore)},
		{"data", "DATA_DIR", "data", "`directory` of the sqlite store, made if missing", str(&c.dataDir)},
		{"archive", "ARCHIVE", "720h", "how long the sqlite store keeps games that ended, with their moves", duration(&c.archive)},
		{"redis", "REDIS_URL", "", "Redis `URL`, such as redis://localhost:6379/0, where instances share their games", str(&c.redisURL)},
		{"instance", "INSTANCE", "", "`name` of this instance in logs and metrics; empty: host:port when -redis is set, else none", str(&c.instance)},
		{"grace", "GRACE", games.Grace.String(), "how long a player's seat is held after their connection drops", duration(&c.session.Grace)},
		{"idle", "IDLE", games.Idle.String(), "how long a game may go without a move before it is closed", duration(&c.session.Idle)},
		{"invitation", "INVITATION", games.Invitation.String(), "how long an invitation waits for the friend, even with its sender away", duration(&c.session.Invitation)},
		{"quick-wait", "QUICK_WAIT", games.QuickWait.String(), "how long a player looking for an opponent waits before the computer is offered instead", duration(&c.session.QuickWait)},
		{"max-games", "MAX_GAMES", itoa(games.MaxMatches), "games held at once, at most (-1: no limit)", integer(&c.session.MaxMatches)},
		{"max-games-per-client", "MAX_GAMES_PER_CLIENT", itoa(games.MaxMatchesPerClient), "games one client address may hold, its invitations waiting for a friend included (-1: no limit)", integer(&c.session.MaxMatchesPerClient)},
		{"max-message", "MAX_MESSAGE", itoa(sock.MaxMessageSize), "largest message a client may send, in `bytes`; larger ones close with 1009", parsed(&c.socket.MaxMessageSize, parseInt64)},
		{"message-rate", "MESSAGE_RATE", ftoa(sock.MessageRate), "messages a second a client may send on average, the faster ones waiting their turn (-1: no limit)", parsed(&c.socket.MessageRate, parseFloat)},
		{"message-burst", "MESSAGE_BURST", itoa(sock.MessageBurst), "messages a client may send in a row", integer(&c.socket.MessageBurst)},
		{"max-backlog", "MAX_BACKLOG", sock.MaxBacklog.String(), "how long a client sending faster than -message-rate may keep its messages waiting before it is closed with 1008", duration(&c.socket.MaxBacklog)},
		{"first-message-timeout", "FIRST_MESSAGE_TIMEOUT", sock.FirstMessageTimeout.String(), "how long a client may take to send its first message", duration(&c.socket.FirstMessageTimeout)},
		{"handshake-timeout", "HANDSHAKE_TIMEOUT", sock.HandshakeTimeout.String(), "how long a client may take to send a request, its headers included, and to finish the WebSocket handshake: a slower one is cut off", duration(&c.handshakeTimeout)},
		{"max-connections", "MAX_CONNECTIONS", itoa(sock.MaxConnections), "connections open at once, at most (-1: no limit)", integer(&c.socket.MaxConnections)},
		{"max-connections-per-client", "MAX_CONNECTIONS_PER_CLIENT", itoa(sock.MaxConnectionsPerClient), "connections from one client address, at most (-1: no limit)", integer(&c.socket.MaxConnectionsPerClient)},
		{"connection-rate", "CONNECTION_RATE", ftoa(sock.ConnectionRate), "new game connections a second one client address may open on average; past it and -connection-burst, 429 (-1: no limit)", parsed(&c.socket.ConnectionRate, parseFloat)},
		{"connection-burst", "CONNECTION_BURST", itoa(sock.ConnectionBurst), "new game connections one client address may open in a row", integer(&c.socket.ConnectionBurst)},
		{"max-sockets", "MAX_SOCKETS", "25000", "TCP connections open at once, of every kind (downloads, idle keep-alives, games); past it, new ones wait to be accepted (-1: no limit)", integer(&c.maxSockets)},
		{"max-sockets-per-client", "MAX_SOCKETS_PER_CLIENT", "64", "TCP connections open at once from one peer address; past it, new ones are closed at once; not applied with -client-ip-header, where the peer is the proxy (-1: no limit)", integer(&c.maxSocketsPer)},
		{"download-timeout", "DOWNLOAD_TIMEOUT", "1m", "how long sending one file of the page may take", duration(&c.downloadTimeout)},
		{"metrics-addr", "METRICS_ADDR", "", "`address` of a listener of its own for /metrics, such as 127.0.0.1:9100; empty: /metrics on -addr", str(&c.metricsAddr)},
		{"client-ip-header", "CLIENT_IP_HEADER", "", "request `header` in which a trusted reverse proxy names the client (X-Real-IP or X-Forwarded-For); empty: the peer's address", str(&c.clientIPHeader)},
		{"send-queue", "SEND_QUEUE", itoa(sock.SendQueue), "events that may wait for a slow client before it is dropped", integer(&c.socket.SendQueue)},
		{"write-timeout", "WRITE_TIMEOUT", sock.WriteTimeout.String(), "how long writing one message may take before the client is dropped", duration(&c.socket.WriteTimeout)},
		{"ping-interval", "PING_INTERVAL", sock.PingInterval.String(), "how often to ping each client; keep it below every proxy's idle timeout", duration(&c.socket.PingInterval)},
		{"pong-timeout", "PONG_TIMEOUT", sock.PongTimeout.String(), "how long a client may stay silent, pongs included, before it is dropped", duration(&c.socket.PongTimeout)},
	}
	for _, s := range settings {
		if err := s.value.Set(s.def); err != nil {
			panic(fmt.Sprintf("default of -%s: %v", s.name, err)) // a bug in the table above
		}
		fs.Var(s.value, s.name, s.usage+" (env "+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	// The environment, for the flags not given, once the flags are defined:
	// -help shows the defaults, never what the environment holds (such as
	// a password in REDIS_URL).
	given := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range settings {
		if v := getenv(s.env); v != "" && !given[s.name] {
			if err := s.value.Set(v); err != nil {
				return c, fmt.Errorf("%s: %w", s.env, err)
			}
		}
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	c.socket.HandshakeTimeout = c.handshakeTimeout
	c.socket.CheckOrigin = socket.CheckOrigins(c.origins)
	if c.clientIPHeader != "" {
		c.socket.ClientAddr = socket.ClientAddrFrom(c.clientIPHeader)
	}
	return c, nil
}

// logger returns the logger the settings ask for, writing to w.
func (c config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.logLevel}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// value is a flag.Value that parses into *p.
type value[T any] struct {
	p     *T
	parse func(string) (T, error)
}

func parsed[T any](p *T, parse func(string) (T, error)) flag.Value { return value[T]{p, parse} }

func (v value[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.p = x
	return nil
}

func (v value[T]) String() string {
	if v.p == nil {
		return ""
	}
	if list, ok := any(*v.p).([]string); ok {
		return strings.Join(list, ",")
	}
	return fmt.Sprint(*v.p)
}

func str(p *string) flag.Value { return parsed(p, func(s string) (string, error) { return s, nil }) }

func duration(p *time.Duration) flag.Value { return parsed(p, time.ParseDuration) }

func integer(p *int) flag.Value { return parsed(p, strconv.Atoi) }

func parseInt64(s string) (int64, error)   { return strconv.ParseInt(s, 10, 64) }
func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	return l, err
}

func parseStore(s string) (string, error) {
	if s != "sqlite" && s != "memory" {
		return "", fmt.Errorf("%q is neither sqlite nor memory", s)
	}
	return s, nil
}

func parseFormat(s string) (string, error) {
	if s != "text" && s != "json" {
		return "", fmt.Errorf("%q is neither text nor json", s)
	}
	return s, nil
}

// parseList splits a comma-separated list, dropping empty items.
func parseList(s string) ([]string, error) {
	var list []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	return list, nil
}

func itoa[T int | int64](n T) string { return strconv.FormatInt(int64(n), 10) }
func ftoa(f float64) string          { return strconv.FormatFloat(f, 'g', -1, 64) }
