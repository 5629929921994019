package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// tutorialEvent is what the tutorial's part 1 client reads of an event.
type tutorialEvent struct {
	Type    string `json:"type"`
	Player  string `json:"player"`
	Column  int    `json:"column"`
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// A client written for the tutorial's part 1 plays a whole game, unchanged: it
// connects to the root of the server, sends its own JSON and reads the fields
// it knows.
func TestTutorialPart1Client(t *testing.T) {
	srv := startServer(t)
	ws, resp, err := websocket.DefaultDialer.Dial(srv.wsURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	defer ws.Close()

	receive := func() tutorialEvent {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var e tutorialEvent
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		return e
	}
	// The tutorial's main.js sends exactly this, formatted by JSON.stringify.
	sendPlay := func(column int) {
		t.Helper()
		if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"play","column":`+string(rune('0'+column))+`}`)); err != nil {
			t.Fatal(err)
		}
	}

	// Yellow wins on the diagonal; red wastes moves on the right.
	moves := []struct {
		column, row int
		player      string
	}{
		{6, 0, "red"}, {0, 0, "yellow"}, {1, 0, "red"}, {1, 1, "yellow"}, {2, 0, "red"},
		{2, 1, "yellow"}, {3, 0, "red"}, {2, 2, "yellow"}, {6, 1, "red"}, {3, 1, "yellow"},
		{6, 2, "red"}, {3, 2, "yellow"}, {5, 0, "red"}, {3, 3, "yellow"},
	}
	for _, m := range moves {
		sendPlay(m.column)
		want := tutorialEvent{Type: "play", Player: m.player, Column: m.column, Row: m.row}
		if got := receive(); got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	}
	if got := receive(); got.Type != "win" || got.Player != "yellow" {
		t.Fatalf("got %+v, want yellow's win", got)
	}
	sendPlay(4)
	if got := receive(); got.Type != "error" || got.Message == "" {
		t.Fatalf("got %+v, want an error after the game", got)
	}
}
