//go:build js && wasm

package browser

import (
	"errors"
	"sync"
	"time"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/hack-pad/safejs"
)

// workerMeta names the page's <meta> tag that gives the URLs of the Web
// Worker's files: the loader in content, worker.wasm in data-wasm and the
// toolchain's wasm_exec.js in data-exec (the server names each with its
// hash, so that the worker's files are of the page's release).
const workerMeta = "connect4-worker"

// The errors that a worker's answers may carry, besides its own.
var (
	errWorkerStart  = errors.New("browser: the worker could not start")
	errWorkerGone   = errors.New("browser: the worker stopped")
	errWorkerSilent = errors.New("browser: the worker stopped answering")
)

// silenceLimit is how long a worker with questions waiting may stay silent
// before the page stops it, answers them with errWorkerSilent and starts a
// new one on the next question: longer than the worker's longest answer
// (an analysis gives up after 20 s, a move after about 1.5 s). A worker
// whose answer was lost, or that hangs, would otherwise hold its questions
// for the page's life.
const silenceLimit = 30 * time.Second

// workerPair is the page's brain: two Web Workers, one for the computer's
// moves and one for analyses, each started on its first question, so that
// a move never waits behind an analysis (which may take seconds early in a
// game), and the board's analysis never behind a move.
type workerPair struct {
	moves, analyses *webWorker
}

var _ brain = workerPair{}

// newWebWorkers is a newBrain: the page's Web Workers, whose files the
// page's workerMeta tag names.
func newWebWorkers(push func(any)) brain {
	return workerPair{moves: newWebWorker(push, workerURL), analyses: newWebWorker(push, workerURL)}
}

// Analyze asks the analyses' worker.
func (p workerPair) Analyze(moves string) { p.analyses.Analyze(moves) }

// Think asks the moves' worker.
func (p workerPair) Think(moves, level string) { p.moves.Think(moves, level) }

// Close stops both workers.
func (p workerPair) Close() {
	p.moves.Close()
	p.analyses.Close()
}

// webWorker is a brain of one Web Worker running worker.wasm (see
// frontend/cmd/worker for the messages), started on the first question. A
// worker that fails to load or stops answers every question waiting with
// the error; the next question starts a new one.
//
// It is safe for concurrent use: the event loop asks, the worker's
// callbacks answer.
type webWorker struct {
	push func(any)
	url  func() string // the loader's URL, with the others in its fragment
	// limit is the silence after which the worker is given up
	// (silenceLimit; tests shorten it).
	limit time.Duration

	mu     sync.Mutex
	w      safejs.Value // the Worker, or undefined before the first question
	funcs  []safejs.Func
	ready  bool             // the worker said it listens
	held   []map[string]any // questions asked before it did
	asked  map[int]any      // the questions waiting for an answer, by id: analysed or thought
	nextID int
	closed bool
	// heardAt is when the worker last said something, or started, in
	// Unix nanoseconds (no time.Time: reachable through the brain
	// interface, it would keep time's formatting in app.wasm); watching
	// that a timer checks its silence while questions wait.
	heardAt  int64
	watching bool
}

var _ brain = (*webWorker)(nil)

// newWebWorker returns a webWorker that pushes its answers, on the loader
// that url names.
func newWebWorker(push func(any), url func() string) *webWorker {
	return &webWorker{push: push, url: url, limit: silenceLimit, asked: make(map[int]any)}
}

// Analyze asks the worker for the scores of each column.
func (b *webWorker) Analyze(moves string) {
	b.ask(analysed{moves: moves}, map[string]any{"kind": "analyze", "moves": moves})
}

// Think asks the worker for the computer's move.
func (b *webWorker) Think(moves, level string) {
	b.ask(thought{moves: moves, level: level, column: -1}, map[string]any{"kind": "think", "moves": moves, "level": level})
}

// Close stops the worker.
func (b *webWorker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.stop()
}

