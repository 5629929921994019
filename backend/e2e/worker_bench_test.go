package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/connect4go/connect4/shared/solver"
	"github.com/connect4go/connect4/shared/solver/book"
)

// workerClient is JavaScript that defines startWorker(): it starts the
// page's Web Worker as the page does (the files its connect4-worker tag
// names), waits for its word that it listens, and resolves to the time
// that took by the page's clock, ask(question), which resolves to the
// worker's answer (and rejects with its error), and terminate().
const workerClient = `async function startWorker() {
  const meta = document.querySelector('meta[name="connect4-worker"]');
  const url = meta.getAttribute("content") + "#wasm=" + encodeURIComponent(meta.dataset.wasm) + "&exec=" + encodeURIComponent(meta.dataset.exec);
  const begun = performance.now();
  const w = new Worker(url);
  const waiting = new Map();
  let next = 0, listening, failed;
  const ready = new Promise((resolve, reject) => { listening = resolve; failed = reject; });
  w.onerror = () => failed(new Error("the worker did not load"));
  w.onmessage = (e) => {
    const d = e.data;
    if (d.type === "ready") return listening(performance.now());
    if (d.type === "error") return failed(new Error(d.error));
    const answer = waiting.get(d.id);
    waiting.delete(d.id);
    answer(d);
  };
  const ask = (q) => new Promise((resolve, reject) => {
    q.id = ++next;
    waiting.set(q.id, (d) => d.error ? reject(new Error(q.moves + ": " + d.error)) : resolve(d));
    w.postMessage(q);
  });
  const start = (await ready) - begun;
  return {start, ask, terminate: () => w.terminate()};
}
`

// benchWorkerScript asks the page's workers, as the page does (one for
// analyses, one for the computer's moves), the questions of %s (the
// positions to analyse, by set) and %s (the positions for the perfect
// level's move), one at a time, and returns the times by the page's clock:
// from new Worker to its word that it listens (download, compile, start),
// each analysis, each move; then the memory that each worker's Go runtime
// holds and what the page fetched of worker.wasm.
const benchWorkerScript = workerClient + `(async (analyses, thinks) => {
  const analyser = await startWorker();
  const mover = await startWorker();
  const timed = async (w, q) => { const t = performance.now(); await w.ask(q); return performance.now() - t; };
  const analyse = {};
  for (const [set, list] of Object.entries(analyses)) {
    analyse[set] = [];
    for (const moves of list) analyse[set].push(await timed(analyser, {kind: "analyze", moves}));
  }
  const think = [];
  for (const moves of thinks) think.push(await timed(mover, {kind: "think", moves, level: "perfect"}));
  const memory = [(await analyser.ask({kind: "memory"})).bytes, (await mover.ask({kind: "memory"})).bytes];
  analyser.terminate();
  mover.terminate();
  const f = performance.getEntriesByType("resource").find((e) => new URL(e.name).pathname.endsWith("/worker.wasm"));
  return JSON.stringify({start: analyser.start, analyse, think, memory, wasm: f ? f.encodedBodySize : 0});
})(%s, %s)`

// benchPositions returns n positions with 12 stones or more of Pascal Pons'
// benchmark set, evenly spaced, skip lines after the first.
func benchPositions(tb testing.TB, set string, n, skip int) []string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "solver", "testdata", "pons", set))
	if err != nil {
		tb.Fatal(err)
	}
	var all []string
	for line := range strings.Lines(string(data)) {
		if moves, _, _ := strings.Cut(line, " "); len(moves) >= 12 {
			all = append(all, moves)
		}
	}
	picked := make([]string, n)
	for i := range picked {
		picked[i] = all[i*len(all)/n+skip]
	}
	return picked
}

