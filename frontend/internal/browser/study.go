//go:build js && wasm

package browser

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/frontend/internal/study"
	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/hack-pad/safejs"
)

// The page's parts for the study of games. On the start screen, a link to
// an analysis board:
//
//	<a class="board-link" href="?pos=">Open an analysis board</a>
//
// Beside the game's board, where
// analysis is allowed, the scores of its columns, a hint against the
// computer, and the review offered once a game ended:
//
//	<ol class="scores live-scores" aria-label="Scores of the columns">
//	  <li class="score win"><span class="score-column"><span class="unseen">Column </span>1</span> <span class="score-words">win in 5</span></li> … seven
//	</ol>
//	<div class="study-bar">
//	  <button class="scores-toggle" aria-pressed="false">Show scores</button> <button class="hint">Hint</button>
//	  <button class="review-open">Review the game</button> <a class="analyse-link" href="?pos=4453">Open this position on an analysis board</a>
//	  <p class="hint-text">Hint: column 4 (win in 9).</p> <p class="scores-note live-note">Scoring…</p>
//	</div>
//
// and, in place of the game or the start screen, the study itself, in the
// document only while it shows: an analysis board, or the review of a game:
//
//	<section class="study" aria-labelledby="connect4-study-title">
//	  <h2 class="study-title" id="connect4-study-title" tabindex="-1">Analysis board</h2>
//	  <p class="study-note" role="alert">Move 3 is '8', not a column: …</p>
//	  <p class="study-status" role="status">After move 4, yellow in column 3: a mistake. Red to play.</p>
//	  <div class="board-wrap"><div class="board study-board" role="group" aria-label="Analysis board">
//	    <button class="column" data-column="0" aria-label="Column 1: red; 5 free. Win in 5">
//	      <span class="cell empty" data-row="0"></span> … six
//	    </button> … seven
//	  </div></div>
//	  <ol class="scores study-scores">…</ol> <p class="scores-note">Scoring…</p> <p class="best-text">Best move: column 4, win in 5.</p>
//	  <div class="study-actions">
//	    <button class="study-first">Start</button> <button class="study-back">Back</button> <button class="study-forward">Forward</button> <button class="study-last">End</button>
//	    <button class="study-scores-toggle" aria-pressed="true">Show scores</button> <button class="show-best">Show the best move</button>
//	    <button class="study-close">Back to the game</button>
//	  </div>
//	  <p class="accuracy">Accuracy: red 88%, yellow 13% (hints: 2)</p>
//	  <ol class="move-list" aria-label="Moves"><li><button class="move" data-move="1" aria-current="step">1. red, column 4: best</button></li> …</ol>
//	  <p class="study-help">…</p> <a class="study-link" href="?pos=4453">Link to this position</a>
//	  <a class="review-link" href="?review=1717171">Link to this review</a>
//	</section>

// The messages of the study's elements.
type (
	scoresToggled      struct{}             // "Show scores" beside the game
	hintAsked          struct{}             // "Hint"
	reviewAsked        struct{}             // "Review the game"
	studyClosed        struct{}             // the study's close button
	studyPlayed        struct{ column int } // a column of the study's board
	studyStepped       struct{ delta int }  // the arrow keys, Home, End, the step buttons
	studySought        struct{ n int }      // a move of the move list: the position after it
	studyScoresToggled struct{}             // the study's "Show scores"
	bestAsked          struct{}             // "Show the best move"
	boardAsked         struct{}             // the start screen's "Open an analysis board"
	addressChanged     struct{}             // the browser's Back or Forward, within the page
)

// Texts of the study.
const (
	scoringText = "Scoring…"
	failedText  = "The solver could not score this position, asked twice: it stopped, and stopped again once restarted."
	retryText   = "The solver stopped: scoring again with a new one…"
	earlyText   = "Too early in the game for the solver in this browser: it scored the columns it could, from its opening book or within 20 s; the others, " + analysis.NotKnown + ", would take it minutes."
	noBrainText = "Scores need the solver, which this page cannot run yet."
	hideScores  = "Hide scores"
	showScores  = "Show scores"
)

// errNoBrain answers every question of a page without a solver.
var errNoBrain = errors.New("browser: no solver in this page")

