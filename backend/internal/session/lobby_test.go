package session_test

import (
	"reflect"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

func TestMergeLobbies(t *testing.T) {
	g := func(watch string, moves int) protocol.LiveGame { return protocol.LiveGame{Watch: watch, Moves: moves} }
	tests := []struct {
		name  string
		n     int
		parts []protocol.Lobby
		want  protocol.Lobby
	}{
		{"none", 8, nil, protocol.Lobby{Games: []protocol.LiveGame{}}},
		{"one server, sorted", 8,
			[]protocol.Lobby{{Playing: 3, Games: []protocol.LiveGame{g("B", 2), g("A", 9), g("C", 2)}}},
			protocol.Lobby{Playing: 3, Games: []protocol.LiveGame{g("A", 9), g("B", 2), g("C", 2)}}},
		{"two servers: the people summed, the games merged", 8,
			[]protocol.Lobby{
				{Playing: 3, Games: []protocol.LiveGame{g("A", 4)}},
				{Playing: 5, Games: []protocol.LiveGame{g("B", 7)}},
			},
			protocol.Lobby{Playing: 8, Games: []protocol.LiveGame{g("B", 7), g("A", 4)}}},
		{"a game on two servers listed once, with the most moves", 8,
			[]protocol.Lobby{
				{Playing: 1, Games: []protocol.LiveGame{g("A", 4), g("B", 1)}},
				{Playing: 1, Games: []protocol.LiveGame{g("A", 5)}},
			},
			protocol.Lobby{Playing: 2, Games: []protocol.LiveGame{g("A", 5), g("B", 1)}}},
		{"at most n", 2,
			[]protocol.Lobby{
				{Playing: 4, Games: []protocol.LiveGame{g("A", 1), g("B", 2)}},
				{Playing: 2, Games: []protocol.LiveGame{g("C", 3)}},
			},
			protocol.Lobby{Playing: 6, Games: []protocol.LiveGame{g("C", 3), g("B", 2)}}},
		{"n below zero: none", -1, []protocol.Lobby{{Playing: 1, Games: []protocol.LiveGame{g("A", 1)}}}, protocol.Lobby{Playing: 1, Games: []protocol.LiveGame{}}},
		{"no games", 8, []protocol.Lobby{{Playing: 2}, {Playing: 0}}, protocol.Lobby{Playing: 2, Games: []protocol.LiveGame{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := session.MergeLobbies(tt.n, tt.parts...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
