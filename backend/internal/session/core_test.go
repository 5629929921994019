package session

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

var (
	now   = time.UnixMilli(1_700_000_000_000)
	until = time.UnixMilli(1_700_000_060_000)
)

// friendsAfter returns the state of a match between friends, joined, after
// records.
func friendsAfter(recs ...Record) state {
	st := newState(Header{ID: "w", Mode: protocol.Friends, Join: "j", Token: "t0", Conn: "s/c0"})
	st.apply(Record{Op: Joined, Token: "t1", Conn: "s/c1"})
	for _, r := range recs {
		st.apply(r)
	}
	return st
}

func moves(columns ...int) []Record {
	recs := make([]Record, len(columns))
	for i, c := range columns {
		recs[i] = Record{Op: Moved, Column: c}
	}
	return recs
}

// TestDecide checks what each command decides, state by state.
func TestDecide(t *testing.T) {
	invite := newState(Header{ID: "w", Mode: protocol.Friends, Join: "j", Token: "t0", Conn: "s/c0"})
	inviteAway := invite
	inviteAway.apply(Record{Op: Left, Seat: 0, At: until})
	hot := newState(Header{ID: "w", Mode: protocol.HotSeat, Token: "t0", Conn: "s/c0"})
	tutorial := newState(Header{ID: "w", Mode: protocol.HotSeat, Conn: "s/c0"})
	won := friendsAfter(moves(0, 1, 0, 1, 0, 1, 0)...)
	offered := friendsAfter(append(moves(0, 1, 0, 1, 0, 1, 0), Record{Op: Offered, Seat: 1})...)
	away := friendsAfter(Record{Op: Left, Seat: 1, At: until})
	abandoned := friendsAfter(Record{Op: Left, Seat: 1, At: until}, Record{Op: Abandoned, Seat: 1})
	computer := newState(Header{ID: "w", Mode: protocol.Computer, Token: "t0", Conn: "s/c0", Level: "easy"})
	full := friendsAfter(moves(3, 3, 3, 3, 3, 3)...)
	seeking := newState(Header{ID: "w", Mode: protocol.Quick, Join: "j", Token: "t0", Conn: "s/c0"})
	seekerGone := seeking
	seekerGone.apply(Record{Op: Left, Seat: 0, At: until})

	tests := []struct {
		name    string
		st      state
		decide  func(st *state) ([]Record, error)
		want    []Record
		wantErr error
	}{
		{"join an invitation", invite, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, false) },
			[]Record{{Op: Joined, Token: "t1", Conn: "s/c1"}}, nil},
		{"join while the inviter is away", inviteAway, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, false) },
			[]Record{{Op: Joined, Token: "t1", Conn: "s/c1"}, {Op: Left, Seat: 0, At: until}}, nil},
		{"join a full match", friendsAfter(), func(st *state) ([]Record, error) { return st.decideJoin("s/c2", "t2", now, until, false) }, nil, protocol.ErrSeatTaken},
		{"pair with a seeker, who plays red", seeking, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, false) },
			[]Record{{Op: Joined, Token: "t1", Conn: "s/c1"}}, nil},
		{"pair with a seeker, the joiner red", seeking, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, true) },
			[]Record{{Op: Joined, Seat: 1, Token: "t1", Conn: "s/c1"}}, nil},
		{"pair with a seeker who left", seekerGone, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, false) }, nil, protocol.ErrInvitation},
		{"friends: no draw of colours", invite, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, true) },
			[]Record{{Op: Joined, Token: "t1", Conn: "s/c1"}}, nil},
		{"join a hot-seat game", hot, func(st *state) ([]Record, error) { return st.decideJoin("s/c1", "t1", now, until, false) }, nil, protocol.ErrInvitation},
		{"resume the second seat", away, func(st *state) ([]Record, error) {
			_, recs, err := st.decideResume("t1", "s/c9")
			return recs, err
		}, []Record{{Op: Held, Seat: 1, Conn: "s/c9"}}, nil},
		{"resume with an unknown token", friendsAfter(), func(st *state) ([]Record, error) {
			_, recs, err := st.decideResume("nope", "s/c9")
			return recs, err
		}, nil, protocol.ErrTokenExpired},
		{"resume a tutorial game's seat", tutorial, func(st *state) ([]Record, error) {
			_, recs, err := st.decideResume("", "s/c9")
			return recs, err
		}, nil, protocol.ErrTokenExpired},
		{"red plays", friendsAfter(), func(st *state) ([]Record, error) { return st.decidePlay(0, 3, now) }, moves(3), nil},
		{"yellow out of turn", friendsAfter(), func(st *state) ([]Record, error) { return st.decidePlay(1, 3, now) }, nil, connect4.ErrNotYourTurn},
		{"a full column", full, func(st *state) ([]Record, error) { return st.decidePlay(0, 3, now) }, nil, connect4.ErrColumnFull},
		{"after the win", won, func(st *state) ([]Record, error) { return st.decidePlay(1, 3, now) }, nil, connect4.ErrGameOver},
		{"after an abandon", abandoned, func(st *state) ([]Record, error) { return st.decidePlay(0, 3, now) }, nil, protocol.ErrAbandoned},
		{"hot seat: either turn", hot, func(st *state) ([]Record, error) { return st.decidePlay(0, 6, now) }, moves(6), nil},
		{"rematch too early", friendsAfter(), func(st *state) ([]Record, error) { return st.decideRematch(0, now) }, nil, protocol.ErrNotOver},
		{"rematch offered", won, func(st *state) ([]Record, error) { return st.decideRematch(1, now) }, []Record{{Op: Offered, Seat: 1}}, nil},
		{"rematch offered twice", offered, func(st *state) ([]Record, error) { return st.decideRematch(1, now) }, nil, nil},
		{"rematch accepted", offered, func(st *state) ([]Record, error) { return st.decideRematch(0, now) }, []Record{{Op: Offered, Seat: 0}}, nil},
		{"hot seat: new game at once", hot, func(st *state) ([]Record, error) { return st.decideRematch(0, now) }, []Record{{Op: NewRound}}, nil},
		{"leave", friendsAfter(), func(st *state) ([]Record, error) { return st.decideLeave(1, "s/c1", until), nil },
			[]Record{{Op: Left, Seat: 1, At: until}}, nil},
		{"leave a seat taken back", friendsAfter(), func(st *state) ([]Record, error) { return st.decideLeave(1, "s/old", until), nil }, nil, nil},
		{"abandon", away, func(st *state) ([]Record, error) { return st.decideAbandon(1, 1, now), nil }, []Record{{Op: Abandoned, Seat: 1}}, nil},
		{"abandon, a stale timer", away, func(st *state) ([]Record, error) { return st.decideAbandon(1, 0, now), nil }, nil, nil},
		{"abandon an invitation", inviteAway, func(st *state) ([]Record, error) { return st.decideAbandon(0, 1, now), nil }, nil, nil},
		{"abandon a game over", abandoned, func(st *state) ([]Record, error) { return st.decideAbandon(1, 1, now), nil }, nil, nil},
		{"the computer", computer, func(st *state) ([]Record, error) { return nil, nil }, nil, nil},
		{"close", friendsAfter(), func(st *state) ([]Record, error) { return st.decideClose(now), nil }, []Record{{Op: Closed}}, nil},
		{"hold again", away, func(st *state) ([]Record, error) { return st.decideHold(1, "s/c1"), nil }, []Record{{Op: Held, Seat: 1, Conn: "s/c1"}}, nil},
		{"hold a held seat", friendsAfter(), func(st *state) ([]Record, error) { return st.decideHold(1, "s/c1"), nil }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.st
			before := st
			got, err := tt.decide(&st)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, %v; want %v, %v", got, err, tt.want, tt.wantErr)
			}
			if !reflect.DeepEqual(st, before) {
				t.Error("deciding changed the state")
			}
		})
	}
}