// studies is the loop's part for the study of games.
type studies struct {
	// live follows the game shown, for the scores of its columns.
	live study.Board
	// open is the study shown, or nil; review reports that it is the
	// review of a game, note why its ?pos= could not be opened whole.
	open   *study.Board
	review bool
	note   string
	// asking is the position whose scores the brain was asked for by a
	// board, while it has not answered: the boards ask one at a time, so
	// that the position shown never waits behind a whole game's.
	asking string
	busy   bool
	// hint is the position whose hint was asked, with its moves;
	// hintRetried the last one asked again after the brain failed.
	hint        string
	hintMoves   []int
	hintRetried string
}

// openPos opens the analysis board that the page's address names, if any.
func (l *loop) openPos(query string) {
	pos, review, ok := game.StudyQuery(query)
	if !ok || !l.state.View().Study {
		return
	}
	columns, err := study.Parse(pos)
	l.study.open, l.study.review, l.study.note = study.New(columns), review, ""
	l.study.open.ShowScores(true)
	if review {
		l.study.open.Review()
	}
	if err != nil {
		l.study.note = "This address names no position: " + err.Error() + " Here is the position before that move."
	}
}

// handleStudy acts on a message of the study's, and reports whether it was
// one.
func (l *loop) handleStudy(m any) bool {
	s := &l.study
	switch m := m.(type) {
	case analysed:
		l.analysed(m)
	case scoresToggled:
		if seq := l.state.AnalysisRefused(); seq != 0 {
			l.expire(seq, l.cfg.errorTimeout)
			return true
		}
		s.live.ShowScores(!s.live.ScoresShown())
	case hintAsked:
		if moves, ok := l.state.Hint(); ok {
			s.hint, s.hintMoves = study.Name(moves), moves
			l.ask(s.hint)
		}
	case reviewAsked:
		if !l.state.Reviewable() {
			return true
		}
		s.open, s.review, s.note = study.New(l.state.Moves()), true, ""
		s.open.Review()
		s.open.ShowScores(true)
		if n := l.state.Hints(); n > 0 {
			s.open.SetHints(l.state.View().RolePlayer, n)
		}
		for p, name := range l.state.Names() {
			s.open.SetName(connect4.Player(p), name)
		}
		l.state.OpenStudy()
	case studyClosed:
		s.open = nil
		l.state.CloseStudy()
	case studyPlayed:
		if s.open != nil {
			s.open.Play(m.column)
		}
	case studyStepped:
		if s.open != nil {
			s.open.Step(m.delta)
		}
	case studySought:
		if s.open != nil {
			s.open.Seek(m.n)
		}
	case studyScoresToggled:
		if s.open != nil {
			s.open.ShowScores(!s.open.ScoresShown())
		}
	case bestAsked:
		if s.open != nil {
			s.open.ShowBest()
		}
	case boardAsked:
		// In place, with a step of the history: Back comes back here.
		if !l.state.View().Start || s.open != nil {
			return true
		}
		l.cfg.addr.pushQuery(study.Query(nil))
		l.addressChanged()
	case addressChanged:
		l.addressChanged()
	default:
		return false
	}
	return true
}

// addressChanged follows the address that the browser's Back or Forward
// button brought back (or the start screen's link pushed), on a page with
// no game (whose address is the game's): the study it names opens, or the
// study shown closes.
func (l *loop) addressChanged() {
	q := l.cfg.addr.query()
	if !l.state.View().Start || (l.study.open != nil && q == l.state.Query()) {
		return // a game's address, or the one shown (a fragment changed)
	}
	if _, _, ok := game.StudyQuery(q); ok {
		l.state.OpenStudy()
		l.openPos(q)
		l.state.FollowStudy(q)
		return
	}
	if l.study.open != nil {
		l.study.open = nil
		l.state.CloseStudy()
	}
}

// analysed hands the brain's answer to whoever asked.
func (l *loop) analysed(m analysed) {
	s := &l.study
	if s.busy && m.moves == s.asking {
		s.busy = false
	}
	s.live.Scored(m.moves, m.scores, m.err)
	if s.open != nil {
		s.open.Scored(m.moves, m.scores, m.err)
	}
	if m.moves == s.hint {
		if m.err != nil && !errors.Is(m.err, analysis.ErrTooEarly) && s.hintRetried != s.hint && l.cfg.brain != nil {
			// Once more, of a new worker: a crash may not happen twice.
			s.hintRetried = s.hint
			l.ask(s.hint)
			return
		}
		s.hint = ""
		c, score := m.scores.Best()
		// An analysis cut short may know the best move all the same.
		known := m.err == nil || (errors.Is(m.err, analysis.ErrTooEarly) && analysis.Partial(m.scores) && analysis.BestKnown(m.scores))
		if !known || c < 0 {
			l.state.Hinted(s.hintMoves, -1, "")
			return
		}
		l.state.Hinted(s.hintMoves, c, analysis.OutcomeOf(score, len(s.hintMoves)).String())
	}
}

