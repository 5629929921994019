package session

import (
	"cmp"
	"slices"
	"strings"

	"github.com/connect4go/connect4/shared/protocol"
)

// MergeLobbies returns the lobby of several servers from each one's part:
// the people connected to any of them, and up to n of their games, those
// with the most moves first. A game that two servers hold (its players on
// both) is listed once, with the most moves either has seen.
func MergeLobbies(n int, parts ...protocol.Lobby) protocol.Lobby {
	l := protocol.Lobby{Games: []protocol.LiveGame{}}
	seen := make(map[string]int) // index in l.Games by watch key
	for _, p := range parts {
		l.Playing += p.Playing
		for _, g := range p.Games {
			if i, ok := seen[g.Watch]; ok {
				l.Games[i].Moves = max(l.Games[i].Moves, g.Moves)
				continue
			}
			seen[g.Watch] = len(l.Games)
			l.Games = append(l.Games, g)
		}
	}
	slices.SortFunc(l.Games, func(a, b protocol.LiveGame) int { return cmp.Or(b.Moves-a.Moves, strings.Compare(a.Watch, b.Watch)) })
	if len(l.Games) > max(n, 0) {
		l.Games = l.Games[:max(n, 0)]
	}
	return l
}
