// Command load plays real games of Connect Four against a server over
// WebSocket and measures it: moves a second and move latency in a closed and
// an open loop, memory per idle connection, connection set-up, and the
// fan-out of moves to players and spectators. Every event the server sends
// is checked against the rules; a failure makes the command exit 1.
//
// Usage:
//
//	load -mode closed|open|idle|setup|fanout [-url ws://127.0.0.1:8000/ [-pid PID] | -server 'COMMAND {addr}'] [flags]
//
// With -server, it starts the server itself on a free loopback address put
// in place of {addr}, measures it and stops it, for example:
//
//	load -mode closed -games 100 -duration 10s \
//	  -server 'taskset -c 0 bin/connect4 -addr {addr} -message-rate -1 -max-connections -1 -max-connections-per-client -1 -max-games -1 -connection-rate -1 -max-games-per-client -1 -max-sockets -1 -max-sockets-per-client -1 -log-level warn'
//
// Several instances of a server that share their games through Redis are
// measured together: with -instances N it starts the -server command N
// times, and with -redis-server a private redis-server first, on a free
// loopback port, whose URL stands for {redis} in the -server command. The
// closed and open loops then play games for two with the players on
// different instances, so that every move crosses from one to another
// through Redis, and the report sums the instances' CPU and gives Redis's
// apart, for example:
//
//	load -mode closed -games 100 -duration 10s -instances 3 \
//	  -redis-server 'taskset -c 0 redis-server --appendonly no' \
//	  -server 'taskset -c 0 bin/connect4 -addr {addr} -redis {redis} -message-rate -1 ...'
//
// Against instances already running, -url takes their game sockets, comma
// separated, -pid their processes in the same order and -redis-pid Redis's.
//
// The echo mode calibrates the machine: bare TCP clients of a bare Go echo
// server, which the same binary serves with -serve-echo ADDR:
//
//	load -mode echo -games 100 -duration 10s -server 'taskset -c 0 load -serve-echo {addr}'
//
// The reference of a WebSocket server is a minimal gorilla/websocket server
// of the same game (package loadgen/reference), which the same binary serves
// with -serve-gorilla ADDR; every mode but fanout runs against it:
//
//	load -mode closed -games 100 -duration 10s -server 'taskset -c 0 load -serve-gorilla {addr}'
//
// Run `load -help` for every flag. It only speaks the python-websockets
// tutorial's messages, so it runs against any server written for the tutorial
// (give -no-draw-event for the tutorial's own, which announces no draw).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen"
	"github.com/connect4go/connect4/backend/internal/loadgen/reference"
	"github.com/connect4go/connect4/backend/internal/loadgen/targets"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// errUsage is a command line that could not be parsed; the flag package has
// said why.
var errUsage = errors.New("bad usage")

