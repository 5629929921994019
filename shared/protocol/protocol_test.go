package protocol_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// line returns four cells from (column, row) in the direction (dc, dr).
func line(column, row, dc, dr int) [4]connect4.Cell {
	var cells [4]connect4.Cell
	for i := range cells {
		cells[i] = connect4.Cell{Column: column + i*dc, Row: row + i*dr}
	}
	return cells
}

// The tutorial's wire format, byte for byte, and what this project adds to it.
func TestEncodeEvent(t *testing.T) {
	tests := []struct {
		event protocol.Event
		want  string
	}{
		{protocol.Played{Player: connect4.Red, Column: 3, Row: 0}, `{"type":"play","player":"red","column":3,"row":0}`},
		{protocol.Played{Player: connect4.Yellow, Column: 6, Row: 5}, `{"type":"play","player":"yellow","column":6,"row":5}`},
		{
			protocol.Win{Player: connect4.Red, Cells: line(0, 0, 1, 1)},
			`{"type":"win","player":"red","cells":[{"column":0,"row":0},{"column":1,"row":1},{"column":2,"row":2},{"column":3,"row":3}]}`,
		},
		{protocol.Draw{}, `{"type":"draw"}`},
		{protocol.Error{Message: "This slot is full."}, `{"type":"error","message":"This slot is full."}`},
		{protocol.Error{Message: `"quoted" <b> & é`}, `{"type":"error","message":"\"quoted\" \u003cb\u003e \u0026 é"}`},
		{protocol.Error{Message: "Taken.", Watch: "W"}, `{"type":"error","message":"Taken.","watch":"W"}`},
		// The tutorial's init, then what version 2 clients get.
		{protocol.Started{Join: "J", Watch: "W"}, `{"type":"init","join":"J","watch":"W"}`},
		{
			protocol.Started{Join: "J", Watch: "W", Mode: protocol.Friends, Player: connect4.Red, Token: "T"},
			`{"type":"init","join":"J","watch":"W","mode":"friends","player":"red","token":"T"}`,
		},
		{protocol.Started{Watch: "W", Mode: protocol.HotSeat, Token: "T"}, `{"type":"init","watch":"W","mode":"hotseat","token":"T"}`},
		{protocol.Started{Watch: "W", Mode: protocol.Friends}, `{"type":"init","watch":"W","mode":"friends"}`},
		{
			protocol.Started{Watch: "W", Mode: protocol.Computer, Level: "perfect", Player: connect4.Yellow, Token: "T"},
			`{"type":"init","watch":"W","mode":"computer","level":"perfect","player":"yellow","token":"T"}`,
		},
		{protocol.Presence{Player: connect4.Yellow, Online: true}, `{"type":"presence","player":"yellow","online":true}`},
		{protocol.Presence{Player: connect4.Red, Grace: time.Minute}, `{"type":"presence","player":"red","online":false,"grace":60}`},
		{protocol.Presence{Player: connect4.Red}, `{"type":"presence","player":"red","online":false,"grace":0}`},
		{protocol.RematchOffer{Player: connect4.Yellow}, `{"type":"rematch","player":"yellow"}`},
		{protocol.Abandoned{Player: connect4.Red}, `{"type":"abandoned","player":"red"}`},
		{protocol.Pong{}, `{"type":"pong"}`},
		{protocol.Snapshot{Moves: []int{}}, `{"type":"snapshot","moves":[]}`},
		{protocol.Snapshot{Moves: []int{3, 3, 4, 0, 6}}, `{"type":"snapshot","moves":[3,3,4,0,6]}`},
		{protocol.Started{Watch: "W", Mode: protocol.Quick, Token: "T"}, `{"type":"init","watch":"W","mode":"quick","token":"T"}`},
		{protocol.Seeking{Since: 1764667200000, Playing: 12}, `{"type":"seeking","since":1764667200000,"playing":12}`},
		{protocol.Seeking{Since: 1764667200000, Playing: 1, Offer: true}, `{"type":"seeking","since":1764667200000,"playing":1,"offer":true}`},
		{protocol.Cancelled{}, `{"type":"cancelled"}`},
		{protocol.Lobby{Playing: 3, Games: []protocol.LiveGame{}}, `{"type":"lobby","playing":3,"games":[]}`},
		{protocol.Lobby{Playing: 4, Games: []protocol.LiveGame{{Watch: "W1", Moves: 9}, {Watch: "W2", Moves: 0}}},
			`{"type":"lobby","playing":4,"games":[{"watch":"W1","moves":9},{"watch":"W2","moves":0}]}`},
		{protocol.Archived{Watch: "W", Mode: protocol.Friends, Moves: []int{3, 3, 4}}, `{"type":"archived","watch":"W","mode":"friends","moves":[3,3,4]}`},
		{protocol.Archived{Watch: "W", Mode: protocol.HotSeat, Moves: []int{}}, `{"type":"archived","watch":"W","mode":"hotseat","moves":[]}`},
	}
	for _, tt := range tests {
		got, err := protocol.EncodeEvent(tt.event)
		if err != nil || string(got) != tt.want {
			t.Errorf("EncodeEvent(%#v) = %s, %v; want %s", tt.event, got, err, tt.want)
		}
		back, err := protocol.DecodeEvent(got)
		if err != nil || !reflect.DeepEqual(back, tt.event) {
			t.Errorf("DecodeEvent(%s) = %#v, %v; want %#v", got, back, err, tt.event)
		}
	}
}

