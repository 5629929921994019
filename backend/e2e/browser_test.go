package e2e

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// One headless Chromium serves every test, each in a tab of its own.
var (
	browserOnce   sync.Once
	browserCtx    context.Context
	closeBrowser  = func() {}
	browserFailed error
)

// newTab opens a tab, closed at the end of the test.
func newTab(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			// The network here is closed: keep Chromium from reaching out.
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-quic", true),
			chromedp.WindowSize(1000, 900),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(allocCtx)
		closeBrowser = func() { cancelBrowser(); cancelAlloc() }
		browserCtx = ctx
		browserFailed = chromedp.Run(ctx) // starts the browser
	})
	if browserFailed != nil {
		t.Fatalf("starting Chromium (make test installs it): %v", browserFailed)
	}
	ctx, _ := closableTab(t)
	return ctx
}

// closableTab opens a tab, and returns it with a function that closes it,
// as a person closes a tab; it is closed at the end of the test anyway.
func closableTab(t *testing.T) (context.Context, func()) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx, cancel
}

// run runs browser actions and fails the test on the first error.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until the JavaScript expression is true. It polls on a timer:
// the default, on animation frames, stalls in a tab that is not in front.
func waitFor(expression string) chromedp.Action {
	return chromedp.Poll(expression, nil,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))
}

// waitStatus waits until the status line reads text.
func waitStatus(text string) chromedp.Action {
	return waitFor(`document.querySelector(".status")?.textContent === ` + strconv.Quote(text))
}

// column selects a column of the board.
func column(c int) string { return fmt.Sprintf(`.board .column[data-column="%d"]`, c) }

// cell selects a cell of the board with the given class.
func cell(c, r int, class string) string {
	return fmt.Sprintf(`%s .cell[data-row="%d"].%s`, column(c), r, class)
}

// play waits until the board takes clicks, clicks column c and waits for the
// checker of player to land in row r.
func play(c, r int, player string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(`.board.playable`, chromedp.ByQuery),
		chromedp.Click(column(c), chromedp.ByQuery),
		chromedp.WaitVisible(cell(c, r, player), chromedp.ByQuery),
	}
}

// Two people share one browser and play until red wins.
func TestHotSeatInBrowser(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	run(t, ctx, chromedp.Navigate(srv.URL), chromedp.Click(`button.play-here`, chromedp.ByQuery), waitStatus("Red to play"))
	for i, c := range []int{0, 1, 0, 1, 0, 1} {
		player := []string{"red", "yellow"}[i%2]
		run(t, ctx, play(c, i/2, player))
	}
	run(t, ctx, waitStatus("Red to play"), play(0, 3, "red"), waitStatus("Red wins!"))

	var wins []string
	run(t, ctx, chromedp.Evaluate(`[...document.querySelectorAll(".cell.win")].map(c => c.closest(".column").dataset.column + ":" + c.dataset.row + ":" + c.classList.contains("red"))`, &wins))
	want := []string{"0:0:true", "0:1:true", "0:2:true", "0:3:true"}
	if fmt.Sprint(wins) != fmt.Sprint(want) {
		t.Errorf("highlighted cells (column:row:red) = %v, want %v", wins, want)
	}
	// The game is over: a click changes nothing.
	run(t, ctx, chromedp.Click(column(5), chromedp.ByQuery), chromedp.Sleep(200*time.Millisecond))
	var empty bool
	run(t, ctx, chromedp.Evaluate(`document.querySelector(`+strconv.Quote(cell(5, 0, "empty"))+`) !== null`, &empty))
	if !empty {
		t.Error("a click after the win placed a checker")
	}

	// New game starts over on a fresh board.
	run(t, ctx, chromedp.Click(`button.new-game`, chromedp.ByQuery), waitStatus("Red to play"), play(5, 0, "red"))
	var checkers int
	run(t, ctx, chromedp.Evaluate(`document.querySelectorAll(".cell.red, .cell.yellow").length`, &checkers))
	if checkers != 1 {
		t.Errorf("%d checkers after a new game and one move, want 1", checkers)
	}
}

// Moves are taken back on a shared screen, and against the computer with its
// reply.
func TestTakeBackInBrowser(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := newTab(t)
	checkers := `document.querySelectorAll(".cell.red, .cell.yellow").length`
	run(t, ctx, chromedp.Navigate(srv.URL), chromedp.Click(`button.play-here`, chromedp.ByQuery), waitStatus("Red to play"),
		play(3, 0, "red"), play(4, 0, "yellow"),
		chromedp.Click(`button.take-back`, chromedp.ByQuery),
		waitFor(checkers+` === 1`), waitStatus("Yellow to play"),
	)
	run(t, ctx, chromedp.Navigate(srv.URL), chromedp.Click(`button.computer`, chromedp.ByQuery),
		chromedp.Click(`input[name="level"][value="easy"]`, chromedp.ByQuery),
		chromedp.Click(`button.start-computer`, chromedp.ByQuery), waitStatus("Your turn"),
		play(0, 0, "red"), waitFor(checkers+` === 2`), waitStatus("Your turn"),
		chromedp.Click(`button.take-back`, chromedp.ByQuery),
		waitFor(checkers+` === 0`), waitStatus("Your turn"),
	)
}
