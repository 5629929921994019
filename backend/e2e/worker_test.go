package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// workerCached is true once the page has prefetched the worker's files
// into the browser's cache.
const workerCached = `performance.getEntriesByType("resource").some(e => e.name.includes("/worker.wasm") && e.responseEnd > 0)`

// With the server gone, a game against the computer starts and is played to
// its end in the page alone: the page's Web Worker is the computer (perfect,
// red, so that it opens), the page the referee, and it says so.
func TestComputerInPageServerGone(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	run(t, ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(`button.computer`, chromedp.ByQuery),
		waitFor(workerCached),
	)
	srv.stop(t)
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