func TestEncodeCommand(t *testing.T) {
	tests := []struct {
		cmd  protocol.Command
		want string
	}{
		{protocol.Play{Column: 3}, `{"type":"play","column":3}`},
		{protocol.Init{}, `{"type":"init"}`},
		{protocol.Init{Join: "J"}, `{"type":"init","join":"J"}`},
		{protocol.Init{Watch: "W", Version: 2}, `{"type":"init","watch":"W","version":2}`},
		{protocol.Init{Mode: protocol.HotSeat, Version: 2}, `{"type":"init","mode":"hotseat","version":2}`},
		{protocol.Init{Mode: protocol.Computer, Level: "easy", Player: connect4.Yellow, Version: 2}, `{"type":"init","mode":"computer","level":"easy","player":"yellow","version":2}`},
		{protocol.Resume{Token: "T"}, `{"type":"resume","token":"T"}`},
		{protocol.Resume{Token: "T", Version: 3}, `{"type":"resume","token":"T","version":3}`},
		{protocol.Rematch{}, `{"type":"rematch"}`},
		{protocol.Ping{}, `{"type":"ping"}`},
		{protocol.Seek{}, `{"type":"seek"}`},
		{protocol.Cancel{}, `{"type":"cancel"}`},
		{protocol.TakeBack{}, `{"type":"takeback"}`},
	}
	for _, tt := range tests {
		got, err := protocol.EncodeCommand(tt.cmd)
		if err != nil || string(got) != tt.want {
			t.Errorf("EncodeCommand(%#v) = %s, %v; want %s", tt.cmd, got, err, tt.want)
		}
		back, err := protocol.DecodeCommand(got)
		if err != nil || back != tt.cmd {
			t.Errorf("DecodeCommand(%s) = %#v, %v; want %#v", got, back, err, tt.cmd)
		}
	}
}

func TestSince(t *testing.T) {
	tests := []struct {
		event protocol.Event
		want  int
	}{
		{protocol.Started{}, 1}, {protocol.Played{}, 1}, {protocol.Win{}, 1}, {protocol.Draw{}, 1}, {protocol.Error{}, 1},
		{protocol.Snapshot{}, 2}, {protocol.Presence{}, 2}, {protocol.RematchOffer{}, 2}, {protocol.Abandoned{}, 2}, {protocol.Pong{}, 2},
		{protocol.Seeking{}, 3}, {protocol.Cancelled{}, 3}, {protocol.Lobby{}, 3},
		{protocol.Archived{}, 4},
	}
	for _, tt := range tests {
		if got := protocol.Since(tt.event); got != tt.want {
			t.Errorf("Since(%T) = %d, want %d", tt.event, got, tt.want)
		}
	}
}

func TestTutorial(t *testing.T) {
	for _, e := range []protocol.Event{protocol.Started{}, protocol.Played{}, protocol.Win{}, protocol.Draw{}, protocol.Error{}} {
		if !protocol.Tutorial(e) {
			t.Errorf("Tutorial(%T) = false", e)
		}
	}
	for _, e := range []protocol.Event{protocol.Snapshot{}, protocol.Presence{}, protocol.RematchOffer{}, protocol.Abandoned{}, protocol.Pong{}} {
		if protocol.Tutorial(e) {
			t.Errorf("Tutorial(%T) = true", e)
		}
	}
}

