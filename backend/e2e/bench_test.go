package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// benchReadyScript runs in every page before its own scripts. It watches the
// document and notes, in window.__c4ready, the first moment the page is ready
// for a click:
//
//   - "start": the start screen's button.play-here is visible, or
//   - "board": a .board.playable is visible (a page that opens on a board),
//
// visible meaning in the document, not inside a [hidden] element and laid out
// with a size. Times are performance.now(): milliseconds since the
// navigation began, by the page's own clock. After a click (which the
// benchmark makes on button.play-here), window.__c4board notes the time from
// the click to the first playable board.
const benchReadyScript = `(() => {
  const visible = (el) => el !== null && el.isConnected && el.closest("[hidden]") === null && el.getClientRects().length > 0;
  let clickedAt = 0;
  document.addEventListener("click", (ev) => { if (!clickedAt) clickedAt = ev.timeStamp; }, true);
  const check = () => {
    const board = visible(document.querySelector(".board.playable"));
    if (!window.__c4ready) {
      const what = board ? "board" : visible(document.querySelector("button.play-here")) ? "start" : "";
      if (what) window.__c4ready = {ms: performance.now(), what: what};
    }
    if (board && clickedAt && !window.__c4board) window.__c4board = {ms: performance.now() - clickedAt};
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
})();`

// benchPageTiming is what a load measured in the page.
type benchPageTiming struct {
	Ready struct {
		MS   float64 `json:"ms"`
		What string  `json:"what"`
	} `json:"ready"`
	Wasm struct {
		Encoded  float64 `json:"encoded"`  // bytes of the body as transferred
		Decoded  float64 `json:"decoded"`  // bytes once decompressed
		Duration float64 `json:"duration"` // ms from request to the last byte
	} `json:"wasm"`
	Board float64 `json:"board"` // ms from the click on Play here to a playable board; 0 if not measured
}

// BenchmarkPageReady loads the page in headless Chromium, each time in a new
// tab with the HTTP cache off (a first visit: the wasm is fetched and
// compiled every time; one first load, not counted, starts the browser's
// processes), and reports how long after the navigation began the
// page was ready for a click (see benchReadyScript), by the page's clock: the
// median, minimum and maximum over the loads. On the start screen it then
// clicks "Play here" and reports the time to a playable board. It also reports
// the bytes of app.wasm as transferred, and logs its Content-Encoding.
//
//	CONNECT4_BIN=bin/connect4 go test -run='^$' -bench=PageReady -benchtime=10x ./backend/e2e
func BenchmarkPageReady(b *testing.B) {
	url := benchServer(b)
	browser := benchBrowser(b)
	var ready, boards []float64
	var wasmBytes, wasmDecoded float64
	encodings := map[string]int{}
	whats := map[string]int{}
	var fetch []float64
	// A first load, not counted, starts the browser's processes: a visitor's
	// browser is running already.
	if _, _, err := benchLoad(browser, url); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		t, encoding, err := benchLoad(browser, url)
		if err != nil {
			b.Fatal(err)
		}
		ready = append(ready, t.Ready.MS)
		if t.Board > 0 {
			boards = append(boards, t.Board)
		}
		wasmBytes, wasmDecoded = t.Wasm.Encoded, t.Wasm.Decoded
		fetch = append(fetch, t.Wasm.Duration)
		encodings[encoding]++
		whats[t.Ready.What]++
	}
	b.ReportMetric(0, "ns/op") // the wall time per load includes opening the tab
	b.ReportMetric(median(ready), "ready-ms-median")
	b.ReportMetric(slices.Min(ready), "ready-ms-min")
	b.ReportMetric(slices.Max(ready), "ready-ms-max")
	if len(boards) > 0 {
		b.ReportMetric(median(boards), "click-to-board-ms-median")
	}
	b.ReportMetric(wasmBytes, "wasm-transferred-bytes")
	b.Logf("%d loads: ready on %v; app.wasm Content-Encoding %v, %.0f bytes transferred, %.0f decoded, fetched in a median %.1f ms; ready ms %v; click to board ms %v",
		len(ready), whats, encodings, wasmBytes, wasmDecoded, median(fetch), rounded(ready), rounded(boards))
}

// benchLoad loads url in a new tab of browser and returns what the page
// measured, and the Content-Encoding of app.wasm (whose URL may carry a
// version query).
func benchLoad(browser context.Context, url string) (benchPageTiming, string, error) {
	var t benchPageTiming
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tab, 30*time.Second)
	defer cancelTimeout()
	encoding := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if r, ok := ev.(*network.EventResponseReceived); ok && strings.Contains(r.Response.URL, "/app.wasm") {
			e, _ := r.Response.Headers["Content-Encoding"].(string)
			select {
			case encoding <- e:
			default:
			}
		}
	})
	poll := func(expr string, res any) chromedp.Action {
		return chromedp.Poll(expr, res, chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))
	}
	var raw json.RawMessage
	err := chromedp.Run(ctx,
		network.Enable(),
		network.SetCacheDisabled(true),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(benchReadyScript).Do(ctx)
			return err
		}),
		chromedp.Navigate(url),
		poll(`window.__c4ready`, nil),
	)
	if err != nil {
		return t, "", fmt.Errorf("loading the page: %w", err)
	}
	var what string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.__c4ready.what`, &what)); err != nil {
		return t, "", err
	}
	if what == "start" {
		err = chromedp.Run(ctx, chromedp.Click(`button.play-here`, chromedp.ByQuery), poll(`window.__c4board`, nil))
		if err != nil {
			return t, "", fmt.Errorf("clicking Play here: %w", err)
		}
	}
	err = chromedp.Run(ctx, chromedp.Evaluate(`(() => {
	  const w = performance.getEntriesByType("resource").find((e) => new URL(e.name).pathname.endsWith("/app.wasm"));
	  return JSON.stringify({
	    ready: window.__c4ready,
	    board: window.__c4board ? window.__c4board.ms : 0,
	    wasm: w ? {encoded: w.encodedBodySize, decoded: w.decodedBodySize, duration: w.duration} : {},
	  });
	})()`, &raw))
	if err != nil {
		return t, "", err
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return t, "", err
	}
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return t, "", err
	}
	select {
	case e := <-encoding:
		if e == "" {
			e = "identity"
		}
		return t, e, nil
	default:
		return t, "unseen", nil
	}
}

// benchServer runs the server binary on a free loopback port for the length
// of the benchmark and returns the page's URL.
func benchServer(tb testing.TB) string {
	tb.Helper()
	cmd := exec.Command(binary, "-addr", "127.0.0.1:0", "-log-format", "json", "-log-level", "info")
	cmd.Dir = tb.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving Connect Four" {
				select {
				case listening <- line.URL:
				default:
				}
			}
		}
		cmd.Wait()
		close(done)
	}()
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	select {
	case url := <-listening:
		return url
	case <-done:
		tb.Fatal("the server exited before listening")
	case <-time.After(10 * time.Second):
		tb.Fatal("the server did not listen within 10 s")
	}
	return ""
}

// benchBrowser starts a headless Chromium of its own, kept from the network,
// for the length of the benchmark.
func benchBrowser(tb testing.TB) context.Context {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1000, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Run(ctx); err != nil {
		tb.Fatalf("starting Chromium (make test installs it): %v", err)
	}
	return ctx
}

// median returns the median of xs, which must not be empty.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// rounded returns xs rounded to tenths, for the log.
func rounded(xs []float64) []float64 {
	r := make([]float64, len(xs))
	for i, x := range xs {
		r[i] = float64(int(x*10+0.5)) / 10
	}
	return r
}
