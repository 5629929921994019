package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A game against the computer, in the browser, from the start screen to its
// end: the human clicks the leftmost column that has room whenever it is their
// turn, and the computer answers each move over the same events as a human.
func TestComputerInBrowser(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	run(t, ctx, chromedp.Navigate(srv.URL), startComputer("medium"))
	if role := roleLine(t, ctx); !strings.Contains(role, "yellow") || !strings.Contains(role, "medium") {
		t.Errorf("role line %q", role)
	}
	playComputer(t, ctx, "yellow")
}

// startComputer starts a game against the computer at level from the start
// screen, the player yellow, and waits for the computer's opening move and
// the player's turn.
func startComputer(level string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Click(`button.computer`, chromedp.ByQuery),
		chromedp.Click(`input[name=level][value=`+level+`]`, chromedp.ByQuery),
		chromedp.Click(`input[name=colour][value=yellow]`, chromedp.ByQuery),
		chromedp.Click(`button.start-computer`, chromedp.ByQuery),
		// The computer opens, as red.
		waitFor(`document.querySelectorAll(".cell.red").length === 1`),
		waitStatus("Your turn"),
	}
}

// roleLine returns the page's role line in lower case (the page styles it
// in capitals).
func roleLine(t *testing.T, ctx context.Context) string {
	t.Helper()
	var role string
	run(t, ctx, chromedp.Text(`.role`, &role, chromedp.ByQuery))
	return strings.ToLower(role)
}

// playComputer plays the game against the computer in the tab to its end,
// as the player of colour: it clicks the leftmost column that has room
// whenever it is the player's turn.
func playComputer(t *testing.T, ctx context.Context, colour string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var status string
		run(t, ctx, chromedp.Text(`.status`, &status, chromedp.ByQuery))
		if strings.Contains(status, "win") || strings.Contains(status, "draw") {
			t.Logf("ended: %s, board %s", status, board(t, ctx))
			return
		}
		if status != "Your turn" {
			run(t, ctx, chromedp.Sleep(20*time.Millisecond))
			continue
		}
		var full []bool
		run(t, ctx, chromedp.Evaluate(`[...document.querySelectorAll(".board .column")].map(c => c.querySelectorAll(".cell.empty").length === 0)`, &full))
		c := 0
		for c < len(full) && full[c] {
			c++
		}
		mine := `document.querySelectorAll(".cell.` + colour + `").length`
		var before int
		run(t, ctx, chromedp.Evaluate(mine, &before))
		run(t, ctx, chromedp.Click(column(c), chromedp.ByQuery), waitFor(mine+" > "+strconv.Itoa(before)))
	}
	t.Fatal("the game against the computer did not end within a minute")
}
