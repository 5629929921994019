package loadgen

import (
	"math/rand/v2"
	"slices"

	"github.com/connect4go/connect4/shared/connect4"
)

// scripts are the whole games that the load plays, as the columns played in
// turn from red: each ends exactly on its last move. They are the same on
// every run: a few by hand, random games from a fixed seed, and drawn games
// found the same way, each also mirrored left to right. Between them they
// have wins of both colours in all four directions, and draws.
var scripts = makeScripts()

// handScripts are games written by hand: the short ones at the edges of what
// the engine checks.
var handScripts = [][]int{
	{3, 4, 3, 4, 3, 4, 3}, // red, vertical
	// A draw, second so that the second game of every run plays it first:
	// even a short run under a busy machine has one.
	{5, 4, 5, 0, 6, 2, 4, 5, 5, 0, 4, 1, 1, 0, 4,
		5, 6, 5, 3, 1, 1, 2, 2, 6, 2, 6, 6, 3, 6, 2, 0, 3, 0, 3, 3, 4, 3, 1, 4, 2, 1, 0},
	{0, 0, 1, 1, 2, 2, 3},                      // red, horizontal at the bottom left
	{6, 0, 1, 1, 2, 2, 3, 2, 6, 3, 6, 3, 5, 3}, // yellow
	{0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3},          // red, diagonal
	{6, 5, 5, 4, 4, 3, 4, 3, 3, 0, 3},          // red, anti-diagonal
	{0, 6, 0, 6, 1, 6, 1, 6},                   // yellow, vertical on the right edge
}

// The number of random games won, and of random draws, in scripts (before
// mirroring).
const (
	randomWins  = 20
	randomDraws = 4
)

func makeScripts() [][]int {
	all := slices.Clone(handScripts)
	r := rand.New(rand.NewPCG(4, 7))
	wins, draws := 0, 0
	// Random games are drawn about once in two hundred: the loop ends after
	// a few thousand games, always the same ones.
	for wins < randomWins || draws < randomDraws {
		g := connect4.NewGame()
		var columns []int
		for !g.Over() {
			c := r.IntN(connect4.Columns)
			if g.CanPlay(c) {
				g.Play(g.Turn(), c)
				columns = append(columns, c)
			}
		}
		switch {
		case g.Draw() && draws < randomDraws:
			draws++
			all = append(all, columns)
		case !g.Draw() && wins < randomWins:
			wins++
			all = append(all, columns)
		}
	}
	for _, s := range all[:len(all):len(all)] {
		mirror := make([]int, len(s))
		for i, c := range s {
			mirror[i] = connect4.Columns - 1 - c
		}
		all = append(all, mirror)
	}
	return all
}

// playJSON holds the tutorial's play command for each column.
var playJSON = func() [connect4.Columns][]byte {
	var p [connect4.Columns][]byte
	for c := range p {
		p[c] = []byte(`{"type":"play","column":` + string(rune('0'+c)) + `}`)
	}
	return p
}()