// options are the command line's settings.
type options struct {
	mode, url, server string
	pids              string
	instances         int
	redisServer       string
	redisPID          int
	duration, warmup  time.Duration
	games, players    int
	rate              float64
	late              time.Duration
	conns             string
	message           string
	settle            time.Duration
	concurrency       int
	spectators        int
	interval          time.Duration
	rematch, duel     bool
	timeout           time.Duration
	noDrawEvent       bool
	allowRemote       bool
	jsonOut, mdOut    string
	cpuprofile        string
	serveEcho         string
	serveGorilla      string
	targets           string
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: load -mode MODE [-url URL[,URL...] [-pid PID[,PID...]] | -server 'COMMAND {addr}' [-instances N] [-redis-server COMMAND]] [flags]\n\n"+
			"Plays Connect Four against a server and measures it. Modes:\n"+
			"  closed  -games hot-seat games, each move as soon as the last is answered: moves/s, round trip\n"+
			"  open    -players each making -rate moves/s on a schedule: latency from the scheduled time\n"+
			"  idle    -conns connections (a list, such as 1000,10000) each after one -message: server VmRSS per connection\n"+
			"  setup   -conns connections, -concurrency at a time: connections/s, handshake latency\n"+
			"  fanout  -games games of 2 players and -spectators: latency of a move to the others\n"+
			"  echo    -games bare TCP clients of a bare Go echo server (-serve-echo): the machine's calibration\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.mode, "mode", "", "what load to apply: closed, open, idle, setup, fanout or echo")
	fs.StringVar(&o.serveEcho, "serve-echo", "", "serve the echo calibration on this `address` until SIGTERM, and do nothing else")
	fs.StringVar(&o.serveGorilla, "serve-gorilla", "", "serve the minimal gorilla/websocket reference server on this `address` until SIGTERM, and do nothing else")
	fs.StringVar(&o.targets, "targets", "", "read the results in this `directory` (NAME.json, written by -json, such as sqlite-closed.json; see bench/bench.sh), write the table of issue 15's targets, and do nothing else")
	fs.StringVar(&o.url, "url", "", "the server's game socket, such as ws://127.0.0.1:8000/, or its instances', comma separated")
	fs.StringVar(&o.server, "server", "", "start the server with this `command` (split on spaces), {addr} standing for a free loopback address, and stop it after")
	fs.StringVar(&o.pids, "pid", "", "the server's process `ID`, for its CPU and memory, or its instances', comma separated as in -url (with -url)")
	fs.IntVar(&o.instances, "instances", 1, "start the -server command this many times: instances that share their games (closed and open play games for two across them)")
	fs.StringVar(&o.redisServer, "redis-server", "", "start a private redis-server with this `command`, such as 'redis-server --appendonly no', on a free loopback port, whose URL stands for {redis} in -server, and stop it after")
	fs.IntVar(&o.redisPID, "redis-pid", 0, "the process ID of the redis-server the instances share, for its CPU (with -url)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to measure (closed, open, fanout)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "how long to play before measuring (closed)")
	fs.IntVar(&o.games, "games", 100, "games played at once (closed, fanout)")
	fs.BoolVar(&o.rematch, "rematch", false, "play each slot's games on one connection with this server's rematch, not the tutorial's protocol (closed)")
	fs.BoolVar(&o.duel, "duel", false, "play games for two, red on instance i and yellow on i+1, not hot-seat games (closed, open; always with several instances)")
	fs.IntVar(&o.players, "players", 1000, "connected players (open)")
	fs.Float64Var(&o.rate, "rate", 1, "moves a second per player (open)")
	fs.DurationVar(&o.late, "late", time.Millisecond, "how far behind schedule a move may be sent before it counts as late (open)")
	fs.StringVar(&o.conns, "conns", "1000", "connections: a comma-separated list for idle, a number for setup")
	fs.StringVar(&o.message, "message", "init", "what each idle connection sends: init (a game for two) or play (a hot-seat game)")
	fs.DurationVar(&o.settle, "settle", time.Second, "how long to wait before each reading of the server's memory (idle)")
	fs.IntVar(&o.concurrency, "concurrency", 64, "connections opened at once (open, idle, setup)")
	fs.IntVar(&o.spectators, "spectators", 10, "spectators of each game (fanout)")
	fs.DurationVar(&o.interval, "interval", 0, "time between the moves of a game; 0: as soon as everyone has the last (fanout)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "the longest wait for an answer before it is a failure")
	fs.BoolVar(&o.noDrawEvent, "no-draw-event", false, "the server sends nothing after a drawn game's last move, as the tutorial's")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow a server that is not on a loopback address")
	fs.StringVar(&o.jsonOut, "json", "", "also write the result as JSON to this `file` (- for stdout)")
	fs.StringVar(&o.mdOut, "markdown", "", "also append the result as a markdown table row to this `file` (- for stdout)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the load tool itself to this `file`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, errUsage
	}
	bad := func(format string, a ...any) (options, error) {
		fmt.Fprintf(stderr, "load: "+format+"\n", a...)
		fs.Usage()
		return o, errUsage
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case o.serveEcho != "" && o.serveGorilla != "":
		return bad("-serve-echo and -serve-gorilla serve one at a time")
	case o.serveEcho != "" || o.serveGorilla != "" || o.targets != "":
		return o, nil
	case o.mode == "":
		return bad("-mode is missing")
	case (o.url == "") == (o.server == ""):
		return bad("give either -url or -server")
	case o.server != "" && !strings.Contains(o.server, "{addr}"):
		return bad("the -server command must listen on {addr}")
	case o.instances < 1:
		return bad("-instances must be 1 or more")
	case o.server == "" && (o.instances > 1 || o.redisServer != ""):
		return bad("-instances and -redis-server go with -server")
	case o.server != "" && (o.pids != "" || o.redisPID != 0):
		return bad("-pid and -redis-pid go with -url")
	case strings.Contains(o.server, "{redis}") != (o.redisServer != ""):
		return bad("-redis-server goes with a -server command that uses {redis}")
	}
	return o, nil
}

// scenario returns the load that o describes, and the connections it holds
// at once, at most.
func (o options) scenario() (loadgen.Scenario, int, error) {
	switch o.mode {
	case "closed":
		return loadgen.Closed{Games: o.games, Duel: o.duel, Warmup: o.warmup, Duration: o.duration, Rematch: o.rematch}, o.games, nil
	case "open":
		return loadgen.Open{Players: o.players, Duel: o.duel, Rate: o.rate, Duration: o.duration, Late: o.late, Concurrency: o.concurrency}, o.players, nil
	case "idle":
		var steps []int
		for s := range strings.SplitSeq(o.conns, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, 0, fmt.Errorf("-conns: %v", err)
			}
			steps = append(steps, n)
		}
		return loadgen.Idle{Steps: steps, Message: o.message, Concurrency: o.concurrency, Settle: o.settle}, steps[len(steps)-1], nil
	case "setup":
		n, err := strconv.Atoi(o.conns)
		if err != nil {
			return nil, 0, fmt.Errorf("-conns: %v", err)
		}
		return loadgen.Setup{Connections: n, Concurrency: o.concurrency}, n, nil
	case "fanout":
		return loadgen.FanOut{Games: o.games, Spectators: o.spectators, Interval: o.interval, Duration: o.duration},
			o.games * (2 + o.spectators), nil
	case "echo":
		return loadgen.Echo{Clients: o.games, Duration: o.duration}, o.games, nil
	}
	return nil, 0, fmt.Errorf("unknown -mode %q: closed, open, idle, setup, fanout or echo", o.mode)
}

// run applies the load that args describe and reports on stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	switch {
	case o.targets != "":
		return writeTargets(o.targets, stdout)
	case o.serveEcho != "":
		return serve(ctx, o.serveEcho, loadgen.ServeEcho)
	case o.serveGorilla != "":
		return serve(ctx, o.serveGorilla, func(ln net.Listener) error {
			return reference.Serve(ln, reference.New())
		})
	}
	scenario, files, err := o.scenario()
	if err != nil {
		return err
	}
	// The connections, plus what the program has open besides.
	var notes []string
	note, err := loadgen.RaiseFileLimit(uint64(files) + 64)
	if err != nil {
		return err
	}
	if note != "" {
		notes = append(notes, note)
	}

	cfg := loadgen.Config{Timeout: o.timeout, NoDrawEvent: o.noDrawEvent}
	if o.server != "" {
		stop, err := launch(ctx, o, &cfg, stderr)
		defer stop()
		if err != nil {
			return err
		}
	} else if err := o.instancesAt(&cfg); err != nil {
		return err
	}
	all := append([]loadgen.Instance{{URL: cfg.URL, PID: cfg.PID}}, cfg.Others...)
	if n := loadgen.SourcesFor(files); n > 1 && !slices.ContainsFunc(all, func(in loadgen.Instance) bool { return !loopbackV4(in.URL) }) {
		cfg.Sources = n
		notes = append(notes, fmt.Sprintf("connections spread over %d source addresses, 127.0.0.1 and up", n))
	}
	for i, in := range all {
		if in.PID <= 0 {
			continue
		}
		if limit, err := loadgen.FileLimit(in.PID); err == nil && limit < uint64(files) {
			notes = append(notes, fmt.Sprintf("instance %d may open only %d files: fewer than the %d connections", i, limit, files))
		}
	}

	// The load tool's garbage collections stall every connection it holds:
	// make them rarer, unless GOGC says otherwise. Each Result counts them.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	r, runErr := scenario.Run(ctx, cfg)
	if r == nil {
		return runErr
	}
	r.Notes = append(notes, r.Notes...)
	if err := r.WriteText(stdout); err != nil {
		return err
	}
	if err := output(o.jsonOut, stdout, false, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}); err != nil {
		return err
	}
	if err := output(o.mdOut, stdout, true, r.WriteMarkdown); err != nil {
		return err
	}
	return runErr
}