// nested returns n arrays, each in the next.
func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestDecodeCommand(t *testing.T) {
	tests := []struct {
		in      string
		want    protocol.Command
		wantErr error
	}{
		{`{"type": "play", "column": 3}`, protocol.Play{Column: 3}, nil},
		{` {"column":0,"type":"play"} `, protocol.Play{Column: 0}, nil},
		{`{"type":"play","column":6,"extra":[1,{"x":null}]}`, protocol.Play{Column: 6}, nil},
		{`{"type":"play","column":-0}`, protocol.Play{Column: 0}, nil},
		{``, nil, protocol.ErrMalformed},
		{`not json`, nil, protocol.ErrMalformed},
		{`[{"type":"play","column":3}]`, nil, protocol.ErrMalformed},
		{`"play"`, nil, protocol.ErrMalformed},
		{`null`, nil, protocol.ErrMalformed},
		{`{"type":"play","column":3`, nil, protocol.ErrMalformed},
		{`{"type":"play","column":3}{}`, nil, protocol.ErrMalformed},
		{`{"type":"play","column":3} 7`, nil, protocol.ErrMalformed},
		{`{"type":"play","column":3,}`, nil, protocol.ErrMalformed},
		{"{\"type\":\"play\",\"column\":3,\"x\":\"\xff\"}", nil, protocol.ErrEncoding},
		{"\xff\xfe", nil, protocol.ErrEncoding},
		{`{"type":"play","column":3,"column":4}`, nil, protocol.ErrDuplicateKey},
		{`{"type":"play","type":"play","column":3}`, nil, protocol.ErrDuplicateKey},
		{`{"TYPE":"play","Column":3}`, nil, protocol.ErrNoType},
		{`{"type":"play","Column":3}`, nil, protocol.ErrNoColumn},
		{`{"type":"play","column":3,"deep":` + nested(63) + `}`, protocol.Play{Column: 3}, nil},
		{`{"type":"play","column":3,"deep":` + nested(64) + `}`, nil, protocol.ErrMalformed},
		{nested(250), nil, protocol.ErrMalformed},
		{`{"type":"play","column":3,"deep":` + nested(20000) + `}`, nil, protocol.ErrMalformed},
		{`{"type":"play","column":3,"extra":null,"more":{"a":[true,false]}}`, protocol.Play{Column: 3}, nil},
		{`{}`, nil, protocol.ErrNoType},
		{`{"type":null}`, nil, protocol.ErrNoType},
		{`{"type":7}`, nil, protocol.ErrMalformed},
		{`{"type":"resign"}`, nil, protocol.ErrUnknownType},
		{`{"type":"play"}`, nil, protocol.ErrNoColumn},
		{`{"type":"play","column":null}`, nil, protocol.ErrNoColumn},
		{`{"type":"play","column":"3"}`, nil, protocol.ErrBadColumn},
		{`{"type":"play","column":3.0}`, nil, protocol.ErrBadColumn},
		{`{"type":"play","column":2.5}`, nil, protocol.ErrBadColumn},
		{`{"type":"play","column":3e0}`, nil, protocol.ErrBadColumn},
		{`{"type":"play","column":true}`, nil, protocol.ErrBadColumn},
		{`{"type":"play","column":[3]}`, nil, protocol.ErrBadColumn},
		{`{"type":"play","column":-1}`, nil, connect4.ErrNoColumn},
		{`{"type":"play","column":7}`, nil, connect4.ErrNoColumn},
		{`{"type":"play","column":99999999999999999999999}`, nil, connect4.ErrNoColumn},
		{`{"type":"play","column":-99999999999999999999999}`, nil, connect4.ErrNoColumn},
		// The tutorial's part 2.
		{`{"type": "init"}`, protocol.Init{}, nil},
		{`{"type": "init", "join": "abc"}`, protocol.Init{Join: "abc"}, nil},
		{`{"type": "init", "watch": "xyz"}`, protocol.Init{Watch: "xyz"}, nil},
		{`{"type": "init", "mode": "hotseat", "version": 2}`, protocol.Init{Mode: protocol.HotSeat, Version: 2}, nil},
		{`{"type": "init", "join": null, "mode": null}`, protocol.Init{}, nil},
		{`{"type": "init", "join": "a", "watch": "b"}`, nil, protocol.ErrBadInit},
		{`{"type": "init", "join": 5}`, nil, protocol.ErrBadInit},
		{`{"type": "init", "mode": "chess"}`, nil, protocol.ErrBadInit},
		{`{"type": "init", "join": "a", "mode": "hotseat"}`, nil, protocol.ErrBadInit},
		{`{"type": "init", "version": "2"}`, nil, protocol.ErrBadInit},
		{`{"type": "init", "mode": "computer", "level": "perfect"}`, protocol.Init{Mode: protocol.Computer, Level: "perfect"}, nil},
		{`{"type": "init", "level": "perfect"}`, nil, protocol.ErrBadInit},
		{`{"type": "init", "mode": "computer", "player": "blue"}`, nil, protocol.ErrBadInit},
		{`{"type": "resume", "token": "t0k"}`, protocol.Resume{Token: "t0k"}, nil},
		{`{"type": "resume"}`, nil, protocol.ErrBadResume},
		{`{"type": "resume", "token": ""}`, nil, protocol.ErrBadResume},
		{`{"type": "resume", "token": 1}`, nil, protocol.ErrBadResume},
		{`{"type": "rematch"}`, protocol.Rematch{}, nil},
	}
	for _, tt := range tests {
		got, err := protocol.DecodeCommand([]byte(tt.in))
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DecodeCommand(%s) = %#v, %v; want %#v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil {
			if _, ok := protocol.ErrorFor(err); !ok {
				t.Errorf("ErrorFor(%v) has no sentence for the client", err)
			}
		}
	}
}

