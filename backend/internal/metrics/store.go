package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/prometheus/client_golang/prometheus"
)

// storeMetrics are the figures of the game store.
type storeMetrics struct {
	seconds   *prometheus.HistogramVec
	conflicts prometheus.Counter
	up        prometheus.Gauge
	// secondsOf holds the series of seconds by operation and result: one
	// is observed at every call.
	secondsOf *series[[2]string, prometheus.Observer]
}

func newStoreMetrics(f wrap) storeMetrics {
	s := storeMetrics{
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "connect4_store_duration_seconds",
			Help:    "Time of the calls to the game store, by operation (create, find, load, append, archived) and result (ok, conflict, not_found, error).",
			Buckets: prometheus.ExponentialBuckets(25e-6, 2, 16), // 25 µs to 0.8 s
		}, []string{"op", "result"}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "connect4_store_conflicts_total",
			Help: "Appends refused because another server changed the match first.",
		}),
		up: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "connect4_store_up",
			Help: "1 while the game store answers, 0 while it does not.",
		}),
	}
	s.secondsOf = new(series[[2]string, prometheus.Observer])
	f.MustRegister(s.seconds, s.conflicts, s.up)
	s.up.Set(1) // the store in the process always answers
	return s
}

// StoreUp sets whether the game store answers.
func (m *Metrics) StoreUp(up bool) {
	if up {
		m.store.up.Set(1)
	} else {
		m.store.up.Set(0)
	}
}

// Store returns s, timing each of its calls. A Store that is a
// session.Registry, a session.Archive or both stays so.
func (m *Metrics) Store(s session.Store) session.Store {
	t := timedStore{s, m.store}
	r, registry := s.(session.Registry)
	_, archive := s.(session.Archive)
	switch {
	case registry && archive:
		return registryArchiveStore{registryStore{t, r}}
	case registry:
		return registryStore{t, r}
	case archive:
		return archiveStore{t}
	}
	return t
}

// archiveStore is a timedStore of a session.Archive.
type archiveStore struct {
	timedStore
}

func (a archiveStore) Archived(ctx context.Context, id string) (session.Header, []session.Record, error) {
	return a.archived(ctx, id)
}

// registryArchiveStore is a timedStore of a Store that is both a
// session.Registry and a session.Archive.
type registryArchiveStore struct {
	registryStore
}

func (a registryArchiveStore) Archived(ctx context.Context, id string) (session.Header, []session.Record, error) {
	return a.archived(ctx, id)
}

// archived times the Archived of a Store that is a session.Archive.
func (t timedStore) archived(ctx context.Context, id string) (h session.Header, recs []session.Record, err error) {
	defer func(start time.Time) { t.observe("archived", start, err) }(time.Now())
	return t.Store.(session.Archive).Archived(ctx, id)
}

// registryStore is a timedStore of a session.Registry.
type registryStore struct {
	timedStore
	session.Registry
}

// timedStore is a session.Store whose calls are timed.
type timedStore struct {
	session.Store
	m storeMetrics
}

func (t timedStore) observe(op string, start time.Time, err error) {
	result := "ok"
	switch {
	case errors.Is(err, session.ErrConflict):
		result = "conflict"
		t.m.conflicts.Inc()
	case errors.Is(err, session.ErrNotFound):
		result = "not_found"
	case err != nil:
		result = "error"
	}
	t.m.secondsOf.get([2]string{op, result}, func() prometheus.Observer {
		return t.m.seconds.WithLabelValues(op, result)
	}).Observe(time.Since(start).Seconds())
}

func (t timedStore) Create(ctx context.Context, h session.Header) (err error) {
	defer func(start time.Time) { t.observe("create", start, err) }(time.Now())
	return t.Store.Create(ctx, h)
}

func (t timedStore) Find(ctx context.Context, kind session.KeyKind, key string) (id string, err error) {
	defer func(start time.Time) { t.observe("find", start, err) }(time.Now())
	return t.Store.Find(ctx, kind, key)
}

func (t timedStore) Load(ctx context.Context, id string, from int) (h session.Header, recs []session.Record, err error) {
	defer func(start time.Time) { t.observe("load", start, err) }(time.Now())
	return t.Store.Load(ctx, id, from)
}

func (t timedStore) Append(ctx context.Context, id string, at int, recs ...session.Record) (err error) {
	defer func(start time.Time) { t.observe("append", start, err) }(time.Now())
	return t.Store.Append(ctx, id, at, recs...)
}
