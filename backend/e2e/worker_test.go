package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// workerCached is true once the page has prefetched the worker's files
// into the browser's cache.
const workerCached = `performance.getEntriesByType("resource").some(e => e.name.includes("/worker.wasm") && e.responseEnd > 0)`

// serverGone opens srv's start screen in a new tab, waits until the page
// has cached the worker's files, then stops srv; it returns the tab.
func serverGone(t *testing.T, srv *server) context.Context {
	t.Helper()
	ctx := newTab(t)
	run(t, ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(`button.computer`, chromedp.ByQuery),
		waitFor(workerCached),
	)
	srv.stop(t)
	return ctx
}

// With the server gone, a game against the computer starts and is played to
// its end in the page alone: the page's Web Worker is the computer (perfect,
// red, so that it opens), the page the referee, and it says so.
func TestComputerInPageServerGone(t *testing.T) {
	ctx := serverGone(t, startServer(t))
	// The computer opens, from the worker's opening book.
	run(t, ctx, startComputer("perfect"))
	if role := roleLine(t, ctx); !strings.Contains(role, "in your browser") || !strings.Contains(role, "perfect") {
		t.Errorf("role line %q: want it to say the game is played in the browser", role)
	}
	var links int
	run(t, ctx, chromedp.Evaluate(`document.querySelectorAll('a[href*="in-browser"]').length`, &links))
	if links != 0 {
		t.Errorf("%d links to share a game played alone", links)
	}
	playComputer(t, ctx, "yellow")
	var status string
	run(t, ctx, chromedp.Text(`.status`, &status, chromedp.ByQuery))
	if status != "The computer wins!" {
		t.Errorf("status %q: the perfect computer, opening, lost or drew against the leftmost column", status)
	}
}

// The page's real Web Worker, served by the binary, answers as the page
// expects: each column's score of a position (one of the worker's sample,
// frontend/internal/worker/testdata/scores, whose scores the server's
// solver gave), the perfect level's move, one of the best, and an error for
// a position that cannot be.
func TestWorkerAnswersInPage(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	const moves = "66333444714334751354116675176"
	want := []int{2, 1, -128, -128, 2, 1, 1}
	var raw string
	run(t, ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(`button.computer`, chromedp.ByQuery),
		chromedp.Evaluate(workerClient+`(async () => {
		  const {ask, terminate} = await startWorker();
		  const analysis = await ask({kind: "analyze", moves: "`+moves+`"});
		  const move = await ask({kind: "think", moves: "`+moves+`", level: "perfect"});
		  const refused = await ask({kind: "analyze", moves: "48"}).then(() => "", (err) => err.message);
		  terminate();
		  return JSON.stringify({scores: analysis.scores, column: move.column, refused});
		})()`, &raw, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	var got struct {
		Scores  []int
		Column  int
		Refused string
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Scores, want) {
		t.Errorf("scores %v, want %v", got.Scores, want)
	}
	if got.Column < 0 || got.Column >= len(want) || want[got.Column] != slices.Max(want) {
		t.Errorf("the perfect level plays column %d, not one of the best of %v", got.Column, want)
	}
	if got.Refused == "" {
		t.Error("no error for the position 48")
	}
}

// checkers is the board's checkers, cell by cell: r, y or . for none.
const checkers = `[...document.querySelectorAll(".board .cell")].map(c => c.classList.contains("red") ? "r" : c.classList.contains("yellow") ? "y" : ".").join("")`

// A game against the computer played in the page, the server gone, is kept
// in the browser: reloaded once the page can load again, it is taken up
// again in the page, its moves and its turn, still played alone.
func TestComputerInPageReload(t *testing.T) {
	dir := t.TempDir()
	srv := startIn(t, dir, "127.0.0.1:0")
	ctx := serverGone(t, srv)
	run(t, ctx,
		startComputer("easy"),
		chromedp.Click(column(0), chromedp.ByQuery),
		waitFor(`document.querySelectorAll(".cell.red").length === 2`),
		waitStatus("Your turn"),
		waitFor(`location.search === "?game=in-browser"`),
	)
	var before string
	run(t, ctx, chromedp.Evaluate(checkers, &before))

	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	startIn(t, dir, u.Host) // the page can load again
	run(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(`.board`, chromedp.ByQuery),
		waitFor(`document.querySelectorAll(".cell.red").length === 2`),
		waitStatus("Your turn"),
	)
	var after string
	run(t, ctx, chromedp.Evaluate(checkers, &after))
	if after != before {
		t.Errorf("the board after the reload:\n%s\nbefore:\n%s", after, before)
	}
	if role := roleLine(t, ctx); !strings.Contains(role, "in your browser") {
		t.Errorf("role line %q after the reload: want the game played in the browser", role)
	}
	// It plays on, alone.
	run(t, ctx,
		chromedp.Click(column(0), chromedp.ByQuery),
		waitFor(`document.querySelectorAll(".cell.red").length === 3`),
		waitStatus("Your turn"),
	)
}
