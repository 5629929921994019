package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/metrics"
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
		`connect4_connections_open{instance="a"} 1`,
		`connect4_games_in_progress{instance="a",mode="friends"} 1`,
		`connect4_games_in_progress{instance="a",mode="hotseat"} 0`,
		`connect4_games_ended_total{how="win",instance="a",mode="hotseat"} 1`,
		`connect4_moves_total{instance="a",mode="friends"} 1`,
		`connect4_errors_total{instance="a",reason="column_full"} 1`,
		`connect4_messages_total{direction="out",instance="a"} 2`,
		`connect4_move_duration_seconds_bucket{instance="a",le="0.0004"} 1`,
		`connect4_move_duration_seconds_bucket{instance="a",le="0.0002"} 0`,
		`go_goroutines{instance="a"}`,
		`connect4_computer_moves_total{instance="a",level="perfect",source="book"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("no %s in:\n%s", want, body)
		}
	}
}