// ask sends a question, starting the worker if need be; answer is the
// message to push, which the worker's answer completes.
func (b *webWorker) ask(answer any, msg map[string]any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	if b.w.IsUndefined() {
		if err := b.start(); err != nil {
			b.push(withError(answer, errWorkerStart))
			return
		}
	}
	b.nextID++
	if len(b.asked) == 0 {
		// Its silence counts from the first question waiting.
		b.heardAt = time.Now().UnixNano()
	}
	b.asked[b.nextID] = answer
	msg["id"] = b.nextID
	b.watch()
	if !b.ready {
		b.held = append(b.held, msg)
		return
	}
	b.post(msg)
}

// watch checks, while questions wait, that the worker does not stay silent
// for longer than b.limit; one that does is stopped and its questions
// answered with errWorkerSilent. It must be called with b.mu held.
func (b *webWorker) watch() {
	if b.watching || len(b.asked) == 0 || b.w.IsUndefined() {
		return
	}
	b.watching = true
	time.AfterFunc(b.limit-b.silence(), func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.watching = false
		if b.closed || len(b.asked) == 0 {
			return
		}
		if b.silence() >= b.limit {
			warn("browser: the worker said nothing for ", b.limit.String(), ": stopping it")
			b.fail(errWorkerSilent)
			return
		}
		b.watch()
	})
}

// silence returns how long the worker has said nothing. It must be called
// with b.mu held.
func (b *webWorker) silence() time.Duration {
	return time.Duration(time.Now().UnixNano() - b.heardAt)
}

// start starts a worker. It must be called with b.mu held.
func (b *webWorker) start() error {
	ctor, err := safejs.Global().Get("Worker")
	if err != nil {
		return err
	}
	w, err := ctor.New(b.url())
	if err != nil {
		return err
	}
	onMessage, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			b.heard(w, args[0])
		}
		return nil
	})
	if err != nil {
		_, _ = w.Call("terminate")
		return err
	}
	// An error event: the script did not load, or threw.
	onError, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.w.Equal(w) {
			// Before it said it listens, it did not start; after, it
			// crashed.
			err := errWorkerStart
			if b.ready {
				err = errWorkerGone
			}
			b.fail(err)
		}
		return nil
	})
	if err != nil {
		onMessage.Release()
		_, _ = w.Call("terminate")
		return err
	}
	b.w, b.funcs, b.ready, b.heardAt = w, []safejs.Func{onMessage, onError}, false, time.Now().UnixNano()
	var d dom
	d.set(w, "onmessage", onMessage)
	d.set(w, "onerror", onError)
	if d.err != nil {
		b.stop()
		return d.err
	}
	return nil
}

// heard handles a message of the worker w.
func (b *webWorker) heard(w, event safejs.Value) {
	var d dom
	data := d.get(event, "data")
	kind := d.string(d.get(data, "type"))
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.w.Equal(w) {
		return // a worker stopped since
	}
	b.heardAt = time.Now().UnixNano()
	switch kind {
	case "ready":
		b.ready = true
		for _, msg := range b.held {
			b.post(msg)
		}
		b.held = nil
		return
	case "error":
		b.fail(errors.New(d.string(d.get(data, "error"))))
		return
	}
	id := d.int(d.get(data, "id"))
	answer, ok := b.asked[id]
	if !ok {
		return
	}
	delete(b.asked, id)
	var failed error
	if msg := d.string(d.get(data, "error")); msg != "" {
		failed = errors.New(msg)
		if msg != analysis.ErrTooEarly.Error() {
			b.push(withError(answer, failed))
			return
		}
		// An analysis cut short: the columns it scored come with it.
		failed = analysis.ErrTooEarly
	}
	// A value that is no number is no score nor column: the answer is
	// wrong, not 0.
	number := func(v safejs.Value) int {
		if d.err == nil && v.Type() != safejs.TypeNumber {
			d.err = errWorkerGone
		}
		return d.int(v)
	}
	switch a := answer.(type) {
	case analysed:
		scores := d.get(data, "scores")
		for c := range a.scores {
			var v safejs.Value
			if d.err == nil {
				v, d.err = scores.Index(c)
			}
			a.scores[c] = number(v)
		}
		answer = a
	case thought:
		a.column = number(d.get(data, "column"))
		answer = a
	}
	if d.err != nil {
		answer = withError(answer, errWorkerGone)
	} else if failed != nil {
		answer = withError(answer, failed)
	}
	b.push(answer)
}