// launch starts the servers that o describes, a redis-server first if asked,
// and records them in cfg. It returns what stops them all, to call even on
// error.
func launch(ctx context.Context, o options, cfg *loadgen.Config, stderr io.Writer) (stop func(), err error) {
	var stops []func() error
	stop = func() {
		for _, s := range slices.Backward(stops) {
			if err := s(); err != nil {
				fmt.Fprintln(stderr, "load: stopping a server:", err)
			}
		}
	}
	command := o.server
	if o.redisServer != "" {
		dir, err := os.MkdirTemp("", "load-redis-")
		if err != nil {
			return stop, err
		}
		stops = append(stops, func() error { return os.RemoveAll(dir) })
		rs, err := loadgen.LaunchRedis(ctx, o.redisServer, dir, stderr)
		if err != nil {
			return stop, fmt.Errorf("starting redis-server: %w", err)
		}
		stops = append(stops, rs.Stop)
		cfg.Redis, cfg.RedisPID = true, rs.PID
		command = strings.ReplaceAll(command, "{redis}", "redis://"+rs.Addr+"/0")
	}
	for i := range o.instances {
		srv, err := loadgen.Launch(ctx, command, stderr)
		if err != nil {
			return stop, err
		}
		stops = append(stops, srv.Stop)
		in := loadgen.Instance{URL: "ws://" + srv.Addr + "/", PID: srv.PID}
		if i == 0 {
			cfg.URL, cfg.PID = in.URL, in.PID
		} else {
			cfg.Others = append(cfg.Others, in)
		}
	}
	return stop, nil
}

