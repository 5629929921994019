package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// seek opens the page in tab and asks to play someone.
func seek(t *testing.T, tab context.Context, pageURL string) {
	t.Helper()
	run(t, tab, chromedp.Navigate(pageURL), chromedp.Click(`button.quick`, chromedp.ByQuery))
}

// Two pages that ask to play someone are paired and play to a win; a third
// page's start screen lists their game, and its link watches it.
func TestQuickMatchInBrowsers(t *testing.T) {
	srv := startServer(t)
	a, b, lobby := newTab(t), newTab(t), newTab(t)
	seek(t, a, srv.URL)
	run(t, a, waitStatus("Looking for an opponent…"), chromedp.WaitVisible(`.seeking-panel`, chromedp.ByQuery))
	seek(t, b, srv.URL)
	var roleA, roleB string
	for _, tab := range []context.Context{a, b} {
		run(t, tab, waitFor(`/^You are (red|yellow)$/.test(document.querySelector(".role")?.textContent ?? "")`))
	}
	run(t, a, chromedp.Evaluate(`document.querySelector(".role").textContent`, &roleA))
	run(t, b, chromedp.Evaluate(`document.querySelector(".role").textContent`, &roleB))
	if roleA == roleB {
		t.Fatalf("both pages are %q", roleA)
	}
	red, yellow := a, b
	if roleB == "You are red" {
		red, yellow = b, a
	}
	// Each sees the other at the table.
	for _, tab := range []context.Context{red, yellow} {
		run(t, tab, waitFor(`document.querySelector(".presence").hidden`))
	}
	for range 3 {
		clickColumn(t, red, 3)
		clickColumn(t, yellow, 4)
	}

	// The game is listed on another page's start screen, computed anew
	// once the lobby's 2 s have passed.
	time.Sleep(2100 * time.Millisecond)
	var href string
	run(t, lobby,
		chromedp.Navigate(srv.URL),
		waitFor(`document.querySelector(".lobby-games a")?.textContent === "A game, 6 moves in"`),
		chromedp.Evaluate(`document.querySelector(".lobby-games a").getAttribute("href")`, &href),
	)
	run(t, lobby,
		chromedp.Navigate(srv.URL+href),
		waitFor(`document.querySelector(".role")?.textContent === "You are watching"`),
	)

	clickColumn(t, red, 3)
	run(t, red, waitStatus("You win!"))
	run(t, yellow, waitStatus("Red wins!"))
	run(t, lobby, waitStatus("Red wins!"))
}

// A page alone in the queue is offered the computer after -quick-wait, and
// plays it.
func TestQuickMatchOfferInBrowser(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "-quick-wait", "1s")
	tab := newTab(t)
	seek(t, tab, srv.URL)
	run(t, tab,
		waitFor(`/^Waiting 0:0\d$/.test(document.querySelector(".seeking-for")?.textContent ?? "")`),
		chromedp.WaitVisible(`button.computer-instead`, chromedp.ByQuery),
		chromedp.Click(`button.computer-instead`, chromedp.ByQuery),
		waitFor(`(document.querySelector(".role")?.textContent ?? "").includes("against the computer")`),
		waitStatus("Your turn"),
	)
}

// A page plays a timed game against a script that never moves: the page
// shows both clocks, the script's running, until the server says it ran out.
func TestClockRunsOutInBrowser(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	red := dial(t, srv)
	red.send(`{"type":"init","clock":"0.1+0","version":3}`)
	if e := red.until("init"); e["clock"] != "0.1+0" {
		t.Fatalf("init: %v", e)
	}
	tab := newTab(t)
	run(t, tab,
		chromedp.Navigate(srv.URL+"?join="+red.join),
		waitFor(`document.querySelector(".clock.red")?.classList.contains("running")`),
		waitFor(`document.querySelector(".clock.yellow")?.textContent === "Yellow 0:06"`),
		waitFor(`/^Red 0:0[0-5]$/.test(document.querySelector(".clock.red")?.textContent ?? "")`),
		waitStatus("Red ran out of time: you win!"),
	)
	if e := red.until("timeout"); e["player"] != "red" {
		t.Errorf("the script was told %v", e)
	}
}
