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

// With Redis, each instance shares its part of the lobby every lobbyShare,
// kept for lobbyKept: an instance that stops sharing (killed) leaves the
// lobby within lobbyKept.
const (
	lobbyShare = 2 * time.Second
	lobbyKept  = 3 * lobbyShare
)

// shareLobby shares hub's part of the lobby in store every lobbyShare until
// stop is called, and returns the lobby of all the instances that share
// store: their parts as shared, with hub's own as it is now. Without Redis,
// the lobby is hub's own.
func shareLobby(ctx context.Context, hub *session.Hub, store *redisstore.Store, logger *slog.Logger) (lobby func() protocol.Lobby, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(lobbyShare)
		defer t.Stop()
		for {
			if err := store.ShareLobby(ctx, hub.Lobby(lobbyGames), lobbyKept); err != nil && ctx.Err() == nil {
				logger.Warn("sharing the lobby", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	lobby = func() protocol.Lobby {
		own := hub.Lobby(lobbyGames)
		rctx, done := context.WithTimeout(ctx, time.Second)
		defer done()
		parts, err := store.Lobbies(rctx)
		if err != nil {
			logger.Warn("reading the other instances' lobby", "err", err)
			return own
		}
		return session.MergeLobbies(lobbyGames, append(parts, own)...)
	}
	return lobby, func() { cancel(); wg.Wait() }
}