// settleStudy brings the study in line with the game after a batch of
// messages: the live board follows the game shown, its scores only where
// analysis is allowed; the positions wanted are asked for; the address
// follows a study with no game behind it.
func (l *loop) settleStudy() {
	s := &l.study
	s.live.Follow(l.state.Moves())
	if ok, _ := l.state.Analysis(); !ok {
		s.live.ShowScores(false)
	}
	if !s.busy {
		// The study shown first, then the game's scores.
		var pos string
		ok := false
		if s.open != nil {
			pos, ok = s.open.Next()
		}
		if !ok {
			pos, ok = s.live.Next()
		}
		if ok {
			s.asking, s.busy = pos, true
			l.ask(pos)
		}
	}
	if s.open != nil {
		if !s.review {
			l.state.FollowStudy(s.open.View().Query)
		}
	}
}

// ask asks the page's brain for the scores of the position named pos; a
// page without one answers at once that it has none.
func (l *loop) ask(pos string) {
	if l.cfg.brain == nil {
		l.queue.push(analysed{moves: pos, err: errNoBrain})
		return
	}
	l.mind().Analyze(pos)
}

// studyParts are the study's elements.
type studyParts struct {
	startLink  safejs.Value // on the start screen: an empty analysis board
	liveScores scoreRow
	liveNote   safejs.Value
	bar        safejs.Value
	toggle     safejs.Value
	hint       safejs.Value
	hintText   safejs.Value
	reviewOpen safejs.Value
	analyse    safejs.Value

	// root is the page's root, where the section goes while the study
	// shows: out of the document otherwise, its board is no second board
	// of the page's.
	root                         safejs.Value
	section, title, note, status safejs.Value
	board                        safejs.Value
	columns                      [connect4.Columns]safejs.Value
	cells                        [connect4.Columns][connect4.Rows]safejs.Value
	scores                       scoreRow
	scoresNote, bestText         safejs.Value
	first, back, forward, last   safejs.Value
	studyToggle, best, close     safejs.Value
	accuracy, moveList           safejs.Value
	moves                        [connect4.Cells]safejs.Value // li > button
	link, reviewLink             safejs.Value

	shown   studyView
	painted bool
}

// scoreRow is a row of each column's words.
type scoreRow struct {
	list  safejs.Value
	items [connect4.Columns]safejs.Value
	words [connect4.Columns]safejs.Value
}

// studyView is what the study's elements show.
type studyView struct {
	// Beside the game.
	scoresButton, scoresOn, hint, review bool
	hintText, analyse                    string
	hintColumn                           int
	live                                 [connect4.Columns]string
	liveNote                             string

	// The study.
	open, isReview, back bool
	note, reviewQuery    string
	noBrain              bool
	v                    study.View
	scoresNote           string
}