// instancesAt records in cfg the instances of the server that o names with
// -url, -pid and -redis-pid.
func (o options) instancesAt(cfg *loadgen.Config) error {
	urls := strings.Split(o.url, ",")
	var pids []int
	if o.pids != "" {
		for s := range strings.SplitSeq(o.pids, ",") {
			pid, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return fmt.Errorf("-pid: %v", err)
			}
			pids = append(pids, pid)
		}
		if len(pids) != len(urls) {
			return fmt.Errorf("-pid names %d processes for %d -url instances", len(pids), len(urls))
		}
	}
	for i, u := range urls {
		u = strings.TrimSpace(u)
		if err := checkLoopback(u, o.allowRemote); err != nil {
			return err
		}
		in := loadgen.Instance{URL: u}
		if pids != nil {
			in.PID = pids[i]
		}
		if i == 0 {
			cfg.URL, cfg.PID = in.URL, in.PID
		} else {
			cfg.Others = append(cfg.Others, in)
		}
	}
	cfg.Redis, cfg.RedisPID = o.redisPID > 0, o.redisPID
	return nil
}

// output writes with write to the file named name, or to stdout for "-",
// appending to the file or replacing it; an empty name writes nothing.
func output(name string, stdout io.Writer, appending bool, write func(io.Writer) error) error {
	switch name {
	case "":
		return nil
	case "-":
		return write(stdout)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appending {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := os.OpenFile(name, flags, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkLoopback refuses a server that is not on a loopback address, unless
// allowed: a load test is not to be aimed at someone else's server by a
// slip of the keyboard.
func checkLoopback(rawURL string, allowed bool) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if allowed {
		return nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s is not a loopback address: give -allow-remote to load it anyway", host)
}

// writeTargets writes the table of issue 15's targets from the results in
// dir, each labelled by its file's name.
func writeTargets(dir string, stdout io.Writer) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	runs := targets.Runs{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		var r loadgen.Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		runs[strings.TrimSuffix(filepath.Base(name), ".json")] = &r
	}
	return targets.Write(stdout, runs)
}

// loopbackV4 reports whether rawURL names a loopback IPv4 address, such as
// 127.0.0.1, from which any other of 127.0.0.0/8 reaches it.
func loopbackV4(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.To4() != nil && ip.IsLoopback()
}

// serve listens on addr and serves it with serveOn until ctx is done: the
// echo calibration or the reference server.
func serve(ctx context.Context, addr string, serveOn func(net.Listener) error) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	return serveOn(ln)
}
