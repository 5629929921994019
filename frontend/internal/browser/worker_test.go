//go:build js && wasm

package browser

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/solver"
	"github.com/hack-pad/safejs"
)

// Fake workers, as scripts: the real one is frontend/cmd/worker, whose
// messages they speak.
const (
	// echoWorker answers every question: fixed scores, column 3, or an
	// error for the level "bad".
	echoWorker = `postMessage({type: "ready"});
onmessage = (e) => {
  const q = e.data;
  if (q.kind === "analyze") postMessage({id: q.id, scores: [1, 2, 3, 4, 5, 6, -128]});
  else if (q.level === "bad") postMessage({id: q.id, error: "no such level"});
  else postMessage({id: q.id, column: 3});
};`
	// crashingWorker throws on the first question.
	crashingWorker = `postMessage({type: "ready"}); onmessage = () => { throw new Error("boom"); };`
	// failingWorker is a worker whose wasm could not start, as worker.js
	// says it.
	failingWorker = `postMessage({type: "error", error: "The computer could not start: no wasm"});`
	// silentWorker never answers.
	silentWorker = `postMessage({type: "ready"}); onmessage = () => {};`
)

// scriptURL returns a URL that serves script, for the test's life.
func scriptURL(t *testing.T, script string) string {
	t.Helper()
	var d dom
	global := safejs.Global()
	blobCtor := d.get(global, "Blob")
	parts, err := safejs.ValueOf([]any{script})
	if err != nil {
		t.Fatal(err)
	}
	options, err := safejs.ValueOf(map[string]any{"type": "text/javascript"})
	if err != nil {
		t.Fatal(err)
	}
	var blob safejs.Value
	if d.err == nil {
		blob, d.err = blobCtor.New(parts, options)
	}
	url := d.string(d.call(d.get(global, "URL"), "createObjectURL", blob))
	if d.err != nil {
		t.Fatal(d.err)
	}
	return url
}

// goneURL returns a URL that served a script no longer.
func goneURL(t *testing.T) string {
	t.Helper()
	url := scriptURL(t, silentWorker)
	var d dom
	d.call(d.get(safejs.Global(), "URL"), "revokeObjectURL", url)
	if d.err != nil {
		t.Fatal(d.err)
	}
	return url
}

// testWorker returns a webWorker on the script at url, and the channel of
// its answers; it is closed at the end of the test.
func testWorker(t *testing.T, url string) (*webWorker, chan any) {
	answers := make(chan any, 16)
	b := newWebWorker(func(m any) { answers <- m }, func() string { return url })
	t.Cleanup(b.Close)
	return b, answers
}

// next returns the next answer, or fails after a few seconds.
func next(t *testing.T, answers chan any) any {
	t.Helper()
	select {
	case a := <-answers:
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("no answer from the worker within 10 s")
		return nil
	}
}

// TestWorkerAnswers checks that questions asked before the worker listens
// are held, then answered, each once, with what the worker said.
func TestWorkerAnswers(t *testing.T) {
	b, answers := testWorker(t, scriptURL(t, echoWorker))
	b.Analyze("44")
	b.Think("44", "easy")
	b.Think("4", "bad")
	want := []any{
		analysed{moves: "44", scores: [7]int{1, 2, 3, 4, 5, 6, -128}},
		thought{moves: "44", level: "easy", column: 3},
		thought{moves: "4", level: "bad", column: -1, err: errors.New("no such level")},
	}
	got := make(map[string]any)
	for range want {
		a := next(t, answers)
		switch a := a.(type) {
		case analysed:
			got["analyse "+a.moves] = a
		case thought:
			got["think "+a.moves] = a
		}
	}
	for _, w := range want {
		key := ""
		switch w := w.(type) {
		case analysed:
			key = "analyse " + w.moves
		case thought:
			key = "think " + w.moves
		}
		if !reflect.DeepEqual(got[key], w) {
			t.Errorf("%s: %#v, want %#v", key, got[key], w)
		}
	}
}

// TestWorkerFailures checks that a worker that fails to load, stops or
// crashes answers the questions waiting with an error, and that the next
// question starts a new worker.
func TestWorkerFailures(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want error
	}{
		{"no such script", goneURL(t), errWorkerStart},
		{"not a script", scriptURL(t, "this is not JavaScript"), errWorkerStart},
		{"the wasm could not start", scriptURL(t, failingWorker), errors.New("The computer could not start: no wasm")},
		{"crash", scriptURL(t, crashingWorker), errWorkerGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, answers := testWorker(t, tt.url)
			for i := range 2 { // the second question starts a new worker
				b.Think("4", "perfect")
				a, ok := next(t, answers).(thought)
				if !ok || a.err == nil || a.err.Error() != tt.want.Error() || a.column != -1 {
					t.Fatalf("question %d: answer %#v, want the error %q", i+1, a, tt.want)
				}
			}
		})
	}
}

