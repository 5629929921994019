//go:build js && wasm

package browser

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/solver"
)

// scoringBrain answers the page's analyses in goroutines of its own, as a
// worker would: with answer, each question once, in whatever order the
// goroutines finish.
type scoringBrain struct {
	push   func(any)
	answer func(moves string) (solver.Scores, error)
	asked  chan string // every question, in the order asked
}

var _ brain = (*scoringBrain)(nil)

func (b *scoringBrain) Analyze(moves string) {
	select {
	case b.asked <- moves:
	default:
	}
	go func() {
		s, err := b.answer(moves)
		b.push(analysed{moves: moves, scores: s, err: err})
	}()
}

func (b *scoringBrain) Think(moves, level string) {}
func (b *scoringBrain) Close()                    {}

// withBrain returns a change to the page's config that gives it a fake
// brain answering with answer; the brain it makes goes to made.
func withBrain(answer func(string) (solver.Scores, error), made chan<- *scoringBrain) func(*config) {
	return func(c *config) {
		c.brain = func(push func(any)) brain {
			b := &scoringBrain{push: push, answer: answer, asked: make(chan string, 64)}
			made <- b
			return b
		}
	}
}

// solverAnswers answers with the real solver, one search at a time, for
// positions late enough to take it a moment; it refuses the others (the
// test's wasm has no book, and a search of the opening would take minutes,
// with no other goroutine running meanwhile).
func solverAnswers() func(string) (solver.Scores, error) {
	var mu sync.Mutex
	s := solver.New(18)
	return func(moves string) (solver.Scores, error) {
		mu.Lock()
		defer mu.Unlock()
		if len(moves) < 30 {
			return solver.Scores{}, fmt.Errorf("the test's solver does not search %q", moves)
		}
		p, err := solver.FromMoves(moves)
		if err != nil {
			return solver.Scores{}, err
		}
		return s.Analyze(context.Background(), p)
	}
}

// reviewed is a hand-built game, red winning in column 1 at move 7, and
// made-up scores of the position before each move, by its number of
// stones: each label is known from the definitions.
var (
	reviewed       = []int{0, 6, 0, 6, 0, 6, 0}
	reviewedScores = []solver.Scores{
		{1, 1, 1, 5, 1, 1, 1},               // red: column 4 wins sooner; 1 plays on: an inaccuracy
		{0, 0, 0, 0, 0, 0, -2},              // yellow: 7 throws the draw away: a mistake
		{9, -1, 0, 0, 0, 0, 2},              // red: 1 is best
		{-5, -5, -5, -5, 3, 0, -5},          // yellow: 5 wins; 7 loses: a blunder
		{10, 0, 0, 0, 0, 0, 0},              // red: 1 is best
		{-10, -10, -10, -10, -10, -10, -10}, // yellow: lost whatever it does: best
		{18, 0, 0, 0, 0, 0, 0},              // red wins at once: best
	}
	reviewedLabels = []string{"inaccuracy", "mistake", "best", "blunder", "best", "best", "best"}
)

// tableAnswers answers with reviewedScores, by the number of stones.
func tableAnswers(moves string) (solver.Scores, error) {
	if len(moves) >= len(reviewedScores) {
		return solver.Scores{}, fmt.Errorf("no scores for %q", moves)
	}
	return reviewedScores[len(moves)], nil
}

// waitStudy waits until the study is in the document and shown, or out of
// it.
func (h *harness) waitStudy(open bool) {
	h.t.Helper()
	h.waitFor("the study shown", func() string {
		if call(h.t, h.root, "querySelector", ".study").IsNull() {
			return "false"
		}
		return fmt.Sprint(h.shown(".study"))
	}, fmt.Sprint(open))
}

// words returns the words of a score row.
func (h *harness) words(selector string) []string {
	h.t.Helper()
	var ws []string
	for _, el := range h.queryAll(h.query(selector), ".score-words") {
		ws = append(ws, h.text(el))
	}
	return ws
}

