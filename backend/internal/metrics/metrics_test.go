package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/metrics"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

func TestMetrics(t *testing.T) {
	m := metrics.New("a")
	m.ConnectionOpened()
	m.ConnectionOpened()
	m.ConnectionClosed()
	m.GameStarted(protocol.Friends)
	m.GameStarted(protocol.HotSeat)
	m.GameEnded(protocol.HotSeat, "win")
	m.MoveAccepted(protocol.Friends)
	m.Refused("column_full")
	m.MessageIn()
	m.MessageOut()
	m.MessageOut()
	m.MoveServed(300 * time.Microsecond)
	m.ComputerMoved("perfect", "book")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`connect4_connections_open{server="a"} 1`,
		`connect4_games_in_progress{mode="friends",server="a"} 1`,
		`connect4_games_in_progress{mode="hotseat",server="a"} 0`,
		`connect4_games_ended_total{how="win",mode="hotseat",server="a"} 1`,
		`connect4_moves_total{mode="friends",server="a"} 1`,
		`connect4_errors_total{reason="column_full",server="a"} 1`,
		`connect4_messages_total{direction="out",server="a"} 2`,
		`connect4_move_duration_seconds_bucket{server="a",le="0.0004"} 1`,
		`connect4_move_duration_seconds_bucket{server="a",le="0.0002"} 0`,
		`go_goroutines{server="a"}`,
		`connect4_computer_moves_total{level="perfect",server="a",source="book"} 1`,
		`connect4_store_up{server="a"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("no %s in:\n%s", want, body)
		}
	}
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	m := metrics.New("")
	s := m.Store(session.NewMemStore(session.Lifetimes{}))
	s.Create(ctx, session.Header{ID: "w"})
	s.Append(ctx, "w", 0, session.Record{Op: session.NewRound})
	s.Append(ctx, "w", 0, session.Record{Op: session.NewRound})
	s.Find(ctx, session.WatchKey, "x")
	m.StoreUp(false)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`connect4_store_duration_seconds_count{op="append",result="ok"} 1`,
		`connect4_store_duration_seconds_count{op="append",result="conflict"} 1`,
		`connect4_store_duration_seconds_count{op="find",result="not_found"} 1`,
		`connect4_store_duration_seconds_count{op="create",result="ok"} 1`,
		`connect4_store_conflicts_total 1`,
		`connect4_store_up 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("no %s in:\n%s", want, body)
		}
	}
}

// archive is a Store that keeps no match that ended.
type archive struct{ session.Store }

func (archive) Archived(context.Context, string) (session.Header, []session.Record, error) {
	return session.Header{}, nil, session.ErrNotFound
}

// registryArchive is an archive that is also a session.Registry, as the
// SQLite store is.
type registryArchive struct{ archive }

func (registryArchive) Register(string) func() { return func() {} }

// TestStoreArchive checks that a timed Store is an Archive and a Registry if
// and only if the Store it times is, and that its look-ups are timed.
func TestStoreArchive(t *testing.T) {
	m := metrics.New("")
	mem := session.NewMemStore(session.Lifetimes{})
	tests := []struct {
		name              string
		store             session.Store
		archive, registry bool
	}{
		{"memory", mem, false, true}, // the memory store is a Registry
		{"archive", archive{mem}, true, false},
		{"both", registryArchive{archive{mem}}, true, true},
	}
	archived := 0
	for _, tt := range tests {
		s := m.Store(tt.store)
		a, isArchive := s.(session.Archive)
		_, isRegistry := s.(session.Registry)
		if isArchive != tt.archive || isRegistry != tt.registry {
			t.Errorf("%s, timed: an Archive %v, a Registry %v; want %v, %v", tt.name, isArchive, isRegistry, tt.archive, tt.registry)
		}
		if !isArchive {
			continue
		}
		if _, _, err := a.Archived(context.Background(), "w"); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("%s: Archived = %v, want ErrNotFound", tt.name, err)
		}
		archived++
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if want := fmt.Sprintf(`connect4_store_duration_seconds_count{op="archived",result="not_found"} %d`, archived); !strings.Contains(string(body), want) {
		t.Errorf("no %s in:\n%s", want, body)
	}
}

// The observations of a move, as the socket, the session and the Store's
// timing make them, allocate nothing.
func TestObservationsDoNotAllocate(t *testing.T) {
	m := metrics.New("")
	store := m.Store(session.NewMemStore(session.Lifetimes{}))
	ctx := context.Background()
	observe := func() {
		m.MessageIn()
		m.MoveAccepted(protocol.HotSeat)
		store.Find(ctx, session.WatchKey, "no such match")
		m.MessageOut()
		m.MoveServed(30 * time.Microsecond)
	}
	observe() // the first of each label value makes its series
	if n := testing.AllocsPerRun(100, observe); n != 0 {
		t.Errorf("%v allocations a move, want 0", n)
	}
}
