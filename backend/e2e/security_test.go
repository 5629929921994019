package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The page loads and plays under its own Content-Security-Policy, in
// Chromium, with no violation reported: its inline loader is allowed by its
// hash, the wasm by 'wasm-unsafe-eval', the socket by connect-src 'self'.
func TestPageUnderItsPolicy(t *testing.T) {
	srv := startServer(t)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval' 'sha256-", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q, want no-referrer", got)
	}

	ctx := newTab(t)
	run(t, ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(`window.violations = [];
				document.addEventListener("securitypolicyviolation", e => window.violations.push(e.violatedDirective + " " + e.blockedURI));`).Do(ctx)
			return err
		}),
		chromedp.Navigate(srv.URL),
		chromedp.Click(`button.play-here`, chromedp.ByQuery),
		waitStatus("Red to play"),
		play(3, 0, "red"),
		waitStatus("Yellow to play"),
	)
	var violations []string
	run(t, ctx, chromedp.Evaluate(`window.violations`, &violations))
	if len(violations) > 0 {
		t.Errorf("the page broke its policy: %v", violations)
	}
}

// A join link whose key is too long for a message is refused with 1009, a
// close the server would repeat: the page shows why and stops, where it once
// reconnected for ever.
func TestRepeatedRefusalPage(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := newTab(t)
	run(t, ctx,
		chromedp.Navigate(srv.URL+"?join="+strings.Repeat("k", 600)),
		waitFor(`document.body.textContent.includes("Message too big: the limit is 512 bytes.")`),
		chromedp.Sleep(3*time.Second), // several of its reconnect delays
	)
	opened := 0
	for _, l := range srv.logLines() {
		if l["msg"] == "connection opened" {
			opened++
		}
	}
	if opened != 1 {
		t.Errorf("the page opened %d game connections, want 1: it should give up", opened)
	}
}

// Request headers past 16 KiB get 431, and nothing else.
func TestHugeHeaders(t *testing.T) {
	srv := startServer(t)
	req, err := http.NewRequest("GET", srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Padding", strings.Repeat("x", 20<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("20 KiB of headers: %s, want 431", resp.Status)
	}
}
