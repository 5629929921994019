package loadgen

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		msg  string
		want event
	}{
		{`{"type":"play","player":"red","column":3,"row":0}`,
			event{kind: kindPlay, typ: []byte("play"), player: []byte("red"), column: 3, hasColumn: true, hasPlayer: true, hasRow: true}},
		// The tutorial's Python server puts spaces after colons and commas.
		{` { "type": "play", "player": "yellow", "column": 6, "row": 5 } `,
			event{kind: kindPlay, typ: []byte("play"), player: []byte("yellow"), column: 6, row: 5, hasColumn: true, hasPlayer: true, hasRow: true}},
		{`{"row":1,"column":2,"player":"red","type":"play","extra":[1,{"a":[]},null,true,-2.5e3]}`,
			event{kind: kindPlay, typ: []byte("play"), player: []byte("red"), column: 2, row: 1, hasColumn: true, hasPlayer: true, hasRow: true}},
		{`{"type":"win","player":"red","cells":[{"column":0,"row":0}]}`,
			event{kind: kindWin, typ: []byte("win"), player: []byte("red"), hasPlayer: true, cells: []byte(`[{"column":0,"row":0}]`), hasCellsJSON: true}},
		{`{"type": "win", "player": "yellow"}`, event{kind: kindWin, typ: []byte("win"), player: []byte("yellow"), hasPlayer: true}},
		{`{"type":"draw"}`, event{kind: kindDraw, typ: []byte("draw")}},
		{`{"type":"error","message":"It isn\u0027t your turn."}`, event{kind: kindError, typ: []byte("error"), message: []byte("It isn't your turn.")}},
		{`{"type":"init","join":"abc","watch":"def"}`, event{kind: kindInit, typ: []byte("init"), join: []byte("abc"), watch: []byte("def"), hasJoin: true, hasWatch: true}},
		{`{"type":"presence","player":"red","online":false,"grace":60}`, event{kind: kindOther, typ: []byte("presence"), player: []byte("red"), hasPlayer: true}},
	}
	for _, tt := range tests {
		var e event
		if err := parseEvent([]byte(tt.msg), &e); err != nil {
			t.Errorf("%s: %v", tt.msg, err)
			continue
		}
		if !equalEvents(e, tt.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.msg, e, tt.want)
		}
	}
}

func equalEvents(a, b event) bool {
	s := func(e event) string {
		return fmt.Sprintf("%d %q %q %d %d %v %v %q %q %q %q %v %v %v %v", e.kind, e.typ, e.player, e.column, e.row,
			e.hasColumn, e.hasRow, e.join, e.watch, e.message, e.cells, e.hasPlayer, e.hasJoin, e.hasWatch, e.hasCellsJSON)
	}
	return s(a) == s(b)
}

func TestParseEventRefuses(t *testing.T) {
	for _, msg := range []string{
		``, `[]`, `"play"`, `{`, `{"type":"play"`, `{"type":"play",}`, `{"type":"play"}x`,
		`{"column":3}`, `{"type":3}`, `{"type":"play","column":"3"}`, `{"type":"play","column":3.5}`,
		`{"type":"play","row":1e2}`, `{"type":"play","x":tru}`, `{"type":"play","x":1-}`,
		`{"type":"play" "column":3}`, "{\"type\":\"pl\nay\"}",
		`{"type":"play","x":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}`,
	} {
		var e event
		if err := parseEvent([]byte(msg), &e); !errors.Is(err, errMalformed) {
			t.Errorf("%q: %v, want errMalformed", msg, err)
		}
	}
}

func TestParseEventAllocations(t *testing.T) {
	msg := []byte(`{"type":"play","player":"red","column":3,"row":0}`)
	var e event
	if n := testing.AllocsPerRun(100, func() { parseEvent(msg, &e) }); n != 0 {
		t.Errorf("%v allocations per event, want 0", n)
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"type":"play","player":"red","column":3,"row":0}`))
	f.Add([]byte(`{"type":"win","player":"red","cells":[{"column":0,"row":0}]}`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		var e event
		parseEvent(msg, &e) // must not panic
	})
}

func BenchmarkParseEvent(b *testing.B) {
	msg := []byte(`{"type":"play","player":"yellow","column":3,"row":0}`)
	var e event
	for b.Loop() {
		parseEvent(msg, &e)
	}
}

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
		{"red wins with cells", win, true, slices.Concat(winning, []string{`{"type":"win","player":"red","cells":[{"column":3,"row":3},{"column":3,"row":0},{"column":3,"row":1},{"column":3,"row":2}]}`}), true},
		{"draw event", draw, true, slices.Concat(drawn, []string{`{"type":"draw"}`}), true},
		{"the tutorial's draw, no event", draw, false, drawn, true},
		{"wrong row", win, true, []string{play("red", 3, 1)}, false},
		{"wrong column", win, true, []string{play("red", 2, 0)}, false},
		{"wrong player", win, true, []string{play("yellow", 3, 0)}, false},
		{"missing player", win, true, []string{`{"type":"play","column":3,"row":0}`}, false},
		{"error", win, true, []string{`{"type":"error","message":"This slot is full."}`}, false},
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
				var e event
				if err = parseEvent([]byte(msg), &e); err != nil {
					t.Fatal(err)
				}
				if _, err = r.check(&e); err != nil {
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
