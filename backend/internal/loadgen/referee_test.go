package loadgen

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// The scripts are whole games that end on their last move, and between them
// they have wins of both colours in every direction, and draws.
func TestScripts(t *testing.T) {
	seen := map[string]bool{}
	for i, s := range scripts {
		g, err := connect4.Replay(s...)
		if err != nil {
			t.Fatalf("script %d: %v", i, err)
		}
		if !g.Over() {
			t.Fatalf("script %d does not end", i)
		}
		if g.Draw() {
			seen["draw"] = true
			continue
		}
		line, _ := g.WinningLine()
		dir := "?"
		switch dc, dr := line[1].Column-line[0].Column, line[1].Row-line[0].Row; {
		case dc == 0:
			dir = "vertical"
		case dr == 0:
			dir = "horizontal"
		case dr == dc:
			dir = "diagonal"
		default:
			dir = "anti-diagonal"
		}
		seen[g.Winner().String()+" "+dir] = true
	}
	for _, want := range []string{"draw", "red vertical", "red horizontal", "red diagonal", "red anti-diagonal",
		"yellow vertical", "yellow horizontal", "yellow diagonal", "yellow anti-diagonal"} {
		if !seen[want] {
			t.Errorf("no script ends with %s; seen %v", want, seen)
		}
	}
}

// The referee accepts the events of a correct game and refuses each kind of
// wrong one.
func TestReferee(t *testing.T) {
	win := []int{3, 4, 3, 4, 3, 4, 3}
	draw := handScripts[1]
	play := func(p string, c, r int) string {
		return `{"type":"play","player":"` + p + `","column":` + string(rune('0'+c)) + `,"row":` + string(rune('0'+r)) + `}`
	}
	replay := func(script []int) []string {
		g := connect4.NewGame()
		var out []string
		for _, c := range script {
			m, _ := g.Play(g.Turn(), c)
			out = append(out, play(m.Player.String(), m.Column, m.Row))
		}
		return out
	}
	winning := replay(win)
	drawn := replay(draw)
	tests := []struct {
		name      string
		script    []int
		drawEvent bool
		events    []string
		ok        bool
	}{
		{"red wins", win, true, slices.Concat(winning, []string{`{"type":"win","player":"red"}`}), true},
		// The tutorial's Python server puts spaces after colons and commas,
		// and a server may add fields the tool does not know.
		{"the tutorial's spacing", win, true, slices.Concat(
			[]string{` { "type": "play", "player": "red", "column": 3, "row": 0, "extra": [1, {"a": []}, null, true, -2.5e3] } `},
			winning[1:], []string{`{"type": "win", "player": "red"}`}), true},
		{"red wins with cells", win, true, slices.Concat(winning, []string{`{"type":"win","player":"red","cells":[{"column":3,"row":3},{"column":3,"row":0},{"column":3,"row":1},{"column":3,"row":2}]}`}), true},
		{"draw event", draw, true, slices.Concat(drawn, []string{`{"type":"draw"}`}), true},
		{"the tutorial's draw, no event", draw, false, drawn, true},
		{"wrong row", win, true, []string{play("red", 3, 1)}, false},
		{"wrong column", win, true, []string{play("red", 2, 0)}, false},
		{"wrong player", win, true, []string{play("yellow", 3, 0)}, false},
		{"missing player", win, true, []string{`{"type":"play","column":3,"row":0}`}, false},
		{"error", win, true, []string{`{"type":"error","message":"This slot is full."}`}, false},
		{"another event", win, true, []string{`{"type":"presence","player":"red","online":true}`}, false},
		{"an unknown type", win, true, []string{`{"type":"move","player":"red","column":3,"row":0}`}, false},
		{"not JSON", win, true, []string{`{"type":"play","player":"red","column":3,"row":0`}, false},
		{"a column off the board", win, true, []string{`{"type":"play","player":"red","column":9,"row":0}`}, false},
		{"a column as a string", win, true, []string{`{"type":"play","player":"red","column":"3","row":0}`}, false},
		{"win missing", win, true, slices.Concat(winning, []string{play("yellow", 4, 3)}), false},
		{"wrong winner", win, true, slices.Concat(winning, []string{`{"type":"win","player":"yellow"}`}), false},
		{"wrong cells", win, true, slices.Concat(winning, []string{`{"type":"win","player":"red","cells":[{"column":3,"row":4},{"column":3,"row":0},{"column":3,"row":1},{"column":3,"row":2}]}`}), false},
		{"a win too early", win, true, []string{`{"type":"win","player":"red"}`}, false},
		{"a win for a draw", draw, true, slices.Concat(drawn, []string{`{"type":"win","player":"red"}`}), false},
		{"an event after the end", win, true, slices.Concat(winning, []string{`{"type":"win","player":"red"}`, `{"type":"draw"}`}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReferee(tt.script, tt.drawEvent)
			var err error
			for _, msg := range tt.events {
				// As conn.next does: what the protocol cannot read fails.
				var e protocol.Event
				if e, err = protocol.DecodeEvent([]byte(msg)); err != nil {
					err = fmt.Errorf("%w: %v", ErrRules, err)
					break
				}
				if _, err = r.check(e); err != nil {
					break
				}
			}
			if tt.ok && (err != nil || !r.done()) {
				t.Errorf("refused a correct game: %v (done %v)", err, r.done())
			}
			if !tt.ok && err == nil && r.done() {
				t.Error("accepted a wrong game")
			}
			if err != nil && !errors.Is(err, ErrRules) {
				t.Errorf("%v does not wrap ErrRules", err)
			}
		})
	}
}

// BenchmarkDecodeAndCheck is what the load tool spends on one event besides
// the socket: the protocol's decoder, then the referee.
func BenchmarkDecodeAndCheck(b *testing.B) {
	msg := []byte(`{"type":"play","player":"red","column":3,"row":0}`)
	b.ReportAllocs()
	for b.Loop() {
		r := newReferee([]int{3}, true)
		e, err := protocol.DecodeEvent(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.check(e); err != nil {
			b.Fatal(err)
		}
	}
}
