package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeVersion is the version of axe-core that a test installs for itself when
// CONNECT4_AXE is not set: the one the Makefile pins.
const axeVersion = "4.14.1"

// The source of axe-core, read once.
var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axe returns the source of axe-core: the axe.min.js that CONNECT4_AXE
// names (make test installs it), or else one installed with npm into a
// temporary directory, as TestMain builds the server when CONNECT4_BIN is
// not set.
func axe(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		path := os.Getenv("CONNECT4_AXE")
		if path == "" {
			dir, err := os.MkdirTemp("", "connect4-axe")
			if err != nil {
				axeErr = err
				return
			}
			defer os.RemoveAll(dir)
			npm := exec.Command("npm", "install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", "axe-core@"+axeVersion)
			if out, err := npm.CombinedOutput(); err != nil {
				axeErr = fmt.Errorf("installing axe-core with npm: %v\n%s", err, out)
				return
			}
			path = filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
		}
		data, err := os.ReadFile(path)
		if err != nil {
			axeErr = fmt.Errorf("reading axe-core (CONNECT4_AXE, which make test installs): %w", err)
			return
		}
		axeSource = string(data)
	})
	if axeErr != nil {
		t.Fatal(axeErr)
	}
	return axeSource
}

// violation is one rule that axe-core finds broken, with where.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAxe runs axe-core in the tab's page and fails the test for each
// serious or critical violation. It evaluates axe through the DevTools
// protocol, which the page's Content-Security-Policy does not govern: no
// script tag is added to the page.
func checkAxe(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	var ok bool
	run(t, ctx, chromedp.Evaluate(axe(t)+"\n;typeof axe === 'object'", &ok))
	if !ok {
		t.Fatalf("%s: axe-core did not load", where)
	}
	var found []violation
	run(t, ctx, chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))`,
		&found, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: axe-core: %s (%s): %s, at %v", where, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// darkScheme makes the tab prefer a dark colour scheme, or not.
func darkScheme(dark bool) chromedp.Action {
	value := "light"
	if dark {
		value = "dark"
	}
	return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: value}})
}

// announced returns the text of the live region's latest announcement.
const announced = `(document.querySelector(".announcer")?.lastElementChild?.textContent ?? "")`

// waitAnnounced waits until the live region's latest announcement is text.
func waitAnnounced(text string) chromedp.Action {
	return waitFor(announced + ` === ` + strconv.Quote(text))
}

// axe-core finds no serious or critical violation on the start screen, a game
// in progress (with its scores shown), a finished game, its review, an
// analysis board, the invitation and the question before leaving, in the
// light and the dark scheme.
func TestAccessibilityChecks(t *testing.T) {
	srv := startServer(t)
	for _, dark := range []bool{false, true} {
		scheme := map[bool]string{false: "light", true: "dark"}[dark]
		t.Run(scheme, func(t *testing.T) {
			ctx := newTab(t)
			run(t, ctx, darkScheme(dark), chromedp.Navigate(srv.URL), chromedp.WaitVisible(`button.play-here`, chromedp.ByQuery))
			checkAxe(t, ctx, "start screen")
			run(t, ctx, chromedp.Click(`button.computer`, chromedp.ByQuery), chromedp.WaitVisible(`.chooser`, chromedp.ByQuery))
			checkAxe(t, ctx, "the chooser of a game against the computer")

			run(t, ctx, chromedp.Click(`button.play-here`, chromedp.ByQuery), waitStatus("Red to play"))
			for i, c := range []int{0, 1, 0, 1, 0, 1} {
				run(t, ctx, play(c, i/2, []string{"red", "yellow"}[i%2]))
			}
			checkAxe(t, ctx, "a game in progress")
			run(t, ctx, chromedp.Click(`button.scores-toggle`, chromedp.ByQuery), chromedp.WaitVisible(`.live-scores`, chromedp.ByQuery))
			checkAxe(t, ctx, "the scores of a game")
			run(t, ctx, chromedp.Click(`button.home`, chromedp.ByQuery), waitFor(`document.querySelector("dialog.confirm").open`))
			checkAxe(t, ctx, "the question before leaving")
			run(t, ctx, chromedp.Click(`button.confirm-no`, chromedp.ByQuery), waitFor(`!document.querySelector("dialog.confirm").open`))
			run(t, ctx, play(0, 3, "red"), waitStatus("Red wins!"))
			checkAxe(t, ctx, "a finished game")
			run(t, ctx, chromedp.Click(`button.review-open`, chromedp.ByQuery), chromedp.WaitVisible(`.study`, chromedp.ByQuery))
			checkAxe(t, ctx, "the review of a game")
			run(t, ctx, chromedp.Navigate(srv.URL+"?pos=4453"), chromedp.WaitVisible(`.study-board`, chromedp.ByQuery))
			checkAxe(t, ctx, "an analysis board")

			tab := newTab(t)
			run(t, tab, darkScheme(dark))
			invite(t, tab, srv.URL)
			checkAxe(t, tab, "the invitation")
		})
	}
}

// A game played with the keyboard alone, from the start screen to a win:
// Tab and Enter start it, the focus lands on the board, the arrows and the
// digits choose columns, Enter and Space drop checkers. The live region
// tells every move and the result, and the columns' names follow.
func TestKeyboardOnlyGame(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	focused := `(document.activeElement?.dataset?.column ?? document.activeElement?.className ?? "")`
	run(t, ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(`button.play-here`, chromedp.ByQuery))
	// Tab to "Play here", through what comes before it.
	for i := 0; ; i++ {
		var at string
		run(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(focused, &at))
		if at == "choice play-here" {
			break
		}
		if i == 10 {
			t.Fatalf("ten presses of Tab never reached Play here (at %q)", at)
		}
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter),
		waitStatus("Red to play"),
		// The game started: the focus is on the board's middle column.
		waitFor(focused+` === "3"`),
		waitAnnounced("New game. Red to play"))
	var stops int
	run(t, ctx, chromedp.Evaluate(`document.querySelectorAll('.board [tabindex="0"]').length`, &stops))
	if stops != 1 {
		t.Errorf("the board has %d Tab stops, want 1", stops)
	}
	label := func(c int) string {
		var s string
		run(t, ctx, chromedp.AttributeValue(column(c), "aria-label", &s, nil, chromedp.ByQuery))
		return s
	}
	steps := []struct {
		keys     []string
		c, r     int
		player   string
		announce string
	}{
		{[]string{"1"}, 0, 0, "red", "Red played column 1, row 1. Yellow to play"},
		{[]string{kb.ArrowRight, kb.Enter}, 1, 0, "yellow", "Yellow played column 2, row 1. Red to play"},
		{[]string{kb.ArrowLeft, " "}, 0, 1, "red", "Red played column 1, row 2. Yellow to play"},
		{[]string{"2"}, 1, 1, "yellow", "Yellow played column 2, row 2. Red to play"},
		{[]string{kb.Home, kb.Enter}, 0, 2, "red", "Red played column 1, row 3. Yellow to play"},
		{[]string{kb.End, kb.ArrowLeft, kb.ArrowLeft, kb.ArrowLeft, kb.ArrowLeft, kb.ArrowLeft, kb.Enter}, 1, 2, "yellow", "Yellow played column 2, row 3. Red to play"},
		{[]string{"1"}, 0, 3, "red", "Red played column 1, row 4. Red wins!"},
	}
	for _, step := range steps {
		run(t, ctx, chromedp.WaitVisible(`.board.playable`, chromedp.ByQuery))
		for _, k := range step.keys {
			run(t, ctx, chromedp.KeyEvent(k))
		}
		run(t, ctx, chromedp.WaitVisible(cell(step.c, step.r, step.player), chromedp.ByQuery))
		run(t, ctx, waitFor(`[...document.querySelectorAll(".announcer > p")].some(p => p.textContent === `+strconv.Quote(step.announce)+`)`))
	}
	run(t, ctx, waitStatus("Red wins!"), waitAnnounced("Winning four: column 1, rows 1 to 4."))
	if got, want := label(0), "Column 1: red (winning), red (winning), red (winning), red (winning); 2 free"; got != want {
		t.Errorf("column 1 is named %q, want %q", got, want)
	}
	if got, want := label(1), "Column 2: yellow, yellow, yellow; 3 free"; got != want {
		t.Errorf("column 2 is named %q, want %q", got, want)
	}
	if got, want := label(6), "Column 7: empty"; got != want {
		t.Errorf("column 7 is named %q, want %q", got, want)
	}
}

// A full column is not offered, and refusing it is said beside the turn
// line, not in its place.
func TestFullColumnNotOffered(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	run(t, ctx, chromedp.Navigate(srv.URL), chromedp.Click(`button.play-here`, chromedp.ByQuery), waitStatus("Red to play"))
	for r := range 6 {
		run(t, ctx, play(3, r, []string{"red", "yellow"}[r%2]))
	}
	var disabled string
	run(t, ctx, chromedp.AttributeValue(column(3), "aria-disabled", &disabled, nil, chromedp.ByQuery))
	if disabled != "true" {
		t.Errorf("the full column has aria-disabled %q", disabled)
	}
	run(t, ctx,
		chromedp.Click(column(3), chromedp.ByQuery),
		waitFor(`document.querySelector(".notice")?.textContent === "Column 4 is full: choose another."`),
		waitStatus("Red to play"),
		waitAnnounced("Column 4 is full: choose another."),
	)
}

// With the server stopped, the page says it is offline: the board is dimmed
// and says so, the status line no longer says whose turn it is, a click says
// it was not sent, and the banner covers nothing. With the server back, the
// page takes its seat back and says what happened meanwhile.
func TestOfflineInBrowser(t *testing.T) {
	dir := t.TempDir()
	srv := startIn(t, dir, "127.0.0.1:0")
	ctx := newTab(t)
	run(t, ctx, chromedp.Navigate(srv.URL), chromedp.Click(`button.play-here`, chromedp.ByQuery), waitStatus("Red to play"),
		play(2, 0, "red"), play(3, 0, "yellow"))
	srv.stop(t)
	run(t, ctx,
		chromedp.WaitVisible(`.board.offline`, chromedp.ByQuery),
		waitStatus("Offline: reconnecting"),
		chromedp.WaitVisible(`.offline-note`, chromedp.ByQuery),
		waitFor(`[...document.querySelectorAll(".announcer > p")].some(p => p.textContent === "Offline: reconnecting.")`),
		chromedp.WaitVisible(`.connection`, chromedp.ByQuery),
	)
	var note string
	run(t, ctx, chromedp.Text(`.offline-note`, &note, chromedp.ByQuery))
	if note != "Offline: reconnecting" {
		t.Errorf("the board says %q", note)
	}
	// The banner takes its own place: it covers neither the heading nor
	// the status line.
	var overlaps bool
	run(t, ctx, chromedp.Evaluate(`(() => {
		const b = document.querySelector(".connection").getBoundingClientRect();
		return ["h1", ".status", ".board"].some(s => {
			const r = document.querySelector(s).getBoundingClientRect();
			return b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom;
		});
	})()`, &overlaps))
	if overlaps {
		t.Error("the connection banner covers the heading, the status line or the board")
	}
	run(t, ctx,
		chromedp.Click(column(4), chromedp.ByQuery),
		waitFor(`document.querySelector(".notice")?.textContent === "Offline: your move was not sent."`),
	)

	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	startIn(t, dir, u.Host)
	run(t, ctx,
		chromedp.WaitVisible(`.board.playable`, chromedp.ByQuery),
		waitStatus("Red to play"),
		waitFor(`[...document.querySelectorAll(".announcer > p")].some(p => p.textContent === "Your connection dropped; you are back. No move meanwhile. Red to play")`),
	)
	if got := board(t, ctx); got != "......|......|R.....|Y.....|......|......|......" {
		t.Errorf("the board after coming back: %s", got)
	}
}

// The whole board is on screen at the sizes of a small phone, a phone, a
// phone held sideways and a laptop, with the invitation open; the
// invitation folds after the first move.
func TestBoardFitsTheScreen(t *testing.T) {
	srv := startServer(t)
	for _, size := range []struct{ w, h int64 }{{320, 640}, {390, 844}, {844, 390}, {1280, 800}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx := newTab(t)
			run(t, ctx, chromedp.EmulateViewport(size.w, size.h))
			invite(t, ctx, srv.URL)
			inView := func(when string) {
				t.Helper()
				var r struct{ Top, Left, Bottom, Right, Width, Height float64 }
				run(t, ctx, chromedp.Evaluate(`(() => {
					const b = document.querySelector(".board").getBoundingClientRect();
					return {top: b.top, left: b.left, bottom: b.bottom, right: b.right, width: innerWidth, height: innerHeight};
				})()`, &r))
				if r.Top < 0 || r.Left < 0 || r.Bottom > r.Height || r.Right > r.Width {
					var shot []byte
					run(t, ctx, chromedp.CaptureScreenshot(&shot))
					// Kept after the test, to look at.
					if f, err := os.CreateTemp("", "connect4-screen-*.png"); err == nil {
						f.Write(shot)
						f.Close()
						t.Logf("screenshot: %s", f.Name())
					}
					t.Errorf("%s: the board spans (%.0f, %.0f) to (%.0f, %.0f) on a %.0f×%.0f screen",
						when, r.Left, r.Top, r.Right, r.Bottom, r.Width, r.Height)
				}
			}
			var open bool
			run(t, ctx, chromedp.Evaluate(`document.querySelector(".invite-panel").open`, &open))
			if !open {
				t.Error("the invitation is folded before the first move")
			}
			inView("the invitation open")
			run(t, ctx, chromedp.Click(column(3), chromedp.ByQuery),
				chromedp.WaitVisible(cell(3, 0, "red"), chromedp.ByQuery),
				waitFor(`!document.querySelector(".invite-panel").open`))
			inView("after the first move")
		})
	}
}

// The page has a favicon, served under the page's policy, and the Share
// button shows only where the browser has a Share sheet.
func TestFaviconAndShare(t *testing.T) {
	srv := startServer(t)
	ctx := newTab(t)
	invite(t, ctx, srv.URL)
	var status int
	run(t, ctx, chromedp.Evaluate(`fetch(document.querySelector('link[rel="icon"]').href).then(r => r.ok && r.headers.get("content-type").startsWith("image/svg+xml") ? r.status : -r.status)`,
		&status, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if status != 200 {
		t.Errorf("the favicon's fetch: %d", status)
	}
	var shown, can bool
	run(t, ctx, chromedp.Evaluate(`!document.querySelector(".share-native").hidden`, &shown),
		chromedp.Evaluate(`typeof navigator.share === "function"`, &can))
	if shown != can {
		t.Errorf("Share button shown %v, navigator.share %v", shown, can)
	}
}

// Quick match meets the same bar: axe-core finds no serious or critical
// violation on the page waiting for an opponent (with the computer offered),
// nor on a start screen that lists games being played.
func TestQuickMatchAccessibility(t *testing.T) {
	srv := startServer(t, "-quick-wait", "1s")
	a, b, lobby := newTab(t), newTab(t), newTab(t)
	seek(t, a, srv.URL)
	run(t, a, chromedp.WaitVisible(`.seeking-panel`, chromedp.ByQuery), chromedp.WaitVisible(`button.computer-instead`, chromedp.ByQuery))
	checkAxe(t, a, "waiting for an opponent")
	seek(t, b, srv.URL)
	for _, tab := range []context.Context{a, b} {
		run(t, tab, waitFor(`/^You are (red|yellow)$/.test(document.querySelector(".role")?.textContent ?? "")`))
	}
	checkAxe(t, b, "a quick match in progress")
	// The lobby is computed anew once its 2 s have passed.
	time.Sleep(2100 * time.Millisecond)
	run(t, lobby, chromedp.Navigate(srv.URL), waitFor(`document.querySelector(".lobby-games a") !== null`))
	checkAxe(t, lobby, "a start screen listing games")
}

// Clocks meet the same bar: axe-core finds no serious or critical violation
// on a timed game, and the live region says how it ended.
func TestClocksAccessibility(t *testing.T) {
	srv := startServer(t)
	red := dial(t, srv)
	red.send(`{"type":"init","clock":"0.1+0","version":3}`)
	red.until("init")
	tab := newTab(t)
	run(t, tab,
		chromedp.Navigate(srv.URL+"?join="+red.join),
		waitFor(`document.querySelector(".clock.red")?.classList.contains("running")`),
	)
	checkAxe(t, tab, "a timed game")
	run(t, tab,
		waitStatus("Red ran out of time: you win!"),
		waitAnnounced("Red ran out of time: you win!"),
	)
}
