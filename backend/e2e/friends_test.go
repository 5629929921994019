package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// board reads the page's board as one string, column by column from the left,
// each from the bottom up: R, Y or . per cell.
func board(t *testing.T, ctx context.Context) string {
	t.Helper()
	var cells string
	run(t, ctx, chromedp.Evaluate(`[...document.querySelectorAll(".board .column")].map(col =>
		[...col.querySelectorAll(".cell")].map(c => c.classList.contains("red") ? "R" : c.classList.contains("yellow") ? "Y" : ".").join("")).join("|")`, &cells))
	return cells
}

// clickColumn waits until the page lets its player move, then clicks column c
// and waits until the page shows the checker count grow.
func clickColumn(t *testing.T, ctx context.Context, c int) {
	t.Helper()
	before := strings.Count(board(t, ctx), "R") + strings.Count(board(t, ctx), "Y")
	run(t, ctx,
		chromedp.WaitVisible(`.board.playable`, chromedp.ByQuery),
		chromedp.Click(column(c), chromedp.ByQuery),
		waitFor(`document.querySelectorAll(".cell.red, .cell.yellow").length > `+strconv.Itoa(before)),
	)
}

// invite opens the page at pageURL in the tab, starts a game for a friend and
// returns its join link.
func invite(t *testing.T, tab context.Context, pageURL string) string {
	t.Helper()
	var joinURL string
	run(t, tab,
		chromedp.Navigate(pageURL),
		chromedp.Click(`button.invite`, chromedp.ByQuery),
		waitFor(`(document.querySelector("input.join-link")?.value ?? "").includes("?join=")`),
		chromedp.Value(`input.join-link`, &joinURL, chromedp.ByQuery),
	)
	return joinURL
}

// Two browsers play a whole game through the join link while a third watches;
// one player reloads mid-game and carries on in the same seat; all three end
// with the same board.
func TestFriendsInBrowsers(t *testing.T) {
	srv := startServer(t)
	red, yellow, watcher := newTab(t), newTab(t), newTab(t)

	var joinURL, watchHref string
	run(t, red,
		chromedp.Navigate(srv.URL),
		chromedp.Click(`button.invite`, chromedp.ByQuery),
		waitFor(`(document.querySelector("input.join-link")?.value ?? "").includes("?join=")`),
		chromedp.Value(`input.join-link`, &joinURL, chromedp.ByQuery),
		chromedp.AttributeValue(`a.watch-link`, "href", &watchHref, nil, chromedp.ByQuery),
	)
	if !strings.HasPrefix(joinURL, srv.URL) || !strings.Contains(watchHref, "watch=") {
		t.Fatalf("join link %q, watch link %q", joinURL, watchHref)
	}
	watchURL := srv.URL + "?" + watchHref[strings.Index(watchHref, "watch="):]
	run(t, yellow, chromedp.Navigate(joinURL))
	run(t, watcher, chromedp.Navigate(watchURL), chromedp.WaitVisible(`.board`, chromedp.ByQuery))

	// Red plays the left column, yellow the next one; yellow reloads midway.
	clickColumn(t, red, 0)
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)
	run(t, yellow, chromedp.Reload())
	run(t, yellow, waitFor(`document.querySelectorAll(".cell.red, .cell.yellow").length === 3`))
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)

	want := "RRRR..|YYY...|......|......|......|......|......"
	for name, ctx := range map[string]context.Context{"red": red, "yellow": yellow, "watcher": watcher} {
		run(t, ctx, waitFor(`document.querySelectorAll(".cell.win").length === 4`))
		if got := board(t, ctx); got != want {
			t.Errorf("%s's board: %s, want %s", name, got, want)
		}
		var status string
		run(t, ctx, chromedp.Text(`.status`, &status, chromedp.ByQuery))
		wantStatus := "Red wins!"
		if name == "red" {
			wantStatus = "You win!"
		}
		if !strings.Contains(status, wantStatus) {
			t.Errorf("%s's status: %q, want %q", name, status, wantStatus)
		}
	}
	var playable bool
	run(t, watcher, chromedp.Evaluate(`document.querySelector(".board.playable") !== null`, &playable))
	if playable {
		t.Error("the spectator's board takes clicks")
	}
}

// A player who closes the tab and opens the join link again in the same
// browser, from a chat or the history, takes the seat back and plays on.
func TestClosedTabTakesTheSeatBack(t *testing.T) {
	srv := startServer(t)
	red := newTab(t)
	joinURL := invite(t, red, srv.URL)
	yellow, closeYellow := closableTab(t)
	run(t, yellow, chromedp.Navigate(joinURL))
	clickColumn(t, red, 0)
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)
	closeYellow()
	// Red is told that yellow is away.
	run(t, red, waitFor(`(document.querySelector(".presence")?.textContent ?? "").includes("Waiting for yellow to reconnect")`))

	again := newTab(t)
	run(t, again, chromedp.Navigate(joinURL),
		waitFor(`document.querySelectorAll(".cell.red, .cell.yellow").length === 3`))
	var role string
	run(t, again, chromedp.Text(`.role`, &role, chromedp.ByQuery))
	if !strings.Contains(strings.ToLower(role), "you are yellow") {
		t.Errorf("the reopened join link shows the role %q, want yellow's", role)
	}
	clickColumn(t, again, 1)
	run(t, red, waitFor(`document.querySelectorAll(".cell.red, .cell.yellow").length === 4`))
	if got, want := board(t, red), "RR....|YY....|......|......|......|......|......"; got != want {
		t.Errorf("red's board: %s, want %s", got, want)
	}
}
