package redisstore

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/connect4go/connect4/shared/protocol"
)

// The start screen's lobby across servers: each server keeps its own part
// (its people and its quick-match games) in a key of its own that expires,
// and names itself in a set, where the others find it. A name whose key has
// expired is taken out of the set by the next reader; a server that shares
// again at that moment may miss one reading, and is back at its next share.

func (s *Store) lobbyKey(server string) string { return s.opt.Prefix + "lobby:" + server }
func (s *Store) lobbiesKey() string            { return s.opt.Prefix + "lobbies" }

// errNoServer answers a Store that has no Options.Server to share under.
var errNoServer = errors.New("redisstore: sharing a lobby needs Options.Server")

// ShareLobby keeps l as this server's part of the lobby (under
// Options.Server) for ttl, for the other servers' Lobbies. Share again
// before ttl runs out to stay listed.
func (s *Store) ShareLobby(ctx context.Context, l protocol.Lobby, ttl time.Duration) error {
	if s.opt.Server == "" {
		return errNoServer
	}
	b, err := protocol.EncodeEvent(l)
	if err != nil {
		return err
	}
	pipe := s.rdb.TxPipeline()
	pipe.Set(ctx, s.lobbyKey(s.opt.Server), b, ttl)
	pipe.SAdd(ctx, s.lobbiesKey(), s.opt.Server)
	_, err = pipe.Exec(ctx)
	return err
}

// Lobbies returns the parts of the lobby that the other servers shared, those
// that have not expired.
func (s *Store) Lobbies(ctx context.Context) ([]protocol.Lobby, error) {
	servers, err := s.rdb.SMembers(ctx, s.lobbiesKey()).Result()
	if err != nil {
		return nil, err
	}
	servers = slices.DeleteFunc(servers, func(name string) bool { return name == s.opt.Server })
	if len(servers) == 0 {
		return nil, nil
	}
	keys := make([]string, len(servers))
	for i, name := range servers {
		keys[i] = s.lobbyKey(name)
	}
	values, err := s.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	var parts []protocol.Lobby
	var gone []any
	for i, v := range values {
		text, ok := v.(string)
		if !ok {
			gone = append(gone, servers[i])
			continue
		}
		e, err := protocol.DecodeEvent([]byte(text))
		l, ok := e.(protocol.Lobby)
		if err != nil || !ok {
			s.log.Error("a server's part of the lobby is not a lobby", "server", servers[i], "err", err)
			continue
		}
		parts = append(parts, l)
	}
	if len(gone) > 0 {
		s.rdb.SRem(ctx, s.lobbiesKey(), gone...) // a failure leaves them for the next reader
	}
	return parts, nil
}

// unshareLobby takes this server's part out of the lobby at once.
func (s *Store) unshareLobby(ctx context.Context) {
	pipe := s.rdb.TxPipeline()
	pipe.Del(ctx, s.lobbyKey(s.opt.Server))
	pipe.SRem(ctx, s.lobbiesKey(), s.opt.Server)
	_, _ = pipe.Exec(ctx) // a failure: the part expires
}
