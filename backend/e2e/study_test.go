package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

// scoreWords is the text of the analysis board's words, column by column.
const scoreWords = `[...document.querySelectorAll(".study-scores .score-words")].map(w => w.textContent).join("|")`

// An analysis board opened from its address: the page's real Web Worker
// scores the position, and the words the page shows are those of the
// server's solver; a column played and a step back show the words of each
// position, and the address follows.
func TestAnalysisBoardInPage(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	const pos = "66333444714334751354116675176" // one of the worker's sample positions
	words := func(moves string) string {
		t.Helper()
		p, err := solver.FromMoves(moves)
		if err != nil {
			t.Fatal(err)
		}
		scores, err := solver.New(20).Analyze(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		w := analysis.Columns(scores, len(moves))
		return strings.Join(w[:], "|")
	}
	run(t, ctx,
		chromedp.Navigate(srv.URL+"?pos="+pos),
		chromedp.WaitVisible(`.study-board`, chromedp.ByQuery),
		waitFor(scoreWords+` === `+strconv.Quote(words(pos))),
	)
	// Column 1 from the left: its words, then the next position's.
	run(t, ctx,
		chromedp.Click(`.study-board .column[data-column="0"]`, chromedp.ByQuery),
		waitFor(`location.search === "?pos=`+pos+`1"`),
		waitFor(scoreWords+` === `+strconv.Quote(words(pos+"1"))),
		chromedp.Click(`button.study-back`, chromedp.ByQuery),
		waitFor(`location.search === "?pos=`+pos+`"`),
		waitFor(scoreWords+` === `+strconv.Quote(words(pos))),
	)
	checkAxe(t, ctx, "an analysis board with its scores")

	// A position too early in the game for the worker: at once, the
	// column the opening book knows, "not known" for the others, and why.
	early, err := solver.FromMoves("1")
	if err != nil {
		t.Fatal(err)
	}
	c, score, ok := book.Default().Lookup(early)
	if !ok {
		t.Fatal("the book lacks the position after red's first move in column 1")
	}
	var want [7]string
	for i := range want {
		want[i] = analysis.NotKnown
	}
	want[c] = analysis.OutcomeOf(score, 1).String()
	run(t, ctx,
		chromedp.Navigate(srv.URL+"?pos=1"),
		chromedp.WaitVisible(`.study-board`, chromedp.ByQuery),
		waitFor(scoreWords+` === `+strconv.Quote(strings.Join(want[:], "|"))),
		waitFor(`document.querySelector(".study .scores-note").textContent.startsWith("Too early in the game")`),
	)
}

// The start screen's "Open an analysis board" opens it in the page, with
// no reload (a mark set on the window stays), and the browser's Back
// button goes back to the start screen.
func TestBoardLinkInPage(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	run(t, ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(`a.board-link`, chromedp.ByQuery),
		chromedp.Evaluate(`window.notReloaded = true`, nil),
		chromedp.Click(`a.board-link`, chromedp.ByQuery),
		chromedp.WaitVisible(`.study-board`, chromedp.ByQuery),
		waitFor(`location.search === "?pos=" && window.notReloaded === true`),
		chromedp.Click(`.study-board .column[data-column="3"]`, chromedp.ByQuery),
		waitFor(`location.search === "?pos=4"`),
		chromedp.Evaluate(`history.back()`, nil),
		chromedp.WaitVisible(`button.computer`, chromedp.ByQuery),
		waitFor(`location.search === "" && window.notReloaded === true && !document.querySelector(".study")`),
	)
}
