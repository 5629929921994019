package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/connect4go/connect4/backend/internal/redisstore"
	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// lobbyGames is how many games GET /lobby lists, at most.
const lobbyGames = 8

// With Redis, each instance shares its part of the lobby, and reads the
// others', every lobbyShare; a part is kept for lobbyKept, so that an
// instance that stops sharing (killed) leaves the lobby within lobbyKept.
const (
	lobbyShare = 2 * time.Second
	lobbyKept  = 3 * lobbyShare
)

// shareLobby shares hub's part of the lobby in store, and reads the other
// instances' parts, every lobbyShare until stop is called, which waits for
// the last share. It returns the lobby of all the instances that share
// store: the others' parts as last read, hub's own as it is now. A request
// for the lobby never waits for Redis.
func shareLobby(hub *session.Hub, store *redisstore.Store, logger *slog.Logger) (lobby func() protocol.Lobby, stop func()) {
	// Not the server's context: a draining instance keeps its games in
	// the lobby until it stops.
	ctx, cancel := context.WithCancel(context.Background())
	var (
		mu     sync.Mutex
		others []protocol.Lobby // the other instances' parts, as last read
	)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(lobbyShare)
		defer t.Stop()
		for {
			if err := store.ShareLobby(ctx, hub.Lobby(lobbyGames), lobbyKept); err != nil && ctx.Err() == nil {
				logger.Warn("sharing the lobby", "err", err)
			}
			parts, err := store.Lobbies(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				logger.Warn("reading the other instances' lobby", "err", err)
			case err == nil:
				mu.Lock()
				others = parts
				mu.Unlock()
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	lobby = func() protocol.Lobby {
		mu.Lock()
		parts := append([]protocol.Lobby{hub.Lobby(lobbyGames)}, others...)
		mu.Unlock()
		return session.MergeLobbies(lobbyGames, parts...)
	}
	return lobby, func() { cancel(); wg.Wait() }
}