// post sends a question to the worker; one that cannot go is answered with
// the error at once. It must be called with b.mu held.
func (b *webWorker) post(msg map[string]any) {
	v, err := safejs.ValueOf(msg)
	if err == nil {
		_, err = b.w.Call("postMessage", v)
	}
	if err != nil {
		b.fail(errWorkerGone)
	}
}

// fail answers every waiting question with err and stops the worker, for
// the next question to start another. It must be called with b.mu held.
func (b *webWorker) fail(err error) {
	if err.Error() == "" {
		err = errWorkerGone
	}
	for id, answer := range b.asked {
		delete(b.asked, id)
		b.push(withError(answer, err))
	}
	b.stop()
}

// stop terminates the worker, if any, and forgets the questions held for
// it. It must be called with b.mu held.
func (b *webWorker) stop() {
	if b.w.IsUndefined() {
		return
	}
	var d dom
	d.set(b.w, "onmessage", nil)
	d.set(b.w, "onerror", nil)
	d.call(b.w, "terminate")
	// Terminated, the worker calls neither function again.
	for _, f := range b.funcs {
		f.Release()
	}
	b.w, b.funcs, b.ready, b.held = safejs.Undefined(), nil, false, nil
	if b.closed {
		clear(b.asked)
	}
}

// withError returns the answer, analysed or thought, carrying err.
func withError(answer any, err error) any {
	switch a := answer.(type) {
	case analysed:
		a.err = err
		return a
	case thought:
		a.err, a.column = err, -1
		return a
	}
	return answer
}

// workerURL returns the URL of the worker's loader, with the URLs of
// worker.wasm and wasm_exec.js in its fragment.
func workerURL() string {
	script, wasm, exec := workerFiles()
	return script + "#wasm=" + escape(wasm) + "&exec=" + escape(exec)
}

// prefetchWorker asks the browser to download the worker's files, at its
// lowest priority, into its cache, without running them: a game against
// the computer can then start in the page even once the server that served
// it is gone. The page's own wasm_exec.js is cached already.
func prefetchWorker() {
	script, wasm, _ := workerFiles()
	var d dom
	doc := d.get(safejs.Global(), "document")
	head := d.get(doc, "head")
	for _, href := range []string{script, wasm} {
		d.call(head, "appendChild", d.element(doc, "link", "", "rel", "prefetch", "href", href))
	}
	if d.err != nil {
		warn("browser: prefetching the worker: ", d.err.Error())
	}
}

// workerFiles returns the URLs of the worker's loader, of worker.wasm and
// of wasm_exec.js, as the page's workerMeta tag names them; without one,
// the files beside the page.
func workerFiles() (script, wasm, exec string) {
	script, wasm, exec = "worker.js", "worker.wasm", "wasm_exec.js"
	var d dom
	meta := d.call(d.get(safejs.Global(), "document"), "querySelector", `meta[name="`+workerMeta+`"]`)
	if d.err == nil && !meta.IsNull() {
		attr := func(name, fallback string) string {
			v := d.call(meta, "getAttribute", name)
			if d.err != nil || v.IsNull() {
				return fallback
			}
			return d.string(v)
		}
		script, wasm, exec = attr("content", script), attr("data-wasm", wasm), attr("data-exec", exec)
	}
	return script, wasm, exec
}

// escape escapes s for a URL's query, as encodeURIComponent does.
func escape(s string) string {
	var d dom
	v := d.call(safejs.Global(), "encodeURIComponent", s)
	if d.err != nil {
		return s
	}
	return d.string(v)
}