// TestDecideComputer checks the computer's moves: stale ones are dropped, and
// one that cannot be played is replaced.
func TestDecideComputer(t *testing.T) {
	st := newState(Header{ID: "w", Mode: protocol.Computer, Token: "t0", Conn: "s/c0", Level: "easy", Yellow: true})
	if got := st.decideComputer(1, 0, 4); !reflect.DeepEqual(got, moves(4)) {
		t.Errorf("the computer's first move as red: %v", got)
	}
	if got := st.decideComputer(0, 0, 4); got != nil {
		t.Errorf("a move of another round: %v", got)
	}
	for _, r := range moves(3, 3, 3, 3) {
		st.apply(r)
	}
	if got := st.decideComputer(1, 4, 3); !reflect.DeepEqual(got, moves(3)) {
		t.Errorf("the fifth checker in column 3: %v", got)
	}
	st.apply(moves(3)[0])
	if got := st.decideComputer(1, 5, 3); got != nil {
		t.Errorf("on the human's turn: %v", got)
	}
	st.apply(moves(3)[0])
	if got := st.decideComputer(1, 6, 3); !reflect.DeepEqual(got, moves(2)) {
		t.Errorf("a full column: %v, want the first playable nearest the centre", got)
	}
}

// TestApply checks the effects of each kind of record.
func TestApply(t *testing.T) {
	presence := func(p connect4.Player, online bool) effect {
		return effect{op: tell, event: protocol.Presence{Player: p, Online: online}}
	}
	tests := []struct {
		name string
		st   state
		r    Record
		want []effect
	}{
		{"joined", newState(Header{Mode: protocol.Friends, Token: "t0"}), Record{Op: Joined, Token: "t1", Conn: "s/c1"},
			[]effect{presence(connect4.Yellow, true)}},
		{"held by another window", friendsAfter(), Record{Op: Held, Seat: 0, Conn: "s/c5"},
			[]effect{{op: seatTaken, seat: 0, conn: "s/c5"}, {op: computerTurn}}},
		{"held again", friendsAfter(Record{Op: Left, Seat: 0, At: until}), Record{Op: Held, Seat: 0, Conn: "s/c5"},
			[]effect{{op: seatTaken, seat: 0, conn: "s/c5"}, presence(connect4.Red, true), {op: computerTurn}}},
		{"left", friendsAfter(), Record{Op: Left, Seat: 1, At: until},
			[]effect{{op: seatLeft, seat: 1, until: until, away: 1}}},
		{"moved", friendsAfter(), Record{Op: Moved, Column: 3},
			[]effect{{op: moveMade}, {op: tell, event: protocol.Played{Player: connect4.Red, Column: 3}}, {op: computerTurn}}},
		{"won", friendsAfter(moves(0, 1, 0, 1, 0, 1)...), Record{Op: Moved, Column: 0},
			[]effect{{op: moveMade}, {op: tell, event: protocol.Played{Player: connect4.Red, Column: 0, Row: 3}},
				{op: tell, event: protocol.Win{Player: connect4.Red, Cells: [4]connect4.Cell{{Column: 0}, {Column: 0, Row: 1}, {Column: 0, Row: 2}, {Column: 0, Row: 3}}}},
				{op: gameEnded, how: "win"}}},
		{"offered", friendsAfter(moves(0, 1, 0, 1, 0, 1, 0)...), Record{Op: Offered, Seat: 1},
			[]effect{{op: tell, event: protocol.RematchOffer{Player: connect4.Yellow}}}},
		{"offered back", friendsAfter(append(moves(0, 1, 0, 1, 0, 1, 0), Record{Op: Offered, Seat: 1})...), Record{Op: Offered, Seat: 0},
			[]effect{{op: tell, event: protocol.RematchOffer{Player: connect4.Red}}, {op: gameStarted}, {op: roundStarted}, {op: computerTurn}}},
		{"new round mid-game", friendsAfter(moves(3)...), Record{Op: NewRound},
			[]effect{{op: gameEnded, how: "unfinished"}, {op: gameStarted}, {op: roundStarted}, {op: computerTurn}}},
		{"abandoned", friendsAfter(Record{Op: Left, Seat: 1, At: until}), Record{Op: Abandoned, Seat: 1},
			[]effect{{op: tellAbandon}, {op: gameEnded, how: "abandoned"}}},
		{"closed", friendsAfter(), Record{Op: Closed},
			[]effect{{op: gameEnded, how: "unfinished"}, {op: matchClosed}}},
		{"paired", newState(Header{Mode: protocol.Quick, Token: "t0"}), Record{Op: Joined, Token: "t1", Conn: "s/c1"},
			[]effect{{op: gameStarted}, {op: paired}, presence(connect4.Yellow, true)}},
		{"presence is for two people only", newState(Header{Mode: protocol.HotSeat, Token: "t0"}), Record{Op: Held, Seat: 0, Conn: "s/c5"},
			[]effect{{op: seatTaken, seat: 0, conn: "s/c5"}, {op: computerTurn}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.st
			n := st.n
			if got := st.apply(tt.r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("effects:\n got %+v\nwant %+v", got, tt.want)
			}
			if st.n != n+1 {
				t.Errorf("records counted %d, want %d", st.n, n+1)
			}
		})
	}
}