// BenchmarkWorker measures the page's Web Workers in headless Chromium, as
// the page runs them (one for analyses, one for the computer's moves), with
// the HTTP cache off: the time from the first one's start to its word that
// it listens (fetching and compiling worker.wasm), the median
// time to analyse a position (each column's exact score) with 12 stones or
// more over 50 positions of Pons' Begin-Medium set and 100 of Middle-Medium,
// the perfect level's move time over 20 other Begin-Medium positions (its
// budget is 1.5 s), the memory each one's Go runtime holds at the end, and the
// bytes of worker.wasm as transferred; and for reference, the same
// analyses natively in this process. One pass is one run of all of it:
//
//	CONNECT4_BIN=bin/connect4 go test -run='^$' -bench=Worker -benchtime=1x ./backend/e2e
func BenchmarkWorker(b *testing.B) {
	url := benchServer(b)
	browser := benchBrowser(b)
	analyses := map[string][]string{
		"Test_L1_R2": benchPositions(b, "Test_L1_R2", 50, 0),
		"Test_L2_R2": benchPositions(b, "Test_L2_R2", 100, 0),
	}
	// Others than those analysed, whose scores the tables would hold.
	thinks := benchPositions(b, "Test_L1_R2", 20, 1)
	args, _ := json.Marshal(analyses)
	thinkArgs, _ := json.Marshal(thinks)
	script := fmt.Sprintf(benchWorkerScript, args, thinkArgs)
	var r struct {
		Start   float64
		Analyse map[string][]float64
		Think   []float64
		Memory  [2]float64 // of the analyses' worker, of the moves'

		Wasm float64
	}
	for b.Loop() {
		tab, cancel := chromedp.NewContext(browser)
		var raw string
		err := chromedp.Run(tab,
			network.Enable(),
			network.SetCacheDisabled(true),
			chromedp.Navigate(url),
			chromedp.WaitVisible(`button.computer`, chromedp.ByQuery),
			chromedp.Evaluate(script, &raw, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams {
				return p.WithAwaitPromise(true)
			}),
		)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(0, "ns/op") // one pass is many questions
	b.ReportMetric(r.Start, "start-ms")
	b.ReportMetric(median(r.Analyse["Test_L1_R2"]), "analyse-begin-ms-median")
	b.ReportMetric(median(r.Analyse["Test_L2_R2"]), "analyse-middle-ms-median")
	b.ReportMetric(median(r.Think), "perfect-move-ms-median")
	b.ReportMetric(slices.Max(r.Think), "perfect-move-ms-max")
	b.ReportMetric(r.Memory[0]/(1<<20), "memory-analyses-MiB")
	b.ReportMetric(r.Memory[1]/(1<<20), "memory-moves-MiB")
	b.ReportMetric(r.Wasm, "worker-wasm-transferred-bytes")
	// The reference, in the same run: the same analyses by this process,
	// natively, with a solver of the worker's size.
	native := nativeAnalyses(b, analyses["Test_L1_R2"])
	b.ReportMetric(median(native), "native-analyse-begin-ms-median")
	b.Logf("analyses, Begin-Medium: median %.1f ms, max %.1f ms; Middle-Medium: median %.1f ms, max %.1f ms; perfect moves ms %v",
		median(r.Analyse["Test_L1_R2"]), slices.Max(r.Analyse["Test_L1_R2"]),
		median(r.Analyse["Test_L2_R2"]), slices.Max(r.Analyse["Test_L2_R2"]), rounded(r.Think))
}

// nativeAnalyses returns the time of each analysis of positions natively,
// by a solver with the tables and the book of the page's worker, in ms.
func nativeAnalyses(tb testing.TB, positions []string) []float64 {
	s := solver.New(20) // frontend/internal/worker's TableBits
	s.Book = book.Default()
	times := make([]float64, len(positions))
	for i, moves := range positions {
		p, err := solver.FromMoves(moves)
		if err != nil {
			tb.Fatal(err)
		}
		start := time.Now()
		if _, err := s.Analyze(context.Background(), p); err != nil {
			tb.Fatal(err)
		}
		times[i] = float64(time.Since(start).Microseconds()) / 1000
	}
	return times
}