func TestDecodeEvent(t *testing.T) {
	tests := []struct {
		in      string
		want    protocol.Event
		wantErr error
	}{
		// The tutorial's server sends a win without cells.
		{`{"type": "win", "player": "yellow"}`, protocol.Win{Player: connect4.Yellow}, nil},
		{`{"type":"play","player":"blue","column":3,"row":0}`, nil, protocol.ErrMalformed},
		{`{"type":"play","player":"red","column":3}`, nil, protocol.ErrMalformed},
		{`{"type":"win","player":"red","cells":[{"column":1,"row":1}]}`, nil, protocol.ErrMalformed},
		{`{"type":"error"}`, nil, protocol.ErrMalformed},
		{`{"type":"snapshot"}`, nil, protocol.ErrMalformed},
		{`{"type":"snapshot","moves":[3,7]}`, nil, protocol.ErrMalformed},
		{`{"type":"snapshot","moves":[3,"3"]}`, nil, protocol.ErrMalformed},
		{`{"type":"archived","watch":"W","mode":"friends"}`, nil, protocol.ErrMalformed},
		{`{"type":"archived","watch":"W","mode":"friends","moves":[9]}`, nil, protocol.ErrMalformed},
		{`{"type":"snapshot","moves":[` + strings.Repeat("0,", 42) + `0]}`, nil, protocol.ErrMalformed},
		{`{"type":"snapshot","moves":[` + strings.Repeat("0,", 41) + `0]}`, protocol.Snapshot{Moves: make([]int, 42)}, nil},
		{`{"type":"seeking","playing":3}`, nil, protocol.ErrMalformed},
		{`{"type":"lobby","playing":3}`, nil, protocol.ErrMalformed},
		{`{"type":"lobby","playing":3,"games":[{"watch":"W"}]}`, nil, protocol.ErrMalformed},
		{`{"type":"lobby","playing":3,"games":[{"watch":"W","moves":43}]}`, nil, protocol.ErrMalformed},
		{`{"type":"lobby","playing":3,"games":[3]}`, nil, protocol.ErrMalformed},
		{`{"type":"seeking","since":0,"playing":3,"offer":1}`, nil, protocol.ErrMalformed},
		{`{"type":"hello"}`, nil, protocol.ErrUnknownType},
	}
	for _, tt := range tests {
		got, err := protocol.DecodeEvent([]byte(tt.in))
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DecodeEvent(%s) = %#v, %v; want %#v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestErrorFor(t *testing.T) {
	tests := []struct {
		err        error
		want       string
		fromClient bool
	}{
		{connect4.ErrNotYourTurn, "It isn't your turn.", true},
		{connect4.ErrColumnFull, "This slot is full.", true},
		{connect4.ErrNoColumn, "There is no such column: columns go from 0 to 6.", true},
		{connect4.ErrGameOver, "The game is over: start a new one to play again.", true},
		{protocol.ErrBinary, "Binary messages are not supported: send JSON text.", true},
		{errors.New("disk on fire"), "Something went wrong on the server.", false},
	}
	for _, tt := range tests {
		got, ok := protocol.ErrorFor(tt.err)
		if got.Message != tt.want || ok != tt.fromClient {
			t.Errorf("ErrorFor(%v) = %q, %v; want %q, %v", tt.err, got.Message, ok, tt.want, tt.fromClient)
		}
		if reason := protocol.Reason(tt.err); (reason == "internal") == tt.fromClient {
			t.Errorf("Reason(%v) = %q", tt.err, reason)
		}
	}
}

func TestResult(t *testing.T) {
	g, _ := connect4.Replay(0, 1, 0, 1, 0, 1)
	m, err := g.Play(connect4.Red, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := protocol.Result(g, m)
	want := []protocol.Event{
		protocol.Played{Player: connect4.Red, Column: 0, Row: 3},
		protocol.Win{Player: connect4.Red, Cells: line(0, 0, 0, 1)},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Result = %v, want %v", got, want)
	}
}

func TestReplay(t *testing.T) {
	won, _ := connect4.Replay(0, 1, 0, 1, 0, 1, 0)
	drawn, _ := connect4.Replay(drawColumns()...)
	tests := []struct {
		name    string
		g       *connect4.Game
		version int
		want    []protocol.Event
	}{
		{"empty, version 2", connect4.NewGame(), 2, []protocol.Event{protocol.Snapshot{Moves: []int{}}}},
		{"empty, tutorial", connect4.NewGame(), 1, []protocol.Event{}},
		{"won, version 2", won, 2, []protocol.Event{
			protocol.Snapshot{Moves: []int{0, 1, 0, 1, 0, 1, 0}},
			protocol.Win{Player: connect4.Red, Cells: line(0, 0, 0, 1)},
		}},
		{"won, tutorial", won, 1, []protocol.Event{
			protocol.Played{Player: connect4.Red, Column: 0, Row: 0},
			protocol.Played{Player: connect4.Yellow, Column: 1, Row: 0},
			protocol.Played{Player: connect4.Red, Column: 0, Row: 1},
			protocol.Played{Player: connect4.Yellow, Column: 1, Row: 1},
			protocol.Played{Player: connect4.Red, Column: 0, Row: 2},
			protocol.Played{Player: connect4.Yellow, Column: 1, Row: 2},
			protocol.Played{Player: connect4.Red, Column: 0, Row: 3},
			protocol.Win{Player: connect4.Red, Cells: line(0, 0, 0, 1)},
		}},
		{"drawn, version 2", drawn, 2, []protocol.Event{protocol.Snapshot{Moves: drawColumns()}, protocol.Draw{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := protocol.Replay(tt.g, tt.version)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Replay = %v, want %v", got, tt.want)
			}
		})
	}
	// The tutorial's clients get every move of a full board.
	if got := protocol.Replay(drawn, 1); len(got) != connect4.Cells+1 {
		t.Errorf("Replay of a drawn game to a tutorial client: %d events, want %d", len(got), connect4.Cells+1)
	}
}

// drawColumns returns the columns of a game that fills the board without a
// winner.
func drawColumns() []int {
	return []int{
		0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0,
		2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2,
		4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4,
		6, 6, 6, 6, 6, 6,
	}
}

// FuzzDecodeCommand checks that no input panics the decoder, that every refusal
// has a sentence for the client, and that whatever decodes encodes back to itself.
func FuzzDecodeCommand(f *testing.F) {
	for _, s := range []string{`{"type":"play","column":3}`, `{"type":"play","column":"3"}`, `[]`, `{"type":null}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := protocol.DecodeCommand(data)
		if err != nil {
			if _, ok := protocol.ErrorFor(err); !ok {
				t.Fatalf("no sentence for %v", err)
			}
			return
		}
		b, err := protocol.EncodeCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := protocol.DecodeCommand(b); err != nil || back != c {
			t.Fatalf("%s decoded as %#v, which encodes to %s, which decodes as %#v, %v", data, c, b, back, err)
		}
	})
}

func BenchmarkDecodeCommand(b *testing.B) {
	msg := []byte(`{"type": "play", "column": 3}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.DecodeCommand(msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeEvent(b *testing.B) {
	e := protocol.Played{Player: connect4.Yellow, Column: 3, Row: 2}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.EncodeEvent(e); err != nil {
			b.Fatal(err)
		}
	}
}