// TestQuickColours checks the colours of a quick match: none while it seeks,
// then as the pairing drew them, swapping at each rematch as between friends.
func TestQuickColours(t *testing.T) {
	for _, joinerRed := range []bool{false, true} {
		st := newState(Header{Mode: protocol.Quick, Join: "j", Token: "t0", Conn: "s/c0"})
		if !st.seeking() || st.playing || st.invitation() {
			t.Fatalf("a new quick match: seeking %v, playing %v, invitation %v", st.seeking(), st.playing, st.invitation())
		}
		recs, _ := st.decideJoin("s/c1", "t1", now, until, joinerRed)
		for _, r := range recs {
			st.apply(r)
		}
		want := [2]connect4.Player{connect4.Red, connect4.Yellow}
		if joinerRed {
			want = [2]connect4.Player{connect4.Yellow, connect4.Red}
		}
		if got := [2]connect4.Player{st.colour(0), st.colour(1)}; got != want || st.seeking() || !st.playing {
			t.Errorf("joiner red %v: colours %v, want %v; seeking %v, playing %v", joinerRed, got, want, st.seeking(), st.playing)
		}
		for _, r := range append(moves(0, 1, 0, 1, 0, 1, 0), Record{Op: Offered, Seat: 0}, Record{Op: Offered, Seat: 1}) {
			st.apply(r)
		}
		if got := [2]connect4.Player{st.colour(0), st.colour(1)}; got != [2]connect4.Player{want[1], want[0]} {
			t.Errorf("joiner red %v: after a rematch %v, want swapped", joinerRed, got)
		}
	}
}