// findStudy finds the study's elements in parent, and makes with el what
// comes many times: the board's columns and cells, the scores, the moves.
func findStudy(d *dom, parent safejs.Value, el func(tag, class string, attrs ...string) safejs.Value) studyParts {
	var s studyParts
	d.find(parent, []found{
		{".board-link", &s.startLink}, {".live-scores", &s.liveScores.list}, {".study-bar", &s.bar},
		{".scores-toggle", &s.toggle}, {".hint", &s.hint}, {".review-open", &s.reviewOpen},
		{".analyse-link", &s.analyse}, {".hint-text", &s.hintText}, {".live-note", &s.liveNote},
		{".study", &s.section}, {".study-title", &s.title}, {".study-note", &s.note}, {".study-status", &s.status},
		{".study-board", &s.board}, {".study-scores", &s.scores.list}, {".study .scores-note", &s.scoresNote},
		{".best-text", &s.bestText}, {".study-first", &s.first}, {".study-back", &s.back},
		{".study-forward", &s.forward}, {".study-last", &s.last}, {".study-scores-toggle", &s.studyToggle},
		{".show-best", &s.best}, {".study-close", &s.close}, {".accuracy", &s.accuracy},
		{".move-list", &s.moveList}, {".study-link", &s.link}, {".review-link", &s.reviewLink},
	})
	for _, row := range []struct {
		r  *scoreRow
		id string // the start of its words' ids
	}{{&s.liveScores, "connect4-live-scores-"}, {&s.scores, "connect4-study-scores-"}} {
		r := row.r
		for c := range connect4.Columns {
			r.words[c] = el("span", "score-words", "id", row.id+strconv.Itoa(c))
			r.items[c] = el("li", "score")
			// The column's number, "Column 4" to a screen reader.
			number := el("span", "score-column")
			unseen := el("span", "unseen")
			d.text(unseen, "Column ")
			d.call(number, "append", unseen, strconv.Itoa(c+1))
			d.call(r.items[c], "append", number, " ", r.words[c])
			d.call(r.list, "append", r.items[c])
		}
	}
	for c := range connect4.Columns {
		s.columns[c] = el("button", "column", "type", "button", "data-column", strconv.Itoa(c))
		for r := range connect4.Rows {
			s.cells[c][r] = el("span", "cell empty", "data-row", strconv.Itoa(r))
			d.call(s.columns[c], "append", s.cells[c][r])
		}
		d.call(s.board, "append", s.columns[c])
	}
	for i := range s.moves {
		s.moves[i] = el("li", "")
		d.call(s.moves[i], "append", el("button", "move", "type", "button", "data-move", strconv.Itoa(i+1)))
		d.call(s.moveList, "append", s.moves[i])
	}
	// Out of the document but while it shows: its board is no second
	// board of the page's.
	d.call(s.section, "remove")
	return s
}

// handlers returns the listeners of the study's elements.
func (s *studyParts) handlers(push func(any)) []handler {
	on := func(m any) func(safejs.Value) { return func(safejs.Value) { push(m) } }
	return []handler{
		{s.startLink, "click", func(ev safejs.Value) {
			// A click that asks for a new tab or window keeps it.
			var d dom
			if modified(ev) || isTrue(d.get(ev, "shiftKey")) {
				return
			}
			_, _ = ev.Call("preventDefault")
			push(boardAsked{})
		}},
		{safejs.Global(), "popstate", on(addressChanged{})},
		{s.toggle, "click", on(scoresToggled{})},
		{s.hint, "click", on(hintAsked{})},
		{s.reviewOpen, "click", on(reviewAsked{})},
		{s.close, "click", on(studyClosed{})},
		{s.first, "click", on(studyStepped{-connect4.Cells})},
		{s.back, "click", on(studyStepped{-1})},
		{s.forward, "click", on(studyStepped{1})},
		{s.last, "click", on(studyStepped{connect4.Cells})},
		{s.studyToggle, "click", on(studyScoresToggled{})},
		{s.best, "click", on(bestAsked{})},
		{s.board, "click", func(ev safejs.Value) {
			if column, ok := columnOf(ev); ok {
				push(studyPlayed{column})
			}
		}},
		{s.moveList, "click", func(ev safejs.Value) {
			var d dom
			move := closest(ev, ".move")
			if move.IsNull() || move.IsUndefined() {
				return
			}
			if n, err := strconv.Atoi(d.string(d.call(move, "getAttribute", "data-move"))); err == nil {
				push(studySought{n})
			}
		}},
		{s.section, "keydown", func(ev safejs.Value) {
			if modified(ev) {
				return
			}
			var m any
			switch key := keyOf(ev); {
			case key == "ArrowLeft":
				m = studyStepped{-1}
			case key == "ArrowRight":
				m = studyStepped{1}
			case key == "Home":
				m = studyStepped{-connect4.Cells}
			case key == "End":
				m = studyStepped{connect4.Cells}
			case len(key) == 1 && key[0] >= '1' && key[0] <= '0'+connect4.Columns:
				m = studyPlayed{int(key[0] - '1')}
			default:
				return
			}
			_, _ = ev.Call("preventDefault")
			push(m)
		}},
	}
}

