// Package metrics counts what the server does, in the Prometheus format: it
// implements the Observer interfaces of the session and socket packages and
// serves the figures at /metrics.
package metrics

import (
	"net/http"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's figures. It is safe for concurrent use; the zero
// value is not usable: call [New].
type Metrics struct {
	registry    *prometheus.Registry
	connections prometheus.Gauge
	games       *prometheus.GaugeVec
	gamesEnded  *prometheus.CounterVec
	moves       *prometheus.CounterVec
	errors      *prometheus.CounterVec
	messages    *prometheus.CounterVec
	in, out     prometheus.Counter // messages' series, resolved once: one is counted every message
	moveSeconds prometheus.Histogram
	computer    *prometheus.CounterVec
	store       storeMetrics
	// The series counted at every move or game, by their label values.
	movesOf      series[protocol.Mode, prometheus.Counter]
	gamesOf      series[protocol.Mode, prometheus.Gauge]
	gamesEndedOf series[[2]string, prometheus.Counter]
}

var (
	_ session.Observer = (*Metrics)(nil)
	_ socket.Observer  = (*Metrics)(nil)
)

// New returns Metrics registered with a registry of their own, with the Go
// runtime's and the process's figures beside them. Unless server is "", every
// figure carries it in the label "server", which tells the instances of the
// game apart ("instance" is Prometheus's own, the address it scrapes).
func New(server string) *Metrics {
	labels := prometheus.Labels{}
	if server != "" {
		labels["server"] = server
	}
	r := prometheus.NewRegistry()
	f := wrap{prometheus.WrapRegistererWith(labels, r)}
	m := &Metrics{
		registry: r,
		connections: f.gauge(prometheus.GaugeOpts{
			Name: "connect4_connections_open", Help: "WebSocket connections open now.",
		}),
		games: f.gaugeVec(prometheus.GaugeOpts{
			Name: "connect4_games_in_progress", Help: "Games started and not ended on this server, by mode (friends, hotseat, computer or quick).",
		}, "mode"),
		gamesEnded: f.counterVec(prometheus.CounterOpts{
			Name: "connect4_games_ended_total", Help: "Games ended, by mode and how: win, draw, abandoned, time or unfinished.",
		}, "mode", "how"),
		moves: f.counterVec(prometheus.CounterOpts{
			Name: "connect4_moves_total", Help: "Moves accepted, by mode.",
		}, "mode"),
		errors: f.counterVec(prometheus.CounterOpts{
			Name: "connect4_errors_total", Help: "Error events sent to clients, by reason.",
		}, "reason"),
		messages: f.counterVec(prometheus.CounterOpts{
			Name: "connect4_messages_total", Help: "WebSocket messages, by direction: in or out.",
		}, "direction"),
		moveSeconds: f.histogram(prometheus.HistogramOpts{
			Name:    "connect4_move_duration_seconds",
			Help:    "Time from reading a play to having written its result to the player's socket.",
			Buckets: prometheus.ExponentialBuckets(25e-6, 2, 16), // 25 µs to 0.8 s
		}),
	}
	m.computer = f.counterVec(prometheus.CounterOpts{
		Name: "connect4_computer_moves_total",
		Help: "Moves of the computer, by level and by how they were chosen: rule, chance, lookahead, book, solver or deepening (perfect's fallback when the solve runs out of time).",
	}, "level", "source")
	m.in, m.out = m.messages.WithLabelValues("in"), m.messages.WithLabelValues("out")
	m.store = newStoreMetrics(f)
	f.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// wrap registers the collectors it makes.
type wrap struct{ prometheus.Registerer }

func (w wrap) gauge(o prometheus.GaugeOpts) prometheus.Gauge {
	g := prometheus.NewGauge(o)
	w.MustRegister(g)
	return g
}

func (w wrap) gaugeVec(o prometheus.GaugeOpts, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(o, labels)
	w.MustRegister(g)
	return g
}

func (w wrap) counterVec(o prometheus.CounterOpts, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(o, labels)
	w.MustRegister(c)
	return c
}

func (w wrap) histogram(o prometheus.HistogramOpts) prometheus.Histogram {
	h := prometheus.NewHistogram(o)
	w.MustRegister(h)
	return h
}

// Handler serves the figures in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// GameStarted implements session.Observer.
func (m *Metrics) GameStarted(mode protocol.Mode) { m.gamesIn(mode).Inc() }

// GameEnded implements session.Observer.
func (m *Metrics) GameEnded(mode protocol.Mode, how string) {
	m.gamesIn(mode).Dec()
	m.gamesEndedOf.get([2]string{string(mode), how}, func() prometheus.Counter {
		return m.gamesEnded.WithLabelValues(string(mode), how)
	}).Inc()
}

// gamesIn returns the series of the games in progress of mode.
func (m *Metrics) gamesIn(mode protocol.Mode) prometheus.Gauge {
	return m.gamesOf.get(mode, func() prometheus.Gauge { return m.games.WithLabelValues(string(mode)) })
}

// MoveAccepted implements session.Observer.
func (m *Metrics) MoveAccepted(mode protocol.Mode) {
	m.movesOf.get(mode, func() prometheus.Counter { return m.moves.WithLabelValues(string(mode)) }).Inc()
}

// Refused implements session.Observer.
func (m *Metrics) Refused(reason string) { m.errors.WithLabelValues(reason).Inc() }

// ConnectionOpened implements socket.Observer.
func (m *Metrics) ConnectionOpened() { m.connections.Inc() }

// ConnectionClosed implements socket.Observer.
func (m *Metrics) ConnectionClosed() { m.connections.Dec() }

// MessageIn implements socket.Observer.
func (m *Metrics) MessageIn() { m.in.Inc() }

// MessageOut implements socket.Observer.
func (m *Metrics) MessageOut() { m.out.Inc() }

// MoveServed implements socket.Observer.
func (m *Metrics) MoveServed(d time.Duration) { m.moveSeconds.Observe(d.Seconds()) }

// ComputerMoved counts a move of the computer at level, chosen by source.
func (m *Metrics) ComputerMoved(level, source string) {
	m.computer.WithLabelValues(level, source).Inc()
}
