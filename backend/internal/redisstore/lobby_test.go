package redisstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/redisstore"
	"github.com/connect4go/connect4/backend/internal/redistest"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestLobbies shares the parts of the lobby of two servers through one Redis:
// each reads the other's, not its own; a part that is not shared again
// expires, and a server's part goes when it closes.
func TestLobbies(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	a := open(t, srv, redisstore.Options{Server: "a~1"})
	b, err := redisstore.New(srv.URL(), redisstore.Options{Server: "b~1"}, discard)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			b.Close()
		}
	})
	c := open(t, srv, redisstore.Options{Server: "c~1"})
	lobbyA := protocol.Lobby{Playing: 3, Games: []protocol.LiveGame{{Watch: "W1", Moves: 9}}}
	lobbyB := protocol.Lobby{Playing: 1, Games: []protocol.LiveGame{}}
	if err := a.ShareLobby(ctx, lobbyA, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := b.ShareLobby(ctx, lobbyB, time.Minute); err != nil {
		t.Fatal(err)
	}
	lobbies := func(s *redisstore.Store) []protocol.Lobby {
		t.Helper()
		parts, err := s.Lobbies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return parts
	}
	if got := lobbies(a); !reflect.DeepEqual(got, []protocol.Lobby{lobbyB}) {
		t.Errorf("a reads %+v, want b's part alone", got)
	}
	if got := lobbies(c); len(got) != 2 {
		t.Errorf("c reads %+v, want a's and b's parts", got)
	}

	b.Close()
	closed = true
	if got := lobbies(a); len(got) != 0 {
		t.Errorf("a reads %+v once b closed, want none", got)
	}

	// a shares for a short time, and then no more: its part, read above,
	// expires (not asserted present again, which a pause of the machine
	// longer than the short time would fail).
	if err := a.ShareLobby(ctx, lobbyA, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a's part expired", func() bool { return len(lobbies(c)) == 0 })
}

func TestShareLobbyWithoutServer(t *testing.T) {
	s := open(t, redistest.Start(t), redisstore.Options{})
	if err := s.ShareLobby(context.Background(), protocol.Lobby{}, time.Minute); err == nil {
		t.Error("shared a lobby without a server's name")
	}
	if parts, err := s.Lobbies(context.Background()); err != nil || len(parts) != 0 {
		t.Errorf("Lobbies = %v, %v; want none", parts, err)
	}
}
