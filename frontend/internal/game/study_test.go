package game

import (
	"slices"
	"strings"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestAnalysisAllowed checks where the scores of the game shown may show:
// on a shared screen, against the computer, in every game that ended;
// never in a live game between two people, for players or spectators.
func TestAnalysisAllowed(t *testing.T) {
	redWins := plays(t, 0, 1, 0, 1, 0, 1, 0)
	tests := []struct {
		name   string
		s      *State
		ok     bool
		review bool
	}{
		{"hot-seat, live", opened(plays(t, 3)), true, false},
		{"hot-seat, over", opened(redWins), true, true},
		{"against the computer", versus(connect4.Red, plays(t, 3, 3)...), true, false},
		{"a spectator of a game against the computer", watchingComputer(plays(t, 3)...), true, false},
		{"between two browsers, live", seated(connect4.Red, append([]protocol.Event{online(connect4.Yellow)}, plays(t, 3, 3)...)...), false, false},
		{"a spectator, live", watching(plays(t, 3, 3)...), false, false},
		{"between two browsers, over", seated(connect4.Yellow, append([]protocol.Event{online(connect4.Red)}, redWins...)...), true, true},
		{"a spectator, over", watching(append(redWins, protocol.Win{Player: connect4.Red})...), true, true},
		{"a spectator, abandoned", watching(append(plays(t, 3), protocol.Abandoned{Player: connect4.Yellow})...), true, true},
	}
	for _, tt := range tests {
		ok, why := tt.s.Analysis()
		if ok != tt.ok || (!ok && why != analysisOff) {
			t.Errorf("%s: Analysis() = %v, %q; want %v", tt.name, ok, why, tt.ok)
		}
		seq := tt.s.AnalysisRefused()
		if v := tt.s.View(); (seq != 0) == tt.ok || (!tt.ok && v.Notice != analysisOff) || !v.Scores || v.Review != tt.review {
			t.Errorf("%s: refused %d, notice %q, scores button %v, review %v; want review %v", tt.name, seq, v.Notice, v.Scores, v.Review, tt.review)
		}
	}
	var start State
	if ok, why := start.Analysis(); ok || why != "" || start.View().Scores {
		t.Error("analysis offered on the start screen")
	}
}

// TestNames checks whom the review calls "you" and "the computer": the
// page's own player and its computer opponent; no one on a shared screen
// or for a spectator.
func TestNames(t *testing.T) {
	redWins := plays(t, 0, 1, 0, 1, 0, 1, 0)
	tests := []struct {
		name string
		s    *State
		want [3]string
	}{
		{"yellow against the computer", versus(connect4.Yellow, redWins...), [3]string{"", "the computer", "you"}},
		{"red against the computer", versus(connect4.Red, plays(t, 3)...), [3]string{"", "you", "the computer"}},
		{"hot-seat", opened(redWins), [3]string{}},
		{"yellow between two browsers", seated(connect4.Yellow, append([]protocol.Event{online(connect4.Red)}, redWins...)...), [3]string{"", "", "you"}},
		{"a spectator", watching(append(redWins, protocol.Win{Player: connect4.Red})...), [3]string{}},
		{"a spectator of a game against the computer", watchingComputer(plays(t, 3)...), [3]string{}},
	}
	for _, tt := range tests {
		if got := tt.s.Names(); got != tt.want {
			t.Errorf("%s: Names() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestHints checks the hints of a game against the computer: on the
// player's turn only, counted once a position, shown while the position
// is, counted afresh in a new game.
func TestHints(t *testing.T) {
	s := versus(connect4.Yellow)
	if _, ok := s.Hint(); ok || s.View().Hint {
		t.Error("a hint on the computer's turn")
	}
	s.Apply(protocol.Played{Player: connect4.Red, Column: 3})
	if !s.View().Hint {
		t.Fatal("no Hint button on the player's turn")
	}
	moves, ok := s.Hint()
	if !ok || !slices.Equal(moves, []int{3}) {
		t.Fatalf("Hint() = %v, %v", moves, ok)
	}
	if _, again := s.Hint(); again || s.Hints() != 1 {
		t.Errorf("a second hint for the same position: %v, hints %d", again, s.Hints())
	}
	if v := s.View(); v.HintText != "Looking for the best move…" || v.HintColumn != -1 {
		t.Errorf("awaited: %q %d", v.HintText, v.HintColumn)
	}
	s.Hinted([]int{2}, 2, "win in 3") // about another position: dropped
	s.Hinted(moves, 3, "draw")
	if v := s.View(); v.HintText != "Hint: column 4 (draw)." || v.HintColumn != 3 || v.News[NewsKept-1] != v.HintText {
		t.Errorf("the hint: %q %d, news %q", v.HintText, v.HintColumn, v.News[NewsKept-1])
	}
	s.Apply(protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1})
	if v := s.View(); v.HintText != "" || v.HintColumn != -1 || v.Hint {
		t.Errorf("the hint shows after the move: %q", v.HintText)
	}
	s.Apply(protocol.Played{Player: connect4.Red, Column: 2})
	moves, _ = s.Hint()
	if s.Hints() != 2 {
		t.Errorf("hints %d, want 2", s.Hints())
	}
	s.Hinted(moves, -1, "")
	if v := s.View(); v.HintText != noHintText || v.HintColumn != -1 {
		t.Errorf("a hint the solver could not give: %q %d", v.HintText, v.HintColumn)
	}
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Computer, Level: "perfect", Player: connect4.Red, Token: token})
	if s.Hints() != 0 {
		t.Errorf("a new game starts with %d hints", s.Hints())
	}
	if opened(plays(t, 3)).View().Hint || seated(connect4.Red, online(connect4.Yellow)).View().Hint {
		t.Error("hints offered in a game not against the computer")
	}
}

// TestStudyRoute checks the page opened at ?pos=: the study shows, no
// connection, the address follows the board, and closing the study goes
// to the start screen.
func TestStudyRoute(t *testing.T) {
	s := New(Page{Base: base, Query: "?pos=4453"})
	if pos, review, ok := StudyQuery(s.Query()); !ok || review || pos != "4453" {
		t.Errorf("StudyQuery(%q) = %q, %v, %v", s.Query(), pos, review, ok)
	}
	if moves, review, ok := StudyQuery("?review=4455"); !ok || !review || moves != "4455" {
		t.Errorf("StudyQuery(?review=4455) = %q, %v, %v", moves, review, ok)
	}
	if _, _, ok := StudyQuery("?watch=W4TCH"); ok {
		t.Error("a watch link taken for a study")
	}
	if _, dial := s.Dial(); dial {
		t.Error("an analysis board dials the server")
	}
	if v := s.View(); !v.Study || !v.Start {
		t.Errorf("study %v, start %v", v.Study, v.Start)
	}
	s.FollowStudy("?pos=44")
	if s.Query() != "?pos=44" {
		t.Errorf("query %q", s.Query())
	}
	s.CloseStudy()
	if v := s.View(); v.Study || !v.Start || s.Query() != "" {
		t.Errorf("closed: study %v, start %v, query %q", v.Study, v.Start, s.Query())
	}
	// A game's study leaves the game's address alone.
	g := opened(plays(t, 0, 1, 0, 1, 0, 1, 0))
	g.OpenStudy()
	g.FollowStudy("?pos=1212121")
	if !g.View().Study || g.Query() == "?pos=1212121" {
		t.Errorf("a game's review: study %v, query %q", g.View().Study, g.Query())
	}
	if !slices.Equal(g.Moves(), []int{0, 1, 0, 1, 0, 1, 0}) {
		t.Errorf("Moves() = %v", g.Moves())
	}
	// A seat kept wins over the address.
	if kept := New(Page{Base: base, Query: "?pos=4", Token: token}); kept.View().Study {
		t.Error("a token and ?pos=: the study shows")
	}
}

// TestArchived checks a game that ended, which the server sends from its
// archive to a page that watches it: the board, its result, no one at the
// table, its review and scores offered.
func TestArchived(t *testing.T) {
	tests := []struct {
		name   string
		moves  []int
		status string
	}{
		{"won", []int{0, 6, 0, 6, 0, 6, 0}, "Red wins!"},
		{"abandoned", []int{3, 3}, "This game has ended."},
		// A rematch agreed, then no move: no review to offer.
		{"no move", []int{}, "This game has ended."},
	}
	for _, tt := range tests {
		s := New(Page{Base: base, Query: "?watch=" + watch})
		s.Connecting()
		s.Opened()
		s.Apply(protocol.Archived{Watch: watch, Mode: protocol.Friends, Moves: tt.moves})
		v := s.View()
		review := len(tt.moves) > 0
		if v.Status != tt.status || v.Presence != "" || v.Playable || v.Review != review || !v.Scores || v.Start {
			t.Errorf("%s: status %q, presence %q, playable %v, review %v, scores %v, start %v",
				tt.name, v.Status, v.Presence, v.Playable, v.Review, v.Scores, v.Start)
		}
		if ok, _ := s.Analysis(); !ok || !slices.Equal(s.Moves(), tt.moves) {
			t.Errorf("%s: analysis %v, moves %v", tt.name, ok, s.Moves())
		}
		if strings.HasSuffix(v.News[NewsKept-1], "Its review is offered below the board.") != review {
			t.Errorf("%s: announced %q", tt.name, v.News[NewsKept-1])
		}
		// Over, and not presented as a live game: no connection kept,
		// nothing to share but the review's own link, no "so far".
		if _, ok := s.Dial(); ok {
			t.Errorf("%s: the page still wants a connection", tt.name)
		}
		if v.Role != archivedRole || v.WatchLink != "" || v.Share {
			t.Errorf("%s: role %q, watch link %q, share %v", tt.name, v.Role, v.WatchLink, v.Share)
		}
		if strings.Contains(v.News[NewsKept-1], "so far") {
			t.Errorf("%s: announced %q", tt.name, v.News[NewsKept-1])
		}
	}
}

// TestHintAfterTakeBack checks that a hint asked again for a position
// hinted before a take-back counts once: each position asked counts one
// hint (README).
func TestHintAfterTakeBack(t *testing.T) {
	s := versus(connect4.Yellow, plays(t, 3)...)
	moves, ok := s.Hint()
	if !ok {
		t.Fatal("no hint on the player's turn")
	}
	s.Hinted(moves, 3, "draw")
	s.Apply(protocol.Played{Player: connect4.Yellow, Column: 3, Row: 1})
	s.Apply(protocol.Played{Player: connect4.Red, Column: 2})
	if _, ok := s.Hint(); !ok || s.Hints() != 2 {
		t.Fatalf("a hint for a new position: %v, hints %d, want 2", ok, s.Hints())
	}
	s.Apply(protocol.Snapshot{Moves: []int{3}}) // taken back
	if moves, ok := s.Hint(); !ok || !slices.Equal(moves, []int{3}) {
		t.Fatalf("the hint asked again after the take-back: %v, %v", moves, ok)
	}
	if s.Hints() != 2 {
		t.Errorf("hints %d after a hint asked again for a position, want 2", s.Hints())
	}
}