// TestApplyColoursSwap checks that the seats swap colours at each rematch.
func TestApplyColoursSwap(t *testing.T) {
	st := friendsAfter(append(moves(0, 1, 0, 1, 0, 1, 0), Record{Op: Offered, Seat: 0}, Record{Op: Offered, Seat: 1})...)
	if st.colour(0) != connect4.Yellow || st.colour(1) != connect4.Red || st.round != 1 || st.game.Len() != 0 || st.offers != [2]bool{} {
		t.Errorf("after a rematch: seat 0 %v, seat 1 %v, round %d, %d moves, offers %v", st.colour(0), st.colour(1), st.round, st.game.Len(), st.offers)
	}
}

// TestTakeBack checks what a take-back removes: the last move on one screen;
// against the computer, the player's last move with the computer's reply,
// or alone while the computer thinks; nothing between two people.
func TestTakeBack(t *testing.T) {
	hot := func(recs ...Record) state {
		st := newState(Header{ID: "w", Mode: protocol.HotSeat, Token: "t0", Conn: "s/c0"})
		for _, r := range recs {
			st.apply(r)
		}
		return st
	}
	computer := func(yellow bool, recs ...Record) state {
		st := newState(Header{ID: "w", Mode: protocol.Computer, Token: "t0", Conn: "s/c0", Level: "easy", Yellow: yellow})
		for _, r := range recs {
			st.apply(r)
		}
		return st
	}
	tests := []struct {
		name    string
		st      state
		want    int // moves taken back
		wantErr error
		left    int // moves left after
	}{
		{"hot seat", hot(moves(3, 4, 5)...), 1, nil, 2},
		{"hot seat, after the win", hot(moves(0, 1, 0, 1, 0, 1, 0)...), 1, nil, 6},
		{"hot seat, nothing yet", hot(), 0, protocol.ErrNoTakeBack, 0},
		{"red against the computer, after its reply", computer(false, moves(3, 4)...), 2, nil, 0},
		{"red, while it thinks", computer(false, moves(3, 4, 2)...), 1, nil, 2},
		{"yellow, after the computer's reply", computer(true, moves(3, 3, 4)...), 2, nil, 1},
		{"yellow, before any move of its own", computer(true, moves(3)...), 0, protocol.ErrNoTakeBack, 1},
		{"between friends", friendsAfter(moves(3)...), 0, protocol.ErrTakeBackMode, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.st
			recs, err := st.decideTakeBack(0)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if len(recs) != 1 || recs[0] != (Record{Op: TookBack, Column: tt.want}) {
				t.Fatalf("records %v, want %d taken back", recs, tt.want)
			}
			fx := st.apply(recs[0])
			if st.game.Len() != tt.left || st.over() || !st.playing {
				t.Errorf("after: %d moves, over %v, playing %v", st.game.Len(), st.over(), st.playing)
			}
			if fx[0].op != tellTakeBack || len(fx[0].event.(protocol.Snapshot).Moves) != tt.left || fx[len(fx)-1].op != computerTurn {
				t.Errorf("effects %+v", fx)
			}
		})
	}
}

