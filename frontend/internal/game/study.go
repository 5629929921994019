package game

import (
	"slices"
	"strconv"
	"strings"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// The page's study of games: the analysis of the game shown (each column's
// exact score), the review of a game that ended, hints against the
// computer, and the analysis board that a ?pos= address opens. The study's
// own state (the line, its cursor, the scores) is package study's; here is
// what the game decides: where analysis is allowed, when a review is
// offered, the hints taken.

// noHintText answers a hint that the solver could not give.
const noHintText = "No hint: the solver could not answer."

// archivedText is the status of a game that ended, from the server's
// archive, when its board shows no result.
const archivedText = "This game has ended."

// archivedRole is the role badge of a game from the server's archive.
const archivedRole = "A game that ended"

// analysisOff is what the page says to a player who asks for the scores
// of a live game between two people.
const analysisOff = "No analysis during a live game between two people: it would help one of them, whoever looks. It opens when the game ends."

// StudyQuery returns the moves that the page's address names for a study
// of its own, and whether it names one: ?pos=4453 is an analysis board of
// that position, ?review=4453… the review of a game of those moves (review
// true).
func StudyQuery(query string) (moves string, review, ok bool) {
	query = strings.TrimPrefix(query, "?")
	if moves, ok := queryValue(query, "review"); ok {
		return moves, true, true
	}
	moves, ok = queryValue(query, "pos")
	return moves, false, ok
}

// Moves returns the moves of the game shown, columns from 0 in the order
// played.
func (s *State) Moves() []int {
	moves := s.shown().board.Moves()
	columns := make([]int, len(moves))
	for i, m := range moves {
		columns[i] = m.Column
	}
	return columns
}

// Analysis reports whether the scores of the game shown may show: on a
// shared screen, against the computer, and in any game that ended; never
// in a live game between two people, for its players or its spectators.
// When they may not, why says so.
func (s *State) Analysis() (ok bool, why string) {
	switch {
	case s.watch == "" || s.seeking():
		return false, ""
	case twoPeople(s.mode) && !s.shown().over():
		return false, analysisOff
	}
	return true, ""
}

// AnalysisRefused shows why the scores of the game shown may not show, as
// [State.ShowError] does, and returns the error's sequence number; 0 when
// they may.
func (s *State) AnalysisRefused() uint64 {
	if ok, why := s.Analysis(); !ok && why != "" {
		return s.ShowError(why)
	}
	return 0
}

// Reviewable reports whether the game shown ended, with a move at least:
// the page then offers its review, to players and spectators alike.
func (s *State) Reviewable() bool {
	r := s.shown()
	return s.watch != "" && r.over() && r.board.Len() > 0
}

// Hint returns the moves of the position for which the "Hint" button asks
// the best move, and counts the hint: in a game against the computer, on
// the player's turn, once a position. It returns false when no hint is
// to be asked.
func (s *State) Hint() ([]int, bool) {
	if !s.canHint() {
		return nil, false
	}
	moves := s.Moves()
	if s.hinted && slices.Equal(moves, s.hintFor) {
		return nil, false // asked already
	}
	if !slices.ContainsFunc(s.hintedAt, func(at []int) bool { return slices.Equal(at, moves) }) {
		// Asked again, after a take-back, it counts once.
		s.hints++
		s.hintedAt = append(s.hintedAt, moves)
	}
	s.hinted, s.hintFor, s.hintColumn, s.hintText = true, moves, -1, ""
	return moves, true
}

// canHint reports whether the "Hint" button shows.
func (s *State) canHint() bool {
	return s.mode == protocol.Computer && s.holder() && s.playable()
}

// Hinted shows the answer to a hint asked for the position of moves: the
// best column (from 0) and its outcome in words ("win in 9"), or a column
// of -1 when the solver could not answer. An answer about a position no
// longer shown is dropped.
func (s *State) Hinted(moves []int, column int, outcome string) {
	if !s.hinted || !slices.Equal(moves, s.hintFor) || !slices.Equal(moves, s.Moves()) {
		return
	}
	s.hintColumn = column
	s.hintText = "Hint: column " + strconv.Itoa(column+1) + " (" + outcome + ")."
	if column < 0 {
		s.hintText = noHintText
	}
	s.say(s.hintText)
}

// Names returns the names that the review of the game shown gives its
// players, by colour: "you" for the page's own player, and "the computer"
// for its opponent in a game against the computer; "" for a player called
// by their colour (on a shared screen, for spectators, in a game from the
// archive).
func (s *State) Names() (names [3]string) {
	if !s.holder() || s.cur.archived || s.player == connect4.NoPlayer {
		return names
	}
	switch {
	case s.mode == protocol.Computer:
		names[s.player.Other()] = "the computer"
	case !twoPeople(s.mode):
		return names
	}
	names[s.player] = "you"
	return names
}

// Hints returns the number of hints the player took in the game shown.
func (s *State) Hints() int { return s.hints }

// hintView fills in the hint of the View.
func (s *State) hintView(v *View) {
	v.HintColumn = -1
	v.Hint = s.canHint()
	if s.hinted && slices.Equal(s.hintFor, s.Moves()) {
		v.HintText, v.HintColumn = s.hintText, s.hintColumn
		if v.HintText == "" {
			v.HintText = "Looking for the best move…"
		}
	}
}

// OpenStudy shows the page's study (an analysis board, a review) in place
// of the game or the start screen, which go on behind it.
func (s *State) OpenStudy() { s.study = true }

// CloseStudy goes back from the study to the game, or to the start screen;
// an address that named the study's position no longer does.
func (s *State) CloseStudy() {
	s.study = false
	if _, _, ok := StudyQuery(s.query); ok && s.hello == nil {
		s.query = ""
	}
}

// FollowStudy makes query (such as "?pos=4453") the page's address while
// its study shows a position with no game behind it: each position has an
// address of its own.
func (s *State) FollowStudy(query string) {
	if s.study && s.hello == nil {
		s.query = query
	}
}

// archive shows a game that ended, which the server keeps in its archive:
// the moves of its last game, to look at and review. The page is then in
// no game: nothing to play, no one at the table.
func (s *State) archive(e protocol.Archived) {
	g, err := connect4.Replay(e.Moves...)
	if err != nil {
		s.desync = true
		return
	}
	s.started, s.spectator = true, true
	s.mode, s.watch, s.player = e.Mode, e.Watch, connect4.NoPlayer
	s.cur = round{board: *g, archived: true}
	s.seats = [3]seat{}
	said := s.summary(0, false)
	if s.Reviewable() {
		said += " Its review is offered below the board."
	}
	s.say(said)
}