// view returns what the study's elements show, from the game's View.
func (l *loop) studyView(v game.View) studyView {
	s := &l.study
	allowed, _ := l.state.Analysis()
	sv := studyView{
		scoresButton: v.Scores && !v.Study,
		scoresOn:     s.live.ScoresShown(),
		hint:         v.Hint,
		hintText:     v.HintText,
		hintColumn:   v.HintColumn,
		review:       v.Review,
	}
	if allowed && v.Scores {
		sv.analyse = study.Query(l.state.Moves())
	}
	if sv.scoresOn {
		lv := s.live.View()
		sv.live = lv.Words
		sv.liveNote = scoresNote(lv, l.cfg.brain == nil)
	}
	if s.open != nil {
		sv.open, sv.isReview, sv.back, sv.note = true, s.review, !v.Start, s.note
		sv.v = s.open.View()
		sv.reviewQuery = "?review=" + study.Name(s.open.Game())
		sv.noBrain = l.cfg.brain == nil
		sv.scoresNote = scoresNote(sv.v, sv.noBrain)
	}
	return sv
}

// scoresNote says why a board shows no scores: they are awaited, or cannot
// come.
func scoresNote(v study.View, noBrain bool) string {
	switch {
	case (v.Failed || v.Retrying) && noBrain:
		return noBrainText
	case v.Failed:
		return failedText
	case v.Early:
		return earlyText
	case v.Retrying:
		return retryText
	case v.Scoring:
		return scoringText
	}
	return ""
}

// paint makes the study's elements show sv, and the hint on the game's
// columns; it returns the first error.
func (s *studyParts) paint(sv studyView, gameColumns [connect4.Columns]safejs.Value) error {
	if s.painted && sv == s.shown {
		return nil
	}
	var d dom
	old := s.shown
	text := func(el safejs.Value, t string) { d.text(el, t) }
	hide := func(el safejs.Value, hidden bool) { d.set(el, "hidden", hidden) }
	// A button with nothing to do is aria-disabled, not disabled: a
	// disabled one loses the focus, and the keys with it.
	off := func(el safejs.Value, disabled bool) {
		d.call(el, "setAttribute", "aria-disabled", strconv.FormatBool(disabled))
	}
	textOrHide := func(el safejs.Value, t string) {
		text(el, t)
		hide(el, t == "")
	}
	pressed := func(el safejs.Value, on bool) {
		d.call(el, "setAttribute", "aria-pressed", strconv.FormatBool(on))
		label := showScores
		if on {
			label = hideScores
		}
		text(el, label)
	}

	// Beside the game.
	hide(s.bar, !sv.scoresButton && !sv.review)
	hide(s.toggle, !sv.scoresButton)
	pressed(s.toggle, sv.scoresOn)
	hide(s.hint, !sv.hint)
	textOrHide(s.hintText, sv.hintText)
	hide(s.reviewOpen, !sv.review)
	hide(s.analyse, sv.analyse == "")
	d.call(s.analyse, "setAttribute", "href", sv.analyse)
	s.liveScores.paint(&d, sv.live, sv.scoresOn && sv.scoresButton, -1)
	textOrHide(s.liveNote, sv.liveNote)
	for c := range connect4.Columns {
		class := "column"
		if c == sv.hintColumn {
			class = "column hint"
		}
		d.set(gameColumns[c], "className", class)
		// A column shown with its score is described by it.
		if sv.scoresOn && sv.scoresButton && sv.live[c] != "" {
			d.call(gameColumns[c], "setAttribute", "aria-describedby", "connect4-live-scores-"+strconv.Itoa(c))
		} else {
			d.call(gameColumns[c], "removeAttribute", "aria-describedby")
		}
	}

	// The study.
	switch {
	case sv.open && !old.open:
		d.call(s.root, "append", s.section)
	case !sv.open && old.open:
		d.call(s.section, "remove")
	}
	if sv.open {
		v := sv.v
		title := "Analysis board"
		if sv.isReview {
			title = "Review of the game"
		}
		text(s.title, title)
		textOrHide(s.note, sv.note)
		text(s.status, v.Status)
		for c := range connect4.Columns {
			for r := range connect4.Rows {
				cell := game.Cell{Checker: v.Cells[c][r]}
				cell.Last = v.HasLast && v.Last == connect4.Cell{Column: c, Row: r}
				for _, w := range v.Win {
					cell.Win = cell.Win || (v.HasWin && w == connect4.Cell{Column: c, Row: r})
				}
				d.set(s.cells[c][r], "className", cell.Class())
			}
			var cells [connect4.Rows]game.Cell
			for r := range cells {
				cells[r].Checker = v.Cells[c][r]
			}
			label := game.ColumnLabel(c, cells)
			if v.Words[c] != "" {
				label += ". " + v.Words[c]
			}
			class := "column"
			if c == v.Best {
				class = "column best"
				label += ". The best move"
			}
			d.set(s.columns[c], "className", class)
			d.call(s.columns[c], "setAttribute", "aria-label", label)
			off(s.columns[c], v.Turn == connect4.NoPlayer || v.Full[c])
		}
		// After the end of the game there is nothing to score.
		s.scores.paint(&d, v.Words, v.ScoresOn && v.Turn != connect4.NoPlayer, v.Best)
		textOrHide(s.scoresNote, sv.scoresNote)
		textOrHide(s.bestText, v.BestText)
		off(s.first, v.Cursor == 0)
		off(s.back, v.Cursor == 0)
		off(s.forward, v.Cursor == v.LineLen)
		off(s.last, v.Cursor == v.LineLen)
		pressed(s.studyToggle, v.ScoresOn)
		off(s.best, v.Turn == connect4.NoPlayer)
		close := "Start screen"
		if sv.back {
			close = "Back to the game"
		}
		text(s.close, close)
		textOrHide(s.accuracy, accuracyText(v, sv.isReview, sv.noBrain))
		for i, li := range s.moves {
			hide(li, i >= v.Len)
			if i >= v.Len {
				continue
			}
			b := d.get(li, "firstChild")
			m := v.Moves[i]
			text(b, m.Text(i))
			class := "move " + m.Player.String()
			if m.Label != "" {
				class += " " + m.Label
			}
			d.set(b, "className", class)
			// In a variation, no move of the game's list is the one shown.
			if i == v.Cursor-1 && v.Variation < 0 {
				d.call(b, "setAttribute", "aria-current", "step")
			} else {
				d.call(b, "removeAttribute", "aria-current")
			}
		}
		hide(s.moveList, v.Len == 0)
		d.call(s.link, "setAttribute", "href", v.Query)
		hide(s.reviewLink, !sv.isReview)
		d.call(s.reviewLink, "setAttribute", "href", sv.reviewQuery)
		if !old.open {
			// Opened: the keyboard goes to the study.
			d.call(s.title, "focus")
		}
	}
	s.shown, s.painted = sv, d.err == nil
	if d.err != nil {
		return fmt.Errorf("browser: painting the study: %w", d.err)
	}
	return nil
}