// TestLastGame checks the game that a match's archive shows: the moves of
// its last game, after rematches and take-backs.
func TestLastGame(t *testing.T) {
	hot := Header{ID: "w", Mode: protocol.HotSeat, Token: "t0", Conn: "s/c0"}
	friendsHead := Header{ID: "w", Mode: protocol.Friends, Join: "j", Token: "t0", Conn: "s/c0"}
	joined := Record{Op: Joined, Token: "t1", Conn: "s/c1"}
	won := moves(0, 1, 0, 1, 0, 1, 0)
	tests := []struct {
		name string
		head Header
		recs []Record
		want []int
	}{
		{"no move", hot, nil, []int{}},
		{"a hot-seat game", hot, moves(3, 3, 4), []int{3, 3, 4}},
		{"a won game", friendsHead, append([]Record{joined}, won...), []int{0, 1, 0, 1, 0, 1, 0}},
		{
			"after a rematch, the new game",
			friendsHead,
			append(append([]Record{joined}, won...), Record{Op: Offered, Seat: 1}, Record{Op: Offered, Seat: 0}, Record{Op: NewRound}, Record{Op: Moved, Column: 5}),
			[]int{5},
		},
		{
			"a rematch agreed, then no move: the game before",
			friendsHead,
			append(append([]Record{joined}, won...), Record{Op: Offered, Seat: 1}, Record{Op: Offered, Seat: 0}, Record{Op: Left, Seat: 1, At: until}, Record{Op: Abandoned, Seat: 1}),
			[]int{0, 1, 0, 1, 0, 1, 0},
		},
		{"a new game against the computer, no move", Header{ID: "w", Mode: protocol.Computer, Token: "t0", Conn: "s/c0"}, append(moves(3, 3, 4), Record{Op: NewRound}), []int{3, 3, 4}},
		{"after a take-back", hot, append(moves(3, 3, 4), Record{Op: TookBack, Column: 1}), []int{3, 3}},
		{"abandoned midway", friendsHead, append([]Record{joined, Record{Op: Moved, Column: 2}}, Record{Op: Left, Seat: 1, At: until}, Record{Op: Abandoned, Seat: 1}), []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lastGame(tt.head, tt.recs)
			want := protocol.Archived{Watch: "w", Mode: tt.head.Mode, Moves: tt.want}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("lastGame = %+v, want %+v", got, want)
			}
		})
	}
}