// TestStudyFromPos opens an analysis board from its address: the words of
// each column are the solver's, a column plays a move, the keys and buttons
// step back and forth, and the address follows the position shown.
func TestStudyFromPos(t *testing.T) {
	// A position of the solver's benchmark (Test_L3_R1), 37 stones.
	const pos = "2252576253462244111563365343671351441"
	made := make(chan *scoringBrain, 1)
	h := startWith(t, "?pos="+pos, "", withBrain(solverAnswers(), made))
	h.waitStudy(true)
	if h.shown(".start") || h.shown(".game") {
		t.Error("the start screen or the game shows with the analysis board")
	}
	h.waitText(".study-title", "Analysis board")
	h.noConn(50 * time.Millisecond) // an analysis board needs no server

	// The scores the page shows are the solver's, computed here.
	p, err := solver.FromMoves(pos)
	if err != nil {
		t.Fatal(err)
	}
	scores, err := solver.New(16).Analyze(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := analysis.Columns(scores, len(pos))
	h.waitFor("the words", func() string { return strings.Join(h.words(".study-scores"), "|") }, strings.Join(want[:], "|"))
	if !h.shown(".study-scores") || h.shown(".study .scores-note") {
		t.Error("the scores do not show, or a note shows with them")
	}
	column := h.query(`.study-board .column[data-column="0"]`)
	if got := h.attr(column, "aria-label"); !strings.HasSuffix(got, ". "+want[0]) {
		t.Errorf("column 1 is labelled %q, without its words %q", got, want[0])
	}

	// A column plays a move; the address names the new position.
	c, _ := scores.Best()
	h.click(h.query(fmt.Sprintf(`.study-board .column[data-column="%d"]`, c)))
	next := pos + string(rune('1'+c))
	h.waitFor("address", h.addr.query, "?pos="+next)
	h.waitText(".study-link", "Link to this position")
	if got := h.attr(h.query(".study-link"), "href"); got != "?pos="+next {
		t.Errorf("the link to the position is %q", got)
	}
	// Back with the key, forward with the button.
	h.dispatch(h.query(".study"), "KeyboardEvent", "keydown", map[string]any{"key": "ArrowLeft", "bubbles": true})
	h.waitFor("address", h.addr.query, "?pos="+pos)
	h.waitFor("the words again", func() string { return strings.Join(h.words(".study-scores"), "|") }, strings.Join(want[:], "|"))
	h.click(h.query("button.study-forward"))
	h.waitFor("address", h.addr.query, "?pos="+next)
	h.dispatch(h.query(".study"), "KeyboardEvent", "keydown", map[string]any{"key": "Home", "bubbles": true})
	h.waitFor("address", h.addr.query, "?pos=")
	h.waitText(".study-status", "Start of the game. Red to play.")
	h.waitText(".study .scores-note", failedText)

	// Closed, the board leaves the start screen, which links to an
	// empty one.
	h.click(h.query("button.study-close"))
	h.waitShown(".start", true)
	if got := h.attr(h.query("a.board-link"), "href"); got != "?pos=" || !h.shown("a.board-link") {
		t.Errorf("the start screen's link to an analysis board: %q", got)
	}
	h.waitFor("address", h.addr.query, "")
	h.waitStudy(false)
}

// TestStudyBadPos checks that an address that names no position says why,
// and shows the position before the move that cannot be played.
func TestStudyBadPos(t *testing.T) {
	h := startWith(t, "?pos=4480", "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	h.waitStudy(true)
	h.waitText(".study-note", "This address names no position: Move 3 is '8', not a column: a position is its moves, each a column from 1 to 7, such as ?pos=4453. Here is the position before that move.")
	if got := h.attr(h.query(".study-note"), "role"); got != "alert" {
		t.Errorf("the note's role is %q", got)
	}
	h.waitFor("address", h.addr.query, "?pos=44")
	h.waitClass("cell (3, 1)", h.query(`.study-board .column[data-column="3"] .cell[data-row="1"]`), "cell yellow last")
}

// TestStudyWithoutBrain checks what a page without a solver says.
func TestStudyWithoutBrain(t *testing.T) {
	h := start(t, "?pos=44", "")
	h.waitStudy(true)
	h.waitText(".study .scores-note", noBrainText)
	if h.shown(".accuracy") {
		t.Error("an accuracy line on an analysis board")
	}
}

// TestReviewWithoutBrain checks what a review says without a solver, and
// that a finished game's last position shows no scores.
func TestReviewWithoutBrain(t *testing.T) {
	h := start(t, "?review=1717171", "")
	h.waitStudy(true)
	h.waitText(".accuracy", "The accuracy needs the solver, which this page cannot run yet.")
	if h.shown(".study-scores") {
		t.Error("scores after the end of the game")
	}
}

// playReviewed plays the reviewed game on a hot-seat board, as the server
// reports it.
func playReviewed(c *fakeConn) {
	var heights [7]int
	for i, col := range reviewed {
		player := "red"
		if i%2 == 1 {
			player = "yellow"
		}
		c.receive(fmt.Sprintf(`{"type":"play","player":"%s","column":%d,"row":%d}`, player, col, heights[col]))
		heights[col]++
	}
	c.receive(`{"type":"win","player":"red","cells":[{"column":0,"row":0},{"column":0,"row":1},{"column":0,"row":2},{"column":0,"row":3}]}`)
}

// TestReviewAfterGame plays a hot-seat game with the scores shown, then
// reviews it: each move labelled, each player's accuracy, steps by keys
// and by the move list, and the best move of any position.
func TestReviewAfterGame(t *testing.T) {
	made := make(chan *scoringBrain, 1)
	h := startWith(t, "", "", withBrain(tableAnswers, made))
	c := h.hotSeat()

	// The scores of the live game, on until turned off, position after
	// position.
	if h.shown(".live-scores") || h.shown("button.review-open") {
		t.Error("scores or a review before they were asked for")
	}
	toggle := h.query("button.scores-toggle")
	h.click(toggle)
	h.waitShown(".live-scores", true)
	h.waitFor("words", func() string { return strings.Join(h.words(".live-scores"), "|") }, "win in 21|win in 21|win in 21|win in 17|win in 21|win in 21|win in 21")
	if got := h.attr(toggle, "aria-pressed"); got != "true" {
		t.Errorf("the toggle is pressed %q", got)
	}
	// Each column of the board is described by its words.
	if id := h.attr(h.query(`.board .column[data-column="3"]`), "aria-describedby"); id == "<none>" || h.text(h.query("#"+id)) != "win in 17" {
		t.Errorf("column 4 is described by %q", id)
	}
	c.receive(`{"type":"play","player":"red","column":0,"row":0}`)
	h.waitFor("words after a move", func() string { return strings.Join(h.words(".live-scores"), "|") }, "draw|draw|draw|draw|draw|draw|loses in 19")
	// The colours repeat the words.
	items := h.queryAll(h.query(".live-scores"), ".score")
	if d, l := h.attr(items[0], "class"), h.attr(items[6], "class"); d != "score draw" || l != "score loss" {
		t.Errorf("the classes of a draw and a loss: %q, %q", d, l)
	}
	if got := h.attr(h.query(".analyse-link"), "href"); got != "?pos=1" {
		t.Errorf("the analysis link is %q", got)
	}

	// The game ends: its review is offered.
	c.receive(`{"type":"snapshot","moves":[]}`)
	playReviewed(c)
	h.waitStatus("Red wins!", "status win red")
	h.waitShown("button.review-open", true)
	h.click(h.query("button.review-open"))
	h.waitStudy(true)
	h.waitText(".study-title", "Review of the game")
	if h.shown(".game") {
		t.Error("the game shows with the review")
	}
	for i, label := range reviewedLabels {
		move := h.query(fmt.Sprintf(`.move[data-move="%d"]`, i+1))
		player := []string{"red", "yellow"}[i%2]
		h.waitFor(fmt.Sprintf("move %d", i+1), func() string { return h.text(move) }, fmt.Sprintf("%d. %s, column %d: %s", i+1, player, reviewed[i]+1, label))
	}
	// Red: (0.75+1+1+1)/4, 93.75%; yellow: (0.25+0+1)/3, 41.7%.
	h.waitText(".accuracy", "Accuracy: red 94%, yellow 42%")
	if got := h.attr(h.query(`.move[data-move="7"]`), "aria-current"); got != "step" {
		t.Errorf("the last move is current %q", got)
	}
	// The address keeps the game's: the seat is the game's.
	if q := h.addr.query(); q != "?game=W4TCH" {
		t.Errorf("address %q during the review", q)
	}

	// Step by the move list and the keys.
	h.click(h.query(`.move[data-move="4"]`))
	h.waitText(".study-status", "After move 4, yellow in column 7: a blunder. Red to play.")
	h.dispatch(h.query(".study"), "KeyboardEvent", "keydown", map[string]any{"key": "ArrowLeft", "bubbles": true})
	h.waitText(".study-status", "After move 3, red in column 1: the best move. Yellow to play.")
	// The best move, asked for, is the one that wins: column 5.
	h.click(h.query("button.show-best"))
	h.waitText(".best-text", "Best move: column 5, win in 18.")
	if got := h.attr(h.query(`.study-board .column[data-column="4"]`), "class"); got != "column best" {
		t.Errorf("the best column has class %q", got)
	}
	h.dispatch(h.query(".study"), "KeyboardEvent", "keydown", map[string]any{"key": "ArrowRight", "bubbles": true})
	h.waitShown(".best-text", false)

	// Back to the game.
	h.click(h.query("button.study-close"))
	h.waitShown(".game", true)
	h.waitStudy(false)
}

// TestAnalysisRefusedLive checks that a live game between two people shows
// no scores, and says why, until it ends.
func TestAnalysisRefusedLive(t *testing.T) {
	made := make(chan *scoringBrain, 1)
	h := startWith(t, "", "", withBrain(tableAnswers, made))
	c := h.invite(true)
	h.click(h.query("button.scores-toggle"))
	h.waitText(".notice", "No analysis during a live game between two people: it would help one of them, whoever looks. It opens when the game ends.")
	if h.shown(".live-scores") || h.shown(".analyse-link") {
		t.Error("scores in a live game between two people")
	}
	select {
	case <-made:
		t.Error("the page asked the solver during a live game between two people")
	case <-time.After(50 * time.Millisecond):
	}
	playReviewed(c)
	h.waitShown("button.review-open", true)
	h.click(h.query("button.scores-toggle"))
	h.waitShown(".live-scores", true)
}

// TestHintsCounted plays the computer with a hint, and finds it counted in
// the review.
func TestHintsCounted(t *testing.T) {
	made := make(chan *scoringBrain, 1)
	h := startWith(t, "", "", withBrain(tableAnswers, made))
	h.click(h.query("button.computer"))
	h.choose("colour", "yellow")
	h.click(h.query("button.start-computer"))
	c := h.open(`{"type":"init","mode":"computer","level":"medium","player":"yellow","version":4}`)
	c.receive(`{"type":"init","watch":"W4TCH","mode":"computer","level":"medium","player":"yellow","token":"tok"}`)
	h.waitStatus("The computer is thinking…", "status turn red thinking")
	if h.shown("button.hint") {
		t.Error("a hint on the computer's turn")
	}
	c.receive(`{"type":"play","player":"red","column":0,"row":0}`)
	h.waitShown("button.hint", true)
	h.click(h.query("button.hint"))
	// The table's position after one stone: all draws but column 7, the
	// most central first.
	h.waitText(".hint-text", "Hint: column 4 (draw).")
	// The live region says the hint, once: the line beside the board is no
	// second live region.
	h.waitFor("live region", h.lastSaid, "Hint: column 4 (draw).")
	if role := h.attr(h.query(".hint-text"), "role"); role != "<none>" {
		t.Errorf("the hint's line has the role %q: the hint is said twice", role)
	}
	if got := h.attr(h.query(`.board .column[data-column="3"]`), "class"); got != "column hint" {
		t.Errorf("the hinted column has class %q", got)
	}
	b := <-made
	if got := <-b.asked; got != "1" {
		t.Errorf("asked %q for the hint", got)
	}
	// The rest of the game, the computer winning.
	c.receive(`{"type":"play","player":"yellow","column":6,"row":0}`)
	h.waitShown(".hint-text", false)
	c.receive(`{"type":"play","player":"red","column":0,"row":1}`,
		`{"type":"play","player":"yellow","column":6,"row":1}`,
		`{"type":"play","player":"red","column":0,"row":2}`,
		`{"type":"play","player":"yellow","column":6,"row":2}`,
		`{"type":"play","player":"red","column":0,"row":3}`,
		`{"type":"win","player":"red","cells":[{"column":0,"row":0},{"column":0,"row":1},{"column":0,"row":2},{"column":0,"row":3}]}`)
	h.waitShown("button.review-open", true)
	h.click(h.query("button.review-open"))
	// The player is "you", the computer "the computer".
	h.waitText(".accuracy", "Accuracy: the computer 94%, you 42% (hints: 1)")
	h.waitText(`.move[data-move="2"]`, "2. you, column 7: mistake")
	h.waitText(".study-status", "After move 7, the computer in column 1: the best move. The computer wins.")
}

// TestReviewByLink opens the review of a game from its link, with no server:
// the link of a review, and of its positions, anyone can open later.
func TestReviewByLink(t *testing.T) {
	h := startWith(t, "?review=1717171", "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	h.waitStudy(true)
	h.waitText(".study-title", "Review of the game")
	h.waitText(".accuracy", "Accuracy: red 94%, yellow 42%")
	h.waitText(`.move[data-move="4"]`, "4. yellow, column 7: blunder")
	if got := h.attr(h.query(".review-link"), "href"); got != "?review=1717171" {
		t.Errorf("the review's link is %q", got)
	}
	h.click(h.query("button.study-first"))
	h.waitText(".study-status", "Start of the game. Red to play.")
	if q := h.addr.query(); q != "?review=1717171" {
		t.Errorf("stepping changed the address to %q", q)
	}
	if got := h.attr(h.query(".study-link"), "href"); got != "?pos=" {
		t.Errorf("the link to the position shown is %q", got)
	}
	h.noConn(50 * time.Millisecond)
}

// TestReviewFinishedGameByWatchLink opens the watch link of a game that
// ended: the server sends its moves and result, and the spectator is
// offered its review, and the scores.
func TestReviewFinishedGameByWatchLink(t *testing.T) {
	h := startWith(t, "?watch="+watchKey, "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	c := h.open(`{"type":"init","watch":"W4TCH","version":4}`)
	c.receive(startedWatch, `{"type":"snapshot","moves":[0,6,0,6,0,6,0]}`,
		`{"type":"win","player":"red","cells":[{"column":0,"row":0},{"column":0,"row":1},{"column":0,"row":2},{"column":0,"row":3}]}`)
	h.waitStatus("Red wins!", "status win red")
	h.waitShown("button.review-open", true)
	h.waitShown("button.scores-toggle", true)
	h.click(h.query("button.review-open"))
	h.waitStudy(true)
	h.waitText(".accuracy", "Accuracy: red 94%, yellow 42%")
	if q := h.addr.query(); q != "?watch="+watchKey {
		t.Errorf("address %q during the review", q)
	}
}

// TestReviewArchivedGame opens the watch link of a game that the server
// keeps in its archive: the page shows its board and offers its review.
func TestReviewArchivedGame(t *testing.T) {
	h := startWith(t, "?watch="+watchKey, "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	c := h.open(`{"type":"init","watch":"W4TCH","version":4}`)
	c.receive(`{"type":"archived","watch":"W4TCH","mode":"friends","moves":[0,6,0,6,0,6,0]}`)
	h.waitStatus("Red wins!", "status win red")
	h.waitClass("cell (0, 3)", h.cell(0, 3), "cell red win last")
	if h.shown(".presence") {
		t.Errorf("presence %q for a game that ended", h.text(h.query(".presence")))
	}
	h.click(h.query("button.review-open"))
	h.waitStudy(true)
	h.waitText(".accuracy", "Accuracy: red 94%, yellow 42%")
}

// TestStudyKeepsFocus checks that the keyboard keeps its place in the study
// when the button it pressed has nothing more to do: "End" at the end, a
// column filled up. A disabled button loses the focus to the page's body
// (Chromium's focus fixup, at the next rendering), where the arrows no
// longer step through the moves.
func TestStudyKeepsFocus(t *testing.T) {
	h := startWith(t, "?pos=1717171", "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	h.waitStudy(true)
	h.waitFor("address", h.addr.query, "?pos=1717171")
	// Past a frame or two, in the study: the focus fixup has run by then.
	inStudy := func(what string) {
		t.Helper()
		time.Sleep(200 * time.Millisecond)
		el := get(t, global(t, "document"), "activeElement")
		if el.IsNull() || !truthy(t, call(t, h.query(".study"), "contains", el)) {
			t.Fatalf("%s: the focus left the study", what)
		}
	}
	key := func(k string) {
		el := get(t, global(t, "document"), "activeElement")
		h.dispatch(el, "KeyboardEvent", "keydown", map[string]any{"key": k, "bubbles": true, "cancelable": true})
	}
	press := func(selector string) {
		el := h.query(selector)
		call(t, el, "focus")
		h.click(el)
	}

	h.click(h.query("button.study-first"))
	h.waitFor("address", h.addr.query, "?pos=")
	press("button.study-last")
	h.waitFor("address", h.addr.query, "?pos=1717171")
	inStudy("End at the end")
	if got := h.attr(h.query("button.study-last"), "aria-disabled"); got != "true" {
		t.Errorf("End at the end: aria-disabled %q", got)
	}
	key("ArrowLeft")
	h.waitFor("address", h.addr.query, "?pos=171717")

	// Column 7 holds three; three more fill it.
	for range 3 {
		press(`.study-board .column[data-column="6"]`)
	}
	h.waitFor("address", h.addr.query, "?pos=171717777")
	inStudy("a column filled")
	if got := h.attr(h.query(`.study-board .column[data-column="6"]`), "aria-disabled"); got != "true" {
		t.Errorf("a full column: aria-disabled %q", got)
	}
	key("ArrowLeft")
	h.waitFor("address", h.addr.query, "?pos=17171777")
}

// TestStudyTooEarly opens a position too early in the game for the
// solver: the page shows the columns it scored, "not known" for the
// others, and says why, rather than "Scoring…" for ever.
func TestStudyTooEarly(t *testing.T) {
	x := analysis.Unknown
	early := func(moves string) (solver.Scores, error) {
		return solver.Scores{x, x, -1, 1, x, x, x}, fmt.Errorf("as the worker says it: %w", analysis.ErrTooEarly)
	}
	h := startWith(t, "?pos=4", "", withBrain(early, make(chan *scoringBrain, 1)))
	h.waitStudy(true)
	h.waitFor("the words", func() string { return strings.Join(h.words(".study-scores"), "|") },
		"not known|not known|loses in 20|win in 21|not known|not known|not known")
	h.waitText(".study .scores-note", earlyText)
	if got := h.attr(h.queryAll(h.query(".study-scores"), ".score")[0], "class"); got != "score unknown" {
		t.Errorf("a column not known has the class %q", got)
	}
	// The best move is not known: none is marked.
	h.click(h.query("button.show-best"))
	h.waitText(".study .scores-note", earlyText)
	if h.shown(".best-text") {
		t.Errorf("a best move shows: %q", h.text(h.query(".best-text")))
	}
}

// TestStudyRetry checks that a position the brain failed to score (it
// crashed, or stopped answering) is asked again once, of a new worker, and
// shows its scores if the second answer comes; and that a position the
// brain fails twice says so, for good.
func TestStudyRetry(t *testing.T) {
	var mu sync.Mutex
	tries := make(map[string]int)
	flaky := func(moves string) (solver.Scores, error) {
		mu.Lock()
		defer mu.Unlock()
		tries[moves]++
		if tries[moves] == 1 || moves == "44" {
			return solver.Scores{}, errWorkerGone
		}
		return solver.Scores{0, 0, 0, 0, 0, 0, 0}, nil
	}
	made := make(chan *scoringBrain, 1)
	h := startWith(t, "?pos=4", "", withBrain(flaky, made))
	h.waitStudy(true)
	h.waitFor("the words", func() string { return strings.Join(h.words(".study-scores"), "|") }, "draw|draw|draw|draw|draw|draw|draw")
	b := <-made
	for _, want := range []string{"4", "4"} {
		if got := <-b.asked; got != want {
			t.Errorf("asked %q, want %q", got, want)
		}
	}
	h.click(h.query(`.study-board .column[data-column="3"]`))
	h.waitText(".study .scores-note", failedText)
	for _, want := range []string{"44", "44"} {
		if got := <-b.asked; got != want {
			t.Errorf("asked %q, want %q", got, want)
		}
	}
	select {
	case got := <-b.asked:
		t.Errorf("asked %q a third time", got)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestReviewVariationKeepsGame plays a variation in a review: the move
// list keeps the game's moves and labels, the status says where the
// variation left the game, and a move of the list goes back to the game.
func TestReviewVariationKeepsGame(t *testing.T) {
	h := startWith(t, "?review=1717171", "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	h.waitStudy(true)
	h.waitText(".accuracy", "Accuracy: red 94%, yellow 42%")
	h.click(h.query(`.move[data-move="2"]`))
	h.waitText(".study-status", "After move 2, yellow in column 7: a mistake. Red to play.")
	h.click(h.query(`.study-board .column[data-column="3"]`))
	h.waitText(".study-status", "After move 3, red in column 4 (a variation from move 3, where the game played column 1): a mistake. Yellow to play.")
	for i, label := range reviewedLabels {
		player := []string{"red", "yellow"}[i%2]
		if got, want := h.text(h.query(fmt.Sprintf(`.move[data-move="%d"]`, i+1))), fmt.Sprintf("%d. %s, column %d: %s", i+1, player, reviewed[i]+1, label); got != want {
			t.Errorf("in a variation, the move list says %q, want the game's %q", got, want)
		}
		if got := h.attr(h.query(fmt.Sprintf(`.move[data-move="%d"]`, i+1)), "aria-current"); got != "<none>" {
			t.Errorf("in a variation, move %d is current: %q", i+1, got)
		}
	}
	h.waitText(".accuracy", "Accuracy: red 94%, yellow 42%")
	if got := h.attr(h.query("button.study-forward"), "aria-disabled"); got != "true" {
		t.Errorf("Forward at the variation's end: aria-disabled %q", got)
	}
	if got := h.attr(h.query(".review-link"), "href"); got != "?review=1717171" {
		t.Errorf("the review's link in a variation: %q", got)
	}
	// The move list goes back to the game.
	h.click(h.query(`.move[data-move="7"]`))
	h.waitText(".study-status", "After move 7, red in column 1: the best move. Red wins.")
	h.waitFor("move 7 current", func() string { return h.attr(h.query(`.move[data-move="7"]`), "aria-current") }, "step")
}

// TestBoardLinkInPlace opens an analysis board from the start screen's link
// in the page, with a step of the history rather than a reload; the
// browser's Back button closes it and Forward opens it again.
func TestBoardLinkInPlace(t *testing.T) {
	h := startWith(t, "", "", withBrain(tableAnswers, make(chan *scoringBrain, 1)))
	h.waitShown(".start", true)
	// A click that the page did not take would load the test's page
	// anew, and end the test.
	h.click(h.query("a.board-link"))
	h.waitStudy(true)
	h.waitText(".study-title", "Analysis board")
	h.waitFor("address", h.addr.query, "?pos=")
	h.click(h.query(`.study-board .column[data-column="3"]`))
	h.waitFor("address", h.addr.query, "?pos=4")
	h.addr.mu.Lock()
	pushed := h.addr.pushed
	h.addr.mu.Unlock()
	if pushed != 1 {
		t.Errorf("%d steps added to the history, want 1 (the board; its moves replace it)", pushed)
	}
	h.back("")
	h.waitStudy(false)
	h.waitShown(".start", true)
	h.back("?pos=4")
	h.waitStudy(true)
	h.waitText(".study-status", "After move 1, red in column 4. Yellow to play.")
	h.waitFor("address", h.addr.query, "?pos=4")
	// A popstate that keeps the address (a fragment changed) keeps the
	// board as it is: its line, stepped back.
	h.click(h.query(`.study-board .column[data-column="2"]`))
	h.waitFor("address", h.addr.query, "?pos=43")
	h.click(h.query("button.study-back"))
	h.waitFor("address", h.addr.query, "?pos=4")
	h.back("?pos=4")
	h.click(h.query("button.study-forward"))
	h.waitFor("address", h.addr.query, "?pos=43")
}