// accuracyText returns the accuracy line of a review: "Accuracy: red 88%,
// yellow 13% (hints: 2)", "Accuracy: the computer 100%, you 88%", "…" for
// what is not known yet; "" for no review.
func accuracyText(v study.View, review, noBrain bool) string {
	switch {
	case !review:
		return ""
	case noBrain:
		return "The accuracy needs the solver, which this page cannot run yet."
	}
	var parts []string
	for _, p := range []connect4.Player{connect4.Red, connect4.Yellow} {
		a := v.Accuracy[p]
		if a == "" {
			a = "…"
		}
		part := v.Names[p] + " " + a
		if v.Hints[p] > 0 {
			part += " (hints: " + strconv.Itoa(v.Hints[p]) + ")"
		}
		parts = append(parts, part)
	}
	return "Accuracy: " + parts[0] + ", " + parts[1]
}

// paint shows words in the row, or hides it when not shown; best is the
// column to mark as the best move, or -1.
func (r scoreRow) paint(d *dom, words [connect4.Columns]string, shown bool, best int) {
	d.set(r.list, "hidden", !shown)
	for c, w := range words {
		if w == "" {
			w = "…"
		}
		d.text(r.words[c], w)
		class := "score " + scoreClass(words[c])
		if c == best {
			class += " best"
		}
		d.set(r.items[c], "className", class)
	}
}

// scoreClass returns the class of a column's words: "win", "draw", "loss",
// "full" or "unknown".
func scoreClass(words string) string {
	switch {
	case words == "", words == analysis.NotKnown:
		return "unknown"
	case words == analysis.Full:
		return "full"
	case words == "draw":
		return "draw"
	case len(words) > 4 && words[:4] == "win ":
		return "win"
	}
	return "loss"
}