// TestWorkerClose checks that a closed worker answers nothing, not even
// the questions it had.
func TestWorkerClose(t *testing.T) {
	b, answers := testWorker(t, scriptURL(t, silentWorker))
	b.Analyze("4")
	b.Close()
	b.Analyze("44")
	select {
	case a := <-answers:
		t.Errorf("answer %#v after Close", a)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestWorkerPair checks that the page's brain asks its moves and its
// analyses of two workers: a move is answered while an analysis waits.
func TestWorkerPair(t *testing.T) {
	answers := make(chan any, 4)
	push := func(m any) { answers <- m }
	echo, silent := scriptURL(t, echoWorker), scriptURL(t, silentWorker)
	p := workerPair{
		moves:    newWebWorker(push, func() string { return echo }),
		analyses: newWebWorker(push, func() string { return silent }),
	}
	t.Cleanup(p.Close)
	p.Analyze("4")
	p.Think("4", "easy")
	if a, ok := next(t, answers).(thought); !ok || a.column != 3 || a.err != nil {
		t.Fatalf("answer %#v, want the move", a)
	}
}

// TestWorkerMalformedScores checks that an answer whose scores are not seven
// numbers is an error, not a row of draws (a column without a number has no
// score), and that a move without a column is an error, not column 1.
func TestWorkerMalformedScores(t *testing.T) {
	tests := []struct {
		name, scores string
	}{
		{"too few", "[1, 2, 3]"},
		{"none", "[]"},
		{"not numbers", `["1", "2", "3", "4", "5", "6", "7"]`},
		{"a null", "[1, 2, 3, null, 5, 6, 7]"},
		{"not an array", "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := `postMessage({type: "ready"}); onmessage = (e) => postMessage({id: e.data.id, scores: ` + tt.scores + `});`
			b, answers := testWorker(t, scriptURL(t, script))
			b.Analyze("4")
			a, ok := next(t, answers).(analysed)
			if !ok || a.moves != "4" || a.err == nil {
				t.Errorf("answer %#v, want an error", a)
			}
		})
	}
	// Nor is a move without a column the first column.
	b, answers := testWorker(t, scriptURL(t, `postMessage({type: "ready"}); onmessage = (e) => postMessage({id: e.data.id, column: "3"});`))
	b.Think("4", "easy")
	if a, ok := next(t, answers).(thought); !ok || a.err == nil || a.column != -1 {
		t.Errorf("answer %#v, want an error", a)
	}
}

// TestWorkerTooEarly checks that an analysis the worker cut short, too
// early in the game, comes with the columns it scored and an error that
// says so (analysis.ErrTooEarly), as frontend/cmd/worker sends it.
func TestWorkerTooEarly(t *testing.T) {
	script := `postMessage({type: "ready"}); onmessage = (e) => postMessage({id: e.data.id, error: "` +
		analysis.ErrTooEarly.Error() + `", scores: [-127, -127, -1, 1, -127, -127, -128]});`
	b, answers := testWorker(t, scriptURL(t, script))
	b.Analyze("4")
	a, ok := next(t, answers).(analysed)
	x := analysis.Unknown
	if !ok || !errors.Is(a.err, analysis.ErrTooEarly) || a.scores != [7]int{x, x, -1, 1, x, x, solver.Unplayable} {
		t.Errorf("answer %#v, want the partial scores and analysis.ErrTooEarly", a)
	}
}

// TestWorkerSilent checks that a worker that says nothing while a question
// waits is given up after its limit: the question is answered with
// errWorkerSilent, and the next starts a new worker.
func TestWorkerSilent(t *testing.T) {
	// Silent about the position "1" only.
	script := `postMessage({type: "ready"});
onmessage = (e) => { if (e.data.moves !== "1") postMessage({id: e.data.id, scores: [1, 2, 3, 4, 5, 6, 7]}); };`
	b, answers := testWorker(t, scriptURL(t, script))
	b.limit = 300 * time.Millisecond
	b.Analyze("1")
	if a, ok := next(t, answers).(analysed); !ok || a.moves != "1" || !errors.Is(a.err, errWorkerSilent) {
		t.Fatalf("answer %#v, want errWorkerSilent", a)
	}
	b.Analyze("44")
	if a, ok := next(t, answers).(analysed); !ok || a.moves != "44" || a.err != nil || a.scores[6] != 7 {
		t.Fatalf("answer %#v from a new worker, want the scores", a)
	}
	// A worker that answers within its limit, question after question, is
	// kept: no error comes.
	for range 4 {
		b.Analyze("44")
		if a := next(t, answers).(analysed); a.err != nil {
			t.Fatalf("answer %#v", a)
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case a := <-answers:
		t.Errorf("an answer %#v for no question", a)
	case <-time.After(400 * time.Millisecond):
	}
}
