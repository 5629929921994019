package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/connect4go/connect4/backend/internal/redistest"
)

// Two browsers play through two instances sharing Redis, the joiner opening
// the join link on the other instance; mid-game the joiner's instance is
// restarted, as in a deploy, and the page reconnects and resumes by itself.
func TestBrowsersAcrossInstances(t *testing.T) {
	rds := redistest.Start(t)
	a, b := startServer(t, "-redis", rds.URL()), startServer(t, "-redis", rds.URL())
	red, yellow := newTab(t), newTab(t)

	joinURL := invite(t, red, a.URL)
	// The same link, through the other instance.
	link, err := url.Parse(joinURL)
	if err != nil {
		t.Fatal(err)
	}
	bURL, _ := url.Parse(b.URL)
	link.Host = bURL.Host
	run(t, yellow, chromedp.Navigate(link.String()))

	clickColumn(t, red, 0)
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)

	// A deploy: b stops gracefully and its replacement listens where it did.
	b.stop(t)
	startServer(t, "-redis", rds.URL(), "-addr", bURL.Host)
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)
	clickColumn(t, yellow, 1)
	clickColumn(t, red, 0)

	want := "RRRR..|YYY...|......|......|......|......|......"
	for name, ctx := range map[string]context.Context{"red": red, "yellow": yellow} {
		run(t, ctx, waitFor(`document.querySelectorAll(".cell.win").length === 4`))
		if got := board(t, ctx); got != want {
			t.Errorf("%s's board: %s, want %s", name, got, want)
		}
		var status string
		run(t, ctx, chromedp.Text(`.status`, &status, chromedp.ByQuery))
		if wantStatus := map[string]string{"red": "You win!", "yellow": "Red wins!"}[name]; !strings.Contains(status, wantStatus) {
			t.Errorf("%s's status: %q, want %q", name, status, wantStatus)
		}
	}
}
